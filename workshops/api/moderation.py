"""`/api/v1/pending-comments/`: share link visitors' comments held for moderation; the plan's editors list them,
approve them (everyone who views the plan then sees them, and they become plan history) or reject them (deleted).

Another organisation's comments are absent (404); someone who views the plan but may not edit it (viewer,
commenter) gets 403, as on the plan's "Visitors' comments" page (workshops/views/external.py).
"""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api.filters import UpdatedSinceFilterSet
from tenancy.access import Access, plan_access
from tenancy.models import Plan
from workshops import selectors
from workshops.api.comments import CommentSerializer
from workshops.models import Comment, CommentTarget
from workshops.services.external import comment_moderate


class PendingCommentSerializer(serializers.ModelSerializer):
    share_link = serializers.SlugRelatedField(slug_field="prefix", read_only=True, help_text=_(
        "The prefix of the share link the visitor came through."))
    target_label = serializers.SerializerMethodField(help_text=_("What the comment is about, as the page names it."))

    class Meta:
        model = Comment
        fields = ["id", "plan", "target_type", "target_id", "target_label", "body", "external_name", "share_link",
                  "created_at"]
        read_only_fields = fields

    def get_target_label(self, comment) -> str:
        found = self.context.get("targets", {}).get((comment.target_type, comment.target_id))
        return found["label"] if found else ""


class PendingCommentFilter(UpdatedSinceFilterSet):
    plan = filters.NumberFilter(field_name="plan_id")
    target_type = filters.ChoiceFilter(choices=CommentTarget.choices)

    class Meta:
        model = Comment
        fields = ["plan", "target_type", "updated_since"]


@extend_schema_view(
    list=extend_schema(summary="List visitors' comments awaiting moderation",
                       description="Comments left through share links on the plans you may edit, oldest first. "
                                   "With `plan` set to a plan you may only view: 403."),
    retrieve=extend_schema(summary="Get a visitor's comment awaiting moderation"),
    approve=extend_schema(summary="Approve a visitor's comment", request=None, responses={200: CommentSerializer},
                          description="Everyone who views the plan sees it from now on; it enters the plan's history "
                                      "(changes feed, webhooks, live pages)."),
    reject=extend_schema(summary="Reject a visitor's comment", request=None, responses={204: None},
                         description="It is deleted, never having been shown to anyone."),
)
class PendingCommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Visitors' comments held for the plan's editors (workshops.services.external.comment_moderate)."""

    queryset = Comment.objects.none()  # for the schema; requests use get_queryset
    serializer_class = PendingCommentSerializer
    filterset_class = PendingCommentFilter
    ordering_fields = ("created_at", "id")
    ordering = ("created_at", "id")

    def get_queryset(self):
        if self.action == "list":
            return selectors.comments_awaiting_moderation(user=self.request.user).select_related("share_link")
        # One comment: found among the plans the caller views, so a viewer is told 403 rather than 404.
        return selectors.comments_awaiting_moderation(user=self.request.user, access=Access.VIEW)

    def list(self, request, *args, **kwargs):
        plan_id = request.query_params.get("plan")
        if plan_id and plan_id.isdigit():
            plan = Plan.objects.filter(pk=plan_id).first()
            if plan is not None and Access.VIEW <= plan_access(request.user, plan) < Access.EDIT:
                raise PermissionDenied(_("Only the plan's editors moderate visitors' comments."))
        return super().list(request, *args, **kwargs)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["targets"] = getattr(self, "_targets", {})
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._targets = selectors.comment_targets(page if page is not None else queryset)
        return page

    def retrieve(self, request, *args, **kwargs):
        comment = self._editable()
        self._targets = selectors.comment_targets([comment])
        return Response(self.get_serializer(comment).data)

    def _editable(self) -> Comment:
        comment = self.get_object()
        if plan_access(self.request.user, comment.plan) < Access.EDIT:
            raise PermissionDenied(_("Only the plan's editors moderate visitors' comments."))
        return comment

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        comment = comment_moderate(comment=self._editable(), actor=request.user, approve=True)
        comment = selectors.comment_list(user=request.user).get(pk=comment.pk)
        return Response(CommentSerializer(comment, context=self.get_serializer_context()).data)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        comment_moderate(comment=self._editable(), actor=request.user, approve=False)
        return Response(status=status.HTTP_204_NO_CONTENT)
