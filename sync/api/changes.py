"""`GET /api/v1/changes/`: every create, update and delete in an organisation, in commit order, by opaque cursor.

The feed reads planning's Activity rows (verbs created, updated, deleted; refused attempts are left out), ordered
by (writing transaction, id) and only below the horizon of running transactions (tenancy.feed_order), so a row
never becomes visible behind a cursor: a client that keeps the last `next` cursor and asks again later misses
nothing and sees nothing twice, and writers take no lock for it. The cursor holds the last (transaction, id) seen;
a cursor of the first version ("c1", the last id, from when writes queued on a lock and ids were committed in
order) still works: it reads on from that id.

Each entry carries the object as it is NOW (through the resource's API serializer), not as it was at that change:
a later update of the same object may already have happened. Clients apply entries idempotently by `version`
(skip an object whose version they already hold). An object deleted since, and every deletion, is a tombstone
`{"id": …, "deleted": true}`.

`TYPES` below is the one registry of what the feed (and webhooks) can show: Activity.target_type (the model label)
-> the API's type name (the router basename), the serializer, and the queryset to load objects from. A change of
a type not listed there still appears, with the model label as its type and `object` null.
"""

import base64
import binascii
import functools
from dataclasses import dataclass

from django.core import signing
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.site import absolute_url
from tenancy import selectors
from tenancy.access import membership_for, plans_for
from tenancy.feed_order import feed_horizon
from tenancy.models import Activity

FEED_VERBS = ("created", "updated", "deleted")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
CURSOR_VERSION = "c2"
OLD_CURSOR_VERSION = "c1"  # (organisation, last id): read as (organisation, transaction 0, id 0, above that id)
_signer = signing.Signer(salt="core.api.changes.cursor")  # the old module path: cursors clients hold stay valid


@dataclass(frozen=True)
class FeedType:
    """How the feed (and webhooks) show one kind of object. Dotted paths, imported on first use."""

    label: str  # Activity.target_type, the model's label_lower ("planning.touchpoint")
    name: str  # the API's name for it, the router basename ("touchpoint"): /api/v1/<plural>/<id>/
    serializer: str  # dotted path of the API serializer
    queryset: str = ""  # dotted path of a function returning the queryset to load from; default: all rows
    prefetch: tuple[str, ...] = ()  # prefetch_related() lookups the serializer reads (no query per object)
    plan_url: str = ""  # a per-plan singleton: the URL name reversed with the plan's id instead of "<name>-detail"

    @property
    def serializer_class(self) -> type:
        return _imported(self.serializer)

    def objects(self) -> QuerySet:
        objects = _imported(self.queryset)() if self.queryset else self.serializer_class.Meta.model._default_manager
        return objects.prefetch_related(*self.prefetch) if self.prefetch else objects.all()


