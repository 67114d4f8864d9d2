"""Every read of social listening, limited to the plans the user may see."""

from django.db.models import Prefetch, QuerySet

from listening.models import Competitor, Mention, MentionTag, MentionTheme
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
