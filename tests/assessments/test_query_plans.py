"""Query plans the benchmark (`make bench`) found wanting, kept fixed:

- a plan's feedback, newest first (the API's default order), is read from an index instead of sorting every
  response of the plan (the sort was most of the raw time of a feedback page);
- the lists limited to the visible plans also name the member's organisations, which changes no result but lets
  PostgreSQL see how few rows match (without it, it scanned every tenant's feedback: 5× a plain organisation filter).
"""

import pytest
from django.db import connection

from assessments.models import FeedbackResponse
from assessments.selectors import evaluation_list, feedback_list
from planning.selectors import persona_list, touchpoint_list


def test_feedback_has_an_index_on_plan_date_and_id(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, FeedbackResponse._meta.db_table)
    assert constraints["feedback_plan_responded"]["columns"] == ["plan_id", "responded_on", "id"]


def test_newest_feedback_of_a_plan_needs_no_sort(people, plan):
    if connection.vendor != "sqlite":  # PostgreSQL's planner picks by statistics; SQLite's plan is stable
        return
    queryset = feedback_list(user=people["editor"]).filter(plan=plan)[:100]
    sql, params = queryset.query.sql_with_params()
    assert "ORDER BY" in sql and "DESC" in sql
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [row[-1] for row in cursor.fetchall()]
    assert any("feedback_plan_responded" in step for step in steps), steps
    assert not any("TEMP B-TREE FOR ORDER BY" in step for step in steps), steps


@pytest.mark.parametrize("selector", [feedback_list, evaluation_list, touchpoint_list, persona_list])
def test_visible_rows_are_also_limited_to_the_members_organisations(selector, people, plan, other_plan):
    sql = str(selector(user=people["editor"]).query)
    assert '"planning_plan"."organisation_id" IN (SELECT' in sql.replace("`", '"')
    assert selector(user=people["outsider"]).filter(plan=plan).count() == 0


def test_anonymous_users_see_no_rows(plan):
    from django.contrib.auth.models import AnonymousUser

    assert list(feedback_list(user=AnonymousUser())) == []
    assert list(touchpoint_list(user=AnonymousUser())) == []
