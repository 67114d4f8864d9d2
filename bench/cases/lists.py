"""API list endpoints, a page of 100 of one plan's rows, through the test client as a signed-in member, against the
floor: the same page read with raw SQL (the count, the rows' own columns, and one query per many-to-many or nested
list the API returns) turned into JSON by orjson. The query count is taken at 10 and at 100 rows a page: it must
not grow with the rows (no N+1)."""

from dataclasses import dataclass, field

import orjson
from django.apps import apps
from django.db import connection
from django.urls import NoReverseMatch, reverse

from bench.cases import ratio
from bench.measure import interleaved, ms, query_count
from bench.report import Row, unavailable

TARGET_RATIO = 6.0
PAGE = 100


@dataclass
class Endpoint:
    name: str
    url_name: str
    model: str
    order: str  # ORDER BY of the API's default order, over the table aliased `t`
    joins: str = ""
    many: tuple = ()  # many-to-many fields the API lists as ids
    nested: dict = field(default_factory=dict)  # name -> (model, foreign key column, columns, order)


ENDPOINTS = [
    Endpoint("personas", "persona-list", "planning.Persona", "t.plan_id, t.name, t.id", many=("preferred_channels",)),
    Endpoint("touchpoints", "touchpoint-list", "planning.Touchpoint",
             "t.journey_id, s.position, t.channel_id, t.position, t.id",
             joins="JOIN planning_stage s ON s.id = t.stage_id"),
    Endpoint("touchpoint-evaluations", "touchpoint-evaluation-list", "assessments.TouchpointEvaluation",
             "t.touchpoint_id, tm.name, t.id", joins="JOIN planning_team tm ON tm.id = t.team_id",
             nested={"data_items": ("assessments.DataCaptureItem", "evaluation_id",
                                    "id, data, source, storage, completeness, accessibility, position",
                                    "position, id")}),
    Endpoint("feedback-responses", "feedback-response-list", "assessments.FeedbackResponse",
             "t.responded_on DESC, t.id DESC"),
    Endpoint("roadmap-items", "roadmap-item-list", "roadmaps.RoadmapItem", "t.plan_id, t.id",
             many=("teams", "touchpoints", "objectives", "audit_gaps", "dependencies")),
]


def raw_page(endpoint: Endpoint, plan_id: int, size: int) -> bytes:
    """The floor: the same page as the API, by hand."""
    model = apps.get_model(endpoint.model)
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} t WHERE t.plan_id = %s", [plan_id])
        count = cursor.fetchone()[0]
        cursor.execute(f"SELECT {', '.join('t.' + c for c in columns)} FROM {table} t {endpoint.joins} "
                       f"WHERE t.plan_id = %s ORDER BY {endpoint.order} LIMIT %s", [plan_id, size])
        rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
        ids = [row["id"] for row in rows]
        marks = ", ".join(["%s"] * len(ids)) or "NULL"
        for name in endpoint.many:
            m2m = model._meta.get_field(name)
            through = m2m.remote_field.through._meta.db_table
            cursor.execute(f"SELECT {m2m.m2m_column_name()}, {m2m.m2m_reverse_name()} FROM {through} "
                           f"WHERE {m2m.m2m_column_name()} IN ({marks})", ids)
            linked: dict[int, list] = {}
            for source, target in cursor.fetchall():
                linked.setdefault(source, []).append(target)
            for row in rows:
                row[name] = linked.get(row["id"], [])
        for name, (nested_model, key, nested_columns, order) in endpoint.nested.items():
            nested_table = apps.get_model(nested_model)._meta.db_table
            cursor.execute(f"SELECT {key}, {nested_columns} FROM {nested_table} WHERE {key} IN ({marks}) "
                           f"ORDER BY {order}", ids)
            names = [c.strip() for c in nested_columns.split(",")]
            children: dict[int, list] = {}
            for values in cursor.fetchall():
                children.setdefault(values[0], []).append(dict(zip(names, values[1:], strict=True)))
            for row in rows:
                row[name] = children.get(row["id"], [])
    return orjson.dumps({"count": count, "next": None, "previous": None, "results": rows}, default=str)


def run(ctx) -> list[Row]:
    rows = []
    client = ctx.client()
    plan_id = ctx.org["plan"]
    for endpoint in ENDPOINTS:
        case = f"API list /{endpoint.name}/, page of {PAGE}"
        try:
            url = reverse(endpoint.url_name)
        except NoReverseMatch:
            rows.append(unavailable(case, "endpoint not registered", f"≤ {TARGET_RATIO:g}×; queries constant"))
            continue
        rows.append(_measure(ctx, client, endpoint, url, plan_id, case))
    return rows


def _measure(ctx, client, endpoint: Endpoint, url: str, plan_id: int, case: str) -> Row:
    def api(size=PAGE):
        response = client.get(url, {"plan": plan_id, "page_size": size})
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return response

    api_ids = [row["id"] for row in api().json()["results"]]
    raw_ids = [row["id"] for row in orjson.loads(raw_page(endpoint, plan_id, PAGE))["results"]]
    assert api_ids == raw_ids, f"{endpoint.name}: the raw floor does not read the API's rows"
    timings = interleaved({"api": api, "raw": lambda: raw_page(endpoint, plan_id, PAGE)}, runs=ctx.runs)
    small, _ = query_count(lambda: api(10))
    large, _ = query_count(api)
    constant = small == large
    value = ratio(timings["api"].p50, timings["raw"].p50)
    met = value is not None and value <= TARGET_RATIO and constant
    if not met:
        ctx.explain_miss(case, api)
    return Row(
        case=case,
        figure=(f"{ms(timings['api'].p50)} · p95 {ms(timings['api'].p95)} · {large} queries "
                f"({small} at 10 rows) · {len(api_ids)} rows"),
        baseline=f"raw SQL + orjson: {ms(timings['raw'].p50)} · p95 {ms(timings['raw'].p95)}",
        ratio=value, target=f"≤ {TARGET_RATIO:g}×; queries constant", met=met,
        details={"p50": timings["api"].p50, "p95": timings["api"].p95, "baseline_p50": timings["raw"].p50,
                 "baseline_p95": timings["raw"].p95, "queries": large, "queries_at_10": small,
                 "rows": len(api_ids)},
    )
