"""The plan's ranking the roadmap board, timeline and matrix read (roadmaps.ranking) is kept per plan and follows
every write: an item created, changed, moved to another column, ranked by hand or deleted, a criterion added or
reweighted, the method changed, rows written in bulk. It always equals the ranking the ranked list computes afresh
from the items (roadmaps.selectors.scored_roadmap); while nothing changes, one query reads it. (The API's use of it:
test_ranking_cache.py.)"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmaps import ranking, selectors, services
from roadmaps.models import RoadmapItem


def _ranking(plan) -> list[tuple]:
    """The cached ranking, checked against scored_roadmap on the same rows."""
    cached = ranking.plan_ranking(plan)
    fresh = selectors.scored_roadmap(plan=plan, items=RoadmapItem.objects.filter(plan=plan))
    assert [(pk, horizon, score.value) for pk, horizon, score in cached.entries] == [
        (item.pk, item.horizon, score.value) for item, score in fresh["ranked"]]
    assert cached.method == fresh["method"]
    return [(RoadmapItem.objects.get(pk=pk).title, horizon) for pk, horizon, _score in cached.entries]


def test_the_cached_ranking_follows_every_write(plan):
    crm = services.roadmap_item_create(plan=plan, actor=None, title="CRM", value=9, effort=3)
    app = services.roadmap_item_create(plan=plan, actor=None, title="App", value=4, effort=4)
    assert [title for title, _h in _ranking(plan)] == ["CRM", "App"]
    app = services.roadmap_item_update(item=app, actor=None, value=10, effort=1)
    assert [title for title, _h in _ranking(plan)] == ["App", "CRM"]
    services.roadmap_item_move(item=crm, actor=None, horizon="now")
    assert dict(_ranking(plan))["CRM"] == "now"
    crm.refresh_from_db()
    services.roadmap_item_update(item=crm, actor=None, manual_rank=1, manual_rank_reason="The board decided")
    assert [title for title, _h in _ranking(plan)] == ["CRM", "App"]
    services.scoring_method_set(plan=plan, actor=None, method="custom")
    criterion = services.criterion_create(plan=plan, actor=None, name="Reach", weight=2)
    _ranking(plan)
    services.criterion_update(criterion=criterion, actor=None, weight=5)
    _ranking(plan)
    RoadmapItem.objects.bulk_create([RoadmapItem(plan=plan, title="Imported", value=10, effort=1)])  # as an import
    assert "Imported" in dict(_ranking(plan))
    app.refresh_from_db()
    services.roadmap_item_delete(item=app, actor=None)
    assert "App" not in dict(_ranking(plan))


def test_an_unchanged_ranking_costs_one_query(plan, other_plan):
    for number in range(30):
        services.roadmap_item_create(plan=plan, actor=None, title=f"Item {number}", value=1 + number % 10, effort=3)
    services.roadmap_item_create(plan=other_plan, actor=None, title="Elsewhere", value=10, effort=1)
    first = ranking.plan_ranking(plan)
    with CaptureQueriesContext(connection) as read:
        again = ranking.plan_ranking(plan)
    assert len(read) == 1 and again is first and len(first.entries) == 30
    assert "Elsewhere" not in {RoadmapItem.objects.get(pk=pk).title for pk, _h, _s in first.entries}