_PLANNING = "planning.api.journey_serializers."
_ASSESSMENTS = "assessments.api.serializers."
_ROADMAPS = "roadmaps.api.item_serializers."
_EXPERIENCE = "experience.api.serializers."
_KPIS = "kpis.api.serializers."
# One line per kind of object a tracked write records (tenancy.activity); webhooks offer "<name>.<verb>" for each.
TYPES = [
    FeedType("tenancy.plan", "plan", "tenancy.api.serializers.PlanSerializer"),
    FeedType("planning.channel", "channel", _PLANNING + "ChannelSerializer"),
    FeedType("planning.persona", "persona", _PLANNING + "PersonaSerializer", prefetch=("preferred_channels",)),
    FeedType("planning.stakeholder", "stakeholder", _PLANNING + "StakeholderSerializer"),
    FeedType("planning.journey", "journey", _PLANNING + "JourneySerializer", "planning.selectors.journeys_with_counts"),
    FeedType("planning.stage", "stage", _PLANNING + "StageSerializer"),
    FeedType("planning.touchpoint", "touchpoint", _PLANNING + "TouchpointSerializer"),
    FeedType("workshops.comment", "comment", "workshops.api.comments.CommentSerializer",
             prefetch=("author", "resolved_by", "mentions")),
    FeedType("assessments.touchpointevaluation", "touchpoint-evaluation",
             _ASSESSMENTS + "TouchpointEvaluationSerializer", prefetch=("data_items",)),
    FeedType("assessments.datacaptureitem", "touchpoint-data-item", _ASSESSMENTS + "DataCaptureItemSerializer"),
    FeedType("assessments.touchpointagreement", "touchpoint-agreement", _ASSESSMENTS + "TouchpointAgreementSerializer"),
    FeedType("assessments.feedbackresponse", "feedback-response", _ASSESSMENTS + "FeedbackResponseSerializer",
             "assessments.selectors.feedback_with_voice"),
    FeedType("assessments.maturityassessment", "maturity-assessment", _ASSESSMENTS + "MaturityAssessmentSerializer",
             prefetch=("votes__participant",)),
    # Votes are read inside their assessment (no resource of their own, so no `url`).
    FeedType("assessments.maturityvote", "maturity-vote", _ASSESSMENTS + "MaturityVoteSerializer",
             prefetch=("participant",)),
    FeedType("assessments.audititem", "audit-item", _ASSESSMENTS + "AuditItemSerializer", prefetch=("touchpoints",)),
    # The organisation's theme taxonomy (no plan, no version: created and deleted, never edited in place).
    FeedType("assessments.theme", "theme", "assessments.api.themes.ThemeSerializer", prefetch=("rules",)),
    FeedType("assessments.themerule", "theme-rule", "assessments.api.themes.ThemeRuleSerializer"),
    FeedType("assessments.tag", "tag", "assessments.api.themes.TagSerializer"),
    FeedType("listening.mention", "mention", "listening.api.serializers.MentionSerializer",
             "listening.selectors.mentions_with_voice"),
    FeedType("listening.competitor", "competitor", "listening.api.serializers.CompetitorSerializer"),
    FeedType("experience.lane", "lane", _EXPERIENCE + "LaneSerializer"),
    FeedType("experience.lanecard", "lane-card", _EXPERIENCE + "LaneCardSerializer"),
    FeedType("experience.emotionscore", "emotion-score", _EXPERIENCE + "EmotionScoreSerializer"),
    FeedType("experience.painpoint", "pain-point", _EXPERIENCE + "PainPointSerializer",
             prefetch=("touchpoints", "verbatims", "opportunities")),
    FeedType("experience.opportunity", "opportunity", _EXPERIENCE + "OpportunitySerializer",
             prefetch=("touchpoints", "pain_points", "roadmap_items")),
    FeedType("roadmaps.roadmapitem", "roadmap-item", _ROADMAPS + "RoadmapItemSerializer",
             prefetch=("teams", "touchpoints", "objectives", "audit_gaps", "opportunities", "dependencies")),
    FeedType("roadmaps.scoringcriterion", "scoring-criterion", _ROADMAPS + "ScoringCriterionSerializer"),
    # One per plan, read and written at /plans/{plan}/scoring/; its method changes every item's score and rank.
    FeedType("roadmaps.scoringsettings", "scoring-settings", _ROADMAPS + "ScoringSettingsSerializer",
             plan_url="plan-scoring"),
    # Frozen once, never updated: only "created" (and "deleted" with its plan) ever appear.
    FeedType("versions.planversion", "plan-version", "versions.api.PlanVersionSerializer",
             "versions.selectors.versions_without_snapshots", prefetch=("created_by",)),
    # An organisation's saved plan template (no plan of its own): created and deleted, never edited.
    FeedType("library.plantemplate", "plan-template", "library.api.PlanTemplateSerializer",
             "library.selectors.templates_without_documents"),
    FeedType("library.libraryitem", "library-item", "library.api.LibraryItemSerializer",
             "library.selectors.library_items"),
    FeedType("kpis.kpi", "kpi", _KPIS + "KpiSerializer", "kpis.selectors.kpis_with_current"),
    FeedType("kpis.measurement", "kpi-measurement", _KPIS + "MeasurementSerializer"),
    FeedType("kpis.kpilink", "kpi-link", _KPIS + "KpiLinkSerializer"),
]


@functools.cache
def _imported(path: str):
    return import_string(path)


@functools.cache
def feed_types() -> dict[str, FeedType]:
    """label -> FeedType."""
    return {feed_type.label: feed_type for feed_type in TYPES}


def type_name(label: str) -> str:
    """The API type of a model label; a label the API does not serve yet stays as it is."""
    feed_type = feed_types().get(label)
    return feed_type.name if feed_type else label


# Cursors -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """Where a reader is in the feed: after the row (transaction, id); `floor`: only rows above that id."""

    transaction: int = 0
    id: int = 0
    floor: int = 0


START = Position()


