"""Comments on a plan's objects (the drawer the live pages open with htmx) and the notifications page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.editing import apply_errors
from core.versioning import StaleVersion
from planning.views._map import is_htmx
from tenancy.access import Access, plan_access, plan_for
from workshops import selectors as selectors
from workshops.forms import CommentForm
from workshops.models import CommentTarget, Moderation, NotificationKind
from workshops.services.comments import comment_create, comment_resolve, comment_target, notifications_mark_read

PANEL = "workshops/live/_comments.html"


def _target(plan, on: str):
    """"touchpoint:12" -> (kind, the plan's touchpoint 12), else 404."""
    kind, _sep, target_id = (on or "").partition(":")
    if kind not in CommentTarget.values:
        raise Http404(_("No such object."))
    try:
        return kind, comment_target(plan=plan, target_type=kind, target_id=target_id)
    except ValidationError as error:
        raise Http404(_("No such object.")) from error


def _panel(request, plan, kind, target, *, form=None, status=200):
    comments = list(selectors.comment_list(user=request.user, plan=plan, target_type=kind, target_id=target.pk))
    access = plan_access(request.user, plan)
    context = {
        "plan": plan, "organisation": plan.organisation, "kind": kind, "kind_label": CommentTarget(kind).label,
        "target": target,
        "target_label": selectors.target_label(kind, target),
        "on": f"{kind}:{target.pk}", "open_comments": [c for c in comments if not c.is_resolved],
        "resolved_comments": [c for c in comments if c.is_resolved],
        "can_comment": access >= Access.COMMENT, "can_resolve": access >= Access.EDIT, "form": form or CommentForm(),
    }
    template = PANEL if is_htmx(request) else "workshops/live/comments_page.html"
    return render(request, template, context, status=status)


@login_required
def comments(request, pk):
    """GET: the comments about one object (?on=touchpoint:12); POST: add one (commenters, editors, managers)."""
    plan = plan_for(request.user, pk)
    kind, target = _target(plan, request.POST.get("on") if request.method == "POST" else request.GET.get("on"))
    if request.method != "POST":
        return _panel(request, plan, kind, target)
    if plan_access(request.user, plan) < Access.COMMENT:
        raise PermissionDenied(_("You may view this plan but not comment on it."))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment_create(plan=plan, actor=request.user, target_type=kind, target_id=target.pk,
                           body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if not is_htmx(request):
                messages.success(request, _("Comment added."))
                return redirect(f"{reverse('comments', args=[plan.pk])}?on={kind}:{target.pk}")
            return _panel(request, plan, kind, target)
    return _panel(request, plan, kind, target, form=form, status=200 if is_htmx(request) else 400)


@login_required
@require_POST
def comment_resolve_view(request, pk):
    """Resolve a comment (resolved=1) or open it again (resolved=0)."""
    comment = selectors.comment_list(user=request.user).filter(pk=pk).select_related("plan").first()
    if comment is None:
        raise Http404(_("No such comment."))
    plan = plan_for(request.user, comment.plan_id, Access.EDIT)
    comment.plan = plan
    version = request.POST.get("version", "")
    try:
        comment_resolve(comment=comment, actor=request.user, resolved=request.POST.get("resolved", "1") == "1",
                        version=int(version) if version.isdigit() else None)
    except StaleVersion:
        messages.warning(request, _("Someone changed this comment meanwhile; here it is as it is now."))
    kind, target = _target(plan, f"{comment.target_type}:{comment.target_id}")
    if not is_htmx(request):
        return redirect(f"{reverse('comments', args=[plan.pk])}?on={kind}:{target.pk}")
    return _panel(request, plan, kind, target)


# Notifications ---------------------------------------------------------------------------------------------------


@login_required
def notifications(request):
    page = Paginator(selectors.notification_list(user=request.user), 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    targets = selectors.comment_targets([row.comment for row in rows])
    return render(request, "workshops/live/notifications.html", {
        "page": page, "rows": [(row, targets.get((row.comment.target_type, row.comment.target_id))) for row in rows],
        "unread": selectors.unread_notification_count(user=request.user),
    })


@login_required
@require_POST
def notifications_read(request):
    notifications_mark_read(user=request.user)
    messages.success(request, _("Every notification is marked read."))
    return redirect("notifications")


@login_required
def notification_open(request, pk):
    """Mark one notification read and go to what the comment is about."""
    row = selectors.notification_list(user=request.user).filter(pk=pk).first()
    if row is None:
        raise Http404(_("No such notification."))
    notifications_mark_read(user=request.user, notification_ids=[row.pk])
    if row.kind == NotificationKind.MODERATION and row.comment.moderation == Moderation.PENDING:
        return redirect("comment_moderation", row.comment.plan_id)
    target = selectors.comment_targets([row.comment]).get((row.comment.target_type, row.comment.target_id))
    if target is None:
        messages.info(request, _("What this comment was about has been deleted."))
        return redirect("notifications")
    return redirect(target["url"])


urlpatterns = [
    path("plans/<int:pk>/comments/", comments, name="comments"),
    path("comments/<int:pk>/resolve/", comment_resolve_view, name="comment_resolve"),
    path("notifications/", notifications, name="notifications"),
    path("notifications/read/", notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", notification_open, name="notification_open"),
]
