"""The PDF's "Voice of the customer" and KPI sections: figures from a hand-made plan, in the contents and the
bookmarks, and left out of a plan that has neither themes, sentiment, mentions nor KPIs."""

from datetime import date
from decimal import Decimal

import pytest

from assessments import services, services_themes
from assessments.models import AssignedBy, FeedbackResponse, VerbatimTheme
from assessments.statistics import Estimate
from kpis import services as kpis
from listening import services as listening
from planning.models import Touchpoint
from roadmaps.exports import gather
from roadmaps.exports.jobs import RenderJob
from roadmaps.exports.pdf import document, render, sections
from tests.roadmaps.test_export_pdf_sections import _flat, contents_entries, pages_text
from tests.roadmaps.test_export_support import build_plan
from versions import snapshot


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def voiced(org, plan, team, people):
    build_plan(plan, team=team)
    FeedbackResponse.objects.filter(plan=plan).update(sentiment="")  # only the verbatims below count
    owner = people["owner"]
    offer = services_themes.theme_create(organisation=org, actor=owner, name="Offre")
    price = services_themes.theme_create(organisation=org, actor=owner, name="Prix", parent=offer)
    touchpoint = Touchpoint.objects.filter(plan=plan).order_by("id").first()
    for day, (text, sentiment) in enumerate((("Beaucoup trop cher", "negative"), ("Prix honnête", "positive"),
                                             ("Tarif scandaleux", "negative")), start=1):
        response = services.feedback_create(touchpoint=touchpoint, actor=owner, kind="csat", score=2,
                                            responded_on=date(2027, 2, day), verbatim=text)
        FeedbackResponse.objects.filter(pk=response.pk).update(sentiment=sentiment)
        VerbatimTheme.objects.filter(response=response).delete()
        VerbatimTheme.objects.create(response=response, theme=price, assigned_by=AssignedBy.HAND)
    listening.competitor_create(plan=plan, actor=owner, name="Decathlon")
    for day in (3, 9):
        listening.mention_create(plan=plan, actor=owner, channel=touchpoint.channel, mentioned_on=date(2027, 2, day),
                                 text="Queue at the till again")
    repeat = kpis.kpi_create(plan=plan, actor=owner, name="Repeat purchase rate", unit="percent",
                             direction="higher", baseline_value=Decimal("20"), baseline_date=date(2026, 12, 31),
                             target_value=Decimal("30"), target_date=date(2027, 12, 31))
    kpis.measurement_create(kpi=repeat, actor=owner, measured_on=date(2027, 3, 1), value=Decimal("25"))
    kpis.kpi_create(plan=plan, actor=owner, name="Churn", unit="percent", direction="lower",
                    baseline_value=Decimal("12"), baseline_date=date(2026, 12, 31), target_value=Decimal("8"),
                    target_date=date(2027, 12, 31))
    return {"touchpoint": touchpoint}


def test_the_voice_data_is_hand_computed(voiced, plan):
    data = gather(plan, feedback_rows=False)
    [row] = data.voice["verbatim_themes"]["by_volume"]
    assert (row["name"], row["n"], row["negative"]) == ("Offre › Prix", 3, 2)
    assert [e["text"] for e in row["examples"]] == ["Tarif scandaleux", "Beaucoup trop cher"]  # negative, newest
    assert data.voice["listening"]["n"] == 2 and data.voice["listening"]["competitors"] == 1
    channel = voiced["touchpoint"].channel.name
    [by_channel] = [c for c in data.voice["channels"] if c["channel"] == channel]
    assert by_channel["verbatims"]["negative"] == 2 and by_channel["verbatims"]["positive"] == 1
    assert by_channel["mentions"]["n"] == 2


def test_the_pdf_has_the_voice_and_kpi_sections_in_its_contents_and_bookmarks(voiced, plan, tmp_path):
    reader, texts = pages_text(render(gather(plan, feedback_rows=False), RenderJob(options={"appendix": "summary"})),
                               tmp_path)
    entries = dict(contents_entries(texts[1]))
    assert "Voice of the customer" in entries and "KPIs: baseline, current value and target" in entries
    voice_page = texts[entries["Voice of the customer"] - 1]
    assert "Offre › Prix" in voice_page and "Tarif scandaleux" in voice_page and "67 %" in voice_page
    assert "2 mentions from" in voice_page
    kpi_page = " ".join(texts[entries["KPIs: baseline, current value and target"] - 1].split())
    # Churn first (by name), not measured; repeat purchase 20 → 25 → 30: half way, better than the baseline.
    assert kpi_page.index("Churn") < kpi_page.index("Repeat purchase rate")
    assert "not measured yet" in kpi_page
    assert "20 12/31/2026 25 03/01/2027 ▲ 30 12/31/2027 50.0 %" in kpi_page, kpi_page
    outline = {item.title: reader.get_destination_page_number(item) + 1 for item in _flat(reader.outline)}
    assert outline["Voice of the customer"] == entries["Voice of the customer"]
    assert outline["KPIs: baseline, current value and target"] == entries["KPIs: baseline, current value and target"]
    assert entries["Customer feedback"] < entries["Voice of the customer"] < entries["Prioritised roadmap"] \
        < entries["KPIs: baseline, current value and target"]


def test_a_plan_without_voice_or_kpis_gets_neither_section(plan, team):
    build_plan(plan, team=team)
    FeedbackResponse.objects.filter(plan=plan).update(sentiment="")
    build = document.PdfBuild(gather(plan, feedback_rows=False), RenderJob(), None)
    keys = [s.key for s in build.body]
    assert "voice" not in keys and "kpis" not in keys


def test_the_pdfs_top_gaps_are_ranked_like_the_heatmap_with_the_reason():
    nps = Estimate(-20.0, None, None, 30, False)
    evaluated = [{"id": 1, "ref": "TP1", "gap": 30.0, "feedback": None},
                 {"id": 2, "ref": "TP2", "gap": 20.0, "feedback": {"nps": nps}}]
    rows = sections.top_gaps(evaluated, {"2": {"n": 50, "negative": 31, "share": 0.62}})
    # TP2: 20 + 8.6 (62 % negative) + 4 (NPS −20) = 32.6 > TP1's 30.
    assert [(r["ref"], r["priority"]) for r in rows] == [("TP2", 32.6), ("TP1", 30.0)]
    assert rows[0]["boost"].text == "ranked up: 62 % negative verbatims, NPS −20"


def test_a_frozen_version_keeps_the_voice_of_the_customer(voiced, plan):
    blob, data = snapshot.freeze(plan)
    loaded = snapshot.load(blob)
    assert loaded.voice == data.voice and loaded.voice["negative_share"]  # stored as JSON, read back the same
    assert loaded.voice["verbatim_themes"]["by_volume"][0]["examples"][0]["date"] == date(2027, 2, 3)
