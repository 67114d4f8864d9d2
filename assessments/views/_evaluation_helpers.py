"""Shared by the evaluation views: loading with access checks, the team cards, the agreed-value panel, htmx answers."""

import math

from django.http import Http404
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.forms_evaluations import AgreementForm
from assessments.models import DataCaptureItem, InformationPushed, Maturity, TouchpointAgreement, TouchpointEvaluation
from planning.models import Touchpoint
from tenancy.access import Access, plan_access, plan_for
from tenancy.models import Team

CARD = "assessments/evaluations/_team_card.html"
RESPONSE = "assessments/evaluations/_response.html"
FORM_PAGE = "assessments/evaluations/form_page.html"
AGREED_FIELDS = ("maturity", "potential_customer", "potential_brand")
SCALE_TOP = {"maturity": 4, "potential_customer": 5, "potential_brand": 5}


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# Loading -------------------------------------------------------------------------------------------------------


def touchpoint_for(user, pk, access: Access = Access.VIEW) -> Touchpoint:
    """The touchpoint if the user sees its plan (else 404) with `access` on it (else 403); its plan is loaded."""
    touchpoint = Touchpoint.objects.select_related("journey", "stage", "channel", "team").filter(pk=pk).first()
    if touchpoint is None:
        raise Http404(_("No such touchpoint."))
    touchpoint.plan = plan_for(user, touchpoint.plan_id, access)
    touchpoint.journey.plan = touchpoint.plan
    return touchpoint


def team_for(touchpoint: Touchpoint, pk) -> Team:
    """A team of the touchpoint's organisation (another organisation's team is 404)."""
    team = Team.objects.filter(organisation_id=touchpoint.plan.organisation_id, pk=pk).first()
    if team is None:
        raise Http404(_("No such team."))
    return team


def evaluation_of(touchpoint: Touchpoint, team: Team) -> TouchpointEvaluation | None:
    evaluation = (TouchpointEvaluation.objects.filter(touchpoint=touchpoint, team=team)
                  .select_related("evaluated_by").prefetch_related("data_items").first())
    if evaluation is not None:
        evaluation.plan, evaluation.team, evaluation.touchpoint = touchpoint.plan, team, touchpoint
    return evaluation


def data_item_for(user, pk, access: Access = Access.VIEW) -> DataCaptureItem:
    item = DataCaptureItem.objects.select_related("evaluation__team").filter(pk=pk).first()
    if item is None:
        raise Http404(_("No such data item."))
    touchpoint = touchpoint_for(user, item.evaluation.touchpoint_id, access)
    item.evaluation.plan, item.evaluation.touchpoint = touchpoint.plan, touchpoint
    return item


def can_edit(user, touchpoint: Touchpoint) -> bool:
    return plan_access(user, touchpoint.plan) >= Access.EDIT


# Team cards ----------------------------------------------------------------------------------------------------


def information_labels(values) -> list[str]:
    labels = dict(InformationPushed.choices)
    return [str(labels.get(value, value)) for value in values or []]


def split_level(value) -> tuple[str, str]:
    """(“2 · Managed”, “defined and partly measured, …”) from a level's one-line definition."""
    name, _sep, definition = str(Maturity(value).label).partition(":")
    return name.strip(), definition.strip()


def card_context(touchpoint, team, evaluation, *, editable: bool, **extra) -> dict:
    """What _team_card.html draws. extra: form / theirs (evaluation form), item_form / item_editing (data item)."""
    if evaluation is not None:
        evaluation.information_labels = information_labels(evaluation.information_pushed)
        evaluation.level_name, evaluation.level_definition = split_level(evaluation.maturity)
    return {"tp": touchpoint, "team": team, "evaluation": evaluation, "can_edit": editable} | extra


def respond(request, touchpoint, team, evaluation, *, message="", level="success", with_agreement=False, **extra):
    """The card (htmx: with the status line and, after a change of values, the agreed-value panel out of band);
    without htmx, the card alone on a page (forms) — successful writes redirect in the views instead."""
    context = card_context(touchpoint, team, evaluation, editable=True, **extra)
    if not is_htmx(request):
        return render(request, FORM_PAGE, context | {"plan": touchpoint.plan,
                                                     "organisation": touchpoint.plan.organisation})
    context |= {"message": message, "level": level}
    if with_agreement:
        context |= {"oob": True, **agreement_context(touchpoint, editable=True)}
    return render(request, RESPONSE, context)


