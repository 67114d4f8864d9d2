"""Live workshops in real browsers against a real ASGI server (daphne, websockets): three people, three contexts.

Anna (editor) and Ben (viewer) have the same journey map open; Anna adds a touchpoint and drags it to another
stage, and Ben's map shows both within two seconds without reloading. Carl, a member of the organisation without
access to the plan, gets a 404 for the page and his websocket to the plan is refused: he receives nothing. In a
variant where Ben may edit, his open edit form survives Anna's change to the same touchpoint and shows the notice,
then the stale-save conflict with Anna's values beside his.
"""

import pytest
from playwright.sync_api import Page, expect

from planning import services
from planning.models import Channel, Touchpoint
from tenancy import services as tenancy_services
from tenancy.access import Access
from tenancy.models import Role
from tests.browser.test_journey_map import drag, sign_in
from tests.factories import member
from tests.live_server import asgi_server  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE = 2_000  # ms: the bar for "appears for everyone else"


@pytest.fixture
def workshop(db):
    from tests.factories import OrganisationFactory, UserFactory

    owner = UserFactory(username="olivia", first_name="Olivia", last_name="Owner")
    organisation = tenancy_services.organisation_create(user=owner, name="Northern Trail Outfitters")
    OrganisationFactory(name="Elsewhere")
    anna = member(organisation, Role.EDITOR, username="anna", first_name="Anna", last_name="Martin")
    ben = member(organisation, Role.EDITOR, username="ben", first_name="Ben", last_name="Okafor")
    carl = member(organisation, Role.EDITOR, username="carl", first_name="Carl", last_name="Weber")
    plan = tenancy_services.plan_create(organisation=organisation, actor=owner, name="Omnichannel 2027")
    tenancy_services.plan_grant(plan=plan, actor=owner, user=anna, access=Access.EDIT)
    tenancy_services.plan_grant(plan=plan, actor=owner, user=ben, access=Access.VIEW)
    journey = services.journey_create(plan=plan, actor=owner, name="Buy trail shoes", template="purchase")
    return {"plan": plan, "journey": journey, "owner": owner, "anna": anna, "ben": ben, "carl": carl,
            "stages": list(journey.stages.order_by("position")),
            "web": Channel.objects.get(organisation=organisation, name="Website")}


