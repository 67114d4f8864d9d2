"""Workshop tools: dot voting and the facilitator's timer. The facilitator is someone who manages the plan;
participants are everyone who may view it. Sessions are plan history (tracked); votes are not, since they stay
hidden until the reveal. Every change tells the plan's live pages the new public state after it commits."""

from datetime import timedelta

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planning.models import Journey, Touchpoint
from tenancy.access import Access, require_plan_access
from tenancy.activity import tracked_create, tracked_update
from tenancy.models import Plan
from workshops.live import send_workshop_state
from workshops.models import Vote, VoteTarget, VotingSession, WorkshopTimer
from workshops.models.voting import MAX_TIMER_SECONDS

__all__ = ["voting_session_start", "voting_session_reveal", "voting_session_close", "vote_cast", "vote_withdraw",
           "vote_target", "timer_control"]


@transaction.atomic
def voting_session_start(*, plan: Plan, actor, target_kind: str = VoteTarget.TOUCHPOINT, votes_per_participant: int = 3,
                         question: str = "", journey: Journey | None = None) -> VotingSession:
    """Open a round of dot voting (one at a time per plan: close the running one first)."""
    require_plan_access(actor, plan, Access.MANAGE)
    if journey is not None and journey.plan_id != plan.pk:
        raise ValidationError({"journey": _("The journey must belong to this plan.")})
    if journey is not None and target_kind != VoteTarget.TOUCHPOINT:
        raise ValidationError({"journey": _("Only a vote on touchpoints is limited to a journey.")})
    session = VotingSession(plan=plan, target_kind=target_kind, votes_per_participant=votes_per_participant,
                            question=question.strip(), journey=journey, created_by=actor)
    tracked_create(session, actor=actor)  # full_clean checks "one running session per plan"
    send_workshop_state(plan.pk)
    return session


def _facilitate(session: VotingSession, actor, changes: dict, version) -> VotingSession:
    require_plan_access(actor, session.plan, Access.MANAGE)
    with transaction.atomic():
        session = tracked_update(session, actor=actor, changes=changes, version=version)
        send_workshop_state(session.plan_id)
    return session


def voting_session_reveal(*, session: VotingSession, actor, version: int | None = None) -> VotingSession:
    """Show everyone's dots; the voting stops."""
    if session.closed_at is not None:
        raise ValidationError(_("This voting session is closed."))
    if session.revealed_at is not None:
        return session
    return _facilitate(session, actor, {"revealed_at": timezone.now()}, version)


def voting_session_close(*, session: VotingSession, actor, version: int | None = None) -> VotingSession:
    """End the session (its votes stay, for the record); another one may start."""
    if session.closed_at is not None:
        return session
    return _facilitate(session, actor, {"closed_at": timezone.now()}, version)


def vote_target(session: VotingSession, target_id):
    """The touchpoint or roadmap item a vote names, if the session covers it (else ValidationError)."""
    if not str(target_id).isdigit():
        raise ValidationError({"target": _("Choose what to vote for.")})
    if session.target_kind == VoteTarget.TOUCHPOINT:
        targets = Touchpoint.objects.filter(plan_id=session.plan_id)
        if session.journey_id:
            targets = targets.filter(journey_id=session.journey_id)
    else:
        targets = apps.get_model("roadmaps", "RoadmapItem").objects.filter(plan_id=session.plan_id)
    target = targets.filter(pk=target_id).first()
    if target is None:
        raise ValidationError({"target": _("This is not one of the things being voted on.")})
    return target


def vote_cast(*, session: VotingSession, actor, target_id) -> Vote:
    """Place one of the participant's dots. The session row is locked while counting, so two quick clicks cannot
    both pass the limit; the database refuses a second dot on the same target."""
    require_plan_access(actor, session.plan, Access.VIEW)
    with transaction.atomic():
        locked = VotingSession.objects.select_for_update().get(pk=session.pk)
        if not locked.accepts_votes:
            raise ValidationError(_("The voting is over: the votes have been revealed or the session closed."))
        target = vote_target(locked, target_id)
        mine = Vote.objects.filter(session=locked, participant=actor)
        if mine.filter(target_id=target.pk).exists():
            raise ValidationError({"target": _("You already placed a dot here.")})
        if mine.count() >= locked.votes_per_participant:
            raise ValidationError(ngettext("You have used your %(count)d vote.", "You have used your %(count)d votes.",
                                           locked.votes_per_participant) % {"count": locked.votes_per_participant})
        try:
            with transaction.atomic():
                vote = Vote.objects.create(session=locked, participant=actor, target_id=target.pk)
        except IntegrityError as error:
            raise ValidationError({"target": _("You already placed a dot here.")}) from error
        send_workshop_state(locked.plan_id)
    return vote


def vote_withdraw(*, session: VotingSession, actor, target_id) -> None:
    """Take a dot back while the voting is open."""
    require_plan_access(actor, session.plan, Access.VIEW)
    with transaction.atomic():
        locked = VotingSession.objects.select_for_update().get(pk=session.pk)
        if not locked.accepts_votes:
            raise ValidationError(_("The voting is over: the votes have been revealed or the session closed."))
        deleted, _rows = Vote.objects.filter(session=locked, participant=actor, target_id=target_id).delete()
        if deleted:
            send_workshop_state(locked.plan_id)


@transaction.atomic
def timer_control(*, plan: Plan, actor, action: str, minutes: float | None = None) -> WorkshopTimer:
    """start (resume after a pause; a new number of minutes starts over), pause, or reset (to `minutes`, or the
    last duration). Everyone's page counts down from the end time itself, so no tick is ever sent."""
    require_plan_access(actor, plan, Access.MANAGE)
    if action not in ("start", "pause", "reset"):
        raise ValidationError({"action": _("Start, pause or reset.")})
    timer, _created = WorkshopTimer.objects.select_for_update().get_or_create(plan=plan)
    now = timezone.now()
    if minutes is not None:
        seconds = round(minutes * 60)
        if not 10 <= seconds <= MAX_TIMER_SECONDS:
            raise ValidationError({"minutes": _("Between 10 seconds and 4 hours.")})
        if seconds != timer.duration_seconds and action != "pause":
            timer.duration_seconds = timer.remaining_seconds = seconds
            timer.ends_at = None
    if action == "start" and timer.ends_at is not None and timer.ends_at <= now:
        timer.ends_at, timer.remaining_seconds = None, timer.duration_seconds  # time was up: start again
    if action == "start" and timer.ends_at is None:
        timer.ends_at = now + timedelta(seconds=timer.remaining_seconds or timer.duration_seconds)
    elif action == "pause" and timer.ends_at is not None:
        timer.remaining_seconds = max(0, round((timer.ends_at - now).total_seconds()))
        timer.ends_at = None
    elif action == "reset":
        timer.ends_at = None
        timer.remaining_seconds = timer.duration_seconds
    timer.updated_by = actor
    timer.full_clean()
    timer.save()
    send_workshop_state(plan.pk)
    return timer