def encode_cursor(organisation_id: int, position: Position) -> str:
    fields = (CURSOR_VERSION, organisation_id, position.transaction, position.id, position.floor)
    signed = _signer.sign(".".join(str(field) for field in fields))
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[int, Position]:
    """(organisation id, position) from a cursor this server made; ValueError for anything else."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        version, organisation_id, *numbers = _signer.unsign(raw).split(".")
    except (binascii.Error, UnicodeDecodeError, signing.BadSignature, ValueError) as error:
        raise ValueError("not a cursor of this feed") from error
    if not organisation_id.isdigit() or not all(number.isdigit() for number in numbers):
        raise ValueError("not a cursor of this feed")
    if version == OLD_CURSOR_VERSION and len(numbers) == 1:
        return int(organisation_id), Position(floor=int(numbers[0]))
    if version == CURSOR_VERSION and len(numbers) == 3:
        return int(organisation_id), Position(*(int(number) for number in numbers))
    raise ValueError("not a cursor of this feed")


# Entries -------------------------------------------------------------------------------------------------------


def tombstone(object_id: int) -> dict:
    return {"id": object_id, "deleted": True}


def change_entries(activities, *, context: dict) -> list[dict]:
    """Feed entries for Activity rows, loading the current objects with one query per type (plus prefetches)."""
    types = feed_types()
    wanted: dict[str, set[int]] = {}
    for activity in activities:
        if activity.verb != "deleted" and activity.target_type in types:
            wanted.setdefault(activity.target_type, set()).add(activity.target_id)
    current: dict[tuple[str, int], dict] = {}
    for label, ids in wanted.items():
        feed_type = types[label]
        objects = list(feed_type.objects().filter(pk__in=ids))
        serialized = feed_type.serializer_class(objects, many=True, context=context).data
        for obj, data in zip(objects, serialized, strict=True):  # by pk: not every serializer shows an `id`
            current[(label, obj.pk)] = data
    urls = _UrlTemplates()
    entries = []
    for activity in activities:
        if activity.verb == "deleted":
            obj = tombstone(activity.target_id)
        elif activity.target_type in types:
            obj = current.get((activity.target_type, activity.target_id)) or tombstone(activity.target_id)
        else:
            obj = None  # a kind of object the API does not serve yet
        entries.append({
            "change": activity.pk, "type": type_name(activity.target_type), "id": activity.target_id,
            "version": activity.version, "verb": activity.verb, "time": activity.created_at,
            "plan": activity.plan_id, "url": urls.url(activity.target_type, activity.target_id, activity.plan_id),
            "object": obj,
        })
    return entries


class _UrlTemplates:
    """Objects' absolute API addresses (where to GET them, PATCH them with If-Match), one reverse() per type."""

    PLACEHOLDER = "00000"

    def __init__(self):
        self.root = absolute_url("")  # SITE_URL, not the request's host: as in the webhooks (core.site)
        self.templates: dict[str, str | None] = {}

    def url(self, label: str, object_id: int, plan_id: int | None = None) -> str | None:
        feed_type = feed_types().get(label)
        if label not in self.templates:
            name = (feed_type.plan_url or f"{feed_type.name}-detail") if feed_type else None
            try:
                path = reverse(name, args=[self.PLACEHOLDER]) if name else None
            except NoReverseMatch:
                path = None
            self.templates[label] = self.root.rstrip("/") + path if path else None
        template = self.templates[label]
        key = plan_id if feed_type and feed_type.plan_url else object_id
        return template.replace(f"/{self.PLACEHOLDER}/", f"/{key}/") if template and key is not None else None


def changes_after(*, user, organisation, after: "Position") -> QuerySet:
    """The organisation's final changes after the `after` position that `user` may see, in feed order.

    Owners and admins see all of them. Other members see the plans they reach and the organisation-level rows
    (channels, and the tombstones of deleted plans).
    """

    changes = Activity.objects.filter(organisation=organisation, verb__in=FEED_VERBS).filter(
        Q(transaction__gt=after.transaction) | Q(transaction=after.transaction, id__gt=after.id))
    if after.floor:
        changes = changes.filter(id__gt=after.floor)
    horizon, own = feed_horizon()
    if horizon is not None:
        final = Q(transaction__lt=horizon)
        changes = changes.filter(final | Q(transaction=own) if own is not None else final)
    membership = membership_for(user, organisation.pk)
    if membership is None:
        return changes.none()
    if not membership.is_manager:
        changes = changes.filter(Q(plan__isnull=True) | Q(plan__in=plans_for(user).values("pk")))
    return changes.order_by("transaction", "id").only("id", "transaction", "verb", "target_type", "target_id",
                                                      "version", "created_at", "plan_id")


# The view ------------------------------------------------------------------------------------------------------


class FeedChangeSerializer(serializers.Serializer):
    change = serializers.IntegerField(help_text=gettext_lazy(
        "The change's id. The feed is ordered by the writing transaction, then by this id."))
    type = serializers.CharField(help_text=gettext_lazy('The resource, as in the API ("touchpoint", "persona"…).'))
    id = serializers.IntegerField(help_text=gettext_lazy("The object's id."))
    version = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("The object's version after this change (before it, for a delete)."))
    verb = serializers.ChoiceField(choices=FEED_VERBS)
    time = serializers.DateTimeField()
    plan = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "The object's plan; null for organisation-level objects (channels) and deleted plans."))
    url = serializers.URLField(allow_null=True, help_text=gettext_lazy(
        "The object's address in the API (GET it, PATCH it with If-Match); null for a type the API does not serve."))
    object = serializers.JSONField(allow_null=True, help_text=gettext_lazy(
        "The object as it is NOW (as GET would answer), or a tombstone {\"id\", \"deleted\": true} if it is gone. "
        "Apply by version: skip it if you already hold that version or a later one."))


