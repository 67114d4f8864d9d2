"""Reads for live workshops: comments, notifications, voting and the timer. Like planning/selectors.py, every
function that takes `user` returns only what that user may see."""


from django.apps import apps
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from planning.models import Touchpoint
from roadmaps.models import RoadmapItem
from tenancy.access import Access, plans_for
from tenancy.models import Activity
from workshops.models import (
    COMMENT_TARGET_MODELS,
    Comment,
    CommentTarget,
    Moderation,
    Notification,
    Vote,
    VotingSession,
    WorkshopTimer,
)


def comment_list(*, user, plan=None, target_type: str | None = None, target_id=None) -> QuerySet[Comment]:
    """The comments the user may read: a share link visitor's only once an editor approved it."""
    qs = Comment.objects.filter(plan__in=plans_for(user), moderation=Moderation.APPROVED)
    qs = qs.select_related("author", "resolved_by")
    if plan is not None:
        qs = qs.filter(plan=plan)
    if target_type is not None:
        qs = qs.filter(target_type=target_type)
    if target_id is not None:
        qs = qs.filter(target_id=target_id)
    return qs.prefetch_related("mentions").order_by("created_at", "id")


def comments_awaiting_moderation(*, user, plan=None, access: Access = Access.EDIT) -> QuerySet[Comment]:
    """Share link visitors' comments waiting for an editor, on the plans the user reaches at `access` (by default:
    may edit), or on one plan."""
    qs = Comment.objects.filter(plan__in=plans_for(user, access), moderation=Moderation.PENDING)
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.order_by("created_at", "id")


def open_comment_counts(*, user, plan, target_type: str) -> dict[int, int]:
    """{object id: number of unresolved comments} for one kind of object of a plan (one query)."""
    rows = (comment_list(user=user, plan=plan, target_type=target_type).filter(resolved_at__isnull=True)
            .order_by().values("target_id").annotate(n=Count("id")))
    return {row["target_id"]: row["n"] for row in rows}


def notification_list(*, user) -> QuerySet[Notification]:
    """The user's notifications about comments on plans they may still view, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return (Notification.objects.filter(user=user, comment__plan__in=plans_for(user))
            .select_related("comment__author", "comment__plan"))


def unread_notification_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def comment_targets(comments) -> dict[tuple[str, int], dict]:
    """{(kind, id): {"label", "url"}} for the objects the comments are about (one query per kind)."""
    wanted: dict[str, set] = {}
    for comment in comments:
        wanted.setdefault(comment.target_type, set()).add(comment.target_id)
    found = {}
    for kind, ids in wanted.items():
        model = apps.get_model(COMMENT_TARGET_MODELS[kind])
        qs = model._base_manager.filter(pk__in=ids)
        if kind == CommentTarget.EVALUATION:
            qs = qs.select_related("touchpoint", "team")
        for obj in qs:
            found[(kind, obj.pk)] = {"label": target_label(kind, obj), "url": target_url(kind, obj)}
    return found


def target_label(kind: str, obj) -> str:
    if kind == CommentTarget.EVALUATION:
        return f"{obj.touchpoint.name} · {obj.team.name}"
    return str(obj)


def target_url(kind: str, obj) -> str:
    key = f"?comments={kind}:{obj.pk}"
    if kind == CommentTarget.TOUCHPOINT:
        return reverse("journey_map", args=[obj.journey_id]) + key
    if kind == CommentTarget.PERSONA:
        return reverse("personas", args=[obj.plan_id]) + key
    if kind == CommentTarget.EVALUATION:
        return reverse("touchpoint_evaluations", args=[obj.touchpoint_id]) + key
    return reverse("roadmap_item_edit", args=[obj.plan_id, obj.pk])


# Voting and timer ------------------------------------------------------------------------------------------------


def current_voting_session(*, plan_id) -> VotingSession | None:
    """The plan's running session (open or revealed), if any."""
    return VotingSession.objects.filter(plan_id=plan_id, closed_at__isnull=True).select_related("journey").first()


