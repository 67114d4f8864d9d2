"""Serializers of the journey-mapping API. Related fields only accept objects the caller may see.

Cross-object rules (same plan, same organisation) are checked here so the 400 names the field; the services
check them again, because the pages and imports write through them too.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers

from core.api.external_ids import ExternalIdSerializerMixin
from core.api.fields import PageIdsField
from planning import selectors
from planning.models import Channel, Journey, Persona, Stage, StageTemplate, Stakeholder, Touchpoint
from planning.services import BUILTIN_STAGE_TEMPLATES
from tenancy import selectors as tenancy_selectors
from tenancy.api.serializers import COMMON, EXTERNAL
from tenancy.models import Plan


def _user(field):
    """The requesting user; anonymous without a request (schema generation), so nothing is visible."""
    request = field.context.get("request")
    return getattr(request, "user", None) or AnonymousUser()


class ScopedSerializer(serializers.ModelSerializer):
    """Sets each related field's queryset to what the requesting user may see (nothing without a request).

    Those querysets only validate input. A read (GET, HEAD, OPTIONS) takes none, so its related fields accept
    nothing instead of paying for selectors it never runs. The browsable API's forms and OPTIONS' description are
    built under the method they are for (POST, PUT: DRF's override_method), so they still offer only visible objects.
    """

    scoped: dict = {}  # field name -> function(user) returning the visible queryset

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        reading = request is not None and request.method in permissions.SAFE_METHODS
        user = _user(self)
        preloaded = self.context.get("preloaded_querysets", {})  # a bulk upsert's (sync.api.upsert)
        for name, visible in self.scoped.items():
            field = self.fields.get(name)
            if field is None or field.read_only:
                continue
            relation = getattr(field, "child_relation", field)
            if reading:
                relation.queryset = relation.queryset.none()
            else:
                relation.queryset = preloaded[name] if name in preloaded else visible(user)

    def refuse_change(self, attrs, name, message):
        """Fields that say where an object lives are set on creation only."""
        if self.instance is not None and name in attrs:
            if attrs[name] != getattr(self.instance, name):
                raise serializers.ValidationError({name: message})
            del attrs[name]


def _plans(user):
    return tenancy_selectors.plan_list(user=user)


def _channels(user):
    return selectors.channel_list(user=user)


def _teams(user):
    return tenancy_selectors.team_list(user=user).prefetch_related(None)


PLAN_FIXED = _("An object cannot move to another plan; create it in the other plan instead.")


class ChannelSerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """A channel of the organisation's catalogue; `kind` puts its lane among the online or offline ones."""

    scoped = {"organisation": lambda user: tenancy_selectors.organisation_list(user=user)}

    class Meta:
        model = Channel
        fields = (*COMMON, *EXTERNAL, "organisation", "name", "kind", "position", "is_builtin")
        read_only_fields = ("is_builtin",)
        extra_kwargs = {"position": {"required": False}}
        validators = []  # the (organisation, name) uniqueness is checked in validate() with a field message

    def validate(self, attrs):
        self.refuse_change(attrs, "organisation", _("A channel cannot move to another organisation."))
        organisation = attrs.get("organisation") or getattr(self.instance, "organisation", None)
        name = attrs.get("name")
        if organisation is not None and name:
            same = Channel.objects.filter(organisation=organisation, name=name.strip())
            if self.instance is not None:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                raise serializers.ValidationError({"name": _("This organisation already has a channel of that name.")})
        return attrs


class PersonaSerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """A representative customer of a plan."""

    scoped = {"plan": _plans, "preferred_channels": _channels}
    photo = serializers.ImageField(read_only=True, help_text=_(
        "The photo's URL, or null. Upload it with PUT /api/v1/personas/{id}/photo/ (multipart/form-data)."))
    initials = serializers.CharField(read_only=True, help_text=_("Shown instead of a photo."))
    preferred_channels = PageIdsField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Channel.objects.none()), required=False)

    class Meta:
        model = Persona
        fields = (*COMMON, *EXTERNAL, "plan", "name", "photo", "initials", "description", "goals", "frustrations",
                  "preferred_channels", "quote", "segment_size", "revenue_share", "evidence")

    def validate(self, attrs):
        self.refuse_change(attrs, "plan", PLAN_FIXED)
        plan = attrs.get("plan") or getattr(self.instance, "plan", None)
        for channel in attrs.get("preferred_channels", ()):
            if plan is not None and channel.organisation_id != plan.organisation_id:
                raise serializers.ValidationError(
                    {"preferred_channels": _("Channel %(id)s belongs to another organisation.") % {"id": channel.pk}})
        return attrs


class PersonaPhotoSerializer(serializers.Serializer):
    """The one file upload of the API (multipart/form-data)."""

    photo = serializers.ImageField(help_text=_("A PNG, JPEG, GIF or WebP image."))


