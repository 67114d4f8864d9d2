"""Migrating a database filled before the floors move keeps every row, reachable through the API.

`pre_floors_seed.sql` is the demo data of commit 3e6020d (seed_demo, plus a row in every table it leaves empty;
see build_pre_floors_dump.py). The test loads it into a database of its own on the server of DATABASE_URL (not
pytest-django's test database), counts the rows of every table, runs `manage.py migrate`, then checks that:
- every table is still there with exactly as many rows (models move between apps, tables keep their names);
- no migration is left unapplied;
- every demo user signs in with the old password, and the API returns, for the owner, as many rows of each
  resource as the database holds; the editor (a team grant), the viewer (a team grant) and paula (a personal
  grant) reach the plan, and the read-only ones are refused a write (403);
- each model of our apps has exactly one content type and no content type names a model that is gone (so the
  move renamed content types rather than creating new ones), and every activity row names an existing model.

PostgreSQL only: skipped when DATABASE_URL is not PostgreSQL, failed instead in CI (CI=true).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.support import require

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DUMP = HERE / "pre_floors_seed.sql"
PASSWORD = "journey-demo"  # seed_demo's DEMO_PASSWORD; paula was invited with the same one
USERS = ["owner", "admin", "editor", "viewer", "paula"]
READ_ONLY = ["viewer", "paula"]
PLAN_NAME = "Omnichannel customer journey 2027"
# Tables that grow by design when migrating forward: the migrations applied, and the content type and four default
# permissions of each model added after the dump (each model's content type is checked below).
GROWING = {"django_migrations", "django_content_type", "auth_permission"}

# What the owner (who sees all of the organisation) must read through each endpoint of read_api.py: SQL over the
# tables, whose names the move keeps. %(plan)s and %(organisation)s are the demo plan and its organisation.
EXPECTED_SQL = {
    "organisations": "SELECT count(*) FROM planning_organisation",
    "memberships": "SELECT count(*) FROM planning_membership WHERE organisation_id = %(organisation)s",
    "teams": "SELECT count(*) FROM planning_team WHERE organisation_id = %(organisation)s",
    "plans": "SELECT count(*) FROM planning_plan WHERE organisation_id = %(organisation)s",
    "channels": "SELECT count(*) FROM planning_channel WHERE organisation_id = %(organisation)s",
    **{name: f"SELECT count(*) FROM {table} WHERE plan_id = %(plan)s" for name, table in {
        "personas": "planning_persona",
        "stakeholders": "planning_stakeholder",
        "journeys": "planning_journey",
        "stages": "planning_stage",
        "touchpoints": "planning_touchpoint",
        "touchpoint-evaluations": "assessments_touchpointevaluation",
        "touchpoint-data-items": "assessments_datacaptureitem",
        "touchpoint-agreements": "assessments_touchpointagreement",
        "feedback-responses": "assessments_feedbackresponse",
        "maturity-assessments": "assessments_maturityassessment",
        "audit-items": "assessments_audititem",
        "roadmap-items": "roadmaps_roadmapitem",
        "scoring-criteria": "roadmaps_scoringcriterion",
        "exports": "roadmaps_export",
        "comments": "planning_comment",
        "activity": "planning_activity",
    }.items()},
    "api-tokens": "SELECT count(*) FROM core_apitoken WHERE organisation_id = %(organisation)s",
    "webhook-subscriptions": "SELECT count(*) FROM webhooks_webhooksubscription "
                             "WHERE organisation_id = %(organisation)s",
    "webhook-deliveries": "SELECT count(*) FROM webhooks_webhookdelivery d JOIN webhooks_webhooksubscription s "
                          "ON s.id = d.subscription_id WHERE s.organisation_id = %(organisation)s",
    "changes": "SELECT count(*) FROM planning_activity WHERE organisation_id = %(organisation)s "
               "AND verb IN ('created', 'updated', 'deleted')",  # the feed leaves out refused writes
}
# The plan's own resources: whoever reaches the plan reads all of them.
PLAN_RESOURCES = ["personas", "journeys", "stages", "touchpoints", "touchpoint-evaluations", "feedback-responses",
                  "roadmap-items", "comments", "activity"]


def server_url() -> str | None:
    """DATABASE_URL if it names a PostgreSQL server, else None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if urlsplit(url).scheme in ("postgres", "postgresql") else None


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=5)


def server_answers(url: str) -> bool:
    import psycopg

    try:
        connect(with_database(url, "postgres")).close()
    except psycopg.Error:
        return False
    return True


def row_counts(url: str) -> dict[str, int]:
    with connect(url) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def query(url: str, sql: str, params=None) -> list[tuple]:
    with connect(url) as connection:
        return connection.execute(sql, params).fetchall()


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode:
        pytest.fail(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}", pytrace=False)
    return done


