"""Lanes, lane cards, emotion scores, pain points and opportunities. Every write is tracked and versioned."""

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from experience.models import (
    TEXT_KINDS,
    EmotionScore,
    Lane,
    LaneCard,
    LaneKind,
    Opportunity,
    PainPoint,
)
from planning import services as planning
from planning.models import Journey, JourneyState, Stage, Touchpoint
from tenancy.access import require_plan_access
from tenancy.activity import atomic_write, tracked_create, tracked_delete, tracked_update

# A journey has at most one lane of these kinds: they draw the journey's data, not cards of their own.
SINGLE_KINDS = frozenset({LaneKind.EMOTION, LaneKind.METRICS, LaneKind.INSIGHTS})


def _check_in_journey(journey: Journey, **related) -> None:
    """Refuse (400, naming the field) a stage, touchpoint or pain point of another journey, or a verbatim of
    another plan."""
    for field, objects in related.items():
        for obj in objects if isinstance(objects, list | tuple | set) else [objects]:
            if obj is None:
                continue
            if getattr(obj, "journey_id", journey.pk) != journey.pk:
                raise ValidationError({field: _("This belongs to another journey.")})
            if getattr(obj, "plan_id", journey.plan_id) != journey.plan_id:
                raise ValidationError({field: _("This belongs to another plan.")})


# Lanes ----------------------------------------------------------------------------------------------------------


@atomic_write
def lane_create(*, journey: Journey, actor, kind: str, title: str = "", hidden: bool = False,
                external_source: str = "", external_id: str = "", position: int | None = None) -> Lane:
    require_plan_access(actor, journey.plan)
    if kind in SINGLE_KINDS and journey.lanes.filter(kind=kind).exists():
        raise ValidationError({"kind": _("This journey already has a lane of this kind; show it again if it "
                                         "is hidden.")})
    last = journey.lanes.aggregate(m=Max("position"))["m"]
    lane = Lane(plan_id=journey.plan_id, journey=journey, kind=kind, title=title.strip(), hidden=hidden,
                position=(last + 1) if last is not None else 0, external_source=external_source,
                external_id=external_id)
    tracked_create(lane, actor=actor)
    if position is not None and position < lane.position:
        lane = lane_move(lane=lane, actor=actor, position=position)
    return lane


def lane_update(*, lane: Lane, actor, version: int | None = None, **changes) -> Lane:
    require_plan_access(actor, lane.journey.plan)
    if "kind" in changes and changes["kind"] != lane.kind:
        if not (lane.is_text and changes["kind"] in TEXT_KINDS):
            raise ValidationError({"kind": _("A lane can change kind only between text kinds.")})
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
    if "position" in changes:
        lane = lane_move(lane=lane, actor=actor, position=changes.pop("position"), version=version)
        version = None
    # With If-Match, even a PATCH of nothing is checked (a stale one is refused), as for every other resource.
    return tracked_update(lane, actor=actor, changes=changes, version=version) if changes or version else lane


@atomic_write
def lane_move(*, lane: Lane, actor, position: int, version: int | None = None) -> Lane:
    """Put a lane at `position` (0-based) among its journey's lanes and renumber the others contiguously."""
    require_plan_access(actor, lane.journey.plan)
    siblings = [other for other in Lane.objects.select_for_update().filter(journey_id=lane.journey_id)
                if other.pk != lane.pk]
    position = max(0, min(position, len(siblings)))
    moved = tracked_update(lane, actor=actor, changes={"position": position}, version=version)
    for index, other in enumerate(siblings[:position] + [None] + siblings[position:]):
        if other is not None and other.position != index:
            tracked_update(other, actor=actor, changes={"position": index})
    return moved


def lane_delete(*, lane: Lane, actor, version: int | None = None) -> None:
    require_plan_access(actor, lane.journey.plan)
    tracked_delete(lane, actor=actor, version=version)


# Lane cards -----------------------------------------------------------------------------------------------------


