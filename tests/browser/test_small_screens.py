"""Every page type fits a phone (390 x 844) and a tablet (768 x 1024) without the page scrolling sideways: wide
content (the journey map, tables) scrolls inside its own frame. On both the header collapses to one row behind a menu
button that says whether it is open, and every target is at least 24 x 24 px (axe-core's target-size rule)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.demo_pages import PASSWORD, demo_plan, page_types
from tests.browser.test_accessibility import axe_source, violations  # noqa: F401  (axe_source is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = [(390, 844), (768, 1024)]


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)


# The outermost elements that stick out on the right, to say where to look.
STICKING_OUT = """() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right <= window.innerWidth + 0.5 || box.width === 0) continue;
    if (out.some(known => known.contains(el))) continue;
    let clipped = false;  // what a scrolling frame holds does not widen the page
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') { clipped = true; break; }
    }
    if (clipped) continue;
    out.push(el);
  }
  return out.slice(0, 3).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
}"""


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def too_wide(page: Page, name: str, width: int) -> list[str]:
    extra = overflow(page)
    if extra <= 0:
        return []
    return [f"{name} at {width} px: {extra} px too wide ({', '.join(page.evaluate(STICKING_OUT))})"]


def test_no_page_is_wider_than_a_phone_or_a_tablet_and_every_target_is_24_px(new_page, axe_source):  # noqa: F811
    demo = demo_plan()
    page = new_page()
    found = []
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        found += too_wide(page, "login", width)
        sign_in(page, "owner")
        for name, path, then in page_types(demo):
            page.goto(path)
            if then:
                then(page)
            found += too_wide(page, name, width)
            found += violations(page, axe_source, f"{name} at {width} px", rules=["target-size"])
    assert not found, "pages wider than the window or with targets under 24 px:\n" + "\n".join(found)


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=["phone", "tablet"])
def test_on_a_phone_or_tablet_the_header_folds_behind_a_menu_button(new_page, axe_source, width, height):  # noqa: F811
    demo = demo_plan()
    page = new_page()
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "owner")
    page.goto(f"/plans/{demo.plan.pk}/")
    header = page.locator("header.topbar")
    menu = page.get_by_role("button", name="Menu")
    sections = page.get_by_role("navigation", name="Main")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(sections).to_be_hidden()
    assert header.bounding_box()["height"] <= 64, "the folded header takes one row"
    expect(page.get_by_role("link", name="1 unread notification")).to_be_visible()  # the bell stays out

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(sections).to_be_visible()
    expect(page.get_by_role("button", name="FR")).to_be_visible()
    found = violations(page, axe_source, f"open menu at {width} px")
    assert not found, "the open menu passes axe-core too:\n" + "\n".join(found)
    sections.get_by_role("link", name="Teams").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.organisation.name)
    expect(sections).to_be_hidden()  # a new page starts folded

    page.get_by_role("button", name="Menu").focus()
    page.keyboard.press("Enter")
    expect(sections).to_be_visible()
    page.keyboard.press("Escape")
    expect(sections).to_be_hidden()
    expect(menu).to_be_focused()


def test_on_a_wide_screen_the_header_shows_everything_without_a_menu_button(new_page):
    demo_plan()
    page = new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, "owner")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
