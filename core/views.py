from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _

from core import ratelimits
from core.forms import ProfileForm


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
    from django.views.i18n import set_language

    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return set_language(request)
