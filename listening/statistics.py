"""The listening indicators of a plan, computed by database aggregates: a fixed number of GROUP BY queries per page,
whatever the number of mentions (tests/listening/test_indicators.py counts them; bench/cases/listening.py times them
beside a raw GROUP BY).

Every indicator reads the same filtered mentions (`Scope`: period, channel, theme, persona) and answers plain data
(dicts and lists) that the pages draw (listening.charts) and tabulate.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Window
from django.db.models.functions import Coalesce, RowNumber, TruncMonth, TruncWeek

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
    week or month: 4 queries."""
    mentions = scope.mentions()
    overall = _sentiment_row(mentions.aggregate(**SENTIMENT_COUNTS))
    per_channel = {row["channel_id"]: row for row in mentions.values("channel_id").annotate(**SENTIMENT_COUNTS)
                   .order_by()}
    evolution = {(row["channel_id"], _day(row["bucket"])): row
                 for row in mentions.annotate(bucket=scope.trunc()).values("channel_id", "bucket")
                 .annotate(**SENTIMENT_COUNTS).order_by()}
    buckets = scope.buckets()
    empty = {"n": 0, "negative": 0, "neutral": 0, "positive": 0}
    channels = []
    for channel in _channels(scope):
        row = _sentiment_row(per_channel.get(channel.pk, empty))
        row["channel"] = channel
        row["series"] = [_sentiment_row(evolution.get((channel.pk, bucket), empty))["net"] for bucket in buckets]
        channels.append(row)
    overall_series = []
    for bucket in buckets:
        summed = {key: sum(evolution.get((c["channel"].pk, bucket), empty)[key] for c in channels) for key in empty}
        overall_series.append(_sentiment_row(summed)["net"])
    return {"overall": overall, "channels": channels, "buckets": buckets, "series": overall_series,
            "themes": _theme_rows(scope, mentions)[0]}


def _theme_rows(scope: Scope, mentions) -> tuple[list[dict], dict]:
    """Every theme of the organisation (zero mentions included) with its sentiment counts: macro themes count each
    mention once even when several of their micro themes are on it. 2 queries (themes, counts)."""
    themes = list(Theme.objects.filter(organisation_id=scope.organisation_id).select_related("parent"))
    assigned = MentionTheme.objects.filter(mention__in=mentions)
    per_theme = {row["theme_id"]: row for row in assigned.values("theme_id").annotate(
        n=Count("mention_id", distinct=True),
        negative=Count("mention_id", distinct=True, filter=Q(mention__sentiment="negative")),
        neutral=Count("mention_id", distinct=True, filter=Q(mention__sentiment="neutral")),
        positive=Count("mention_id", distinct=True, filter=Q(mention__sentiment="positive")),
    ).order_by()}
    per_macro = {row["macro"]: row for row in assigned.annotate(macro=Coalesce("theme__parent_id", "theme_id"))
                 .values("macro").annotate(
        n=Count("mention_id", distinct=True),
        negative=Count("mention_id", distinct=True, filter=Q(mention__sentiment="negative")),
        neutral=Count("mention_id", distinct=True, filter=Q(mention__sentiment="neutral")),
        positive=Count("mention_id", distinct=True, filter=Q(mention__sentiment="positive")),
    ).order_by()}
    empty = {"n": 0, "negative": 0, "neutral": 0, "positive": 0}
    rows = []
    for theme in themes:
        counts = per_macro.get(theme.pk, empty) if theme.parent_id is None else per_theme.get(theme.pk, empty)
        rows.append({"theme": theme, "macro": theme.parent_id is None, **_sentiment_row(counts)})
    rows.sort(key=lambda row: (-row["n"], str(row["theme"])))
    return rows, {row["theme"].pk: row for row in rows}


# Themes ranked, with examples ------------------------------------------------------------------------------------


def themes(scope: Scope) -> dict:
    """Macro and micro themes ranked by volume and by negative share, each with up to EXAMPLES example texts (the
    most-reached mentions of the theme): 6 queries."""
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
    """Per channel: the brand's mentions (no competitor) and each competitor's, as counts and shares: 3 queries."""
    counts = {(row["channel_id"], row["competitor_id"]): row["n"]
              for row in scope.mentions().values("channel_id", "competitor_id").annotate(n=Count("pk")).order_by()}
    competitors = list(Competitor.objects.filter(plan_id=scope.plan_id).order_by("name", "pk"))
    voices = [None, *(c.pk for c in competitors)]
    rows = []
    for channel in _channels(scope):
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
