"""Small helpers to look at a page in the browser: axe-core, headings, keyboard focus."""

from contextlib import contextmanager
from itertools import pairwise

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Runs axe-core on the page; the result is made small enough to send back over WebDriver.
RUN_AXE = """
const [tags, done] = arguments;
axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then(result => done(result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }))))
  .catch(error => done([{id: "axe-error", impact: "", help: String(error), nodes: []}]));
"""

# What a keyboard user must be able to reach: every visible, enabled link, button, field and
# summary (tabindex="-1" or not), and whatever else is put in the tab order with tabindex.
INTERACTIVE = """
const selector = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, '
  + 'summary, iframe, [contenteditable=""], [contenteditable=true], '
  + '[tabindex]:not([tabindex="-1"])';
return [...document.querySelectorAll(selector)].filter(el =>
  !el.disabled && !el.closest("[inert]") && el.checkVisibility({visibilityProperty: true})
  && !(el.tagName === "SUMMARY" && el !== el.parentElement.querySelector("summary")));
"""

DESCRIBE_ACTIVE = """
const el = document.activeElement;
if (!el || el === document.body) return null;
const style = getComputedStyle(el);
return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || "").trim().slice(0, 60),
        href: el.getAttribute("href"), id: el.id, inMain: !!el.closest("main"),
        outline: style.outlineStyle === "none" ? "none" : style.outlineWidth,
        boxShadow: style.boxShadow};
"""


# Text that sticks out of the window, sideways: what would make a reader scroll both ways.
# A data table may scroll sideways within its own region (a role="region" that scrolls, and
# the keyboard reaches): the exception WCAG 1.4.10 makes for content whose meaning needs
# two dimensions; the page itself still may not.
OVERFLOWING_TEXT = """
const width = document.documentElement.clientWidth;
const found = [];
const inScrollingTable = (element) => {
  const region = element.closest('[role="region"]');
  if (!region || !region.querySelector('table') || region.tabIndex < 0) return false;
  const overflow = getComputedStyle(region).overflowX;
  return (overflow === 'auto' || overflow === 'scroll')
    && region.getBoundingClientRect().right <= width + 1;
};
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  if (inScrollingTable(walker.currentNode.parentElement)) continue;
  const range = document.createRange();
  range.selectNodeContents(walker.currentNode);
  const box = range.getBoundingClientRect();
  if (box.width > 0 && box.right > width + 1) {
    found.push(walker.currentNode.parentElement.tagName.toLowerCase() + ": "
      + walker.currentNode.textContent.trim().slice(0, 60));
  }
}
if (document.documentElement.scrollWidth > width) found.push(
  `the page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
return found;
"""


@contextmanager
def window_width(driver, width: int):
    """The page laid out for a window `width` CSS pixels wide (as a 1280 px screen at 400%)."""
    metrics = {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": False}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        yield
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def run_axe(driver, axe_source: str) -> list[dict]:
    """The axe-core violations of the page open in `driver`, for WCAG 2.1 A and AA."""
    driver.execute_script(axe_source)  # WebDriver scripts are not bound by the page's CSP
    return driver.execute_async_script(RUN_AXE, AXE_TAGS)


def describe(violations_by_page: dict[str, list[dict]]) -> str:
    lines = []
    for page, violations in violations_by_page.items():
        for v in violations:
            lines.append(f"{page}: {v['id']} [{v['impact']}] {v['help']} ({v.get('helpUrl')})")
            lines.extend(f"    {n['target']}\n      {_indent(n['summary'])}" for n in v["nodes"])
    return "\n".join(lines)


def _indent(text: str | None) -> str:
    return (text or "").replace("\n", "\n      ")


def headings(driver) -> list[tuple[int, str]]:
    return [
        (int(h["tag"][1]), h["text"])
        for h in driver.execute_script(
            "return [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]"
            ".map(h => ({tag: h.tagName.toLowerCase(), text: h.innerText.trim()}))"
        )
    ]


def heading_problems(levels: list[tuple[int, str]]) -> list[str]:
    """What is wrong with the outline: not exactly one h1, not first, or a level skipped."""
    problems = []
    h1s = [level for level, _ in levels].count(1)
    if h1s != 1:
        problems.append(f"{h1s} h1 elements, not one")
    if levels and levels[0][0] != 1:
        problems.append(f"the first heading is h{levels[0][0]}: {levels[0][1]!r}")
    for (before, _), (level, text) in pairwise(levels):
        if level > before + 1:
            problems.append(f"h{before} is followed by h{level}: {text!r}")
    return problems


def press(driver, *keys) -> None:
    ActionChains(driver).send_keys(*keys).perform()


def tab(driver) -> dict | None:
    """Presses Tab and describes the element that has the focus then."""
    press(driver, Keys.TAB)
    return driver.execute_script(DESCRIBE_ACTIVE)


def focus_is_visible(focused: dict) -> bool:
    return focused["outline"] not in ("none", "0px") or focused["boxShadow"] not in ("none", "")
