from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser, MultiPartParser

from core.api.parsers import JSONParser
from sync.api.throttling import AnonRateThrottle


class ObtainTokenView(ObtainAuthToken):
    """`POST {"username", "password"}` returns `{"token": ...}`; send it as `Authorization: Token <key>`."""

    throttle_classes = [AnonRateThrottle]  # DRF's view has none; this one takes passwords, so guesses are limited
    parser_classes = [FormParser, MultiPartParser, JSONParser]  # DRF's view names its own JSON parser

    @extend_schema(
        request=inline_serializer("TokenRequest", {"username": serializers.CharField(),
                                                   "password": serializers.CharField()}),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
