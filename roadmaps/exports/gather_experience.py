"""The experience layer of an exported plan: each journey's state, lanes with their cards, emotion scores (and the
curve the PDF draws), pain points with their verbatims, and opportunities. Rows carry the export's references
(L1, PP1, O1 …, like gather.py's J1, ST1, TP1), so the JSON document links them without database ids.

A verbatim has no reference of its own (feedback rows are streamed): it is named by its touchpoint, date and text.
"""

from django.db.models import F

from experience import charts
from experience.models import EmotionScore, Lane, Opportunity, PainPoint


def gather_experience(plan, journeys: dict, stages: dict, touchpoints: dict) -> dict:
    """Fill every journey dict with "based_on" (a reference) and "experience"; returns {opportunity id: ref} for the
    roadmap rows. A constant number of queries whatever the plan's size."""
    for journey in journeys.values():
        based_on = journey.pop("based_on_id", None)
        journey["based_on"] = journeys[based_on]["ref"] if based_on in journeys else ""
        journey["experience"] = {"lanes": [], "emotions": [], "pain_points": [], "opportunities": []}
    lanes = journey_lanes(plan, journeys, stages)
    _emotions(plan, journeys, stages, touchpoints)
    pains = _pains(plan, journeys, stages, touchpoints)
    opportunity_refs = _opportunities(plan, journeys, stages, touchpoints, pains)
    for journey in journeys.values():
        _curve(journey, journeys)
    return {"lanes": lanes, "opportunity_refs": opportunity_refs}


def journey_lanes(plan, journeys, stages, journey_ids=None) -> list[dict]:
    """The lanes of the journeys (all of the plan's, or those of `journey_ids`), each in its journey's experience."""
    lanes = Lane.objects.filter(plan=plan)
    if journey_ids is not None:
        lanes = lanes.filter(journey_id__in=list(journey_ids))
    rows = []
    for lane in lanes.prefetch_related("cards").order_by("journey_id", "position", "id"):
        journey = journeys.get(lane.journey_id)
        if journey is None:
            continue
        cards = {card.stage_id: card.text for card in lane.cards.all()}
        row = {"id": lane.pk, "journey": journey["ref"], "kind": lane.kind, "title": lane.title,
               "label": str(lane), "position": lane.position, "hidden": lane.hidden,
               "cards": [{"stage": stages[s["id"]]["ref"], "text": cards[s["id"]]} for s in journey["stages"]
                         if s["id"] in cards],
               "texts": [cards.get(s["id"], "") for s in journey["stages"]]}
        journey["experience"]["lanes"].append(row)
        rows.append(row)
    for index, row in enumerate(sorted(rows, key=lambda r: (int(r["journey"][1:]), r["position"], r["id"])),
                                start=1):
        row["ref"] = f"L{index}"
    return rows


def _emotions(plan, journeys, stages, touchpoints) -> None:
    # A stage's own score first, then its touchpoints' (NULLs sort last on PostgreSQL, first on SQLite).
    order = ("stage__position", "stage_id", F("touchpoint_id").asc(nulls_first=True), "id")
    for emotion in EmotionScore.objects.filter(plan=plan).order_by(*order):
        journey = journeys.get(emotion.journey_id)
        if journey is None:
            continue
        journey["experience"]["emotions"].append({
            "stage": stages[emotion.stage_id]["ref"], "stage_id": emotion.stage_id,
            "touchpoint": touchpoints[emotion.touchpoint_id]["ref"] if emotion.touchpoint_id else None,
            "score": emotion.score, "note": emotion.note})


def _verbatim(response, touchpoints) -> dict | None:
    touchpoint = touchpoints.get(response.touchpoint_id)
    if touchpoint is None:
        return None
    return {"touchpoint": touchpoint["ref"], "responded_on": response.responded_on.isoformat(),
            "verbatim": response.verbatim}


