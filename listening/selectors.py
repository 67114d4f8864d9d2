"""Every read of social listening, limited to the plans the user may see."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from listening.models import Competitor, Mention, MentionTag, MentionTheme, RuleRun
from tenancy.selectors import in_plans


def with_voice(mentions: QuerySet[Mention]) -> QuerySet[Mention]:
    """Mentions with their themes (and the rule that set each) and tags: three queries whatever the count."""
    return mentions.prefetch_related(
        Prefetch("themes", MentionTheme.objects.select_related("theme__parent", "rule").order_by("theme__name")),
        Prefetch("tags", MentionTag.objects.select_related("tag").order_by("tag__name")),
    )


def mention_list(*, user, plan=None) -> QuerySet[Mention]:
    return with_voice(in_plans(Mention.objects.all(), user, plan))


def mentions_with_voice() -> QuerySet[Mention]:
    """For the changes feed: every mention, with what the serializer reads of its themes and tags."""
    return with_voice(Mention.objects.all())


def competitor_list(*, user, plan=None) -> QuerySet[Competitor]:
    return in_plans(Competitor.objects.all(), user, plan)


def mention_search(*, user, plan, filters: dict) -> QuerySet[Mention]:
    """The plan's mentions the list page shows, newest first, narrowed by listening.forms_mentions.MentionFilterForm's
    filters; with their channel, competitor, themes and tags (a fixed number of queries per page)."""
    mentions = mention_list(user=user, plan=plan).select_related("channel", "competitor")
    if filters.get("start"):
        mentions = mentions.filter(mentioned_on__gte=filters["start"])
    if filters.get("end"):
        mentions = mentions.filter(mentioned_on__lte=filters["end"])
    if filters.get("channel_id"):
        mentions = mentions.filter(channel_id=filters["channel_id"])
    if filters.get("sentiment"):
        mentions = mentions.filter(sentiment=filters["sentiment"])
    competitor = filters.get("competitor")
    if competitor == "none":
        mentions = mentions.filter(competitor__isnull=True)
    elif competitor:
        mentions = mentions.filter(competitor_id=int(competitor))
    if filters.get("theme_id"):
        themed = MentionTheme.objects.filter(Q(theme_id=filters["theme_id"]) | Q(theme__parent_id=filters["theme_id"]),
                                             mention_id=OuterRef("pk"))
        mentions = mentions.filter(Exists(themed))
    for word in (filters.get("q") or "").split()[:8]:
        mentions = mentions.filter(Q(text__icontains=word) | Q(author__icontains=word))
    return mentions.order_by("-mentioned_on", "-id")


def latest_rule_run(*, user, plan) -> RuleRun | None:
    """The plan's last re-run of the theme rules, for the pages that offer it."""
    return in_plans(RuleRun.objects.all(), user, plan).select_related("requested_by").order_by("-created_at",
                                                                                              "-id").first()
