"""Comments on a plan's objects, @mentions and their notifications. Every comment write is tracked (history,
changes feed, live pages); notifications are the mentioned person's own rows, not plan history."""

import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenancy.access import Access, plan_access, require_plan_access
from tenancy.activity import tracked_create, tracked_update
from tenancy.models import Membership, Plan
from workshops.models import COMMENT_TARGET_MODELS, Comment, CommentTarget, Notification

__all__ = ["comment_target", "mentioned_members", "comment_create", "comment_resolve", "notifications_mark_read"]

# "@name" at the start or after a space or punctuation (not inside an e-mail address); Django usernames may
# contain letters, digits and @ . + - _, and a sentence may end right after the name.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]{1,150})")


def comment_target(*, plan: Plan, target_type: str, target_id):
    """The plan's object a comment is about, or a ValidationError naming the field (another plan's is absent)."""
    if target_type not in CommentTarget.values:
        raise ValidationError({"target_type": _("Comments are about a touchpoint, a persona, an evaluation or a "
                                                "roadmap item.")})
    model = apps.get_model(COMMENT_TARGET_MODELS[target_type])
    target = model._base_manager.filter(plan_id=plan.pk, pk=target_id).first() if str(target_id).isdigit() else None
    if target is None:
        raise ValidationError({"target_id": _("No such object in this plan.")})
    return target


def mentioned_members(*, plan: Plan, body: str) -> list:
    """The people named with @username who may view the plan (anyone else is left plain text, unnotified)."""
    names = set()
    for match in MENTION.findall(body):
        names |= {match, match.rstrip(".")}
    if not names:
        return []
    members = get_user_model().objects.filter(
        username__in=names, pk__in=Membership.objects.filter(organisation_id=plan.organisation_id).values("user_id"))
    return [user for user in members.order_by("username") if plan_access(user, plan) >= Access.VIEW]


@transaction.atomic
def comment_create(*, plan: Plan, actor, target_type: str, target_id, body: str) -> Comment:
    """Those who may comment on the plan (commenters, editors, managers) comment; everyone mentioned (except the
    author) gets a notification."""
    require_plan_access(actor, plan, Access.COMMENT)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    target = comment_target(plan=plan, target_type=target_type, target_id=target_id)
    mentions = mentioned_members(plan=plan, body=body)
    comment = tracked_create(Comment(plan=plan, target_type=target_type, target_id=target.pk, author=actor,
                                     body=body), actor=actor, m2m={"mentions": mentions})
    Notification.objects.bulk_create(
        [Notification(user=user, comment=comment) for user in mentions if actor is None or user.pk != actor.pk])
    return comment


def comment_resolve(*, comment: Comment, actor, resolved: bool = True, version: int | None = None) -> Comment:
    """Mark the comment resolved (or open again). Editors of the plan may; a stale version raises StaleVersion."""
    require_plan_access(actor, comment.plan, Access.EDIT)
    if resolved == comment.is_resolved and version in (None, comment.version):
        return comment
    changes = {"resolved_at": timezone.now(), "resolved_by": actor} if resolved else {"resolved_at": None,
                                                                                      "resolved_by": None}
    return tracked_update(comment, actor=actor, changes=changes, version=version)


def notifications_mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's notifications read (all of them, or those listed). Returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
