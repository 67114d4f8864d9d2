"""Forms of the KPI pages: a KPI, a measurement, and a roadmap item's link to a KPI (from either side)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.editing import keep_typed
from kpis import sources
from kpis.models import MANUAL, Direction, Kpi, KpiLink, Measurement
from planning.forms_catalogue import VersionedForm
from planning.models import Channel, Persona, Touchpoint
from roadmaps.models import RoadmapItem
from tenancy.models import Team

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})


def source_choices() -> list[tuple[str, str]]:
    return [(MANUAL, _("Typed by hand")), *((s.key, s.label) for s in sources.all_sources())]


class KpiForm(VersionedForm):
    source = forms.ChoiceField(label=_("Source"), choices=source_choices,
                               help_text=_("Typed by hand, or computed from the plan's data each month."))

    class Meta:
        model = Kpi
        fields = ("name", "description", "unit", "direction", "baseline_value", "baseline_date", "target_value",
                  "target_date", "owner_team", "source", "touchpoint", "channel", "persona")
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "baseline_date": DATE, "target_date": DATE,
                   "baseline_value": NUMBER, "target_value": NUMBER}
        help_texts = {
            "name": _("For example: repeat purchase rate, churn, NPS, cost of acquisition."),
            "baseline_value": _("Where the KPI stood when the plan started (établir votre référence)."),
            "touchpoint": _("Computed KPIs only: count only this touchpoint's feedback."),
            "channel": _("Computed KPIs only: count only the feedback of this channel's touchpoints."),
            "persona": _("Computed KPIs only: count only the feedback of this persona's journeys."),
        }

    def __init__(self, *args, plan, kpi=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.kpi = plan, kpi
        self.fields["owner_team"].queryset = Team.objects.filter(organisation_id=plan.organisation_id)
        self.fields["touchpoint"].queryset = (Touchpoint.objects.filter(plan=plan).select_related("journey")
                                              .order_by("journey__name", "name", "id"))
        self.fields["touchpoint"].label_from_instance = lambda t: f"{t.journey.name} · {t.name}"
        self.fields["channel"].queryset = Channel.objects.filter(organisation_id=plan.organisation_id)
        self.fields["persona"].queryset = Persona.objects.filter(plan=plan)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        same = Kpi.objects.filter(plan=self.plan, name__iexact=name)
        if self.kpi is not None:
            same = same.exclude(pk=self.kpi.pk)
        if same.exists():
            raise forms.ValidationError(_("This plan already has a KPI of that name."))
        return name

    def clean(self):
        data = super().clean()
        for what, value, day in (("baseline", "baseline_value", "baseline_date"),
                                 ("target", "target_value", "target_date")):
            if (data.get(value) is None) != (data.get(day) is None) and not self.has_error(value) \
                    and not self.has_error(day):
                missing = day if data.get(day) is None else value
                self.add_error(missing, _("A %s needs both a value and a date.") % {"baseline": _("baseline"),
                                                                                   "target": _("target")}[what])
        start, end = data.get("baseline_date"), data.get("target_date")
        if start and end and end <= start:
            self.add_error("target_date", _("The target date must be after the baseline date."))
        low, high = data.get("baseline_value"), data.get("target_value")
        if low is not None and high is not None:
            if data.get("direction") == Direction.HIGHER and high <= low:
                self.add_error("target_value", _("Higher is better: the target must be above the baseline."))
            elif data.get("direction") == Direction.LOWER and high >= low:
                self.add_error("target_value", _("Lower is better: the target must be below the baseline."))
        source = sources.get(data.get("source") or MANUAL)
        for name in ("touchpoint", "channel", "persona"):
            if data.get(name) is not None and (source is None or name not in source.filters):
                self.add_error(name, _("Only a KPI computed from the data can be narrowed this way."))
        return data


class MeasurementForm(VersionedForm):
    class Meta:
        model = Measurement
        fields = ("measured_on", "value", "note")
        widgets = {"measured_on": DATE, "value": NUMBER}

    def __init__(self, *args, kpi, measurement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi, self.measurement = kpi, measurement

    def clean_measured_on(self):
        day = self.cleaned_data["measured_on"]
        same = Measurement.objects.filter(kpi=self.kpi, measured_on=day)
        if self.measurement is not None:
            same = same.exclude(pk=self.measurement.pk)
        if same.exists():
            raise forms.ValidationError(_("This KPI already has a measurement at this date: change that one."))
        return day


class KpiLinkForm(VersionedForm):
    """From the KPI's page the item is chosen; from the item's page the KPI is chosen; editing changes neither."""

    class Meta:
        model = KpiLink
        fields = ("kpi", "item", "expected_change", "note")
        widgets = {"expected_change": NUMBER}

    def __init__(self, *args, plan, kpi=None, item=None, link=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = Kpi.objects.filter(plan=plan)
        self.fields["item"].queryset = RoadmapItem.objects.filter(plan=plan).order_by("title", "id")
        self.fixed = {}
        if link is not None:
            self.fixed = {"kpi": link.kpi, "item": link.item}
        elif kpi is not None:
            self.fixed = {"kpi": kpi}
        elif item is not None:
            self.fixed = {"item": item}
        for name in self.fixed:
            del self.fields[name]

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("expected_change", "note")}

    def chosen(self) -> dict:
        """The KPI and the item of a new link: one fixed by the page, one chosen."""
        return {**self.fixed, **{name: self.cleaned_data[name] for name in ("kpi", "item") if name in self.fields}}

    @classmethod
    def initial_for(cls, instance) -> dict:
        return {"expected_change": instance.expected_change, "note": instance.note, "version": instance.version}

    def stale(self, current, message) -> list:
        theirs = [(self[name], getattr(current, name) if getattr(current, name) is not None else "")
                  for name in ("expected_change", "note") if getattr(current, name) != self.cleaned_data.get(name)]
        keep_typed(self, current, message)
        return theirs
