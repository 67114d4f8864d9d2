"""Customer feedback pages: a touchpoint's figures, verbatims and hand entry; the plan's figures and verbatim search.

The CSV import and the downloads are in feedback_import.py (their routes are gathered here, the one list
assessments/urls.py reads). Every figure is a database aggregate (selectors), so these pages make the same
number of queries for ten responses or a million.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import selectors, services, voice
from assessments.forms_feedback import FeedbackImportForm, FeedbackResponseForm
from assessments.importers import OPTIONAL, REQUIRED
from assessments.models import Sentiment, Theme
from assessments.views import feedback_import
from assessments.views import themes as theme_pages
from assessments.views._feedback_helpers import (
    PER_PAGE,
    VerbatimPaginator,
    filtered_by_sentiment,
    filtered_by_theme,
    highlighted,
    period_days,
    rows_with_statistics,
    search_text,
    sentiment_filters,
    statistics_cards,
    theme_filter,
    touchpoint_for,
    with_voice,
)
from core.editing import apply_errors
from planning.models import Journey, Touchpoint
from tenancy.access import Access, plan_access, plan_for


def _touchpoint_page(request, touchpoint, form):
    plan = touchpoint.plan
    request.session["current_organisation_id"] = plan.organisation_id
    responses = selectors.feedback_list(user=request.user, plan=plan).filter(touchpoint=touchpoint)
    verbatims = VerbatimPaginator(with_voice(responses.exclude(verbatim="")), PER_PAGE,
                                  total=selectors.feedback_verbatim_count(responses)).get_page(request.GET.get("page"))
    can_edit = plan_access(request.user, plan) >= Access.EDIT
    themes = _themes(plan) if can_edit else []
    negative = voice.with_links(voice.negative_themes(voice.verbatim_themes(responses)),
                                reverse("plan_feedback", args=[plan.pk]))
    return render(request, "assessments/feedback/touchpoint.html", {
        "negative_themes": negative.get(None, []),
        "plan": plan, "organisation": plan.organisation, "tp": touchpoint, "can_edit": can_edit, "themes": themes,
        "sentiment_choices": Sentiment.choices,
        "form": form if can_edit else None, "verbatims": verbatims,
        **statistics_cards(responses, days=period_days(request)),
    })


@login_required
@require_GET
def touchpoint_feedback(request, pk):
    touchpoint = touchpoint_for(request.user, pk)
    return _touchpoint_page(request, touchpoint, FeedbackResponseForm())


@login_required
@require_POST
def feedback_add(request, pk):
    """Add one response by hand; on a mistake, the touchpoint page again with the form's errors."""
    touchpoint = touchpoint_for(request.user, pk, Access.EDIT)
    form = FeedbackResponseForm(request.POST)
    if form.is_valid():
        try:
            response = services.feedback_create(touchpoint=touchpoint, actor=request.user, **form.values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(kind)s response of %(score)s added.") % {
                "kind": response.kind.upper(), "score": response.score})
            return redirect(reverse("touchpoint_feedback", args=[touchpoint.pk]) + "#add")
    return _touchpoint_page(request, touchpoint, form)


@login_required
@require_GET
def plan_feedback(request, pk):
    plan = plan_for(request.user, pk)
    request.session["current_organisation_id"] = plan.organisation_id
    responses = selectors.feedback_list(user=request.user, plan=plan)
    journeys = Journey.objects.filter(plan=plan).order_by("name", "id")
    touchpoints = (Touchpoint.objects.filter(plan=plan).select_related("journey", "stage", "channel")
                   .order_by("journey__name", "journey_id", "stage__position", "name", "id"))
    by_touchpoint = selectors.feedback_statistics_by_touchpoint(plan=plan)
    query = search_text(request)
    themes = _themes(plan)
    theme = theme_filter(request, themes)
    chosen = sentiment_filters(request)
    found = filtered_by_sentiment(filtered_by_theme(responses.exclude(verbatim=""), theme), chosen)
    found = with_voice(found.select_related("touchpoint"))
    if query:
        found = found.filter(verbatim__icontains=query)
    filtered = bool(query or theme or chosen["sentiment"] or chosen["disagree"])
    total = None if filtered else selectors.feedback_verbatim_count(responses)
    verbatims = VerbatimPaginator(found, PER_PAGE, total=total).get_page(request.GET.get("page"))
    for response in verbatims.object_list:
        response.parts = highlighted(response.verbatim, query)
    can_edit = plan_access(request.user, plan) >= Access.EDIT
    return render(request, "assessments/feedback/plan.html", {
        "plan": plan, "organisation": plan.organisation, "can_edit": can_edit,
        "journey_rows": rows_with_statistics(journeys, selectors.feedback_statistics_by_journey(plan=plan)),
        "touchpoint_rows": rows_with_statistics([t for t in touchpoints if t.pk in by_touchpoint], by_touchpoint),
        "touchpoints_without_feedback": sum(1 for t in touchpoints if t.pk not in by_touchpoint),
        "query": query, "verbatims": verbatims, "themes": themes, "theme": theme, **chosen,
        "sentiment_choices": Sentiment.choices,
        "filtered": filtered,
        "import_form": FeedbackImportForm() if can_edit else None,
        "required": REQUIRED, "optional": OPTIONAL,
        **statistics_cards(responses, days=period_days(request)),
    })


def _themes(plan) -> list[Theme]:
    """The organisation's themes, macro themes each followed by their micro themes (one query)."""
    themes = list(Theme.objects.filter(organisation_id=plan.organisation_id).select_related("parent"))
    return sorted(themes, key=lambda t: (t.parent.name if t.parent_id else t.name, t.parent_id is not None, t.name))


urlpatterns = [
    path("touchpoints/<int:pk>/feedback/", touchpoint_feedback, name="touchpoint_feedback"),
    path("touchpoints/<int:pk>/feedback/add/", feedback_add, name="feedback_add"),
    path("plans/<int:pk>/feedback/", plan_feedback, name="plan_feedback"),
    *feedback_import.urlpatterns,
    *theme_pages.urlpatterns,
]