# The agreed value ----------------------------------------------------------------------------------------------


def _level_name(level: int) -> str:
    """“Managed” from “2 · Managed: defined and partly measured…”."""
    return str(Maturity(level).label).split(":", 1)[0].split("·", 1)[-1].strip()


def short_level(value) -> str:
    """“2 · Managed” from the level's one-line definition; a median between two levels reads the same way:
    “2.5 · between Managed and Integrated” (“2,5 · entre Maîtrisé et Intégré” in French)."""
    if value is None:
        return "—"
    if float(value).is_integer() and 1 <= value <= 4:
        return str(Maturity(int(value)).label).split(":", 1)[0].strip()
    if 1 < value < 4:
        return _("%(value)s · between %(lower)s and %(upper)s") % {
            "value": floatformat(value, -1), "lower": _level_name(math.floor(value)),
            "upper": _level_name(math.ceil(value))}
    return floatformat(value, -1)


def _strip(field, summary) -> dict:
    """Coordinates of the dot strip: the field's scale, one circle per value given (with how many teams gave it),
    and the agreed value's marker."""
    top, width, pad = SCALE_TOP[field], 220, 14

    def x(value):
        return round(pad + (value - 1) * (width - 2 * pad) / (top - 1), 1)

    teams: dict = {}
    for evaluation in summary["evaluations"]:
        teams.setdefault(getattr(evaluation, field), []).append(evaluation.team.name)
    dots = [{"x": x(value), "count": len(names), "teams": ", ".join(names), "value": value}
            for value, names in sorted(teams.items())]
    agreed = summary["agreed"][field]
    return {"width": width, "ticks": [{"x": x(n), "label": n} for n in range(1, top + 1)], "dots": dots,
            "start": x(1), "end": x(top), "agreed_x": x(agreed) if agreed is not None else None}


def field_labels() -> dict:
    return {"maturity": _("Maturity"), "potential_customer": _("Potential for the customer"),
            "potential_brand": _("Potential for the brand")}


def disputed_fields(summary) -> str:
    """“maturity, potential for the brand”: the fields on which teams are far enough apart to discuss."""
    labels = field_labels()
    return ", ".join(str(labels[f]).lower() for f in AGREED_FIELDS
                     if (summary["spread"][f] or 0) >= selectors.DISAGREEMENT_SPREAD)


def agreement_rows(summary) -> list[dict]:
    agreement = summary["agreement"]
    labels = field_labels()
    rows = []
    for field in AGREED_FIELDS:
        agreed = summary["agreed"][field]
        overridden = agreement is not None and getattr(agreement, field) is not None
        rows.append({
            "field": field, "label": labels[field], "top": SCALE_TOP[field], "agreed": agreed,
            "agreed_text": short_level(agreed) if field == "maturity" else (
                floatformat(agreed, -1) if agreed is not None else "—"),
            "overridden": overridden, "spread": summary["spread"][field],
            "wide": (summary["spread"][field] or 0) >= selectors.DISAGREEMENT_SPREAD,
            "values": [(e.team.name, getattr(e, field)) for e in summary["evaluations"]],
            "strip": _strip(field, summary),
        })
    return rows


def agreement_context(touchpoint, *, editable: bool, form=None, theirs=None, evaluations=None) -> dict:
    """The agreed-value panel: the median of the teams or the agreed override, spreads, the disagreement flag."""
    if evaluations is None:
        evaluations = list(TouchpointEvaluation.objects.filter(touchpoint=touchpoint).select_related("team")
                           .order_by("team__name", "id"))
    agreement = TouchpointAgreement.objects.filter(touchpoint=touchpoint).select_related("agreed_by").first()
    summary = selectors.summarise(evaluations, agreement)
    medians = selectors.summarise(evaluations)["agreed"]
    if editable and form is None:
        initial = {name: getattr(agreement, name) for name in AGREED_FIELDS + ("reason", "version")} if agreement \
            else {}
        form = AgreementForm(initial=initial, medians=medians, auto_id="agreement-%s")
    return {"tp": touchpoint, "summary": summary, "agreement": agreement, "rows": agreement_rows(summary),
            "medians": medians, "agreement_form": form if editable else None, "agreement_theirs": theirs,
            "can_edit": editable, "team_count": len(evaluations),
            "disagreement_spread": selectors.DISAGREEMENT_SPREAD}
