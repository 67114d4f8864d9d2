"""Benchmark: how many changes per second a client can page through on GET /api/v1/changes/.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/journeys .venv/bin/python bench/feed_throughput.py \
        [--changes 20000] [--page-size 500] [--runs 3]

Builds a throw-away database (test_journeys_feed_bench, migrated, dropped at the end) holding one organisation whose
feed has `--changes` changes: touchpoints created, then updated, and some deleted, in the proportions 2:2:1, as
Activity rows inserted in bulk (what the tracked writes would have written; the writes themselves are not what is
measured). Then pages from the start to the end with `page_size`, in-process through the whole Django and DRF
stack (token authentication, throttling, rendering; no network), as an owner (every change visible) and as an
editor (visibility filtered through the plans shared with them). Prints the median of `--runs` full passes:
changes per second, milliseconds and queries per page. Not a test: the numbers depend on the machine.

    ... bench/feed_throughput.py --import-rows 100000 [--runs 3]

measures instead what one history row per response costs a bulk feedback import (assessments.services.
feedback_bulk_create): the import with its per-row history, against the same import recording one summary row
(what it did before), alternating, each rolled back; and how long the part under the organisation's feed lock
(the history rows) takes.
"""
# Our modules are imported inside functions here: this script sets Django up (settings, database) first.


import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def setup() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def build(changes: int):
    """An organisation with `changes` changes in its feed; returns the owner's and the editor's tokens."""
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from planning import services
    from planning.models import Channel, Touchpoint
    from tenancy import services as tenancy_services
    from tenancy.access import Access
    from tenancy.models import Activity, Role
    from tests.factories import OrganisationFactory, PlanFactory, member, team_with

    org = OrganisationFactory(name="Feed bench")
    owner, editor = member(org, Role.OWNER, username="feed-owner"), member(org, Role.EDITOR, username="feed-editor")
    plan = PlanFactory(organisation=org, name="Feed bench plan")
    tenancy_services.plan_grant(plan=plan, actor=None, team=team_with(org, editor), access=Access.EDIT)
    channel = Channel.objects.create(organisation=org, name="Website", kind="online")
    journey = services.journey_create(plan=plan, actor=owner, name="Purchase", template="purchase")
    stages = list(journey.stages.all())
    objects = changes * 2 // 5
    touchpoints = Touchpoint.objects.bulk_create([
        Touchpoint(plan=plan, journey=journey, stage=stages[i % len(stages)], channel=channel, name=f"Touchpoint {i}",
                   customer_action="Looks at the page", company_response="Shows the offer", position=i, version=2)
        for i in range(objects)
    ], batch_size=2000)
    now = timezone.now()

    def row(touchpoint, verb, version):
        return Activity(organisation=org, plan=plan, actor=owner, verb=verb, target_type="planning.touchpoint",
                        target_id=touchpoint.pk, target_repr=touchpoint.name, version=version, created_at=now,
                        changes={"name": [None, touchpoint.name]})

    deleted = touchpoints[: changes - 2 * objects]
    Activity.objects.bulk_create([row(t, "created", 1) for t in touchpoints]
                                 + [row(t, "updated", 2) for t in touchpoints]
                                 + [row(t, "deleted", 2) for t in deleted], batch_size=2000)
    Touchpoint.objects.filter(pk__in=[t.pk for t in deleted]).delete()
    total = Activity.objects.filter(organisation=org, verb__in=["created", "updated", "deleted"]).count()
    return total, Token.objects.create(user=owner).key, Token.objects.create(user=editor).key


