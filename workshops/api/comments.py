"""`/api/v1/comments/`: comments on touchpoints, personas, evaluations and roadmap items.

List (filtered by plan, object and resolution), read, create (commenters and editors of the plan; @username
mentions of plan members notify them) and resolve (editors). The queryset comes from a selector, so another
organisation's comments are absent (404); writes go through workshops.services.comments.
"""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.filters import UpdatedSinceFilterSet
from core.api.openapi import IF_MATCH_WRITE_PARAMETER, conflict_serializer
from core.api.versioning import VersionedViewSetMixin
from tenancy import selectors
from tenancy.access import Access, require_plan_access
from tenancy.models import Plan
from workshops import selectors as workshop_selectors
from workshops.models import Comment, CommentTarget
from workshops.services.comments import comment_create, comment_resolve


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")


class CommentSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.none())
    author = PersonSerializer(read_only=True)
    resolved_by = PersonSerializer(read_only=True)
    mentions = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    resolved = serializers.BooleanField(source="is_resolved", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "plan", "target_type", "target_id", "body", "author", "mentions", "resolved",
                  "resolved_at", "resolved_by", "version", "created_at", "updated_at"]
        read_only_fields = ["resolved_at", "version", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["plan"].queryset = selectors.plan_list(user=request.user)


class ResolveSerializer(serializers.Serializer):
    resolved = serializers.BooleanField(default=True, help_text=_("false opens the comment again."))


class CommentFilter(UpdatedSinceFilterSet):
    plan = filters.NumberFilter(field_name="plan_id")
    target_type = filters.ChoiceFilter(choices=CommentTarget.choices)
    target_id = filters.NumberFilter()
    resolved = filters.BooleanFilter(field_name="resolved_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Comment
        fields = ["plan", "target_type", "target_id", "resolved", "updated_since"]


@extend_schema_view(
    list=extend_schema(summary="List comments"),
    retrieve=extend_schema(summary="Get a comment"),
    create=extend_schema(summary="Comment on an object", examples=[OpenApiExample(
        "A comment with a mention", request_only=True,
        value={"plan": 1, "target_type": "touchpoint", "target_id": 12,
               "body": "@eddie can the store confirm the stock in real time?"})]),
)
class CommentViewSet(VersionedViewSetMixin, mixins.ListModelMixin,
                     mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Comments of the plans the caller may view. Commenters and editors of a plan comment; editors resolve."""

    queryset = Comment.objects.none()  # for the schema; requests use get_queryset
    serializer_class = CommentSerializer
    filterset_class = CommentFilter
    ordering_fields = ("created_at", "id")
    ordering = ("created_at", "id")

    def get_queryset(self):
        return workshop_selectors.comment_list(user=self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = comment_create(plan=data["plan"], actor=self.request.user,
                                             target_type=data["target_type"], target_id=data["target_id"],
                                             body=data["body"])

    @extend_schema(summary="Resolve a comment (or open it again)", request=ResolveSerializer,
                   parameters=[IF_MATCH_WRITE_PARAMETER],
                   responses={200: CommentSerializer, 412: conflict_serializer(CommentSerializer)})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        comment = self.get_object()
        require_plan_access(request.user, comment.plan, Access.EDIT)
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = comment_resolve(comment=comment, actor=request.user, resolved=body.validated_data["resolved"],
                                  version=self.expected_version())
        comment = self.get_queryset().get(pk=comment.pk)
        return Response(self.get_serializer(comment).data)
