"""Voice of the customer on verbatims: an organisation's themes (macro > micro), keyword rules, free tags, and what
each verbatim carries (themes set by hand or by a rule, tags, a sentiment that a person may correct)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Theme(TimeStampedModel):
    """A macro theme (no parent) or a micro theme under a macro theme: two levels, never more."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("macro theme"))
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "parent", "name"], name="theme_unique_name",
                                    nulls_distinct=False,
                                    violation_error_message=_("There is already a theme of that name here.")),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("A micro theme sits under a macro theme: two levels only.")})
        if self.parent_id and self.parent.organisation_id != self.organisation_id:
            raise ValidationError({"parent": _("The macro theme belongs to another organisation.")})


class ThemeRule(TimeStampedModel):
    """A keyword or phrase that puts its theme on a verbatim: whole words, case and accents ignored."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="rules")
    phrase = models.CharField(_("keyword or phrase"), max_length=120)

    class Meta:
        ordering = ["phrase", "id"]
        verbose_name = _("theme rule")
        verbose_name_plural = _("theme rules")
        constraints = [models.UniqueConstraint(fields=["theme", "phrase"], name="theme_rule_unique_phrase")]

    def __str__(self):
        return self.phrase

    @property
    def organisation_id(self) -> int:
        """The theme's organisation: where the history (tenancy.activity) and the changes feed file the rule."""
        return self.theme.organisation_id


class Tag(TimeStampedModel):
    """A free label an organisation puts on verbatims."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="tag_unique_name")]

    def __str__(self):
        return self.name


class AssignedBy(models.TextChoices):
    HAND = "hand", _("by hand")
    RULE = "rule", _("by a rule")


class VerbatimTheme(models.Model):
    """A theme on a verbatim; a rule's assignment keeps the rule and the words that matched."""

    response = models.ForeignKey("assessments.FeedbackResponse", on_delete=models.CASCADE, related_name="themes",
                                 db_index=False)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    assigned_by = models.CharField(max_length=4, choices=AssignedBy.choices)
    rule = models.ForeignKey(ThemeRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    matched = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "theme"], name="verbatim_theme_once"),
            models.CheckConstraint(condition=Q(assigned_by="hand") | Q(matched__gt=""),
                                   name="verbatim_theme_rule_says_what_matched"),
        ]

    def __str__(self):
        return str(self.theme_id)


class VerbatimTag(models.Model):
    """A tag on a verbatim."""

    response = models.ForeignKey("assessments.FeedbackResponse", on_delete=models.CASCADE, related_name="tags",
                                 db_index=False)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "tag"], name="verbatim_tag_once")]

    def __str__(self):
        return str(self.tag_id)


