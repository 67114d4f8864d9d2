from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from identity import selectors, services
from identity.forms import LoginForm, MfaPolicyForm
from identity.lockout import lockout_message
from tenancy.access import organisation_for


class LoginView(allauth_views.LoginView):
    """allauth's sign-in page (then its second-factor step); under `make run` it also names the demo accounts
    (DEMO_LOGINS, local settings only)."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "demo_logins": getattr(settings, "DEMO_LOGINS", None)}


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer while an account or an address is locked (AXES_LOCKOUT_CALLABLE): the sign-in page again,
    429, with one message whether or not the account exists (the password was not checked)."""
    username = (credentials or {}).get("username") or request.POST.get("login", "")
    form = LoginForm(request=request, initial={"login": username})
    return render(request, "account/login.html", {
        "form": form, "lockout": lockout_message(), "redirect_field_value": request.POST.get("next", ""),
        "demo_logins": getattr(settings, "DEMO_LOGINS", None)}, status=429)


@login_required
def organisation_security(request, pk):
    """Owners and admins: whether the organisation requires a second factor of its members."""
    organisation, membership = organisation_for(request.user, pk, manage=True)
    policy = selectors.mfa_policy_for(organisation)
    form = MfaPolicyForm(request.POST or None, initial={"required": policy.required})
    if request.method == "POST" and form.is_valid():
        required = form.cleaned_data["required"]
        if required and not selectors.mfa_enabled(request.user):
            form.add_error("required", _("Add a second factor to your own account first, so you are not locked out."))
        else:
            services.mfa_policy_set(organisation=organisation, actor=request.user, required=required)
            messages.success(request, _("Sign-in security saved."))
            return redirect("organisation_security", organisation.pk)
    return render(request, "identity/organisation_security.html", {
        "organisation": organisation, "membership": membership, "form": form, "policy": policy,
        "without_mfa": selectors.members_without_mfa(organisation) if policy.required else None,
    })


def not_offered(request, *args, **kwargs):
    """allauth pages an invitation-only product does not offer (identity.urls lists them): 404, like any unknown
    address. Self sign-up, e-mail addresses and their confirmation, setting a first password, sign-in by e-mailed
    code, connected accounts, and allauth's own password-reset links (ours are Django's, core.urls) are not ways in
    here: accounts come from invitations or the organisation's SSO, passwords are changed and reset by core's pages."""
    raise Http404
