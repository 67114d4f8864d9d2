"""`/api/v1/share-links/`: list, create (the link's address is in that one answer only) and revoke share links."""

from django.contrib.auth.models import AnonymousUser
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.filters import UtcIsoDateTimeFilter
from planning.models import Journey
from sharing import services
from sharing.models import ShareLink, ShareScope
from tenancy import selectors


class ShareLinkSerializer(serializers.ModelSerializer):
    """A link as lists show it: never its token, only its prefix."""

    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    has_password = serializers.BooleanField(read_only=True)
    is_active = serializers.SerializerMethodField(help_text=gettext_lazy("Neither revoked nor expired."))

    class Meta:
        model = ShareLink
        fields = ("id", "plan", "scope", "journey", "prefix", "expires_at", "has_password", "hide_member_names",
                  "allow_comments", "created_by", "created_at", "revoked_at", "last_opened_at", "open_count",
                  "is_active")
        read_only_fields = fields

    def get_is_active(self, link) -> bool:
        return link.is_usable()


class ShareLinkCreateSerializer(serializers.ModelSerializer):
    """What a new link needs; the answer adds `url`, shown this once."""

    password = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=128,
                                     help_text=gettext_lazy("Optional; visitors type it before they see anything."))
    url = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "The link's whole address. It is shown only in this answer: only a hash of its token is kept."))

    class Meta:
        model = ShareLink
        fields = ("id", "plan", "scope", "journey", "expires_at", "password", "hide_member_names", "allow_comments",
                  "url", "prefix", "created_at")
        read_only_fields = ("id", "url", "prefix", "created_at")
        extra_kwargs = {"allow_comments": {"help_text": gettext_lazy(
            "Visitors may leave comments, giving a name; each waits for an editor's approval "
            "(`/api/v1/pending-comments/`) before anyone else sees it. false when left out.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.context.get("request"), "user", None) or AnonymousUser()
        plans = selectors.plan_list(user=user)
        self.fields["plan"].queryset = plans
        self.fields["journey"].queryset = Journey.objects.filter(plan__in=plans)

    def validate(self, attrs):
        # As the page's form (sharing.forms.ShareLinkForm): a journey link names its journey, other scopes none.
        if attrs.get("scope") == ShareScope.JOURNEY and not attrs.get("journey"):
            raise serializers.ValidationError({"journey": _("Choose the journey the link shows.")})
        if attrs.get("scope") != ShareScope.JOURNEY:
            attrs["journey"] = None
        return attrs


class ShareLinkFilter(filters.FilterSet):
    # A link has no updated_at: it changes when created, opened or revoked (as API tokens: sync/api/tokens.py).
    updated_since = UtcIsoDateTimeFilter(
        method="changed_since",
        help_text=gettext_lazy("Only links created, opened or revoked at or after this ISO 8601 date and time."),
    )

    class Meta:
        model = ShareLink
        fields = ("plan", "scope", "updated_since")

    def changed_since(self, queryset, name, value):
        # PostgreSQL's GREATEST leaves out NULLs: a link never opened nor revoked changed when it was created.
        return queryset.alias(changed_at=Greatest("created_at", "last_opened_at", "revoked_at")).filter(
            changed_at__gte=value)


@extend_schema_view(
    list=extend_schema(summary="List share links", description="The links of the plans you manage."),
    retrieve=extend_schema(summary="Get a share link"),
    create=extend_schema(
        summary="Create a share link", request=ShareLinkCreateSerializer, responses={201: ShareLinkCreateSerializer},
        description="For a plan you manage (its owners, admins and managers): the whole plan, one journey of it "
                    "(`scope` `journey` with `journey`) or its roadmap, read-only. The answer holds the link's "
                    "address, once.",
        examples=[OpenApiExample("One journey for an agency", request_only=True,
                                 value={"plan": 1, "scope": "journey", "journey": 3,
                                        "expires_at": "2027-06-30T18:00:00Z", "password": "trail-2027",
                                        "hide_member_names": True, "allow_comments": True})],
    ),
    destroy=extend_schema(summary="Revoke a share link",
                          description="It answers 404 at once; the list keeps it, with when it was revoked."),
    revoke=extend_schema(summary="Revoke a share link", request=None, responses={200: ShareLinkSerializer}),
)
class ShareLinkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Read-only links to a plan, a journey or a roadmap for people without an account (sharing.services)."""

    # Deliberately without idempotent replays: replaying a creation would mean storing its token in clear.
    queryset = ShareLink.objects.none()  # for the schema; requests use get_queryset
    serializer_class = ShareLinkSerializer
    filterset_class = ShareLinkFilter
    ordering_fields = ("created_at", "last_opened_at", "expires_at")

    def get_queryset(self):
        return services.share_link_list(user=self.request.user).order_by("-created_at", "-id")

    def get_serializer_class(self):
        return ShareLinkCreateSerializer if self.action == "create" else ShareLinkSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        link, token = services.share_link_create(actor=request.user, **data)
        link.url = request.build_absolute_uri(reverse("share_open", args=[token]))
        return Response(ShareLinkCreateSerializer(link, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})

    def perform_destroy(self, instance):
        services.share_link_revoke(link=instance, actor=self.request.user)

    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        link = services.share_link_revoke(link=self.get_object(), actor=request.user)
        return Response(ShareLinkSerializer(link, context=self.get_serializer_context()).data)
