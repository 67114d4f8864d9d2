"""Request middleware: API addresses without their final slash, the user's language, a memo for what a read-only
request computes more than once, our own 404 page under DEBUG, and a 503 page when the task queue is down."""

from contextvars import ContextVar

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, get_resolver, is_valid_path, resolve
from django.utils import translation

from core.tasks import BrokerUnavailable

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_request_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


class ApiMissingSlashMiddleware:
    """An API address without its final slash (`POST /api/v1/personas`) is served as the address with it.

    CommonMiddleware's APPEND_SLASH would answer a redirect, which a client follows as a GET without the body (a
    POST then lists instead of creating), and under DEBUG it raises for a POST, PUT, PATCH or DELETE (a 500).
    Serving the address keeps the schema and every URL the API writes (reverse()) as they are: with the slash.
    An address that matches no route either way still answers the API's JSON 404. Put it before CommonMiddleware.
    """

    PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(self.PREFIX) and not path.endswith("/"):
            urlconf = getattr(request, "urlconf", None)
            if not is_valid_path(path, urlconf) and is_valid_path(f"{path}/", urlconf):
                request.path_info = request.META["PATH_INFO"] = f"{path}/"
                request.path = f"{request.path}/"
        return self.get_response(request)


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


class OwnNotFoundPageMiddleware:
    """Under DEBUG, an address that does not exist gets the site's 404 page, not Django's technical one.

    `make run` runs with DEBUG on, and that is how most people first try the planner: an unknown plan id or a
    mistyped address is their mistake, not a bug to debug, and the technical page (with the list of every URL
    pattern) is not for them. DJANGO_DEBUG_TECHNICAL_404=1 brings Django's page back for developers. Without DEBUG
    Django already calls handler404; this does nothing then. Put it last, so CommonMiddleware still redirects an
    address missing its final slash.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def active() -> bool:
        return settings.DEBUG and not getattr(settings, "DEBUG_TECHNICAL_404", False)

    def __call__(self, request):
        if self.active():
            try:
                resolve(request.path_info)
            except Resolver404 as missing:  # no route at all: the view-level hook below never runs
                return self.not_found(request, missing)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and self.active():
            return self.not_found(request, exception)
        return None

    @staticmethod
    def not_found(request, exception):
        return get_resolver().resolve_error_handler(404)(request, exception)


class BrokerUnavailableMiddleware:
    """A page whose action needs the task queue while it is down answers a 503 page with Retry-After, not a 500
    (the API answers its own JSON 503: core.api.errors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BrokerUnavailable):
            return None
        response = render(request, "503.html", {"message": BrokerUnavailable.message}, status=503)
        response["Retry-After"] = str(exception.retry_after)
        return response
