"""Two teams evaluate the same touchpoint in a real browser, disagree, and an editor records the agreed value."""

import pytest
from playwright.sync_api import Page, expect

from assessments.models import TouchpointAgreement, TouchpointEvaluation
from planning import services
from tenancy import services as tenancy_services
from tenancy.access import Access
from tenancy.models import Role
from tests.factories import PASSWORD, member, team_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISAGREE = "Teams disagree — discuss"
REASON = "Service showed that the tips email is sent by hand; marketing agreed it is only managed."


@pytest.fixture
def touchpoint(org, people, plan):
    owner = people["owner"]
    services.channels_seed(org)
    journey = services.journey_create(plan=plan, actor=owner, name="Léa buys boots", template=["Discover", "Buy"])
    stage = journey.stages.order_by("position").first()
    return services.touchpoint_create(stage=stage, channel=org.channels.get(name="Email / mailing"), actor=owner,
                                      name="Gets care tips after purchase")


@pytest.fixture
def marketer(org, plan):
    """An editor in the marketing team, which may edit the plan."""
    user = member(org, Role.EDITOR, username="mia", first_name="Mia", last_name="Marketing")
    marketing = team_with(org, user, name="Marketing", department="marketing")
    tenancy_services.plan_grant(plan=plan, actor=None, team=marketing, access=Access.EDIT)
    return user


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)


def evaluate(page: Page, team: str, level: str) -> None:
    card = page.locator("article.evalcard").filter(has=page.get_by_role("heading", name=team, exact=True))
    card.get_by_role("link", name=f"Evaluate for {team}").click()
    card.get_by_label(level).check()
    card.get_by_role("group", name="Potential for the customer").get_by_label("4", exact=True).check()
    card.get_by_role("group", name="Potential for the brand").get_by_label("3", exact=True).check()
    card.get_by_label("Reviews").check()
    card.get_by_label("Notes").fill(f"{team} view, entered in the browser.")
    card.get_by_role("button", name=f"Save for {team}").click()
    expect(card.locator(".level")).to_have_text(level)
    expect(page.locator("#eval-status")).to_contain_text(f"Evaluation by {team} added.")


def test_two_teams_disagree_and_an_editor_agrees_a_value(new_page, people, touchpoint, marketer):
    url = f"/touchpoints/{touchpoint.pk}/evaluations/"
    service = new_page()
    sign_in(service, people["editor"].username)
    service.goto(url)
    expect(service.get_by_role("heading", level=1)).to_have_text("Gets care tips after purchase")
    evaluate(service, "Customer service", "1 · Initial")
    panel = service.locator("#agreement")
    expect(panel).not_to_contain_text(DISAGREE)
    expect(panel.locator(".agreed-maturity .agreed-value")).to_have_text("1 · Initial")

    marketing = new_page()  # another person, in another browser context
    sign_in(marketing, "mia")
    marketing.goto(url)
    evaluate(marketing, "Marketing", "4 · Optimised")
    # The agreed panel is redrawn with the card: the teams are three levels apart.
    marketing_panel = marketing.locator("#agreement")
    expect(marketing_panel.locator(".flag-discuss")).to_contain_text(DISAGREE)
    agreed = marketing_panel.locator(".agreed-maturity .agreed-value")
    expect(agreed).to_have_text("2.5 · between Managed and Integrated")
    expect(marketing_panel.locator(".agreed-maturity")).to_contain_text("median")

    service.reload()
    expect(panel.locator(".flag-discuss")).to_contain_text(DISAGREE)
    panel.get_by_text("Set the agreed value", exact=True).click()
    panel.get_by_label("Agreed maturity").select_option(label="2 · Managed")
    panel.get_by_label("Reason").fill(REASON)
    panel.get_by_role("button", name="Save the agreed value").click()
    expect(panel.locator(".agreed-maturity .agreed-value")).to_have_text("2 · Managed")
    expect(panel.locator(".agreed-maturity")).to_contain_text("agreed")
    expect(panel.locator(".reason")).to_contain_text(REASON)
    expect(panel).not_to_contain_text(DISAGREE)
    expect(panel.locator(".flag-settled")).to_contain_text("the workshop agreed a value")

    marketing.reload()
    expect(marketing_panel.locator(".agreed-maturity .agreed-value")).to_have_text("2 · Managed")
    expect(marketing_panel.locator(".reason")).to_contain_text(REASON)

    assert sorted(TouchpointEvaluation.objects.filter(touchpoint=touchpoint).values_list("maturity", flat=True)) \
        == [1, 4]
    agreement = TouchpointAgreement.objects.get(touchpoint=touchpoint)
    assert agreement.maturity == 2 and agreement.reason == REASON and agreement.agreed_by == people["editor"]
