"""The roadmap API's scores and ranks are kept per plan between requests and follow every write that can move
them: an item's inputs, a new or removed item, the scoring method, a custom criterion, rows written in bulk."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmaps import services
from roadmaps.models import RoadmapItem

URL = "/api/v1/roadmap-items/"


def _ranking(api, plan) -> dict[str, tuple]:
    rows = api.get(URL, {"plan": plan.pk}).json()["results"]
    return {row["title"]: (row["rank"], row["score"]["value"]) for row in rows}


def test_the_ranks_follow_every_write(api_for, people, plan):
    api = api_for(people["owner"])
    first = services.roadmap_item_create(plan=plan, actor=None, title="First", value=8, effort=2)
    second = services.roadmap_item_create(plan=plan, actor=None, title="Second", value=3, effort=3)
    assert _ranking(api, plan) == {"First": (1, 4.0), "Second": (2, 1.0)}
    services.roadmap_item_update(item=second, actor=None, value=9, effort=1)
    assert _ranking(api, plan) == {"First": (2, 4.0), "Second": (1, 9.0)}
    services.roadmap_item_create(plan=plan, actor=None, title="Third", value=10, effort=1)
    assert _ranking(api, plan)["Third"] == (1, 10.0)
    RoadmapItem.objects.bulk_create([RoadmapItem(plan=plan, title="Imported", value=10, effort=1,
                                                 board_position=9)])  # an import writes in bulk
    assert _ranking(api, plan)["Imported"][0] in (1, 2) and len(_ranking(api, plan)) == 4
    third = RoadmapItem.objects.get(title="Third")
    services.roadmap_item_delete(item=third, actor=None)
    assert "Third" not in _ranking(api, plan)
    services.scoring_method_set(plan=plan, actor=None, method="custom")
    assert {value for _rank, value in _ranking(api, plan).values()} == {None}  # no criterion yet: no score
    criterion = services.criterion_create(plan=plan, actor=None, name="Reach", weight=2)
    first.refresh_from_db()
    services.roadmap_item_update(item=first, actor=None, criteria_scores={str(criterion.pk): 5})
    assert _ranking(api, plan)["First"] == (1, 10.0)
    services.criterion_update(criterion=criterion, actor=None, weight=3)
    assert _ranking(api, plan)["First"] == (1, 15.0)


def test_a_repeated_page_reads_one_query_for_the_ranks(api_for, people, plan):
    api = api_for(people["owner"])
    for index in range(5):
        services.roadmap_item_create(plan=plan, actor=None, title=f"Item {index}", value=index + 1, effort=1)
    api.get(URL, {"plan": plan.pk})
    with CaptureQueriesContext(connection) as warm:
        api.get(URL, {"plan": plan.pk})
    services.roadmap_item_create(plan=plan, actor=None, title="One more", value=1, effort=1)
    with CaptureQueriesContext(connection) as cold:
        api.get(URL, {"plan": plan.pk})
    assert len(cold) == len(warm) + 3  # the method, the criteria and the items, read again after the write
