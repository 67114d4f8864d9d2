"""Transparent prioritisation: each method's formula, the score, and what each term contributes.

Scores are absolute: an item's score depends only on its own inputs (and the plan's criteria), never on the other
items, so adding an item never changes another's score. Pure functions: no queries here.

- value / effort:  value (1–10) ÷ effort (1–10)
- RICE:            reach × impact × confidence% ÷ effort
- WSJF:            (business value + time criticality + risk reduction) ÷ job size   (1–21 each, Fibonacci-like)
- custom:          Σ weight × rating, where a "lower is better" criterion counts (6 − rating); ratings are 1–5
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

FORMULAS = {
    "value_effort": _("score = value ÷ effort"),
    "rice": _("score = reach × impact × confidence ÷ effort"),
    "wsjf": _("score = (business value + time criticality + risk reduction) ÷ job size"),
    "custom": _("score = Σ weight × rating (a “lower is better” criterion counts 6 − rating)"),
}


@dataclass
class Term:
    """One input of the formula: its value and how it moves the score (an amount, or a factor)."""

    name: str
    label: str
    value: float | None
    contribution: float | None = None  # for additive formulas: the part of the score it brings
    effect: str = ""  # for multiplicative formulas: "× 8" or "÷ 4"


@dataclass
class Score:
    value: float | None
    formula: str
    terms: list[Term] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"value": self.value, "formula": str(self.formula), "missing": self.missing,
                "terms": [{"name": t.name, "label": str(t.label), "value": t.value, "contribution": t.contribution,
                           "effect": t.effect} for t in self.terms]}


def _num(value) -> float | None:
    return float(value) if isinstance(value, int | float | Decimal) else None


def _factor_terms(item, spec) -> tuple[list[Term], list[str]]:
    terms, missing = [], []
    for name, label, op in spec:
        value = _num(getattr(item, name))
        if value is None:
            missing.append(name)
        terms.append(Term(name, label, value, effect=f"{op} {value:g}" if value is not None else ""))
    return terms, missing


def value_effort(item) -> Score:
    terms, missing = _factor_terms(item, [("value", _("value"), "×"), ("effort", _("effort"), "÷")])
    value = None if missing else round(terms[0].value / terms[1].value, 3)
    return Score(value, FORMULAS["value_effort"], terms, missing)


def rice(item) -> Score:
    spec = [("reach", _("reach"), "×"), ("impact", _("impact"), "×"), ("confidence", _("confidence %"), "×"),
            ("effort", _("effort"), "÷")]
    terms, missing = _factor_terms(item, spec)
    if missing:
        return Score(None, FORMULAS["rice"], terms, missing)
    reach, impact, confidence, effort = (t.value for t in terms)
    terms[2].effect = f"× {confidence / 100:g}"
    return Score(round(reach * impact * (confidence / 100) / effort, 3), FORMULAS["rice"], terms, [])


def wsjf(item) -> Score:
    parts = [("business_value", _("business value")), ("time_criticality", _("time criticality")),
             ("risk_reduction", _("risk reduction"))]
    size = _num(item.job_size)
    terms = [Term(name, label, _num(getattr(item, name))) for name, label in parts]
    missing = [t.name for t in terms if t.value is None] + ([] if size else ["job_size"])
    size_term = Term("job_size", _("job size"), size, effect=f"÷ {size:g}" if size else "")
    if missing:
        return Score(None, FORMULAS["wsjf"], [*terms, size_term], missing)
    for term in terms:
        term.contribution = round(term.value / size, 3)
    return Score(round(sum(t.contribution for t in terms), 3), FORMULAS["wsjf"], [*terms, size_term], [])


def custom(item, criteria) -> Score:
    ratings = item.criteria_scores or {}
    terms, missing = [], []
    for criterion in criteria:
        rating = _num(ratings.get(str(criterion.pk)))
        if rating is None:
            missing.append(criterion.name)
            terms.append(Term(str(criterion.pk), criterion.name, None))
            continue
        counted = 6 - rating if criterion.direction == "lower" else rating
        terms.append(Term(str(criterion.pk), criterion.name, rating,
                          contribution=round(float(criterion.weight) * counted, 3)))
    if not criteria or missing:
        return Score(None, FORMULAS["custom"], terms, missing or ["criteria"])
    return Score(round(sum(t.contribution for t in terms), 3), FORMULAS["custom"], terms, [])


def score_item(item, method: str, criteria=()) -> Score:
    if method == "custom":
        return custom(item, criteria)
    return {"value_effort": value_effort, "rice": rice, "wsjf": wsjf}[method](item)


def suggest_value(*, gaps: list[float | None], objectives: int) -> tuple[int | None, str]:
    """A value (1–10) suggested by the linked touchpoints' gaps and the stakeholder objectives it serves.

    value = 1 + 9 × (sum of the positive gaps, at most 100) ÷ 100 + 0.5 per objective (at most 2), rounded half up
    and kept within 1–10. A gap is in points of the whole scale (assessments.selectors.gap): a touchpoint 40 points
    behind its potential is already far behind, so the gaps add up (an item serving four such touchpoints is worth
    more than one serving one) and 100 points reach the top of the scale. The mean of the gaps on a 0–100 scale, as
    before, kept every suggestion near the bottom (a mean gap of 20 gave 2 or 3 where people rate 7 to 9). Only
    evaluated touchpoints count; without one there is no suggestion, since objectives alone say little about value.
    The explanation's numbers follow the active language ("0,5" in French).
    """
    known = [max(g, 0.0) for g in gaps if g is not None]
    if not known:
        return None, str(_("Link touchpoints that the teams have evaluated to get a suggestion."))
    total = min(100.0, sum(known))
    raw = 1 + 9 * total / 100 + min(2.0, 0.5 * objectives)
    value = max(1, min(10, math.floor(raw + 0.5)))
    return value, str(_("1 + 9 × gaps %(gap)s ÷ 100 + %(half)s × %(n)d objectives = %(raw)s")
                      % {"gap": number_format(round(total), 0), "half": number_format(0.5, 1), "n": objectives,
                         "raw": number_format(raw, 1)})


def rank(items_with_scores: list[tuple]) -> list[tuple]:
    """Order (item, score) pairs: by score (unscored last), then manual ranks put at their place (1-based)."""
    automatic = sorted((p for p in items_with_scores if p[0].manual_rank is None),
                       key=lambda p: (p[1].value is None, -(p[1].value or 0), p[0].title.lower(), p[0].pk))
    manual = sorted((p for p in items_with_scores if p[0].manual_rank is not None),
                    key=lambda p: (p[0].manual_rank, p[0].pk))
    for pair in manual:
        automatic.insert(min(pair[0].manual_rank - 1, len(automatic)), pair)
    return automatic
