"""Every write of roadmaps: items, dependencies (no cycles), scoring settings and criteria, board moves, exports."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from assessments.models import AuditItem
from experience.models import Opportunity
from planning.models import Touchpoint
from roadmaps.models import Export, ExportFormat, PdfAppendix, RoadmapItem, ScoringCriterion, ScoringSettings
from roadmaps.tasks import plan_export_enqueue
from tenancy.access import Access, require_plan_access
from tenancy.activity import tracked_create, tracked_delete, tracked_update
from tenancy.admin_log import admin_log_record
from tenancy.models import AdminAction

LINKS = ("teams", "touchpoints", "objectives", "audit_gaps", "opportunities", "dependencies")


def _check_links(plan, links: dict) -> dict:
    """Linked objects must come from the same plan (teams: the same organisation)."""
    for name, objects in links.items():
        objects = list(objects or [])
        for obj in objects:
            owner_plan = getattr(obj, "plan_id", None)
            if name == "teams":
                if obj.organisation_id != plan.organisation_id:
                    raise ValidationError({name: _("Teams must belong to the plan's organisation.")})
            elif owner_plan != plan.pk:
                raise ValidationError({name: _("Everything linked must belong to the same plan.")})
        links[name] = objects
    return links


def _check_no_cycle(item: RoadmapItem, dependencies: list) -> None:
    """Refuse a dependency that leads back to the item (directly or through others)."""
    if item.pk is None:
        return
    edges: dict[int, set[int]] = {}
    for source, target in RoadmapItem.dependencies.through.objects.filter(
        from_roadmapitem__plan_id=item.plan_id
    ).values_list("from_roadmapitem_id", "to_roadmapitem_id"):
        edges.setdefault(source, set()).add(target)
    edges[item.pk] = {d.pk for d in dependencies}
    seen, stack = set(), [d.pk for d in dependencies]
    while stack:
        current = stack.pop()
        if current == item.pk:
            names = ", ".join(d.title for d in dependencies)
            raise ValidationError({"dependencies": _("This would create a cycle: “%(item)s” would depend on itself "
                                                     "through %(names)s.") % {"item": item.title, "names": names}})
        if current not in seen:
            seen.add(current)
            stack.extend(edges.get(current, ()))


def _check_manual_rank(fields: dict, item=None) -> None:
    rank = fields.get("manual_rank", getattr(item, "manual_rank", None))
    reason = fields.get("manual_rank_reason", getattr(item, "manual_rank_reason", ""))
    if rank is not None and not (reason or "").strip():
        raise ValidationError({"manual_rank_reason": _("A manual rank needs a reason.")})


@transaction.atomic
def roadmap_item_create(*, plan, actor, title: str, **fields) -> RoadmapItem:
    require_plan_access(actor, plan)
    links = _check_links(plan, {name: fields.pop(name) for name in LINKS if name in fields})
    _check_manual_rank(fields)
    item = RoadmapItem(plan=plan, title=title.strip(), **fields)
    if "board_position" not in fields:
        last = RoadmapItem.objects.filter(plan=plan, horizon=item.horizon).aggregate(m=Max("board_position"))["m"]
        item.board_position = (last or 0) + 1
    return tracked_create(item, actor=actor, m2m=links)


def roadmap_item_update(*, item: RoadmapItem, actor, version=None, **changes) -> RoadmapItem:
    require_plan_access(actor, item.plan)
    links = _check_links(item.plan, {name: changes[name] for name in LINKS if name in changes})
    changes.update(links)
    if "dependencies" in changes:
        if any(d.pk == item.pk for d in changes["dependencies"]):
            raise ValidationError({"dependencies": _("An item cannot depend on itself.")})
        _check_no_cycle(item, changes["dependencies"])
    _check_manual_rank(changes, item)
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    return tracked_update(item, actor=actor, changes=changes, version=version)


def roadmap_item_delete(*, item: RoadmapItem, actor, version=None) -> None:
    require_plan_access(actor, item.plan)
    tracked_delete(item, actor=actor, version=version)


def roadmap_item_move(*, item: RoadmapItem, actor, horizon: str, before: RoadmapItem | None = None,
                      version=None) -> RoadmapItem:
    """Board drag and drop: put the card in a column, just before `before` (or at the end)."""
    column = RoadmapItem.objects.filter(plan_id=item.plan_id, horizon=horizon).exclude(pk=item.pk)
    if before is None:
        position = (column.aggregate(m=Max("board_position"))["m"] or 0) + 1
    else:
        if before.horizon != horizon or before.plan_id != item.plan_id:
            raise ValidationError({"before": _("The card to insert before is not in that column.")})
        low = column.filter(board_position__lt=before.board_position).aggregate(m=Max("board_position"))["m"]
        position = before.board_position - 1 if low is None else (low + before.board_position) / 2
    return roadmap_item_update(item=item, actor=actor, version=version, horizon=horizon, board_position=position)


# Scoring -------------------------------------------------------------------------------------------------------


def scoring_settings_for(plan) -> ScoringSettings:
    settings, _created = ScoringSettings.objects.get_or_create(plan=plan)
    return settings


def scoring_method_set(*, plan, actor, method: str, version=None) -> ScoringSettings:
    require_plan_access(actor, plan)
    return tracked_update(scoring_settings_for(plan), actor=actor, changes={"method": method}, version=version)


@transaction.atomic
def criterion_create(*, plan, actor, name: str, weight=1, direction="higher") -> ScoringCriterion:
    require_plan_access(actor, plan)
    position = plan.scoring_criteria.count()
    return tracked_create(ScoringCriterion(plan=plan, name=name.strip(), weight=weight, direction=direction,
                                           position=position), actor=actor)


def criterion_update(*, criterion: ScoringCriterion, actor, version=None, **changes) -> ScoringCriterion:
    require_plan_access(actor, criterion.plan)
    return tracked_update(criterion, actor=actor, changes=changes, version=version)


def criterion_delete(*, criterion: ScoringCriterion, actor, version=None) -> None:
    require_plan_access(actor, criterion.plan)
    tracked_delete(criterion, actor=actor, version=version)


# Exports -------------------------------------------------------------------------------------------------------


@transaction.atomic
def export_request(*, plan, actor, format: str, pdf_appendix: str = PdfAppendix.AUTO) -> Export:
    """Queue an export of the plan; it starts once this transaction commits, outside the request (roadmaps/tasks.py).
    `pdf_appendix` says what a PDF holds beyond its summaries (models.PdfAppendix); other formats ignore it."""
    require_plan_access(actor, plan, Access.VIEW)
    if format not in ExportFormat.values:
        raise ValidationError({"format": _("Choose one of: %s.") % ", ".join(ExportFormat.values)})
    if pdf_appendix not in PdfAppendix.values:
        raise ValidationError({"pdf_appendix": _("Choose one of: %s.") % ", ".join(PdfAppendix.values)})
    export = Export.objects.create(plan=plan, format=format, requested_by=actor, pdf_appendix=pdf_appendix,
                                   time_limit=export_time_limit(plan))
    admin_log_record(organisation=plan.organisation_id, actor=actor, action=AdminAction.EXPORT_REQUESTED, target=export,
                     target_repr=f"{plan.name} ({format})", after={"plan": plan.name, "format": format})
    transaction.on_commit(lambda: plan_export_enqueue(export.pk))
    return export


def export_time_limit(plan) -> int:
    """The hard time limit of an export of this plan, in seconds: the default (CELERY_TASK_TIME_LIMIT) plus
    EXPORT_SECONDS_PER_ROW for each touchpoint and roadmap item, at most EXPORT_TIME_LIMIT_MAX. The soft limit is
    the same minus the settings' gap between the two, so a big plan's export is stopped only well past its due."""
    rows = Touchpoint.objects.filter(plan=plan).count() + RoadmapItem.objects.filter(plan=plan).count()
    limit = settings.CELERY_TASK_TIME_LIMIT + int(settings.EXPORT_SECONDS_PER_ROW * rows)
    return max(settings.CELERY_TASK_TIME_LIMIT, min(limit, settings.EXPORT_TIME_LIMIT_MAX))


def audit_gap_to_roadmap_candidate(item: AuditItem, actor):
    """Turn a gap of an audit (a need or a wish) into a roadmap candidate, in one click.

    The candidate starts as an idea in "later", titled after the gap, described by its answers, linked to the gap
    and to its touchpoints, so its suggested value comes from their gaps.
    """
    require_plan_access(actor, item.plan)
    if not item.is_gap:
        raise ValidationError({"step": _("Only a need or a wish (a gap) can become a roadmap candidate.")})
    questions = dict(item.questions())
    description = "\n".join(f"{questions.get(code, code)} {answer}" for code, answer in item.answers.items() if answer)
    return roadmap_item_create(plan=item.plan, actor=actor, title=item.title, description=description,
                               status="idea", horizon="later", audit_gaps=[item],
                               touchpoints=list(item.touchpoints.all()))


def opportunity_to_roadmap_candidate(opportunity: Opportunity, actor) -> RoadmapItem:
    """Turn an opportunity of a journey map into a roadmap candidate, in one click.

    The candidate starts as an idea in "later", titled after the opportunity, linked to it and to its touchpoints
    (so its suggested value comes from their gaps); the opportunity's pain points are reached through it.
    """
    require_plan_access(actor, opportunity.plan)
    pains = "\n".join(f"- {pain.title}" for pain in opportunity.pain_points.all())
    description = opportunity.description + (("\n\n" + _("Pain points it answers:") + "\n" + pains) if pains else "")
    return roadmap_item_create(plan=opportunity.plan, actor=actor, title=opportunity.title[:200],
                               description=description.strip(), status="idea", horizon="later",
                               opportunities=[opportunity], touchpoints=list(opportunity.touchpoints.all()))
