from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import ratelimits
from core.forms import ProfileForm, SignInForm


class LoginView(auth_views.LoginView):
    """Django's sign-in page; under `make run` it also names the demo accounts (DEMO_LOGINS, local settings only)."""

    redirect_authenticated_user = True
    authentication_form = SignInForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "demo_logins": getattr(settings, "DEMO_LOGINS", None)}


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request: the same "check your inbox" page whether or not an account has the address. Limited
    per client address and per e-mail address (ABUSE_RATES["password_reset"]); over a limit the form comes back,
    429, with the same message for every address, and no e-mail is sent."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        if ratelimits.attempt(self.request, "password_reset", email=email):
            message = _("Too many password reset requests from your network or for this address. "
                        "Try again in an hour.")
            return self.render_to_response(self.get_context_data(form=form, limited=message), status=429)
        return super().form_valid(form)


def lockout_message() -> str:
    minutes = settings.LOGIN_COOLOFF_MINUTES
    return ngettext(
        "Too many failed sign-in attempts for this account or from your network. Wait %(minutes)d minute, then "
        "try again, or reset your password.",
        "Too many failed sign-in attempts for this account or from your network. Wait %(minutes)d minutes, then "
        "try again, or reset your password.", minutes) % {"minutes": minutes}


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer while an account or an address is locked (AXES_LOCKOUT_CALLABLE): the sign-in page again,
    429, with one message whether or not the account exists (the password was not checked)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    return render(request, "registration/login.html", {
        "form": form, "lockout": lockout_message(), "next": request.POST.get("next", ""),
        "demo_logins": getattr(settings, "DEMO_LOGINS", None)}, status=429)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says: send them to the static file (its
    hashed name in production, so it is looked up at request time, not when the URLs load)."""
    return redirect(static("favicon.ico"), permanent=True)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if user.preferred_language:
            translation.activate(user.preferred_language)
        messages.success(request, _("Your profile was saved."))
        response = redirect("profile")
        if user.preferred_language:
            response.set_cookie("django_language", user.preferred_language, samesite="Lax")
        return response
    return render(request, "core/profile.html", {"form": form})


def switch_language(request):
    """Django's set_language, which also remembers the choice on the signed-in user's profile."""
    from django.conf import settings
    from django.views.i18n import set_language

    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return set_language(request)