def past_voting_sessions(*, plan_id, limit: int = 10) -> list[VotingSession]:
    return list(VotingSession.objects.filter(plan_id=plan_id, closed_at__isnull=False)
                .order_by("-closed_at", "-id")[:limit])


def vote_totals(session: VotingSession) -> dict[int, int]:
    rows = Vote.objects.filter(session=session).values("target_id").annotate(n=Count("id"))
    return {row["target_id"]: row["n"] for row in rows}


def vote_ranking(session: VotingSession) -> list[dict]:
    """The targets with at least one dot, most dots first: [{"id", "label", "votes"}] (revealed sessions only)."""
    totals = vote_totals(session)
    if session.target_kind == "touchpoint":
        model = Touchpoint
    else:
        model = RoadmapItem
    labels = {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=totals)}
    ranking = [{"id": pk, "label": labels[pk], "votes": n, "dots": "●" * min(n, 20)} for pk, n in totals.items()
               if pk in labels]
    return sorted(ranking, key=lambda row: (-row["votes"], row["label"].lower()))


# How long "Time is up" stays in the live bar of every page after the countdown ends.
TIME_UP_SHOWN_SECONDS = 60


def timer_state(timer: WorkshopTimer | None) -> dict | None:
    """The timer as the pages draw it (static/js/live.js counts down from `remaining`).

    When the countdown ends, everyone's live bar says "Time is up" for TIME_UP_SHOWN_SECONDS (`up_for`), long enough
    to notice it during an exercise, then clears by itself: a facilitator who moves on without resetting must not
    leave the message on every page of the plan. The workshop page, the facilitator's console, keeps "Time is up"
    on its big clock until the timer is reset or started again. `overdue` says how long ago it ended, so a page
    opened later shows the message only for what is left of that minute.
    """
    if timer is None:
        return None
    remaining, overdue = timer.remaining_seconds, 0
    if timer.ends_at is not None:
        left = (timer.ends_at - timezone.now()).total_seconds()
        remaining, overdue = max(0, round(left)), max(0, round(-left))
    return {"duration": timer.duration_seconds, "running": timer.ends_at is not None, "remaining": remaining,
            "ends_at": timer.ends_at.isoformat() if timer.ends_at else None, "overdue": overdue,
            "up_for": TIME_UP_SHOWN_SECONDS}


def session_state(session: VotingSession | None) -> dict | None:
    """What everyone may know of a session: its settings and how many dots were placed, by how many people;
    where the dots are only once revealed."""
    if session is None:
        return None
    counts = Vote.objects.filter(session=session).aggregate(
        cast=Count("id"), voters=Count("participant", distinct=True))
    state = {"id": session.pk, "kind": session.target_kind, "question": session.question,
             "journey": session.journey_id, "votes_per_participant": session.votes_per_participant,
             "status": session.status, "version": session.version, **counts}
    if session.revealed_at is not None:
        state["totals"] = {str(pk): n for pk, n in vote_totals(session).items()}
    return state


def plan_timer_state(*, plan_id) -> dict | None:
    """The plan's facilitator timer (None until a facilitator first sets one)."""
    return timer_state(WorkshopTimer.objects.filter(plan_id=plan_id).first())


def workshop_public_state(*, plan_id) -> dict:
    return {"session": session_state(current_voting_session(plan_id=plan_id)),
            "timer": plan_timer_state(plan_id=plan_id)}


def last_change_before(*, plan_id, before) -> int:
    """The id of the plan's last recorded change before `before` (0 if none): where a page's socket replays from."""
    last = (Activity.objects.filter(plan_id=plan_id, created_at__lt=before).order_by("-created_at", "-id")
            .values_list("id", flat=True).first())
    return last or 0


def workshop_personal_state(*, user, plan_id, session: VotingSession | None) -> dict:
    """The user's own dots in the running session."""
    if session is None or not user.is_authenticated:
        return {"votes": []}
    return {"votes": sorted(Vote.objects.filter(session=session, participant=user).values_list("target_id", flat=True))}
