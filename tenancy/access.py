"""The one place that decides who may see and change what, for pages and the API alike.

Organisation owners and admins reach every plan of their organisation. Everyone else reaches a plan
through django-guardian object permissions granted to them or to one of their teams (never global
permissions: `accept_global_perms=False`, `with_superuser=False`). A member with the viewer role is
read-only whatever was granted. Children of a plan inherit its access.

A hidden object raises Http404; a visible one the user may not change raises PermissionDenied (403).
"""

from contextlib import contextmanager
from contextvars import ContextVar
from enum import IntEnum

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from guardian.core import ObjectPermissionChecker

from core.middleware import request_memo
from tenancy.models import (
    MANAGING_ROLES,
    Membership,
    Organisation,
    Plan,
    PlanGroupObjectPermission,
    PlanUserObjectPermission,
    Role,
)


class Access(IntEnum):
    NONE = 0
    VIEW = 1
    COMMENT = 2  # view, and comment, vote and mention: change nothing else
    EDIT = 3
    MANAGE = 4


# Granting a level grants every level below it, so "has change_plan" means "may edit". Grants made before the
# comment level existed hold view/change/manage without comment_plan: a level is the highest codename held.
PERMISSION_FOR = {Access.VIEW: "view_plan", Access.COMMENT: "comment_plan", Access.EDIT: "change_plan",
                  Access.MANAGE: "manage_plan"}
# The most a member of each role may do in a plan, whatever was granted (owners and admins manage every plan).
ROLE_CEILING = {Role.VIEWER: Access.VIEW, Role.COMMENTER: Access.COMMENT}


def permissions_for_level(access: Access) -> list[str]:
    return [codename for level, codename in PERMISSION_FOR.items() if level <= access]


def codenames_at_or_above(access: Access) -> list[str]:
    return [codename for level, codename in PERMISSION_FOR.items() if level >= access]


def token_organisation_id(user) -> int | None:
    """The organisation a request made with an API token is limited to, or None (a session, a script's login).

    The sync layer's token authentication sets `api_token_organisation_id` on the request's user."""
    return getattr(user, "api_token_organisation_id", None)


def memberships_of(user) -> QuerySet[Membership]:
    """The user's memberships. A request made with an API token reaches only the token's organisation: the
    authentication sets `api_token_organisation_id` on that request's user (sync.api.authentication)."""
    return _memberships(user.pk, token_organisation_id(user))


def _memberships(user_id, scope) -> QuerySet[Membership]:
    memberships = Membership.objects.filter(user_id=user_id)
    return memberships if scope is None else memberships.filter(organisation_id=scope)


def membership_for(user, organisation_id) -> Membership | None:
    if not user.is_authenticated:
        return None
    return memberships_of(user).filter(organisation_id=organisation_id).first()


def organisation_for(user, pk, *, manage: bool = False) -> tuple[Organisation, Membership]:
    """The organisation if the user is a member (else 404); with manage=True, only for owners/admins (else 403)."""
    membership = membership_for(user, pk) if str(pk).isdigit() else None
    if membership is None:
        raise Http404(_("No such organisation."))
    if manage and not membership.is_manager:
        raise PermissionDenied(_("Only owners and admins of the organisation may do this."))
    return membership.organisation, membership


def require_manager(user, organisation) -> Membership:
    membership = membership_for(user, organisation.pk)
    if membership is None:
        raise Http404(_("No such organisation."))
    if not membership.is_manager:
        raise PermissionDenied(_("Only owners and admins of the organisation may do this."))
    return membership


_plan_access_memo: ContextVar[dict | None] = ContextVar("plan_access_memo", default=None)


@contextmanager
def plan_access_memo():
    """Within the block, `plan_access` is worked out once per user, token scope and plan. Only around writes that
    change no grant or membership (a bulk upsert of a plan's objects), so the first answer stays true."""
    token = _plan_access_memo.set({})
    try:
        yield
    finally:
        _plan_access_memo.reset(token)


def plan_access(user, plan: Plan) -> Access:
    memo = _plan_access_memo.get()
    if memo is None:
        return _plan_access(user, plan)
    key = (user.pk, token_organisation_id(user), plan.pk)
    if key not in memo:
        memo[key] = _plan_access(user, plan)
    return memo[key]


def _plan_access(user, plan: Plan) -> Access:
    membership = membership_for(user, plan.organisation_id)
    if membership is None:
        return Access.NONE
    if membership.is_manager:
        return Access.MANAGE
    perms = set(ObjectPermissionChecker(user).get_perms(plan))
    level = Access.NONE
    for candidate, codename in PERMISSION_FOR.items():
        if codename in perms:
            level = max(level, candidate)
    return min(level, ROLE_CEILING.get(membership.role, Access.MANAGE))


