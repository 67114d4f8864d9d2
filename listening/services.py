"""Every write of social listening: competitors, mentions one by one (tracked, versioned), mentions in bulk (the
import), themes and tags by hand and by the organisation's rules (the same rules as verbatims: assessments).

Who may write: whoever may edit the plan (tenancy.access). A hand-set theme is never removed by rules; a person's
sentiment wins over the computed one until cleared.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import AssignedBy, Sentiment, Tag
from assessments.sentiment import analyse, label_for, language
from assessments.services_themes import organisation_rules
from assessments.text import match_rules
from core.bulk import copy_create
from listening.models import Competitor, Mention, MentionTag, MentionTheme, RuleRun, RuleRunStatus
from listening.rules import rule_run_fail
from listening.tasks import rule_run_enqueue
from tenancy.access import require_plan_access
from tenancy.activity import activity_rows_record, tracked_create, tracked_delete, tracked_update
from tenancy.models import Verb

BATCH = 2000
CELERY_TIME_LIMIT = settings.CELERY_TASK_TIME_LIMIT
IMPORT_SOURCE = "import"  # the external source of ids read from a file when the file names none


# Competitors ---------------------------------------------------------------------------------------------------


@transaction.atomic
def competitor_create(*, plan, actor, name: str) -> Competitor:
    require_plan_access(actor, plan)
    return tracked_create(Competitor(plan=plan, name=" ".join(name.split())), actor=actor)


def competitor_update(*, competitor: Competitor, actor, version=None, **changes) -> Competitor:
    require_plan_access(actor, competitor.plan)
    if "name" in changes:
        changes["name"] = " ".join(changes["name"].split())
    return tracked_update(competitor, actor=actor, changes=changes, version=version)


def competitor_delete(*, competitor: Competitor, actor, version=None) -> None:
    """Its mentions stay, without a competitor."""
    require_plan_access(actor, competitor.plan)
    tracked_delete(competitor, actor=actor, version=version)


# Mentions one by one -------------------------------------------------------------------------------------------


def _check_relations(plan, *, channel=None, competitor=None, touchpoint=None, persona=None) -> None:
    errors = {}
    if channel is not None and channel.organisation_id != plan.organisation_id:
        errors["channel"] = _("This channel belongs to another organisation.")
    for name, value in (("competitor", competitor), ("touchpoint", touchpoint), ("persona", persona)):
        if value is not None and value.plan_id != plan.pk:
            errors[name] = _("It belongs to another plan.")
    if errors:
        raise ValidationError(errors)


def sentiment_of(text: str) -> dict:
    label, score = analyse(text or "")
    return {"sentiment": label, "sentiment_score": score}


@transaction.atomic
def mention_create(*, plan, actor, channel, mentioned_on, text: str, tags=(), **fields) -> Mention:
    """One mention; its sentiment is computed, its language guessed when not given, the theme rules run."""
    require_plan_access(actor, plan)
    _check_relations(plan, channel=channel, **{k: fields.get(k) for k in ("competitor", "touchpoint", "persona")})
    if not fields.get("language"):
        fields["language"] = language(text) if text.strip() else ""
    mention = tracked_create(Mention(plan=plan, channel=channel, mentioned_on=mentioned_on, text=text,
                                     **fields, **sentiment_of(text)), actor=actor)
    rule_themes_write([(mention.pk, text)], organisation_rules(plan.organisation_id), fresh=True)
    _tags_write(plan, [(mention.pk, tags)])
    return mention


@transaction.atomic
def mention_update(*, mention: Mention, actor, version=None, tags=None, **changes) -> Mention:
    require_plan_access(actor, mention.plan)
    _check_relations(mention.plan, **{k: changes[k] for k in ("channel", "competitor", "touchpoint", "persona")
                                      if k in changes})
    before = mention.text
    if "text" in changes and changes["text"] != before:
        computed = sentiment_of(changes["text"])
        changes["sentiment_score"] = computed["sentiment_score"]
        if not mention.sentiment_corrected:
            changes["sentiment"] = computed["sentiment"]
    mention = tracked_update(mention, actor=actor, changes=changes, version=version)
    if mention.text != before:
        rule_themes_write([(mention.pk, mention.text)], organisation_rules(mention.plan.organisation_id))
    if tags is not None:
        MentionTag.objects.filter(mention=mention).delete()
        _tags_write(mention.plan, [(mention.pk, tags)])
    return mention


def mention_sentiment_correct(*, mention: Mention, actor, sentiment: str, version=None) -> Mention:
    """A person sets the sentiment; it wins over the computed one until cleared (sentiment="" goes back to it)."""
    require_plan_access(actor, mention.plan)
    if sentiment and sentiment not in Sentiment.values:
        raise ValidationError({"sentiment": _("Use negative, neutral or positive.")})
    if sentiment:
        changes = {"sentiment": sentiment, "sentiment_corrected": True}
    else:
        computed = label_for(mention.sentiment_score) if mention.sentiment_score is not None else ""
        changes = {"sentiment": computed, "sentiment_corrected": False}
    return tracked_update(mention, actor=actor, changes=changes, version=version)


@transaction.atomic
def mention_edit(*, mention: Mention, actor, version=None, sentiment: str, themes, tags, competitor=None,
                 touchpoint=None, persona=None) -> Mention:
    """The mention edit page's one save: the sentiment a person sets (it wins over the computed one; "" gives the
    computed one back), the themes it carries (ticked ones stay or become hand-set, so rules never take them
    off; unticked ones go), its tags, competitor, touchpoint and persona. Refused (StaleVersion) if the mention
    changed since `version`; even a change of themes or tags alone moves the version, so two people editing them
    side by side conflict too."""
    require_plan_access(actor, mention.plan)
    _check_relations(mention.plan, competitor=competitor, touchpoint=touchpoint, persona=persona)
    themes = list(themes)
    if any(theme.organisation_id != mention.plan.organisation_id for theme in themes):
        raise ValidationError({"themes": _("That theme or tag belongs to another organisation.")})
    if sentiment and sentiment not in Sentiment.values:
        raise ValidationError({"sentiment": _("Use negative, neutral or positive.")})
    changes = {"competitor": competitor, "touchpoint": touchpoint, "persona": persona}
    if sentiment:
        changes |= {"sentiment": sentiment, "sentiment_corrected": True}
    else:
        computed = label_for(mention.sentiment_score) if mention.sentiment_score is not None else ""
        changes |= {"sentiment": computed, "sentiment_corrected": False}
    mention = tracked_update(mention, actor=actor, changes=changes, version=version)
    ticked = {theme.pk for theme in themes}
    carried = dict(MentionTheme.objects.filter(mention=mention).values_list("theme_id", "assigned_by"))
    MentionTheme.objects.filter(mention=mention).exclude(theme_id__in=ticked).delete()
    MentionTheme.objects.bulk_create([MentionTheme(mention=mention, theme_id=pk, assigned_by=AssignedBy.HAND)
                                      for pk in ticked - set(carried)])
    MentionTag.objects.filter(mention=mention).delete()
    _tags_write(mention.plan, [(mention.pk, list(tags))])
    return mention


def mention_delete(*, mention: Mention, actor, version=None) -> None:
    require_plan_access(actor, mention.plan)
    tracked_delete(mention, actor=actor, version=version)


@transaction.atomic
def mention_theme_add(*, mention: Mention, actor, theme) -> MentionTheme:
    """Put a theme on a mention by hand; a rule's assignment of the same theme becomes a hand one (kept)."""
    require_plan_access(actor, mention.plan)
    if theme.organisation_id != mention.plan.organisation_id:
        raise ValidationError(_("That theme or tag belongs to another organisation."))
    assigned, _created = MentionTheme.objects.update_or_create(
        mention=mention, theme=theme, defaults={"assigned_by": AssignedBy.HAND, "rule": None, "matched": ""})
    return assigned


