from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    """What other tools sync through: API tokens, the changes feed, upserts by external id, idempotent writes."""

    name = "sync"
    verbose_name = _("Sync")
