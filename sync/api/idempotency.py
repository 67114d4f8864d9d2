"""`Idempotency-Key` on writes: sending the same request again with the same key replays the first answer.

How it works (IdempotentWritesMixin, on every planning viewset): a POST (or an upsert, see `idempotent_actions`)
that carries the header runs in one transaction that first inserts an IdempotencyRecord under the unique
(user, key), then does the write, then stores the answer in the record. So:
- the same key and the same request (method, path, If-Match, body) later: the stored answer comes back with
  `Idempotent-Replayed: true`, and nothing is written;
- the same key with a different request: 422, nothing is written;
- two identical requests at the same time: the second one's insert waits on the first one's row lock (PostgreSQL)
  and, once the first commits, replays its answer; only one object is created;
- an answer of 500 or more is not kept (the whole transaction rolls back), so the client may simply retry.
Keys are scoped to the user (whichever token or session they use) and kept for IDEMPOTENCY_TTL; a record older
than that is replaced, and idempotency_records_purge() deletes them.
"""

import hashlib
import json
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from core.safe_json import without_nul
from core.tasks import BrokerUnavailable
from sync.api.permissions import request_token
from sync.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
IDEMPOTENCY_TTL = timedelta(hours=24)
KEPT_HEADERS = ("ETag", "Location")
MAX_KEY_LENGTH = 255

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description=_("A unique value per logical write (a UUID, at most 255 characters). Sending the same request "
                  "again with the same key within 24 hours returns the first answer (with the header "
                  "`Idempotent-Replayed: true`) and writes nothing; the same key with a different request "
                  "answers 422."),
)


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used for a different request (another method, path or "
                       "body). Use a new key for a new request.")
    default_code = "idempotency_key_reused"


class IdempotencyInProgress(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A request with this Idempotency-Key is still being processed. Retry in a moment.")
    default_code = "idempotency_in_progress"


class _Replay(Exception):  # noqa: N818  (control flow, not an error)
    def __init__(self, record: IdempotencyRecord):
        self.record = record
        super().__init__(record.key)


def _plain(value):
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return f"file:{value.name}:{value.size}:{digest.hexdigest()}"
    return value


def request_fingerprint(request) -> str:
    """SHA-256 of what makes two requests "the same": method, path and query, If-Match, and the parsed body
    (JSON with sorted keys, so the order of keys does not matter; uploaded files by content)."""
    data = request.data
    if hasattr(data, "lists"):  # form or multipart
        data = sorted((name, [_plain(value) for value in values]) for name, values in data.lists())
    head = f"{request.method} {request.get_full_path()} {request.headers.get('If-Match', '')}\n"
    body = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(head.encode() + body.encode()).hexdigest()


def idempotency_records_purge(*, now=None) -> int:
    """Delete the records older than IDEMPOTENCY_TTL (their keys may then be used again); returns how many."""
    deleted, _counts = IdempotencyRecord.objects.filter(created_at__lt=(now or timezone.now()) - IDEMPOTENCY_TTL
                                                        ).delete()
    return deleted


def is_idempotent_operation(view, method: str) -> bool:
    """Whether `view` honours Idempotency-Key for `method` (POST always; other methods for listed actions)."""
    if not isinstance(view, IdempotentWritesMixin):
        return False
    if method.upper() == "POST":
        return True
    action = getattr(view, "action", None) or getattr(view, "action_map", {}).get(method.lower())
    return action in view.idempotent_actions


class IdempotentWritesMixin:
    """Put first among a view's bases. Honours `Idempotency-Key` on POST and on the actions named in
    `idempotent_actions` (for example the upserts' PUT)."""

    idempotent_actions: tuple[str, ...] = ()
    _idempotency: IdempotencyRecord | None = None
    _claimed: int | None = None

    def _wants_idempotency(self, request) -> bool:
        return bool(request.headers.get(HEADER)) and is_idempotent_operation(self, request.method)

    def dispatch(self, request, *args, **kwargs):
        self._idempotency = self._claimed = None
        if not self._wants_idempotency(request):
            return super().dispatch(request, *args, **kwargs)
        try:
            with transaction.atomic():
                response = super().dispatch(request, *args, **kwargs)
                if response.status_code >= 500:
                    transaction.set_rollback(True)  # nothing kept: the client may retry with the same key
        except BrokerUnavailable as error:
            # Raised by an on-commit enqueue once the write committed: forget the answer, so a retry runs again.
            IdempotencyRecord.objects.filter(pk=self._claimed).delete()
            return self.finalize_response(request, self.handle_exception(error), *args, **kwargs)
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles first
        if self._wants_idempotency(request):
            self._idempotency = self._idempotency_claim(request)
            self._claimed = self._idempotency.pk

    def _idempotency_claim(self, request) -> IdempotencyRecord:
        key = request.headers[HEADER].strip()
        if len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise ValidationError({HEADER: [_("At most 255 printable characters, for example a UUID.")]})
        fingerprint = request_fingerprint(request)
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    return IdempotencyRecord.objects.create(
                        user=request.user, token=request_token(request), key=key, method=request.method,
                        path=request.get_full_path()[:2000], request_hash=fingerprint,
                    )
            except IntegrityError:
                # Same key already used: on PostgreSQL the insert waited for that request's transaction to end.
                existing = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
            if existing is None:
                continue  # purged in between
            if existing.created_at < timezone.now() - IDEMPOTENCY_TTL:
                existing.delete()
                continue
            if existing.request_hash != fingerprint:
                raise IdempotencyKeyReused()
            if existing.response_status is None:
                raise IdempotencyInProgress()
            raise _Replay(existing)
        raise IdempotencyInProgress()

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            record = exc.record
            headers = {**record.response_headers, REPLAYED_HEADER: "true"}
            return Response(record.response_body, status=record.response_status, headers=headers)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record, self._idempotency = self._idempotency, None
        if record is not None and response.status_code < 500:
            data = getattr(response, "data", None)
            # PostgreSQL's jsonb cannot hold a NUL, which an error message may quote: it is stored as U+FFFD.
            body = None if data is None else without_nul(json.loads(json.dumps(data, cls=JSONEncoder)))
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                response_status=response.status_code, response_body=body, response_headers=headers)
        return response
