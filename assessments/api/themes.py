"""The theme taxonomy over the API: themes (macro and micro, with their rules), rules and tags of an organisation.

Members read them; owners, admins and editors create and delete them (services_themes); another organisation's are
absent (404). Themes and tags are renamed by deleting and creating (no versions, so no If-Match here).
"""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from assessments import services_themes as services
from assessments.models import Tag, Theme, ThemeRule
from core.api import filters as core_filters
from planning.api.journey_serializers import ScopedSerializer
from tenancy import selectors as tenancy_selectors


def _organisations(user):
    return tenancy_selectors.organisation_list(user=user)


def _themes(user):
    return Theme.objects.filter(organisation__in=_organisations(user))


class RuleInThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ThemeRule
        fields = ("id", "phrase")


class ThemeSerializer(ScopedSerializer):
    """A macro theme (no parent) or a micro theme under one, with its keyword rules."""

    scoped = {"organisation": _organisations, "parent": _themes}
    rules = RuleInThemeSerializer(many=True, read_only=True)

    class Meta:
        model = Theme
        fields = ("id", "organisation", "parent", "name", "rules", "created_at", "updated_at")
        validators = []  # the service checks the unique name with a message


class ThemeRuleSerializer(ScopedSerializer):
    """A keyword or phrase (French or English; whole words, case and accents ignored) that sets its theme."""

    scoped = {"theme": _themes}

    class Meta:
        model = ThemeRule
        fields = ("id", "theme", "phrase", "created_at", "updated_at")
        validators = []


class TagSerializer(ScopedSerializer):
    """A free label of the organisation."""

    scoped = {"organisation": _organisations}

    class Meta:
        model = Tag
        fields = ("id", "organisation", "name", "created_at", "updated_at")
        validators = []


class ThemeFilter(core_filters.UpdatedSinceFilterSet):
    class Meta:
        model = Theme
        fields = ("organisation", "parent", "updated_since")


class ThemeRuleFilter(core_filters.UpdatedSinceFilterSet):
    class Meta:
        model = ThemeRule
        fields = ("theme", "updated_since")


class TagFilter(core_filters.UpdatedSinceFilterSet):
    class Meta:
        model = Tag
        fields = ("organisation", "updated_since")


class TaxonomyViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.DestroyModelMixin, viewsets.GenericViewSet):
    ordering_fields = ("name", "created_at", "updated_at")


def _documented(singular: str, plural: str, example: dict):
    return extend_schema_view(
        list=extend_schema(summary=f"List {plural}"), retrieve=extend_schema(summary=f"Get a {singular}"),
        create=extend_schema(summary=f"Create a {singular}",
                             examples=[OpenApiExample(f"New {singular}", value=example, request_only=True)]),
        destroy=extend_schema(summary=f"Delete a {singular}"),
    )


@_documented("theme", "themes", {"organisation": 1, "parent": 3, "name": "Temps d'attente"})
class ThemeViewSet(TaxonomyViewSet):
    """The organisations' themes: macro themes and the micro themes under them, each with its rules."""

    queryset = Theme.objects.none()
    serializer_class = ThemeSerializer
    filterset_class = ThemeFilter

    def get_queryset(self):
        return _themes(self.request.user).prefetch_related("rules")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.theme_create(organisation=data["organisation"], actor=self.request.user,
                                                    name=data["name"], parent=data.get("parent"))

    def perform_destroy(self, instance):
        services.theme_delete(theme=instance, actor=self.request.user)


@_documented("theme rule", "theme rules", {"theme": 4, "phrase": "temps d'attente"})
class ThemeRuleViewSet(TaxonomyViewSet):
    """Keyword rules. A new or deleted rule changes verbatims when the rules run again (on new verbatims, on edits,
    and with "Apply rules to all verbatims" on the organisation's themes page)."""

    queryset = ThemeRule.objects.none()
    serializer_class = ThemeRuleSerializer
    filterset_class = ThemeRuleFilter
    ordering_fields = ("phrase", "created_at", "updated_at")

    def get_queryset(self):
        return ThemeRule.objects.filter(theme__in=_themes(self.request.user)).select_related("theme")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.rule_create(theme=data["theme"], actor=self.request.user, phrase=data["phrase"])

    def perform_destroy(self, instance):
        services.rule_delete(rule=instance, actor=self.request.user)


@_documented("tag", "tags", {"organisation": 1, "name": "Prioritaire"})
class TagViewSet(TaxonomyViewSet):
    """The organisations' free tags (a tag named on a verbatim that does not exist yet is created too)."""

    queryset = Tag.objects.none()
    serializer_class = TagSerializer
    filterset_class = TagFilter

    def get_queryset(self):
        return Tag.objects.filter(organisation__in=_organisations(self.request.user))

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.tag_create(organisation=data["organisation"], actor=self.request.user,
                                                  name=data["name"])

    def perform_destroy(self, instance):
        services.tag_delete(tag=instance, actor=self.request.user)
