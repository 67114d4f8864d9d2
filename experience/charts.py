"""The emotion curve, drawn on the server as SVG so the page, the print view and the PDF show the same thing.

The chart spans the map's stage columns (equal widths): stage i's point sits at the middle of column i. The SVG
stretches to the row (preserveAspectRatio="none", strokes that do not scale); the points are HTML markers placed
in percent over it, so they stay round, can be focused, dragged and read by a screen reader.

Scale: −2 (very negative) at the bottom … +2 (very positive) at the top. A stage's value is its own score, else
the mean of its touchpoints' scores; stages without either are skipped and the curve joins their neighbours.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from experience.models import EMOTION_MAX, EMOTION_MIN

WIDTH, HEIGHT, PAD = 1000.0, 100.0, 12.0


def y_percent(score: float) -> float:
    """Top offset of a score in percent of the chart's height."""
    span = HEIGHT - 2 * PAD
    return round((PAD + (EMOTION_MAX - score) / (EMOTION_MAX - EMOTION_MIN) * span) / HEIGHT * 100, 2)


@dataclass
class Point:
    stage_index: int
    x: float  # percent of the width
    score: float
    label: str = ""
    lowest: bool = False
    touchpoint_id: int | None = None
    stage_id: int | None = None
    version: int | None = None  # of the stage's own score, for a stale-checked change

    @property
    def y(self) -> float:
        return y_percent(self.score)


@dataclass
class Curve:
    points: list[Point] = field(default_factory=list)
    dashed: bool = False

    def path(self) -> str:
        """A smooth path through the points (Catmull-Rom as cubic Béziers), in viewBox units."""
        xy = [(p.x / 100 * WIDTH, p.y / 100 * HEIGHT) for p in self.points]
        if not xy:
            return ""
        parts = [f"M{xy[0][0]:.1f},{xy[0][1]:.1f}"]
        for i in range(len(xy) - 1):
            p0, p1, p2 = xy[max(i - 1, 0)], xy[i], xy[i + 1]
            p3 = xy[min(i + 2, len(xy) - 1)]
            c1 = (p1[0] + (p2[0] - p0[0]) / 6, _clamp(p1[1] + (p2[1] - p0[1]) / 6))
            c2 = (p2[0] - (p3[0] - p1[0]) / 6, _clamp(p2[1] - (p3[1] - p1[1]) / 6))
            parts.append(f"C{c1[0]:.1f},{c1[1]:.1f} {c2[0]:.1f},{c2[1]:.1f} {p2[0]:.1f},{p2[1]:.1f}")
        return " ".join(parts)


def _clamp(y: float) -> float:
    return min(max(y, PAD / 2), HEIGHT - PAD / 2)


def stage_values(stage_ids, stage_scores: dict, touchpoint_scores: dict) -> list[float | None]:
    """Per stage id: its own score, else the mean of its touchpoints' scores (`touchpoint_scores`: stage id →
    list)."""
    values = []
    for stage_id in stage_ids:
        if stage_id in stage_scores:
            values.append(float(stage_scores[stage_id]))
        elif touchpoint_scores.get(stage_id):
            scores = touchpoint_scores[stage_id]
            values.append(round(sum(scores) / len(scores), 1))
        else:
            values.append(None)
    return values


def curve(values: list[float | None], *, dashed: bool = False, mark_lowest: bool = True) -> Curve:
    count = len(values) or 1
    points = [Point(index, round((index + 0.5) / count * 100, 2), value)
              for index, value in enumerate(values) if value is not None]
    if mark_lowest and points:
        lowest = min(point.score for point in points)
        if lowest < 0 or len(points) > 1:
            for point in points:
                point.lowest = point.score == lowest
    return Curve(points, dashed=dashed)


def touchpoint_points(stages, touchpoint_scores: list[tuple[int, int, float, str]]) -> list[Point]:
    """Small markers for touchpoint scores, spread across their stage's column: (stage id, tp id, score, name)."""
    count = len(stages) or 1
    index_of = {stage.pk: index for index, stage in enumerate(stages)}
    by_stage: dict[int, list] = {}
    for stage_id, touchpoint_id, score, name in touchpoint_scores:
        by_stage.setdefault(stage_id, []).append((touchpoint_id, score, name))
    points = []
    for stage_id, rows in by_stage.items():
        for k, (touchpoint_id, score, name) in enumerate(rows):
            x = (index_of[stage_id] + (k + 1) / (len(rows) + 1)) / count * 100
            points.append(Point(index_of[stage_id], round(x, 2), float(score), name, touchpoint_id=touchpoint_id))
    return points


def svg(curves: list[Curve], *, title: str) -> SafeString:
    """The chart's background (zones, zero line) and its curves, as one inline SVG."""
    zero = y_percent(0) / 100 * HEIGHT
    # Colours as attributes, not only CSS: the PDF renderer draws inline SVG from its attributes.
    paths = format_html_join(
        "", '<path d="{}" class="emo-path{}" fill="none" stroke="{}" stroke-width="{}"{} '
        'vector-effect="non-scaling-stroke"/>',
        ((c.path(), " is-compared" if c.dashed else "", "#9aa3b5" if c.dashed else "#6a3fc1",
          "2" if c.dashed else "3", mark_safe(' stroke-dasharray="6 5"') if c.dashed else "")
         for c in curves if c.points),
    )
    return format_html(
        '<svg class="emo-svg" viewBox="0 0 {w} {h}" preserveAspectRatio="none" role="img" '
        'aria-label="{title}" xmlns="http://www.w3.org/2000/svg">'
        '<rect class="emo-good" x="0" y="0" width="{w}" height="{zero}" fill="#eef8f2"/>'
        '<rect class="emo-bad" x="0" y="{zero}" width="{w}" height="{rest}" fill="#fdf1f0"/>'
        '<line class="emo-zero" x1="0" x2="{w}" y1="{zero}" y2="{zero}" stroke="#c5ccd8" stroke-width="1" '
        'stroke-dasharray="4 4" vector-effect="non-scaling-stroke"/>{paths}</svg>',
        w=f"{WIDTH:.0f}", h=f"{HEIGHT:.0f}", zero=f"{zero:.1f}", rest=f"{HEIGHT - zero:.1f}", title=title,
        paths=paths or mark_safe(""),
    )
