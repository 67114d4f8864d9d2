"""An organisation that requires a second factor: its members without one are sent to add one first."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.api.problems import PROBLEM_CONTENT_TYPE, problem
from identity import selectors

# Signing in and out, adding a second factor, the password pages, switching language, static files.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/favicon.ico", "/media/")


class MfaRequiredMiddleware:
    """For a user signed in through a session who belongs to an organisation requiring two-factor authentication and
    has no second factor: pages redirect to the two-factor page, the API answers 403 (`mfa_required`). Requests with
    an Authorization header (API tokens) are unaffected. The session is one for all the user's organisations, so one
    organisation requiring it is enough."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._applies(request) and selectors.mfa_due(request.user):
            return self._refused(request)
        return self.get_response(request)

    @staticmethod
    def _applies(request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return False
        return not (request.path.startswith("/api/") and "HTTP_AUTHORIZATION" in request.META)

    @staticmethod
    def _refused(request):
        message = _("Your organisation requires two-factor authentication: add an authenticator app or a security "
                    "key to continue.")
        if request.path.startswith("/api/"):
            return JsonResponse(problem(403, code="mfa_required", detail=message), status=403,
                                content_type=PROBLEM_CONTENT_TYPE)
        messages.warning(request, message)
        return redirect("mfa_index")
