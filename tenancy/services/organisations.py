"""Organisations, their members, teams and invitations."""

import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.tasks import BrokerUnavailable, task_send
from core.versioning import versioned_save
from tenancy.access import require_manager
from tenancy.admin_log import admin_log_record
from tenancy.models import (
    AdminAction,
    Invitation,
    Membership,
    Organisation,
    PlanUserObjectPermission,
    Role,
    Team,
)
from tenancy.tasks import invitation_send_task

User = get_user_model()



# Organisations -------------------------------------------------------------------------------------------------


_organisation_created_hooks: list[Callable[[Organisation], None]] = []


def on_organisation_created(hook: Callable[[Organisation], None]) -> Callable:
    """Call `hook(organisation)` in the transaction that creates an organisation: the apps above register what a
    new organisation starts with (planning: its default channels) in their AppConfig.ready()."""
    if hook not in _organisation_created_hooks:
        _organisation_created_hooks.append(hook)
    return hook


@transaction.atomic
def organisation_create(*, user, name: str) -> Organisation:
    """Any signed-in user may create an organisation and becomes its owner."""
    organisation = Organisation(name=name.strip(), slug=slugify(name)[:60])
    organisation.full_clean()
    organisation.save()
    membership = Membership.objects.create(organisation=organisation, user=user, role=Role.OWNER)
    _membership_created(membership, actor=user)
    for hook in _organisation_created_hooks:
        hook(organisation)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor, name: str, version: int | None = None) -> Organisation:
    require_manager(actor, organisation)
    before = {"name": organisation.name}
    organisation.name = name.strip()
    organisation.slug = slugify(name)[:60]
    versioned_save(organisation, fields=["name", "slug"], expected_version=version)
    if before["name"] != organisation.name:
        admin_log_record(organisation=organisation, actor=actor, action=AdminAction.ORGANISATION_CHANGED,
                         target=organisation, before=before, after={"name": organisation.name})
    return organisation


@transaction.atomic
def organisation_delete(*, organisation: Organisation, actor) -> None:
    membership = require_manager(actor, organisation)
    if membership.role != Role.OWNER:
        raise PermissionDenied(_("Only an owner may delete the organisation."))
    group_ids = list(organisation.teams.values_list("group_id", flat=True))
    organisation.delete()
    Group.objects.filter(pk__in=group_ids).delete()


# Memberships ---------------------------------------------------------------------------------------------------


def _member_values(membership: Membership) -> dict:
    return {"user": membership.user.get_username(), "role": membership.role}


def _membership_created(membership: Membership, *, actor) -> None:
    admin_log_record(organisation=membership.organisation_id, actor=actor, action=AdminAction.MEMBERSHIP_CREATED,
                     target=membership, after=_member_values(membership))


