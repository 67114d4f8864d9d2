"""`/api/v1/api-tokens/`: list, create (the key is in that one answer only) and revoke (DELETE) API tokens."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api.filters import UtcIsoDateTimeFilter
from sync import tokens
from sync.api.permissions import request_token
from sync.models import ApiToken
from tenancy import selectors


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as lists show it: never the key, only its prefix."""

    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    key_prefix = serializers.SerializerMethodField(help_text=gettext_lazy("The start of the key, to recognise it."))
    is_active = serializers.SerializerMethodField(help_text=gettext_lazy("Neither revoked nor expired."))

    class Meta:
        model = ApiToken
        fields = ("id", "organisation", "name", "scope", "user", "key_prefix", "created_at", "expires_at",
                  "last_used_at", "revoked_at", "is_active")
        read_only_fields = fields

    def get_key_prefix(self, token) -> str:
        return f"{tokens.KEY_PREFIX}{token.prefix}_"

    def get_is_active(self, token) -> bool:
        return token.is_usable()


class ApiTokenCreateSerializer(serializers.ModelSerializer):
    """What a new token needs; the answer adds `key`, shown this once."""

    key = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "The whole key. It is shown only in this answer: store it now. Send it as `Authorization: Bearer <key>`."))

    class Meta:
        model = ApiToken
        fields = ("id", "organisation", "name", "scope", "expires_at", "key", "created_at")
        read_only_fields = ("id", "key", "created_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        user = getattr(self.context.get("request"), "user", None) or AnonymousUser()
        self.fields["organisation"].queryset = selectors.organisation_list(user=user)

    def validate_expires_at(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError(_("Choose a time in the future."))
        return value


class ApiTokenFilter(filters.FilterSet):
    # A token has no updated_at: it changes when created, used (last_used_at) or revoked.
    updated_since = UtcIsoDateTimeFilter(
        method="changed_since",
        help_text=gettext_lazy("Only tokens created, used or revoked at or after this ISO 8601 date and time."),
    )

    class Meta:
        model = ApiToken
        fields = ("organisation", "scope", "updated_since")

    def changed_since(self, queryset, name, value):
        # PostgreSQL's GREATEST leaves out NULLs: a token never used nor revoked changed when it was created.
        changed_at = Greatest("created_at", "last_used_at", "revoked_at")
        return queryset.alias(changed_at=changed_at).filter(changed_at__gte=value)


@extend_schema_view(
    list=extend_schema(summary="List API tokens",
                       description="Your own tokens, and every token of the organisations you own or administer."),
    retrieve=extend_schema(summary="Get an API token"),
    create=extend_schema(
        summary="Create an API token", request=ApiTokenCreateSerializer, responses={201: ApiTokenCreateSerializer},
        description="For yourself, in an organisation you belong to (not with an API token: sign in or use a "
                    "script token). The answer holds the key, once; only its hash is kept.",
        examples=[OpenApiExample("CRM sync", request_only=True,
                                 value={"organisation": 1, "name": "CRM sync", "scope": "read_write",
                                        "expires_at": "2027-12-31T23:59:59Z"})],
    ),
    destroy=extend_schema(summary="Revoke an API token",
                          description="It stops working at once; the list keeps it, with when it was revoked."),
)
class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Organisation API tokens for other tools; see sync.tokens for who may do what."""

    # Deliberately without IdempotentWritesMixin: replaying a creation would mean storing its key in clear.

    queryset = ApiToken.objects.none()  # for the schema; requests use get_queryset
    serializer_class = ApiTokenSerializer
    filterset_class = ApiTokenFilter
    ordering_fields = ("created_at", "last_used_at", "name")

    def get_queryset(self):
        return tokens.api_token_list(user=self.request.user).order_by("-created_at", "-id")

    def get_serializer_class(self):
        return ApiTokenCreateSerializer if self.action == "create" else ApiTokenSerializer

    def create(self, request, *args, **kwargs):
        if request_token(request) is not None:
            raise PermissionDenied(_("API tokens cannot create other tokens: sign in, or use a script token."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = tokens.api_token_create(user=request.user, **serializer.validated_data)
        token.key = key
        return Response(ApiTokenCreateSerializer(token, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})

    def perform_destroy(self, instance):
        tokens.api_token_revoke(token=instance, actor=self.request.user)
