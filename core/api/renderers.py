"""The API's JSON renderer: the JSON DRF's JSONRenderer writes (compact UTF-8, DRF's date format), by orjson.

The benchmark (bench/, `make bench`) showed json.dumps with DRF's encoder as a visible part of every list page.
orjson writes the same compact UTF-8 JSON several times faster. What orjson does not know natively (lazy
translations, Decimal, sets, generators…) and dates (so their format stays DRF's: milliseconds, "Z" for UTC) go
through DRF's own encoder; pretty-printing (`Accept: application/json; indent=4`, the browsable API) and anything
orjson refuses (integers past 64 bits) are left to DRF's renderer.
"""

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
_encoder = JSONEncoder()


def _default(value):
    return _encoder.default(value)


class ORJSONRenderer(JSONRenderer):
    """application/json, as DRF writes it, by orjson."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        if self.ensure_ascii or not self.compact or self.get_indent(accepted_media_type, renderer_context):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            content = orjson.dumps(data, default=_default, option=OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF does: U+2028 and U+2029 escaped, so the JSON is also valid JavaScript.
        return content.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")