class PersonaCopySerializer(serializers.Serializer):
    """Where to copy a persona."""

    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.none(),
                                              help_text=_("The plan to copy the persona into (same organisation)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = _plans(_user(self))


class StakeholderSerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """A workshop participant: title, team and objective."""

    scoped = {"plan": _plans, "team": _teams}

    class Meta:
        model = Stakeholder
        fields = (*COMMON, *EXTERNAL, "plan", "name", "title", "team", "objective")

    def validate(self, attrs):
        self.refuse_change(attrs, "plan", PLAN_FIXED)
        plan = attrs.get("plan") or getattr(self.instance, "plan", None)
        team = attrs.get("team")
        if team is not None and plan is not None and team.organisation_id != plan.organisation_id:
            raise serializers.ValidationError({"team": _("This team belongs to another organisation.")})
        return attrs


@extend_schema_field({
    "oneOf": [
        {"type": "string", "enum": sorted(BUILTIN_STAGE_TEMPLATES)},
        {"type": "integer", "description": "The id of one of the organisation's saved stage templates."},
        {"type": "array", "items": {"type": "string", "maxLength": 120}, "minItems": 1},
    ],
    "description": ('Stages to start with: "purchase" (discovery > research > conversion > after-sales), '
                    '"lifecycle" (awareness > acquisition > onboarding > engagement > retention > advocacy), '
                    "the id of a saved stage template, or a list of stage names. Creation only."),
})
class StageTemplateField(serializers.Field):
    """A built-in template key, a saved template's id, or a list of stage names."""

    default_error_messages = {
        "invalid": _('Give "purchase", "lifecycle", the id of a saved stage template, or a list of stage names.'),
        "unknown": _("No such stage template."),
        "too_long": _("Stage names are at most 120 characters."),
    }

    def to_internal_value(self, data):
        if isinstance(data, list):
            names = [str(name).strip() for name in data if isinstance(name, str | int) and str(name).strip()]
            if not names or len(names) != len(data):
                self.fail("invalid")
            if any(len(name) > 120 for name in names):
                self.fail("too_long")
            return names
        if isinstance(data, str) and data in BUILTIN_STAGE_TEMPLATES:
            return data
        if (isinstance(data, int) and not isinstance(data, bool)) or (isinstance(data, str) and data.isdigit()):
            organisations = tenancy_selectors.organisation_list(user=_user(self)).values("pk")
            template = StageTemplate.objects.filter(pk=int(data), organisation__in=organisations).first()
            if template is None:
                self.fail("unknown")
            return template
        self.fail("invalid")

    def to_representation(self, value):  # write-only; never rendered
        return value


class JourneySerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """One persona's journey; `template` (creation only) gives it its first stages."""

    scoped = {"plan": _plans, "persona": lambda user: selectors.persona_list(user=user).prefetch_related(None),
              "based_on": lambda user: selectors.journey_list(user=user)}
    template = StageTemplateField(write_only=True, required=False)
    stage_count = serializers.IntegerField(read_only=True)
    touchpoint_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Journey
        fields = (*COMMON, *EXTERNAL, "plan", "persona", "name", "description", "state", "based_on", "template",
                  "stage_count", "touchpoint_count")

    def validate(self, attrs):
        self.refuse_change(attrs, "plan", PLAN_FIXED)
        if self.instance is not None and "template" in attrs:
            raise serializers.ValidationError(
                {"template": _("A template only applies when a journey is created; edit its stages instead.")})
        plan = attrs.get("plan") or getattr(self.instance, "plan", None)
        persona = attrs.get("persona")
        if persona is not None and plan is not None and persona.plan_id != plan.pk:
            raise serializers.ValidationError({"persona": _("This persona belongs to another plan.")})
        based_on = attrs.get("based_on")
        if based_on is not None and plan is not None and based_on.plan_id != plan.pk:
            raise serializers.ValidationError({"based_on": _("This journey belongs to another plan.")})
        if based_on is not None and self.instance is not None and based_on.pk == self.instance.pk:
            raise serializers.ValidationError({"based_on": _("A journey cannot be drawn from itself.")})
        template = attrs.get("template")
        if isinstance(template, StageTemplate) and template.organisation_id != plan.organisation_id:
            raise serializers.ValidationError({"template": _("This stage template belongs to another organisation.")})
        return attrs


class StageSerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """A step of a journey, a column of the map; its plan follows the journey."""

    scoped = {"journey": lambda user: selectors.journey_list(user=user).select_related("plan")}
    position = serializers.IntegerField(
        min_value=0, required=False,
        help_text=_("0-based order in the journey; the other stages are renumbered. Default: at the end."))

    class Meta:
        model = Stage
        fields = (*COMMON, *EXTERNAL, "plan", "journey", "name", "position")
        read_only_fields = ("plan",)

    def validate(self, attrs):
        self.refuse_change(attrs, "journey", _("A stage cannot move to another journey."))
        return attrs


class TouchpointSerializer(ExternalIdSerializerMixin, ScopedSerializer):
    """A touchpoint in a stage, through a channel; its plan and journey follow the stage."""

    scoped = {"stage": lambda user: selectors.stage_list(user=user).select_related("plan", "journey__plan"),
              "channel": _channels, "team": _teams}

    class Meta:
        model = Touchpoint
        fields = (*COMMON, *EXTERNAL, "plan", "journey", "stage", "channel", "name", "customer_action",
                  "company_response", "team", "position", "evidence")
        read_only_fields = ("plan", "journey")
        extra_kwargs = {
            "plan": {"help_text": _("The stage's plan.")},
            "journey": {"help_text": _("The stage's journey.")},
            "position": {"required": False,
                         "help_text": _("Order within the cell (stage x channel); default: at the end.")},
        }

    def validate(self, attrs):
        stage = attrs.get("stage")
        if self.instance is not None and stage is not None:
            if stage.plan_id != self.instance.plan_id:
                raise serializers.ValidationError({"stage": _("This stage belongs to another plan.")})
            if stage.journey_id != self.instance.journey_id:
                raise serializers.ValidationError({"stage": _("This stage belongs to another journey.")})
        plan = stage.plan if stage is not None else self.instance.plan
        for name in ("channel", "team"):
            related = attrs.get(name)
            if related is not None and related.organisation_id != plan.organisation_id:
                raise serializers.ValidationError(
                    {name: _("This %(kind)s belongs to another organisation than the plan.") % {"kind": name}})
        return attrs
