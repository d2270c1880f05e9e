"""A real browser for the tests: Debian's headless Chromium driven by its chromedriver
through Selenium, and axe-core (the npm package scripts/test installs into .venv/axe)
run in the page.

Nothing here is skipped when a piece is missing: the test that needs it fails, saying
which piece and how scripts/test installs it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# the rules of WCAG 2.0 and 2.1, levels A and AA (EN 301 549, hence the 2018 regulations)
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# as root, with no network: no sandbox, and none of Chromium's own calls home
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                  "--hide-scrollbars", "--force-device-scale-factor=1"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Chromium is not installed: scripts/test installs Debian's chromium"
    return found


def chromedriver() -> str:
    found = shutil.which("chromedriver") or ("/usr/bin/chromedriver"
                                             if Path("/usr/bin/chromedriver").exists() else None)
    assert found, "chromedriver is not installed: scripts/test installs chromium-driver"
    return found


def axe_source() -> str:
    path = Path(os.environ.get("GAIN_AXE_JS", AXE_JS))
    assert path.is_file(), (f"axe-core is not at {path}: scripts/test installs it with npm "
                            "(npm install --prefix .venv/axe axe-core)")
    return path.read_text(encoding="utf-8")


@contextlib.contextmanager
def browser(width: int = 1024, height: int = 768):
    """A headless Chromium under Selenium, with a profile of its own, always quit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")     # Selenium Manager downloads nothing
    profile = tempfile.mkdtemp(prefix="gain-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium()
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={profile}",
                                  f"--window-size={width},{height}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver()), options=options)
    try:
        driver.set_script_timeout(120)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def axe_violations(driver, page: Path, tags=WCAG_AA) -> list[dict]:
    """axe-core's violations of the rules tagged ``tags`` on the page at ``page``."""
    driver.get(Path(page).resolve().as_uri())
    driver.execute_script(axe_source())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, "
        "resultTypes: ['violations']})"
        ".then(r => done({violations: r.violations, passes: r.passes.length, "
        "rules: r.passes.map(p => p.id).concat(r.inapplicable.map(p => p.id), "
        "r.incomplete.map(p => p.id), r.violations.map(p => p.id))}))"
        ".catch(e => done({error: String(e)}));", list(tags))
    assert "error" not in result, result
    assert len(result["rules"]) > 30, result       # axe ran its WCAG rules
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["html"][:200] for n in v["nodes"]]} for v in result["violations"]]


def screenshot(page: Path, png: Path, width: int = 1024) -> Path:
    """The whole page as a PNG, as a person would see it in the browser."""
    with browser(width) as driver:
        driver.get(Path(page).resolve().as_uri())
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(int(height) + 120, 16000))
        driver.save_screenshot(str(png))
    return png
