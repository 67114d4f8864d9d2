"""What the sync layer stores: organisation API tokens and the answers kept for Idempotency-Key."""


from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenScope(models.TextChoices):
    READ_ONLY = "read_only", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiToken(models.Model):
    """A named API key for one organisation, acting as the person who created it; only its SHA-256 is stored."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="api_tokens",
                                     verbose_name=_("organisation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("created by"))
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=ApiTokenScope.choices,
                             default=ApiTokenScope.READ_ONLY)
    prefix = models.CharField(_("prefix"), max_length=8, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        db_table = "core_apitoken"  # its table from when it lived in core (sync/migrations/0001)
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(condition=models.Q(scope__in=ApiTokenScope.values), name="api_token_scope_valid"),
        ]

    def __str__(self):
        return f"{self.name} (jp_{self.prefix}_…)"

    @property
    def is_read_only(self) -> bool:
        return self.scope == ApiTokenScope.READ_ONLY

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class IdempotencyRecord(models.Model):
    """The first answer to a write sent with an `Idempotency-Key`; the same request sent again gets it back.

    Inserted (without a response) before the write runs, in the same transaction, so a concurrent duplicate
    waits on the unique (user, key) and then replays the stored answer.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "core_idempotencyrecord"  # its table from when it lived in core (sync/migrations/0001)
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_key_per_user")]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"
