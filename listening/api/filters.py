"""Filters of the listening API; related-object filters only accept what the caller may see."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from assessments.models import Sentiment
from core.api.filters import UpdatedSinceFilterSet
from listening import selectors
from listening.models import Competitor, Mention
from planning import selectors as planning_selectors
from tenancy import selectors as tenancy_selectors
from tenancy.api.filters import VisiblePlanFilter


def _user(request):
    return getattr(request, "user", None) or AnonymousUser()


def _plans(request):
    return tenancy_selectors.plan_list(user=_user(request))


def _channels(request):
    return planning_selectors.channel_list(user=_user(request))


def _competitors(request):
    return selectors.competitor_list(user=_user(request))


class CompetitorFilter(UpdatedSinceFilterSet):
    plan = VisiblePlanFilter(queryset=_plans, help_text=_("Only objects of this plan."))

    class Meta:
        model = Competitor
        fields = ("plan", "updated_since")


class MentionFilter(UpdatedSinceFilterSet):
    plan = VisiblePlanFilter(queryset=_plans, help_text=_("Only objects of this plan."))
    channel = filters.ModelChoiceFilter(queryset=_channels, help_text=_("Only mentions on this channel."))
    competitor = filters.ModelChoiceFilter(queryset=_competitors, help_text=_("Only mentions of this competitor."))
    mentioned_on = filters.DateFromToRangeFilter(
        help_text=_("Mentions from `mentioned_on_after` to `mentioned_on_before` (YYYY-MM-DD, both inclusive, "
                    "either optional)."))
    sentiment = filters.ChoiceFilter(choices=Sentiment.choices, help_text=_("negative, neutral or positive."))
    search = filters.CharFilter(field_name="text", lookup_expr="icontains",
                                help_text=_("Only mentions whose text contains this text."))
    author = filters.CharFilter(help_text=_("Only the mentions of this author (exactly as written)."))
    theme = filters.NumberFilter(
        method="filter_theme", help_text=_("A theme id: mentions with it (a macro theme includes its micro themes)."))
    tag = filters.CharFilter(field_name="tags__tag__name", distinct=True,
                             help_text=_("Only mentions with the tag of this name."))

    class Meta:
        model = Mention
        fields = ("plan", "channel", "competitor", "mentioned_on", "sentiment", "search", "author", "theme", "tag",
                  "updated_since")

    def filter_theme(self, queryset, name, value):
        return queryset.filter(Q(themes__theme_id=value) | Q(themes__theme__parent_id=value)).distinct()
