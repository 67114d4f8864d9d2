from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _

from core.forms import ProfileForm


class LoginView(auth_views.LoginView):
    """Django's sign-in page; under `make run` it also names the demo accounts (DEMO_LOGINS, local settings only)."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "demo_logins": getattr(settings, "DEMO_LOGINS", None)}


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