def page_through(token: str, page_size: int) -> tuple[int, float, list[float], list[int]]:
    """One client pass from the start: (changes seen, seconds, ms per page, queries per page)."""
    from django.db import connection, reset_queries
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    cursor, seen, page_ms, page_queries = None, 0, [], []
    started = time.perf_counter()
    while True:
        reset_queries()
        before = time.perf_counter()
        response = api.get("/api/v1/changes/", {"page_size": page_size, **({"cursor": cursor} if cursor else {})})
        page_ms.append((time.perf_counter() - before) * 1000)
        page_queries.append(len(connection.queries))
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        seen += len(body["results"])
        cursor = body["next"]
        if not body["has_more"]:
            return seen, time.perf_counter() - started, page_ms, page_queries


def measure_import(rows: int, runs: int) -> None:
    from unittest import mock

    from django.db import transaction

    from assessments import services as assessment_services
    from planning import services
    from planning.models import Channel
    from tenancy.activity import activity_record
    from tenancy.models import Role, Verb
    from tests.factories import OrganisationFactory, PlanFactory, member

    org = OrganisationFactory(name="Import bench")
    owner = member(org, Role.OWNER, username="import-owner")
    plan = PlanFactory(organisation=org, name="Import bench plan")
    channel = Channel.objects.create(organisation=org, name="Website", kind="online")
    journey = services.journey_create(plan=plan, actor=owner, name="Purchase", template="purchase")
    touchpoints = [services.touchpoint_create(stage=stage, channel=channel, actor=owner, name=f"T{i}")
                   for i, stage in enumerate(journey.stages.all())]
    data = [{"touchpoint_id": touchpoints[i % len(touchpoints)].pk, "kind": "nps", "score": i % 11,
             "responded_on": "2027-03-01", "source": "survey", "verbatim": "Fine" if i % 3 else ""}
            for i in range(rows)]
    history = assessment_services._feedback_history
    locked = []

    def timed_history(*args):
        started = time.perf_counter()
        history(*args)
        locked.append(time.perf_counter() - started)

    def summary_only(plan, actor, ids, batch_size):  # the previous behaviour: one row saying how many arrived
        activity_record(actor=actor, instance=plan, verb=Verb.CREATED, changes={"feedback_responses": [0, len(ids)]})

    timings = {"summary row (before)": [], "one row per response (after)": []}
    for _ in range(runs):
        for label, replacement in (("summary row (before)", summary_only),
                                   ("one row per response (after)", timed_history)):
            with mock.patch.object(assessment_services, "_feedback_history", replacement), transaction.atomic():
                started = time.perf_counter()
                assert assessment_services.feedback_bulk_create(plan=plan, actor=owner, rows=data) == rows
                timings[label].append(time.perf_counter() - started)
                transaction.set_rollback(True)
    for label, values in timings.items():
        print(f"{rows} responses, {label}: {statistics.median(values):.2f} s (median of {runs})")
    print(f"  of which history rows, under the feed lock until the commit: {statistics.median(locked):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=20_000)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--import-rows", type=int, default=0, help="measure a bulk feedback import instead")
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.DEBUG = True  # to count queries (reset before each page, so memory stays flat)
    if connection.vendor != "sqlite":  # a database of its own, whatever test databases others are using
        connection.settings_dict["TEST"]["NAME"] = "test_journeys_feed_bench"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        if args.import_rows:
            measure_import(args.import_rows, args.runs)
            return
        print(f"database: {connection.vendor} {name}; building {args.changes} changes…", flush=True)
        total, owner_token, editor_token = build(args.changes)
        for who, token in (("owner", owner_token), ("editor", editor_token)):
            passes = [page_through(token, args.page_size) for _ in range(args.runs)]
            seen = passes[0][0]
            assert all(p[0] == seen == total for p in passes), (seen, total)
            seconds = statistics.median(p[1] for p in passes)
            per_page = statistics.median(ms for p in passes for ms in p[2])
            queries = max(q for p in passes for q in p[3])
            print(f"{who:>6}: {seen} changes, page_size {args.page_size}: {seconds:.2f} s per pass "
                  f"(median of {args.runs}) = {seen / seconds:,.0f} changes/s; {per_page:.0f} ms and at most "
                  f"{queries} queries per page")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
