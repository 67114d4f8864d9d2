"""allauth's socialaccount adapter for organisation SSO: who may come in through an organisation's provider, which
account they get, and their just-in-time membership.

A provider is trusted only for the e-mail domains its organisation owns, and only for addresses it says are
verified: an organisation's admin cannot sign in as anyone of another domain by configuring their own provider.
"""

import re

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.translation import gettext as _

from sso import selectors, services


def unique_username(email: str) -> str:
    """The address's local part as a free username ("ann.lee", then "ann.lee2"...); the provider's
    preferred_username is not trusted to be free here."""
    User = get_user_model()
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:140] or "user"
    taken = set(User.objects.filter(username__istartswith=base).values_list("username", flat=True))
    taken = {name.lower() for name in taken}
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{base}{number}"
    return candidate


def _refuse(request, message: str):
    return ImmediateHttpResponse(render(request, "sso/refused.html", {"message": message}, status=403))


class SsoSocialAccountAdapter(DefaultSocialAccountAdapter):
    """pre_social_login: check the address and link an existing account; populate_user: the new account's
    names; save_user: the new account's membership."""

    def _configuration(self, sociallogin):
        return selectors.configuration_for_provider(sociallogin.account.provider)

    def _claims(self, sociallogin) -> tuple[dict, dict]:
        data = sociallogin.account.extra_data or {}
        return data.get("userinfo") or {}, data.get("id_token") or {}

    def _groups(self, configuration, sociallogin) -> list[str]:
        return services.groups_from_claims(configuration, *self._claims(sociallogin))

    def verified_email(self, request, configuration, sociallogin) -> str:
        """The provider's verified address in one of the organisation's domains; else the sign-in is refused."""
        owned = {domain.domain for domain in configuration.domains.all()}
        for address in sociallogin.email_addresses:
            if address.verified and selectors.email_domain(address.email) in owned:
                return address.email.strip().lower()
        raise _refuse(request, _(
            "Your identity provider did not give a verified e-mail address of a domain this organisation owns."))

    def pre_social_login(self, request, sociallogin):
        configuration = self._configuration(sociallogin)
        if configuration is None:
            raise _refuse(request, _("Single sign-on is not set up for this organisation any more."))
        email = self.verified_email(request, configuration, sociallogin)
        if not sociallogin.is_existing:
            same_address = list(get_user_model().objects.filter(email__iexact=email)[:2])
            if len(same_address) > 1:
                raise _refuse(request, _("Several accounts use this e-mail address: ask your organisation's "
                                         "administrator to merge them."))
            if same_address:
                sociallogin.connect(request, same_address[0])
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                raise _refuse(request, _("This account is disabled."))
            services.sso_membership_apply(configuration=configuration, user=sociallogin.user,
                                          groups=self._groups(configuration, sociallogin))

    def is_open_for_signup(self, request, sociallogin):
        return self._configuration(sociallogin) is not None  # new accounts only through a configured organisation

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        configuration = self._configuration(sociallogin)
        user.email = self.verified_email(request, configuration, sociallogin)
        if not user.username:
            user.username = user.email.split("@")[0]
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        configuration = self._configuration(sociallogin)
        services.sso_membership_apply(configuration=configuration, user=user,
                                      groups=self._groups(configuration, sociallogin))
        return user
