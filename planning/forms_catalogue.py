"""Forms of the catalogue pages: personas, stakeholders, channels, and the stale-save merge they share."""

import os

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from core.editing import keep_typed
from planning.models import Channel, ChannelKind, Persona, Stakeholder

MAX_PHOTO_BYTES = 2 * 1024 * 1024


def _comparable(value):
    """A value as stored, so that what was typed and what is saved compare equal when they mean the same."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile | UploadedFile):
        return value.name or ""
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(_comparable(item) for item in value)
    if value is None or value is False:
        return ""
    return value


def _shown(instance, field) -> str:
    """How a saved field reads on the page (choice labels, names of related objects, a photo's file name)."""
    if field.many_to_many:
        return ", ".join(str(item) for item in getattr(instance, field.name).all())
    value = getattr(instance, field.name)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(getattr(instance, f"get_{field.name}_display")())
    if isinstance(value, FieldFile):
        return os.path.basename(value.name)
    return str(value)


class VersionedForm(forms.ModelForm):
    """A model form that never touches the loaded row: it carries the version and merges a stale save.

    Bound without an instance (the row's values come in as `initial`), so validating it cannot change the object
    the service then diffs against.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, instance) -> dict:
        return {**model_to_dict(instance, fields=cls._meta.fields), "version": instance.version}

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def stale(self, current, message) -> list:
        """After StaleVersion: keep what was typed, base the next save on their version, and return their values
        where they differ from ours, as (bound field, their value) pairs for partials/conflict.html."""
        theirs = []
        for name in self._meta.fields:
            field = current._meta.get_field(name)
            saved = getattr(current, name).all() if field.many_to_many else getattr(current, field.attname)
            if _comparable(saved) != _comparable(self.cleaned_data.get(name)):
                theirs.append((self[name], _shown(current, field)))
        keep_typed(self, current, message)
        return theirs


class PersonaForm(VersionedForm):
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)
    field_order = ["name", "photo", "remove_photo"]

    class Meta:
        model = Persona
        fields = ("name", "photo", "description", "goals", "frustrations", "preferred_channels", "quote",
                  "segment_size", "revenue_share", "evidence")
        widgets = {
            "photo": forms.FileInput(attrs={"accept": "image/*"}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "frustrations": forms.Textarea(attrs={"rows": 3}),
            "preferred_channels": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "photo": _("An image (JPEG, PNG, GIF or WebP) of at most 2 MB. Without one, the initials are shown."),
            "evidence": _("How sure are we? Assumed: the team's guess · Reported: staff or customers say so · "
                          "Observed: seen in research · Measured: backed by data."),
            "segment_size": _("How many customers this persona stands for."),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_channels"].queryset = Channel.objects.filter(organisation=organisation)
        if not self.initial.get("photo"):
            del self.fields["remove_photo"]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile) and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("The photo is too large (%(size)s MB); the limit is 2 MB."),
                                        params={"size": f"{photo.size / 1024 / 1024:.1f}"})
        return photo

    def changes(self) -> dict:
        """Every field, except the photo when it was left as it was."""
        data = super().changes()
        photo = data.pop("photo")
        if isinstance(photo, UploadedFile):
            data["photo"] = photo
        elif self.cleaned_data.get("remove_photo"):
            data["photo"] = ""
        return data

    @property
    def new_photo(self) -> bool:
        return isinstance(self.cleaned_data.get("photo"), UploadedFile)


class PersonaCopyForm(forms.Form):
    """Pick a persona from another plan of the same organisation (only plans the user can see are offered)."""

    persona = forms.ModelChoiceField(label=_("Persona to copy"), queryset=Persona.objects.none())

    def __init__(self, *args, personas, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["persona"]
        field.queryset = personas
        field.label_from_instance = lambda persona: f"{persona.plan.name} › {persona.name}"


class StakeholderForm(VersionedForm):
    class Meta:
        model = Stakeholder
        fields = ("name", "title", "team", "objective")
        widgets = {"objective": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"objective": _("What this person wants the project to achieve.")}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = organisation.teams.all()


class ChannelForm(VersionedForm):
    class Meta:
        model = Channel
        fields = ("name", "kind")
        labels = {"kind": _("Online or offline")}
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, organisation, channel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.channel = channel
        self.fields["kind"].choices = ChannelKind.choices  # no empty choice: a channel is one or the other
        self.fields["kind"].initial = ChannelKind.ONLINE

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = self.organisation.channels.filter(name__iexact=name)
        if self.channel is not None:
            others = others.exclude(pk=self.channel.pk)
        if others.exists():
            raise forms.ValidationError(_("The organisation already has a channel called “%(name)s”."),
                                        params={"name": name})
        return name
