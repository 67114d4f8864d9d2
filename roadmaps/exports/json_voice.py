"""The voice of the customer in the plan's JSON export, and its import back: the theme taxonomy, the tags, each
verbatim's themes, tags and sentiment (a hand correction included), the competitors and the mentions.

Themes, their rules and tags belong to the ORGANISATION (assessments.models.themes: every plan of an organisation
shares them), not to the plan. So the document carries the organisation's whole taxonomy ("themes": macro themes
each followed by their micro themes, with their rules; "tags": names), and importing MERGES it into the target
organisation: a theme is matched by its name under the same macro theme (a rule by its phrase, a tag by its name),
what is missing is created and said in the warnings, and nothing there is renamed or deleted. Importing into the
organisation it came from therefore changes nothing, and exporting the imported plan gives the same document.
Competitors and mentions belong to the plan and are created with it.

Verbatims and mentions name their themes by the document's references (TH1…), with who set them ("hand" or "rule",
the rule's phrase and the words it matched). Rows are read in chunks: two more queries per 2,000 responses or
mentions (their themes, their tags), so memory stays flat. A document from before these keys imports as before
(its verbatims get a sentiment computed from their text).
"""

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from assessments.models import AssignedBy, Tag, Theme, ThemeRule, VerbatimTag, VerbatimTheme
from assessments.sentiment import analyse
from listening.models import Competitor, Mention, MentionTag, MentionTheme
from planning.models import Channel

CHUNK = 2000
BATCH = 2000


