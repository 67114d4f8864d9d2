"""System checks of the deployment (`manage.py check --deploy`).

core.E001: no REDIS_URL and in-process tasks not accepted; core.W001: no REDIS_URL, in-process tasks accepted on
purpose (ALLOW_IN_PROCESS_TASKS=true). Without Redis, tasks (exports, e-mails, webhooks) run inside the web
process, API rates are counted per process and live workshops reach only the people on the same process.
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

HINT = ("Set REDIS_URL (for example redis://127.0.0.1:6379/0) and run Celery workers and beat; or set "
        "ALLOW_IN_PROCESS_TASKS=true to accept tasks running inside the web process (a single small server).")


@register(Tags.compatibility, deploy=True)
def redis_configured(app_configs, **kwargs):
    if getattr(settings, "REDIS_URL", ""):
        return []
    if getattr(settings, "ALLOW_IN_PROCESS_TASKS", False):
        return [Warning("REDIS_URL is not set: tasks run inside the web process (ALLOW_IN_PROCESS_TASKS=true).",
                        hint=HINT, id="core.W001")]
    return [Error("REDIS_URL is not set: tasks would run inside the web process, and nothing accepts that.",
                  hint=HINT, id="core.E001")]
