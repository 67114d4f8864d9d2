"""A comparison as the page shows it: groups of sections with counts and one readable line per change, in the
reader's language; and what the restore page shows of one object (as the version holds it, as it is now)."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import TouchpointEvaluation
from planning.models import Touchpoint
from roadmaps.models import RoadmapItem
from versions.compare import curve_svg

FIELD_LABELS = {
    "name": gettext_lazy("name"), "customer_action": gettext_lazy("customer action"),
    "company_response": gettext_lazy("company response"), "team": gettext_lazy("team"),
    "evidence": gettext_lazy("evidence"), "maturity": gettext_lazy("maturity"),
    "potential_customer": gettext_lazy("potential for the customer"),
    "potential_brand": gettext_lazy("potential for the brand"),
    "information_pushed": gettext_lazy("information pushed"),
    "feedback_mode": gettext_lazy("feedback mode"), "notes": gettext_lazy("notes"), "title": gettext_lazy("title"),
    "horizon": gettext_lazy("horizon"), "status": gettext_lazy("status"),
    "channel_level": gettext_lazy("channel level"), "engagement_level": gettext_lazy("engagement level"),
    "target_channel_level": gettext_lazy("target channel level"),
    "target_engagement_level": gettext_lazy("target engagement level"),
}
GROUPS = [
    (gettext_lazy("Touchpoints"), [
        ("touchpoints_added", gettext_lazy("Added")), ("touchpoints_removed", gettext_lazy("Removed")),
        ("touchpoints_moved", gettext_lazy("Moved to another stage or lane")),
        ("touchpoints_reordered", gettext_lazy("Order changed")), ("touchpoints_edited", gettext_lazy("Edited"))]),
    (gettext_lazy("Evaluations and maturity"), [
        ("evaluations_added", gettext_lazy("Evaluations added")),
        ("evaluations_removed", gettext_lazy("Evaluations removed")),
        ("evaluations_changed", gettext_lazy("Evaluations changed")),
        ("agreements_changed", gettext_lazy("Agreed values changed")),
        ("maturity_changed", gettext_lazy("Digital maturity changed"))]),
    (gettext_lazy("Roadmap"), [
        ("roadmap_added", gettext_lazy("Items added")), ("roadmap_removed", gettext_lazy("Items removed")),
        ("roadmap_reranked", gettext_lazy("Rank changed")), ("roadmap_edited", gettext_lazy("Items edited"))]),
    (gettext_lazy("Emotions"), [("emotions_changed", gettext_lazy("Emotion curves changed"))]),
]
# The kind of object a section's rows are, for restoring (only rows of objects the version holds get the link)
RESTORABLE = {name: kind for kind, names in {
    "touchpoint": ("touchpoints_added", "touchpoints_removed", "touchpoints_moved", "touchpoints_reordered",
                   "touchpoints_edited"),
    "evaluation": ("evaluations_added", "evaluations_removed", "evaluations_changed"),
    "roadmap-item": ("roadmap_added", "roadmap_removed", "roadmap_reranked", "roadmap_edited"),
}.items() for name in names}


def _value(value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _changes(changes: dict) -> str:
    return "; ".join(f"{FIELD_LABELS.get(name, name)}: {_value(old)} → {_value(new)}"
                     for name, (old, new) in changes.items())


def _place(place: dict) -> str:
    return f"{place['stage']} · {place['channel']}"


def _line(section: str, row: dict) -> str:
    if section.startswith("touchpoints_"):
        where = _("%(journey)s, %(place)s") % {"journey": row.get("journey", ""), "place": _place(row.get("to", row))}
        if section == "touchpoints_moved":
            return _("“%(name)s” (%(journey)s): %(from)s → %(to)s") % {
                "name": row["name"], "journey": row["journey"], "from": _place(row["from"]), "to": _place(row["to"])}
        if section == "touchpoints_reordered":
            return _("“%(name)s” (%(where)s): place %(was)s → %(now)s in its cell") % {
                "name": row["name"], "where": where, "was": row["was"], "now": row["now"]}
        if section == "touchpoints_edited":
            return f"“{row['name']}” ({where}): {_changes(row['changes'])}"
        return f"“{row['name']}” ({where})"
    if section.startswith("evaluations_"):
        text = _("%(team)s on “%(touchpoint)s”") % {"team": row["team"], "touchpoint": row["touchpoint"]}
        return f"{text}: {_changes(row['changes'])}" if "changes" in row else text
    if section == "agreements_changed":
        return f"“{row['touchpoint']}”: {_changes(row['changes'])}"
    if section == "maturity_changed":
        return _changes(row["changes"])
    if section == "roadmap_reranked":
        return _("“%(title)s”: rank %(was)s → %(now)s") % row
    if section.startswith("roadmap_"):
        text = _("“%(title)s” (rank %(rank)s)") % row
        return f"{text}: {_changes(row['changes'])}" if "changes" in row else text
    if section == "emotions_changed":
        return f"{row['journey']}: " + "; ".join(f"{s['stage']} {_value(s['was'])} → {_value(s['now'])}"
                                                 for s in row["stages"])
    return str(row)


def diff_context(diff: dict, *, restore_from=None, plan=None) -> dict:
    """{"groups": [...], "curves": [...]} for the template. `restore_from`: (version, its data) when one side is now
    and the reader may edit: the rows of objects that version holds carry a link to restore them."""
    held = {}
    if restore_from is not None:
        version, data = restore_from
        held = {"touchpoint": {t["id"] for t in data.touchpoints}, "evaluation": {e["id"] for e in data.evaluations},
                "roadmap-item": {r["id"] for r in data.roadmap}}
    groups = []
    for title, sections in GROUPS:
        items = []
        for name, label in sections:
            rows = []
            for row in diff["sections"][name]:
                kind = RESTORABLE.get(name)
                restore = (reverse("version_restore", args=[plan.pk, version.pk, kind, row["id"]])
                           if kind and row["id"] in held.get(kind, ()) else None)
                rows.append({"text": _line(name, row), "restore_url": restore})
            if rows:
                items.append({"name": name, "label": label, "rows": rows})
        groups.append({"title": title, "count": sum(len(i["rows"]) for i in items), "sections": items})
    curves = [dict(c, was_svg=curve_svg({"was": c["was"], "now": [None] * len(c["was"])}, title=c["journey"]),
                   now_svg=curve_svg({"was": [None] * len(c["now"]), "now": c["now"]}, title=c["journey"]),
                   table=list(zip(c["stages"], c["was"], c["now"], strict=True)))
              for c in diff["curves"]]
    return {"groups": groups, "curves": curves}


def _fields(kind: str, row: dict) -> dict:
    if kind == "touchpoint":
        return {_("stage"): row["stage_name"], _("lane"): row["channel"], _("name"): row["name"],
                _("customer action"): row["customer_action"], _("company response"): row["company_response"],
                _("team"): row["team"], _("evidence"): row["evidence"]}
    if kind == "evaluation":
        return {_("touchpoint"): row["touchpoint_name"], _("team"): row["team"],
                **{str(FIELD_LABELS[k]): row[k] for k in ("maturity", "potential_customer", "potential_brand",
                                                          "feedback_mode", "notes")}}
    return {_("title"): row["title"], _("rank"): row["rank"], _("horizon"): row["horizon"], _("status"): row["status"],
            _("value"): row["value"], _("effort"): row["effort"], _("manual rank"): row["manual_rank"]}


def restorable_row(data, kind: str, pk: int, *, plan) -> dict:
    """What the restore page shows: the object as the version holds it, and its version now (None: deleted)."""
    rows = {"touchpoint": data.touchpoints, "evaluation": data.evaluations, "roadmap-item": data.roadmap}.get(kind)
    row = next((r for r in rows or [] if r["id"] == pk), None)
    if row is None:
        raise Http404(_("This version holds no such object."))
    model = {"touchpoint": Touchpoint, "evaluation": TouchpointEvaluation, "roadmap-item": RoadmapItem}[kind]
    current = model.objects.filter(pk=pk, plan=plan).first()
    name = row.get("name") or row.get("title") or row.get("touchpoint_name")
    now = None
    if current is not None and kind == "touchpoint":
        now = {_("stage"): current.stage.name, _("lane"): current.channel.name, _("name"): current.name}
    elif current is not None and kind == "evaluation":
        now = {str(FIELD_LABELS[k]): getattr(current, k) for k in ("maturity", "potential_customer",
                                                                    "potential_brand", "feedback_mode", "notes")}
    elif current is not None:
        now = {_("title"): current.title, _("horizon"): current.horizon, _("status"): current.status,
               _("value"): current.value, _("effort"): current.effort, _("manual rank"): current.manual_rank}
    return {"name": name, "fields": _fields(kind, row), "now": now,
            "current_version": current.version if current is not None else None}
