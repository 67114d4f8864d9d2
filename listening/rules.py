"""Running the organisation's theme rules again over one plan's mentions and verbatims, the work of a background job
(RuleRun: asked for by listening.services.rule_run_request, run by listening.tasks): after rules were added or
removed, the plan's existing texts follow them.

Hand-set themes are kept: a text's themes set by hand are neither removed nor duplicated by a rule. Only the texts
whose rule themes differ are rewritten (one read, at most one delete and one insert per batch of BATCH texts), and
the run counts them: "how many changed" means how many mentions and verbatims gained or lost a theme.
"""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import AssignedBy, FeedbackResponse, VerbatimTheme
from assessments.services_themes import organisation_rules
from assessments.text import match_rules
from listening.models import Mention, MentionTheme, RuleRun, RuleRunStatus

BATCH = 2000


def rule_run_execute(run_id: int) -> RuleRun | None:
    """Run it (idempotent: a run already over is left as it is)."""
    with transaction.atomic():
        run = RuleRun.objects.select_for_update().select_related("plan").filter(pk=run_id).first()
        if run is None or run.is_over:
            return run
        run.status = RuleRunStatus.RUNNING
        run.save(update_fields=["status"])
    try:
        with transaction.atomic():
            rules = organisation_rules(run.plan.organisation_id)
            run.mentions_seen, run.mentions_changed = _rerun(
                Mention.objects.filter(plan_id=run.plan_id).values_list("pk", "text"), MentionTheme, "mention",
                rules)
            run.verbatims_seen, run.verbatims_changed = _rerun(
                FeedbackResponse.objects.filter(plan_id=run.plan_id).exclude(verbatim="")
                .values_list("pk", "verbatim"), VerbatimTheme, "response", rules)
            run.status, run.finished_at = RuleRunStatus.DONE, timezone.now()
            run.save()
    except Exception as error:
        rule_run_fail(run_id, _("The run stopped on an error: %s") % error)
        raise
    return run


def rule_run_fail(run_id: int, reason: str) -> None:
    RuleRun.objects.filter(pk=run_id).exclude(status=RuleRunStatus.DONE).update(
        status=RuleRunStatus.FAILED, error=reason[:2000], finished_at=timezone.now())


def _rerun(texts, link_model, owner: str, rules) -> tuple[int, int]:
    """(texts seen, texts whose themes changed), walking `texts` ((pk, text) pairs) in batches by pk."""
    seen = changed = 0
    last = 0
    texts = texts.order_by("pk")
    while batch := list(texts.filter(pk__gt=last)[:BATCH]):
        changed += _rewrite(batch, link_model, owner, rules)
        seen += len(batch)
        last = batch[-1][0]
    return seen, changed


def _rewrite(batch, link_model, owner: str, rules) -> int:
    owner_id = f"{owner}_id"
    by_rule: dict[int, dict] = defaultdict(dict)
    by_hand: dict[int, set] = defaultdict(set)
    for pk, theme_id, assigned_by, rule_id, matched in link_model.objects.filter(
            **{f"{owner_id}__in": [pk for pk, _text in batch]}).values_list(owner_id, "theme_id", "assigned_by",
                                                                           "rule_id", "matched"):
        if assigned_by == AssignedBy.RULE:
            by_rule[pk][theme_id] = (rule_id, matched)
        else:
            by_hand[pk].add(theme_id)
    rewrite, rows, changed = [], [], 0
    for pk, text in batch:
        found = {theme: hit for theme, hit in match_rules(text, rules).items() if theme not in by_hand[pk]}
        if found == by_rule[pk]:
            continue
        rewrite.append(pk)
        changed += set(found) != set(by_rule[pk])  # a theme gained or lost; a new rule for the same theme is not
        rows += [link_model(**{owner_id: pk}, theme_id=theme, assigned_by=AssignedBy.RULE, rule_id=rule_id,
                            matched=matched) for theme, (rule_id, matched) in found.items()]
    if rewrite:
        link_model.objects.filter(**{f"{owner_id}__in": rewrite}, assigned_by=AssignedBy.RULE).delete()
        link_model.objects.bulk_create(rows, batch_size=BATCH)
    return changed
