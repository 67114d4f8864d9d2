"""Limits on what a client's JSON may hold, checked before anything stores or echoes it.

- nesting deeper than settings.API_JSON_MAX_DEPTH (arrays and objects) is refused: Python's parser and our orjson
  renderer stop at about 1,000 and 255 levels with an error, and no document of ours nests more than a dozen;
- a string (value or key) with a lone surrogate (`"\\ud800"`) is refused: it cannot be encoded as UTF-8 to be
  stored.
A NUL character in a value is left to the serializers, which name the field (DRF's CharField refuses it); an
answer that quotes one is stored by the idempotency layer through `without_nul`, as PostgreSQL's text and jsonb
cannot hold it.
"""

import json

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_MAX_JSON_DEPTH = 32


class UnsafeJSON(ValueError):
    """The document breaks one of the limits above; the message says which, for the client."""


def max_json_depth() -> int:
    return getattr(settings, "API_JSON_MAX_DEPTH", DEFAULT_MAX_JSON_DEPTH)


def _check_string(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UnsafeJSON(_("Text must be valid Unicode (a lone surrogate such as \\ud800 is not).")) from None


def check_json(value) -> None:
    """Raise UnsafeJSON if `value` (parsed JSON) nests too deep or holds a string that is not valid Unicode."""
    limit = max_json_depth()
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _check_string(item)
        elif isinstance(item, dict | list):
            if depth > limit:
                raise UnsafeJSON(_("JSON nested deeper than %(limit)d levels is not accepted.") % {"limit": limit})
            if isinstance(item, dict):
                for key in item:
                    _check_string(key)
                stack.extend((child, depth + 1) for child in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)


def loads_checked(text, **kwargs):
    """json.loads, then check_json; a document too deep for the parser itself is an UnsafeJSON too."""
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise UnsafeJSON(_("JSON nested deeper than %(limit)d levels is not accepted.")
                         % {"limit": max_json_depth()}) from None
    check_json(value)
    return value


def without_nul(value):
    """`value` with every NUL in its strings (and keys) replaced by U+FFFD, for storing an answer that quotes one."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {without_nul(key): without_nul(child) for key, child in value.items()}
    if isinstance(value, list):
        return [without_nul(child) for child in value]
    return value
