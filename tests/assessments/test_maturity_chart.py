"""The 4×4 maturity grid (server-side SVG): votes with their counts, the agreed position, the target, the arrow."""

from datetime import date
from xml.etree import ElementTree

import pytest

from assessments import services
from assessments.charts import maturity_grid_data, maturity_grid_svg, vote_spread
from assessments.models import MaturityAssessment

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg):
    return ElementTree.fromstring(str(svg))  # well-formed XML, or this raises


def _groups(root, css_class):
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == css_class]


def _at(group):
    return int(group.get("data-channel")), int(group.get("data-engagement"))


def test_the_grid_draws_votes_with_counts_the_agreed_position_the_target_and_the_arrow():
    svg = maturity_grid_svg(votes=[(1, 3), (1, 3), (2, 3), (1, 4)], current=(1, 3), target=(4, 4))
    root = _parse(svg)
    votes = {_at(g): int(g.get("data-count")) for g in _groups(root, "mg-vote")}
    assert votes == {(1, 3): 2, (2, 3): 1, (1, 4): 1}
    assert [_at(g) for g in _groups(root, "mg-current")] == [(1, 3)]
    assert [_at(g) for g in _groups(root, "mg-target")] == [(4, 4)]
    assert len([line for line in root.iter(f"{SVG}line") if line.get("class") == "mg-arrow"]) == 1
    texts = " ".join(t for t in root.itertext())
    # Readable without colour: text labels for the marks, the axes and the objective of each level.
    for label in ("Now", "Target", "2 votes: channels I, engagement III", "Single channel", "Omnichannel",
                  "Segmented", "Connected", "Channels", "Engagement", "Objective IV:", "Send the message quickly",
                  "Participants' votes (how many)"):
        assert label in texts, label
    assert root.find(f"{SVG}desc").text == ("Agreed position: channels I, engagement III. Target: channels IV, "
                                            "engagement IV. 4 votes spread over channels I–II and engagement III–IV.")


def test_no_arrow_when_the_target_is_where_we_stand_and_no_marks_without_both_levels():
    root = _parse(maturity_grid_svg(current=(2, 2), target=(2, 2)))
    assert not [line for line in root.iter(f"{SVG}line") if line.get("class") == "mg-arrow"]
    root = _parse(maturity_grid_svg(current=None, target=None))
    assert not _groups(root, "mg-current") and not _groups(root, "mg-target") and not _groups(root, "mg-vote")
    assert "No votes yet." in root.find(f"{SVG}desc").text


def test_earlier_positions_are_drawn_faintly_with_their_dates():
    root = _parse(maturity_grid_svg(current=(1, 3), history=[(date(2025, 11, 20), 1, 2), (date(2026, 4, 2), 1, 2)]))
    earlier = _groups(root, "mg-earlier")
    assert [_at(g) for g in earlier] == [(1, 2), (1, 2)]
    assert [g.find(f"{SVG}text").text for g in earlier] == ["11/20/2025", "04/02/2026"]
    assert [p for p in root.iter(f"{SVG}polyline") if p.get("class") == "mg-trail"]


def test_text_is_escaped():
    svg = maturity_grid_svg(caption='<script>alert("x")</script>', history=[("<b>then</b>", 2, 2)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg
    _parse(svg)


def test_ids_are_prefixed_so_two_grids_can_share_a_page():
    svg = maturity_grid_svg(current=(1, 1), target=(3, 3), id_prefix="pdf-grid")
    assert 'id="pdf-grid-head"' in svg and 'marker-end="url(#pdf-grid-head)"' in svg


def test_spread_of_votes():
    spread = vote_spread([(1, 3), (2, 4), (1, 2)])
    assert (spread.n, spread.channel_range, spread.engagement_range) == (3, "I–II", "II–IV")
    assert vote_spread([]).channel_range == "—"


@pytest.mark.django_db
def test_grid_data_comes_from_an_assessment_without_extra_queries(plan, people, django_assert_num_queries):
    assessment = services.maturity_assessment_create(plan=plan, actor=None, assessed_on=date(2026, 10, 15),
                                                     channel_level=1, engagement_level=3, target_channel_level=4,
                                                     target_engagement_level=4)
    services.maturity_vote_cast(assessment=assessment, actor=people["viewer"], channel_level=1, engagement_level=4)
    loaded = MaturityAssessment.objects.prefetch_related("votes").get(pk=assessment.pk)
    with django_assert_num_queries(0):
        data = maturity_grid_data(loaded)
        svg = maturity_grid_svg(**data)
    assert data["votes"] == [(1, 4)] and data["current"] == (1, 3) and data["target"] == (4, 4)
    assert 'class="mg-vote" data-channel="1" data-engagement="4" data-count="1"' in svg