def plans_for(user, access: Access = Access.VIEW) -> QuerySet[Plan]:
    """Every plan the user reaches at `access` or above, as one query (within a read-only request: by id)."""
    if not user.is_authenticated:
        return Plan.objects.none()
    ids = plan_ids_for(user, access)
    return _plans_for(user, access) if ids is None else Plan.objects.filter(pk__in=ids)


def plan_ids_for(user, access: Access = Access.VIEW) -> list[int] | None:
    """Within a read-only request (core.middleware.request_memo), the ids of the plans the user reaches, read once
    per user, token scope and level; None outside one. The API asks three to six times per request, and a list of
    ids is much cheaper to build into each query (and for the database to plan) than the permission subquery."""
    memo = request_memo()
    if memo is None or not user.is_authenticated:
        return None
    key = ("plan_ids_for", user.pk, token_organisation_id(user), access)
    if key not in memo:
        memo[key] = _read_plan_ids(user, access)
    return memo[key]


def _plans_for(user, access: Access) -> QuerySet[Plan]:
    return _plans_query(user.pk, token_organisation_id(user), access,
                        ContentType.objects.get_for_model(Plan).pk)


def _plans_query(user_id, scope, access: Access, content_type_id) -> QuerySet[Plan]:
    # Guardian's get_objects_for_user(accept_global_perms=False, with_superuser=False) over its direct foreign-key
    # tables, written out: the same rows, at a third of the cost of building the query (`make bench`). `scope`: the
    # organisation an API token is limited to (memberships_of), or None.
    memberships = _memberships(user_id, scope)
    managed = memberships.filter(role__in=MANAGING_ROLES).values("organisation_id")
    capped = [role for role, ceiling in ROLE_CEILING.items() if ceiling < access]
    eligible = memberships.exclude(role__in=capped) if capped else memberships
    permission = {"permission__content_type_id": content_type_id, "permission__codename": PERMISSION_FOR[access]}
    if access == Access.COMMENT:  # older edit and manage grants hold no comment_plan (PERMISSION_FOR)
        permission = {"permission__content_type_id": content_type_id,
                      "permission__codename__in": codenames_at_or_above(access)}
    by_user = PlanUserObjectPermission.objects.filter(user_id=user_id, **permission).values("content_object_id")
    by_team = PlanGroupObjectPermission.objects.filter(group__user=user_id, **permission).values("content_object_id")
    return Plan.objects.filter(
        Q(organisation_id__in=managed)
        | Q(Q(pk__in=by_user) | Q(pk__in=by_team), organisation_id__in=eligible.values("organisation_id"))
    )


# Building that query costs more than running it (about 1.3 ms against 0.6 ms, `make bench`), and a read-only
# request runs it once per user: its SQL is built once per process, with stand-in values where the user, the token's
# organisation and the content type go, which each call then replaces. The same SQL as the queryset, by construction.
_STAND_INS = {"user": -710_001, "scope": -710_002, "content_type": -710_003}
_plan_ids_sql: dict = {}


def _read_plan_ids(user, access: Access) -> list[int]:
    scope = token_organisation_id(user)
    key = (connection.vendor, connection.settings_dict["NAME"], access, scope is not None)
    if key not in _plan_ids_sql:
        query = _plans_query(_STAND_INS["user"], _STAND_INS["scope"] if scope is not None else None, access,
                             _STAND_INS["content_type"]).order_by().values_list("pk", flat=True).query
        sql, params = query.sql_with_params()
        names = {value: name for name, value in _STAND_INS.items()}
        _plan_ids_sql[key] = (sql, [names.get(param, ("value", param)) for param in params])
    sql, template = _plan_ids_sql[key]
    values = {"user": user.pk, "scope": scope, "content_type": ContentType.objects.get_for_model(Plan).pk}
    params = [values[item] if isinstance(item, str) else item[1] for item in template]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def plan_for(user, pk, access: Access = Access.VIEW) -> Plan:
    """The plan if the user sees it (else 404) and holds `access` on it (else 403)."""
    plan = plans_for(user).select_related("organisation").filter(pk=pk).first() if str(pk).isdigit() else None
    if plan is None:
        raise Http404(_("No such plan."))
    if access > Access.VIEW and plan_access(user, plan) < access:
        raise PermissionDenied(_("You may view this plan but not change it."))
    return plan


def require_plan_access(user, plan: Plan, access: Access = Access.EDIT) -> None:
    """For services: refuse (403) a write the user may not make. `user=None` is the system (seed, imports)."""
    if user is not None and plan_access(user, plan) < access:
        raise PermissionDenied(_("You may view this plan but not change it."))
