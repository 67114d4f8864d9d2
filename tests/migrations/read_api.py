"""Sign in as each user and read the API of a migrated database; print what was seen as JSON on stdout.

Run by test_move_keeps_data.py in a subprocess, with DATABASE_URL naming the migrated database:

    python tests/migrations/read_api.py --plan 1 --password journey-demo --users owner viewer --read-only viewer

It reaches the project only through URLs and django.apps, never by importing our modules, so it reads the same
before and after models move between apps. For each user: the sign-in status (POST /api/v1/auth/token/), the
plan's detail status, the number of rows every list endpoint returns (all pages walked, so every row goes
through its serializer) and, for the --read-only users, the status of a PATCH of the plan. Beside them: the
migrations still unapplied, the models of the project's own apps and every model label, for the content-type
and activity checks.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
API = "/api/v1"
PAGE = "page_size=500"
# name -> path; {plan} is the demo plan's id. Lists under a plan are filtered by it.
ENDPOINTS = {
    "organisations": f"{API}/organisations/",
    "memberships": f"{API}/memberships/",
    "teams": f"{API}/teams/",
    "plans": f"{API}/plans/",
    "channels": f"{API}/channels/",
    "personas": f"{API}/personas/?plan={{plan}}",
    "stakeholders": f"{API}/stakeholders/?plan={{plan}}",
    "journeys": f"{API}/journeys/?plan={{plan}}",
    "stages": f"{API}/stages/?plan={{plan}}",
    "touchpoints": f"{API}/touchpoints/?plan={{plan}}",
    "touchpoint-evaluations": f"{API}/touchpoint-evaluations/?plan={{plan}}",
    "touchpoint-data-items": f"{API}/touchpoint-data-items/?plan={{plan}}",
    "touchpoint-agreements": f"{API}/touchpoint-agreements/?plan={{plan}}",
    "feedback-responses": f"{API}/feedback-responses/?plan={{plan}}",
    "maturity-assessments": f"{API}/maturity-assessments/?plan={{plan}}",
    "audit-items": f"{API}/audit-items/?plan={{plan}}",
    "roadmap-items": f"{API}/roadmap-items/?plan={{plan}}",
    "scoring-criteria": f"{API}/scoring-criteria/?plan={{plan}}",
    "exports": f"{API}/plans/{{plan}}/exports/",
    "comments": f"{API}/comments/?plan={{plan}}",
    "activity": f"{API}/plans/{{plan}}/activity/",
    "api-tokens": f"{API}/api-tokens/",
    "webhook-subscriptions": f"{API}/webhook-subscriptions/",
}
PLAN_DETAIL = f"{API}/plans/{{plan}}/"
DELIVERIES = f"{API}/webhook-subscriptions/{{subscription}}/deliveries/"
CHANGES = f"{API}/changes/"
SIGN_IN = f"{API}/auth/token/"


def list_rows(client, path: str) -> tuple[int, list | None]:
    """(status, every row of every page) of a paginated list; (status, None) if it did not answer 200."""
    rows, url = [], path + ("&" if "?" in path else "?") + PAGE
    while url:
        answer = client.get(url)
        if answer.status_code != 200:
            return answer.status_code, None
        body = answer.json()
        rows += body["results"]
        url = body["next"]
    return 200, rows


def feed_rows(client) -> tuple[int, list | None]:
    """(status, every entry) of the changes feed, walked cursor by cursor."""
    rows, cursor = [], ""
    while True:
        answer = client.get(CHANGES, {"page_size": 1000, **({"cursor": cursor} if cursor else {})})
        if answer.status_code != 200:
            return answer.status_code, None
        body = answer.json()
        rows += body["results"]
        if not body["has_more"]:
            return 200, rows
        cursor = body["next"]


def read_as(username: str, password: str, plan: int, read_only: bool) -> dict:
    from rest_framework.test import APIClient

    client = APIClient()
    signed_in = client.post(SIGN_IN, {"username": username, "password": password}, format="json")
    seen = {"sign_in": signed_in.status_code, "statuses": {}, "counts": {}}
    if signed_in.status_code != 200:
        return seen
    client.credentials(HTTP_AUTHORIZATION=f"Token {signed_in.json()['token']}")
    for name, path in ENDPOINTS.items():
        status, rows = list_rows(client, path.format(plan=plan))
        seen["statuses"][name], seen["counts"][name] = status, None if rows is None else len(rows)
        if name == "webhook-subscriptions" and rows is not None:
            deliveries = [list_rows(client, DELIVERIES.format(subscription=row["id"])) for row in rows]
            seen["statuses"]["webhook-deliveries"] = max((status for status, _rows in deliveries), default=200)
            seen["counts"]["webhook-deliveries"] = sum(len(rows or ()) for _status, rows in deliveries)
    status, entries = feed_rows(client)
    seen["statuses"]["changes"], seen["counts"]["changes"] = status, None if entries is None else len(entries)
    detail = client.get(PLAN_DETAIL.format(plan=plan))
    seen["plan"] = detail.status_code
    if read_only and detail.status_code == 200:
        before = detail.json()
        attempt = client.patch(PLAN_DETAIL.format(plan=plan), {"description": "Changed by someone who may not."},
                               format="json", HTTP_IF_MATCH=detail.headers.get("ETag", ""))
        seen["write"] = attempt.status_code
        seen["plan_unchanged"] = client.get(PLAN_DETAIL.format(plan=plan)).json() == before
    return seen


def unapplied_migrations() -> list[str]:
    """What `manage.py migrate --check` would refuse: the migrations not applied yet."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def models_report() -> dict:
    """The models that should have a content type (the project's own apps), and every model label."""
    from django.apps import apps

    ours = [app for app in apps.get_app_configs()
            if Path(app.path).resolve().is_relative_to(ROOT) and ".venv" not in Path(app.path).parts]
    return {
        "ours": sorted([model._meta.app_label, model._meta.model_name] for app in ours for model in app.get_models()),
        "our_apps": sorted(app.label for app in ours),
        "all_labels": sorted(model._meta.label_lower for model in apps.get_models(include_auto_created=True)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", type=int, required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--users", nargs="+", required=True)
    parser.add_argument("--read-only", nargs="*", default=[], help="users whose PATCH of the plan must be refused")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    report = {
        "unapplied": unapplied_migrations(),
        "models": models_report(),
        "users": {user: read_as(user, args.password, args.plan, user in args.read_only) for user in args.users},
    }
    json.dump(report, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