def mention_theme_remove(*, mention: Mention, actor, theme_id: int) -> None:
    require_plan_access(actor, mention.plan)
    MentionTheme.objects.filter(mention=mention, theme_id=theme_id).delete()


# Themes by rules and tags, for any number of mentions ----------------------------------------------------------


def rule_themes_write(mentions, rules, *, fresh: bool = False) -> int:
    """Give each (pk, text) pair the themes the organisation's rules find (assessments.text.match_rules): one
    delete of the rules' old assignments (skipped for fresh rows) and one insert for the whole batch."""
    mentions = list(mentions)
    if not fresh:
        MentionTheme.objects.filter(mention_id__in=[pk for pk, _text in mentions],
                                    assigned_by=AssignedBy.RULE).delete()
    rows = [MentionTheme(mention_id=pk, theme_id=theme_id, assigned_by=AssignedBy.RULE, rule_id=rule_id,
                         matched=matched)
            for pk, text in mentions for theme_id, (rule_id, matched) in match_rules(text, rules).items()]
    MentionTheme.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


def rule_themes_apply_plan(*, plan, actor) -> int:
    """Run the organisation's rules again over the plan's mentions (after rules changed), in batches by id."""
    require_plan_access(actor, plan)
    rules = organisation_rules(plan.organisation_id)
    mentions = Mention.objects.filter(plan=plan).order_by("pk").values_list("pk", "text")
    last, written = 0, 0
    while batch := list(mentions.filter(pk__gt=last)[:BATCH]):
        written += rule_themes_write(batch, rules)
        last = batch[-1][0]
    return written