@pytest.fixture
def open_page(browser, asgi_server):  # noqa: F811
    contexts = []

    def make(username: str) -> Page:
        context = browser.new_context(base_url=asgi_server.url, locale="en-GB", viewport={"width": 1400, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username)
        return page

    yield make
    for context in contexts:
        context.close()


def on_map(page: Page, journey) -> Page:
    page.goto(f"/journeys/{journey.pk}/")
    expect(page.locator("#live-bar")).to_have_attribute("data-state", "live")
    return page


def test_a_change_reaches_the_other_participant_without_reload_and_never_an_outsider(open_page, workshop):
    journey, discovery, conversion = workshop["journey"], workshop["stages"][0], workshop["stages"][2]
    web = workshop["web"]
    anna, ben, carl = open_page("anna"), open_page("ben"), open_page("carl")

    # Carl may not open the plan: its page is 404 and its socket is refused before it opens.
    assert carl.goto(f"/journeys/{journey.pk}/").status == 404
    carl.goto("/")
    carl_socket = carl.evaluate("""plan => new Promise(resolve => {
        const seen = [];
        const socket = new WebSocket(`ws://${location.host}/ws/plans/${plan}/`);
        socket.onopen = () => seen.push("open");
        socket.onmessage = event => seen.push(event.data);
        socket.onclose = event => resolve({seen, code: event.code});
    })""", workshop["plan"].pk)
    assert carl_socket == {"seen": [], "code": 1006}

    on_map(anna, journey)
    on_map(ben, journey)
    ben.evaluate("window.__notReloaded = true")
    # Presence: each sees the other, with initials and the page.
    expect(ben.locator(".live-person", has_text="Anna Martin")).to_contain_text("Journey map")
    expect(anna.locator(".live-person", has_text="Ben Okafor").locator(".avatar")).to_have_text("BO")

    # Anna adds a touchpoint in Discovery · Website.
    anna.get_by_role("button", name="Add a touchpoint in Discovery through Website").click()
    form = anna.locator("form.tp-form")
    form.get_by_label("Touchpoint").fill("Compares three models")
    form.get_by_role("button", name="Add").click()
    start_cell = f"#list-{discovery.pk}-{web.pk}"
    expect(ben.locator(start_cell).locator(".tp", has_text="Compares three models")).to_be_visible(timeout=LIVE)
    expect(ben.locator(f'th.stage[data-stage="{discovery.pk}"] [data-stage-count]')).to_have_text("1")

    # Anna drags it to Conversion: Ben sees it move.
    card = anna.locator(start_cell).locator(".tp", has_text="Compares three models")
    with anna.expect_response(lambda response: response.url.endswith("/move/")) as move:
        drag(anna, card, anna.locator(f"#list-{conversion.pk}-{web.pk}"))
    assert move.value.status == 200
    target_cell = ben.locator(f"#list-{conversion.pk}-{web.pk}")
    expect(target_cell.locator(".tp", has_text="Compares three models")).to_be_visible(timeout=LIVE)
    expect(ben.locator(start_cell).locator(".tp")).to_have_count(0)
    expect(ben.locator(f'th.stage[data-stage="{conversion.pk}"] [data-stage-count]')).to_have_text("1")
    assert ben.evaluate("window.__notReloaded") is True
    touchpoint = Touchpoint.objects.get(name="Compares three models")
    assert (touchpoint.stage_id, touchpoint.version) == (conversion.pk, 2)


def test_an_open_edit_form_survives_anothers_change_and_shows_the_conflict(open_page, workshop):
    journey, owner = workshop["journey"], workshop["owner"]
    tenancy_services.plan_grant(plan=workshop["plan"], actor=owner, user=workshop["ben"], access=Access.EDIT)
    touchpoint = services.touchpoint_create(stage=workshop["stages"][0], channel=workshop["web"], actor=owner,
                                            name="Compares three models")
    anna, ben = on_map(open_page("anna"), journey), on_map(open_page("ben"), journey)

    # Ben opens the card's form and starts typing; Anna sees that he is editing it.
    ben.locator(f"#tp-{touchpoint.pk} .tp-edit").click()
    ben_form = ben.locator(f"#tp-form-{touchpoint.pk}")
    ben_form.get_by_label("What the customer does").fill("Reads the reviews of three trail shoes.")
    expect(anna.locator(f"#tp-{touchpoint.pk} .live-editing")).to_have_text("Ben Okafor is editing", timeout=LIVE)

    # Anna renames the same touchpoint and saves.
    anna.locator(f"#tp-{touchpoint.pk} .tp-edit").click()
    anna_form = anna.locator(f"#tp-form-{touchpoint.pk}")
    anna_form.get_by_label("Touchpoint").fill("Compares four models")
    anna_form.get_by_role("button", name="Save").click()
    expect(anna.locator(f"#tp-{touchpoint.pk}")).to_contain_text("Compares four models")

    # Ben's form is still there with what he typed, and says what happened.
    notice = ben_form.locator(".live-changed")
    expect(notice).to_contain_text("Changed by Anna Martin meanwhile.", timeout=LIVE)
    expect(ben_form.get_by_label("What the customer does")).to_have_value("Reads the reviews of three trail shoes.")
    expect(ben_form.get_by_label("Touchpoint")).to_have_value("Compares three models")

    # "Compare and merge": the stale save shows Anna's values beside his, keeping his text.
    notice.get_by_role("button", name="Compare and merge").click()
    conflict = ben_form.locator(".conflict")
    expect(conflict).to_contain_text("Saved meanwhile by someone else")
    expect(conflict).to_contain_text("Compares four models")
    expect(ben_form.get_by_label("What the customer does")).to_have_value("Reads the reviews of three trail shoes.")
    ben_form.get_by_label("Touchpoint").fill("Compares four models")
    ben_form.get_by_role("button", name="Save").click()
    expect(ben.locator(f"#tp-{touchpoint.pk}")).to_contain_text("Compares four models")
    touchpoint.refresh_from_db()
    assert (touchpoint.name, touchpoint.customer_action, touchpoint.version) == (
        "Compares four models", "Reads the reviews of three trail shoes.", 3)
    # And Anna's map shows Ben's save, live.
    expect(anna.locator(f"#tp-{touchpoint.pk}")).to_have_attribute("data-version", "3", timeout=LIVE)


def test_dot_voting_on_the_map_stays_hidden_until_the_facilitator_reveals(open_page, workshop):
    from workshops.services import voting as workshops

    journey, owner = workshop["journey"], workshop["owner"]
    first = services.touchpoint_create(stage=workshop["stages"][0], channel=workshop["web"], actor=owner,
                                       name="Reads a review")
    second = services.touchpoint_create(stage=workshop["stages"][1], channel=workshop["web"], actor=owner,
                                        name="Asks a friend")
    anna, ben = on_map(open_page("anna"), journey), on_map(open_page("ben"), journey)
    olivia = open_page("olivia")
    olivia.goto(f"/plans/{workshop['plan'].pk}/workshop/")
    olivia.get_by_label("Question").fill("What should we fix first?")
    olivia.get_by_label("Dots per participant").fill("2")
    olivia.get_by_role("button", name="Open the voting").click()

    voting = ben.locator("[data-live-voting]")
    expect(voting).to_contain_text("What should we fix first?", timeout=LIVE)
    expect(voting).to_contain_text("2 of 2 left")
    ben.locator(f"#tp-{first.pk} .tp-name").click()
    expect(voting).to_contain_text("1 of 2 left")
    expect(ben.locator(f"#tp-{first.pk} .live-dots")).to_have_text("●")
    anna.locator(f"#tp-{first.pk} .tp-name").click()
    anna.locator(f"#tp-{second.pk} .tp-name").click()
    expect(anna.locator("[data-live-voting]")).to_contain_text("0 of 2 left")
    # Nobody sees the others' dots before the reveal.
    expect(ben.locator(f"#tp-{second.pk} .live-dots")).to_have_count(0)

    olivia.goto(f"/plans/{workshop['plan'].pk}/workshop/")
    olivia.get_by_role("button", name="Reveal the votes").click()
    expect(ben.locator(f"#tp-{first.pk} .live-dots")).to_have_text("●●", timeout=LIVE)
    expect(ben.locator(f"#tp-{second.pk} .live-dots")).to_have_text("●")
    expect(ben.locator("[data-live-voting]")).to_contain_text("the votes are revealed")
    session = workshops.VotingSession.objects.get()
    assert session.revealed_at is not None and session.votes.count() == 3
