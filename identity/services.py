"""Writes about sign-in: an organisation's two-factor requirement, and the admin log of second factors."""

from django.db import transaction

from identity import selectors
from identity.models import MfaPolicy
from tenancy.access import require_manager
from tenancy.admin_log import admin_log_record
from tenancy.models import AdminAction, Membership, Organisation


@transaction.atomic
def mfa_policy_set(*, organisation: Organisation, actor, required: bool) -> MfaPolicy:
    """Owners and admins only; recorded in the organisation's admin log when it changes."""
    require_manager(actor, organisation)
    policy, _created = MfaPolicy.objects.select_for_update().get_or_create(organisation=organisation)
    if policy.required != required:
        before = {"mfa_required": policy.required}
        policy.required = required
        policy.full_clean()
        policy.save()
        admin_log_record(organisation=organisation, actor=actor, action=AdminAction.MFA_POLICY_CHANGED,
                         target=organisation, before=before, after={"mfa_required": required})
        selectors.mfa_policies_changed()
        transaction.on_commit(selectors.mfa_policies_changed)  # again, for a request that read it meanwhile
    return policy


def mfa_change_record(*, user, kind: str, enabled: bool) -> None:
    """A member added or removed a second factor (TOTP or WebAuthn): one entry in each of their organisations."""
    action = AdminAction.MFA_ENABLED if enabled else AdminAction.MFA_DISABLED
    state = {"type": kind}
    for organisation_id in Membership.objects.filter(user=user).values_list("organisation_id", flat=True):
        admin_log_record(organisation=organisation_id, actor=user, action=action, target=user,
                         before=None if enabled else state, after=state if enabled else None)
    selectors.mfa_due_forget(user)
