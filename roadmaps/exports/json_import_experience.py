"""Import of an exported document's experience layer (json_import.import_rows calls it after the feedback):
journey states and their as-is ↔ to-be links, lanes with their cards, emotion scores, pain points with their
verbatims, and opportunities. Rows link through the file's references (J, ST, TP, L, PP, O); a verbatim is found
by its touchpoint, date and text among the feedback just imported. Documents written before lanes existed have
none of these keys and import as before.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from assessments.models import FeedbackResponse
from experience.models import EmotionScore, Lane, LaneCard, Opportunity, PainPoint
from planning.models import Journey


def _text(value) -> str:
    return "" if value is None else str(value)


def import_experience(ctx, data: dict, *, clean: Callable) -> None:
    _based_on(ctx, data.get("journeys", []))
    _lanes(ctx, data.get("lanes", []), clean)
    _emotions(ctx, data.get("emotions", []), clean)
    _pains(ctx, data.get("pain_points", []), clean)
    _opportunities(ctx, data.get("opportunities", []), clean)


def _based_on(ctx, rows: list[dict]) -> None:
    for i, r in enumerate(rows):
        if r.get("based_on"):
            journey = ctx.ref("J", r["ref"], f"journeys[{i}]")
            source = ctx.ref("J", r["based_on"], f"journeys[{i}].based_on")
            Journey.objects.filter(pk=journey.pk).update(based_on=source)


def _lanes(ctx, rows: list[dict], clean: Callable) -> None:
    lanes = [clean(Lane(plan=ctx.plan, journey=ctx.ref("J", r["journey"], f"lanes[{i}].journey"), kind=r["kind"],
                        title=_text(r.get("title")), position=r.get("position") or 0, hidden=bool(r.get("hidden"))),
                   f"lanes[{i}]") for i, r in enumerate(rows)]
    created = Lane.objects.bulk_create(lanes)
    ctx.refs["L"] = {r["ref"]: lane for r, lane in zip(rows, created, strict=True)}
    cards = []
    for i, (r, lane) in enumerate(zip(rows, created, strict=True)):
        for card in r.get("cards", []):
            stage = ctx.ref("ST", card["stage"], f"lanes[{i}].cards")
            if stage.journey_id != lane.journey_id:
                _outside(f"lanes[{i}].cards", card["stage"])
            cards.append(clean(LaneCard(plan=ctx.plan, journey_id=lane.journey_id, lane=lane, stage=stage,
                                        text=_text(card.get("text"))), f"lanes[{i}].cards"))
    LaneCard.objects.bulk_create(cards)


def _outside(where: str, ref: str):
    raise ValidationError(_("%(where)s refers to %(ref)s, which belongs to another journey.")
                          % {"where": where, "ref": ref})


def _emotions(ctx, rows: list[dict], clean: Callable) -> None:
    emotions = []
    for i, r in enumerate(rows):
        where = f"emotions[{i}]"
        stage = ctx.ref("ST", r["stage"], where)
        touchpoint = ctx.ref("TP", r["touchpoint"], where) if r.get("touchpoint") else None
        emotions.append(clean(EmotionScore(plan=ctx.plan, journey_id=stage.journey_id, stage=stage,
                                           touchpoint=touchpoint, score=r["score"], note=_text(r.get("note"))),
                              where))
    EmotionScore.objects.bulk_create(emotions)


def _verbatim_index(ctx) -> dict:
    """{(touchpoint id, date, text): [response ids]}: identical answers are told apart by their order."""
    index: dict[tuple, list[int]] = {}
    responses = FeedbackResponse.objects.filter(plan=ctx.plan).exclude(verbatim="").order_by("pk")
    for r in responses.only("pk", "touchpoint_id", "responded_on", "verbatim"):
        index.setdefault((r.touchpoint_id, r.responded_on, r.verbatim), []).append(r.pk)
    return index


def _pains(ctx, rows: list[dict], clean: Callable) -> None:
    pains = []
    for i, r in enumerate(rows):
        stage = ctx.ref("ST", r["stage"], f"pain_points[{i}].stage")
        pains.append(clean(PainPoint(plan=ctx.plan, journey_id=stage.journey_id, stage=stage, title=r["title"],
                                     description=_text(r.get("description")), severity=r.get("severity") or 2,
                                     evidence=r.get("evidence") or "assumed"), f"pain_points[{i}]"))
    created = PainPoint.objects.bulk_create(pains)
    ctx.refs["PP"] = {r["ref"]: pain for r, pain in zip(rows, created, strict=True)}
    index = _verbatim_index(ctx) if any(r.get("verbatims") for r in rows) else {}
    links, quoted = PainPoint.touchpoints.through, PainPoint.verbatims.through
    links.objects.bulk_create([
        links(painpoint_id=pain.pk, touchpoint_id=ctx.ref("TP", ref, f"pain_points[{r['ref']}].touchpoints").pk)
        for r, pain in zip(rows, created, strict=True) for ref in r.get("touchpoints", [])])
    found = []
    for r, pain in zip(rows, created, strict=True):
        used: dict[tuple, int] = {}
        for v in r.get("verbatims", []):
            touchpoint = ctx.ref("TP", v["touchpoint"], f"pain_points[{r['ref']}].verbatims")
            key = (touchpoint.pk, parse_date(v.get("responded_on") or ""), _text(v.get("verbatim")))
            candidates, taken = index.get(key, []), used.get(key, 0)
            if taken < len(candidates):
                used[key] = taken + 1
                found.append(quoted(painpoint_id=pain.pk, feedbackresponse_id=candidates[taken]))
            else:
                ctx.warnings.append(_("%(where)s: a verbatim it cites is not in the file's feedback; left out.")
                                    % {"where": f"pain_points[{r['ref']}]"})
    quoted.objects.bulk_create(found)


def _opportunities(ctx, rows: list[dict], clean: Callable) -> None:
    opportunities = []
    for i, r in enumerate(rows):
        stage = ctx.ref("ST", r["stage"], f"opportunities[{i}].stage")
        opportunities.append(clean(Opportunity(
            plan=ctx.plan, journey_id=stage.journey_id, stage=stage, title=r["title"],
            description=_text(r.get("description")), expected_value=r.get("expected_value") or 3,
            evidence=r.get("evidence") or "assumed"), f"opportunities[{i}]"))
    created = Opportunity.objects.bulk_create(opportunities)
    ctx.refs["O"] = {r["ref"]: opportunity for r, opportunity in zip(rows, created, strict=True)}
    touchpoints, pains = Opportunity.touchpoints.through, Opportunity.pain_points.through
    touchpoints.objects.bulk_create([
        touchpoints(opportunity_id=o.pk, touchpoint_id=ctx.ref("TP", ref, f"opportunities[{r['ref']}]").pk)
        for r, o in zip(rows, created, strict=True) for ref in r.get("touchpoints", [])])
    pains.objects.bulk_create([
        pains(opportunity_id=o.pk, painpoint_id=ctx.ref("PP", ref, f"opportunities[{r['ref']}].pain_points").pk)
        for r, o in zip(rows, created, strict=True) for ref in r.get("pain_points", [])])
