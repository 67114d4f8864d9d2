"""ASGI entry point: HTTP goes to Django, websockets (`ws/plans/<id>/`) to the live workshop consumer.

Serve it with `daphne config.asgi:application` or `uvicorn config.asgi:application`; `manage.py runserver` serves it
in development (daphne is first in INSTALLED_APPS).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_application = get_asgi_application()  # sets Django up before the consumers import models

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from workshops.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter({
    "http": django_application,
    # The session cookie signs the socket in like a page; the Origin must be one of ALLOWED_HOSTS (no cross-site
    # socket can ride on a visitor's cookie).
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
})
