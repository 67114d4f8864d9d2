"""The listening indicators of a plan, computed by database aggregates: a fixed number of GROUP BY queries per page,
whatever the number of mentions (tests/listening/test_indicators.py counts them; bench/cases/listening.py times them
beside a raw GROUP BY).

Every indicator reads the same filtered mentions (`Scope`: period, channel, theme, persona) and answers plain data
(dicts and lists) that the pages draw (listening.charts) and tabulate.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import CharField, Count, Exists, F, Field, IntegerField, Max, OuterRef, Q, Value, Window
from django.db.models.functions import Cast, Coalesce, RowNumber, TruncMonth, TruncWeek

from assessments.models import Theme
from listening.models import Competitor, Mention, MentionTheme
from planning.models import Channel

EXAMPLES = 3  # example texts per theme
TOP_AUTHORS = 30


@dataclass(frozen=True)
class Scope:
    """Which mentions of a plan an indicator reads."""

    plan_id: int
    organisation_id: int
    start: date
    end: date
    channel_id: int | None = None
    theme_id: int | None = None  # a macro theme includes its micro themes
    persona_id: int | None = None
    granularity: str = "month"  # or "week"

    def mentions(self):
        mentions = Mention.objects.filter(plan_id=self.plan_id, mentioned_on__gte=self.start,
                                          mentioned_on__lte=self.end)
        if self.channel_id:
            mentions = mentions.filter(channel_id=self.channel_id)
        if self.persona_id:
            mentions = mentions.filter(persona_id=self.persona_id)
        if self.theme_id:
            themed = MentionTheme.objects.filter(Q(theme_id=self.theme_id) | Q(theme__parent_id=self.theme_id),
                                                 mention_id=OuterRef("pk"))
            mentions = mentions.filter(Exists(themed))
        return mentions

    def buckets(self) -> list[date]:
        """Every week (Monday) or month (1st) of the period, in order, so empty ones show as zero."""
        if self.granularity == "week":
            day = self.start - timedelta(days=self.start.weekday())
            found = []
            while day <= self.end:
                found.append(day)
                day += timedelta(days=7)
            return found
        day, found = self.start.replace(day=1), []
        while day <= self.end:
            found.append(day)
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return found

    def trunc(self):
        return TruncWeek("mentioned_on") if self.granularity == "week" else TruncMonth("mentioned_on")


def _day(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


SENTIMENT_COUNTS = {
    "n": Count("pk"),
    "negative": Count("pk", filter=Q(sentiment="negative")),
    "neutral": Count("pk", filter=Q(sentiment="neutral")),
    "positive": Count("pk", filter=Q(sentiment="positive")),
}


def _sentiment_row(row: dict) -> dict:
    n = row["n"]
    return {"n": n, "negative": row["negative"], "neutral": row["neutral"], "positive": row["positive"],
            "negative_share": row["negative"] / n if n else None,
            "positive_share": row["positive"] / n if n else None,
            "net": (row["positive"] - row["negative"]) / n if n else None}


def _channels(scope: Scope) -> list[Channel]:
    channels = Channel.objects.filter(organisation_id=scope.organisation_id).order_by("position", "name", "pk")
    return list(channels.filter(pk=scope.channel_id) if scope.channel_id else channels)


# The lists an indicator shows beside its counts (the channels, with those of no mention; the competitors) come in
# the same round trip as the counts: a UNION ALL of the GROUP BY and of those small lists, each row tagged with what
# it is. At a few thousand mentions each extra query cost as much as the GROUP BY itself (issue 15's bench).
COUNTS, CHANNEL, COMPETITOR = "n", "channel", "competitor"
CHANNEL_FIELDS = ("id", "organisation_id", "name", "kind", "position")


def _tag(tag: str):
    return Value(tag, output_field=CharField())


def _none(field=None):
    """A typed NULL: PostgreSQL would take an untyped NULL in every branch of a union but the last for text."""
    field = field or IntegerField()
    return Cast(Value(None, output_field=field), output_field=field)


def _untyped():
    """A NULL that takes the type of the column the union's first query gives (a date, a number…)."""
    return Value(None, output_field=Field())


def _channel_rows(scope: Scope, before: int):
    """The channels of the scope as rows of the union: (CHANNEL, `before` NULLs, *CHANNEL_FIELDS)."""
    channels = Channel.objects.filter(organisation_id=scope.organisation_id)
    if scope.channel_id:
        channels = channels.filter(pk=scope.channel_id)
    return channels.order_by().values_list(_tag(CHANNEL), *(_untyped() for _ in range(before)), *CHANNEL_FIELDS)


