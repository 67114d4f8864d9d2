from django.apps import AppConfig

from core import checks  # noqa: F401  (registers the deployment checks)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"
