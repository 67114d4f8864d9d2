"""Import of an exported plan document, row kind by row kind (json_io.plan_import wraps it in a transaction).

Rows are validated field by field (choices, lengths, ranges) without a query per row, inserted in bulk in the file's
order (so the new plan exports exactly like its source), and linked through the file's references.
"""

from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from assessments import rollups
from assessments.models import (
    AuditItem,
    DataCaptureItem,
    FeedbackResponse,
    MaturityAssessment,
    MaturityVote,
    TouchpointAgreement,
    TouchpointEvaluation,
)
from planning.models import Channel, Journey, Persona, Stage, Stakeholder, Touchpoint
from roadmaps.exports import json_voice
from roadmaps.exports.json_import_experience import import_experience
from roadmaps.exports.sections import json_sections
from roadmaps.models import RoadmapItem, ScoringCriterion, ScoringSettings
from tenancy.models import Team
from tenancy.services import plan_create

BATCH = 1000


def _text(value) -> str:
    return "" if value is None else str(value)


class _Context:
    """What the import has created so far, by reference, and what it could match in the organisation."""

    def __init__(self, organisation, plan):
        self.organisation, self.plan = organisation, plan
        self.teams = {t.name: t for t in Team.objects.filter(organisation=organisation)}
        self.users = {u.get_username(): u for u in
                      get_user_model().objects.filter(memberships__organisation=organisation)}
        self.channels = {c.name: c for c in Channel.objects.filter(organisation=organisation)}
        self.refs: dict[str, dict] = {}
        self.warnings: list[str] = []

    def ref(self, kind: str, key, where: str):
        try:
            return self.refs[kind][key]
        except (KeyError, TypeError):
            raise ValidationError(_("%(where)s refers to %(ref)s, which is not in the file.")
                                  % {"where": where, "ref": key}) from None

    def team(self, name, where: str):
        if not name:
            return None
        team = self.teams.get(name)
        if team is None:
            self.warnings.append(_("%(where)s: no team “%(name)s” in this organisation; left empty.")
                                 % {"where": where, "name": name})
        return team

    def user(self, username):
        return self.users.get(username) if username else None


def _clean(instance, where: str):
    """Field validation (choices, lengths, ranges) without a query per row; the database checks the rest."""
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False,
                            exclude=["plan", "journey", "stage", "channel", "touchpoint", "evaluation",
                                     "assessment", "participant", "team"])
    except ValidationError as error:
        messages = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in error.message_dict.items())
        raise ValidationError(f"{where}: {messages}") from None
    return instance


def import_rows(data: dict, *, organisation, actor, name=None, on_step: Callable[[str], None] | None = None) -> tuple:
    """Create the plan and everything in it; returns (plan, warnings). Call inside a transaction. `on_step(name)`
    is told as each kind of row is done (a duplication job reports its progress with it)."""
    step = on_step or (lambda _name: None)
    source = data["plan"]
    plan = plan_create(organisation=organisation, actor=actor, name=(name or source["name"])[:200],
                       description=source.get("description") or "", status=source.get("status") or "draft",
                       period_start=parse_date(source["period_start"]) if source.get("period_start") else None,
                       period_end=parse_date(source["period_end"]) if source.get("period_end") else None)
    ctx = _Context(organisation, plan)
    _import_channels(ctx, data.get("channels", []))
    _import_stakeholders(ctx, data.get("stakeholders", []))
    _import_personas(ctx, data.get("personas", []))
    step("personas")
    _import_journeys(ctx, data.get("journeys", []))
    _import_touchpoints(ctx, data.get("touchpoints", []))
    step("touchpoints")
    _import_evaluations(ctx, data.get("evaluations", []), data.get("agreements", []))
    step("evaluations")
    json_voice.import_taxonomy(ctx, data.get("themes") or [], data.get("tags") or [])
    _import_feedback(ctx, data.get("feedback", []))
    json_voice.import_listening(ctx, data.get("competitors") or [], data.get("mentions") or [], clean=_clean)
    import_experience(ctx, data, clean=_clean)
    step("experience")
    _import_maturity(ctx, data.get("maturity_assessments", []))
    _import_audits(ctx, data.get("audit_items", []))
    _import_roadmap(ctx, data.get("scoring") or {}, data.get("roadmap_items", []))
    for section in json_sections():  # the apps above roadmaps (roadmaps.exports.sections)
        section.load(ctx, data.get(section.key) or [], clean=_clean)
    step("roadmap")
    return plan, ctx.warnings


