"""The site's URLs plus one view that fails, to see the 500 page (tests/core/test_error_pages.py)."""

from django.urls import path

from config import urls as site


def boom(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [*site.urlpatterns, path("boom/", boom)]
handler404, handler403, handler500 = site.handler404, site.handler403, site.handler500
