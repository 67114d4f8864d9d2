"""ETags and conditional requests (RFC 9110, section 13) for versioned objects.

An object's ETag is its version, quoted: `"3"`. Writes honour `If-Match` (strong comparison: `W/"3"` never
matches; a list matches if any of its tags does; `*` matches any existing object) and `If-None-Match` (weak
comparison; a match refuses the write). A stale or unmatched write answers 412 with the current object. A GET or
HEAD whose `If-None-Match` matches the ETag the answer would carry answers 304 Not Modified without a body. A header
that is not a list of entity tags (or `*`) answers 400.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response

from core.versioning import MAX_VERSION, StaleVersion

ANY = "*"
# A version no row has: a write based on it is refused as stale (412), and the refusal is in the history.
NO_VERSION = MAX_VERSION + 1

# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text (RFC 9110, section 8.8.3).
_ENTITY_TAG = re.compile(r'[ \t]*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"[ \t]*')
_MAX_TAGS = 100


@dataclass(frozen=True)
class EntityTag:
    weak: bool
    opaque: str

    @property
    def version(self) -> int | None:
        """The version this tag names if it is one of ours ("3"), else None (it can never match)."""
        digits = self.opaque.isascii() and self.opaque.isdigit() and len(self.opaque) <= 10
        return int(self.opaque) if digits and int(self.opaque) <= MAX_VERSION else None


class PreconditionFailed(Exception):
    """If-None-Match matched the object as it is now (or If-Match named none of its versions): `current` is it."""

    def __init__(self, current, detail: str):
        self.current = current
        self.detail = detail
        super().__init__(detail)


def etag_for(instance) -> str:
    return f'"{instance.version}"'


def parse_etag_header(request, name: str) -> str | tuple[EntityTag, ...] | None:
    """The `If-Match` or `If-None-Match` header: None when absent, ANY for `*`, else its entity tags.

    Raises ParseError (400) when it is neither `*` nor a comma-separated list of quoted entity tags.
    """
    value = request.headers.get(name)
    if value is None or not value.strip(" \t,"):
        return None  # absent, or empty: as before, no condition
    if value.strip() == ANY:
        return ANY
    tags = []
    for element in value.split(","):  # a comma cannot occur inside an entity tag
        if not element.strip(" \t"):
            continue  # the list syntax allows empty elements
        match = _ENTITY_TAG.fullmatch(element)
        if match is None:
            tags = []
            break
        tags.append(EntityTag(weak=bool(match.group(1)), opaque=match.group(2)))
    if not tags or len(tags) > _MAX_TAGS:
        raise ParseError(_('%(header)s must be * or a list of ETags in double quotes, for example "3" or "2", "3" '
                           "(at most %(count)d).") % {"header": name, "count": _MAX_TAGS})
    return tuple(tags)


def strong_match(condition, version: int) -> bool:
    """If-Match's comparison: `*`, or a tag that is not weak and names this version."""
    return condition == ANY or any(not tag.weak and tag.version == version for tag in condition)


def weak_match(condition, version: int) -> bool:
    """If-None-Match's comparison: `*`, or a tag that names this version, weak or not."""
    return condition == ANY or any(tag.version == version for tag in condition)


class VersionedViewSetMixin:
    """Adds `ETag` to detail responses, evaluates If-Match / If-None-Match on writes and answers 304 on reads."""

    def get_object(self):
        return self.loaded(super().get_object())

    def loaded(self, instance):
        """Remember `instance` as the object the request's preconditions apply to (a view whose get_object does
        not call super() passes what it loads through this)."""
        self._precondition_target = instance
        return instance

    def expected_version(self, instance=None) -> int | None:
        """The version a write must be based on, from the preconditions, checked against `instance` (by default
        the object get_object() loaded).

        None without If-Match (or with `*`): the write is based on the version the server reads. A matching tag
        gives the object's version, so the write still refuses a change made since it was loaded; no match gives
        a version the object does not have, so the write is refused as stale (412) and the refusal recorded.
        If-None-Match that matches the object refuses the write (412).
        """
        target = instance if instance is not None else self.__dict__.get("_precondition_target")
        if_match = parse_etag_header(self.request, "If-Match")
        if_none_match = parse_etag_header(self.request, "If-None-Match")
        if target is None:
            return self._stated_version(if_match) if len(self._strong_versions(if_match)) <= 1 else NO_VERSION
        if if_match not in (None, ANY) and not strong_match(if_match, target.version):
            return self._stated_version(if_match)  # not the object's version: refused as stale, and so recorded
        if if_none_match is not None and weak_match(if_none_match, target.version):
            raise PreconditionFailed(target, _("If-None-Match matches the object as it is now: nothing was written."))
        return None if if_match in (None, ANY) else target.version

    @staticmethod
    def _strong_versions(if_match) -> list[int]:
        return [] if if_match in (None, ANY) else [tag.version for tag in if_match if not tag.weak and tag.version]

    def _stated_version(self, if_match) -> int | None:
        """The first version the client names (what a refused write was based on), or one no row has."""
        if if_match in (None, ANY):
            return None
        return next(iter(self._strong_versions(if_match)), NO_VERSION)

    def finalize_response(self, request, response, *args, **kwargs):
        version = response.data.get("version") if isinstance(getattr(response, "data", None), dict) else None
        etag = f'"{version}"' if version is not None and "pk" in self.kwargs else None
        if etag and request.method in ("GET", "HEAD") and response.status_code == status.HTTP_200_OK:
            response = self._conditional_read(request, response, version)
        response = super().finalize_response(request, response, *args, **kwargs)
        if etag and "ETag" not in response:
            response["ETag"] = etag
        return response

    def _conditional_read(self, request, response, version: int):
        """RFC 9110, section 13.2.2 for a read: If-Match first (412), then If-None-Match (304)."""
        try:
            if_match = parse_etag_header(request, "If-Match")
            if_none_match = parse_etag_header(request, "If-None-Match")
        except ParseError as exc:
            return self.handle_exception(exc)
        if if_match is not None and not strong_match(if_match, version):
            body = {"detail": _("If-Match names none of the object's versions."), "current": response.data}
            return Response(body, status=status.HTTP_412_PRECONDITION_FAILED)
        if if_none_match is not None and weak_match(if_none_match, version):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": f'"{version}"'})
        return response

    def handle_exception(self, exc):
        if isinstance(exc, StaleVersion):
            body = {
                "detail": _("Someone else changed this object since you loaded it. Here it is as it is now."),
                "current": self.get_serializer(exc.current).data,
            }
            return Response(body, status=status.HTTP_412_PRECONDITION_FAILED, headers={"ETag": etag_for(exc.current)})
        if isinstance(exc, PreconditionFailed):
            body = {"detail": exc.detail, "current": self.get_serializer(exc.current).data}
            return Response(body, status=status.HTTP_412_PRECONDITION_FAILED, headers={"ETag": etag_for(exc.current)})
        return super().handle_exception(exc)

    def check_delete_version(self, instance) -> None:
        expected = self.expected_version(instance)
        if expected is not None and expected != instance.version:
            raise StaleVersion(instance)
