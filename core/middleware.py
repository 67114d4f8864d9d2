"""Request middleware: the user's language, and a memo for what a read-only request computes more than once."""

from contextvars import ContextVar

from django.utils import translation

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_request_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


class UserLanguageMiddleware:
    """Activate the signed-in user's preferred language (after LocaleMiddleware, which handles the rest)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", "") if user and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


class RequestMemoMiddleware:
    """Open a memo for the duration of a GET, HEAD or OPTIONS request (see `request_memo`).

    Only reads get one: a write may create a plan or change a grant and then read, and must see the change.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        token = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(token)


def request_memo() -> dict | None:
    """The current read-only request's memo (a dict to keep values in), or None outside one (writes, tasks, shell).
    A key must name everything its value depends on, the user included."""
    return _request_memo.get()
