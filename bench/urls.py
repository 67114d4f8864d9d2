"""The product's URLs plus a bench-only no-op view (used with ROOT_URLCONF="bench.urls", never in config/urls.py).

- /__bench__/noop/  `plain_view`, reached through the full middleware stack and URL resolving;
- the bench also calls `plain_view` directly with a RequestFactory request (no middleware, no resolving): the
  floor of any Django response.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns


def plain_view(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("__bench__/noop/", plain_view, name="bench-noop"),
    *product_urlpatterns,
]
