"""The listening pages of a plan: the overview (mentions, competitors, links to the indicators), the five indicator
pages with their SVG charts, and the import (upload, then a result page, as the feedback import).

Every page is reached from the plan's "Customer feedback" tab (its "Social listening" link); another organisation's
plan is 404 (tenancy.access.plan_for), a viewer reads and may not import or change the competitors (403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from assessments.importers import ImportMode
from assessments.models import Sentiment
from listening import charts, services, statistics
from listening.forms import CompetitorForm, IndicatorFilterForm, MentionImportForm
from listening.importers import FIELDS, REQUIRED, MentionImportResult, mention_import
from listening.models import Competitor, Mention
from listening.views.rules import rule_run_context
from tenancy.access import Access, plan_access, plan_for

SESSION_KEY = "mention_import"
INDICATORS = [
    ("volume", gettext_lazy("Volume per channel")),
    ("sentiment", gettext_lazy("Sentiment")),
    ("themes", gettext_lazy("Themes")),
    ("competitors", gettext_lazy("Share of voice")),
    ("authors", gettext_lazy("Ambassadors and influencers")),
]


def _context(plan, **extra) -> dict:
    return {"plan": plan, "organisation": plan.organisation, "indicators": INDICATORS, **extra}


@login_required
@require_GET
def listening_overview(request, pk):
    plan = plan_for(request.user, pk)
    mentions = Mention.objects.filter(plan=plan)
    latest = list(mentions.select_related("channel", "competitor").order_by("-mentioned_on", "-id")[:10])
    return render(request, "listening/overview.html", _context(
        plan, count=mentions.count(), latest=latest, competitors=Competitor.objects.filter(plan=plan),
        can_edit=plan_access(request.user, plan) >= Access.EDIT, competitor_form=CompetitorForm(),
        **rule_run_context(request, plan)))


@login_required
@require_POST
def competitor_add(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    form = CompetitorForm(request.POST)
    if form.is_valid():
        try:
            services.competitor_create(plan=plan, actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("listening", plan.pk)


@login_required
@require_POST
def competitor_remove(request, pk, competitor_pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    competitor = get_object_or_404(Competitor, plan=plan, pk=competitor_pk)
    services.competitor_delete(competitor=competitor, actor=request.user)
    return redirect("listening", plan.pk)


# The indicators ------------------------------------------------------------------------------------------------


def _sentiment_labels() -> dict:
    return {key: str(label) for key, label in Sentiment.choices}


def _percent(value) -> str:
    return "—" if value is None else f"{round(100 * value)} %"


def _volume(scope, data) -> dict:
    rows = data["channels"]
    return {
        "trend_rows": list(zip(data["buckets"], data["series"], strict=True)),
        "share_chart": charts.bars([(row["channel"].name, row["n"], f"{row['n']} · {_percent(row['share'])}")
                                    for row in rows], title=_("Mentions per channel")),
        "trend_chart": charts.lines([(_("All channels"), data["series"]),
                                     *((row["channel"].name, row["series"]) for row in rows if row["n"])],
                                    data["buckets"], title=_("Mentions over time"), granularity=scope.granularity),
    }


def _sentiment(scope, data) -> dict:
    labels = _sentiment_labels()
    theme_rows = [row for row in data["themes"] if row["n"]]
    return {
        "channel_chart": charts.sentiment_bars(
            [(row["channel"].name, row["negative"], row["neutral"], row["positive"]) for row in data["channels"]
             if row["n"]], title=_("Sentiment per channel"), labels=labels),
        "theme_chart": charts.sentiment_bars(
            [(str(row["theme"]), row["negative"], row["neutral"], row["positive"]) for row in theme_rows],
            title=_("Sentiment per theme"), labels=labels) if theme_rows else None,
        "trend_chart": charts.lines([(_("All channels"), data["series"]),
                                     *((row["channel"].name, row["series"]) for row in data["channels"] if row["n"])],
                                    data["buckets"], title=_("Net sentiment over time (positive − negative)"),
                                    low=-1, high=1, percent=True, granularity=scope.granularity),
    }


def _themes(scope, data) -> dict:
    def chart(rows, title):
        rows = [row for row in rows if row["n"]][:15]
        return charts.bars([(str(row["theme"]), row["n"], str(row["n"])) for row in rows], title=title) \
            if rows else None

    return {"macro_chart": chart(data["macros"], _("Macro themes by volume")),
            "micro_chart": chart(data["micros"], _("Micro themes by volume"))}


def _competitors(scope, data) -> dict:
    names = [_("Our brand"), *(c.name for c in data["competitors"])]
    return {
        "voices": names,
        "total_chart": charts.bars([(name, cell["n"], f"{cell['n']} · {_percent(cell['share'])}")
                                    for name, cell in zip(names, data["totals"], strict=True)],
                                   title=_("Share of voice, all channels")),
    }


def _authors(scope, data) -> dict:
    rows = data["by_reach"][:15]
    return {"reach_chart": charts.bars([(row["author"], row["reach"], f"{row['reach']:,}".replace(",", " "))
                                        for row in rows], title=_("Authors by reach")) if rows else None}


def _theme_work(request, plan, scope) -> dict:
    """What the themes page adds below its figures: the last re-run of the rules."""
    return rule_run_context(request, plan)


COMPUTE = {"volume": (statistics.volume, _volume), "sentiment": (statistics.sentiment, _sentiment),
           "themes": (statistics.themes, _themes), "competitors": (statistics.share_of_voice, _competitors),
           "authors": (statistics.authors, _authors)}


def indicator_page(indicator: str):
    compute, draw = COMPUTE[indicator]

    @login_required
    @require_GET
    def view(request, pk):
        plan = plan_for(request.user, pk)
        form = IndicatorFilterForm(request.GET or None, plan=plan)
        scope = form.scope()
        data = compute(scope)
        extra = _theme_work(request, plan, scope) if indicator == "themes" else {}
        return render(request, f"listening/{indicator}.html", _context(
            plan, form=form, scope=scope, data=data, indicator=indicator, query=request.GET.urlencode(),
            **draw(scope, data), **extra))

    view.__name__ = f"listening_{indicator}"
    return view


# The import ----------------------------------------------------------------------------------------------------


@login_required
def mention_import_page(request, pk):
    """GET: the upload form with the columns it reads; POST: import, then show the result page."""
    plan = plan_for(request.user, pk, Access.EDIT)
    form = MentionImportForm(request.POST or None, request.FILES or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = mention_import(plan=plan, actor=request.user, file=upload, filename=upload.name,
                                mode=form.cleaned_data["mode"], mapping=form.mapping(),
                                default_channel=form.cleaned_data["default_channel"],
                                id_source=form.cleaned_data["id_source"])
        request.session[SESSION_KEY] = {"plan": plan.pk, "file": upload.name[:200], "result": result.as_dict(),
                                        "at": timezone.now().isoformat()}
        return redirect("listening_import_result", plan.pk)
    return render(request, "listening/import.html", _context(plan, form=form, fields=FIELDS.items(),
                                                             required=REQUIRED))


@login_required
@require_GET
def mention_import_result(request, pk):
    plan = plan_for(request.user, pk, Access.EDIT)
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("plan") != plan.pk:
        return redirect("listening_import", plan.pk)
    result = MentionImportResult.from_dict(stored["result"])
    return render(request, "listening/import_result.html", _context(
        plan, result=result, file_name=stored["file"], mode_label=ImportMode(result.mode).label,
        all_or_nothing=result.mode == ImportMode.ALL_OR_NOTHING))


urlpatterns = [
    path("plans/<int:pk>/listening/", listening_overview, name="listening"),
    path("plans/<int:pk>/listening/competitors/add/", competitor_add, name="listening_competitor_add"),
    path("plans/<int:pk>/listening/competitors/<int:competitor_pk>/delete/", competitor_remove,
         name="listening_competitor_remove"),
    path("plans/<int:pk>/listening/import/", mention_import_page, name="listening_import"),
    path("plans/<int:pk>/listening/import/result/", mention_import_result, name="listening_import_result"),
    *(path(f"plans/<int:pk>/listening/{key}/", indicator_page(key), name=f"listening_{key}") for key, _l in INDICATORS),
]
