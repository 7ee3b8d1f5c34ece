"""Every public page is valid HTML by the W3C Nu HTML checker (vnu), run once over them all.

Skipped when node_modules (vnu-jar) or java is missing, unless REQUIRE_BROWSER is set."""

import json
import subprocess
from pathlib import Path

from django.utils.text import slugify

from tests.browser import tools
from tests.factories import build_portal, seed_portal
from tests.pages import NOT_FOUND, browser_pages


def render_pages(client, portals: dict, folder) -> dict[str, str]:
    """Saves each page of each portal in `folder`; maps each file's path to what page it is."""
    files = {}
    for portal_name, portal in portals.items():
        for page, path in browser_pages(portal).items():
            response = client.get(path)
            assert response.status_code == (404 if path == NOT_FOUND else 200), path
            file = folder / f"{portal_name}-{slugify(page)}.html"
            file.write_bytes(response.content)
            files[str(file)] = f"{portal_name} {page} ({path})"
    return files


def nu_check(paths: list[str]) -> list[dict]:
    result = subprocess.run(
        ["java", "-jar", str(tools.VNU_JAR), "--errors-only", "--format", "json", *paths],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        return json.loads(result.stderr)["messages"]
    except ValueError:
        raise AssertionError(f"vnu did not answer in JSON:\n{result.stderr}") from None


def test_it_renders_every_public_page_as_valid_html(client, seed, tmp_path):
    tools.require(
        tools.missing_file(tools.VNU_JAR, tools.NODE_HOW),
        tools.missing_program("java", tools.JAVA_HOW),
    )
    portals = {"seed": seed_portal(), "generated": build_portal(goals=2, assignments=6, periods=3)}
    files = render_pages(client, portals, tmp_path)

    messages = nu_check(list(files))

    page_of = {Path(file).name: page for file, page in files.items()}
    errors = [
        f"{page_of.get(m.get('url', '').rpartition('/')[2], m.get('url'))}, "
        f"line {m.get('lastLine')}: {m['message']}\n"
        f"    {m.get('extract', '').strip()}"
        for m in messages
    ]
    assert not errors, f"the Nu HTML checker found {len(errors)} errors:\n" + "\n".join(errors)
