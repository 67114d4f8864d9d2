"""The voice of the customer for the PDF: the themes of the plan's verbatims and mentions by volume and by negative
share with example texts, the sentiment per channel, the listening volume, and each touchpoint's share of negative
verbatims (the gap ranking's feedback boost). Nine queries whatever the number of
verbatims or mentions (assessments.voice), all aggregates."""

from django.db.models import Count, Max, Min

from assessments import voice
from assessments.models import FeedbackResponse, VerbatimTheme
from listening.models import Competitor, Mention, MentionTheme

TOP = 8
EXAMPLES = 2


def _ranking(rows: list[dict]) -> dict:
    negative = sorted((r for r in rows if r["negative"]), key=lambda r: (-r["negative_share"], -r["n"], r["name"]))
    return {"by_volume": rows[:TOP], "by_negative": negative[:TOP]}


def gather_voice(plan) -> dict:
    responses = FeedbackResponse.objects.filter(plan=plan)
    mentions = Mention.objects.filter(plan_id=plan.pk)
    verbatim_themes = voice.themes_by_volume(VerbatimTheme.objects.filter(response__plan=plan), examples=EXAMPLES)
    listened = mentions.aggregate(n=Count("pk"), first=Min("mentioned_on"), last=Max("mentioned_on"))
    mention_themes = (voice.themes_by_volume(MentionTheme.objects.filter(mention__plan_id=plan.pk),
                                             source=voice.MENTIONS, examples=EXAMPLES) if listened["n"] else [])
    by_verbatims = voice.sentiment_by_channel(responses.exclude(verbatim=""), "touchpoint__channel__name")
    by_mentions = voice.sentiment_by_channel(mentions, "channel__name") if listened["n"] else {}
    empty = {"n": 0, "negative": 0, "neutral": 0, "positive": 0}
    channels = [{"channel": name, "verbatims": by_verbatims.get(name, empty), "mentions": by_mentions.get(name, empty)}
                for name in sorted(by_verbatims.keys() | by_mentions.keys(), key=str.lower)]
    listening = None
    if listened["n"]:
        listening = dict(listened, competitors=Competitor.objects.filter(plan_id=plan.pk).count(),
                         channels=sorted(({"channel": name, "n": counts["n"]} for name, counts in by_mentions.items()),
                                         key=lambda row: (-row["n"], row["channel"])))
    # Keyed by the touchpoint's id as text: a frozen version stores this as JSON (versions.snapshot).
    negative_share = {str(pk): share for pk, share in voice.negative_share_by_touchpoint(plan=plan).items()}
    return {"negative_share": negative_share,
            "verbatim_themes": _ranking(verbatim_themes), "mention_themes": _ranking(mention_themes),
            "channels": channels, "listening": listening,
            "any": bool(verbatim_themes or mention_themes or channels or listening)}
