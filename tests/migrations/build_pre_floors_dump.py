"""Build `pre_floors_seed.sql`: the demo data of `seed_demo`, plus a row in every table it leaves empty.

Ran once at commit 3e6020d, before the floors move; kept to show how the dump was made. It imports the code of
that layout (planning.services, core.tokens, core.webhooks…), so after the move it does not run as it is: check
out 3e6020d to run it again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python tests/migrations/build_pre_floors_dump.py

Only the server of DATABASE_URL is used: the script creates its own database (journeys_dump_<pid>), runs
`manage.py migrate` and `manage.py seed_demo` in it, then adds through the project's services (and a few API
calls, one with an Idempotency-Key) what the demo lacks: comments with mentions and notifications, a voting
session with votes, a workshop timer, invitations (accepted and pending, with teams), a plan grant to a person, a
stage template, a data capture item, an agreed value, a scoring criterion and method, an export, an API token, an
auth token, a session, an idempotency record, a webhook subscription and its deliveries. It checks that every
table has rows (but the few Django and guardian tables the project never fills), prints the row counts, writes
the dump with `pg_dump --no-owner --no-privileges` and drops the database.

The settings are config.settings.test, so the dump's password hashes are MD5 ones: the migration test signs in
under the same settings. Tasks run in-process (no REDIS_URL); webhook deliveries go to a receiver on 127.0.0.1.
"""

import os
import subprocess
import sys
import tempfile
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
DUMP = Path(__file__).resolve().parent / "pre_floors_seed.sql"
MAX_DUMP_BYTES = 2 * 1024 * 1024
# Tables the project never writes: guardian's generic permission tables (plans use the direct foreign-key ones),
# Django's per-user and per-group permissions, and the admin log.
NATURALLY_EMPTY = {"auth_group_permissions", "core_user_user_permissions", "django_admin_log",
                   "guardian_groupobjectpermission", "guardian_userobjectpermission"}


def database_url(name: str) -> str:
    server = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    if server.scheme not in ("postgres", "postgresql"):
        sys.exit("DATABASE_URL must name a PostgreSQL server.")
    return urlunsplit((server.scheme, server.netloc, f"/{name}", "", ""))


def child_env(url: str, media_root: str) -> dict:
    env = {name: value for name, value in os.environ.items() if name != "REDIS_URL"}
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings.test", DJANGO_MEDIA_ROOT=media_root,
               WEBHOOKS_ALLOW_PRIVATE_TARGETS="true")
    return env


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


class Receiver(BaseHTTPRequestHandler):
    """A webhook endpoint that accepts everything, so the deliveries end as succeeded."""

    def do_POST(self):  # noqa: N802  (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


# What seed_demo lacks ------------------------------------------------------------------------------------------


def fill(receiver_url: str) -> None:
    """Add through the services what seed_demo leaves empty."""
    from django.contrib.auth import get_user_model

    from demo.management.commands.seed_demo import PLAN
    from planning.models import Plan

    users = {user.username: user for user in get_user_model().objects.all()}
    plan = Plan.objects.get(name=PLAN)
    fill_sync(plan, users, receiver_url)  # first: the later writes become webhook deliveries
    fill_tenancy(plan, users)
    fill_catalogue(plan, users)
    fill_workshops(plan, users)
    fill_api_calls(plan)


def fill_sync(plan, users, receiver_url: str) -> None:
    from sync.tokens import api_token_create
    from sync.webhooks.services import subscription_create

    subscription_create(organisation=plan.organisation, actor=users["owner"], url=receiver_url,
                        event_types=["comment.created", "export.finished"], description="Data warehouse")
    api_token_create(organisation=plan.organisation, user=users["admin"], name="Reporting (read only)")


def fill_tenancy(plan, users) -> None:
    from planning.access import Access

    from demo.management.commands.seed_demo import DEMO_PASSWORD
    from planning import services
    from planning.models import Role

    organisation, owner = plan.organisation, users["owner"]
    teams = {team.name: team for team in organisation.teams.all()}
    accepted = services.invitation_create(organisation=organisation, actor=owner, email="paula.santos@nto.example",
                                          role=Role.VIEWER, teams=[teams["Marketing"]])
    paula = services.invitation_signup(invitation=accepted, username="paula", password=DEMO_PASSWORD,
                                       first_name="Paula", last_name="Santos")
    services.plan_grant(plan=plan, actor=owner, user=paula, access=Access.VIEW)  # her only way in (not Marketing)
    services.invitation_create(organisation=organisation, actor=users["admin"], email="new.analyst@nto.example",
                               role=Role.EDITOR, teams=[teams["E-commerce"], teams["Stores"]])


def fill_catalogue(plan, users) -> None:
    from assessments import services as assessments
    from assessments.models import TouchpointEvaluation
    from planning import services
    from roadmaps import services as roadmaps

    owner = users["owner"]
    services.stage_template_save(journey=plan.journeys.order_by("id").first(), actor=owner,
                                 name="Omnichannel purchase")
    evaluation = TouchpointEvaluation.objects.filter(plan=plan).order_by("id").first()
    assessments.data_item_create(evaluation=evaluation, actor=owner, data="Loyalty card number",
                                 source="Point of sale", storage="crm")
    assessments.agreement_set(touchpoint=evaluation.touchpoint, actor=owner, reason="Agreed at the March workshop.",
                              maturity=2, potential_customer=4, potential_brand=3)
    roadmaps.criterion_create(plan=plan, actor=owner, name="Revenue impact", weight=3)
    roadmaps.scoring_method_set(plan=plan, actor=owner, method="custom")
    roadmaps.export_request(plan=plan, actor=users["editor"], format="json")  # built at once: tasks are eager


