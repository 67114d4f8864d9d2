"""Forms of the feedback pages: one response entered by hand, and the CSV import (file and mode)."""

from datetime import timedelta

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.importers import ImportMode
from assessments.models import SCALES, FeedbackKind, FeedbackResponse

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class FeedbackResponseForm(forms.Form):
    """A response typed in by hand: the score is checked against the scale of its kind."""

    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices, initial=FeedbackKind.NPS)
    score = forms.IntegerField(label=_("Score"), min_value=0, max_value=10,
                               help_text=_("NPS 0–10, CES 1–7, CSAT 1–5."))
    responded_on = forms.DateField(label=_("Date of the response"), input_formats=DATE_FORMATS,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    source = forms.CharField(label=_("Source"), required=False,
                             max_length=FeedbackResponse._meta.get_field("source").max_length,
                             help_text=_("Where it comes from: a survey, a store review, a call…"))
    verbatim = forms.CharField(label=_("Verbatim"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("What the customer said, in their words (optional)."))

    FIELDS = ("kind", "score", "responded_on", "source", "verbatim")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responded_on"].initial = timezone.localdate

    def clean_responded_on(self):
        day = self.cleaned_data["responded_on"]
        if day > timezone.localdate() + timedelta(days=1):
            raise forms.ValidationError(_("The date is in the future."))
        return day

    def clean(self):
        data = super().clean()
        kind, score = data.get("kind"), data.get("score")
        if kind in SCALES and score is not None:
            low, high = SCALES[kind]
            if not low <= score <= high:
                self.add_error("score", _("A %(kind)s score is a whole number from %(low)s to %(high)s.")
                               % {"kind": kind.upper(), "low": low, "high": high})
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name].strip() if isinstance(data[name], str) else data[name] for name in self.FIELDS}


class FeedbackImportForm(forms.Form):
    """A CSV file of responses and what to do when some rows are wrong."""

    file = forms.FileField(label=_("CSV file"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
                           help_text=_("UTF-8, comma or semicolon separated, at most 50 MB."))
    mode = forms.ChoiceField(label=_("If some rows are wrong"), choices=ImportMode.choices,
                             initial=ImportMode.ALL_OR_NOTHING, widget=forms.RadioSelect)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("This file is %(size)s; the limit is %(limit)s. Split it into smaller "
                                          "files.") % {"size": filesizeformat(upload.size),
                                                       "limit": filesizeformat(MAX_UPLOAD_BYTES)})
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Choose a .csv file (save the spreadsheet as “CSV UTF-8”)."))
        return upload
