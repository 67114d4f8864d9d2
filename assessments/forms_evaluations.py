"""Forms of the evaluation pages: a team's evaluation, a piece of data captured, and the agreed value.

Plain forms (not ModelForms), as in planning: the services need the instance as it was loaded to record the
before/after of each field, and a ModelForm would write the submitted values into it while validating.
"""

from django import forms
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from assessments.models import DataCaptureItem, FeedbackMode, InformationPushed, Maturity, Rating, Storage

POTENTIAL_CHOICES = [(n, str(n)) for n in range(1, 6)]


def _version_field():
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class EvaluationForm(forms.Form):
    """One team's view of a touchpoint. The maturity radio buttons carry the one-line definition of each level."""

    maturity = forms.TypedChoiceField(label=_("Maturity"), choices=Maturity.choices, coerce=int,
                                      widget=forms.RadioSelect)
    potential_customer = forms.TypedChoiceField(
        label=_("Potential for the customer"), choices=POTENTIAL_CHOICES, coerce=int, widget=forms.RadioSelect,
        help_text=_("1 = little value for the customer, 5 = a lot."))
    potential_brand = forms.TypedChoiceField(
        label=_("Potential for the brand"), choices=POTENTIAL_CHOICES, coerce=int, widget=forms.RadioSelect,
        help_text=_("1 = little value for the brand, 5 = a lot."))
    information_pushed = forms.MultipleChoiceField(
        label=_("Information pushed to the customer"), choices=InformationPushed.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    feedback_mode = forms.ChoiceField(label=_("Feedback mode"), choices=FeedbackMode.choices,
                                      initial=FeedbackMode.NONE, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = _version_field()

    FIELDS = ("maturity", "potential_customer", "potential_brand", "information_pushed", "feedback_mode", "notes")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    def maturity_options(self) -> list[tuple]:
        """(radio, “2 · Managed”, its definition) for each level, so the form shows what each level means."""
        options = []
        for radio in self["maturity"]:
            name, _sep, definition = str(radio.choice_label).partition(":")
            options.append((radio, name.strip(), definition.strip()))
        return options


class DataItemForm(forms.Form):
    data = forms.CharField(label=_("What data"), max_length=DataCaptureItem._meta.get_field("data").max_length)
    source = forms.CharField(label=_("Source"), required=False,
                             max_length=DataCaptureItem._meta.get_field("source").max_length)
    storage = forms.ChoiceField(label=_("Stored in"), choices=Storage.choices, initial=Storage.NONE)
    completeness = forms.ChoiceField(label=_("Completeness"), choices=Rating.choices, initial=Rating.UNKNOWN)
    accessibility = forms.ChoiceField(label=_("Ease of access and use"), choices=Rating.choices,
                                      initial=Rating.UNKNOWN)
    version = _version_field()

    FIELDS = ("data", "source", "storage", "completeness", "accessibility")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class AgreementForm(forms.Form):
    """The value the workshop agreed. A blank field keeps the median of the teams for that field."""

    maturity = forms.TypedChoiceField(label=_("Agreed maturity"), choices=[], coerce=_optional_int,
                                      empty_value=None, required=False)
    potential_customer = forms.TypedChoiceField(
        label=_("Agreed potential for the customer"), choices=[("", _("Median of the teams"))] + POTENTIAL_CHOICES,
        coerce=_optional_int, empty_value=None, required=False)
    potential_brand = forms.TypedChoiceField(
        label=_("Agreed potential for the brand"), choices=[("", _("Median of the teams"))] + POTENTIAL_CHOICES,
        coerce=_optional_int, empty_value=None, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Why the workshop settled on this value, for whoever reads the plan later."))
    version = _version_field()

    FIELDS = ("maturity", "potential_customer", "potential_brand")

    def __init__(self, *args, medians: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The short names only (“2 · Managed”): the definitions are on the teams' forms and would not fit here.
        self.fields["maturity"].choices = [("", _("Median of the teams"))] + [
            (value, str(label).partition(":")[0].strip()) for value, label in Maturity.choices]
        # Say what "the median" currently is, so leaving a field blank is an informed choice.
        for name, value in (medians or {}).items():
            if value is not None:
                field = self.fields[name]
                label = _("Median of the teams (%s)") % floatformat(value, -1)
                field.choices = [("", label)] + list(field.choices)[1:]

    def clean(self):
        data = super().clean()
        if all(data.get(name) is None for name in self.FIELDS) and not self.errors:
            raise forms.ValidationError(_("Choose at least one agreed value, or go back to the median."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
