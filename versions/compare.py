"""What changed between two states of a plan (two versions, or a version and now), from their gathered data.

Objects are matched by database id (kept in the snapshot), never by the export's references, which follow the
order and shift when one touchpoint moves. A move is reported once: when a card moves, or a roadmap item climbs,
its neighbours' numbers shift too, so "order changed" keeps only the fewest items whose moves explain the new order
(the ones outside a longest run kept in the same relative order). Pure functions: no query.
"""

from bisect import bisect_left

from experience import charts
from roadmaps.exports.gather import PlanExportData
from versions.snapshot import stage_values

TOUCHPOINT_FIELDS = ("name", "customer_action", "company_response", "team", "evidence")
EVALUATION_FIELDS = ("maturity", "potential_customer", "potential_brand", "information_pushed", "feedback_mode",
                     "notes")
AGREEMENT_FIELDS = ("maturity", "potential_customer", "potential_brand")
ROADMAP_FIELDS = ("title", "horizon", "status")
MATURITY_FIELDS = ("channel_level", "engagement_level", "target_channel_level", "target_engagement_level")
SECTIONS = ("touchpoints_added", "touchpoints_removed", "touchpoints_moved", "touchpoints_reordered",
            "touchpoints_edited", "evaluations_added", "evaluations_removed", "evaluations_changed",
            "agreements_changed", "maturity_changed", "roadmap_added", "roadmap_removed", "roadmap_reranked",
            "roadmap_edited", "emotions_changed")


def kept_in_order(sequence: list) -> set:
    """The items of a longest increasing subsequence of `sequence` (a list of distinct numbers)."""
    tails, tail_index, previous = [], [], [None] * len(sequence)
    for i, value in enumerate(sequence):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_index.append(i)
        else:
            tails[k], tail_index[k] = value, i
        previous[i] = tail_index[k - 1] if k else None
    kept, i = set(), tail_index[-1] if tail_index else None
    while i is not None:
        kept.add(sequence[i])
        i = previous[i]
    return kept


def _moved_out_of_order(before: list, after: list) -> set:
    """Of the ids present in both orders, those that changed place relative to the others."""
    common = set(before) & set(after)
    index = {pk: i for i, pk in enumerate(pk for pk in before if pk in common)}
    sequence = [index[pk] for pk in after if pk in common]
    kept = kept_in_order(sequence)
    return {pk for pk in common if index[pk] not in kept}


class _Side:
    """One state of the plan, indexed by id."""

    def __init__(self, data: PlanExportData):
        self.data = data
        self.journeys = {j["id"]: j for j in data.journeys}
        self.stages = {s["ref"]: dict(s, journey_name=j["name"]) for j in data.journeys for s in j["stages"]}
        self.touchpoints = {t["id"]: t for t in data.touchpoints}
        self.touchpoint_ids = {t["ref"]: t["id"] for t in data.touchpoints}
        self.evaluations = {e["id"]: e for e in data.evaluations}
        self.agreements = {self.touchpoint_ids[a["touchpoint"]]: a for a in data.agreements
                           if a["touchpoint"] in self.touchpoint_ids}
        self.roadmap = {r["id"]: r for r in data.roadmap}

    def stage_id(self, touchpoint: dict):
        return self.stages[touchpoint["stage"]]["id"]

    def place(self, touchpoint: dict) -> dict:
        return {"journey": touchpoint["journey_name"], "stage": touchpoint["stage_name"],
                "channel": touchpoint["channel"]}


def _touchpoint_row(side: _Side, t: dict, **extra) -> dict:
    return {"id": t["id"], "name": t["name"], **side.place(t), **extra}


def _changes(old: dict, new: dict, names) -> dict:
    return {name: [old.get(name), new.get(name)] for name in names if old.get(name) != new.get(name)}


def _touchpoints(a: _Side, b: _Side, diff: dict) -> None:
    diff["touchpoints_added"] = [_touchpoint_row(b, b.touchpoints[pk]) for pk in b.touchpoints
                                 if pk not in a.touchpoints]
    diff["touchpoints_removed"] = [_touchpoint_row(a, a.touchpoints[pk]) for pk in a.touchpoints
                                   if pk not in b.touchpoints]
    moved, cells = [], {}
    for pk, new in b.touchpoints.items():
        old = a.touchpoints.get(pk)
        if old is None:
            continue
        if (a.stage_id(old), old["channel"]) != (b.stage_id(new), new["channel"]):
            moved.append({"id": pk, "name": new["name"], "journey": new["journey_name"],
                          "from": a.place(old), "to": b.place(new)})
        else:
            cells.setdefault((b.stage_id(new), new["channel"]), []).append(pk)
    diff["touchpoints_moved"] = moved
    reordered = []
    for after in cells.values():
        order_of = {pk: (a.touchpoints[pk]["position"], pk) for pk in after}
        before = sorted(after, key=order_of.get)
        after = sorted(after, key=lambda pk: (b.touchpoints[pk]["position"], pk))
        for pk in sorted(_moved_out_of_order(before, after), key=after.index):
            reordered.append(_touchpoint_row(b, b.touchpoints[pk], was=before.index(pk) + 1, now=after.index(pk) + 1))
    diff["touchpoints_reordered"] = reordered
    diff["touchpoints_edited"] = [
        _touchpoint_row(b, b.touchpoints[pk], changes=changes) for pk in b.touchpoints if pk in a.touchpoints
        and (changes := _changes(a.touchpoints[pk], b.touchpoints[pk], TOUCHPOINT_FIELDS))]


