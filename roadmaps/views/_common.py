"""What the roadmap pages share: the plan's ranked items with their scores, and each score's breakdown."""

from django.core.exceptions import FieldDoesNotExist
from django.shortcuts import get_object_or_404
from django.utils.formats import get_format

from roadmaps import selectors
from roadmaps.forms import VersionForm
from roadmaps.models import RoadmapItem, ScoringMethod
from roadmaps.scoring import FORMULAS
from tenancy.access import Access, plan_access, plan_for
from tenancy.editing import PlanObjectPages


def roadmap_item_for(user, pk, item_pk, access=Access.EDIT):
    """The plan (at `access`, else 404/403) and its item (else 404)."""
    plan = plan_for(user, pk, access)
    return plan, get_object_or_404(selectors.roadmap_item_list(user=user, plan=plan), pk=item_pk)


def _missing_label(name: str) -> str:
    try:
        return str(RoadmapItem._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name  # a custom criterion's name


def local_number(number: float) -> str:
    """A number as short as `:g` writes it, with the active language's decimal mark ("0,8" in French)."""
    return f"{number:g}".replace(".", get_format("DECIMAL_SEPARATOR"))


def local_effect(effect: str) -> str:
    """A term's effect ("× 0.8", "÷ 4") with its number written for the reader; the API keeps the plain one."""
    op, _space, number = effect.partition(" ")
    try:
        return f"{op} {local_number(float(number))}"
    except ValueError:
        return effect


def breakdown(score) -> list[dict]:
    """Each term of the score: its input, its effect ("× 8", "÷ 4") or contribution, and its share of the score
    in whole percent (additive formulas only) for the inline bar. The input is left out where the effect already
    shows it ("× 8" for a value of 8)."""
    rows = []
    for index, term in enumerate(score.terms):
        share = None
        if term.contribution is not None and score.value:
            share = max(0, min(100, round(100 * term.contribution / score.value)))
        repeated = term.value is not None and term.effect.partition(" ")[2] == f"{term.value:g}"
        rows.append({"label": term.label, "value": term.value, "effect": local_effect(term.effect),
                     "show_value": not repeated,
                     "contribution": term.contribution, "share": share, "colour": index % 6})
    return rows


def equation(score) -> str:
    """A multiplicative score written out with its numbers: "8 ÷ 4" (the page adds "= 2.00"), "300000 × 0,5 × …" in
    French."""
    if score.value is None or any(t.contribution is not None for t in score.terms):
        return ""
    effects = [t.effect for t in score.terms]
    if not effects or not all(effects):
        return ""
    effects = [local_effect(effect) for effect in effects]
    first = effects[0].removeprefix("× ")
    return " ".join([first, *effects[1:]])


def ranked_roadmap(user, plan) -> dict:
    """The plan's items in rank order, each with its score and breakdown; the method and its formula.

    A fixed number of queries whatever the number of items (the selector prefetches every link).
    """
    items = selectors.roadmap_item_list(user=user, plan=plan)
    scored = selectors.scored_roadmap(plan=plan, items=items)
    rows = []
    for rank, (item, score) in enumerate(scored["ranked"], start=1):
        rows.append({"rank": rank, "item": item, "score": score, "terms": breakdown(score), "equation": equation(score),
                     "additive": any(t.contribution is not None for t in score.terms),
                     "missing": [_missing_label(name) for name in score.missing if name != "criteria"],
                     "no_criteria": "criteria" in score.missing})
    method = scored["method"]
    return {"items": items, "rows": rows, "method": method, "method_label": ScoringMethod(method).label,
            "formula": FORMULAS[method], "criteria": scored["criteria"]}


def page_context(request, plan, **extra) -> dict:
    request.session["current_organisation_id"] = plan.organisation_id
    return {"plan": plan, "organisation": plan.organisation,
            "can_edit": plan_access(request.user, plan) >= Access.EDIT, **extra}


class RoadmapPages(PlanObjectPages):
    """The edit pages of a roadmap's objects: in the roadmap's tabs, deleted from the roadmap's confirmation page."""

    delete_form_class, delete_template_name = VersionForm, "roadmaps/confirm_delete.html"

    def context(self, **extra) -> dict:
        return page_context(self.request, self.plan, **extra)
