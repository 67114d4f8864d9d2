"""Share link visitors' comments: the visitor's form (/shared/<prefix>/comment/, inside the share session's pages)
and the plan's moderation page for its editors (/plans/<pk>/comments/moderation/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.editing import apply_errors
from sharing import services as sharing
from sharing import session
from tenancy.access import Access, plan_for
from workshops import selectors
from workshops.forms import ExternalCommentForm
from workshops.services.external import comment_moderate, external_comment_create, external_comment_targets


@never_cache
def shared_comment(request, prefix):
    """A visitor of a link that allows comments leaves one; it waits for an editor before anyone sees it."""
    link = sharing.share_link_by_prefix(prefix)
    if link is None or link.pk not in session.granted_links(request) or not link.allow_comments:
        raise Http404(_("No such link."))
    form = ExternalCommentForm(request.POST or None, targets=external_comment_targets(link))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            kind, pk = form.chosen_target()
            try:
                external_comment_create(link=link, target_type=kind, target_id=pk, name=form.cleaned_data["name"],
                                        body=form.cleaned_data["body"])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Thank you. Your comment will be shown once someone of the team has "
                                            "read it."))
                return redirect("shared_comment", link.prefix)
        status = 400
    return render(request, "workshops/live/shared_comment.html", {
        "share": link, "plan": link.plan, "organisation": link.plan.organisation, "form": form,
        "share_nav": [], "hide_names": link.hide_member_names}, status=status)


@never_cache
@login_required
def comment_moderation(request, pk):
    """The plan's editors approve or reject share link visitors' comments."""
    plan = plan_for(request.user, pk, Access.EDIT)
    if request.method == "POST":
        comment = selectors.comments_awaiting_moderation(user=request.user, plan=plan).filter(
            pk=request.POST.get("comment") if str(request.POST.get("comment", "")).isdigit() else None).first()
        if comment is None:
            raise Http404(_("No such comment."))
        approve = request.POST.get("decision") == "approve"
        comment_moderate(comment=comment, actor=request.user, approve=approve)
        messages.success(request, _("Comment approved: everyone who views the plan sees it.") if approve
                         else _("Comment rejected and deleted."))
        return redirect("comment_moderation", plan.pk)
    pending = list(selectors.comments_awaiting_moderation(user=request.user, plan=plan))
    targets = selectors.comment_targets(pending)
    return render(request, "workshops/live/moderation.html", {
        "plan": plan, "organisation": plan.organisation,
        "rows": [(c, targets.get((c.target_type, c.target_id))) for c in pending]})


urlpatterns = [
    path("shared/<str:prefix>/comment/", shared_comment, name="shared_comment"),
    path("plans/<int:pk>/comments/moderation/", comment_moderation, name="comment_moderation"),
]