def import_journeys_into(data: dict, *, plan, personas: dict | None = None) -> tuple[dict, list[str]]:
    """Add the document's journeys (stages, touchpoints, evaluations, agreements, experience layer) to an existing
    plan. `personas` maps the document's persona references to personas of that plan; the document's other persona
    rows are created. Returns ({kind: {ref: object}}, warnings). Call inside a transaction."""
    ctx = _Context(plan.organisation, plan)
    mapped = dict(personas or {})
    _import_channels(ctx, data.get("channels", []))
    _import_personas(ctx, [p for p in data.get("personas", []) if p["ref"] not in mapped])
    ctx.refs["P"].update(mapped)
    _import_journeys(ctx, data.get("journeys", []))
    _import_touchpoints(ctx, data.get("touchpoints", []))
    _import_evaluations(ctx, data.get("evaluations", []), data.get("agreements", []))
    import_experience(ctx, data, clean=_clean)
    return ctx.refs, ctx.warnings


def _import_channels(ctx: _Context, channels: list[dict]) -> None:
    position = Channel.objects.filter(organisation=ctx.organisation).aggregate(m=Max("position"))["m"] or 0
    for index, row in enumerate(channels):
        if row["name"] in ctx.channels:
            continue
        position += 1
        channel = _clean(Channel(organisation=ctx.organisation, name=row["name"], kind=row.get("kind") or "online",
                                 position=position), f"channels[{index}]")
        channel.save()
        ctx.channels[channel.name] = channel
        ctx.warnings.append(_("Channel “%(name)s” was added to the organisation.") % {"name": channel.name})


def _channel(ctx: _Context, name: str, where: str) -> Channel:
    channel = ctx.channels.get(name)
    if channel is None:  # a touchpoint's channel missing from the file's channel list
        _import_channels(ctx, [{"name": name, "kind": "online"}])
        channel = ctx.channels[name]
    return channel


def _import_stakeholders(ctx: _Context, rows: list[dict]) -> None:
    created = Stakeholder.objects.bulk_create([
        _clean(Stakeholder(plan=ctx.plan, name=r["name"], title=_text(r.get("title")), objective=_text(
            r.get("objective")), team=ctx.team(r.get("team"), f"stakeholders[{i}]")), f"stakeholders[{i}]")
        for i, r in enumerate(rows)])
    ctx.refs["S"] = {r["ref"]: obj for r, obj in zip(rows, created, strict=True)}


def _import_personas(ctx: _Context, rows: list[dict]) -> None:
    personas = []
    for i, r in enumerate(rows):
        personas.append(_clean(Persona(
            plan=ctx.plan, name=r["name"], description=_text(r.get("description")), goals=_text(r.get("goals")),
            frustrations=_text(r.get("frustrations")), quote=_text(r.get("quote")),
            segment_size=r.get("segment_size"), evidence=r.get("evidence") or "assumed",
            revenue_share=Decimal(r["revenue_share"]) if r.get("revenue_share") is not None else None,
        ), f"personas[{i}]"))
    created = Persona.objects.bulk_create(personas)
    ctx.refs["P"] = {r["ref"]: obj for r, obj in zip(rows, created, strict=True)}
    through = Persona.preferred_channels.through
    through.objects.bulk_create([
        through(persona_id=persona.pk, channel_id=_channel(ctx, name, f"personas[{i}]").pk)
        for i, (r, persona) in enumerate(zip(rows, created, strict=True)) for name in r.get("preferred_channels", [])])


def _import_journeys(ctx: _Context, rows: list[dict]) -> None:
    journeys = [_clean(Journey(plan=ctx.plan, name=r["name"], description=_text(r.get("description")),
                               state=r.get("state") or "current",
                               persona=ctx.ref("P", r["persona"], f"journeys[{i}].persona") if r.get("persona")
                               else None), f"journeys[{i}]") for i, r in enumerate(rows)]
    created = Journey.objects.bulk_create(journeys)
    ctx.refs["J"] = {r["ref"]: obj for r, obj in zip(rows, created, strict=True)}
    stage_rows, stages = [], []
    for r, journey in zip(rows, created, strict=True):
        for s in r.get("stages", []):
            stage_rows.append(s)
            stages.append(_clean(Stage(plan=ctx.plan, journey=journey, name=s["name"], position=s["position"]),
                                 f"journeys[{r['ref']}].stages"))
    ctx.refs["ST"] = {s["ref"]: obj for s, obj in zip(stage_rows, Stage.objects.bulk_create(stages), strict=True)}


