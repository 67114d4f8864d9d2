"""Feedback statistics with honest uncertainty: NPS, CES and CSAT with 95 % intervals and sample sizes.

The arithmetic here is pure (counts and sums in, numbers out); selectors compute the counts and sums in the
database with aggregates, so no response row is ever loaded to compute a figure.

- NPS = %promoters (9–10) − %detractors (0–6), in points from −100 to 100. Its interval is the adjusted-Wald
  interval (Sauro & Lewis): add 3/4 of a response to promoters and to detractors and 3 to n, then
  NPS' ± z·√((p'+d' − NPS'²)/n'). Unlike the plain Wald interval, it stays honest at n = 1 or when everyone
  is a promoter (a plain interval would collapse to a single point there).
- CES and CSAT: the mean with a Student-t interval (no interval below n = 2), clipped to the scale.
- Fewer than 30 responses: the figure is flagged as indicative.
- Two periods differ "beyond the noise" when the difference exceeds z times the standard error of the difference.
"""

import math
from dataclasses import asdict, dataclass

Z95 = 1.959963984540054
INDICATIVE_BELOW = 30
# Two-sided 95 % Student-t critical values for 1..30 degrees of freedom; beyond that the normal value is close.
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
       2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def t95(degrees_of_freedom: int) -> float:
    if degrees_of_freedom <= 0:
        raise ValueError("at least one degree of freedom")
    if degrees_of_freedom <= len(T95):
        return T95[degrees_of_freedom - 1]
    # Cornish–Fisher expansion around the normal quantile: within 0.001 of the exact value from 31 on.
    z, df = Z95, degrees_of_freedom
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


@dataclass(frozen=True)
class Estimate:
    """A score with its 95 % interval (None when it cannot be computed) and the sample size."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    indicative: bool
    standard_error: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def nps_with_interval(promoters: int, passives: int, detractors: int) -> Estimate:
    n = promoters + passives + detractors
    if n == 0:
        return Estimate(None, None, None, 0, True)
    nps = 100.0 * (promoters - detractors) / n
    n_adj = n + 3
    p_adj, d_adj = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
    nps_adj = p_adj - d_adj
    se = math.sqrt(max(p_adj + d_adj - nps_adj**2, 0.0) / n_adj)
    low, high = max(-1.0, nps_adj - Z95 * se), min(1.0, nps_adj + Z95 * se)
    return Estimate(round(nps, 2), round(100 * low, 2), round(100 * high, 2), n, n < INDICATIVE_BELOW,
                    round(100 * se, 4))


def mean_with_interval(n: int, total: float, total_of_squares: float, scale: tuple[int, int]) -> Estimate:
    if n == 0:
        return Estimate(None, None, None, 0, True)
    mean = total / n
    if n == 1:
        return Estimate(round(mean, 3), None, None, 1, True)
    variance = max((total_of_squares - n * mean**2) / (n - 1), 0.0)
    se = math.sqrt(variance / n)
    half = t95(n - 1) * se
    low, high = max(scale[0], mean - half), min(scale[1], mean + half)
    return Estimate(round(mean, 3), round(low, 3), round(high, 3), n, n < INDICATIVE_BELOW, round(se, 5))


@dataclass(frozen=True)
class Comparison:
    """Change from an earlier period to a later one, and whether it is larger than the noise."""

    change: float | None
    margin: float | None
    beyond_noise: bool

    def as_dict(self) -> dict:
        return asdict(self)


def compare(earlier: Estimate, later: Estimate) -> Comparison:
    if earlier.value is None or later.value is None or earlier.standard_error is None \
            or later.standard_error is None:
        return Comparison(None, None, False)
    change = later.value - earlier.value
    margin = Z95 * math.sqrt(earlier.standard_error**2 + later.standard_error**2)
    return Comparison(round(change, 3), round(margin, 3), abs(change) > margin)