def _date(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


# Export --------------------------------------------------------------------------------------------------------


def taxonomy(organisation_id: int) -> tuple[list[dict], dict[int, str], list[str]]:
    """(theme rows, {theme id: ref}, tag names): macro themes by name, each followed by its micro themes. 3 queries."""
    themes = list(Theme.objects.filter(organisation_id=organisation_id).order_by("name", "id"))
    rules: dict[int, list[str]] = {}
    for theme_id, phrase in (ThemeRule.objects.filter(theme__organisation_id=organisation_id)
                             .order_by("theme_id", "phrase", "id").values_list("theme_id", "phrase")):
        rules.setdefault(theme_id, []).append(phrase)
    ordered = []
    for macro in (t for t in themes if t.parent_id is None):
        ordered.append(macro)
        ordered.extend(t for t in themes if t.parent_id == macro.pk)
    refs = {theme.pk: f"TH{index}" for index, theme in enumerate(ordered, start=1)}
    rows = [{"ref": refs[t.pk], "name": t.name, "parent": refs.get(t.parent_id), "rules": rules.get(t.pk, [])}
            for t in ordered]
    tags = list(Tag.objects.filter(organisation_id=organisation_id).order_by("name", "id").values_list("name",
                                                                                                     flat=True))
    return rows, refs, tags


def _voice(assignments, tag_rows, owner: str, ids: list[int], refs: dict) -> tuple[dict, dict]:
    themes: dict[int, list[dict]] = {pk: [] for pk in ids}
    for row in (assignments.filter(**{f"{owner}_id__in": ids}).order_by(f"{owner}_id", "theme_id")
                .values(f"{owner}_id", "theme_id", "assigned_by", "matched", "rule__phrase")):
        themes[row[f"{owner}_id"]].append({"theme": refs.get(row["theme_id"]), "by": row["assigned_by"],
                                           "rule": row["rule__phrase"] or "", "matched": row["matched"]})
    tags: dict[int, list[str]] = {pk: [] for pk in ids}
    for pk, name in (tag_rows.filter(**{f"{owner}_id__in": ids}).order_by(f"{owner}_id", "tag__name")
                     .values_list(f"{owner}_id", "tag__name")):
        tags[pk].append(name)
    return themes, tags


def _chunks(rows: Iterable[dict]) -> Iterator[list[dict]]:
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def feedback_rows(rows: Iterable[dict], refs: dict) -> Iterator[dict]:
    """The export's feedback rows with their sentiment, themes and tags, chunk by chunk."""
    for chunk in _chunks(rows):
        themes, tags = _voice(VerbatimTheme.objects, VerbatimTag.objects, "response", [r["id"] for r in chunk], refs)
        for f in chunk:
            yield dict({k: f[k] for k in ("touchpoint", "kind", "score", "source", "verbatim")},
                       responded_on=_date(f["responded_on"]), sentiment=f.get("sentiment", ""),
                       sentiment_score=f.get("sentiment_score"), sentiment_corrected=f.get("sentiment_corrected",
                                                                                           False),
                       themes=themes.get(f["id"], []), tags=tags.get(f["id"], []))


def competitor_rows(plan_id: int) -> list[dict]:
    return [{"name": name} for name in Competitor.objects.filter(plan_id=plan_id).order_by("name", "id")
            .values_list("name", flat=True)]


MENTION_FIELDS = ("source", "author", "author_reach", "text", "url", "language", "sentiment", "sentiment_score",
                  "sentiment_corrected", "imported_sentiment", "external_source", "external_id")


def mention_rows(plan_id: int, data, refs: dict) -> Iterator[dict]:
    """The plan's mentions by date then id, chunk by chunk (a plan may hold 200,000)."""
    touchpoints = {t["id"]: t["ref"] for t in data.touchpoints}
    personas = {p["id"]: p["ref"] for p in data.personas}
    rows = (Mention.objects.filter(plan_id=plan_id).order_by("mentioned_on", "id")
            .values("id", "mentioned_on", "channel__name", "channel__kind", "competitor__name", "touchpoint_id",
                    "persona_id", *MENTION_FIELDS))
    for chunk in _chunks(rows.iterator(chunk_size=CHUNK)):
        themes, tags = _voice(MentionTheme.objects, MentionTag.objects, "mention", [r["id"] for r in chunk], refs)
        for m in chunk:
            yield dict({"mentioned_on": _date(m["mentioned_on"]), "channel": m["channel__name"],
                        "channel_kind": m["channel__kind"], "competitor": m["competitor__name"] or "",
                        "touchpoint": touchpoints.get(m["touchpoint_id"], ""),
                        "persona": personas.get(m["persona_id"], "")},
                       **{k: m[k] for k in MENTION_FIELDS}, themes=themes[m["id"]], tags=tags[m["id"]])


# Import --------------------------------------------------------------------------------------------------------


def import_taxonomy(ctx, themes: list[dict], tags: list[str]) -> None:
    """Merge the document's themes, rules and tags into the organisation (matched by name; missing ones created and
    reported); ctx.refs["TH"] maps the document's references to themes, ctx.refs["TAG"] names to tags."""
    organisation = ctx.organisation
    existing = {(t.parent_id, t.name): t for t in Theme.objects.filter(organisation=organisation)}
    found: dict[str, Theme] = {}
    for index, row in enumerate(themes):
        parent = ctx.ref("TH", row["parent"], f"themes[{index}]") if row.get("parent") else None
        name = " ".join(str(row["name"]).split())[:120]
        theme = existing.get((getattr(parent, "pk", None), name))
        if theme is None:
            theme = Theme(organisation=organisation, parent=parent, name=name)
            theme.full_clean()
            theme.save()
            existing[(theme.parent_id, name)] = theme
            ctx.warnings.append(_("Theme “%(name)s” was added to the organisation.") % {"name": theme})
        found[row["ref"]] = theme
        ctx.refs["TH"] = found
    ctx.refs["TH"] = found
    rules = {(r.theme_id, r.phrase): r for r in ThemeRule.objects.filter(theme__organisation=organisation)}
    missing = {(found[row["ref"]].pk, " ".join(str(phrase).split())[:120])
               for row in themes for phrase in row.get("rules") or []} - rules.keys()
    for rule in ThemeRule.objects.bulk_create([ThemeRule(theme_id=theme_id, phrase=phrase)
                                               for theme_id, phrase in sorted(missing)]):
        rules[(rule.theme_id, rule.phrase)] = rule
    ctx.rules = rules
    known = {t.name: t for t in Tag.objects.filter(organisation=organisation)}
    new = [Tag(organisation=organisation, name=" ".join(str(name).split())[:60]) for name in tags
           if " ".join(str(name).split())[:60] not in known]
    for tag in Tag.objects.bulk_create(new):
        known[tag.name] = tag
    ctx.refs["TAG"] = known


def _assignment(ctx, model, owner: str, pk: int, item: dict, where: str):
    theme = ctx.ref("TH", item.get("theme"), where)
    by = AssignedBy.RULE if item.get("by") == AssignedBy.RULE and item.get("matched") else AssignedBy.HAND
    rule = getattr(ctx, "rules", {}).get((theme.pk, item.get("rule") or "")) if by == AssignedBy.RULE else None
    return model(**{f"{owner}_id": pk}, theme=theme, assigned_by=by, rule=rule,
                 matched=(item.get("matched") or "")[:200] if by == AssignedBy.RULE else "")


def _tag(ctx, name) -> Tag:
    name = " ".join(str(name).split())[:60]
    tags = ctx.refs.setdefault("TAG", {})
    if name not in tags:  # a tag the document's tag list forgot
        tags[name] = Tag.objects.get_or_create(organisation=ctx.organisation, name=name)[0]
    return tags[name]


def voice_write(ctx, rows: list[dict], created: list, *, owner: str) -> None:
    """The themes and tags of just-created verbatims (owner "response") or mentions ("mention"): two bulk inserts."""
    theme_model, tag_model = ((VerbatimTheme, VerbatimTag) if owner == "response" else (MentionTheme, MentionTag))
    section = "feedback" if owner == "response" else "mentions"
    themes, tags = [], []
    for index, (row, obj) in enumerate(zip(rows, created, strict=True)):
        for item in row.get("themes") or []:
            themes.append(_assignment(ctx, theme_model, owner, obj.pk, item, f"{section}[{index}].themes"))
        tags.extend(tag_model(**{f"{owner}_id": obj.pk}, tag=_tag(ctx, name)) for name in set(row.get("tags") or []))
    theme_model.objects.bulk_create(themes, batch_size=BATCH, ignore_conflicts=True)
    tag_model.objects.bulk_create(tags, batch_size=BATCH, ignore_conflicts=True)


def sentiment_fields(row: dict, text: str) -> dict:
    """The row's sentiment as exported; computed from the text for a document without one."""
    if "sentiment" not in row:
        label, score = analyse(text or "")
        return {"sentiment": label, "sentiment_score": score, "sentiment_corrected": False}
    return {"sentiment": row.get("sentiment") or "", "sentiment_score": row.get("sentiment_score"),
            "sentiment_corrected": bool(row.get("sentiment_corrected"))}


def _mention_channel(ctx, row: dict, where: str) -> Channel:
    name = row.get("channel")
    channel = ctx.channels.get(name)
    if channel is None:
        if not name:
            raise ValueError(f"{where}: no channel")
        position = Channel.objects.filter(organisation=ctx.organisation).aggregate(m=Max("position"))["m"] or 0
        channel = Channel(organisation=ctx.organisation, name=str(name)[:80], kind=row.get("channel_kind") or "online",
                          position=position + 1)
        channel.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
        channel.save()
        ctx.channels[channel.name] = channel
        ctx.warnings.append(_("Channel “%(name)s” was added to the organisation.") % {"name": channel.name})
    return channel


def _clean_mention(mention: Mention, where: str) -> Mention:
    """Field validation without a query per row (the related rows were just created or matched)."""
    try:
        mention.full_clean(validate_unique=False, validate_constraints=False,
                           exclude=["plan", "channel", "competitor", "touchpoint", "persona"])
    except ValidationError as error:
        messages = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in error.message_dict.items())
        raise ValidationError(f"{where}: {messages}") from None
    return mention


