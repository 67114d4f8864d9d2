"""Forms of the listening pages: the indicators' filters, the import (file, mode, column mapping), a competitor."""

from datetime import timedelta

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.importers import ImportMode
from assessments.models import Theme
from listening.importers import FIELDS
from listening.statistics import Scope
from planning.models import Channel, Persona

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def default_start(today):
    """The first day of the month eleven months ago: twelve whole months up to today."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return today.replace(year=year, month=(month - 1) % 12 + 1, day=1)


class IndicatorFilterForm(forms.Form):
    """Period, weekly or monthly series, and a channel, theme or persona to narrow the mentions to."""

    start = forms.DateField(label=_("From"), required=False, input_formats=DATE_FORMATS,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("To"), required=False, input_formats=DATE_FORMATS,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    granularity = forms.ChoiceField(label=_("Series"), required=False,
                                    choices=[("month", _("Monthly")), ("week", _("Weekly"))])
    channel = forms.ModelChoiceField(label=_("Channel"), required=False, queryset=Channel.objects.none(),
                                     empty_label=_("All channels"))
    theme = forms.ModelChoiceField(label=_("Theme"), required=False, queryset=Theme.objects.none(),
                                   empty_label=_("All themes"))
    persona = forms.ModelChoiceField(label=_("Persona"), required=False, queryset=Persona.objects.none(),
                                     empty_label=_("All personas"))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["channel"].queryset = Channel.objects.filter(organisation_id=plan.organisation_id)
        self.fields["theme"].queryset = Theme.objects.filter(organisation_id=plan.organisation_id).select_related(
            "parent").order_by("parent__name", "name")
        self.fields["persona"].queryset = Persona.objects.filter(plan=plan)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period starts after it ends."))
        return data

    def scope(self) -> Scope:
        """The filters as a Scope; the last twelve months when the form is empty or wrong."""
        data = self.cleaned_data if self.is_valid() else {}
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or default_start(end)
        if (end - start).days > 3 * 366:  # a weekly series of more than three years is unreadable
            start = end - timedelta(days=3 * 366)
        return Scope(plan_id=self.plan.pk, organisation_id=self.plan.organisation_id, start=start, end=end,
                     channel_id=getattr(data.get("channel"), "pk", None),
                     theme_id=getattr(data.get("theme"), "pk", None),
                     persona_id=getattr(data.get("persona"), "pk", None),
                     granularity=data.get("granularity") or "month")


class MentionImportForm(forms.Form):
    """A CSV or XLSX export of a listening tool, what to do with wrong rows, and where its columns are."""

    file = forms.FileField(label=_("CSV or Excel file"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
                           help_text=_("UTF-8 CSV (comma, semicolon or tab) or .xlsx (first sheet), at most 50 MB."))
    mode = forms.ChoiceField(label=_("If some rows are wrong"), choices=ImportMode.choices,
                             initial=ImportMode.ALL_OR_NOTHING, widget=forms.RadioSelect)
    default_channel = forms.ModelChoiceField(
        label=_("Channel of rows without one"), required=False, queryset=Channel.objects.none(),
        help_text=_("Used when the file has no channel column or a row leaves it empty."))
    id_source = forms.CharField(label=_("Tool the ids come from"), required=False, max_length=50,
                                help_text=_("For example talkwalker: the same id from the same tool updates the "
                                            "mention instead of adding it again."))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_channel"].queryset = Channel.objects.filter(organisation_id=plan.organisation_id)
        for name in FIELDS:
            self.fields[f"column_{name}"] = forms.CharField(
                label=name, required=False, max_length=200,
                help_text=_("The header of this column in your file, if the import does not recognise it."))

    def mapping_fields(self):
        return [self[f"column_{name}"] for name in FIELDS]

    def mapping(self) -> dict:
        return {name: self.cleaned_data.get(f"column_{name}", "").strip() for name in FIELDS
                if self.cleaned_data.get(f"column_{name}", "").strip()}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("This file is %(size)s; the limit is %(limit)s. Split it into smaller "
                                          "files.") % {"size": filesizeformat(upload.size),
                                                       "limit": filesizeformat(MAX_UPLOAD_BYTES)})
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload


class CompetitorForm(forms.Form):
    name = forms.CharField(label=_("Competitor"), max_length=120)
