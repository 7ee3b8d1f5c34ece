"""Everything works with the keyboard alone: a skip link first, visible focus everywhere,
every link reachable by Tab in reading order, and the status filter with and without htmx."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.page_checks import DESCRIBE_ACTIVE, INTERACTIVE, focus_is_visible, press, tab

DELAYED = "status=delayed"
DELAYED_LABEL = "Inte helt enligt plan"


def is_delayed_filter(focused: dict) -> bool:
    return focused["tag"] == "a" and focused["text"] == DELAYED_LABEL


def tab_to(driver, wanted, limit: int = 100) -> dict:
    """Presses Tab until the focused element is `wanted`; fails after `limit` presses."""
    for _ in range(limit):
        focused = tab(driver)
        if focused and wanted(focused):
            return focused
    raise AssertionError(f"{limit} presses of Tab never reached the element")


def shown_statuses(driver) -> list[str]:
    """The status of each assignment listed (its badge's data-status), read in one go (htmx
    may swap the list)."""
    return driver.execute_script(
        "return [...document.querySelectorAll('#assignment-list .status-line .badge')]"
        ".map(badge => badge.dataset.status)"
    )


def test_it_focuses_a_skip_link_first_that_moves_the_focus_into_main(browser, live_server, seeded):
    browser.get(live_server.url + seeded.goal.get_absolute_url())
    first = tab(browser)
    assert first and first["href"] == "#main", f"the first Tab focuses {first}"
    assert focus_is_visible(first), first
    top = browser.execute_script("return document.activeElement.getBoundingClientRect().top")
    assert top >= 0, "the focused skip link is outside the window"

    press(browser, Keys.ENTER)
    focused = browser.execute_script(DESCRIBE_ACTIVE)
    assert focused and (focused["tag"] == "main" or focused["inMain"]), focused
    following = tab(browser)
    assert following["inMain"], f"after the skip link, Tab leaves main for {following}"


@pytest.mark.parametrize("portal", ["seeded", "small"])
def test_it_reaches_every_interactive_element_of_the_goal_page_by_tab_in_reading_order(
    request, portal, browser, live_server
):
    browser.get(live_server.url + request.getfixturevalue(portal).goal.get_absolute_url())
    interactive = browser.execute_script(INTERACTIVE)
    assert len(interactive) > 20  # header, breadcrumbs, filters, assignments, footer
    reached = []
    for _ in range(len(interactive)):
        press(browser, Keys.TAB)
        reached.append(browser.execute_script("return document.activeElement"))
    missing = [el.get_attribute("outerHTML")[:120] for el in interactive if el not in reached]
    assert not missing, "never reached by Tab:\n" + "\n".join(missing)
    assert reached == interactive, "Tab does not follow the reading order"


@pytest.mark.parametrize("portal", ["seeded", "small"])
def test_it_shows_the_focus_on_every_link_and_status_filter(request, portal, browser, live_server):
    browser.get(live_server.url + request.getfixturevalue(portal).goal.get_absolute_url())
    count = len(browser.execute_script(INTERACTIVE))
    focused = [tab(browser) for _ in range(count)]
    assert any(is_delayed_filter(f) for f in focused), "no status filter was focused"
    invisible = [f for f in focused if not focus_is_visible(f)]
    assert not invisible, "focus not visible on:\n" + "\n".join(map(str, invisible))


def test_it_filters_the_assignments_by_keyboard_with_htmx(browser, live_server, seeded):
    browser.get(live_server.url + seeded.goal.get_absolute_url())
    # htmx is loaded when the keyboard first comes to something it enhances, not before.
    assert browser.execute_script("return typeof htmx") == "undefined", "htmx loaded at once"
    browser.execute_script("window.notReloaded = true")
    assert sorted(set(shown_statuses(browser))) == ["delayed", "on_track"]

    browser.execute_script("document.querySelector('[role=status]').original = true")
    tab_to(browser, is_delayed_filter)
    WebDriverWait(browser, 10).until(
        lambda driver: driver.execute_script("return typeof htmx") == "object",
        "htmx did not load when the focus came to the status filter",
    )
    press(browser, Keys.ENTER)
    WebDriverWait(browser, 10).until(
        lambda driver: shown_statuses(driver) == ["delayed"], "the list was not filtered"
    )

    assert browser.execute_script("return window.notReloaded") is True, "htmx did not swap"
    # The same live region, still in the page, tells the new count: screen readers say it.
    live_region = "const region = document.querySelector('[role=status]'); "
    assert browser.execute_script(live_region + "return region.original"), "live region replaced"
    count = browser.execute_script(live_region + "return region.textContent")
    assert count.startswith("1 uppdrag med status"), count
    WebDriverWait(browser, 10).until(
        lambda driver: driver.current_url.endswith("?" + DELAYED), "the address did not follow"
    )
    focused = browser.execute_script(DESCRIBE_ACTIVE)
    assert focused and is_delayed_filter(focused), f"the focus was lost: {focused}"
    current = browser.find_element(By.CSS_SELECTOR, ".status-filter [aria-current=true]")
    assert DELAYED in current.get_attribute("href")


def test_it_goes_back_after_an_htmx_filter_and_keeps_no_page_in_the_browser(
    browser, live_server, seeded
):
    browser.get(live_server.url + seeded.goal.get_absolute_url())
    # The browser is shared with other tests: start with nothing stored for the site.
    browser.execute_script("localStorage.clear(); sessionStorage.clear()")
    browser.execute_script("window.notReloaded = true")
    tab_to(browser, is_delayed_filter)
    WebDriverWait(browser, 10).until(
        lambda driver: driver.execute_script("return typeof htmx") == "object", "no htmx"
    )
    press(browser, Keys.ENTER)
    WebDriverWait(browser, 10).until(
        lambda driver: shown_statuses(driver) == ["delayed"], "the list was not filtered"
    )
    WebDriverWait(browser, 10).until(
        lambda driver: driver.current_url.endswith("?" + DELAYED), "the address did not follow"
    )

    browser.back()
    # htmx asks the server for the page again (a history restore gets the whole page).
    WebDriverWait(browser, 10).until(
        lambda driver: sorted(set(shown_statuses(driver))) == ["delayed", "on_track"],
        "Back did not bring the whole list back",
    )
    assert not browser.current_url.endswith("?" + DELAYED)
    assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1, "a page inside the page"
    assert browser.execute_script("return window.notReloaded") is True
    # No copy of a page is kept in the visitor's browser (htmx's historyCacheSize 0), and
    # nothing at all outside the tab.
    stored = browser.execute_script("return Object.keys(sessionStorage)")
    assert "htmx-history-cache" not in stored, stored
    assert browser.execute_script("return localStorage.length") == 0
    assert browser.get_cookies() == []


def test_it_filters_the_assignments_by_keyboard_without_javascript(
    browser_without_js, live_server, seeded
):
    browser = browser_without_js
    browser.get(live_server.url + seeded.goal.get_absolute_url())
    assert browser.execute_script("return typeof htmx") == "undefined", "JavaScript ran"
    assert sorted(set(shown_statuses(browser))) == ["delayed", "on_track"]

    tab_to(browser, is_delayed_filter)
    press(browser, Keys.ENTER)
    WebDriverWait(browser, 10).until(
        lambda driver: driver.current_url.endswith("?" + DELAYED), "the link did not lead on"
    )

    assert shown_statuses(browser) == ["delayed"]
    current = browser.find_element(By.CSS_SELECTOR, ".status-filter [aria-current=true]")
    assert DELAYED in current.get_attribute("href")