def _import_touchpoints(ctx: _Context, rows: list[dict]) -> None:
    touchpoints = []
    for i, r in enumerate(rows):
        where = f"touchpoints[{i}]"
        stage = ctx.ref("ST", r["stage"], f"{where}.stage")
        touchpoints.append(_clean(Touchpoint(
            plan=ctx.plan, journey=stage.journey, stage=stage, channel=_channel(ctx, r["channel"], where),
            name=r["name"], customer_action=_text(r.get("customer_action")),
            company_response=_text(r.get("company_response")), team=ctx.team(r.get("team"), where),
            position=r.get("position") or 0, evidence=r.get("evidence") or "assumed"), where))
    created = Touchpoint.objects.bulk_create(touchpoints, batch_size=BATCH)
    ctx.refs["TP"] = {r["ref"]: obj for r, obj in zip(rows, created, strict=True)}


def _import_evaluations(ctx: _Context, rows: list[dict], agreements: list[dict]) -> None:
    kept, evaluations = [], []
    for i, r in enumerate(rows):
        where = f"evaluations[{i}]"
        team = ctx.teams.get(r.get("team"))
        if team is None:
            ctx.warnings.append(_("%(where)s: no team “%(name)s” in this organisation; its evaluation was skipped.")
                                % {"where": where, "name": r.get("team")})
            continue
        kept.append(r)
        evaluations.append(_clean(TouchpointEvaluation(
            plan=ctx.plan, touchpoint=ctx.ref("TP", r["touchpoint"], f"{where}.touchpoint"), team=team,
            maturity=r["maturity"], potential_customer=r["potential_customer"], potential_brand=r["potential_brand"],
            information_pushed=list(r.get("information_pushed") or []), feedback_mode=r.get("feedback_mode") or "none",
            notes=_text(r.get("notes")), evaluated_by=ctx.user(r.get("evaluated_by"))), where))
    created = TouchpointEvaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    items = [_clean(DataCaptureItem(plan=ctx.plan, evaluation=evaluation, data=d["data"], source=_text(d.get("source")),
                                    storage=d.get("storage") or "none", completeness=d.get("completeness") or "unknown",
                                    accessibility=d.get("accessibility") or "unknown", position=d.get("position") or 0),
                    f"evaluations[{r['ref']}].data_items")
             for r, evaluation in zip(kept, created, strict=True) for d in r.get("data_items", [])]
    DataCaptureItem.objects.bulk_create(items, batch_size=BATCH)
    TouchpointAgreement.objects.bulk_create([
        _clean(TouchpointAgreement(plan=ctx.plan, touchpoint=ctx.ref("TP", a["touchpoint"], f"agreements[{i}]"),
                                   maturity=a.get("maturity"), potential_customer=a.get("potential_customer"),
                                   potential_brand=a.get("potential_brand"), reason=a["reason"],
                                   agreed_by=ctx.user(a.get("agreed_by"))), f"agreements[{i}]")
        for i, a in enumerate(agreements)])


def _import_feedback(ctx: _Context, rows: list[dict]) -> None:
    created = FeedbackResponse.objects.bulk_create((
        _clean(FeedbackResponse(plan=ctx.plan, touchpoint=ctx.ref("TP", r["touchpoint"], f"feedback[{i}]"),
                                kind=r["kind"], score=r["score"], responded_on=parse_date(r["responded_on"]),
                                source=_text(r.get("source")), verbatim=_text(r.get("verbatim")),
                                **json_voice.sentiment_fields(r, _text(r.get("verbatim")))), f"feedback[{i}]")
        for i, r in enumerate(rows)), batch_size=BATCH)
    rollups.record(added=created)  # the statistics' cells, in the import's transaction
    json_voice.voice_write(ctx, rows, created, owner="response")


def _import_maturity(ctx: _Context, rows: list[dict]) -> None:
    keys = ("channel_level", "engagement_level", "target_channel_level", "target_engagement_level")
    for i, r in enumerate(rows):
        assessment = _clean(MaturityAssessment(plan=ctx.plan, assessed_on=parse_date(r["assessed_on"]),
                                               notes=_text(r.get("notes")), **{k: r.get(k) for k in keys}),
                            f"maturity_assessments[{i}]")
        assessment.save()
        votes = []
        for vote in r.get("votes", []):
            participant = ctx.user(vote.get("participant"))
            if participant is None:
                ctx.warnings.append(_("maturity_assessments[%(i)d]: %(name)s is not a member here; their vote was "
                                      "skipped.") % {"i": i, "name": vote.get("participant")})
                continue
            votes.append(MaturityVote(plan=ctx.plan, assessment=assessment, participant=participant,
                                      channel_level=vote["channel_level"], engagement_level=vote["engagement_level"]))
        MaturityVote.objects.bulk_create(votes)


