"""The experience lanes as row groups of the journey map (see planning/map_rows.py): what each template draws."""

from experience import selectors
from experience.forms import LaneAddForm
from experience.models import BACKSTAGE_KINDS, LaneKind

TEMPLATES = {
    LaneKind.EMOTION: "experience/map/_emotion_lane.html",
    LaneKind.METRICS: "experience/map/_metrics_lane.html",
    LaneKind.INSIGHTS: "experience/map/_insights_lane.html",
}
TEXT_TEMPLATE = "experience/map/_text_lane.html"


def experience_rows(journey, stages, *, can_edit=False, printing=False) -> list[dict]:
    lanes = selectors.journey_lanes(journey)
    shown = [lane for lane in lanes if not lane.hidden]
    texts = selectors.text_cells(shown, stages)
    groups = []
    for index, lane in enumerate(shown):
        group = {"lane": lane, "template": TEMPLATES.get(lane.kind, TEXT_TEMPLATE),
                 "place": "below" if lane.kind in BACKSTAGE_KINDS else "above",
                 "first": index == 0, "last": index == len(shown) - 1}
        if lane.is_text:
            group["cells"] = texts[lane.pk]
            group["hint"] = selectors.KIND_HINTS.get(lane.kind, "")
        elif lane.kind == LaneKind.EMOTION:
            group["chart"] = selectors.emotion_chart(journey, stages)
        elif lane.kind == LaneKind.METRICS:
            group["cells"] = selectors.stage_metrics(journey, stages)
        else:
            group["cells"] = selectors.insights_by_stage(journey, stages)
        groups.append(group)
    hidden = [lane for lane in lanes if lane.hidden]
    if can_edit and not printing:
        groups.append({"template": "experience/map/_lane_tools.html", "place": "below", "hidden_lanes": hidden,
                       "add_form": LaneAddForm(prefix=f"lane-{journey.pk}")})
    return groups
