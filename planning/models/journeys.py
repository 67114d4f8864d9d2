"""Personas, channels, stage templates, journeys, stages and touchpoints: the journey map of a plan."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ExternalIdModel, VersionedModel, external_id_constraints
from tenancy.models.organisations import Organisation, Team
from tenancy.models.plans import Plan


class EvidenceLevel(models.TextChoices):
    ASSUMED = "assumed", _("Assumed")
    REPORTED = "reported", _("Reported")
    OBSERVED = "observed", _("Observed")
    MEASURED = "measured", _("Measured")


class ChannelKind(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("Offline")


class Channel(ExternalIdModel, VersionedModel):
    """A way customers and the company meet (website, store, phone…); an organisation-wide catalogue."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="channels")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("online or offline"), max_length=10, choices=ChannelKind.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_builtin = models.BooleanField(_("from the standard list"), default=False, editable=False)

    class Meta:
        ordering = ["-kind", "position", "name", "id"]  # online lanes above offline ones
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="channel_unique_name_per_org"),
            models.CheckConstraint(condition=Q(kind__in=ChannelKind.values), name="channel_kind_valid"),
        ] + external_id_constraints("organisation", "channel")

    def __str__(self):
        return self.name


class Persona(ExternalIdModel, VersionedModel):
    """A representative customer of a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="personas")
    name = models.CharField(_("name"), max_length=120)
    photo = models.ImageField(_("photo"), upload_to="personas/%Y/", blank=True)
    description = models.TextField(_("short description"), blank=True)
    goals = models.TextField(_("goals and needs"), blank=True)
    frustrations = models.TextField(_("frustrations"), blank=True)
    preferred_channels = models.ManyToManyField(Channel, blank=True, related_name="personas",
                                                verbose_name=_("preferred channels"))
    quote = models.CharField(_("quote"), max_length=300, blank=True)
    segment_size = models.PositiveIntegerField(_("segment size (customers)"), null=True, blank=True)
    revenue_share = models.DecimalField(
        _("share of revenue (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    evidence = models.CharField(_("evidence"), max_length=10, choices=EvidenceLevel.choices,
                                default=EvidenceLevel.ASSUMED)

    class Meta:
        ordering = ["plan_id", "name", "id"]
        verbose_name = _("persona")
        verbose_name_plural = _("personas")
        constraints = [
            models.CheckConstraint(
                condition=Q(revenue_share__isnull=True) | Q(revenue_share__gte=0, revenue_share__lte=100),
                name="persona_revenue_share_percent",
            ),
        ] + external_id_constraints("plan", "persona")

    def __str__(self):
        return self.name

    @property
    def initials(self) -> str:
        return "".join(word[0] for word in self.name.split()[:2]).upper() or "?"


class StageTemplate(VersionedModel):
    """An organisation's own list of stages, saved from a journey to start others with."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="stage_templates")
    name = models.CharField(_("name"), max_length=120)
    stages = models.JSONField(_("stages"), default=list)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("stage template")
        verbose_name_plural = _("stage templates")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="stage_template_unique_name")]

    def __str__(self):
        return self.name


class JourneyState(models.TextChoices):
    CURRENT = "current", _("Current state (as-is)")
    FUTURE = "future", _("Future state (to-be)")


class Journey(ExternalIdModel, VersionedModel):
    """One persona's journey through ordered stages, within a plan; a future-state journey names the current one
    it was drawn from, so the two emotion curves can be compared."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="journeys")
    persona = models.ForeignKey(Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="journeys",
                                verbose_name=_("persona"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=8, choices=JourneyState.choices, default=JourneyState.CURRENT)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="futures",
                                 verbose_name=_("drawn from the current journey"))

    class Meta:
        ordering = ["plan_id", "name", "id"]
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")
        constraints = external_id_constraints("plan", "journey")

    def __str__(self):
        return self.name


class Stage(ExternalIdModel, VersionedModel):
    """A step of a journey (discovery, research…), a column of the journey map."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["journey_id", "position", "id"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = external_id_constraints("plan", "stage")

    def __str__(self):
        return self.name


class Touchpoint(ExternalIdModel, VersionedModel):
    """A moment where the customer meets the company: in a stage, through a channel."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="touchpoints")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="touchpoints", verbose_name=_("stage"))
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="touchpoints",
                                verbose_name=_("channel"))
    name = models.CharField(_("name"), max_length=200)
    customer_action = models.TextField(_("what the customer does"), blank=True)
    company_response = models.TextField(_("how the company responds"), blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="touchpoints",
                             verbose_name=_("owning team"))
    position = models.FloatField(_("order in the cell"), default=0)
    evidence = models.CharField(_("evidence"), max_length=10, choices=EvidenceLevel.choices,
                                default=EvidenceLevel.ASSUMED)

    class Meta:
        ordering = ["journey_id", "stage__position", "channel_id", "position", "id"]
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        constraints = external_id_constraints("plan", "touchpoint")
        indexes = [
            models.Index(fields=["journey", "stage", "channel", "position"], name="touchpoint_cell_order"),
            models.Index(fields=["plan", "updated_at"], name="touchpoint_plan_updated"),
        ]

    def __str__(self):
        return self.name
