"""Every write of the theme taxonomy (themes, rules, tags) and of what verbatims carry, by hand and by rules.

Who may write: the organisation's owners, admins and editors (viewers read; anyone else sees nothing: 404).
A hand-set theme is never removed by rules: rules only ever delete and re-create their own assignments
(`assigned_by="rule"`), and their inserts skip a theme the verbatim already has.

Creating and deleting a theme, a rule or a tag is recorded in the history (tenancy.activity, organisation-level: no
plan), so the changes feed and the webhooks show them (`theme.created`, `theme-rule.deleted`, …). They have no
version: they are never edited in place. Deleting a theme records its micro themes and rules going with it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from assessments.models import AssignedBy, FeedbackResponse, Tag, Theme, ThemeRule, VerbatimTag, VerbatimTheme
from assessments.text import CompiledRule, compile_rules, match_rules
from tenancy.access import membership_for, require_plan_access
from tenancy.activity import activity_bulk_record, activity_record, tracked_create
from tenancy.models import READ_ONLY_ROLES, Activity, Verb

BATCH = 2000


def taxonomy_access(user, organisation_id, *, edit: bool = False):
    """The member's organisation (404 for anyone else); with edit=True, viewers are refused (403)."""
    membership = membership_for(user, organisation_id) if user is not None else None
    if membership is None:
        raise Http404(_("No such organisation."))
    if edit and membership.role in READ_ONLY_ROLES:
        raise PermissionDenied(_("Only owners, admins and editors may change the themes."))
    return membership.organisation


def _may_edit(actor, organisation_id) -> None:
    """For services: refuse anyone but the organisation's owners, admins and editors; `actor=None` is the system."""
    if actor is not None:
        taxonomy_access(actor, organisation_id, edit=True)


# The taxonomy --------------------------------------------------------------------------------------------------


@transaction.atomic
def theme_create(*, organisation, actor, name: str, parent: Theme | None = None) -> Theme:
    _may_edit(actor, organisation.pk)
    theme = Theme(organisation=organisation, parent=parent, name=name.strip())
    theme.full_clean()
    return tracked_create(theme, actor=actor)


def _tombstones(actor, rows) -> None:
    """History rows for objects going with a deleted one (micro themes, rules): the feed shows them gone."""
    activity_bulk_record([Activity(organisation_id=row.organisation_id, actor=actor, verb=Verb.DELETED,
                                   target_type=row._meta.label_lower, target_id=row.pk, target_repr=str(row)[:200],
                                   changes={}) for row in rows])


@transaction.atomic
def theme_delete(*, theme: Theme, actor) -> None:
    _may_edit(actor, theme.organisation_id)
    children = list(Theme.objects.filter(parent=theme).select_related("parent"))
    rules = list(ThemeRule.objects.filter(theme__in=[theme, *children]).select_related("theme"))
    _tombstones(actor, [*rules, *children])
    activity_record(actor=actor, instance=theme, verb=Verb.DELETED, changes={})
    theme.delete()


@transaction.atomic
def rule_create(*, theme: Theme, actor, phrase: str) -> ThemeRule:
    _may_edit(actor, theme.organisation_id)
    rule = ThemeRule(theme=theme, phrase=" ".join(phrase.split()))
    rule.full_clean()
    return tracked_create(rule, actor=actor)


@transaction.atomic
def rule_delete(*, rule: ThemeRule, actor) -> None:
    _may_edit(actor, rule.theme.organisation_id)
    activity_record(actor=actor, instance=rule, verb=Verb.DELETED, changes={})
    rule.delete()


@transaction.atomic
def tag_create(*, organisation, actor, name: str) -> Tag:
    _may_edit(actor, organisation.pk)
    tag = Tag(organisation=organisation, name=" ".join(name.split()))
    tag.full_clean()
    return tracked_create(tag, actor=actor)


@transaction.atomic
def tag_delete(*, tag: Tag, actor) -> None:
    _may_edit(actor, tag.organisation_id)
    activity_record(actor=actor, instance=tag, verb=Verb.DELETED, changes={})
    tag.delete()


