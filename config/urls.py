from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.views import favicon, switch_language

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", switch_language, name="set_language"),
    path("", include("identity.urls")),  # the sign-in page (allauth), before core's password pages
    path("accounts/", include("core.urls")),
    path("accounts/", include("allauth.urls")),  # after core: its password pages stay ours
    path("", include("sso.urls")),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("tenancy.urls")),
    path("", include("planning.urls")),
    path("", include("workshops.urls")),
    path("", include("sync.webhooks.urls")),
    path("", include("sync.urls")),
    path("", include("assessments.urls")),
    path("", include("listening.urls")),
    path("", include("experience.urls")),
    path("", include("roadmaps.urls")),
    path("", include("kpis.urls")),
    path("", include("sharing.urls")),
    path("", include("versions.urls")),
    path("", include("library.urls")),
]

handler404 = "core.api.errors.page_not_found"
handler403 = "django.views.defaults.permission_denied"  # templates/403.html
handler500 = "django.views.defaults.server_error"  # templates/500.html: standalone, rendered without the request

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
