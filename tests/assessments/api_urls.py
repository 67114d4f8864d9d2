"""The project's URLs plus the assessments API, for tests that run before config/api_router.py registers it.

Routes the lead has already registered are skipped, so this keeps working (and adds nothing) once they are.
"""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from assessments.api.routes import ROUTES, URLS
from config import api_router
from config.urls import urlpatterns as project_urlpatterns

_registered = {prefix for prefix, _viewset, _basename in api_router.router.registry}
_named = {getattr(pattern, "name", None) for pattern in api_router.urlpatterns}
router = SimpleRouter()
for prefix, viewset, basename in ROUTES:
    if prefix not in _registered:
        router.register(prefix, viewset, basename=basename)
extra = [url for url in URLS if url.name not in _named] + router.urls

urlpatterns = [path("api/v1/", include(extra)), *project_urlpatterns]
