"""The checking tools outside Python (Chromium, axe-core, the Nu HTML checker) and what a test
does when one is missing: it skips on a developer's machine and fails where REQUIRE_BROWSER is
set (as CI sets it), so that CI can never pass by skipping."""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")

NODE_HOW = "run `make node_modules/.installed` (needs npm)"
CHROMIUM_HOW = "install Debian's packages chromium and chromium-driver"
JAVA_HOW = "install a Java runtime, 11 or newer (Debian: default-jre-headless)"


def tools_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "").lower() not in ("", "0", "false", "no")


def require(*problems: str) -> None:
    """Skip, or fail when REQUIRE_BROWSER is set, if any problem is reported (non-empty)."""
    problems = [problem for problem in problems if problem]
    if not problems:
        return
    reason = "; ".join(problems)
    if tools_required():
        pytest.fail(f"REQUIRE_BROWSER is set, but {reason}", pytrace=False)
    pytest.skip(f"{reason} (with REQUIRE_BROWSER=1 this fails instead)")


def missing_file(path: Path, how: str) -> str:
    return "" if path.is_file() else f"{path.relative_to(ROOT)} is missing: {how}"


def missing_program(name: str, how: str) -> str:
    return "" if shutil.which(name) else f"{name} is missing: {how}"
