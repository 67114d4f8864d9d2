"""A template's document: the plan import's format (roadmaps.exports.json_io) holding only the plan's structure.

Kept: channels, personas, journeys with their stages, touchpoints, lanes and their cards, scoring settings (method
and criteria), KPIs (their definition: no baseline, target or measurement, which belong to a plan), audit questions
(the audits' steps, without answers).
Left out: whatever people measured, said or decided in this plan: feedback, evaluations and agreements, maturity
assessments and votes, emotions, pain points and opportunities, audit answers, KPI baselines, targets and
measurements, the roadmap, stakeholders. A saved template is stored compressed (zlib, as a version's snapshot), read
whole when a plan is made from it.
"""

import json
import zlib

from django.utils import translation
from django.utils.translation import gettext as _

from planning.models import Channel
from planning.services import BUILTIN_CHANNELS
from roadmaps.exports.gather import gather, gather_structure
from roadmaps.exports.json_io import (
    channel_rows,
    journey_rows,
    lane_rows,
    persona_rows,
    plan_document,
    touchpoint_rows,
)

LEVEL = 6
KPI_KEYS = ("ref", "name", "description", "unit", "direction", "source", "touchpoint", "channel",
            "persona")


def plan_template_document(plan) -> dict:
    """The plan's structure, as a template keeps it (a constant number of queries)."""
    document = plan_document(gather(plan, feedback_rows=False, photos=False, verbatims=0))
    return {
        "format": document["format"], "version": document["version"],
        "plan": {"name": document["plan"]["name"], "description": document["plan"]["description"],
                 "period_start": None, "period_end": None, "status": "draft"},
        "channels": document["channels"],
        "personas": document["personas"],
        "journeys": document["journeys"],
        "touchpoints": document["touchpoints"],
        "lanes": document["lanes"],
        "audit_items": [dict(a, answers={}) for a in document["audit_items"]],
        "scoring": document["scoring"],
        "kpis": [{k: kpi.get(k) for k in KPI_KEYS} for kpi in document.get("kpis", [])],
    }


def dump(document: dict) -> bytes:
    return zlib.compress(json.dumps(document, separators=(",", ":")).encode(), LEVEL)


def load(blob) -> dict:
    return json.loads(zlib.decompress(bytes(blob)))


def counts(document: dict) -> dict:
    return {"persona_count": len(document.get("personas", [])), "journey_count": len(document.get("journeys", [])),
            "touchpoint_count": len(document.get("touchpoints", []))}


def channel_names(organisation) -> dict[str, tuple[str, str]]:
    """Each built-in channel's English name → (its name in this organisation, its kind): the organisation's channel
    of that name in English or French when it has one, else the name in the current language."""
    existing = set(Channel.objects.filter(organisation=organisation).values_list("name", flat=True))
    names = {}
    for english, kind in BUILTIN_CHANNELS:
        candidates = [_(english), english]
        with translation.override("fr"):
            candidates.append(_(english))
        names[english] = (next((c for c in candidates if c in existing), candidates[0]), str(kind))
    return names


def journeys_document(journeys, *, organisation, persona: tuple[str, str] | None = None) -> dict:
    """The import's rows for built-in journeys (library.builtins.BuiltinJourney, library.ideas.JourneyIdea), in
    the current language, on the organisation's channels."""
    channels = channel_names(organisation)
    document = {"channels": [], "personas": [], "journeys": [], "touchpoints": []}
    used = []
    if persona is not None:
        document["personas"].append({"ref": "P1", "name": _(persona[0]), "description": _(persona[1]),
                                     "evidence": "assumed", "preferred_channels": []})
    for j, journey in enumerate(journeys, start=1):
        document["journeys"].append({
            "ref": f"J{j}", "name": _(journey.name), "description": _(getattr(journey, "description", "") or ""),
            "persona": "P1" if persona is not None else "", "state": "current", "based_on": "",
            "stages": [{"ref": f"ST{j}.{s}", "name": _(name), "position": s}
                       for s, name in enumerate(journey.stages, start=1)]})
        for t, (stage, channel, name, action) in enumerate(journey.touchpoints, start=1):
            channel_name, _kind = channels.get(channel, (channel, "online"))
            used.append(channel)
            document["touchpoints"].append({
                "ref": f"TP{j}.{t}", "journey": f"J{j}", "stage": f"ST{j}.{stage + 1}", "channel": channel_name,
                "name": _(name), "customer_action": _(action), "company_response": "", "team": "",
                "position": float(t), "evidence": "assumed"})
    document["channels"] = [{"name": channels[c][0], "kind": channels[c][1]} for c in dict.fromkeys(used)
                            if c in channels]
    return document


def builtin_document(template, *, organisation) -> dict:
    """A built-in template (library.builtins) as the import's document, in the current language."""
    document = journeys_document(template.journeys, organisation=organisation, persona=template.persona)
    return {"plan": {"name": _(template.name), "description": _(template.description), "status": "draft"},
            **document, "lanes": [], "audit_items": [], "scoring": {"method": "value_effort", "criteria": []},
            "kpis": []}



def _gathered(plan, kind: str, pk: int) -> tuple[dict, str]:
    """The import rows of the plan's personas and, for a journey, of that journey alone (its stages, touchpoints,
    lanes and the channels they use), and the reference they give the persona or journey of id `pk`. Never the whole
    plan: publishing one journey of a 5,000-touchpoint plan took 6.5 s when it was gathered whole."""
    data = gather_structure(plan, journey_ids=[pk] if kind == "journey" else [])
    rows = data.personas if kind == "persona" else data.journeys
    document = {"channels": list(channel_rows(data)), "personas": list(persona_rows(data)),
                "journeys": list(journey_rows(data)), "touchpoints": list(touchpoint_rows(data)),
                "lanes": list(lane_rows(data))}
    return document, next(row["ref"] for row in rows if row["id"] == pk)


def persona_document(persona) -> dict:
    """One persona as the import reads it, with the channels it prefers."""
    document, ref = _gathered(persona.plan, "persona", persona.pk)
    row = next(p for p in document["personas"] if p["ref"] == ref)
    wanted = set(row.get("preferred_channels", []))
    return {"channels": [c for c in document["channels"] if c["name"] in wanted], "personas": [row]}


def journey_document(journey) -> dict:
    """One journey's structure (stages, touchpoints, lanes with their cards) and its persona, as the import reads
    it; no evaluation, agreement, feedback, emotion, pain point or opportunity."""
    document, ref = _gathered(journey.plan, "journey", journey.pk)
    row = next(j for j in document["journeys"] if j["ref"] == ref)
    touchpoints = [t for t in document["touchpoints"] if t["journey"] == ref]
    used = {t["channel"] for t in touchpoints}
    personas = [p for p in document["personas"] if p["ref"] == row["persona"]]
    return {"channels": [c for c in document["channels"] if c["name"] in used], "personas": personas,
            "journeys": [dict(row, based_on="")], "touchpoints": touchpoints,
            "lanes": [lane for lane in document["lanes"] if lane["journey"] == ref]}
