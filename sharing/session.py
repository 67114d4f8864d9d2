"""The share session: a signed cookie naming the links this browser has opened (after their password, if any).

It is not a sign-in: no user is attached to the request. While a browser carries it and nobody is signed in, the
middleware answers 404 to every address outside the shared pages, so a link can never lead further than it shows
(another plan, the API, an export, the history, a setting) even where those pages would otherwise redirect to the
sign-in page. Each shared page also checks that the cookie grants its link and that the link is still usable, so
revoking or expiring a link closes it at the next request.
"""

from django.conf import settings
from django.core import signing
from django.http import Http404

COOKIE = "jp_share"
SALT = "sharing.session"
MAX_AGE = 12 * 60 * 60  # a visitor comes back through the link (and its password) after this
MAX_LINKS = 10
# Where a share session may go: the shared pages, their static files, persona photos, the language switch, and the
# sign-in page (someone with an account may still sign in; signed in, they are themselves again).
ALLOWED_PREFIXES = ("/s/", "/shared/", "/i18n/setlang/", "/favicon.ico")
ALLOWED_PATHS = {"/accounts/login/"}  # the sign-in page only, not allauth's other pages under it (login by code…)


def granted_links(request) -> list[int]:
    """The ids of the links this browser's share session holds ([] without one, or with a forged or old one)."""
    value = request.COOKIES.get(COOKIE)
    if not value:
        return []
    try:
        ids = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    return [pk for pk in ids if isinstance(pk, int)] if isinstance(ids, list) else []


def grant(request, response, link) -> None:
    """Add `link` to the browser's share session."""
    ids = [pk for pk in granted_links(request) if pk != link.pk][-(MAX_LINKS - 1):] + [link.pk]
    response.set_cookie(COOKIE, signing.dumps(ids, salt=SALT), max_age=MAX_AGE, httponly=True, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)


def end(response) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def _allowed(path: str) -> bool:
    prefixes = (*ALLOWED_PREFIXES, settings.STATIC_URL, f"{settings.MEDIA_URL}personas/")
    return path in ALLOWED_PATHS or path.startswith(prefixes)


class ShareSessionMiddleware:
    """404 for everything outside the shared pages while a share session is the only principal of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if COOKIE in request.COOKIES and not _allowed(request.path) and granted_links(request):
            user = getattr(request, "user", None)  # read last: it may cost a session query
            if user is None or not user.is_authenticated:
                raise Http404("Not part of what this link shares.")
        return self.get_response(request)
