"""Every write of assessments: evaluations, agreed values, feedback, maturity and audits (tracked, versioned)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import rollups
from assessments.models import (
    SCALES,
    AuditItem,
    DataCaptureItem,
    FeedbackKind,
    FeedbackResponse,
    MaturityAssessment,
    MaturityVote,
    Sentiment,
    TouchpointAgreement,
    TouchpointEvaluation,
)
from assessments.sentiment import analyse, label_for
from assessments.services_themes import organisation_rules, rule_themes_write
from core.bulk import copy_rows
from core.versioning import StaleVersion
from tenancy.access import Access, require_plan_access
from tenancy.activity import activity_rows_record, tracked_create, tracked_delete, tracked_update
from tenancy.models import Verb


def _plan_of(touchpoint):
    return touchpoint.plan


# Evaluations ---------------------------------------------------------------------------------------------------


@transaction.atomic
def evaluation_create(*, touchpoint, team, actor, **fields) -> TouchpointEvaluation:
    """A team's evaluation of a touchpoint (one per team: a second one is refused, edit the first)."""
    plan = _plan_of(touchpoint)
    require_plan_access(actor, plan)
    if team.organisation_id != plan.organisation_id:
        raise ValidationError({"team": _("The team must belong to the plan's organisation.")})
    if TouchpointEvaluation.objects.filter(touchpoint=touchpoint, team=team).exists():
        raise ValidationError({"team": _("%s has already evaluated this touchpoint: edit that evaluation.") % team})
    evaluation = TouchpointEvaluation(plan_id=plan.pk, touchpoint=touchpoint, team=team, evaluated_by=actor,
                                      **fields)
    return tracked_create(evaluation, actor=actor)


def evaluation_update(*, evaluation: TouchpointEvaluation, actor, version=None, **changes) -> TouchpointEvaluation:
    require_plan_access(actor, evaluation.plan)
    if "team" in changes or "touchpoint" in changes:
        raise ValidationError(_("An evaluation cannot move to another team or touchpoint."))
    return tracked_update(evaluation, actor=actor, changes=changes, version=version)


def evaluation_delete(*, evaluation: TouchpointEvaluation, actor, version=None) -> None:
    require_plan_access(actor, evaluation.plan)
    tracked_delete(evaluation, actor=actor, version=version)


@transaction.atomic
def data_item_create(*, evaluation: TouchpointEvaluation, actor, **fields) -> DataCaptureItem:
    require_plan_access(actor, evaluation.plan)
    position = evaluation.data_items.count()
    return tracked_create(DataCaptureItem(plan_id=evaluation.plan_id, evaluation=evaluation, position=position,
                                          **fields), actor=actor)


def data_item_update(*, item: DataCaptureItem, actor, version=None, **changes) -> DataCaptureItem:
    require_plan_access(actor, item.evaluation.plan)
    return tracked_update(item, actor=actor, changes=changes, version=version)


def data_item_delete(*, item: DataCaptureItem, actor, version=None) -> None:
    require_plan_access(actor, item.evaluation.plan)
    tracked_delete(item, actor=actor, version=version)


def agreement_set(*, touchpoint, actor, reason: str, version=None, **values) -> TouchpointAgreement:
    """An editor sets the agreed value of a touchpoint, overriding the teams' median; a reason is required."""
    plan = _plan_of(touchpoint)
    require_plan_access(actor, plan)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the workshop agreed on this value.")})
    existing = TouchpointAgreement.objects.filter(touchpoint=touchpoint).first()
    if existing is None:
        return tracked_create(TouchpointAgreement(plan_id=plan.pk, touchpoint=touchpoint, reason=reason.strip(),
                                                  agreed_by=actor, **values), actor=actor)
    return tracked_update(existing, actor=actor, version=version,
                          changes={"reason": reason.strip(), "agreed_by": actor, **values})


def agreement_clear(*, touchpoint, actor, version=None) -> None:
    """Go back to the median of the teams."""
    require_plan_access(actor, _plan_of(touchpoint))
    existing = TouchpointAgreement.objects.filter(touchpoint=touchpoint).first()
    if existing is not None:
        tracked_delete(existing, actor=actor, version=version)


# Feedback ------------------------------------------------------------------------------------------------------


def feedback_check(*, kind: str, score) -> None:
    if kind not in SCALES:
        raise ValidationError({"kind": _("Unknown kind: use nps, ces or csat.")})
    low, high = SCALES[kind]
    if not isinstance(score, int) or not low <= score <= high:
        raise ValidationError({"score": _("A %(kind)s score is a whole number from %(low)s to %(high)s.")
                               % {"kind": kind.upper(), "low": low, "high": high}})


