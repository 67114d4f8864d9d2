"""Pages: an organisation's SSO settings (owners and admins) and the SSO way in of the sign-in page."""

import requests
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import ratelimits
from core.editing import apply_errors
from sso import selectors, services
from sso.forms import SsoConfigurationForm, SsoSignInForm


@login_required
def sso_settings(request, pk):
    organisation, membership, configuration = selectors.configuration_of(user=request.user, organisation_pk=pk)
    form = SsoConfigurationForm(request.POST or None, organisation=organisation, configuration=configuration,
                                initial=SsoConfigurationForm.initial_for(configuration))
    if request.method == "POST" and form.is_valid():
        try:
            services.configuration_save(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Single sign-on saved."))
            return redirect("sso_settings", organisation.pk)
    provider_id = configuration.provider_id if configuration else services.provider_id_for(organisation)
    callback = request.build_absolute_uri(reverse("openid_connect_callback", kwargs={"provider_id": provider_id}))
    return render(request, "sso/settings.html", {
        "organisation": organisation, "membership": membership, "configuration": configuration, "form": form,
        "callback_url": callback})


@login_required
@require_POST
def sso_delete(request, pk):
    organisation, _membership, configuration = selectors.configuration_of(user=request.user, organisation_pk=pk)
    if configuration is not None:
        services.configuration_delete(configuration=configuration, actor=request.user)
        messages.success(request, _("Single sign-on is switched off; members sign in with their passwords."))
    return redirect("sso_settings", organisation.pk)


def sso_sign_in(request):
    """The person types their address; an address of a domain an organisation owns goes to that organisation's
    provider. The answer depends on the domain only, never on whether an account exists; it is limited per client
    address (ABUSE_RATES["sso_sign_in"]), so domains cannot be listed by trying thousands of them."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    form = SsoSignInForm(request.POST or None)
    if request.method == "POST" and ratelimits.attempt(request, "sso_sign_in"):
        form.add_error(None, _("Too many attempts from your network. Wait a while, then try again, or sign in with "
                               "your password."))
        return render(request, "sso/sign_in.html", {"form": form, "next": next_url}, status=429)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        configuration = selectors.configuration_for_email(email)
        if configuration is not None:
            provider = configuration.social_app.get_provider(request)
            try:
                return provider.redirect(request, "login", next_url=next_url or None,
                                         auth_params={"login_hint": email})
            except (requests.RequestException, ValueError, KeyError):
                return render(request, "sso/refused.html", {"message": _(
                    "Your organisation's identity provider cannot be reached. Try again later.")}, status=502)
        form.add_error("email", _("Single sign-on is not set up for this address. Sign in with your password."))
    return render(request, "sso/sign_in.html", {"form": form, "next": next_url})
