from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tenancy import services
from tenancy.access import Access, plan_access, plans_for
from tenancy.models import Membership, Organisation, Role
from tests.factories import UserFactory


def test_creating_an_organisation_makes_the_creator_its_owner(db):
    user = UserFactory()
    organisation = services.organisation_create(user=user, name="  Acme Outdoor ")
    assert organisation.name == "Acme Outdoor" and organisation.slug == "acme-outdoor"
    assert Membership.objects.get(organisation=organisation, user=user).role == Role.OWNER


def test_the_last_owner_cannot_step_down_or_leave(org, people):
    owner_membership = people["owner"].memberships.get(organisation=org)
    with pytest.raises(ValidationError, match="at least one owner"):
        services.membership_change_role(membership=owner_membership, actor=people["owner"], role=Role.ADMIN)
    with pytest.raises(ValidationError, match="at least one owner"):
        services.membership_remove(membership=owner_membership, actor=people["owner"])
    assert Membership.objects.get(pk=owner_membership.pk).role == Role.OWNER


def test_an_owner_can_step_down_once_another_owner_exists(org, people):
    admin_membership = people["admin"].memberships.get(organisation=org)
    services.membership_change_role(membership=admin_membership, actor=people["owner"], role=Role.OWNER)
    owner_membership = people["owner"].memberships.get(organisation=org)
    services.membership_change_role(membership=owner_membership, actor=people["owner"], role=Role.EDITOR)
    assert set(org.memberships.filter(role=Role.OWNER).values_list("user__username", flat=True)) == {"adam"}


def test_an_admin_cannot_make_or_unmake_owners(org, people):
    editor_membership = people["editor"].memberships.get(organisation=org)
    with pytest.raises(PermissionDenied):
        services.membership_change_role(membership=editor_membership, actor=people["admin"], role=Role.OWNER)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=people["owner"].memberships.get(organisation=org),
                                   actor=people["admin"])


def test_invitation_is_emailed_with_its_link_and_accepted_into_teams(org, people, team):
    invitation = services.invitation_create(organisation=org, actor=people["admin"], email="New.Person@Example.com",
                                            role=Role.EDITOR, teams=[team])
    # tasks run in-process in tests; on_commit callbacks fire under django_capture_on_commit_callbacks
    services.invitation_send(invitation=invitation)
    assert invitation.email == "new.person@example.com"
    assert len(mail.outbox) == 1 and f"/invitations/{invitation.token}/" in mail.outbox[0].body
    assert org.name in mail.outbox[0].subject
    newcomer = services.invitation_signup(invitation=invitation, username="newperson", password="a-Long-pass-123")
    assert Membership.objects.get(organisation=org, user=newcomer).role == Role.EDITOR
    assert team.group.user_set.filter(pk=newcomer.pk).exists()
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(invitation=invitation, user=UserFactory())