@transaction.atomic
def feedback_create(*, touchpoint, actor, kind: str, score: int, responded_on, source="", verbatim=""):
    plan = _plan_of(touchpoint)
    require_plan_access(actor, plan)
    feedback_check(kind=kind, score=score)
    response = tracked_create(FeedbackResponse(plan_id=plan.pk, touchpoint=touchpoint, kind=kind, score=score,
                                               responded_on=responded_on, source=source, verbatim=verbatim,
                                               **_sentiment_of(verbatim)), actor=actor)
    rule_themes_write([(response.pk, verbatim)], organisation_rules(plan.organisation_id), fresh=True)
    rollups.record(added=[response])
    return response


RESPONSE_COLUMNS = ("plan_id", "touchpoint_id", "kind", "score", "responded_on", "source", "verbatim", "sentiment",
                    "sentiment_score", "sentiment_corrected", "version", "created_at", "updated_at")


@transaction.atomic
def feedback_bulk_create(*, plan, actor, rows: Iterable[dict], batch_size: int = 2000) -> int:
    """Insert already-validated responses of one plan in batches (imports and the bulk API).

    Each row is a dict of touchpoint_id, kind, score, responded_on and optionally source and verbatim. Rows go to
    the database as plain values (core.bulk.copy_rows), never as model instances: at 100,000 rows building the
    instances cost more than storing them. Each response gets its own "created" history row, so the changes feed
    and webhooks see every one; it is written with its batch, from the same values, under no lock: other writes of
    the organisation go on meanwhile, and the changes feed shows theirs after the import's (tenancy.feed_order).
    Only the current batch is held in memory, whatever the size of the file. The organisation's theme rules are
    read once and run on each batch as it is inserted: one more insert per batch, never a query per row. The
    rollups (assessments.rollups) are summed per cell in memory and written last, one upsert per 200 cells.
    """
    require_plan_access(actor, plan)
    writer = _BulkWriter(plan, actor)
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            writer.insert(batch)
            batch = []
    writer.insert(batch)
    writer.deltas.apply()
    return writer.created


class _BulkWriter:
    """Inserts batches of validated rows of one plan: responses, their rule themes, their history; counts rollups."""

    def __init__(self, plan, actor):
        self.plan = plan
        self.actor = actor
        self.rules = organisation_rules(plan.organisation_id)
        self.labels = {kind: str(label) for kind, label in FeedbackKind.choices}
        self.deltas = rollups.Deltas()
        self.created = 0

    def insert(self, batch: list[dict]) -> None:
        if not batch:
            return
        now = timezone.now()
        values = []
        for row in batch:
            verbatim = row.get("verbatim") or ""
            label, score = analyse(verbatim)
            values.append((self.plan.pk, row["touchpoint_id"], row["kind"], row["score"], row["responded_on"],
                           row.get("source") or "", verbatim, label, score, False, 1, now, now))
        ids = copy_rows(FeedbackResponse, RESPONSE_COLUMNS, values)
        self.created += len(ids)
        self.deltas.add_rows((plan_id, touchpoint_id, kind, day, score, bool(verbatim))
                             for plan_id, touchpoint_id, kind, score, day, _source, verbatim, *_rest in values)
        rule_themes_write(((pk, value[6]) for pk, value in zip(ids, values, strict=True) if value[6]), self.rules,
                          fresh=True)
        activity_rows_record(organisation_id=self.plan.organisation_id, plan_id=self.plan.pk, actor=self.actor,
                             verb=Verb.CREATED, target_type="assessments.feedbackresponse",
                             rows=(self._history(pk, value) for pk, value in zip(ids, values, strict=True)))

    def _history(self, pk: int, value: tuple) -> tuple:
        """One "created" history row, as tracked_create would record it (fields with a value, dates as text)."""
        _plan, touchpoint_id, kind, score, responded_on, source, verbatim = value[:7]
        changes = {"touchpoint": [None, touchpoint_id], "kind": [None, kind], "score": [None, score],
                   "responded_on": [None, str(responded_on)]}  # str() of a date is its ISO form
        if source:
            changes["source"] = [None, source]
        if verbatim:
            changes["verbatim"] = [None, verbatim]
        return pk, f"{self.labels[kind]} {score}", 1, changes