def lane_card_create(*, lane: Lane, stage: Stage, actor, text: str, external_source: str = "",
                     external_id: str = "") -> LaneCard:
    require_plan_access(actor, lane.journey.plan)
    _check_in_journey(lane.journey, stage=stage)
    if not lane.is_text:
        raise ValidationError({"lane": _("Only a text lane holds cards.")})
    if LaneCard.objects.filter(lane=lane, stage=stage).exists():
        raise ValidationError({"stage": _("This lane already has a card at this stage; edit it instead.")})
    return tracked_create(LaneCard(plan_id=lane.plan_id, journey_id=lane.journey_id, lane=lane, stage=stage,
                                   text=text.strip(), external_source=external_source, external_id=external_id),
                          actor=actor)


def lane_card_update(*, card: LaneCard, actor, version: int | None = None, **changes) -> LaneCard:
    require_plan_access(actor, card.lane.journey.plan)
    if "stage" in changes:
        _check_in_journey(card.lane.journey, stage=changes["stage"])
    if "text" in changes:
        changes["text"] = changes["text"].strip()
    return tracked_update(card, actor=actor, changes=changes, version=version)


def lane_card_delete(*, card: LaneCard, actor, version: int | None = None) -> None:
    require_plan_access(actor, card.lane.journey.plan)
    tracked_delete(card, actor=actor, version=version)


# Emotion scores -------------------------------------------------------------------------------------------------


def emotion_create(*, journey: Journey, stage: Stage, actor, score: int, touchpoint: Touchpoint | None = None,
                   note: str = "") -> EmotionScore:
    require_plan_access(actor, journey.plan)
    _check_in_journey(journey, stage=stage, touchpoint=touchpoint)
    if touchpoint is not None and touchpoint.stage_id != stage.pk:
        raise ValidationError({"touchpoint": _("This touchpoint is in another stage.")})
    existing = EmotionScore.objects.filter(stage=stage, touchpoint=touchpoint)
    if existing.exists():
        raise ValidationError({"stage": _("There is already a score here; change it instead.")})
    return tracked_create(EmotionScore(plan_id=journey.plan_id, journey=journey, stage=stage, touchpoint=touchpoint,
                                       score=score, note=note.strip()), actor=actor)


def emotion_update(*, emotion: EmotionScore, actor, version: int | None = None, **changes) -> EmotionScore:
    require_plan_access(actor, emotion.journey.plan)
    if {"stage", "touchpoint"} & set(changes):
        raise ValidationError({"stage": _("A score stays where it was given; delete it and score the other "
                                          "place.")})
    return tracked_update(emotion, actor=actor, changes=changes, version=version)


def emotion_delete(*, emotion: EmotionScore, actor, version: int | None = None) -> None:
    require_plan_access(actor, emotion.journey.plan)
    tracked_delete(emotion, actor=actor, version=version)


def emotion_set(*, journey: Journey, stage: Stage, actor, score: int | None, touchpoint=None, note: str = "",
                version: int | None = None) -> EmotionScore | None:
    """Give, change (stale-checked with `version`) or clear (score None) the score of a stage or touchpoint."""
    current = EmotionScore.objects.filter(stage=stage, touchpoint=touchpoint, journey=journey).first()
    if current is None:
        if score is None:
            return None
        return emotion_create(journey=journey, stage=stage, touchpoint=touchpoint, actor=actor, score=score,
                              note=note)
    if score is None:
        emotion_delete(emotion=current, actor=actor, version=version)
        return None
    return emotion_update(emotion=current, actor=actor, version=version, score=score, note=note.strip())


# Pain points and opportunities ----------------------------------------------------------------------------------


@atomic_write
def pain_point_create(*, journey: Journey, stage: Stage, actor, title: str, touchpoints=(), verbatims=(),
                      **fields) -> PainPoint:
    require_plan_access(actor, journey.plan)
    _check_in_journey(journey, stage=stage, touchpoints=list(touchpoints), verbatims=list(verbatims))
    pain = PainPoint(plan_id=journey.plan_id, journey=journey, stage=stage, title=title.strip(), **fields)
    return tracked_create(pain, actor=actor, m2m={"touchpoints": list(touchpoints), "verbatims": list(verbatims)})