# By hand -------------------------------------------------------------------------------------------------------


def _same_organisation(response: FeedbackResponse, item) -> None:
    if item.organisation_id != response.plan.organisation_id:
        raise ValidationError(_("That theme or tag belongs to another organisation."))


@transaction.atomic
def verbatim_theme_add(*, response: FeedbackResponse, actor, theme: Theme) -> VerbatimTheme:
    """Put a theme on a verbatim by hand; a rule's assignment of the same theme becomes a hand one (kept)."""
    require_plan_access(actor, response.plan)
    _same_organisation(response, theme)
    assigned, _created = VerbatimTheme.objects.update_or_create(
        response=response, theme=theme, defaults={"assigned_by": AssignedBy.HAND, "rule": None, "matched": ""})
    return assigned


def verbatim_theme_remove(*, response: FeedbackResponse, actor, theme_id: int) -> None:
    require_plan_access(actor, response.plan)
    VerbatimTheme.objects.filter(response=response, theme_id=theme_id).delete()


@transaction.atomic
def verbatim_tag_add(*, response: FeedbackResponse, actor, name: str) -> VerbatimTag:
    """Tag a verbatim; a tag name the organisation does not have yet is created."""
    require_plan_access(actor, response.plan)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"tag": _("Give the tag a name.")})
    tag = Tag.objects.filter(organisation_id=response.plan.organisation_id, name=name[:60]).first()
    if tag is None:
        tag = tracked_create(Tag(organisation_id=response.plan.organisation_id, name=name[:60]), actor=actor)
    assigned, _created = VerbatimTag.objects.get_or_create(response=response, tag=tag)
    return assigned


def verbatim_tag_remove(*, response: FeedbackResponse, actor, tag_id: int) -> None:
    require_plan_access(actor, response.plan)
    VerbatimTag.objects.filter(response=response, tag_id=tag_id).delete()


# By rules ------------------------------------------------------------------------------------------------------


def organisation_rules(organisation_id: int) -> list[CompiledRule]:
    """The organisation's rules, compiled once for a whole import or run (one query)."""
    rows = (ThemeRule.objects.filter(theme__organisation_id=organisation_id).order_by("theme_id", "id")
            .values_list("pk", "theme_id", "phrase"))
    return compile_rules(rows)


def rule_themes_write(responses, rules: list[CompiledRule], *, fresh: bool = False) -> int:
    """Give each (pk, verbatim) pair the themes its rules find: one delete (skipped for fresh rows) and one insert
    for the whole batch, whatever its size. Returns the number of rule assignments written."""
    responses = list(responses)
    if not fresh:
        VerbatimTheme.objects.filter(response_id__in=[pk for pk, _text in responses],
                                     assigned_by=AssignedBy.RULE).delete()
    rows = [VerbatimTheme(response_id=pk, theme_id=theme_id, assigned_by=AssignedBy.RULE, rule_id=rule_id,
                          matched=matched)
            for pk, text in responses for theme_id, (rule_id, matched) in match_rules(text, rules).items()]
    VerbatimTheme.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def rule_themes_apply_all(*, organisation, actor) -> dict:
    """Run the organisation's rules again over every verbatim of its plans, in batches of BATCH by id (keyset):
    rule assignments are replaced, hand ones kept. Synchronous: 20,000 verbatims and 40 rules take 2 s (6 s when the
    2-CPU machine is busy) and 56 queries (bench/theme_rules.py); a background job is the next step past ~100,000."""
    _may_edit(actor, organisation.pk)
    rules = organisation_rules(organisation.pk)
    responses = (FeedbackResponse.objects.filter(plan__organisation_id=organisation.pk).order_by("pk")
                 .values_list("pk", "verbatim"))
    last, seen, written = 0, 0, 0
    while batch := list(responses.filter(pk__gt=last)[:BATCH]):
        written += rule_themes_write(batch, rules)
        seen += len(batch)
        last = batch[-1][0]
    return {"responses": seen, "assignments": written}