def _channel_nulls() -> list:
    """NULLs in the channels' columns, typed as them: the first query of a union gives every column's converter."""
    return [_none(field) for field in (IntegerField(), IntegerField(), CharField(), CharField(), IntegerField())]


def _partial(model, values: dict):
    """An instance of `model` from some of its columns (the others deferred, as `.only()` would)."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db("default", names, [values[name] for name in names])


def _channel(values) -> Channel:
    return _partial(Channel, dict(zip(CHANNEL_FIELDS, values[-len(CHANNEL_FIELDS):], strict=True)))


def _channel_order(channel: Channel):
    return (channel.position, channel.name, channel.pk)


# Volume and share per channel ------------------------------------------------------------------------------------


def volume(scope: Scope) -> dict:
    """Mentions per channel (count and share of the total) and per channel per week or month: 2 queries."""
    counts = {(row["channel_id"], _day(row["bucket"])): row["n"]
              for row in scope.mentions().annotate(bucket=scope.trunc()).values("channel_id", "bucket")
              .annotate(n=Count("pk")).order_by()}
    buckets = scope.buckets()
    total = sum(counts.values())
    rows = []
    for channel in _channels(scope):
        series = [counts.get((channel.pk, bucket), 0) for bucket in buckets]
        n = sum(series)
        rows.append({"channel": channel, "n": n, "share": n / total if total else None, "series": series})
    rows.sort(key=lambda row: (-row["n"], row["channel"].name))
    return {"total": total, "buckets": buckets, "channels": rows,
            "series": [sum(row["series"][i] for row in rows) for i in range(len(buckets))]}


# Sentiment per theme and per channel, and its evolution ----------------------------------------------------------


def sentiment(scope: Scope) -> dict:
    """Sentiment counts overall, per channel, per theme (macro and micro), and the net sentiment per channel per
    week or month: 1 query (the mentions per channel and period, per theme, with the channels and the themes)."""
    mentions = scope.mentions()
    # One GROUP BY (channel, period) gives the evolution; the totals per channel and overall are its sums.
    keys = ("n", "negative", "neutral", "positive")
    grouped = (mentions.annotate(bucket=scope.trunc()).values("channel_id", "bucket").annotate(**SENTIMENT_COUNTS)
               .order_by().values_list(_tag(COUNTS), "channel_id", "bucket", *keys, *_channel_nulls()))
    evolution, found, theme_rows = {}, [], []
    for row in grouped.union(_channel_rows(scope, before=2 + len(keys)), *_theme_parts(scope, mentions), all=True):
        if row[0] == COUNTS:
            evolution[(row[1], _day(row[2]))] = dict(zip(keys, row[3:3 + len(keys)], strict=True))
        elif row[0] == CHANNEL:
            found.append(_channel(row))
        else:
            theme_rows.append(row)
    per_channel: dict = {}
    for (channel_id, _bucket), row in evolution.items():
        summed = per_channel.setdefault(channel_id, dict.fromkeys(keys, 0))
        for key in keys:
            summed[key] += row[key]
    overall = _sentiment_row({key: sum(row[key] for row in per_channel.values()) for key in keys})
    buckets = scope.buckets()
    empty = {"n": 0, "negative": 0, "neutral": 0, "positive": 0}
    channels = []
    for channel in sorted(found, key=_channel_order):
        row = _sentiment_row(per_channel.get(channel.pk, empty))
        row["channel"] = channel
        row["series"] = [_sentiment_row(evolution.get((channel.pk, bucket), empty))["net"] for bucket in buckets]
        channels.append(row)
    overall_series = []
    for bucket in buckets:
        summed = {key: sum(evolution.get((c["channel"].pk, bucket), empty)[key] for c in channels) for key in empty}
        overall_series.append(_sentiment_row(summed)["net"])
    return {"overall": overall, "channels": channels, "buckets": buckets, "series": overall_series,
            "themes": _theme_rows_from(theme_rows)[0]}


MICRO, MACRO, THEME = "micro", "macro", "theme"
# A theme's columns in the union, in the channels' places (same types): its parent's name in `kind`'s, its parent's
# id in `position`'s.
THEME_FIELDS = ("id", "organisation_id", "name", "parent__name", "parent_id")


def _theme_parts(scope: Scope, mentions) -> list:
    """The queries of a union giving every theme of the organisation and its sentiment counts, per micro theme and
    per macro theme (a macro theme counts each mention once even when several of its micro themes are on it). Their
    rows: (tag, theme id, NULL, n, negative, neutral, positive, *THEME_FIELDS)."""
    assigned = MentionTheme.objects.filter(mention__in=mentions)
    counts = {
        "n": Count("mention_id", distinct=True),
        "negative": Count("mention_id", distinct=True, filter=Q(mention__sentiment="negative")),
        "neutral": Count("mention_id", distinct=True, filter=Q(mention__sentiment="neutral")),
        "positive": Count("mention_id", distinct=True, filter=Q(mention__sentiment="positive")),
    }
    micro = (assigned.values("theme_id").annotate(**counts).order_by()
             .values_list(_tag(MICRO), "theme_id", _untyped(), *counts, *_channel_nulls()))
    macro = (assigned.annotate(macro=Coalesce("theme__parent_id", "theme_id")).values("macro").annotate(**counts)
             .order_by().values_list(_tag(MACRO), "macro", _untyped(), *counts, *_channel_nulls()))
    listed = (Theme.objects.filter(organisation_id=scope.organisation_id).order_by()
              .values_list(_tag(THEME), *(_untyped() for _ in range(2 + len(counts))), *THEME_FIELDS))
    return [micro, macro, listed]


def _theme_rows_from(union_rows) -> tuple[list[dict], dict]:
    """Every theme (zero mentions included) with its sentiment counts, from the rows of _theme_parts' queries."""
    per_theme, per_macro, themes = {}, {}, []
    for row in union_rows:
        if row[0] == THEME:
            theme_id, organisation_id, name, parent_name, parent_id = row[-len(THEME_FIELDS):]
            theme = _partial(Theme, {"id": theme_id, "organisation_id": organisation_id, "parent_id": parent_id,
                                     "name": name})
            if parent_id:
                theme.parent = _partial(Theme, {"id": parent_id, "organisation_id": organisation_id,
                                                "name": parent_name})
            themes.append(theme)
        else:
            counts = dict(zip(("n", "negative", "neutral", "positive"), row[3:7], strict=True))
            (per_macro if row[0] == MACRO else per_theme)[row[1]] = counts
    empty = {"n": 0, "negative": 0, "neutral": 0, "positive": 0}
    rows = []
    for theme in themes:
        counts = per_macro.get(theme.pk, empty) if theme.parent_id is None else per_theme.get(theme.pk, empty)
        rows.append({"theme": theme, "macro": theme.parent_id is None, **_sentiment_row(counts)})
    rows.sort(key=lambda row: (-row["n"], str(row["theme"])))
    return rows, {row["theme"].pk: row for row in rows}