def test_invitation_send_is_queued_on_commit_and_sends_once(org, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(organisation=org, actor=people["owner"], email="a@example.com",
                                                role=Role.VIEWER)
    invitation.refresh_from_db()
    services.invitation_send(invitation=invitation)
    assert invitation.sent_at is not None and len(mail.outbox) == 1


def test_an_expired_invitation_is_refused(org, people):
    invitation = services.invitation_create(organisation=org, actor=people["owner"], email="late@example.com",
                                            role=Role.EDITOR)
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(invitation=invitation, user=UserFactory())


def test_inviting_an_existing_member_is_refused(org, people):
    with pytest.raises(ValidationError) as error:
        services.invitation_create(organisation=org, actor=people["owner"], email=people["editor"].email.upper(),
                                   role=Role.EDITOR)
    assert "already a member" in str(error.value)


def test_only_owners_invite_owners(org, people):
    with pytest.raises(PermissionDenied):
        services.invitation_create(organisation=org, actor=people["admin"], email="boss@example.com", role=Role.OWNER)


def test_access_levels_per_role(org, people, plan):
    levels = {role: plan_access(people[role], plan) for role in ("outsider", "viewer", "editor", "admin", "owner")}
    assert levels == {"outsider": Access.NONE, "viewer": Access.VIEW, "editor": Access.EDIT,
                      "admin": Access.MANAGE, "owner": Access.MANAGE}


def test_an_editor_who_creates_a_plan_manages_it_and_others_do_not_see_it(org, people):
    plan = services.plan_create(organisation=org, actor=people["editor"], name="Editor's plan")
    assert plan_access(people["editor"], plan) == Access.MANAGE
    assert plan_access(people["viewer"], plan) == Access.NONE
    assert plan in plans_for(people["admin"]) and plan not in plans_for(people["viewer"])


def test_viewers_cannot_create_plans(org, people):
    with pytest.raises(PermissionDenied):
        services.plan_create(organisation=org, actor=people["viewer"], name="Nope")


def test_granting_replaces_the_previous_level(org, people, plan):
    services.plan_grant(plan=plan, actor=people["owner"], user=people["editor"], access=Access.MANAGE)
    assert plan_access(people["editor"], plan) == Access.MANAGE
    services.plan_grant(plan=plan, actor=people["owner"], user=people["editor"], access=Access.VIEW)
    # still EDIT through the team
    assert plan_access(people["editor"], plan) == Access.EDIT
    services.plan_revoke(plan=plan, actor=people["owner"], user=people["editor"])
    assert plan_access(people["editor"], plan) == Access.EDIT


def test_teams_of_another_organisation_cannot_be_granted(org, people, plan):
    other_owner = people["outsider"]
    other_org = Organisation.objects.get(name="Other Company")
    foreign_team = services.team_create(organisation=other_org, actor=other_owner, name="Foreign", department="it")
    with pytest.raises(ValidationError):
        services.plan_grant(plan=plan, actor=people["owner"], team=foreign_team, access=Access.VIEW)
    with pytest.raises(ValidationError):
        services.plan_grant(plan=plan, actor=people["owner"], user=other_owner, access=Access.VIEW)


def test_team_members_must_belong_to_the_organisation(org, people):
    with pytest.raises(ValidationError, match="Not members"):
        services.team_create(organisation=org, actor=people["owner"], name="Mixed", department="it",
                             members=[people["editor"], people["outsider"]])


def test_plan_period_must_be_ordered(org, people):
    from datetime import date

    with pytest.raises(ValidationError):
        services.plan_create(organisation=org, actor=people["owner"], name="Backwards",
                             period_start=date(2027, 5, 1), period_end=date(2027, 1, 1))


def test_seed_demo_is_idempotent(db):
    from django.core.management import call_command

    from planning.models import Stakeholder
    from tenancy.models import Plan, Team

    call_command("seed_demo")
    counts = (Organisation.objects.count(), Plan.objects.count(), Team.objects.count(), Stakeholder.objects.count())
    call_command("seed_demo")
    assert counts == (Organisation.objects.count(), Plan.objects.count(), Team.objects.count(),
                      Stakeholder.objects.count()) == (1, 1, 6, 4)
    organisation = Organisation.objects.get()
    roles = dict(organisation.memberships.values_list("user__username", "role"))
    assert roles == {"owner": "owner", "admin": "admin", "editor": "editor", "viewer": "viewer"}
    plan = Plan.objects.get()
    viewer = organisation.members.get(username="viewer")
    assert plan_access(viewer, plan) == Access.VIEW
    assert plan_access(organisation.members.get(username="editor"), plan) == Access.EDIT


def test_seed_demo_builds_two_personas_with_a_journey_each(db):
    from django.core.management import call_command

    from planning.models import ChannelKind, Journey, Touchpoint

    call_command("seed_demo")
    call_command("seed_demo")
    journeys = Journey.objects.select_related("persona")
    assert journeys.count() == 2 and all(j.persona for j in journeys)
    touchpoints = Touchpoint.objects.select_related("channel")
    assert touchpoints.count() >= 25
    assert {t.channel.kind for t in touchpoints} == {ChannelKind.ONLINE, ChannelKind.OFFLINE}
    assert touchpoints.values("stage").distinct().count() >= 8
