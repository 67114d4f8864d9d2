"""gunicorn settings for production: several ASGI processes (uvicorn workers) on one port, so pages, the API and the
live-workshop websockets use every core. Read by `gunicorn -c config/gunicorn.conf.py config.asgi:application`
(Dockerfile, docker-compose.yml); `make bench` compares one process with several (bench/cases/asgi_workers.py).

Environment: WEB_CONCURRENCY (processes; 0 or unset: one per core, at least 2), PORT (default 8000), WEB_TIMEOUT
(seconds a request may take before its process is restarted; default 120, exports run in Celery, not here).
The processes share nothing but PostgreSQL and Redis: live events cross them through the Redis channel layer.
"""

import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_class = "config.uvicorn_worker.Worker"
workers = int(os.environ.get("WEB_CONCURRENCY") or 0) or max(2, multiprocessing.cpu_count())
timeout = int(os.environ.get("WEB_TIMEOUT", "120"))
# A process restarts after this many requests (with jitter, so they do not all restart at once): a slow leak in a
# long-lived process stays bounded.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
