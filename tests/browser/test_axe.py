"""axe-core finds no WCAG 2.1 A or AA violation on any page a citizen or an official uses."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from assignments.models import Assessment
from tests.browser.page_checks import describe, run_axe
from tests.pages import browser_pages


def violations_on(driver, live_server, axe_source, pages: dict[str, str]):
    found = {}
    for name, path in pages.items():
        driver.get(live_server.url + path)
        found[name] = run_axe(driver, axe_source)
    return {name: violations for name, violations in found.items() if violations}


@pytest.mark.parametrize("portal", ["seeded", "large"])
def test_it_has_no_axe_violations_on_the_public_pages(
    request, portal, browser, live_server, axe_source
):
    pages = browser_pages(request.getfixturevalue(portal))
    found = violations_on(browser, live_server, axe_source, pages)
    assert not found, "axe-core found violations:\n" + describe(found)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "granskare", "granskare@example.se", "ett-långt-lösenord-för-test"
    )


def log_in(driver, live_server, user, password) -> None:
    driver.get(live_server.url + reverse("admin:login"))
    driver.find_element(By.NAME, "username").send_keys(user.username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "[type=submit]").click()


def test_it_has_no_axe_violations_on_the_admin_pages_for_entering_an_assessment(
    browser, live_server, axe_source, seeded, superuser
):
    browser.delete_all_cookies()
    browser.get(live_server.url + reverse("admin:login"))
    found = {"admin login": run_axe(browser, axe_source)}
    log_in(browser, live_server, superuser, "ett-långt-lösenord-för-test")
    assessment = Assessment.objects.filter(assignment__goal=seeded.goal).first()
    pages = {
        "admin index": reverse("admin:index"),
        "assessment list": reverse("admin:assignments_assessment_changelist"),
        "assessment add": reverse("admin:assignments_assessment_add"),
        "assessment change": reverse("admin:assignments_assessment_change", args=[assessment.pk]),
    }
    try:
        found |= violations_on(browser, live_server, axe_source, pages)
    finally:
        browser.delete_all_cookies()
    found = {name: violations for name, violations in found.items() if violations}
    assert not found, "axe-core found violations:\n" + describe(found)
