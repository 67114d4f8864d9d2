from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from core.api.parsers import JSONParser
from core.signin import password_sign_in_refusal
from identity.lockout import lockout_message
from sync.api.throttling import AnonRateThrottle


class SignInLocked(exceptions.Throttled):
    """The account or the address is locked out by django-axes (the same count as the sign-in page)."""

    default_code = "sign_in_locked"


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
    """`POST {"username", "password"}` returns `{"token": ...}`; send it as `Authorization: Token <key>`.

    While the account or the client address is locked out (LOGIN_FAILURE_LIMIT failures, the web sign-in's count), it
    answers 429 with Retry-After and the password is not checked; the failure that reaches the limit answers 429 too.
    """

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
        username = request.data.get("username") if isinstance(request.data, dict) else None
        credentials = {"username": str(username or "")}
        self._refuse_if_locked(request, credentials)
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            self._refuse_if_locked(request, credentials)
            raise

    @staticmethod
    def _refuse_if_locked(request, credentials):
        # axes marks the HttpRequest it is given; DRF's Request is a wrapper, so its middleware never sees the lock.
        if not AxesProxyHandler.is_allowed(request._request, credentials):
            raise SignInLocked(wait=settings.LOGIN_COOLOFF_MINUTES * 60, detail=lockout_message())
