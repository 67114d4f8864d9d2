"""The plan's mention list and the theme suggestions at size, in a transaction rolled back at the end:

- the mention list page (50 a page, with themes and tags) for a plan of 500 mentions and one of 200,000 (CI: 5,000):
  the query count must not change with the size, and the large plan's page may take at most 2× the small one's
  (the rows of a page are the same number; only the count and the index walk grow); a text search on the large
  plan beside the same ILIKE count and page in raw SQL (both scan the plan's rows: no trigram index yet);
- the theme suggestions (TF-IDF + NMF) over the newest uncovered texts of the same two plans (capped at 3,000
  texts), beside the TF-IDF alone on the same texts (what the topics cost on top of reading and weighing them).
"""

import random
from datetime import date, timedelta

from django.db import connection, transaction
from sklearn.feature_extraction.text import TfidfVectorizer

from assessments.models import AssignedBy, Theme
from bench.cases import ratio
from bench.measure import interleaved, ms, query_count
from bench.report import Row
from listening.models import Mention, MentionTheme
from listening.suggestions import stop_words, suggest, uncovered_texts
from planning.models import Channel
from tenancy.access import Access
from tenancy.models import Plan
from tenancy.services import plan_grant

TARGET_RATIO = 2.0
TOPICS = [
    ("Livraison en retard de {n} jours, colis {a}", ["abîmé", "perdu", "ouvert"]),
    ("L'application mobile plante au {a}", ["paiement", "démarrage", "panier"]),
    ("The loyalty card points {a} after my purchase", ["vanished", "expired", "never came"]),
    ("Temps d'attente en caisse {a}", ["interminable", "trop long", "énorme"]),
    ("Great advice from the {a} staff", ["store", "shop", "phone"]),
    ("Prix trop élevés sur les {a}", ["vestes", "chaussures", "sacs"]),
    ("The website search {a}", ["is confusing", "shows nothing", "is slow"]),
    ("Retour en magasin {a}", ["refusé", "compliqué", "sans ticket"]),
]


class _Rollback(Exception):
    pass


def _fill(plan, channels, count: int, start: date, theme) -> None:
    rng = random.Random(19)
    batch = []
    for i in range(count):
        template, words = TOPICS[i % len(TOPICS)]
        batch.append(Mention(plan=plan, channel=rng.choice(channels), mentioned_on=start + timedelta(days=i % 365),
                             text=template.format(n=rng.randint(1, 9), a=rng.choice(words)),
                             author=f"user{rng.randint(0, 20_000)}", author_reach=rng.randint(0, 50_000),
                             sentiment=rng.choice(["negative", "neutral", "positive"])))
        if len(batch) == 5000:
            _save(batch, theme)
            batch = []
    _save(batch, theme)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE listening_mention")


def _save(batch, theme) -> None:
    saved = Mention.objects.bulk_create(batch)
    # A third of them carry a theme (the list shows it; the suggestions read the others).
    MentionTheme.objects.bulk_create([MentionTheme(mention=m, theme=theme, assigned_by=AssignedBy.HAND)
                                      for m in saved[::3]])


RAW_COUNT = ("SELECT COUNT(*) FROM listening_mention WHERE plan_id = %s "
             "AND (UPPER(text::text) LIKE UPPER(%s) OR UPPER(author::text) LIKE UPPER(%s))")
RAW_SEARCH = ("SELECT id, mentioned_on, text, author FROM listening_mention WHERE plan_id = %s "
              "AND (UPPER(text::text) LIKE UPPER(%s) OR UPPER(author::text) LIKE UPPER(%s)) "
              "ORDER BY mentioned_on DESC, id DESC LIMIT 50")


