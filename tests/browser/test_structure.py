"""Every public page says where you are (Swedish, one h1, headings in order, its own title)
and reflows to a narrow window."""

from tests.browser.page_checks import OVERFLOWING_TEXT, heading_problems, headings, window_width
from tests.pages import browser_pages


def visit_all(driver, live_server, portal) -> dict[str, dict]:
    """For each public page: its lang, its headings and its title."""
    seen = {}
    for name, path in browser_pages(portal).items():
        driver.get(live_server.url + path)
        seen[name] = {
            "lang": driver.execute_script("return document.documentElement.lang"),
            "headings": headings(driver),
            "title": driver.title,
        }
    return seen


def test_it_marks_every_page_as_swedish_with_one_h1_and_no_heading_level_skipped(
    browser, live_server, seeded
):
    problems = []
    for name, page in visit_all(browser, live_server, seeded).items():
        expected = "en" if name.endswith("in English") else "sv"
        if page["lang"] != expected:
            problems.append(f"{name}: <html lang={page['lang']!r}>, not {expected!r}")
        problems += [f"{name}: {problem}" for problem in heading_problems(page["headings"])]
    assert not problems, "\n".join(problems)


def test_it_gives_every_page_a_distinct_title_that_names_it(browser, live_server, seeded):
    titles = {name: page["title"] for name, page in visit_all(browser, live_server, seeded).items()}
    first_words = " ".join(seeded.assignment.title.split()[:4])
    must_name = {
        "start": [seeded.plan.name],
        "plan": [seeded.plan.name],
        "goal": [seeded.goal.title],
        "goal filtered": [seeded.goal.title, "Inte helt enligt plan"],
        "assignment": [first_words, f"Uppdrag {seeded.assignment.number}"],
        "bodies": ["Ansvariga"],
        "body": [seeded.body.name],
        "body filtered": [seeded.body.name, "Inte helt enligt plan"],
        "accessibility statement": ["Tillgänglighetsredogörelse"],
        "cookies": ["kakor"],
        "assignments": ["Uppdrag"],
        "changes": [seeded.plan.name],
        "goal as of a period": [seeded.goal.title, "per "],
        "goal in English": [seeded.goal.title],
        "404": ["Sidan kunde inte hittas"],
    }
    problems = [
        f"{name}: {titles[name]!r} does not name {part!r}"
        for name, parts in must_name.items()
        for part in parts
        if part not in titles[name]
    ]
    problems += [
        f"{name}: {title!r} does not name the site"
        for name, title in titles.items()
        if ("Follow-up" if name.endswith("in English") else "Uppföljning") not in title
    ]
    # The start page is the latest plan's page, titled as that page (as of a period too).
    del titles["start"]
    del titles["start as of a period"]
    repeated = {title for title in titles.values() if list(titles.values()).count(title) > 1}
    problems += [f"the title {title!r} is used by more than one page" for title in repeated]
    assert not problems, "\n".join(problems)


def test_it_reflows_every_page_to_320_css_pixels_without_sideways_scrolling(
    browser, live_server, seeded
):
    problems = []
    with window_width(browser, 320):
        for name, path in browser_pages(seeded).items():
            browser.get(live_server.url + path)
            problems += [f"{name}: {text}" for text in browser.execute_script(OVERFLOWING_TEXT)]
    assert not problems, "sticks out at 320 CSS pixels (WCAG 1.4.10):\n" + "\n".join(problems)
