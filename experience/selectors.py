"""Reads of the experience layer: a journey's lanes with everything they draw, in a constant number of queries."""

from statistics import median

from django.db.models import Count, F, Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import selectors as assessment_selectors
from assessments import voice
from assessments.models import Maturity, TouchpointAgreement, TouchpointEvaluation, VerbatimTheme
from experience import charts
from experience.models import EmotionScore, Lane, LaneCard, LaneKind, Opportunity, PainPoint
from listening.models import MentionTheme
from planning.models import Journey, JourneyState, Touchpoint
from tenancy.selectors import in_plans


def lane_list(*, user, plan=None) -> QuerySet[Lane]:
    return in_plans(Lane.objects.all(), user, plan)


def lane_card_list(*, user, plan=None) -> QuerySet[LaneCard]:
    return in_plans(LaneCard.objects.all(), user, plan)


def emotion_list(*, user, plan=None) -> QuerySet[EmotionScore]:
    return in_plans(EmotionScore.objects.all(), user, plan)


def pain_point_list(*, user, plan=None) -> QuerySet[PainPoint]:
    return in_plans(PainPoint.objects.all(), user, plan)


def opportunity_list(*, user, plan=None) -> QuerySet[Opportunity]:
    return in_plans(Opportunity.objects.all(), user, plan)


def _scores(journey: Journey) -> tuple[dict, dict, list]:
    """Stage scores {stage id: score}, touchpoint scores per stage {stage id: [score]}, and the touchpoint rows."""
    stage_scores, per_stage, rows = {}, {}, []
    for emotion in EmotionScore.objects.filter(journey=journey).annotate(touchpoint_name=F("touchpoint__name")) \
            .order_by("touchpoint__position", "touchpoint_id", "id"):
        if emotion.touchpoint_id is None:
            stage_scores[emotion.stage_id] = emotion
        else:
            per_stage.setdefault(emotion.stage_id, []).append(emotion.score)
            rows.append((emotion.stage_id, emotion.touchpoint_id, emotion.score, emotion.touchpoint_name))
    return stage_scores, per_stage, rows


def emotion_chart(journey: Journey, stages: list) -> dict:
    """What the emotion lane draws: this journey's curve, the compared journey's (as-is ↔ to-be), the markers."""
    stage_scores, per_stage, touchpoint_rows = _scores(journey)
    values = charts.stage_values([s.pk for s in stages], {pk: e.score for pk, e in stage_scores.items()}, per_stage)
    mine = charts.curve(values)
    for point in mine.points:
        stage = stages[point.stage_index]
        point.label, point.stage_id = stage.name, stage.pk
        own = stage_scores.get(stage.pk)
        point.version = own.version if own else None
    compared_journey = journey.based_on if journey.state == JourneyState.FUTURE else journey.futures.order_by(
        "pk").first()
    curves, compared = [mine], None
    if compared_journey is not None:
        their_stages = list(compared_journey.stages.order_by("position", "id"))[:len(stages)]
        their_scores, their_per_stage, _rows = _scores(compared_journey)
        theirs = charts.stage_values([s.pk for s in their_stages], {pk: e.score for pk, e in their_scores.items()},
                                     their_per_stage)
        theirs += [None] * (len(stages) - len(theirs))
        compared = {"journey": compared_journey, "curve": charts.curve(theirs, dashed=True, mark_lowest=False)}
        curves.append(compared["curve"])
    return {
        "svg": charts.svg(curves, title=_("Emotion curve of %s") % journey.name),
        "points": mine.points,
        "touchpoint_points": charts.touchpoint_points(stages, touchpoint_rows),
        "compared": compared,
        "cells": [{"stage": stage, "value": value, "own": stage_scores.get(stage.pk)}
                  for stage, value in zip(stages, values, strict=True)],
        "lowest": [point for point in mine.points if point.lowest],
    }


def stage_metrics(journey: Journey, stages: list) -> list[dict]:
    """Per stage: NPS, CES and CSAT of its touchpoints' feedback and their agreed maturity (median). Three
    queries of plain values: the agreed maturity of a touchpoint is the workshop's override, else the median of
    the teams' evaluations (as assessments.selectors.summarise decides it)."""
    feedback = assessment_selectors.feedback_statistics_by_stage(journey=journey)
    evaluated: dict[int, list] = {}
    stage_of: dict[int, int] = {}
    for touchpoint_id, stage_id, level in TouchpointEvaluation.objects.filter(
            plan_id=journey.plan_id, touchpoint__journey=journey).values_list(
            "touchpoint_id", "touchpoint__stage_id", "maturity"):
        evaluated.setdefault(touchpoint_id, []).append(level)
        stage_of[touchpoint_id] = stage_id
    overrides = {}
    for touchpoint_id, stage_id, level in TouchpointAgreement.objects.filter(
            plan_id=journey.plan_id, touchpoint__journey=journey, maturity__isnull=False).values_list(
            "touchpoint_id", "touchpoint__stage_id", "maturity"):
        overrides[touchpoint_id] = level
        stage_of[touchpoint_id] = stage_id
    maturity: dict[int, list] = {}
    for touchpoint_id, stage_id in stage_of.items():
        agreed = overrides.get(touchpoint_id)
        if agreed is None:
            agreed = median(evaluated[touchpoint_id])
        maturity.setdefault(stage_id, []).append(agreed)
    verbatims, mentions = stage_voice(journey)
    cells = []
    for stage in stages:
        levels = maturity.get(stage.pk)
        level = median(levels) if levels else None
        cells.append({"stage": stage, "feedback": feedback.get(stage.pk), "maturity": level,
                      "maturity_label": _level_name(level), "voice": verbatims.get(stage.pk, []),
                      "mention_voice": mentions.get(stage.pk, [])})
    return cells