def _list_rows(ctx, small, large, large_count) -> list[Row]:
    client = ctx.client()
    small_url, large_url = f"/plans/{small.pk}/listening/mentions/", f"/plans/{large.pk}/listening/mentions/"

    def get(url, **params):
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        return response

    runs = ctx.runs if ctx.ci else max(3, ctx.runs // 3)
    timings = interleaved({"small": lambda: get(small_url), "large": lambda: get(large_url)}, runs=runs)
    queries, small_queries = query_count(lambda: get(large_url))[0], query_count(lambda: get(small_url))[0]
    growth = ratio(timings["large"].p50, timings["small"].p50)

    def raw_search():  # what the page needs: how many match, and the first 50
        with connection.cursor() as cursor:
            cursor.execute(RAW_COUNT, [large.pk, "%attente%", "%attente%"])
            cursor.execute(RAW_SEARCH, [large.pk, "%attente%", "%attente%"])
            return cursor.fetchall()

    searched = interleaved({"page": lambda: get(large_url, q="attente"), "raw": raw_search}, runs=runs)
    search_ratio = ratio(searched["page"].p50, searched["raw"].p50)
    return [
        Row(case=f"Mention list page: a plan with {large_count:,} mentions vs one with 500",
            figure=f"{ms(timings['large'].p50)} · {queries} queries", baseline=(
                f"500 mentions: {ms(timings['small'].p50)} · {small_queries} queries"),
            ratio=growth, target="—" if ctx.ci else f"≤ {TARGET_RATIO:g}×; queries constant",
            met=None if ctx.ci else (growth <= TARGET_RATIO and queries == small_queries),
            details={"p50": timings["large"].p50, "baseline_p50": timings["small"].p50, "queries": queries,
                     "queries_small": small_queries}),
        Row(case=f"Mention list page searching “attente” among {large_count:,} mentions",
            figure=ms(searched["page"].p50), baseline=f"raw ILIKE count and page rows: {ms(searched['raw'].p50)}",
            ratio=search_ratio, target="—",
            details={"p50": searched["page"].p50, "baseline_p50": searched["raw"].p50}),
    ]


def _suggestion_rows(ctx, plans: list[tuple[str, Plan]]) -> list[Row]:
    rows = []
    runs = 2 if ctx.ci else 3
    for label, plan in plans:
        texts = uncovered_texts(plan)
        words = sorted(stop_words())

        def weigh(texts=texts, words=words):
            return TfidfVectorizer(stop_words=words, ngram_range=(1, 2), min_df=2, max_df=0.5,
                                   max_features=5000).fit_transform(texts)

        timings = interleaved({"suggest": lambda texts=texts: suggest(texts), "tfidf": weigh}, runs=runs)
        found = suggest(texts)
        rows.append(Row(
            case=f"Theme suggestions of a plan with {label} ({len(texts):,} uncovered texts read)",
            figure=f"{ms(timings['suggest'].p50)} · {len(found)} suggestions",
            baseline=f"TF-IDF alone: {ms(timings['tfidf'].p50)}",
            ratio=ratio(timings["suggest"].p50, timings["tfidf"].p50), target="—",
            details={"p50": timings["suggest"].p50, "baseline_p50": timings["tfidf"].p50, "texts": len(texts),
                     "suggestions": [s.keyword for s in found]}))
    return rows


def run(ctx) -> list[Row]:
    source = Plan.objects.get(pk=ctx.org["plan"])
    large_count = 5_000 if ctx.ci else 200_000
    rows = []
    try:
        with transaction.atomic():
            channels = list(Channel.objects.filter(organisation_id=source.organisation_id)[:4])
            theme = Theme.objects.create(organisation_id=source.organisation_id, name="Bench mentions theme")
            small = Plan.objects.create(organisation_id=source.organisation_id, name="Bench mentions, small")
            large = Plan.objects.create(organisation_id=source.organisation_id, name="Bench mentions, large")
            for plan in (small, large):
                plan_grant(plan=plan, actor=None, user=ctx.member(), access=Access.EDIT)
            _fill(small, channels, 500, date(2025, 1, 1), theme)
            _fill(large, channels, large_count, date(2025, 1, 1), theme)
            rows += _list_rows(ctx, small, large, large_count)
            rows += _suggestion_rows(ctx, [("500 mentions", small), (f"{large_count:,} mentions", large)])
            raise _Rollback
    except _Rollback:
        pass
    return rows