@transaction.atomic
def rule_run_request(*, plan, actor) -> RuleRun:
    """An editor asks for the organisation's rules to run again over the plan's mentions and verbatims (a Celery
    job, listening/rules.py); a run already waiting or running for the plan is returned instead of a second one."""
    require_plan_access(actor, plan)
    pending = RuleRun.objects.filter(plan=plan, status__in=[RuleRunStatus.QUEUED, RuleRunStatus.RUNNING]).first()
    if pending is not None and pending.created_at > timezone.now() - timedelta(seconds=2 * CELERY_TIME_LIMIT):
        return pending
    if pending is not None:  # past any task's time limit: its worker died or its message was lost
        rule_run_fail(pending.pk, _("The run gave no sign of life for too long and was given up."))
    run = RuleRun.objects.create(plan=plan, requested_by=actor)
    transaction.on_commit(lambda: rule_run_enqueue(run.pk))
    return run


class TagCache:
    """The organisation's tags by name, created on first use: one query to load, one per new name."""

    def __init__(self, organisation_id: int):
        self.organisation_id = organisation_id
        self.ids = dict(Tag.objects.filter(organisation_id=organisation_id).values_list("name", "pk"))

    def id_of(self, name: str) -> int:
        name = " ".join(name.split())[:60]
        if name not in self.ids:
            tag, _created = Tag.objects.get_or_create(organisation_id=self.organisation_id, name=name)
            self.ids[name] = tag.pk
        return self.ids[name]


def _tags_write(plan, pairs, cache: TagCache | None = None) -> None:
    """(mention pk, tag names) pairs: the tags are added (never removed here); unknown names become tags."""
    pairs = [(pk, [name for name in names if name.strip()]) for pk, names in pairs]
    if not any(names for _pk, names in pairs):
        return
    cache = cache or TagCache(plan.organisation_id)
    MentionTag.objects.bulk_create([MentionTag(mention_id=pk, tag_id=cache.id_of(name))
                                    for pk, names in pairs for name in names], ignore_conflicts=True)


# Mentions in bulk (the import) ---------------------------------------------------------------------------------

WRITTEN_FIELDS = ("channel_id", "mentioned_on", "source", "author", "author_reach", "text", "url", "language",
                  "imported_sentiment", "competitor_id", "touchpoint_id", "persona_id")


