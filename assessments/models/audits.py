"""Data and content audits in three steps (what we have, need, wish for), answering the brief's questions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import VersionedModel


class AuditKind(models.TextChoices):
    DATA = "data", _("Data audit")
    CONTENT = "content", _("Content audit")


class AuditStep(models.TextChoices):
    HAVE = "have", _("What we have")
    NEED = "need", _("What we need")
    WISH = "wish", _("What we wish for")


# The guiding questions of the domain brief, per audit and step: (code, question). Answers live in `answers`.
QUESTIONS = {
    (AuditKind.DATA, AuditStep.HAVE): [
        ("sources", _("Where does it come from (sources)?")),
        ("location", _("Where is it stored?")),
        ("quality", _("How good is its quality?")),
        ("accessibility", _("Is it easy to access and use?")),
        ("completeness", _("Is it complete?")),
    ],
    (AuditKind.DATA, AuditStep.NEED): [
        ("exists", _("Does the data exist?")),
        ("owner", _("Who owns it?")),
        ("collect", _("Can we collect it, and how?")),
    ],
    (AuditKind.DATA, AuditStep.WISH): [
        ("why_hard", _("Why is it hard to get?")),
        ("what_change", _("What would have to change?")),
    ],
    (AuditKind.CONTENT, AuditStep.HAVE): [
        ("message", _("What is the message?")),
        ("audience", _("Who is the audience?")),
        ("storage", _("Where is it stored?")),
        ("channel_fit", _("Does it fit its channel?")),
        ("on_brand", _("Is it on-brand?")),
        ("up_to_date", _("Is it up to date?")),
        ("reusable", _("Can it be reused?")),
    ],
    (AuditKind.CONTENT, AuditStep.NEED): [
        ("missing", _("What content is missing?")),
        ("channel", _("Is it tied to a channel?")),
        ("improves", _("Does it improve the experience?")),
    ],
    (AuditKind.CONTENT, AuditStep.WISH): [
        ("ideal", _("What would the ideal content be?")),
        ("best_channel", _("Which channel suits it?")),
        ("memorable", _("Would customers find it memorable?")),
    ],
}


class AuditItem(VersionedModel):
    """One line of a data or content audit; a need or a wish is a gap that can become a roadmap candidate."""

    plan = models.ForeignKey("tenancy.Plan", on_delete=models.CASCADE, related_name="audit_items")
    kind = models.CharField(_("audit"), max_length=8, choices=AuditKind.choices)
    step = models.CharField(_("step"), max_length=4, choices=AuditStep.choices)
    title = models.CharField(_("title"), max_length=200)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    touchpoints = models.ManyToManyField("planning.Touchpoint", blank=True, related_name="audit_items",
                                         verbose_name=_("touchpoints"))

    class Meta:
        ordering = ["plan_id", "kind", "step", "title", "id"]
        verbose_name = _("audit item")
        verbose_name_plural = _("audit items")
        indexes = [models.Index(fields=["plan", "kind", "step"], name="audit_plan_kind_step")]

    def __str__(self):
        return self.title

    @property
    def is_gap(self) -> bool:
        return self.step in (AuditStep.NEED, AuditStep.WISH)

    def questions(self):
        return QUESTIONS.get((self.kind, self.step), [])

    def clean(self):
        from django.core.exceptions import ValidationError

        allowed = {code for code, _q in self.questions()}
        unknown = set(self.answers or {}) - allowed
        if unknown:
            raise ValidationError({"answers": _("Questions not asked at this step: %s") % ", ".join(sorted(unknown))})