def _theme_rows(scope: Scope, mentions) -> tuple[list[dict], dict]:
    """Every theme of the organisation with its sentiment counts: 1 query."""
    first, *others = _theme_parts(scope, mentions)
    return _theme_rows_from(first.union(*others, all=True))


# Themes ranked, with examples ------------------------------------------------------------------------------------


def themes(scope: Scope) -> dict:
    """Macro and micro themes ranked by volume and by negative share, each with up to EXAMPLES example texts (the
    most-reached mentions of the theme): 4 queries."""
    mentions = scope.mentions()
    rows, by_id = _theme_rows(scope, mentions)
    for row in rows:
        row["examples"] = []
    # The most-reached mentions of each theme, then of each macro theme (its micro themes' mentions included; a
    # mention with two micro themes of one macro theme comes twice there, so twice as many are read, then deduped).
    assigned = MentionTheme.objects.filter(mention__in=mentions).annotate(
        macro=Coalesce("theme__parent_id", "theme_id"))
    fields = ("mention_id", "mention__text", "mention__sentiment", "mention__author", "mention__mentioned_on")
    order = [F("mention__author_reach").desc(), F("mention_id").desc()]
    for key, limit in (("theme_id", EXAMPLES), ("macro", 2 * EXAMPLES)):
        ranked = assigned.values(key, *fields).annotate(rank=Window(RowNumber(), partition_by=[F(key)],
                                                                    order_by=order))
        for example in ranked.filter(rank__lte=limit).order_by(key, "rank"):
            target = by_id.get(example[key])
            if target is None or (key == "macro" and not target["macro"]) or (key == "theme_id" and target["macro"]):
                continue
            if len(target["examples"]) < EXAMPLES and all(e["id"] != example["mention_id"]
                                                          for e in target["examples"]):
                target["examples"].append({"id": example["mention_id"], "text": example["mention__text"],
                                           "sentiment": example["mention__sentiment"],
                                           "author": example["mention__author"],
                                           "date": example["mention__mentioned_on"]})
    macros = [row for row in rows if row["macro"]]
    micros = [row for row in rows if not row["macro"]]

    def by_negative(row):
        return (-(row["negative_share"] or 0), -row["n"], str(row["theme"]))

    return {"total": mentions.count(), "macros": macros, "micros": micros,
            "macros_by_negative": sorted([r for r in macros if r["n"]], key=by_negative),
            "micros_by_negative": sorted([r for r in micros if r["n"]], key=by_negative)}


