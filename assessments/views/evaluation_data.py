"""The data captured at a touchpoint, as one team sees it: add, edit and remove items inside the team's card.

Each answer is the whole card (htmx swaps it), so cancelling an edit is just fetching the card again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import services
from assessments.forms_evaluations import DataItemForm
from assessments.models import TouchpointEvaluation
from assessments.views._evaluation_helpers import data_item_for, evaluation_of, is_htmx, respond, touchpoint_for
from core.editing import apply_errors, keep_typed
from core.versioning import StaleVersion
from tenancy.access import Access

PAGE = "touchpoint_evaluations"


def _evaluation_for(user, pk, access: Access) -> TouchpointEvaluation:
    evaluation = TouchpointEvaluation.objects.select_related("team").filter(pk=pk).first()
    if evaluation is None:
        raise Http404(_("No such evaluation."))
    touchpoint = touchpoint_for(user, evaluation.touchpoint_id, access)
    evaluation.plan, evaluation.touchpoint = touchpoint.plan, touchpoint
    return evaluation


def _done(request, evaluation, text, level="success"):
    touchpoint, team = evaluation.touchpoint, evaluation.team
    if not is_htmx(request):
        getattr(messages, level)(request, text)
        return redirect(PAGE, touchpoint.pk)
    return respond(request, touchpoint, team, evaluation_of(touchpoint, team), message=text, level=level)


@login_required
def data_item_create(request, pk):
    """GET: the add form at the end of the card's data list; POST: add the item."""
    evaluation = _evaluation_for(request.user, pk, Access.EDIT)
    form = DataItemForm(request.POST or None, auto_id=f"data-new-{evaluation.pk}-%s")
    if request.method == "POST" and form.is_valid():
        try:
            item = services.data_item_create(evaluation=evaluation, actor=request.user, **form.values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(request, evaluation, _("“%s” added to the data captured.") % item.data)
    return respond(request, evaluation.touchpoint, evaluation.team, evaluation_of(evaluation.touchpoint,
                   evaluation.team), item_form=form, item_editing="new")


@login_required
def data_item_edit(request, pk):
    """GET: the item's form in place of its line; POST: save if still at the version the form was loaded with."""
    item = data_item_for(request.user, pk, Access.EDIT)
    evaluation = item.evaluation
    initial = {name: getattr(item, name) for name in DataItemForm.FIELDS} | {"version": item.version}
    form = DataItemForm(request.POST or None, initial=initial, auto_id=f"data-{item.pk}-%s")
    theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services.data_item_update(item=item, actor=request.user, version=form.cleaned_data["version"],
                                      **form.values())
        except StaleVersion as stale:
            current = stale.current
            shown = {"storage": current.get_storage_display(), "completeness": current.get_completeness_display(),
                     "accessibility": current.get_accessibility_display()}
            theirs = [(form[name], shown.get(name, getattr(current, name))) for name in DataItemForm.FIELDS
                      if form.cleaned_data[name] != getattr(current, name)]
            keep_typed(form, current, _("Someone else saved this item while you were editing. Their values are "
                                        "shown above yours; keep what you want and save again."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(request, evaluation, _("“%s” saved.") % form.cleaned_data["data"])
    return respond(request, evaluation.touchpoint, evaluation.team, evaluation_of(evaluation.touchpoint,
                   evaluation.team), item_form=form, item_editing=item.pk, item_theirs=theirs)


@login_required
@require_POST
def data_item_delete(request, pk):
    item = data_item_for(request.user, pk, Access.EDIT)
    version = request.POST.get("version", "")
    try:
        services.data_item_delete(item=item, actor=request.user, version=int(version) if version.isdigit() else None)
    except StaleVersion:
        return _done(request, item.evaluation, _("Someone changed “%s” meanwhile, so it was not removed. Check it "
                                                 "and remove it again if you still want to.") % item.data, "warning")
    return _done(request, item.evaluation, _("“%s” removed from the data captured.") % item.data)


urlpatterns = [
    path("evaluations/<int:pk>/data/new/", data_item_create, name="data_item_create"),
    path("data-items/<int:pk>/edit/", data_item_edit, name="data_item_edit"),
    path("data-items/<int:pk>/delete/", data_item_delete, name="data_item_delete"),
]
