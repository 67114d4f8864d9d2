from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken

from core.api.parsers import JSONParser
from sync.api.throttling import AnonRateThrottle


class ObtainTokenView(ObtainAuthToken):
    """`POST {"username", "password"}` returns `{"token": ...}`; send it as `Authorization: Token <key>`."""

    throttle_classes = [AnonRateThrottle]  # DRF's view has none; this one takes passwords, so guesses are limited
    parser_classes = [JSONParser]  # JSON like every write (DRF's view also takes forms, with its own JSON parser)

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