def pain_point_update(*, pain: PainPoint, actor, version: int | None = None, **changes) -> PainPoint:
    require_plan_access(actor, pain.journey.plan)
    _check_in_journey(pain.journey, **{name: changes[name] for name in ("stage", "touchpoints", "verbatims")
                                       if name in changes})
    return tracked_update(pain, actor=actor, changes=changes, version=version)


def pain_point_delete(*, pain: PainPoint, actor, version: int | None = None) -> None:
    require_plan_access(actor, pain.journey.plan)
    tracked_delete(pain, actor=actor, version=version)


@atomic_write
def opportunity_create(*, journey: Journey, stage: Stage, actor, title: str, touchpoints=(), pain_points=(),
                       **fields) -> Opportunity:
    require_plan_access(actor, journey.plan)
    _check_in_journey(journey, stage=stage, touchpoints=list(touchpoints), pain_points=list(pain_points))
    opportunity = Opportunity(plan_id=journey.plan_id, journey=journey, stage=stage, title=title.strip(), **fields)
    return tracked_create(opportunity, actor=actor,
                          m2m={"touchpoints": list(touchpoints), "pain_points": list(pain_points)})


def opportunity_update(*, opportunity: Opportunity, actor, version: int | None = None, **changes) -> Opportunity:
    require_plan_access(actor, opportunity.journey.plan)
    linked = ("stage", "touchpoints", "pain_points")
    _check_in_journey(opportunity.journey, **{name: changes[name] for name in linked if name in changes})
    return tracked_update(opportunity, actor=actor, changes=changes, version=version)


def opportunity_delete(*, opportunity: Opportunity, actor, version: int | None = None) -> None:
    require_plan_access(actor, opportunity.journey.plan)
    tracked_delete(opportunity, actor=actor, version=version)


def pain_point_to_opportunity(*, pain: PainPoint, actor) -> Opportunity:
    """An opportunity answering the pain point, at its stage and touchpoints, to be worded by the team."""
    return opportunity_create(journey=pain.journey, stage=pain.stage, actor=actor,
                              title=_("Answer: %s") % pain.title, description=pain.description,
                              touchpoints=list(pain.touchpoints.all()), pain_points=[pain], evidence=pain.evidence)


# As-is and to-be ------------------------------------------------------------------------------------------------


@atomic_write
def journey_future_create(*, journey: Journey, actor, name: str = "") -> Journey:
    """A future-state journey drawn from a current one: its stages, touchpoints, lanes with their cards and
    emotion scores are copied, so the team starts from today's map and the two curves can be compared."""
    stages = list(journey.stages.order_by("position", "id"))
    future = planning.journey_create(plan=journey.plan, actor=actor, persona=journey.persona,
                                     description=journey.description, template=[s.name for s in stages],
                                     name=(name or _("%s (to-be)") % journey.name)[:200],
                                     state=JourneyState.FUTURE, based_on=journey)
    copies = dict(zip((s.pk for s in stages), future.stages.order_by("position", "id"), strict=True))
    touchpoints = {}
    for touchpoint in journey.touchpoints.order_by("stage__position", "channel_id", "position", "id"):
        touchpoints[touchpoint.pk] = planning.touchpoint_create(
            stage=copies[touchpoint.stage_id], channel=touchpoint.channel, actor=actor, name=touchpoint.name,
            customer_action=touchpoint.customer_action, company_response=touchpoint.company_response,
            team=touchpoint.team, evidence=touchpoint.evidence)
    for lane in journey.lanes.prefetch_related("cards"):
        copy = lane_create(journey=future, actor=actor, kind=lane.kind, title=lane.title, hidden=lane.hidden)
        for card in lane.cards.all():
            lane_card_create(lane=copy, stage=copies[card.stage_id], actor=actor, text=card.text)
    for emotion in journey.emotion_scores.all():
        emotion_create(journey=future, stage=copies[emotion.stage_id], actor=actor, score=emotion.score,
                       touchpoint=touchpoints.get(emotion.touchpoint_id), note=emotion.note)
    return future
