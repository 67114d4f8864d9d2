"""Where to put effort first: a touchpoint's gap (potential − maturity), raised by what its customers say.

Pure arithmetic over figures the selectors computed (no query). The weighting, in points of the gap's scale
(−100 to 100):

    priority = gap + boost, boost = Σ weight × badness, capped at BOOST_CAP

Each signal counts only with at least MIN_RESPONSES responses behind it (a lone angry answer lifts nothing), and its
badness runs from 0 (fine) to 1 (as bad as it gets); a signal on the good side of its threshold adds nothing:

| signal                      | badness                          | weight |
|-----------------------------|----------------------------------|--------|
| NPS (−100…100)              | −NPS / 100, when NPS < 0         | 20     |
| CSAT (1…5)                  | (3 − CSAT) / 2, when CSAT < 3    | 15     |
| CES (1…7, high = effort)    | (CES − 4) / 3, when CES > 4      | 15     |
| negative verbatims (share)  | (share − ⅓) / ⅔, when share > ⅓  | 20     |

So NPS −20 adds 4 points, 62 % negative verbatims 8.6, and the worst possible feedback 50 (the cap is the sum of
the weights, 70, held at 50 so feedback alone cannot outweigh a whole gap). A touchpoint not evaluated yet has no
gap and stays below the evaluated ones; among those, the larger boost comes first.
"""

from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

MIN_RESPONSES = 5
BOOST_CAP = 50.0
WEIGHTS = {"negative": 20.0, "nps": 20.0, "ces": 15.0, "csat": 15.0}


@dataclass(frozen=True)
class Boost:
    """How much a touchpoint's feedback raises it, and why (most weighty signal first). The reasons are put in words
    only when read: a whole plan's touchpoints are ranked, a page of them shown."""

    points: float
    signals: tuple[tuple[str, float], ...] = ()  # (signal, its figure: a share, an NPS, a CSAT or a CES)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(_reason(name, value) for name, value in self.signals)

    @property
    def text(self) -> str:
        return _("ranked up: %(reasons)s") % {"reasons": ", ".join(self.reasons)} if self.signals else ""


def _reason(name: str, value: float) -> str:
    if name == "negative":
        return _("%(share)s %% negative verbatims") % {"share": round(100 * value)}
    if name == "nps":
        return _("NPS %(value)s") % {"value": floatformat(value, 0).replace("-", "−")}
    return {"csat": _("CSAT %(value)s"), "ces": _("CES %(value)s")}[name] % {"value": floatformat(value, 1)}


def _clip(value: float) -> float:
    return max(0.0, min(1.0, value))


def _badness(feedback: dict | None, negative: dict | None) -> list[tuple[str, float, float]]:
    """(signal, badness 0–1, its figure) for each signal that is poor and has enough responses."""
    found = []
    if negative and negative["n"] >= MIN_RESPONSES and negative["share"] > 1 / 3:
        found.append(("negative", _clip((negative["share"] - 1 / 3) / (2 / 3)), negative["share"]))
    feedback = feedback or {}
    nps, ces, csat = feedback.get("nps"), feedback.get("ces"), feedback.get("csat")
    if nps is not None and nps.value is not None and nps.n >= MIN_RESPONSES and nps.value < 0:
        found.append(("nps", _clip(-nps.value / 100), nps.value))
    if csat is not None and csat.value is not None and csat.n >= MIN_RESPONSES and csat.value < 3:
        found.append(("csat", _clip((3 - csat.value) / 2), csat.value))
    if ces is not None and ces.value is not None and ces.n >= MIN_RESPONSES and ces.value > 4:
        found.append(("ces", _clip((ces.value - 4) / 3), ces.value))
    return found


def feedback_boost(feedback: dict | None, negative: dict | None) -> Boost:
    """The boost of one touchpoint from its feedback figures ({"nps": Estimate, …}) and its negative verbatims
    ({"n", "negative", "share"}); either may be None."""
    signals = _badness(feedback, negative)
    signals.sort(key=lambda signal: -WEIGHTS[signal[0]] * signal[1])
    points = min(BOOST_CAP, sum(WEIGHTS[name] * badness for name, badness, _value in signals))
    return Boost(round(points, 1), tuple((name, value) for name, badness, value in signals if badness > 0))


def priority(gap: float | None, boost: Boost) -> float | None:
    """The gap raised by the feedback boost; None while the touchpoint has no gap (not evaluated)."""
    return None if gap is None else round(gap + boost.points, 1)