def import_listening(ctx, competitors: list[dict], mentions: list[dict], *, clean) -> None:
    """Create the document's competitors and mentions (with their themes and tags) in the new plan."""
    created = Competitor.objects.bulk_create([clean(Competitor(plan=ctx.plan, name=str(c["name"])),
                                                    f"competitors[{i}]") for i, c in enumerate(competitors)])
    by_name = {c.name: c for c in created}
    objects = []
    for i, m in enumerate(mentions):
        where = f"mentions[{i}]"
        competitor = by_name.get(m.get("competitor")) if m.get("competitor") else None
        if m.get("competitor") and competitor is None:
            ctx.warnings.append(_("%(where)s: no competitor “%(name)s” in the file; left empty.")
                                % {"where": where, "name": m["competitor"]})
        objects.append(_clean_mention(Mention(
            plan=ctx.plan, channel=_mention_channel(ctx, m, where), mentioned_on=parse_date(m["mentioned_on"]),
            competitor=competitor, touchpoint=ctx.ref("TP", m["touchpoint"], where) if m.get("touchpoint") else None,
            persona=ctx.ref("P", m["persona"], where) if m.get("persona") else None,
            **{k: m.get(k) if m.get(k) is not None else Mention._meta.get_field(k).get_default()
               for k in MENTION_FIELDS if k not in ("sentiment", "sentiment_score", "sentiment_corrected")},
            **sentiment_fields(m, m.get("text") or "")), where))
    saved = Mention.objects.bulk_create(objects, batch_size=BATCH)
    voice_write(ctx, mentions, saved, owner="mention")
