"""Upserts by external id, for tools that keep their own ids (a CRM, another planning tool).

Every resource whose model is a core.models.ExternalIdModel gets, through UpsertMixin:
- `PUT /<resource>/by-external-id/<source>/<id>/`: the body is the whole object (as for a create); it updates
  the object with that external source and id, or creates it. 200 when updated (or unchanged), 201 when
  created. `If-Match: "<version>"` applies as on any PUT (412 if stale, or if there is no such object yet);
  `If-None-Match: *` only creates (412 if it exists).
- `POST /<resource>/bulk-upsert/`: a JSON array of up to 1,000 such objects, each with its `external_source` and
  `external_id`. Every item is validated first; if any is invalid nothing is written and the answer is 400 with
  `{"detail", "errors": [{"index", "errors"}]}`. Otherwise all are applied in one transaction (all or none)
  and the answer is 200 with `{"results": [{"index", "status", "id", "version", ...}]}`, status being
  "created", "updated" or "unchanged" (an item equal to the stored object writes nothing).

Writes go through the viewset's own serializer and perform_create / perform_update, so the services check
access and record the activity exactly as for any other write.

External ids are unique per plan for a plan's objects (personas, stakeholders, journeys, stages, touchpoints)
and per organisation for plans, teams and channels. The object is looked up among those the caller sees, within
the parent named in the body (its plan, journey, stage or organisation); `?plan=` or `?organisation=` narrows
it further. The same id in two places the caller sees, with nothing to choose between them, answers 400.
"""

import copy
from collections import defaultdict
from contextlib import nullcontext

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.api.parsers import JSONParser
from core.api.versioning import parse_etag_header, weak_match
from core.versioning import StaleVersion
from sync.api.upsert_serializers import BULK_LIMIT, document_upsert_actions
from tenancy.access import plan_access_memo
from tenancy.activity import tracked_batch

__all__ = ["BULK_LIMIT", "PreloadedQueryset", "UpsertMixin"]


class PreloadedQueryset:
    """Stands in for a related field's queryset during a bulk upsert: the objects the whole batch names, fetched
    with one query from the field's own (visible-only) queryset; `get(pk=...)` then answers from memory."""

    def __init__(self, queryset, ids: set[int]):
        self.model = queryset.model
        self.objects = {obj.pk: obj for obj in queryset.filter(pk__in=ids)} if ids else {}

    def get(self, pk):
        if isinstance(pk, bool):
            raise TypeError(pk)
        try:
            return self.objects[int(pk)]  # TypeError / ValueError for what is not an id, as a queryset would
        except KeyError:
            raise self.model.DoesNotExist() from None


class _ItemError(Exception):  # noqa: N818  (carries one item's errors out of the apply loop)
    def __init__(self, index: int, errors: dict, status_code: int = status.HTTP_400_BAD_REQUEST):
        self.index, self.errors, self.status_code = index, errors, status_code
        super().__init__(index)


def _key(value):
    return value.pk if isinstance(value, models.Model) else value


def _unchanged(instance, values: dict) -> bool:
    """Whether writing `values` (a serializer's validated data) would leave the instance as it is."""
    for name, value in values.items():
        if isinstance(value, File):
            return False
        current = getattr(instance, name, None)
        if hasattr(current, "all"):
            current = list(current.all())
        if isinstance(current, list) or isinstance(value, list | tuple):
            if sorted(map(_key, current or [])) != sorted(map(_key, value or [])):
                return False
        elif _key(current) != _key(value):
            return False
    return True


def _errors_of(error) -> dict:
    if isinstance(error, DjangoValidationError):
        return error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    if isinstance(error, ValidationError):
        return error.detail if isinstance(error.detail, dict) else {"non_field_errors": error.detail}
    return {"detail": [str(error)]}


def _as_int(value) -> int | None:
    """An id from a body or query (an int or a string of digits), None for anything else or out of range."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and 0 < value < 2**63 else None


def _external_key_errors(source, external_id) -> dict:
    """What is wrong with an upsert's external source and id, checked before they are looked up."""
    errors = {}
    for name, value, limit in (("external_source", source, 50), ("external_id", external_id, 200)):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # a number is taken as its digits, as the serializer would
        if not isinstance(value, str) or not value.strip():
            errors[name] = [_("Required: a non-empty string.")]
        elif len(value) > limit or "\x00" in value:
            errors[name] = [_("At most %(limit)d characters, with no NUL character.") % {"limit": limit}]
    return errors