# Competitors' share of voice -------------------------------------------------------------------------------------


def share_of_voice(scope: Scope) -> dict:
    """Per channel: the brand's mentions (no competitor) and each competitor's, as counts and shares: 1 query (the
    counts per channel and competitor, with the channels and the competitors)."""
    grouped = (scope.mentions().values("channel_id", "competitor_id").annotate(n=Count("pk")).order_by()
               .values_list(_tag(COUNTS), "channel_id", "competitor_id", "n", *_channel_nulls()))
    # The competitors ride in the channels' columns (id, plan in the organisation's place, name).
    named = (Competitor.objects.filter(plan_id=scope.plan_id).order_by()
             .values_list(_tag(COMPETITOR), _untyped(), _untyped(), _untyped(), "pk", "plan_id", "name",
                          _none(CharField()), _none()))
    counts, found, competitors = {}, [], []
    for row in grouped.union(_channel_rows(scope, before=3), named, all=True):
        if row[0] == COUNTS:
            counts[(row[1], row[2])] = row[3]
        elif row[0] == CHANNEL:
            found.append(_channel(row))
        else:
            competitors.append(_partial(Competitor, dict(zip(("id", "plan_id", "name"), row[4:7], strict=True))))
    competitors.sort(key=lambda competitor: (competitor.name, competitor.pk))
    voices = [None, *(c.pk for c in competitors)]
    rows = []
    for channel in sorted(found, key=_channel_order):
        n = sum(counts.get((channel.pk, voice), 0) for voice in voices)
        cells = [{"n": counts.get((channel.pk, voice), 0),
                  "share": counts.get((channel.pk, voice), 0) / n if n else None} for voice in voices]
        rows.append({"channel": channel, "n": n, "cells": cells})
    totals = [sum(row["cells"][index]["n"] for row in rows) for index in range(len(voices))]
    total = sum(totals)
    return {"competitors": competitors, "channels": rows, "total": total,
            "totals": [{"n": n, "share": n / total if total else None} for n in totals]}


# Ambassadors and influencers -------------------------------------------------------------------------------------


def authors(scope: Scope, limit: int = TOP_AUTHORS) -> dict:
    """Authors ranked by mentions (then reach): their reach (the largest they had in the period), their sentiment
    counts, and the themes they talk about most: 2 queries."""
    mentions = scope.mentions().exclude(author="")
    top = list(mentions.values("author").annotate(reach=Max("author_reach"), **SENTIMENT_COUNTS)
               .order_by("-n", "-reach", "author")[:limit])
    names = [row["author"] for row in top]
    topics: dict[str, list] = {name: [] for name in names}
    if names:
        for row in (MentionTheme.objects.filter(mention__in=mentions.filter(author__in=names))
                    .values("mention__author", "theme__name", "theme__parent__name")
                    .annotate(n=Count("mention_id")).order_by("mention__author", "-n", "theme__name")):
            found = topics[row["mention__author"]]
            if len(found) < 3:
                name = row["theme__name"]
                found.append({"name": f"{row['theme__parent__name']} › {name}" if row["theme__parent__name"]
                              else name, "n": row["n"]})
    rows = [{"author": row["author"], "reach": row["reach"], **_sentiment_row(row), "topics": topics[row["author"]]}
            for row in top]
    return {"authors": rows, "by_reach": sorted(rows, key=lambda r: (-r["reach"], r["author"]))}