def _pains(plan, journeys, stages, touchpoints) -> dict:
    found = {}
    queryset = (PainPoint.objects.filter(plan=plan).prefetch_related("touchpoints", "verbatims")
                .order_by("journey_id", "stage__position", "-severity", "id"))
    labels = dict(PainPoint._meta.get_field("severity").flatchoices)
    for index, pain in enumerate(queryset, start=1):
        journey = journeys.get(pain.journey_id)
        if journey is None:
            continue
        row = {"ref": f"PP{index}", "journey": journey["ref"], "stage": stages[pain.stage_id]["ref"],
               "stage_name": stages[pain.stage_id]["name"], "title": pain.title, "description": pain.description,
               "severity": pain.severity, "severity_label": str(labels.get(pain.severity, "")),
               "evidence": pain.evidence,
               "touchpoints": sorted((touchpoints[t.pk]["ref"] for t in pain.touchpoints.all() if t.pk in touchpoints),
                                     key=lambda ref: int(ref[2:])),
               "verbatims": [v for v in (_verbatim(r, touchpoints) for r in
                                         sorted(pain.verbatims.all(), key=lambda r: (r.responded_on, r.pk))) if v]}
        journey["experience"]["pain_points"].append(row)
        found[pain.pk] = row
    return found


def _opportunities(plan, journeys, stages, touchpoints, pains) -> dict:
    refs = {}
    queryset = (Opportunity.objects.filter(plan=plan).prefetch_related("touchpoints", "pain_points")
                .order_by("journey_id", "stage__position", "-expected_value", "id"))
    labels = dict(Opportunity._meta.get_field("expected_value").flatchoices)
    for index, opportunity in enumerate(queryset, start=1):
        journey = journeys.get(opportunity.journey_id)
        if journey is None:
            continue
        row = {"ref": f"O{index}", "journey": journey["ref"], "stage": stages[opportunity.stage_id]["ref"],
               "stage_name": stages[opportunity.stage_id]["name"], "title": opportunity.title,
               "description": opportunity.description, "expected_value": opportunity.expected_value,
               "expected_value_label": str(labels.get(opportunity.expected_value, "")),
               "evidence": opportunity.evidence,
               "touchpoints": sorted((touchpoints[t.pk]["ref"] for t in opportunity.touchpoints.all()
                                      if t.pk in touchpoints), key=lambda ref: int(ref[2:])),
               "pain_points": sorted((pains[p.pk]["ref"] for p in opportunity.pain_points.all() if p.pk in pains),
                                     key=lambda ref: int(ref[2:]))}
        journey["experience"]["opportunities"].append(row)
        refs[opportunity.pk] = row["ref"]
    return refs


def _values(journey) -> list:
    emotions = journey["experience"]["emotions"]
    own = {e["stage_id"]: e["score"] for e in emotions if e["touchpoint"] is None}
    per_stage: dict = {}
    for e in emotions:
        if e["touchpoint"] is not None:
            per_stage.setdefault(e["stage_id"], []).append(e["score"])
    return charts.stage_values([s["id"] for s in journey["stages"]], own, per_stage)


def _curve(journey, journeys) -> None:
    """The emotion curve the PDF draws: this journey's, and the one it is compared with (as-is ↔ to-be)."""
    values = _values(journey)
    if all(value is None for value in values):
        journey["experience"]["curve"] = None
        return
    mine = charts.curve(values)
    for point in mine.points:
        point.label = journey["stages"][point.stage_index]["name"]
    curves = [mine]
    compared = next((j for j in journeys.values() if j["ref"] == journey["based_on"]), None) or next(
        (j for j in journeys.values() if j.get("based_on") == journey["ref"]), None)
    if compared is not None and compared.get("experience"):
        theirs = (_values(compared) + [None] * len(values))[:len(values)]
        curves.append(charts.curve(theirs, dashed=True, mark_lowest=False))
    journey["experience"]["curve"] = {"svg": charts.svg(curves, title=journey["name"]), "points": mine.points,
                                      "compared": compared["name"] if compared and len(curves) > 1 else ""}
