"""The OpenAPI schema class: drf-spectacular's, plus the `Idempotency-Key` header (and the two answers it can add,
409 and 422, and the `Idempotent-Replayed` header of a replay) wherever a view honours it."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from core.api.openapi import ConditionalReadsSchema
from sync.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, REPLAYED_HEADER, is_idempotent_operation

IDEMPOTENCY_ANSWERS = {
    "409": "Another request with this Idempotency-Key (or creating the same external id) is still being "
           "processed: retry in a moment.",
    "422": "This Idempotency-Key was already used for a different request (method, path or body).",
}

REPLAYED_PARAMETER = OpenApiParameter(
    REPLAYED_HEADER, {"type": "string", "enum": ["true"]}, OpenApiParameter.HEADER, response=True,
    description="`true` when this answer is the stored answer to an earlier request with the same Idempotency-Key "
                "(nothing was written this time); absent otherwise.")


class IdempotencyErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class AutoSchema(ConditionalReadsSchema):
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if is_idempotent_operation(self.view, self.method):
            parameters = [*parameters, IDEMPOTENCY_KEY_PARAMETER, REPLAYED_PARAMETER]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response" and is_idempotent_operation(self.view, self.method):
            for code, description in IDEMPOTENCY_ANSWERS.items():
                if code not in responses:
                    answer = OpenApiResponse(IdempotencyErrorSerializer, description)
                    responses[code] = self._get_response_for_code(answer, code)
        return responses

