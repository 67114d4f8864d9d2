"""Forms of library: save a plan as a template, name the plan made from a template, start a journey from an idea."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SaveTemplateForm(forms.Form):
    name = forms.CharField(label=_("Name of the template"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("What the template is for, for whoever starts a plan from it."))


class UseTemplateForm(forms.Form):
    name = forms.CharField(label=_("Name of the new plan"), max_length=200, required=False,
                           help_text=_("Leave empty to use the template's name."))


class IdeaForm(forms.Form):
    name = forms.CharField(label=_("Name of the journey"), max_length=200, required=False,
                           help_text=_("Leave empty to use the idea's name."))
    persona = forms.ModelChoiceField(label=_("Persona"), queryset=None, required=False,
                                     empty_label=_("No persona yet"))

    def __init__(self, *args, personas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = personas
