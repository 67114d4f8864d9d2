"""`{% live_bar plan "journey-map" object_id %}`: the presence bar, the comments drawer and static/js/live.js for a
page of a plan; `{% unread_notifications as count %}` for the bell in the header."""

from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tenancy.access import Access, plan_access
from workshops import selectors as selectors

register = template.Library()
REPLAY_MARGIN_SECONDS = 5


def page_names() -> dict:
    return {
        "journey-map": _("Journey map"), "evaluations": _("Evaluations"), "maturity": _("Digital maturity"),
        "roadmap-board": _("Roadmap board"), "personas": _("Personas"), "workshop": _("Workshop"),
    }


def script_texts() -> dict:
    """What live.js shows, translated here so the script needs no catalogue."""
    return {
        "connecting": _("Connecting…"), "live": _("Live"), "reconnecting": _("Reconnecting…"),
        "offline": _("Offline: changes will appear when the connection is back."),
        "refused": _("Live updates are not available for you on this plan."),
        "paused": _("Live updates paused — reconnecting…"),
        "here": _("On this plan now"), "you": _("you"), "editing": _("%(name)s is editing"),
        "changed_by": _("Changed by %(name)s meanwhile."), "deleted_by": _("Deleted by %(name)s meanwhile."),
        "someone": _("someone"), "reload": _("Reload"), "merge": _("Compare and merge"), "close": _("Close"),
        "keep": _("Keep mine"),
        "page_changed": _("%(name)s changed this page."), "reload_page": _("Reload the page"),
        "too_many": _("Many changes were made while you were away."),
        "voting_open": _("Dot voting: click a card to place a dot or take it back (%(left)s of %(total)s left)."),
        "voting_revealed": _("Dot voting: the votes are revealed."),
        "vote_failed": _("The vote was not recorded."), "dots": _("%(count)s dots"), "my_dot": _("your dot"),
        "timer": _("Workshop timer"), "timer_paused": _("paused"), "time_up": _("Time is up"),
        "comments": _("Comments"), "new_mention": _("%(name)s mentioned you in a comment."),
        # The bell's words for a count, as templates/partials/notifications_bell.html says them.
        "unread_one": ngettext("%(n)s unread notification", "%(n)s unread notifications", 1),
        "unread_many": ngettext("%(n)s unread notification", "%(n)s unread notifications", 2),
    }


@register.inclusion_tag("workshops/live/_bar.html", takes_context=True)
def live_bar(context, plan, page: str, object_id=None, comments_on: str | None = None):
    request = context["request"]
    user = request.user
    session = selectors.current_voting_session(plan_id=plan.pk)
    # The page was read a moment before this tag runs: a change committed in between must still reach it, so the
    # socket replays from a few seconds back (a change the page already shows is redrawn the same).
    last = selectors.last_change_before(plan_id=plan.pk,
                                        before=timezone.now() - timedelta(seconds=REPLAY_MARGIN_SECONDS))
    access = plan_access(user, plan)
    config = {
        "plan": plan.pk, "page": page, "object": object_id, "last": last, "me": user.pk,
        "ws": f"/ws/plans/{plan.pk}/", "can_edit": access >= Access.EDIT, "can_facilitate": access >= Access.MANAGE,
        "urls": {"state": reverse("workshop_state", args=[plan.pk]), "vote": reverse("workshop_vote", args=[plan.pk]),
                 "comments": reverse("comments", args=[plan.pk]), "workshop": reverse("workshop", args=[plan.pk])},
        "workshop": {"session": selectors.session_state(session),
                     "timer": selectors.plan_timer_state(plan_id=plan.pk),
                     "mine": selectors.workshop_personal_state(user=user, plan_id=plan.pk, session=session)},
        "pages": page_names(), "texts": script_texts(),
        "comment_counts": selectors.open_comment_counts(user=user, plan=plan, target_type=comments_on)
        if comments_on else {},
    }
    # The counts above (and the bell's) already hold every change up to here: the replayed ones must not add again.
    config["counted"] = selectors.last_change_before(plan_id=plan.pk, before=timezone.now() + timedelta(seconds=1))
    return {"config": config, "plan": plan, "page_name": page_names().get(page, page)}


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    return selectors.unread_notification_count(user=user) if user is not None else 0
