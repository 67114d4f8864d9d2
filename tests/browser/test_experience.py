"""The map's experience layer in real browsers against a real ASGI server: on the demo journey, Claire (editor)
adds a "Thoughts" lane, types a card, sets three emotion scores (with the form, the keyboard and a drag), turns a
pain point into an opportunity and the opportunity into a roadmap item; Victor (viewer), on the same map, sees each
change within two seconds without reloading, and the roadmap item's page links back to the pain point."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from experience.models import EmotionScore, Opportunity, PainPoint
from planning.models import Journey
from roadmaps.models import RoadmapItem
from tests.browser.test_journey_map import sign_in
from tests.factories import PASSWORD
from tests.live_server import asgi_server  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE = 2_000  # ms: the bar for "appears for everyone else"
JOURNEY = "Marc joins the loyalty programme"
PAIN = "Points earned online do not show in store"


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for user in get_user_model().objects.filter(username__in=["editor", "viewer"]):
        user.set_password(PASSWORD)
        user.save()
    return Journey.objects.get(name=JOURNEY)


@pytest.fixture
def open_page(browser, asgi_server):  # noqa: F811
    contexts = []

    def make(username: str, journey) -> Page:
        context = browser.new_context(base_url=asgi_server.url, locale="en-GB", viewport={"width": 1440, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username)
        page.goto(f"/journeys/{journey.pk}/")
        expect(page.locator("#live-bar")).to_have_attribute("data-state", "live")
        return page

    yield make
    for context in contexts:
        context.close()


def point(page: Page, stage) -> object:
    return page.locator(f'.emo-point[data-stage="{stage.pk}"]')


def steady_box(page: Page, locator) -> dict:
    """The element's box once the map has stopped redrawing (her change comes back to her as a live event too)."""
    page.wait_for_timeout(700)
    for _ in range(20):
        box = locator.bounding_box()
        if box is not None:
            return box
        page.wait_for_timeout(100)
    raise AssertionError(f"{locator} never settled on the page")


def test_a_workshop_draws_the_experience_and_the_other_participant_follows_live(open_page, demo):
    journey = demo
    stages = list(journey.stages.order_by("position"))
    claire, victor = open_page("editor", journey), open_page("viewer", journey)
    expect(victor.get_by_role("link", name="Add a lane")).to_have_count(0)

    # A "Thoughts" lane, then a card in it.
    claire.get_by_label("Add a lane").select_option("thoughts")
    claire.get_by_role("button", name="Add the lane").click()
    thoughts = victor.locator("tr.xlane-thoughts")
    expect(thoughts.locator("th")).to_contain_text("Thoughts", timeout=LIVE)
    claire.locator("tr.xlane-thoughts td").first.get_by_role("link", name="Add a card to Thoughts at Awareness").click()
    claire.get_by_label("Text").fill("Will my points follow me from the store to the app?")
    claire.get_by_role("button", name="Save").click()
    expect(claire.get_by_text("Card added.")).to_be_visible()
    expect(thoughts.locator("td").first).to_contain_text("Will my points follow me", timeout=LIVE)

    # Three emotion scores: the form, the keyboard (↓ on a focused point), a drag to the top.
    claire.get_by_role("link", name="Edit the emotion at Awareness").click()
    claire.get_by_label("-1 · Negative").check()
    claire.get_by_label("Why (optional)").fill("Does not know the programme yet")
    claire.get_by_role("button", name="Save").click()
    expect(point(victor, stages[0])).to_have_attribute("data-score", "-1.0", timeout=LIVE)
    point(claire, stages[1]).focus()
    claire.keyboard.press("ArrowDown")
    expect(point(victor, stages[1])).to_have_attribute("data-score", "0.0", timeout=LIVE)
    expect(point(claire, stages[1])).to_have_attribute("data-score", "0.0")  # her own map redrawn too
    box, chart = steady_box(claire, point(claire, stages[2])), steady_box(claire, claire.locator(".emo-chart"))
    claire.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    claire.mouse.down()
    for step in range(1, 6):
        claire.mouse.move(box["x"] + box["width"] / 2, box["y"] - (box["y"] - chart["y"] - 4) * step / 5)
    claire.mouse.up()
    expect(point(victor, stages[2])).to_have_attribute("data-score", "2.0", timeout=LIVE)
    scores = dict(EmotionScore.objects.filter(journey=journey, touchpoint=None).values_list("stage_id", "score"))
    assert [scores[s.pk] for s in stages[:3]] == [-1, 0, 2]

    # The pain point becomes an opportunity, the opportunity a roadmap item.
    pain = PainPoint.objects.get(journey=journey, title=PAIN)
    claire.locator(f"#pain-{pain.pk}").get_by_role("button", name="→ Opportunity").click()
    claire.get_by_label("Title").fill("Points that follow the customer everywhere")
    claire.get_by_role("button", name="Save").click()
    opportunity = Opportunity.objects.get(journey=journey, title="Points that follow the customer everywhere")
    expect(victor.locator(f"#opportunity-{opportunity.pk}")).to_contain_text("Answers " + PAIN, timeout=LIVE)
    claire.locator(f"#opportunity-{opportunity.pk}").get_by_role("button", name="→ Roadmap").click()
    expect(claire.get_by_text("is now a roadmap candidate")).to_be_visible()
    item = RoadmapItem.objects.get(opportunities=opportunity)
    expect(victor.locator(f"#opportunity-{opportunity.pk}")).to_contain_text(f"Roadmap: {item.title}", timeout=LIVE)

    # The roadmap item's page links back to the pain point on the map.
    claire.get_by_role("link", name=PAIN).click()
    expect(claire).to_have_url(f"{claire.url.split('/journeys/')[0]}/journeys/{journey.pk}/#pain-{pain.pk}")
    expect(claire.locator(f"#pain-{pain.pk}")).to_be_visible()


def eventually(page: Page, script: str, tries: int = 20) -> bool:
    """`script` holds within ~5 s, tolerating a navigation meanwhile (the live layer may reload a map whose replay
    has too many changes)."""
    for _ in range(tries):
        try:
            if page.evaluate(script):
                return True
        except PlaywrightError:
            pass
        page.wait_for_timeout(250)
    return False


def test_a_projector_view_hides_empty_channels_shows_details_fits_the_width_and_is_remembered(open_page, demo):
    victor = open_page("viewer", demo)
    empty = victor.locator("tr.lane.is-empty").first
    expect(empty).to_be_visible()
    action = victor.locator(".tp .tp-text").first
    expect(action).to_be_hidden()
    victor.get_by_role("button", name="Hide empty channels").click()
    victor.get_by_role("button", name="Show what the customer does and how we respond").click()
    victor.get_by_role("button", name="Fit to the screen").click()
    expect(empty).to_be_hidden()
    expect(action).to_be_visible()
    fits = "() => { const f = document.getElementById('journey-grid'); return f.scrollWidth <= f.clientWidth + 1; }"
    assert victor.evaluate(fits)
    victor.reload()
    expect(victor.get_by_role("button", name="Hide empty channels")).to_have_attribute("aria-pressed", "true")
    expect(victor.locator("tr.lane.is-empty").first).to_be_hidden()
    expect(victor.locator(".jmap-zoom-level")).not_to_have_text("100 %")
    assert eventually(victor, fits)
