"""axe-core (WCAG 2.2 A and AA) finds nothing on any page type, signed in on the demo organisation, in English and
French; the sign-in page too. axe-core is the npm package pinned in package.json (`npm ci`), injected into each page.

A failure lists every violation as `page: rule (impact) at target: what is wrong`, so the fix can start from it.
"""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page

from tests.browser.demo_pages import PASSWORD, demo_plan, page_types
from tests.support import require

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """async ([type, values]) => {
  const results = await axe.run(document, {runOnly: {type, values}, resultTypes: ['violations']});
  return results.violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
}"""


@pytest.fixture
def axe_source() -> str:
    require(AXE.is_file(), "axe-core is not installed: run `npm ci` at the top of the repository")
    return AXE.read_text()


def violations(page: Page, axe_source: str, name: str, rules: list[str] | None = None) -> list[str]:
    """axe-core's violations on the page as it is now (every WCAG 2.2 A/AA rule, or only `rules`), one line each."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    found = page.evaluate(RUN_AXE, ["rule", rules] if rules else ["tag", TAGS])
    return [f"{name}: {v['rule']} ({v['impact']}) at {node['target']}: {node['summary'].splitlines()[-1].strip()}"
            for v in found for node in v["nodes"]]


def open_as(new_page, url: str, language: str, username: str | None = None) -> Page:
    """A fresh browser in `language` (Django's language cookie), signed in as `username` if given."""
    page = new_page()
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url}])
    if username:
        page.goto("/accounts/login/")
        page.locator("#id_login").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main button[type=submit], main input[type=submit]").first.click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_axe_finds_no_violation_on_any_page_type(new_page, live_server, axe_source, language):
    demo = demo_plan()
    found = []
    anonymous = open_as(new_page, live_server.url, language)
    anonymous.goto("/accounts/login/")
    found += violations(anonymous, axe_source, "login")

    page = open_as(new_page, live_server.url, language, "owner")
    for name, path, then in page_types(demo):
        page.goto(path)
        if then:
            then(page)
        assert page.locator("html").get_attribute("lang") == language, f"{name} is not in {language}"
        found += violations(page, axe_source, name)
    assert not found, f"{len(found)} accessibility violations ({language}):\n" + "\n".join(found)