class UpsertMixin:
    """PUT by external id and bulk upsert for a versioned viewset whose model has external ids.

    Set `upsert_scope = (body field, model of that field or None, scoping column)`: the parent that makes an
    external id unique, e.g. ("stage", Stage, "plan_id") for touchpoints, ("plan", None, "plan_id") for
    personas, ("organisation", None, "organisation_id") for plans. `upsert_create_only` lists body fields that
    only apply when creating (dropped on update). `check_write_access(instance)`, when the view has it, is asked
    once per plan or organisation of a batch: it must depend on nothing else. Put the mixin after
    IdempotentWritesMixin and before VersionedViewSetMixin among the bases.
    """

    upsert_scope: tuple[str, type | None, str]
    upsert_create_only: tuple[str, ...] = ()
    upsert_select_related: tuple[str, ...] = ()  # what check_write_access and the update service read
    idempotent_actions = ("by_external_id", "bulk_upsert")
    _bulk = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if getattr(cls, "serializer_class", None) is not None and getattr(cls, "upsert_scope", None):
            document_upsert_actions(cls)

    # Lookup --------------------------------------------------------------------------------------------------

    def expected_version(self, instance=None):
        return None if self._bulk else super().expected_version(instance)

    def _narrowed_queryset(self):
        queryset = self.get_queryset().select_related(*self.upsert_select_related)
        column = self.upsert_scope[2]
        param = {"plan_id": "plan", "organisation_id": "organisation"}.get(column)
        raw = self.request.query_params.get(param) if param else None
        if raw is not None:
            if _as_int(raw) is None:
                raise ValidationError({param: [_("Give the id (a number).")]})
            queryset = queryset.filter(**{column: int(raw)})
        return queryset

    def _item_scopes(self, items: list[dict]) -> list[int | None]:
        """The scoping value (plan or organisation id) each item's body points at, when it names its parent."""
        field, model, column = self.upsert_scope
        raw = [_as_int(item.get(field)) for item in items]
        if model is None:
            return raw
        wanted = {pk for pk in raw if pk is not None}
        found = dict(model._base_manager.filter(pk__in=wanted).values_list("pk", column)) if wanted else {}
        return [found.get(pk) for pk in raw]

    def _existing(self, items: list[dict]) -> list[list]:
        """For each item, the visible objects with its external source and id, within its scope."""
        keys = {(str(item["external_source"]), str(item["external_id"])) for item in items}
        queryset = self._narrowed_queryset().filter(external_source__in={source for source, _id in keys},
                                                    external_id__in={ext_id for _source, ext_id in keys})
        by_key = defaultdict(list)
        for obj in queryset:
            by_key[(obj.external_source, obj.external_id)].append(obj)
        column = self.upsert_scope[2]
        matches = []
        for item, scope in zip(items, self._item_scopes(items), strict=True):
            found = by_key.get((str(item["external_source"]), str(item["external_id"])), [])
            matches.append([obj for obj in found if scope is None or getattr(obj, column) == scope])
        return matches

    # Validation and writes -----------------------------------------------------------------------------------

    def get_serializer_class(self):
        serializer_class = super().get_serializer_class()
        if not self._bulk:
            return serializer_class
        # A model serializer builds its fields anew for each instance (model introspection, translated labels),
        # which costs more than validating an item: a bulk upsert builds them once and gives each item a copy.
        cached = self.__dict__.get("_bulk_serializer_class")
        if cached is None or cached.__base__ is not serializer_class:
            template = serializer_class(context=self.get_serializer_context()).get_fields()
            cached = type(serializer_class.__name__, (serializer_class,),
                          {"get_fields": lambda _serializer: copy.deepcopy(template), "__module__": __name__})
            self._bulk_serializer_class = cached
        return cached

    def _upsert_serializer(self, instance, data, context=None):
        if instance is not None:
            self._check_write_access_once(instance)
            data = {name: value for name, value in data.items() if name not in self.upsert_create_only}
        serializer = self.get_serializer(instance, data=data, context=context or self.get_serializer_context())
        for name, preloaded in serializer.context.get("preloaded_querysets", {}).items():
            field = serializer.fields[name]
            getattr(field, "child_relation", field).queryset = preloaded
        serializer.is_valid(raise_exception=True)
        return serializer

    def _check_write_access_once(self, instance) -> None:
        check = getattr(self, "check_write_access", None)
        if check is None:
            return
        checked = self.__dict__.setdefault("_upsert_checked", set())
        scope = getattr(instance, self.upsert_scope[2])
        if scope not in checked:
            check(instance)  # raises when refused; the other objects of this plan or organisation answer the same
            checked.add(scope)

    def _preloaded_context(self, items: list[dict]) -> dict:
        """A serializer context whose `preloaded_querysets` hold, per related field, the objects the batch names
        (one query per field instead of one per item and field)."""
        context = self.get_serializer_context()
        preloaded = {}
        for name, field in self.get_serializer(context=context).fields.items():
            relation = getattr(field, "child_relation", field)
            if field.read_only or not isinstance(relation, serializers.PrimaryKeyRelatedField):
                continue
            ids = set()
            for item in items:
                value = item.get(name)
                ids.update(pk for pk in map(_as_int, value if isinstance(value, list) else [value]) if pk is not None)
            preloaded[name] = PreloadedQueryset(relation.get_queryset(), ids)
        context["preloaded_querysets"] = preloaded
        return context

    def _upsert_apply(self, serializer) -> str:
        instance = serializer.instance
        if instance is None:
            self.perform_create(serializer)
            return "created"
        expected = self.expected_version(instance)
        if expected is not None and expected != instance.version:
            raise StaleVersion(instance)
        if _unchanged(instance, serializer.validated_data):
            return "unchanged"
        self.perform_update(serializer)
        if getattr(serializer.instance, "_prefetched_objects_cache", None):
            serializer.instance._prefetched_objects_cache = {}
        return "updated"

    @action(detail=False, methods=["put"], filter_backends=[], pagination_class=None, url_name="by-external-id",
            url_path=r"by-external-id/(?P<external_source>[^/]+)/(?P<external_id>.+)")
    def by_external_id(self, request, external_source=None, external_id=None):
        data = request.data
        if not hasattr(data, "items"):
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [_("Send the object as a JSON object.")]})
        if hasattr(data, "lists"):  # form or multipart: keep lists and uploads as they are (no deep copy)
            merged = QueryDict(mutable=True)
            for name, values in data.lists():
                merged.setlist(name, values)
            data = merged
        else:
            data = dict(data)
        wrong = _external_key_errors(external_source, external_id)
        if wrong:
            raise ValidationError(wrong)
        data["external_source"], data["external_id"] = external_source, external_id
        matches = self._existing([data])[0]
        if len(matches) > 1:
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [self._ambiguous_message()]})
        instance = matches[0] if matches else None
        self._check_preconditions(request, instance)
        serializer = self._upsert_serializer(instance, data)
        try:
            with transaction.atomic():
                outcome = self._upsert_apply(serializer)
        except IntegrityError:
            return Response({"detail": _("Another request created an object with this external id at the same "
                                         "moment. Send this one again.")}, status=status.HTTP_409_CONFLICT)
        code = status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK
        return Response(serializer.data, status=code, headers={"ETag": f'"{serializer.instance.version}"'})

    def _check_preconditions(self, request, instance) -> None:
        if_match = parse_etag_header(request, "If-Match")  # a malformed one answers 400
        if_none_match = parse_etag_header(request, "If-None-Match")
        if instance is None and if_match is not None:
            detail = _("There is no object with this external id to match.")
            raise _Precondition({"detail": detail, "current": None})
        if instance is not None and if_none_match is not None and weak_match(if_none_match, instance.version):
            detail = _("An object with this external id exists already.")
            raise _Precondition({"detail": detail, "current": self.get_serializer(instance).data})

    def _ambiguous_message(self) -> str:
        param = {"plan_id": "plan", "organisation_id": "organisation"}.get(self.upsert_scope[2], "plan")
        return _("Several objects you can see have this external id; name the %(field)s in the body or add "
                 "?%(param)s=<id>.") % {"field": self.upsert_scope[0], "param": param}

    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None, url_path="bulk-upsert",
            url_name="bulk-upsert", parser_classes=[JSONParser])
    def bulk_upsert(self, request):
        items = request.data
        if not isinstance(items, list) or not items or len(items) > BULK_LIMIT:
            detail = _("Send a JSON array of 1 to %(limit)d objects.") % {"limit": BULK_LIMIT}
            return Response({"detail": detail, "errors": []}, status=status.HTTP_400_BAD_REQUEST)
        try:
            return self._bulk_upsert(items)
        except ValidationError as error:  # about the request as a whole (a query parameter), not one item
            messages = _errors_of(error).items()
            detail = "; ".join(f"{name}: {' '.join(map(str, texts))}" for name, texts in messages)
            return Response({"detail": detail, "errors": []}, status=status.HTTP_400_BAD_REQUEST)

    def _bulk_upsert(self, items: list) -> Response:
        errors = self._bulk_check_shape(items)
        if errors:
            return self._bulk_errors(errors)
        self._bulk = True
        context = self._preloaded_context(items)
        serializers_, errors = [], []
        for index, (item, matches) in enumerate(zip(items, self._existing(items), strict=True)):
            try:
                if len(matches) > 1:
                    raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [self._ambiguous_message()]})
                serializers_.append(self._upsert_serializer(matches[0] if matches else None, item, context))
            except (ValidationError, DjangoValidationError, PermissionDenied) as error:
                errors.append({"index": index, "errors": _errors_of(error)})
        if errors:
            return self._bulk_errors(errors)
        try:
            results = self._bulk_apply(serializers_)
        except _ItemError as error:
            return self._bulk_errors([{"index": error.index, "errors": error.errors}], error.status_code)
        return Response({"results": results})

    def _bulk_check_shape(self, items: list) -> list[dict]:
        errors, seen = [], {}
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                errors.append({"index": index, "errors": {api_settings.NON_FIELD_ERRORS_KEY: [
                    _("Each item must be a JSON object.")]}})
                continue
            wrong = _external_key_errors(item.get("external_source"), item.get("external_id"))
            if wrong:
                errors.append({"index": index, "errors": wrong})
                continue
            key = (str(item["external_source"]), str(item["external_id"]), str(item.get(self.upsert_scope[0])))
            if key in seen:
                errors.append({"index": index, "errors": {"external_id": [
                    _("Item %(other)d has the same external source and id.") % {"other": seen[key]}]}})
            seen.setdefault(key, index)
        return errors

    def _bulk_apply(self, serializers_: list) -> list[dict]:
        results = []
        # One transaction, all or none: the tracked writes share their locks, checks and history insert
        # (tenancy.activity.tracked_batch). Writes of a plan's objects change no grant, so the plan access found
        # for the first item stays true for the others.
        memo = plan_access_memo() if self.upsert_scope[2] == "plan_id" else nullcontext()
        with transaction.atomic(), tracked_batch(), memo:
            for index, serializer in enumerate(serializers_):
                try:
                    outcome = self._upsert_apply(serializer)
                except (DjangoValidationError, ValidationError, PermissionDenied) as error:
                    code = status.HTTP_403_FORBIDDEN if isinstance(error, PermissionDenied) else 400
                    raise _ItemError(index, _errors_of(error), code) from error
                except StaleVersion as error:
                    raise _ItemError(index, {"detail": [_("Someone else changed this object meanwhile (now at "
                                                          "version %(v)d). Send the batch again.")
                                                        % {"v": error.current.version}]}, 409) from error
                except IntegrityError as error:
                    raise _ItemError(index, {"external_id": [_("Another request created an object with this "
                                                               "external id meanwhile. Send the batch again.")]},
                                     409) from error
                obj = serializer.instance
                results.append({"index": index, "status": outcome, "id": obj.pk, "version": obj.version,
                                "external_source": obj.external_source, "external_id": obj.external_id})
        return results

    @staticmethod
    def _bulk_errors(errors: list, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
        detail = _("Nothing was written: fix the items listed in `errors` and send the batch again.")
        return Response({"detail": detail, "errors": errors}, status=code)

    def handle_exception(self, exc):
        if isinstance(exc, _Precondition):
            return Response(exc.body, status=status.HTTP_412_PRECONDITION_FAILED)
        return super().handle_exception(exc)


class _Precondition(Exception):  # noqa: N818
    def __init__(self, body: dict):
        self.body = body
        super().__init__(body["detail"])
