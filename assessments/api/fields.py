"""Choice fields documented as one named enum component each (LevelEnum, RatingEnum, FeedbackKindEnum,
AuditKindEnum), shared by every field on the same choices.

drf-spectacular names an enum after the field that uses it, so channel_level, engagement_level and the targets
would each get their own name for the one I–IV scale, and the several fields called "kind" would collide. A
field extension puts a reference to one component in their place instead.
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from assessments.models import AuditKind, FeedbackKind, Level, Rating


class NamedChoiceField(serializers.ChoiceField):
    """A choice field over `choice_set`, documented as the enum component `component`."""

    choice_set: type = Level
    component = ""
    value_type = "string"

    def __init__(self, **kwargs):
        super().__init__(choices=self.choice_set.choices, **kwargs)

    @classmethod
    def component_schema(cls) -> dict:
        return {"type": cls.value_type, "enum": list(cls.choice_set.values),
                "description": "\n".join(f"* `{value}` - {label}" for value, label in cls.choice_set.choices)}


class LevelField(NamedChoiceField):
    """A maturity level, 1 to 4 (I to IV)."""

    choice_set, component, value_type = Level, "LevelEnum", "integer"


class RatingField(NamedChoiceField):
    choice_set, component = Rating, "RatingEnum"


class FeedbackKindField(NamedChoiceField):
    choice_set, component = FeedbackKind, "FeedbackKindEnum"


class AuditKindField(NamedChoiceField):
    choice_set, component = AuditKind, "AuditKindEnum"


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        component = ResolvedComponent(name=field.component, type=ResolvedComponent.SCHEMA, object=field.component,
                                      schema=field.component_schema())
        auto_schema.registry.register_on_missing(component)
        if field.allow_null:
            return {"allOf": [component.ref], "nullable": True}
        return component.ref