def mentions_bulk_write(*, plan, actor, rows, batch_size: int = BATCH) -> dict:
    """Write already-validated rows (dicts of WRITTEN_FIELDS plus `external_source`, `external_id`, `tags`) in
    batches: a row whose external id the plan already has updates that mention (so importing the same file again
    changes nothing but the versions), the others are created. Per batch: one read of the existing ids, one insert,
    one update, the rules' themes, the tags and the history rows, whatever the batch's size. Memory holds one batch.
    Returns {"created": n, "updated": n}."""
    require_plan_access(actor, plan)
    writer = _BulkWriter(plan, actor)
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            writer.write(batch)
            batch = []
    if batch:
        writer.write(batch)
    return {"created": writer.created, "updated": writer.updated}


class _BulkWriter:
    def __init__(self, plan, actor):
        self.plan, self.actor = plan, (actor if actor is not None and actor.is_authenticated else None)
        self.rules = organisation_rules(plan.organisation_id)
        self.tags = TagCache(plan.organisation_id)
        self.created = self.updated = 0

    def write(self, rows: list[dict]) -> None:
        # The last row wins when a batch names the same external id twice (one write per mention).
        keyed, plain = {}, []
        for row in rows:
            if row.get("external_id"):
                keyed[(row["external_source"], row["external_id"])] = row
            else:
                plain.append(row)
        existing = {}
        if keyed:
            found = (Mention.objects.filter(plan=self.plan, external_source__in={s for s, _i in keyed},
                                            external_id__in={i for _s, i in keyed})
                     .values_list("external_source", "external_id", "pk", "version", "sentiment",
                                  "sentiment_corrected"))
            existing = {(source, ext): rest for source, ext, *rest in found}
        new, changed, tags = [], [], []
        now = timezone.now()
        for key, row in [*keyed.items(), *((None, row) for row in plain)]:
            values = {name: row.get(name) for name in WRITTEN_FIELDS if name in row}
            computed = sentiment_of(row["text"])
            if key in existing:
                pk, version, sentiment, corrected = existing[key]
                mention = Mention(pk=pk, plan_id=self.plan.pk, version=version + 1, updated_at=now, **values,
                                  sentiment=sentiment if corrected else computed["sentiment"],
                                  sentiment_score=computed["sentiment_score"])
                changed.append((mention, row.get("tags", ())))
            else:
                mention = Mention(plan_id=self.plan.pk, external_source=row.get("external_source", ""),
                                  external_id=row.get("external_id", ""), **values, **computed)
                new.append((mention, row.get("tags", ())))
        saved = copy_create([mention for mention, _tags in new])
        if changed:
            Mention.objects.bulk_update([mention for mention, _tags in changed],
                                        [*WRITTEN_FIELDS, "sentiment", "sentiment_score", "version", "updated_at"])
            MentionTag.objects.filter(mention_id__in=[m.pk for m, _tags in changed]).delete()
        rule_themes_write(((m.pk, m.text) for m in saved), self.rules, fresh=True)
        if changed:
            rule_themes_write(((m.pk, m.text) for m, _tags in changed), self.rules)
        tags = [(m.pk, names) for m, names in [*new, *changed]]
        _tags_write(self.plan, tags, self.tags)
        self._history(saved, Verb.CREATED)
        self._history([m for m, _tags in changed], Verb.UPDATED)
        self.created += len(saved)
        self.updated += len(changed)

    def _history(self, mentions, verb) -> None:
        """One history row per mention, built from plain values (no per-row query), as tracked writes record."""
        activity_rows_record(
            organisation_id=self.plan.organisation_id, plan_id=self.plan.pk, actor=self.actor, verb=verb,
            target_type="listening.mention",
            rows=((m.pk, str(m), m.version, {name: [None, _plain(getattr(m, name))]
                                             for name in (*WRITTEN_FIELDS, "sentiment")
                                             if getattr(m, name) not in (None, "")}) for m in mentions))


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value

