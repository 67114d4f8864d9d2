"""Two writers create, update and delete 1,000 touchpoints while a client pages through the changes feed: the
client sees every change exactly once, each object's in the order they were made, deletions included
(PostgreSQL, real concurrent transactions; the writers take no lock for the feed's sake)."""

import itertools
import threading
import time

from django.db import connection, transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from planning import services
from planning.models import Touchpoint
from tenancy.activity import tracked_create, tracked_delete, tracked_update
from tenancy.models import Activity
from tests.support import postgres_in_use, require

OBJECTS = int(__import__("os").environ.get("FEED_TEST_OBJECTS", 1000))
WRITERS = 2


def _write(worker: int, stages, channel, actor, errors: list) -> None:
    try:
        with connection.cursor() as cursor:
            # Commits stop waiting for the disk flush (this machine's fsync is slow): visibility and the order of
            # commits, which the test is about, are unchanged; only durability after a crash is not what it was.
            cursor.execute("SET synchronous_commit TO off")
        for i in range(OBJECTS // WRITERS):
            # The tracked writes themselves (what every service ends in), each in its own transaction; the
            # services' permission checks would only make the test slower.
            stage = stages[i % len(stages)]
            with transaction.atomic():
                touchpoint = tracked_create(Touchpoint(plan=stage.plan, journey=stage.journey, stage=stage,
                                                       channel=channel, name=f"w{worker}-{i}", position=i),
                                            actor=actor)
            with transaction.atomic():
                tracked_update(touchpoint, actor=actor, changes={"name": f"w{worker}-{i} (edited)"})
            with transaction.atomic():
                tracked_delete(touchpoint, actor=actor)
    except Exception as error:  # reported by the test, not lost in the thread
        errors.append(error)
    finally:
        connection.close()


def test_a_client_paging_during_concurrent_writes_sees_every_change_once_in_order(transactional_db, org, people,
                                                                                    plan):
    require(postgres_in_use(), "needs PostgreSQL: concurrent transactions commit out of id order only there "
                               "(run with DATABASE_URL=postgres://...)")
    editor = people["editor"]
    channel = services.channel_create(organisation=org, actor=people["owner"], name="Website", kind="online")
    journey = services.journey_create(plan=plan, actor=editor, name="Purchase", template="lifecycle")
    stages = list(journey.stages.order_by("position"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")

    seen, pages_during_writes, errors = [], 0, []
    writers = [threading.Thread(target=_write, args=(n, stages, channel, editor, errors)) for n in range(WRITERS)]
    for writer in writers:
        writer.start()
    cursor = None
    while True:
        writing = any(writer.is_alive() for writer in writers)
        page = api.get("/api/v1/changes/", {"page_size": 50, **({"cursor": cursor} if cursor else {})}).data
        seen += page["results"]
        cursor = page["next"]
        pages_during_writes += writing
        if not writing and not page["has_more"]:
            break  # the writers had finished before this page was read, and it was the last one
        if not page["has_more"]:
            time.sleep(0.05)  # caught up: poll again a little later, as a client would
    for writer in writers:
        writer.join()

    assert errors == []
    assert pages_during_writes > 10, "the client should have paged while the writers were writing"
    ids = [entry["change"] for entry in seen]
    assert len(ids) == len(set(ids)), "every change once"
    expected = list(Activity.objects.filter(organisation=org, verb__in=["created", "updated", "deleted"])
                    .order_by("transaction", "id").values_list("id", flat=True))
    assert ids == expected, "in the order of the transactions that wrote them"
    out_of_id_order = sum(later < earlier for earlier, later in itertools.pairwise(ids))
    print(f"changes committed out of id order and still delivered: {out_of_id_order}")
    touchpoints = [entry for entry in seen if entry["type"] == "touchpoint"]
    assert len(touchpoints) == 3 * OBJECTS
    history = {}
    for entry in touchpoints:
        history.setdefault(entry["id"], []).append(entry["verb"])
    assert len(history) == OBJECTS
    assert all(verbs == ["created", "updated", "deleted"] for verbs in history.values())
    assert all(entry["object"]["id"] == entry["id"] for entry in touchpoints)
    assert all(entry["object"] == {"id": entry["id"], "deleted": True}
               for entry in touchpoints if entry["verb"] == "deleted")


def test_a_write_waits_for_no_other_and_the_feed_holds_back_what_an_open_transaction_could_precede(
        transactional_db, org, people, plan):
    require(postgres_in_use(), "needs PostgreSQL: transaction ids and concurrent transactions")
    editor = people["editor"]
    channel = services.channel_create(organisation=org, actor=people["owner"], name="Website", kind="online")
    journey = services.journey_create(plan=plan, actor=editor, name="Purchase", template="lifecycle")
    stage = journey.stages.order_by("position").first()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    _seen, cursor = [], None
    while True:  # catch up with what the fixtures wrote
        page = api.get("/api/v1/changes/", {"page_size": 1000, **({"cursor": cursor} if cursor else {})}).data
        cursor = page["next"]
        if not page["has_more"]:
            break
    written, release, errors = threading.Event(), threading.Event(), []

    def slow_writer():  # writes first (the lower transaction and row ids), commits last
        try:
            with transaction.atomic():
                tracked_create(Touchpoint(plan=plan, journey=journey, stage=stage, channel=channel, name="slow",
                                          position=1), actor=editor)
                written.set()
                release.wait(timeout=30)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert written.wait(timeout=30)
    started = time.monotonic()
    with transaction.atomic():  # not queued behind the open transaction of the same organisation
        tracked_create(Touchpoint(plan=plan, journey=journey, stage=stage, channel=channel, name="fast", position=2),
                       actor=editor)
    assert time.monotonic() - started < 5
    held = api.get("/api/v1/changes/", {"cursor": cursor}).data
    assert held["results"] == [], "the fast change must wait until the slow transaction, which precedes it, ends"
    release.set()
    thread.join(timeout=30)
    assert errors == []
    names = [entry["object"]["name"] for entry in api.get("/api/v1/changes/", {"cursor": held["next"]}).data["results"]]
    assert names == ["slow", "fast"]
