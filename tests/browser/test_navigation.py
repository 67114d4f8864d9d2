"""Every section of a plan is reached by clicking from its overview, in a wide and a phone-sized window: the plan's
tab bar marks where you are, and the overview's cards and the pages' links lead to the rest (stakeholders, the
heatmap, a journey's map, a touchpoint's feedback)."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from assessments import services as assessments
from planning import services
from roadmaps import services as roadmaps
from tenancy import services as tenancy_services
from tests.factories import PASSWORD, UserFactory, team_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "Omnichannel 2027"
# tab label, the destination's main heading
SECTIONS = [
    ("Personas", re.compile(r"^Personas\s+1$")),
    ("Journeys", re.compile(r"^Customer journeys$")),
    ("Evaluations", re.compile(r"^Touchpoint evaluations$")),
    ("Customer feedback", re.compile(r"^Customer feedback\s+1 response$")),
    ("Maturity", re.compile(r"^Digital maturity\s+1$")),
    ("Audits", re.compile(r"^Data and content audits\s+1$")),
    ("Roadmap", re.compile(r"^Roadmap\s+1$")),
    ("Workshop", re.compile(r"^Workshop$")),
    ("Exports", re.compile(r"^Export the plan$")),
    ("History", re.compile(r"^History\s+\d+$")),
    ("Overview", re.compile(f"^{PLAN}$")),
]


@pytest.fixture
def plan(db):
    """A plan like the demo's, small: one of everything, owned by olivia."""
    owner = UserFactory(username="olivia", first_name="Olivia", last_name="Owner")
    organisation = tenancy_services.organisation_create(user=owner, name="Northern Trail Outfitters")
    plan = tenancy_services.plan_create(organisation=organisation, actor=owner, name=PLAN)
    team = team_with(organisation, owner, name="Customer service", department="customer_service")
    services.persona_create(plan=plan, actor=owner, name="Léa, the weekend hiker")
    services.stakeholder_create(plan=plan, actor=owner, name="Claire Dubois")
    journey = services.journey_create(plan=plan, actor=owner, name="Léa buys boots", template="purchase")
    touchpoint = services.touchpoint_create(stage=journey.stages.order_by("position").first(), actor=owner,
                                            channel=organisation.channels.get(name="Website"), name="Compares boots")
    assessments.evaluation_create(touchpoint=touchpoint, team=team, actor=owner, maturity=1, potential_customer=5,
                                  potential_brand=4)
    assessments.feedback_create(touchpoint=touchpoint, actor=owner, kind="nps", score=9, responded_on=date(2026, 3, 2))
    assessments.maturity_assessment_create(plan=plan, actor=owner, assessed_on=date(2026, 3, 1), channel_level=1,
                                           engagement_level=2)
    assessments.audit_item_create(plan=plan, actor=owner, kind="data", step="need", title="One customer id")
    roadmaps.roadmap_item_create(plan=plan, actor=owner, title="CRM", category="crm", horizon="now", value=9, effort=3)
    return plan


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)


def tabs(page: Page):
    return page.get_by_role("navigation", name="Plan sections")


def expect_at(page: Page, tab: str, heading) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    current = tabs(page).locator('[aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_have_text(tab)


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)], ids=["wide", "phone"])
def test_every_section_is_reached_by_clicking_from_the_overview(new_page, plan, width, height):
    page = new_page()
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "olivia")
    page.get_by_role("link", name=PLAN).first.click()  # from the organisation's plan list
    expect_at(page, "Overview", PLAN)

    for tab, heading in SECTIONS:
        tabs(page).get_by_role("link", name=tab, exact=True).click()
        expect_at(page, tab, heading)

    # What the tabs do not name is one click further, still under its section's tab.
    page.get_by_role("link", name="See the stakeholders").click()
    expect_at(page, "Overview", re.compile(r"^Stakeholders\s+1$"))
    tabs(page).get_by_role("link", name="Evaluations", exact=True).click()
    page.get_by_role("link", name="Where to put effort").first.click()
    expect_at(page, "Evaluations", "Where to put effort")
    page.get_by_role("table").get_by_role("link", name="100").click()  # the touchpoint's NPS, to its feedback
    expect_at(page, "Customer feedback", re.compile(r"^Compares boots\s+1 response$"))
    tabs(page).get_by_role("link", name="Journeys", exact=True).click()
    page.get_by_role("link", name=re.compile("Léa buys boots")).click()
    expect_at(page, "Journeys", "Léa buys boots")
    expect(page.get_by_role("button", name="Add a touchpoint in Discovery through Website", exact=True)).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing sticks out of the window"