def _import_audits(ctx: _Context, rows: list[dict]) -> None:
    items = []
    for i, r in enumerate(rows):
        item = AuditItem(plan=ctx.plan, kind=r["kind"], step=r["step"], title=r["title"],
                         answers=dict(r.get("answers") or {}))
        item.clean()
        items.append(_clean(item, f"audit_items[{i}]"))
    created = AuditItem.objects.bulk_create(items)
    ctx.refs["A"] = {r["ref"]: obj for r, obj in zip(rows, created, strict=True)}
    through = AuditItem.touchpoints.through
    through.objects.bulk_create([
        through(audititem_id=item.pk, touchpoint_id=ctx.ref("TP", ref, f"audit_items[{r['ref']}]").pk)
        for r, item in zip(rows, created, strict=True) for ref in r.get("touchpoints", [])])


def _import_roadmap(ctx: _Context, scoring: dict, rows: list[dict]) -> None:
    ScoringSettings.objects.update_or_create(plan=ctx.plan, defaults={"method": scoring.get("method")
                                                                      or "value_effort"})
    criteria = scoring.get("criteria", [])
    created = ScoringCriterion.objects.bulk_create([
        _clean(ScoringCriterion(plan=ctx.plan, name=c["name"], weight=Decimal(c["weight"]),
                                direction=c.get("direction") or "higher", position=c.get("position") or 0),
               f"scoring.criteria[{i}]") for i, c in enumerate(criteria)])
    criterion_ids = {c["ref"]: str(obj.pk) for c, obj in zip(criteria, created, strict=True)}
    items = [_roadmap_instance(ctx, r, i, criterion_ids) for i, r in enumerate(rows)]
    created_items = RoadmapItem.objects.bulk_create(items)
    ctx.refs["R"] = {r["ref"]: obj for r, obj in zip(rows, created_items, strict=True)}
    _roadmap_links(ctx, rows, created_items)


def _roadmap_instance(ctx: _Context, r: dict, i: int, criterion_ids: dict) -> RoadmapItem:
    where = f"roadmap_items[{i}]"
    fields = {k: r.get(k) for k in ("value", "effort", "reach", "confidence", "business_value", "time_criticality",
                                    "risk_reduction", "job_size", "manual_rank")}
    return _clean(RoadmapItem(
        plan=ctx.plan, title=r["title"], category=r.get("category") or "other",
        description=_text(r.get("description")), owner=ctx.user(r.get("owner")), horizon=r.get("horizon") or "later",
        quarter=_text(r.get("quarter")), status=r.get("status") or "idea", board_position=r.get("board_position") or 0,
        start_date=parse_date(r["start_date"]) if r.get("start_date") else None,
        end_date=parse_date(r["end_date"]) if r.get("end_date") else None,
        impact=Decimal(r["impact"]) if r.get("impact") is not None else None,
        criteria_scores={criterion_ids[ref]: value for ref, value in (r.get("criteria_scores") or {}).items()
                         if ref in criterion_ids},
        manual_rank_reason=_text(r.get("manual_rank_reason")), **fields), where)


def _check_acyclic(rows: list[dict]) -> None:
    """Dependencies must not loop (the services refuse cycles; a hand-edited file could hold one)."""
    graph = {r["ref"]: list(r.get("dependencies") or []) for r in rows}
    done: set = set()
    for start in graph:
        path, stack = set(), [(start, iter(graph[start]))]
        path.add(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.discard(node)
                done.add(node)
            elif child in path:
                raise ValidationError(_("roadmap_items: the dependencies of %(ref)s loop back to it.") % {"ref": child})
            elif child not in done and child in graph:
                path.add(child)
                stack.append((child, iter(graph[child])))


def _roadmap_links(ctx: _Context, rows: list[dict], items: list[RoadmapItem]) -> None:
    _check_acyclic(rows)
    links = {"touchpoints": ("TP", "touchpoint_id"), "objectives": ("S", "stakeholder_id"),
             "audit_gaps": ("A", "audititem_id"), "opportunities": ("O", "opportunity_id"),
             "dependencies": ("R", "to_roadmapitem_id")}
    for name, (kind, column) in links.items():
        through = getattr(RoadmapItem, name).through
        source = "from_roadmapitem_id" if name == "dependencies" else "roadmapitem_id"
        through.objects.bulk_create([
            through(**{source: item.pk, column: ctx.ref(kind, ref, f"roadmap_items[{r['ref']}].{name}").pk})
            for r, item in zip(rows, items, strict=True) for ref in r.get(name, [])])
    through = RoadmapItem.teams.through
    through.objects.bulk_create([
        through(roadmapitem_id=item.pk, team_id=team.pk)
        for i, (r, item) in enumerate(zip(rows, items, strict=True)) for name in r.get("teams", [])
        if (team := ctx.team(name, f"roadmap_items[{i}].teams")) is not None])