def fill_workshops(plan, users) -> None:
    from planning.models import Touchpoint
    from planning.services import workshops
    from workshops.services import comments

    owner, editor, viewer = users["owner"], users["editor"], users["viewer"]
    touchpoints = list(Touchpoint.objects.filter(plan=plan).order_by("id")[:3])
    persona = plan.personas.order_by("id").first()
    question = comments.comment_create(plan=plan, actor=owner, target_type="touchpoint", target_id=touchpoints[0].pk,
                                       body="@editor @viewer can the stores confirm the stock in real time?")
    comments.comment_create(plan=plan, actor=editor, target_type="persona", target_id=persona.pk,
                            body="@owner the interviews say she buys online and collects in store.")
    comments.comment_resolve(comment=question, actor=editor)
    comments.notifications_mark_read(user=viewer)
    session = workshops.voting_session_start(plan=plan, actor=owner, votes_per_participant=2,
                                             question="Which touchpoints hurt customers most?")
    for voter, picks in ((owner, touchpoints[:2]), (editor, touchpoints[1:3]), (viewer, touchpoints[:1])):
        for touchpoint in picks:
            workshops.vote_cast(session=session, actor=voter, target_id=touchpoint.pk)
    workshops.voting_session_reveal(session=session, actor=owner)
    workshops.timer_control(plan=plan, actor=owner, action="start", minutes=10)
    workshops.timer_control(plan=plan, actor=owner, action="pause")


def fill_api_calls(plan) -> None:
    """Through the API as a client would: an auth token, a session, and a POST under an Idempotency-Key made
    with an organisation API token (so the record points at both the user and the token)."""
    from django.test import Client
    from rest_framework.test import APIClient

    from demo.management.commands.seed_demo import DEMO_PASSWORD
    from sync.models import ApiTokenScope
    from sync.tokens import api_token_create

    api = APIClient()
    answer = api.post("/api/v1/auth/token/", {"username": "editor", "password": DEMO_PASSWORD}, format="json")
    assert answer.status_code == 200, answer.content
    assert Client().login(username="owner", password=DEMO_PASSWORD)
    owner = plan.organisation.memberships.get(user__username="owner").user
    _token, key = api_token_create(organisation=plan.organisation, user=owner, name="Warehouse sync",
                                   scope=ApiTokenScope.READ_WRITE)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    item = plan.roadmap_items.order_by("id").first()
    answer = api.post("/api/v1/comments/", {"plan": plan.pk, "target_type": "roadmap_item", "target_id": item.pk,
                                            "body": "Synced from the data warehouse: @admin please check."},
                      format="json")
    assert answer.status_code == 201, answer.content


# Checking and dumping ------------------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def check_and_report(counts: dict[str, int]) -> None:
    width = max(map(len, counts))
    for table, count in counts.items():
        note = "  (never written by the project)" if table in NATURALLY_EMPTY else ""
        print(f"{table:<{width}} {count:>6}{note}")
    empty = sorted(table for table, count in counts.items() if not count and table not in NATURALLY_EMPTY)
    if empty:
        sys.exit(f"These tables have no rows: {', '.join(empty)}")


def without_restrict_keys(dump: str) -> str:
    """Drop pg_dump's `\\restrict <random key>` guard lines (new in 15.14/16.10/17.6): a psql older than that
    refuses them, and their random key would change the committed file at every run. The dump is ours."""
    return "".join(line for line in dump.splitlines(keepends=True)
                   if not line.startswith(("\\restrict ", "\\unrestrict ")))


def main() -> None:
    name = f"journeys_dump_{os.getpid()}"
    url = database_url(name)
    admin_url = database_url("postgres")
    subprocess.run(["psql", "-v", "ON_ERROR_STOP=1", "-q", "-d", admin_url, "-c", f'CREATE DATABASE "{name}"'],
                   check=True)
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        with tempfile.TemporaryDirectory() as media_root:
            env = child_env(url, media_root)
            manage("migrate", "--noinput", "-v", "0", env=env)
            manage("seed_demo", env=env)
            os.environ.update(env)
            sys.path.insert(0, str(ROOT))
            import django
            from django.db import connections

            django.setup()
            fill(f"http://127.0.0.1:{receiver.server_address[1]}/hooks/journeys")
            counts = row_counts()
            connections.close_all()
        check_and_report(counts)
        dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", "--dbname", url], check=True,
                              capture_output=True, text=True).stdout
        DUMP.write_text(without_restrict_keys(dump))
        size = DUMP.stat().st_size
        print(f"\n{DUMP.relative_to(ROOT)}: {size / 1024:.0f} KiB")
        if size > MAX_DUMP_BYTES:
            sys.exit("The dump is larger than 2 MiB: keep the fixture small.")
    finally:
        receiver.shutdown()
        subprocess.run(["psql", "-q", "-d", admin_url, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                       check=True)


if __name__ == "__main__":
    main()
