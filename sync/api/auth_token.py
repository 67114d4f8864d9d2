from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from core.api.parsers import JSONParser
from core.signin import password_sign_in_refusal
from sync.api.throttling import AnonRateThrottle


class TokenRequestSerializer(AuthTokenSerializer):
    """DRF's check of the username and password; then the sign-in checks the apps registered (core.signin), so an
    address whose organisation requires single sign-on gets no script token by password either."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        refusal = password_sign_in_refusal(attrs["user"])
        if refusal:
            raise serializers.ValidationError(refusal, code="password_sign_in_refused")
        return attrs


class ObtainTokenView(ObtainAuthToken):
    """`POST {"username", "password"}` returns `{"token": ...}`; send it as `Authorization: Token <key>`."""

    throttle_classes = [AnonRateThrottle]  # DRF's view has none; this one takes passwords, so guesses are limited
    parser_classes = [JSONParser]  # JSON like every write (DRF's view also takes forms, with its own JSON parser)
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=inline_serializer("TokenRequest", {"username": serializers.CharField(),
                                                   "password": serializers.CharField()}),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        auth=[],
        summary="Get a token for a username and password",
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
