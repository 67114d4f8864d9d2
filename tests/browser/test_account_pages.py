"""allauth's pages that stay (tests/identity/test_account_pages.py lists them) inside the site's layout, in English
and French, on a wide screen and on a phone: the site's header and stylesheet, the buttons styled like the sign-in
page's, nothing wider than the window."""

import os

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = [1440, 390]
SIGNED_IN = ["/accounts/reauthenticate/", "/accounts/2fa/", "/accounts/2fa/webauthn/", "/accounts/password/change/",
             "/accounts/profile/"]
VISITOR = ["/accounts/login/", "/accounts/inactive/", "/accounts/password/reset/", "/accounts/3rdparty/login/error/",
           "/accounts/3rdparty/login/cancelled/", "/accounts/sso/"]
TITLES = {"en": {"/accounts/reauthenticate/": "Confirm Access", "/accounts/2fa/": "Two-Factor Authentication"},
          "fr": {"/accounts/reauthenticate/": "Confirmer l'accès",
                 "/accounts/2fa/": "Authentification à deux facteurs"}}
SHOTS = os.environ.get("ACCOUNT_PAGE_SHOTS")  # a folder: save a screenshot of each page there

BUTTON_STYLE = """() => { const b = document.querySelector('main button[type=submit], main button');
  if (!b) return null; const s = getComputedStyle(b);
  return [s.backgroundColor, s.color, s.borderRadius, s.fontFamily].join(' | '); }"""


def _sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").first.click()
    expect(page.locator("input[name=password]")).to_have_count(0)


def _check(page: Page, path: str, language: str, width: int, button_style: str) -> list[str]:
    page.goto(path)
    problems = []
    if page.locator("header.topbar").count() != 1:
        problems.append(f"{path}: not in the site's layout")
    if not page.evaluate("[...document.styleSheets].some(s => (s.href || '').endsWith('/css/app.css'))"):
        problems.append(f"{path}: without the site's stylesheet")
    if page.evaluate("document.documentElement.lang") != language:
        problems.append(f"{path}: not in {language}")
    extra = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if extra > 0:
        problems.append(f"{path} at {width} px: {extra} px too wide")
    style = page.evaluate(BUTTON_STYLE)
    if style is not None and style != button_style:
        problems.append(f"{path}: its button is not styled like the site's ({style} ≠ {button_style})")
    expected_title = TITLES[language].get(path)
    if expected_title and page.locator("main h1").first.inner_text().strip() != expected_title:
        problems.append(f"{path}: heading {page.locator('main h1').first.inner_text()!r}")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{language}-{width}{path.replace('/', '_')}.png", full_page=True)
    return problems


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_kept_allauth_pages_are_in_the_sites_layout(browser, live_server, language):
    UserFactory(username="olivia", preferred_language=language)
    problems = []
    for width in SCREENS:
        context = browser.new_context(base_url=live_server.url, locale="fr-FR" if language == "fr" else "en-GB",
                                      viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto("/accounts/login/")
        button_style = page.evaluate(BUTTON_STYLE)
        for path in VISITOR:
            problems += _check(page, path, language, width, button_style)
        _sign_in(page, "olivia")
        for path in SIGNED_IN:
            problems += _check(page, path, language, width, button_style)
        context.close()
    assert problems == []
