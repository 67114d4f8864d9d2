"""The request being served, for records that say where a change came from (the organisation's admin log).

`RequestContextMiddleware` keeps the request in a context variable for the time of the response, as
django-simple-history's HistoryRequestMiddleware and django-auditlog's middleware do, so a service deep below a
view or an API call can read the client's address, user agent and authentication (DRF copies `request.auth`, the
API token, onto the Django request) without every view passing them down. Outside a request (Celery tasks, shell,
tests calling services) there is none.
"""

from contextvars import ContextVar

_request: ContextVar = ContextVar("current_request", default=None)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def current_request():
    """The Django request being answered in this thread or task, or None."""
    return _request.get()