def _evaluation_row(e: dict, **extra) -> dict:
    return {"id": e["id"], "touchpoint": e["touchpoint_name"], "team": e["team"], "maturity": e["maturity"], **extra}


def _assessments(a: _Side, b: _Side, diff: dict) -> None:
    diff["evaluations_added"] = [_evaluation_row(e) for pk, e in b.evaluations.items() if pk not in a.evaluations]
    diff["evaluations_removed"] = [_evaluation_row(e) for pk, e in a.evaluations.items() if pk not in b.evaluations]
    diff["evaluations_changed"] = [
        _evaluation_row(e, changes=changes) for pk, e in b.evaluations.items() if pk in a.evaluations
        and (changes := _changes(a.evaluations[pk], e, EVALUATION_FIELDS))]
    agreed = []
    for pk in [*a.agreements, *(pk for pk in b.agreements if pk not in a.agreements)]:
        old, new = a.agreements.get(pk, {}), b.agreements.get(pk, {})
        changes = _changes(old, new, AGREEMENT_FIELDS)
        if changes:
            agreed.append({"touchpoint_id": pk, "touchpoint": (new or old)["touchpoint_name"], "changes": changes})
    diff["agreements_changed"] = agreed
    old_position = a.data.maturity[-1] if a.data.maturity else {}
    new_position = b.data.maturity[-1] if b.data.maturity else {}
    changes = _changes(old_position, new_position, MATURITY_FIELDS)
    diff["maturity_changed"] = [{"changes": changes}] if changes else []


def _roadmap(a: _Side, b: _Side, diff: dict) -> None:
    row = lambda r, **extra: {"id": r["id"], "title": r["title"], "rank": r["rank"], **extra}  # noqa: E731
    diff["roadmap_added"] = [row(r) for pk, r in b.roadmap.items() if pk not in a.roadmap]
    diff["roadmap_removed"] = [row(r) for pk, r in a.roadmap.items() if pk not in b.roadmap]
    before = [r["id"] for r in sorted(a.data.roadmap, key=lambda r: r["rank"])]
    after = [r["id"] for r in sorted(b.data.roadmap, key=lambda r: r["rank"])]
    moved = _moved_out_of_order(before, after)
    diff["roadmap_reranked"] = [row(b.roadmap[pk], was=a.roadmap[pk]["rank"], now=b.roadmap[pk]["rank"])
                                for pk in after if pk in moved]
    diff["roadmap_edited"] = [row(r, changes=changes) for pk, r in b.roadmap.items() if pk in a.roadmap
                              and (changes := _changes(a.roadmap[pk], r, ROADMAP_FIELDS))]


def _emotions(a: _Side, b: _Side, diff: dict) -> list[dict]:
    """Per journey with an emotion curve on either side: both curves over the current stages (side by side)."""
    curves, changed = [], []
    for pk, journey in {**a.journeys, **b.journeys}.items():
        old, new = a.journeys.get(pk), b.journeys.get(pk)
        stages = (new or old)["stages"]
        new_values = stage_values(new) if new else [None] * len(stages)
        old_by_stage = dict(zip((s["id"] for s in old["stages"]), stage_values(old), strict=True)) if old else {}
        old_values = [old_by_stage.get(s["id"]) for s in stages]
        if all(v is None for v in old_values + new_values):
            continue
        differs = old_values != new_values
        if differs:
            changed.append({"journey_id": pk, "journey": journey["name"],
                            "stages": [{"stage": s["name"], "was": o, "now": n}
                                       for s, o, n in zip(stages, old_values, new_values, strict=True) if o != n]})
        curves.append({"journey_id": pk, "journey": journey["name"], "changed": differs,
                       "stages": [s["name"] for s in stages], "was": old_values, "now": new_values})
    diff["emotions_changed"] = changed
    return curves


def compare(old: PlanExportData, new: PlanExportData) -> dict:
    """{section: [rows]} for every SECTIONS name, "counts" per section, "total", and "curves" (not counted)."""
    a, b = _Side(old), _Side(new)
    diff: dict = {}
    _touchpoints(a, b, diff)
    _assessments(a, b, diff)
    _roadmap(a, b, diff)
    curves = _emotions(a, b, diff)
    counts = {name: len(diff[name]) for name in SECTIONS}
    return {"sections": {name: diff[name] for name in SECTIONS}, "counts": counts, "total": sum(counts.values()),
            "curves": curves}


def curve_svg(curve: dict, *, title: str):
    """The two emotion curves of a journey on one chart: the earlier state dashed, the later one solid."""
    return charts.svg([charts.curve(curve["was"], dashed=True, mark_lowest=False), charts.curve(curve["now"])],
                      title=title)