def feedback_update(*, response: FeedbackResponse, actor, version=None, **changes) -> FeedbackResponse:
    """Change a response; its rollup cells follow in the same transaction (a refused stale write still records
    its attempt, as tracked_update does)."""
    require_plan_access(actor, response.plan)
    feedback_check(kind=changes.get("kind", response.kind), score=changes.get("score", response.score))
    before = response.verbatim
    if "verbatim" in changes and changes["verbatim"] != before:
        computed = _sentiment_of(changes["verbatim"])
        changes["sentiment_score"] = computed["sentiment_score"]
        if not response.sentiment_corrected:
            changes["sentiment"] = computed["sentiment"]
    refused = None
    with transaction.atomic():
        counted = rollups.counted_now(response.pk)
        try:
            response = tracked_update(response, actor=actor, changes=changes, version=version)
        except StaleVersion as stale:
            refused = stale
        else:
            if response.verbatim != before:
                rule_themes_write([(response.pk, response.verbatim)],
                                  organisation_rules(response.plan.organisation_id))
            rollups.record(before=counted, after=rollups.Counted.of(response))
    if refused is not None:
        raise refused
    return response


def _sentiment_of(verbatim: str) -> dict:
    label, score = analyse(verbatim or "")
    return {"sentiment": label, "sentiment_score": score}


def feedback_sentiment_correct(*, response: FeedbackResponse, actor, sentiment: str, version=None):
    """A person sets the sentiment; it wins over the computed one until cleared (sentiment="" goes back to it)."""
    require_plan_access(actor, response.plan)
    if sentiment and sentiment not in Sentiment.values:
        raise ValidationError({"sentiment": _("Use negative, neutral or positive.")})
    if sentiment:
        changes = {"sentiment": sentiment, "sentiment_corrected": True}
    else:
        computed = label_for(response.sentiment_score) if response.sentiment_score is not None else ""
        changes = {"sentiment": computed, "sentiment_corrected": False}
    return tracked_update(response, actor=actor, changes=changes, version=version)


@transaction.atomic
def feedback_delete(*, response: FeedbackResponse, actor, version=None) -> None:
    require_plan_access(actor, response.plan)
    counted = rollups.counted_now(response.pk)
    tracked_delete(response, actor=actor, version=version)
    rollups.record(before=counted)


# Digital maturity ----------------------------------------------------------------------------------------------


@transaction.atomic
def maturity_assessment_create(*, plan, actor, assessed_on, **fields) -> MaturityAssessment:
    require_plan_access(actor, plan)
    return tracked_create(MaturityAssessment(plan=plan, assessed_on=assessed_on, **fields), actor=actor)


def maturity_assessment_update(*, assessment: MaturityAssessment, actor, version=None, **changes):
    require_plan_access(actor, assessment.plan)
    return tracked_update(assessment, actor=actor, changes=changes, version=version)


def maturity_assessment_delete(*, assessment: MaturityAssessment, actor, version=None) -> None:
    require_plan_access(actor, assessment.plan)
    tracked_delete(assessment, actor=actor, version=version)


@transaction.atomic
def maturity_vote_cast(*, assessment: MaturityAssessment, actor, channel_level: int, engagement_level: int):
    """A participant places the organisation on both axes (casting again replaces their vote)."""
    require_plan_access(actor, assessment.plan, Access.VIEW)  # every participant votes, viewers included
    vote = MaturityVote.objects.filter(assessment=assessment, participant=actor).first()
    if vote is None:
        return tracked_create(MaturityVote(plan_id=assessment.plan_id, assessment=assessment, participant=actor,
                                           channel_level=channel_level, engagement_level=engagement_level),
                              actor=actor)
    return tracked_update(vote, actor=actor, changes={"channel_level": channel_level,
                                                      "engagement_level": engagement_level})


# Audits --------------------------------------------------------------------------------------------------------


def _check_touchpoints(plan, touchpoints) -> list:
    touchpoints = list(touchpoints or [])
    if any(t.plan_id != plan.pk for t in touchpoints):
        raise ValidationError({"touchpoints": _("Touchpoints must belong to the same plan.")})
    return touchpoints


@transaction.atomic
def audit_item_create(*, plan, actor, kind, step, title, answers=None, touchpoints=()) -> AuditItem:
    require_plan_access(actor, plan)
    item = AuditItem(plan=plan, kind=kind, step=step, title=title.strip(), answers=answers or {})
    return tracked_create(item, actor=actor, m2m={"touchpoints": _check_touchpoints(plan, touchpoints)})


def audit_item_update(*, item: AuditItem, actor, version=None, **changes) -> AuditItem:
    require_plan_access(actor, item.plan)
    if "touchpoints" in changes:
        changes["touchpoints"] = _check_touchpoints(item.plan, changes["touchpoints"])
    return tracked_update(item, actor=actor, changes=changes, version=version)


def audit_item_delete(*, item: AuditItem, actor, version=None) -> None:
    require_plan_access(actor, item.plan)
    tracked_delete(item, actor=actor, version=version)
