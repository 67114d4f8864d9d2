"""Forms of the journey pages: journeys, stages, touchpoints and card moves.

Plain forms (not ModelForms) on purpose: a ModelForm writes the submitted values into its instance while
validating, and the services need the instance as it was loaded to record the before/after of each field.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from planning.models import Channel, EvidenceLevel, Journey, JourneyState, Persona, Stage, StageTemplate, Touchpoint
from planning.services import BUILTIN_STAGE_TEMPLATES
from tenancy.models import Team

CUSTOM = "custom"
SAVED_PREFIX = "saved:"
MAX_STAGES = 20
STAGE_NAME_LENGTH = Stage._meta.get_field("name").max_length


def _version_field():
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class _JourneyFields(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=Journey._meta.get_field("name").max_length,
                           help_text=_("For example: welcome new customers, re-engage lapsed customers."))
    persona = forms.ModelChoiceField(label=_("Persona"), queryset=Persona.objects.none(), required=False,
                                     empty_label=_("No persona yet"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    state = forms.ChoiceField(label=_("State"), choices=JourneyState.choices, initial=JourneyState.CURRENT,
                              required=False,
                              help_text=_("As-is: how the journey goes today. To-be: how it should go."))

    def clean_state(self):
        return self.cleaned_data["state"] or JourneyState.CURRENT

    def __init__(self, *args, personas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = personas


class JourneyCreateForm(_JourneyFields):
    template = forms.ChoiceField(label=_("Stages"), widget=forms.RadioSelect)
    custom_stages = forms.CharField(label=_("Custom stages, one per line"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved = {f"{SAVED_PREFIX}{t.pk}": t for t in templates}
        choices = [(key, " › ".join(gettext(name) for name in names))
                   for key, (_label, names) in BUILTIN_STAGE_TEMPLATES.items()]
        choices += [(key, f"{t.name}: {' › '.join(t.stages)}") for key, t in self.saved.items()]
        choices.append((CUSTOM, _("Custom stages (type them below)")))
        self.fields["template"].choices = choices
        self.fields["template"].initial = "purchase"

    def clean(self):
        data = super().clean()
        key = data.get("template")
        if key == CUSTOM:
            names = [line.strip() for line in data.get("custom_stages", "").splitlines() if line.strip()]
            if not names:
                self.add_error("custom_stages", _("Type at least one stage name, one per line."))
            elif len(names) > MAX_STAGES:
                self.add_error("custom_stages", _("A journey has at most %d stages.") % MAX_STAGES)
            elif any(len(name) > STAGE_NAME_LENGTH for name in names):
                self.add_error("custom_stages", _("A stage name has at most %d characters.") % STAGE_NAME_LENGTH)
            data["stages_from"] = names
        elif key in self.saved:
            data["stages_from"] = self.saved[key]
        elif key:
            data["stages_from"] = key
        return data


class JourneyEditForm(_JourneyFields):
    version = _version_field()


class StageForm(forms.Form):
    name = forms.CharField(label=_("Stage name"), max_length=STAGE_NAME_LENGTH)
    version = _version_field()


class StageMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("left", _("Left")), ("right", _("Right"))])
    version = _version_field()


class StageTemplateForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=StageTemplate._meta.get_field("name").max_length)


class VersionForm(forms.Form):
    version = _version_field()


class TouchpointForm(forms.Form):
    """Add (in a cell: stage and channel hidden) or edit (stage and channel selectable, to move without dragging)."""

    name = forms.CharField(label=_("Touchpoint"), max_length=Touchpoint._meta.get_field("name").max_length)
    customer_action = forms.CharField(label=_("What the customer does"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    company_response = forms.CharField(label=_("How the company responds"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    team = forms.ModelChoiceField(label=_("Owning team"), queryset=Team.objects.none(), required=False,
                                  empty_label=_("No team yet"))
    evidence = forms.ChoiceField(label=_("Evidence"), choices=EvidenceLevel.choices, initial=EvidenceLevel.ASSUMED)
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=Stage.objects.none(), empty_label=None)
    channel = forms.ModelChoiceField(label=_("Channel"), queryset=Channel.objects.none(), empty_label=None)
    version = _version_field()

    FIELDS = ("name", "customer_action", "company_response", "team", "evidence", "stage", "channel")

    def __init__(self, *args, journey, in_cell=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = journey.plan.organisation.teams.order_by("name")
        self.fields["stage"].queryset = journey.stages.order_by("position", "id")
        self.fields["channel"].queryset = Channel.objects.filter(organisation_id=journey.plan.organisation_id)
        if in_cell:
            self.fields["stage"].widget = forms.HiddenInput()
            self.fields["channel"].widget = forms.HiddenInput()
            del self.fields["version"]

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class TouchpointMoveForm(forms.Form):
    """Where a dragged card was dropped: a cell (stage, channel) and the card it now sits before, if any."""

    stage = forms.ModelChoiceField(queryset=Stage.objects.none())
    channel = forms.ModelChoiceField(queryset=Channel.objects.none())
    before = forms.ModelChoiceField(queryset=Touchpoint.objects.none(), required=False)
    version = forms.IntegerField(min_value=0)

    def __init__(self, *args, touchpoint, **kwargs):
        super().__init__(*args, **kwargs)
        self.touchpoint = touchpoint
        self.fields["stage"].queryset = Stage.objects.filter(journey_id=touchpoint.journey_id)
        organisation_id = touchpoint.journey.plan.organisation_id
        self.fields["channel"].queryset = Channel.objects.filter(organisation_id=organisation_id)
        self.fields["before"].queryset = Touchpoint.objects.filter(journey_id=touchpoint.journey_id)

    def clean_before(self):
        before = self.cleaned_data.get("before")
        if before is not None and before.pk == self.touchpoint.pk:
            raise ValidationError(_("A card cannot be placed before itself."))
        return before