MAP_THEMES, MAP_EXAMPLES = 2, 1  # a map cell is narrow: two themes, one example each


def stage_voice(journey: Journey) -> tuple[dict, dict]:
    """Per stage: the top negative themes of the verbatims of its touchpoints, and of the mentions linked to them
    (assessments.voice): four queries whatever the number of stages, touchpoints or texts."""
    verbatims = VerbatimTheme.objects.filter(response__plan_id=journey.plan_id, response__touchpoint__journey=journey)
    mentions = MentionTheme.objects.filter(mention__plan_id=journey.plan_id, mention__touchpoint__journey=journey)
    return (voice.negative_themes(verbatims, group="response__touchpoint__stage_id", top=MAP_THEMES,
                                  examples=MAP_EXAMPLES),
            voice.negative_themes(mentions, source=voice.MENTIONS, group="mention__touchpoint__stage_id",
                                  top=MAP_THEMES, examples=MAP_EXAMPLES))


def _level_name(level) -> str | None:
    """"Managed" for 2 (the level's name without its number and description); None between two levels."""
    if level is None or level != round(level):
        return None
    label = str(Maturity(round(level)).label)
    return label.split("·", 1)[-1].split(":", 1)[0].strip()


def insights_by_stage(journey: Journey, stages: list) -> list[dict]:
    """Per stage: its pain points (with how many verbatims support each) and opportunities, with the names and
    titles their cards link to, loaded as plain rows."""
    named = Touchpoint.objects.only("pk", "name")
    pains = (PainPoint.objects.filter(journey=journey).annotate(verbatim_count=Count("verbatims", distinct=True))
             .prefetch_related(Prefetch("touchpoints", queryset=named)))
    opportunities = (Opportunity.objects.filter(journey=journey)
                     .prefetch_related(Prefetch("touchpoints", queryset=named),
                                       Prefetch("pain_points", queryset=PainPoint.objects.only("pk", "title")),
                                       Prefetch("roadmap_items", queryset=_roadmap_items())))
    by_stage = {stage.pk: {"stage": stage, "pains": [], "opportunities": []} for stage in stages}
    answered_by: dict[int, list] = {}
    for opportunity in opportunities:
        by_stage[opportunity.stage_id]["opportunities"].append(opportunity)
        for pain in opportunity.pain_points.all():
            answered_by.setdefault(pain.pk, []).append(opportunity)
    for pain in pains:
        pain.answered_by = answered_by.get(pain.pk, [])  # the opportunities answering it, from the links above
        by_stage[pain.stage_id]["pains"].append(pain)
    return list(by_stage.values())


def _roadmap_items():
    """The roadmap items answering an opportunity, id and title only (the model is the roadmaps app's, above)."""
    return Opportunity.roadmap_items.rel.related_model.objects.only("pk", "plan_id", "title")


def journey_lanes(journey: Journey) -> list[Lane]:
    return list(journey.lanes.order_by("position", "id"))


def text_cells(lanes: list[Lane], stages: list) -> dict[int, list[dict]]:
    """Per text lane: one cell per stage with its card (or None), in one query."""
    ids = [lane.pk for lane in lanes if lane.is_text]
    cards = {(card.lane_id, card.stage_id): card for card in LaneCard.objects.filter(lane_id__in=ids)}
    return {pk: [{"stage": stage, "card": cards.get((pk, stage.pk))} for stage in stages] for pk in ids}


KIND_HINTS = {
    LaneKind.ACTIONS: gettext_lazy("What does the customer do at this step?"),
    LaneKind.THOUGHTS: gettext_lazy("What do they think, what do they ask themselves?"),
    LaneKind.FEELINGS: gettext_lazy("What does it feel like?"),
    LaneKind.WENT_WELL: gettext_lazy("What went well?"),
    LaneKind.FELL_SHORT: gettext_lazy("What fell short?"),
    LaneKind.BACKSTAGE: gettext_lazy("What happens behind the scenes to serve them?"),
    LaneKind.SYSTEMS: gettext_lazy("Which systems and data are involved?"),
}