@pytest.fixture(scope="module")
def moved():
    """Load the dump into a fresh database, count, migrate, count again and read the API; drop it at the end."""
    url = server_url()
    require(url is not None, "Needs DATABASE_URL naming a PostgreSQL server: the dump is PostgreSQL's")
    require(shutil.which("psql") is not None, "Needs psql on PATH to load the dump")
    server = urlsplit(url)
    require(server_answers(url), f"The PostgreSQL server at {server.hostname}:{server.port} does not answer")
    name = f"journeys_move_{os.getpid()}"
    database = with_database(url, name)
    maintenance = connect(with_database(url, "postgres"))
    try:
        maintenance.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # left by a killed run of this pid
        maintenance.execute(f'CREATE DATABASE "{name}"')
        env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}  # nothing here needs Redis
        env.update(DATABASE_URL=database, DJANGO_SETTINGS_MODULE="config.settings.test")
        run(["psql", "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", database, "-f", str(DUMP)], env)
        before = row_counts(database)
        run([sys.executable, "manage.py", "migrate", "--noinput"], env)
        after = row_counts(database)
        plan, organisation = query(database, "SELECT id, organisation_id FROM planning_plan WHERE name = %s",
                                   [PLAN_NAME])[0]
        ids = {"plan": plan, "organisation": organisation}
        expected = {endpoint: query(database, sql, ids)[0][0] for endpoint, sql in EXPECTED_SQL.items()}
        read = run([sys.executable, str(HERE / "read_api.py"), "--plan", str(plan), "--password", PASSWORD,
                    "--users", *USERS, "--read-only", *READ_ONLY], env)
        yield {
            "before": before, "after": after, "expected": expected, "api": json.loads(read.stdout),
            "content_types": query(database, "SELECT app_label, model FROM django_content_type"),
            "activity_types": [row[0] for row in query(database, "SELECT DISTINCT target_type FROM planning_activity")],
        }
    finally:
        maintenance.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        maintenance.close()


def test_every_table_keeps_exactly_its_rows(moved):
    """New tables may appear; django_migrations grows; nothing else changes."""
    before, after = moved["before"], moved["after"]
    missing = sorted(set(before) - set(after))
    assert not missing, f"Tables gone after migrating (were they renamed? tables must keep their names): {missing}"
    changed = {table: (count, after[table]) for table, count in before.items()
               if table not in GROWING and after[table] != count}
    assert not changed, f"Row counts changed by the migration (before, after): {changed}"
    assert all(after[table] >= before[table] for table in GROWING)
    new_models = after["django_content_type"] - before["django_content_type"]
    # Four default permissions per new model, plus the custom ones added since (Meta.permissions).
    custom = {"comment_plan"}  # tenancy.Plan: the commenter's grant (issue 19)
    assert after["auth_permission"] - before["auth_permission"] == 4 * new_models + len(custom)


def test_no_migration_is_left_unapplied(moved):
    assert moved["api"]["unapplied"] == []


def test_every_demo_user_signs_in_with_the_old_password(moved):
    signed_in = {user: seen["sign_in"] for user, seen in moved["api"]["users"].items()}
    assert signed_in == dict.fromkeys(USERS, 200)


def test_the_owner_reads_every_row_through_the_api(moved):
    owner, expected = moved["api"]["users"]["owner"], moved["expected"]
    assert {name: status for name, status in owner["statuses"].items() if status != 200} == {}
    assert owner["counts"] == expected
    assert all(expected.values()), f"The dump should give every endpoint rows to read: {expected}"


def test_the_admin_reads_the_same_as_the_owner(moved):
    users = moved["api"]["users"]
    assert users["admin"]["counts"] == users["owner"]["counts"]


@pytest.mark.parametrize("user", ["editor", "viewer", "paula"])
def test_plan_grants_survive_for_teams_and_people(moved, user):
    """editor: the Customer service team's edit grant; viewer: the Sales team's view grant; paula: her own."""
    seen, owner = moved["api"]["users"][user], moved["api"]["users"]["owner"]
    assert seen["plan"] == 200
    assert seen["counts"]["plans"] == 1
    plan_rows = {name: seen["counts"][name] for name in PLAN_RESOURCES}
    assert plan_rows == {name: owner["counts"][name] for name in PLAN_RESOURCES}


@pytest.mark.parametrize("user", READ_ONLY)
def test_read_only_people_cannot_write_the_plan(moved, user):
    seen = moved["api"]["users"][user]
    assert seen["plan"] == 200, "they should at least read the plan"
    assert seen["write"] == 403
    assert seen["plan_unchanged"] is True


def test_each_model_of_ours_has_exactly_one_content_type(moved):
    models = moved["api"]["models"]
    rows = [tuple(row) for row in moved["content_types"]]
    ours = {tuple(model) for model in models["ours"]}
    counts = {model: rows.count(model) for model in ours}
    assert {model: count for model, count in counts.items() if count != 1} == {}
    assert {"core", "planning", "assessments", "roadmaps"} <= set(models["our_apps"])  # found by path, not by name


def test_no_content_type_names_a_model_that_is_gone(moved):
    labels = set(moved["api"]["models"]["all_labels"])
    stale = sorted(f"{app}.{model}" for app, model in moved["content_types"] if f"{app}.{model}" not in labels)
    assert stale == [], ("Stale content types: the move's migrations must rename them (permissions, and so the "
                         "guardian grants, hang on their ids)")


def test_activity_history_names_existing_models(moved):
    """Activity.target_type holds model labels ("planning.comment"): a moved model's rows must be relabelled, or the
    history and the changes feed lose track of them."""
    labels = set(moved["api"]["models"]["all_labels"])
    assert sorted(set(moved["activity_types"]) - labels) == []