def _lock_owners(organisation_id) -> list[int]:
    """Lock the owner rows so two concurrent demotions cannot both pass the last-owner check."""
    return list(
        Membership.objects.select_for_update()
        .filter(organisation_id=organisation_id, role=Role.OWNER)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def membership_change_role(*, membership: Membership, actor, role: str) -> Membership:
    actor_membership = require_manager(actor, membership.organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    touches_owner = Role.OWNER in (role, membership.role)
    if touches_owner and actor_membership.role != Role.OWNER:
        raise PermissionDenied(_("Only an owner may grant or take away the owner role."))
    owners = _lock_owners(membership.organisation_id)
    if membership.role == Role.OWNER and role != Role.OWNER and owners == [membership.pk]:
        raise ValidationError({"role": _("An organisation must keep at least one owner.")})
    before = _member_values(membership)
    membership.role = role
    versioned_save(membership, fields=["role"])
    if before["role"] != role:
        admin_log_record(organisation=membership.organisation_id, actor=actor,
                         action=AdminAction.MEMBERSHIP_ROLE_CHANGED, target=membership, before=before,
                         after=_member_values(membership))
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    """Remove a member (or let a member leave): their plan grants and team places go with them."""
    if membership.user_id != actor.pk:
        actor_membership = require_manager(actor, membership.organisation)
        if membership.role == Role.OWNER and actor_membership.role != Role.OWNER:
            raise PermissionDenied(_("Only an owner may remove an owner."))
    owners = _lock_owners(membership.organisation_id)
    if membership.role == Role.OWNER and owners == [membership.pk]:
        raise ValidationError(_("An organisation must keep at least one owner."))
    user, organisation = membership.user, membership.organisation
    teams = sorted(organisation.teams.filter(group__user=user).values_list("name", flat=True))
    admin_log_record(organisation=organisation, actor=actor, action=AdminAction.MEMBERSHIP_REMOVED,
                     target=membership, before={**_member_values(membership), "teams": teams})
    PlanUserObjectPermission.objects.filter(user=user, content_object__organisation=organisation).delete()
    for team in organisation.teams.filter(group__user=user):
        team.group.user_set.remove(user)
    membership.delete()


# Teams ---------------------------------------------------------------------------------------------------------


def _check_members(organisation, members) -> list:
    members = list(members or [])
    member_ids = set(Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True))
    strangers = [str(u) for u in members if u.pk not in member_ids]
    if strangers:
        raise ValidationError({"members": _("Not members of the organisation: %s") % ", ".join(strangers)})
    return members


@transaction.atomic
def team_create(*, organisation, actor, name: str, department: str, members=(), external_source: str = "",
                external_id: str = "") -> Team:
    require_manager(actor, organisation)
    members = _check_members(organisation, members)
    team = Team(organisation=organisation, name=name.strip(), department=department,
                external_source=external_source, external_id=external_id)
    team.group = Group.objects.create(name=f"team-{uuid.uuid4()}")
    team.full_clean()
    team.save()
    team.group.user_set.set(members)
    admin_log_record(organisation=organisation, actor=actor, action=AdminAction.TEAM_CREATED, target=team,
                     after=_team_values(team))
    return team


def _team_values(team: Team) -> dict:
    return {"name": team.name, "department": team.department,
            "members": sorted(team.group.user_set.values_list("username", flat=True))}


def _team_members_logged(team: Team, *, actor, before: set, after: set) -> None:
    for action, users in ((AdminAction.TEAM_MEMBER_ADDED, after - before),
                          (AdminAction.TEAM_MEMBER_REMOVED, before - after)):
        for username in sorted(users):
            in_team = {"team": team.name, "user": username}
            admin_log_record(organisation=team.organisation_id, actor=actor, action=action, target=team,
                             before=None if action == AdminAction.TEAM_MEMBER_ADDED else in_team,
                             after=in_team if action == AdminAction.TEAM_MEMBER_ADDED else None)


@transaction.atomic
def team_update(*, team: Team, actor, name: str, department: str, members=None, version: int | None = None,
                external_source: str | None = None, external_id: str | None = None) -> Team:
    """External source and id are left as they are when None."""
    require_manager(actor, team.organisation)
    before = _team_values(team)
    team.name, team.department = name.strip(), department
    external = {"external_source": external_source, "external_id": external_id}
    external = {field: value for field, value in external.items() if value is not None}
    for field, value in external.items():
        setattr(team, field, value)
    versioned_save(team, fields=["name", "department", *external], expected_version=version)
    if members is not None:
        team.group.user_set.set(_check_members(team.organisation, members))
    after = _team_values(team)
    fields = ("name", "department")
    if any(before[field] != after[field] for field in fields):
        admin_log_record(organisation=team.organisation_id, actor=actor, action=AdminAction.TEAM_CHANGED, target=team,
                         before={f: before[f] for f in fields}, after={f: after[f] for f in fields})
    _team_members_logged(team, actor=actor, before=set(before["members"]), after=set(after["members"]))
    return team


@transaction.atomic
def team_delete(*, team: Team, actor) -> None:
    require_manager(actor, team.organisation)
    admin_log_record(organisation=team.organisation_id, actor=actor, action=AdminAction.TEAM_DELETED, target=team,
                     before=_team_values(team))
    group = team.group
    team.delete()
    group.delete()


# Invitations ---------------------------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, organisation, actor, email: str, role: str, teams=()) -> Invitation:
    """Invite an email address; the email is sent by a Celery task once the row is committed."""
    actor_membership = require_manager(actor, organisation)
    if role == Role.OWNER and actor_membership.role != Role.OWNER:
        raise PermissionDenied(_("Only an owner may invite another owner."))
    email = User.objects.normalize_email(email).lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    teams = list(teams)
    if any(t.organisation_id != organisation.pk for t in teams):
        raise ValidationError({"teams": _("Teams must belong to the organisation.")})
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    invitation.teams.set(teams)
    admin_log_record(organisation=organisation, actor=actor, action=AdminAction.INVITATION_SENT, target=invitation,
                     after=_invitation_values(invitation))
    transaction.on_commit(lambda: _invitation_enqueue(invitation.pk))
    return invitation


def _invitation_values(invitation: Invitation) -> dict:
    return {"email": invitation.email, "role": invitation.role,
            "teams": sorted(team.name for team in invitation.teams.all())}


def _invitation_enqueue(invitation_id: int) -> None:
    """Send the e-mail through the workers; with the task queue down the invitation stays unsent (sent_at empty)
    and invitations_sweep_task sends it once the queue is back, so the person asking is not told to retry."""
    try:
        task_send(invitation_send_task, invitation_id)
    except BrokerUnavailable:
        pass  # logged by task_send


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.is_expired:
        raise ValidationError(_("This invitation has expired. Ask an administrator for a new one."))
    membership = Membership.objects.filter(organisation=invitation.organisation, user=user).first()
    if membership is None:
        membership = Membership.objects.create(organisation=invitation.organisation, user=user, role=invitation.role)
        _membership_created(membership, actor=user)
    for team in invitation.teams.all():
        team.group.user_set.add(user)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    admin_log_record(organisation=invitation.organisation_id, actor=user, action=AdminAction.INVITATION_ACCEPTED,
                     target=invitation, before=_invitation_values(invitation),
                     after={**_invitation_values(invitation), "accepted_by": user.get_username()})
    return membership


@transaction.atomic
def invitation_signup(*, invitation: Invitation, username: str, password: str, first_name="", last_name=""):
    """Create the account for an invited address, then accept the invitation with it."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account already uses this email address: sign in to accept."))
    user = User(username=username, email=invitation.email, first_name=first_name, last_name=last_name)
    user.set_password(password)
    user.full_clean()
    user.save()
    invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> None:
    require_manager(actor, invitation.organisation)
    admin_log_record(organisation=invitation.organisation_id, actor=actor, action=AdminAction.INVITATION_REVOKED,
                     target=invitation, before=_invitation_values(invitation))
    invitation.delete()


# Accounts ------------------------------------------------------------------------------------------------------


def user_set_language(*, user, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"preferred_language": _("Unknown language.")})
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
