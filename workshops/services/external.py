"""Comments from the visitors of a share link that allows them: a name instead of an account, held for moderation.

A visitor's comment is saved as pending and is not plan history yet (no activity, so the changes feed, webhooks and
live pages do not carry it); an editor of the plan approves it, which records it like any change, or rejects it,
which deletes it. Until then only the moderation page shows it. A visitor comments only on what the link shows.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from planning.models import Persona, Touchpoint
from roadmaps.models import RoadmapItem
from sharing.models import ShareLink, ShareScope
from tenancy.access import Access, plan_access, require_plan_access
from tenancy.activity import tracked_update
from tenancy.models import Membership
from workshops.models import Comment, CommentTarget, Moderation, Notification, NotificationKind

__all__ = ["external_comment_targets", "external_comment_create", "comment_moderate", "plan_editors"]

NAME_MAX_LENGTH = 80


def external_comment_targets(link: ShareLink) -> dict[str, list]:
    """What the link's visitors may comment on, by kind: {kind: [objects]} (three queries at most)."""
    targets: dict[str, list] = {}
    if link.scope == ShareScope.JOURNEY:
        targets[CommentTarget.TOUCHPOINT] = list(Touchpoint.objects.filter(journey_id=link.journey_id)
                                                 .select_related("stage", "channel")
                                                 .order_by("stage__position", "position", "id"))
        targets[CommentTarget.PERSONA] = list(Persona.objects.filter(plan_id=link.plan_id,
                                                                     journeys__pk=link.journey_id))
    elif link.scope == ShareScope.PLAN:
        targets[CommentTarget.TOUCHPOINT] = list(Touchpoint.objects.filter(plan_id=link.plan_id)
                                                 .select_related("journey", "stage", "channel")
                                                 .order_by("journey__name", "stage__position", "position", "id"))
        targets[CommentTarget.PERSONA] = list(Persona.objects.filter(plan_id=link.plan_id).order_by("name", "id"))
    if link.scope in (ShareScope.PLAN, ShareScope.ROADMAP):
        targets[CommentTarget.ROADMAP_ITEM] = list(RoadmapItem.objects.filter(plan_id=link.plan_id)
                                                   .order_by("title", "id"))
    return targets


@transaction.atomic
def external_comment_create(*, link: ShareLink, target_type: str, target_id, name: str, body: str) -> Comment:
    """A visitor's comment, pending until an editor approves it. The link must still work and allow comments."""
    if not link.is_usable() or not link.allow_comments:
        raise PermissionDenied(_("This link does not take comments."))
    name, body = (name or "").strip(), (body or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Say who you are: your name is shown with your comment.")
    if not body:
        errors["body"] = _("Write something first.")
    allowed = external_comment_targets(link).get(target_type, [])
    target = next((t for t in allowed if str(t.pk) == str(target_id)), None)
    if target is None:
        errors["target"] = _("Choose something this link shows.")
    if errors:
        raise ValidationError(errors)
    comment = Comment(plan_id=link.plan_id, target_type=target_type, target_id=target.pk, body=body,
                      external_name=name[:NAME_MAX_LENGTH], share_link=link, moderation=Moderation.PENDING)
    comment.full_clean()
    comment.save()
    Notification.objects.bulk_create([Notification(user=user, comment=comment, kind=NotificationKind.MODERATION)
                                      for user in plan_editors(link.plan)])
    return comment


def plan_editors(plan) -> list:
    """The members of the plan's organisation who may edit it: those who moderate its visitors' comments."""
    members = (Membership.objects.filter(organisation_id=plan.organisation_id, user__is_active=True)
               .select_related("user").order_by("user__username"))
    return [m.user for m in members if plan_access(m.user, plan) >= Access.EDIT]


def comment_moderate(*, comment: Comment, actor, approve: bool) -> Comment | None:
    """An editor of the plan approves a visitor's comment (everyone who views the plan then sees it, and it becomes
    plan history) or rejects it: it is deleted, never having been shown to anyone (returns None)."""
    require_plan_access(actor, comment.plan, Access.EDIT)
    if comment.moderation != Moderation.PENDING:
        raise ValidationError(_("This comment has already been moderated."))
    if not approve:
        comment.delete()
        return None
    return tracked_update(comment, actor=actor, changes={"moderation": Moderation.APPROVED})
