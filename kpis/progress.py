"""Where a KPI stands: its current value, its progress from baseline toward target, and whether it moves the right way.

Pure arithmetic on Decimals. Progress = (current − baseline) / (target − baseline), in percent: 0 % at the
baseline, 100 % at the target, negative when the KPI moved the wrong way, above 100 % past the target. The same
formula holds for both directions, because the target is always on the better side of the baseline (a database
rule): churn from 10 % to a target of 5 %, now 8 %: (8 − 10) / (5 − 10) = 40 %.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kpis.models import Direction

HUNDRED = Decimal(100)


def progress(baseline: Decimal | None, target: Decimal | None, current: Decimal | None) -> Decimal | None:
    """Percent of the way from baseline to target (one decimal), or None when one of the three is missing."""
    if baseline is None or target is None or current is None or target == baseline:
        return None
    return ((current - baseline) / (target - baseline) * HUNDRED).quantize(Decimal("0.1"), ROUND_HALF_UP)


def trend(direction: str, baseline: Decimal | None, current: Decimal | None) -> str | None:
    """"better", "worse" or "same" than the baseline, read in the KPI's direction; None without both values."""
    if baseline is None or current is None:
        return None
    if current == baseline:
        return "same"
    rising = current > baseline
    return "better" if rising == (direction == Direction.HIGHER) else "worse"


@dataclass(frozen=True)
class Standing:
    """A KPI's baseline → current → target with its progress, trend and the share of the bar to fill (0–100)."""

    current: Decimal | None
    current_on: object  # the date of the current value, or None
    progress: Decimal | None
    trend: str | None
    bar: int  # progress clipped to 0–100, for the bar's width


def standing(kpi, series: list[tuple]) -> Standing:
    """`series`: the KPI's measurements as (date, value) in date order; the current value is the latest."""
    current, current_on = (series[-1][1], series[-1][0]) if series else (None, None)
    done = progress(kpi.baseline_value, kpi.target_value, current)
    bar = 0 if done is None else int(max(Decimal(0), min(HUNDRED, done)))
    return Standing(current, current_on, done, trend(kpi.direction, kpi.baseline_value, current), bar)
