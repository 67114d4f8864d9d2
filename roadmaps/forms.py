"""Forms of the roadmap pages: an item (links, timing, scoring inputs, manual rank), the scoring method, criteria,
and the board's move. Forms only shape input; the services check access, same-plan links and cycles."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from assessments.models import AuditItem, AuditStep
from experience.models import Opportunity
from planning.forms_catalogue import VersionedForm, _comparable
from planning.models import Touchpoint
from roadmaps.models import Horizon, RoadmapItem, ScoringCriterion, ScoringMethod
from roadmaps.scoring import FORMULAS

QUARTER = re.compile(r"^\d{4}-Q[1-4]$")
RATINGS = [("", "—"), *((n, str(n)) for n in range(1, 6))]

# Which scoring inputs each method reads (the form shows all, marking the plan's).
METHOD_INPUTS = {
    ScoringMethod.VALUE_EFFORT: ("value", "effort"),
    ScoringMethod.RICE: ("reach", "impact", "confidence", "effort"),
    ScoringMethod.WSJF: ("business_value", "time_criticality", "risk_reduction", "job_size"),
}


def criterion_field_name(criterion) -> str:
    return f"criterion_{criterion.pk}"


def _opportunity_label(opportunity) -> str:
    return f"{opportunity.journey.name} · {opportunity.stage.name} · {opportunity.title}"


class RoadmapItemForm(VersionedForm):
    """Every field of a roadmap item. Related choices are the plan's own (teams: the organisation's)."""

    class Meta:
        model = RoadmapItem
        fields = ("title", "category", "description", "owner", "status", "teams", "touchpoints", "objectives",
                  "audit_gaps", "opportunities", "horizon", "quarter", "start_date", "end_date", "dependencies",
                  "value", "effort", "reach", "impact", "confidence", "business_value", "time_criticality",
                  "risk_reduction", "job_size", "manual_rank", "manual_rank_reason")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "teams": forms.CheckboxSelectMultiple,
            "touchpoints": forms.CheckboxSelectMultiple,
            "objectives": forms.CheckboxSelectMultiple,
            "audit_gaps": forms.CheckboxSelectMultiple,
            "opportunities": forms.CheckboxSelectMultiple,
            "dependencies": forms.CheckboxSelectMultiple,
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "impact": forms.NumberInput(attrs={"step": "0.25", "min": "0.25", "max": "3"}),
            "manual_rank_reason": forms.Textarea(attrs={"rows": 2}),
            "quarter": forms.TextInput(attrs={"placeholder": "2027-Q2", "pattern": r"\d{4}-[Qq][1-4]"}),
        }
        help_texts = {
            "teams": _("Every team that works on it: projects are cross-functional."),
            "touchpoints": _("The touchpoints it improves; their gap between potential and maturity suggests its "
                             "value."),
            "objectives": _("The stakeholders whose objective it serves."),
            "audit_gaps": _("What the data and content audits found missing (needs and wishes)."),
            "opportunities": _("The opportunities of the journey maps it answers, and through them their pain "
                               "points."),
            "dependencies": _("Items that must be done first. A chain that leads back to this item is refused."),
            "horizon": _("Now, next or later: its column on the board."),
            "quarter": _("Optional, for example 2027-Q2. Without dates, the timeline draws the whole quarter."),
            "value": _("1 (little) to 10 (a lot): what it brings customers and the brand."),
            "effort": _("1 (a few days) to 10 (a year or more of several teams)."),
            "reach": _("RICE: customers or events it touches per quarter."),
            "impact": _("RICE: 3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal."),
            "confidence": _("RICE: how sure the estimates are, in percent (100 high, 80 medium, 50 low)."),
            "business_value": _("WSJF, 1–21 (1, 2, 3, 5, 8, 13, 21): value to customers and the business."),
            "time_criticality": _("WSJF, 1–21: how much waiting costs (a deadline, a season, a competitor)."),
            "risk_reduction": _("WSJF, 1–21: risk it removes or opportunities it opens."),
            "job_size": _("WSJF, 1–21: the size of the work, relative to the other items."),
            "manual_rank": _("Leave empty to rank by score. A number puts the item at that place, whatever its "
                             "score, and is shown as a manual rank."),
            "manual_rank_reason": _("Required with a manual rank: why the workshop overrode the score."),
        }

    def __init__(self, *args, plan, item=None, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.criteria = plan, list(criteria)
        users = get_user_model().objects.filter(memberships__organisation=plan.organisation_id)
        self.fields["owner"].queryset = users.order_by("first_name", "last_name", "username")
        self.fields["teams"].queryset = plan.organisation.teams.all()
        self.fields["objectives"].queryset = plan.stakeholders.all()
        self.fields["objectives"].label_from_instance = _objective_label
        gaps = AuditItem.objects.filter(plan=plan, step__in=[AuditStep.NEED, AuditStep.WISH]).order_by(
            "kind", "step", "title", "id")
        self.fields["audit_gaps"].queryset = gaps
        self.fields["audit_gaps"].label_from_instance = _audit_label
        self.fields["opportunities"].queryset = Opportunity.objects.filter(plan=plan).select_related(
            "journey", "stage").order_by("journey__name", "stage__position", "title", "id")
        self.fields["opportunities"].label_from_instance = _opportunity_label
        others = RoadmapItem.objects.filter(plan=plan).order_by("title", "id")
        self.fields["dependencies"].queryset = others.exclude(pk=item.pk) if item is not None else others
        self._touchpoints_by_journey(plan)
        for criterion in self.criteria:
            direction = criterion.get_direction_display()
            self.fields[criterion_field_name(criterion)] = forms.TypedChoiceField(
                label=criterion.name, choices=RATINGS, coerce=int, empty_value=None, required=False,
                help_text=_("Custom criterion, weight %(weight)s, %(direction)s. Rate 1 to 5.")
                % {"weight": f"{criterion.weight:g}", "direction": str(direction).lower()})

    def _touchpoints_by_journey(self, plan) -> None:
        field = self.fields["touchpoints"]
        touchpoints = Touchpoint.objects.filter(plan=plan).select_related("journey", "stage").order_by(
            "journey__name", "journey_id", "stage__position", "position", "id")
        field.queryset = touchpoints
        groups: dict = {}
        for touchpoint in touchpoints:
            groups.setdefault(touchpoint.journey, []).append(
                (touchpoint.pk, f"{touchpoint.stage.name} · {touchpoint.name}"))
        field.choices = [(journey.name, choices) for journey, choices in groups.items()]

    @classmethod
    def initial_for(cls, instance, criteria=()) -> dict:
        initial = super().initial_for(instance)
        scores = instance.criteria_scores or {}
        for criterion in criteria:
            initial[criterion_field_name(criterion)] = scores.get(str(criterion.pk))
        return initial

    def clean_quarter(self):
        quarter = self.cleaned_data.get("quarter", "").strip().upper()
        if quarter and not QUARTER.match(quarter):
            raise forms.ValidationError(_("Write the quarter as a year and a quarter, for example 2027-Q2."))
        return quarter

    def clean(self):
        data = super().clean()
        if data.get("manual_rank") is not None and not (data.get("manual_rank_reason") or "").strip():
            self.add_error("manual_rank_reason", _("A manual rank needs a reason."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end must be on or after the start."))
        return data

    def criteria_scores(self) -> dict:
        scores = {}
        for criterion in self.criteria:
            rating = self.cleaned_data.get(criterion_field_name(criterion))
            if rating is not None:
                scores[str(criterion.pk)] = rating
        return scores

    def changes(self) -> dict:
        return {**super().changes(), "criteria_scores": self.criteria_scores()}

    def stale(self, current, message) -> list:
        theirs = super().stale(current, message)
        saved = current.criteria_scores or {}
        for criterion in self.criteria:
            name = criterion_field_name(criterion)
            value = saved.get(str(criterion.pk))
            if _comparable(value) != _comparable(self.cleaned_data.get(name)):
                theirs.append((self[name], value if value is not None else ""))
        return theirs

    def scoring_groups(self, method: str) -> list[dict]:
        """The scoring inputs grouped by method, the plan's method first and marked as used. An input two methods
        share (effort) is drawn once, in the first group; the other names it in `shared`."""
        groups = [{"method": key, "label": ScoringMethod(key).label, "formula": FORMULAS[key], "names": names}
                  for key, names in METHOD_INPUTS.items()]
        groups.append({"method": ScoringMethod.CUSTOM, "label": ScoringMethod.CUSTOM.label,
                       "formula": FORMULAS[ScoringMethod.CUSTOM],
                       "names": [criterion_field_name(c) for c in self.criteria]})
        groups.sort(key=lambda group: group["method"] != method)
        drawn: set[str] = set()
        for group in groups:
            group["used"] = group["method"] == method
            group["fields"] = [self[name] for name in group["names"] if name not in drawn]
            group["shared"] = [self[name].label for name in group["names"] if name in drawn]
            drawn.update(group["names"])
        return groups


def _objective_label(stakeholder) -> str:
    objective = stakeholder.objective if len(stakeholder.objective) <= 90 else stakeholder.objective[:89] + "…"
    return f"{stakeholder.name}: {objective}" if objective else stakeholder.name


def _audit_label(audit) -> str:
    return f"{audit.get_kind_display()} · {audit.get_step_display()}: {audit.title}"


class ScoringMethodForm(forms.Form):
    method = forms.ChoiceField(label=_("Scoring method"), choices=ScoringMethod.choices, widget=forms.RadioSelect)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CriterionForm(VersionedForm):
    class Meta:
        model = ScoringCriterion
        fields = ("name", "weight", "direction")
        widgets = {"weight": forms.NumberInput(attrs={"step": "0.5", "min": "0"})}
        help_texts = {
            "weight": _("How much this criterion counts compared to the others."),
            "direction": _("“Lower is better” for costs and risks: a rating of 1 then counts 5."),
        }

    def __init__(self, *args, plan, criterion=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.criterion = plan, criterion

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        same = ScoringCriterion.objects.filter(plan=self.plan, name__iexact=name)
        if self.criterion is not None:
            same = same.exclude(pk=self.criterion.pk)
        if same.exists():
            raise forms.ValidationError(_("This plan already has a criterion of that name."))
        return name


class MoveForm(forms.Form):
    """A card dropped on the board: its column, the card it now precedes (empty: last) and its version."""

    horizon = forms.ChoiceField(choices=Horizon.choices)
    before = forms.ModelChoiceField(queryset=RoadmapItem.objects.none(), required=False)
    version = forms.IntegerField()

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["before"].queryset = RoadmapItem.objects.filter(plan_id=item.plan_id).exclude(pk=item.pk)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
