"""Where people already look: the negative themes of verbatims (or mentions) grouped by the place they concern
(a touchpoint, a stage, a persona), each with a few example texts, and each touchpoint's share of negative verbatims.

No rollup carries themes or sentiment (assessments.models.rollups counts scores), so these read the theme
assignments themselves, in a fixed number of GROUP BY queries whatever the number of places or texts:
`negative_themes` makes two (the counts per place and theme; the newest negative examples of the top themes,
ranked by a window function), `negative_share_by_touchpoint` one. The same functions serve verbatims
(VerbatimTheme rows) and mentions (listening.MentionTheme rows) through `Source`.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from assessments.models import FeedbackResponse, Sentiment, VerbatimTheme

TOP_THEMES = 3
EXAMPLES = 3


@dataclass(frozen=True)
class Source:
    """What a theme assignment row points at: the item's field and, on the item, its text and date fields."""

    item: str  # "response" (a verbatim) or "mention"
    text: str
    date: str


VERBATIMS = Source("response", "verbatim", "responded_on")
MENTIONS = Source("mention", "text", "mentioned_on")


def verbatim_themes(responses: QuerySet[FeedbackResponse]) -> QuerySet[VerbatimTheme]:
    """The theme assignments of a set of responses (filter them first: plan, touchpoint, journey, persona…)."""
    return VerbatimTheme.objects.filter(response__in=responses)


def _theme_name(row: dict) -> str:
    parent = row["theme__parent__name"]
    return f"{parent} › {row['theme__name']}" if parent else row["theme__name"]


def negative_themes(assigned: QuerySet, *, source: Source = VERBATIMS, group: str | None = None,
                    top: int = TOP_THEMES, examples: int = EXAMPLES) -> dict:
    """{place: [theme row, ...]}: per place (the value of `group`, a path from the assignment row such as
    "response__touchpoint__stage_id"; None for one place only, keyed None), the `top` themes with the most negative
    texts, then the highest negative share, then by name; each with its counts and up to `examples` of its newest
    distinct negative texts. Themes without a negative text are left out. Two queries."""
    return _ranked(assigned, source, group, top, examples, negative_only=True)


def themes_by_volume(assigned: QuerySet, *, source: Source = VERBATIMS, examples: int = EXAMPLES) -> list[dict]:
    """Every theme used in `assigned`, most texts first, with its negative count and share, and its newest texts
    (negative ones first). Two queries."""
    return _ranked(assigned, source, None, None, examples, negative_only=False).get(None, [])


def _ranked(assigned, source: Source, group: str | None, top: int | None, examples: int, *,
            negative_only: bool) -> dict:
    item = source.item
    key = group or "place"
    keyed = assigned if group else assigned.annotate(place=Value(0, output_field=IntegerField()))
    negative = Q(**{f"{item}__sentiment": Sentiment.NEGATIVE})
    counts = (keyed.values(key, "theme_id", "theme__name", "theme__parent__name")
              .annotate(n=Count(f"{item}_id"), negative=Count(f"{item}_id", filter=negative)).order_by())
    found: dict = {}
    for row in counts:
        if row["negative"] or not negative_only:
            found.setdefault(row[key] if group else None, []).append({
                "theme_id": row["theme_id"], "name": _theme_name(row), "n": row["n"], "negative": row["negative"],
                "negative_share": row["negative"] / row["n"], "examples": []})
    wanted = set()
    for rows in found.values():
        if negative_only:
            rows.sort(key=lambda r: (-r["negative"], -r["negative_share"], r["name"]))
        else:
            rows.sort(key=lambda r: (-r["n"], -r["negative"], r["name"]))
        if top is not None:
            del rows[top:]
        wanted.update(r["theme_id"] for r in rows)
    if not wanted or not examples:
        return found
    by_pair = {(place, row["theme_id"]): row for place, rows in found.items() for row in rows}
    order = [F(f"{item}__{source.date}").desc(), F(f"{item}_id").desc()]
    if not negative_only:  # the negative texts first, then the others
        order.insert(0, Case(When(negative, then=Value(0)), default=Value(1)).asc())
    partition = [F(key), F("theme_id")] if group else [F("theme_id")]
    chosen = keyed.filter(negative, theme_id__in=wanted) if negative_only else keyed.filter(theme_id__in=wanted)
    ranked = (chosen.annotate(rank=Window(RowNumber(), partition_by=partition, order_by=order))
              .values(key, "theme_id", f"{item}_id", f"{item}__{source.text}", f"{item}__{source.date}",
                      f"{item}__sentiment", "rank"))
    # Three times as many read, so that texts said twice (a copied complaint) show once.
    for example in ranked.filter(rank__lte=3 * examples).order_by(key, "theme_id", "rank"):
        row = by_pair.get((example[key] if group else None, example["theme_id"]))
        text = example[f"{item}__{source.text}"]
        if row is not None and len(row["examples"]) < examples and all(e["text"] != text for e in row["examples"]):
            row["examples"].append({"id": example[f"{item}_id"], "text": example[f"{item}__{source.text}"],
                                    "date": example[f"{item}__{source.date}"],
                                    "sentiment": example[f"{item}__sentiment"]})
    return found


def sentiment_by_channel(texts: QuerySet, channel: str) -> dict[str, dict]:
    """{channel name: {"n", "negative", "neutral", "positive"}} of texts with a sentiment (verbatims: channel
    "touchpoint__channel__name"; mentions: "channel__name"): one GROUP BY."""
    rows = (texts.exclude(sentiment="").values(channel)
            .annotate(n=Count("pk"), negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)),
                      neutral=Count("pk", filter=Q(sentiment=Sentiment.NEUTRAL)),
                      positive=Count("pk", filter=Q(sentiment=Sentiment.POSITIVE))).order_by())
    return {row[channel]: {k: row[k] for k in ("n", "negative", "neutral", "positive")} for row in rows}


def negative_share_by_touchpoint(*, plan) -> dict[int, dict]:
    """{touchpoint id: {"n": verbatims with a sentiment, "negative": of them negative, "share": 0–1}}: one GROUP BY
    over the plan's responses (the (plan, sentiment) index narrows it to those with a sentiment)."""
    rows = (FeedbackResponse.objects.filter(plan=plan).exclude(sentiment="").values("touchpoint_id")
            .annotate(n=Count("pk"), negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE))).order_by())
    return {row["touchpoint_id"]: {"n": row["n"], "negative": row["negative"], "share": row["negative"] / row["n"]}
            for row in rows}


def with_links(found: dict, base_url: str, *, negative_only: bool = True) -> dict:
    """Give every theme row the address of the list filtered by that theme (and to its negative texts): `base_url`
    is the list's address (the plan's feedback page, the listening themes page…)."""
    for rows in found.values():
        for row in rows:
            suffix = "&sentiment=negative#verbatims" if negative_only else ""
            row["url"] = f"{base_url}?theme={row['theme_id']}{suffix}"
    return found
