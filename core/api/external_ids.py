"""External ids in the API: the serializer fields every ExternalIdModel resource shares (core.models)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError


class ExternalIdSerializerMixin(serializers.Serializer):
    """`external_source` and `external_id` on a model serializer: optional, unchanged when left out (no default
    that a PUT would write), and an id needs its source. Put it first among the serializer's bases."""

    external_source = serializers.CharField(
        max_length=50, required=False, allow_blank=True,
        help_text=_("The system the external id comes from, for example “crm”. Required with an external id."))
    external_id = serializers.CharField(
        max_length=200, required=False, allow_blank=True,
        help_text=_("This object's id in that system. Unique per source within the plan for a plan's objects, "
                    "within the organisation for plans, teams and channels."))

    def get_unique_together_validators(self):
        # The model's own validation names the clash in a sentence; DRF's generic validator would also make
        # the fields required on creation.
        return [v for v in super().get_unique_together_validators() if "external_id" not in v.fields]

    def to_internal_value(self, data):
        attrs = super().to_internal_value(data)
        source = attrs.get("external_source", getattr(self.instance, "external_source", ""))
        if attrs.get("external_id", getattr(self.instance, "external_id", "")) and not source:
            raise ValidationError({"external_source": [_("Give the source of the external id.")]})
        return attrs


def external_fields(data: dict) -> dict:
    """The external source and id present in validated data, for services that take them as keywords."""
    return {name: data[name] for name in ("external_source", "external_id") if name in data}