class FeedPageSerializer(serializers.Serializer):
    results = FeedChangeSerializer(many=True)
    next = serializers.CharField(help_text=gettext_lazy(
        "The cursor to send next time; always present, also on an empty page (poll with it)."))
    has_more = serializers.BooleanField(help_text=gettext_lazy("Ask again at once: more changes are waiting."))


ERROR = inline_serializer("FeedError", {"detail": serializers.CharField(required=False)})


class ChangesView(APIView):
    """Every create, update and delete of the organisation's objects, oldest first, by opaque cursor."""

    @extend_schema(
        summary="The changes feed (for sync clients)",
        description=(
            "Start without a cursor, then always send the `next` cursor of the previous page. Entries are in the "
            "order of the transactions that wrote them, and a change appears once no earlier transaction can still "
            "commit: a client that stores `next` misses nothing and sees nothing twice. "
            "`object` is the object's CURRENT state (or a tombstone): apply entries idempotently by `version`. "
            "With an organisation API token the feed is that organisation's; otherwise give `organisation` "
            "when you belong to several (a cursor remembers it). Owners and admins see every change; other members "
            "the changes of the plans shared with them and of the organisation's channels. Access given later is "
            "not replayed: after a plan is shared with you, start again without a cursor."
        ),
        parameters=[
            OpenApiParameter("cursor", OpenApiTypes.STR, description=gettext_lazy(
                "The `next` of the previous page; none to start from the beginning.")),
            OpenApiParameter("page_size", OpenApiTypes.INT, description=gettext_lazy(
                "Changes per page, 1 to 1000 (default 100).")),
            OpenApiParameter("organisation", OpenApiTypes.INT, description=gettext_lazy(
                "The organisation's id; required on the first page if you belong to several.")),
        ],
        responses={
            200: FeedPageSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description=gettext_lazy(
                "A cursor, page size or organisation that cannot be read.")),
            404: OpenApiResponse(ERROR, description=gettext_lazy("No such organisation among yours.")),
        },
    )
    def get(self, request):
        cursor = request.query_params.get("cursor") or ""
        cursor_organisation, after = self._cursor(cursor)
        organisation = self._organisation(request, cursor_organisation)
        size = self._page_size(request)
        rows = list(changes_after(user=request.user, organisation=organisation, after=after)[:size + 1])
        page, has_more = rows[:size], len(rows) > size
        last = Position(page[-1].transaction, page[-1].pk, after.floor) if page else after
        return Response({
            "results": change_entries(page, context={"request": request}),
            "next": encode_cursor(organisation.pk, last),
            "has_more": has_more,
        })

    @staticmethod
    def _cursor(cursor: str) -> tuple[int | None, Position]:
        if not cursor:
            return None, START
        try:
            return decode_cursor(cursor)
        except ValueError as error:
            message = _("This is not a cursor of this feed: send back the `next` of a page, unchanged, or no cursor "
                        "to start from the beginning.")
            raise ValidationError({"cursor": [message]}) from error

    @staticmethod
    def _page_size(request) -> int:
        value = request.query_params.get("page_size") or str(DEFAULT_PAGE_SIZE)
        if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE_SIZE:
            raise ValidationError({"page_size": [_("A whole number from 1 to %d.") % MAX_PAGE_SIZE]})
        return int(value)

    @staticmethod
    def _organisation(request, from_cursor: int | None):

        organisations = selectors.organisation_list(user=request.user)  # an API token narrows it to its own
        requested = request.query_params.get("organisation") or ""
        if requested and not requested.isdigit():
            raise ValidationError({"organisation": [_("An organisation id.")]})
        wanted = int(requested) if requested else from_cursor
        if requested and from_cursor is not None and wanted != from_cursor:
            raise ValidationError({"cursor": [_("This cursor belongs to another organisation's feed.")]})
        if wanted is None:
            candidates = list(organisations.order_by("pk")[:2])
            if len(candidates) > 1:
                raise ValidationError({"organisation": [_("You belong to several organisations: say which one.")]})
            if not candidates:
                raise Http404(_("No such organisation."))
            return candidates[0]
        organisation = organisations.filter(pk=wanted).first()
        if organisation is None:
            raise Http404(_("No such organisation."))
        return organisation
