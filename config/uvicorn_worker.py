"""The gunicorn worker of production (config/gunicorn.conf.py): uvicorn serving config.asgi, without proxy headers.

The app reads the client's address from X-Forwarded-For itself, trusting only NUM_PROXIES hops (DRF's setting, used
by the API throttles); uvicorn must not rewrite the address from a header anyone can send. The scheme comes from
X-Forwarded-Proto through SECURE_PROXY_SSL_HEADER (config/settings/production.py).
"""

from uvicorn_worker import UvicornWorker


class Worker(UvicornWorker):
    CONFIG_KWARGS = {**UvicornWorker.CONFIG_KWARGS, "proxy_headers": False}
