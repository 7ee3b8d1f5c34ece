"""Fixtures of the browser suite: Debian's Chromium driven headless by selenium against
pytest-django's live_server, with the seed data or a generated portal (tests/factories.py)."""

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests.browser import tools
from tests.factories import build_portal, seed_portal
from tests.pages import Portal

# Selenium must never fetch a driver or a browser, nor report statistics.
os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
    "--lang=sv-SE",
]


def start_chromium(*, javascript: bool):
    profile = tempfile.mkdtemp(prefix="uppfoljning-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = tools.CHROMIUM
    for argument in [*CHROMIUM_ARGS, f"--user-data-dir={profile}"]:
        options.add_argument(argument)
    if not javascript:
        options.add_argument("--blink-settings=scriptEnabled=false")
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    driver = webdriver.Chrome(service=Service(tools.CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver, profile


@pytest.fixture(scope="session")
def _chromium_present() -> None:
    tools.require(
        tools.missing_program(tools.CHROMIUM, tools.CHROMIUM_HOW),
        tools.missing_program(tools.CHROMEDRIVER, tools.CHROMIUM_HOW),
    )


def _browser(javascript: bool) -> Iterator:
    driver, profile = start_chromium(javascript=javascript)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


# The browsers ask for live_server so that they quit before it stops: a connection the
# browser still holds open must not outlive the server's database sharing.


@pytest.fixture(scope="session")
def browser(_chromium_present, live_server):
    """Chromium with JavaScript on, shared by the whole session."""
    yield from _browser(javascript=True)


@pytest.fixture(scope="session")
def browser_without_js(_chromium_present, live_server):
    """Chromium with JavaScript off, as some visitors and some assistive setups have it."""
    yield from _browser(javascript=False)


@pytest.fixture
def axe_source() -> str:
    tools.require(tools.missing_file(tools.AXE_JS, tools.NODE_HOW))
    return tools.AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _fresh_pages():
    """No page kept from an earlier test's data, should a test turn a page cache on."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def seeded(seed) -> Portal:
    """The seed goal (Uppsala, goal 5) and its page objects."""
    return seed_portal()


@pytest.fixture
def small(transactional_db) -> Portal:
    """A small generated portal, with what the seed lacks: earlier assessments, drafts,
    assignments not assessed yet, unpublished goals and plans."""
    return build_portal(goals=2, assignments=6, periods=3)


@pytest.fixture
def large(transactional_db) -> Portal:
    """A large portal: 8 goals × 25 assignments × 6 reporting periods, 30 bodies."""
    return build_portal(goals=8, assignments=25, periods=6, bodies=30)
