"""End to end in headless Chromium: `mskg serve` on 127.0.0.1, a person's path through the site, screenshots
saved under tests/artifacts/ (not committed).

Needs Debian's chromium and chromium-driver (``.ci/run`` installs them on CI) and selenium (test extra);
skipped, saying which is missing, only when they cannot be had.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
)
#: bounds of the waits below: generous for a loaded 2-core machine; a pass never waits them out
START_S, PAGE_S = 90, 30


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not Path(path).exists():
            return f"{path} not found: apt-get install -y {package} (.ci/run does it on CI)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(built):
    """`mskg serve` on the session's build, until the module's tests are done."""
    port = _free_port()
    command = [sys.executable, "-m", "multiscale_kg.cli", "serve", "--db", str(built), "--port", str(port)]
    command += ["--metadata", str(ROOT / "datasette_metadata.json"), "--corpus", str(ROOT / "corpus")]
    log = tempfile.TemporaryFile()  # noqa: SIM115  # read back only when the server fails to start
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_S
    while True:
        try:
            with urllib.request.urlopen(base + "/-/versions.json", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.seek(0)
            pytest.fail(f"mskg serve did not start:\n{log.read().decode(errors='replace')[-3000:]}")
        time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="mskg-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(PAGE_S)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _wait(driver, css: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, PAGE_S).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )


def _wait_url(driver, part: str) -> None:
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, PAGE_S).until(expected_conditions.url_contains(part))


def _shot(driver, name: str, element=None) -> None:
    if element is not None:
        driver.execute_script("arguments[0].scrollIntoView()", element)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def test_home_page_answers_the_slow_kinetics_question_in_two_clicks(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    _wait(browser, ".mskg-home")
    _shot(browser, "1-home")
    link = browser.find_element(By.CSS_SELECTOR, "a[href$='/-/answers/micro-slow-kinetics']")
    assert link.text == "Slow kinetics and poor rate capability"
    link.click()
    _wait_url(browser, "/-/answers/micro-slow-kinetics")
    group = _wait(browser, "section.mskg-answer-group")
    grades = [
        b.text for b in browser.find_elements(By.CSS_SELECTOR, "section.mskg-answer-group h2 .mskg-grade")
    ]
    assert grades and grades[0] in ("stated", "chained")
    strategies = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "article.mskg-answer h3 a")}
    assert "Microparticles with natural nanoporosity (built-in channels and tunnels)" in strategies
    assert browser.find_elements(By.CSS_SELECTOR, "li.mskg-step blockquote")  # every step quoted
    _shot(browser, "2-answer-slow-kinetics", group)


def test_a_canned_query_runs_with_a_parameter_typed_in_its_form(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/multiscale/nano-vs-micro")
    field = _wait(browser, "input[name='property']")
    field.clear()
    field.send_keys("first_cycle_ce")
    field.submit()
    _wait_url(browser, "property=first_cycle_ce")
    table = _wait(browser, "table.rows-and-columns")
    materials = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "td.col-material_id")]
    assert len(materials) == 14
    assert "si" in materials
    _shot(browser, "3-nano-vs-micro-first-cycle-ce", table)


def test_a_sparql_example_runs_from_the_page(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/-/sparql")
    example = _wait(browser, "a.mskg-example[data-name='nano-vs-micro']")
    example.click()
    _wait_url(browser, "/-/sparql?query=")
    results = _wait(browser, "#sparql-results")
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#sparql-results th")]
    assert headers[:2] == ["material", "property"]
    rows = browser.find_elements(By.CSS_SELECTOR, "#sparql-results tbody tr")
    assert len(rows) > 20
    assert "SELECT ?material ?property" in browser.find_element(By.ID, "sparql-query").get_attribute("value")
    _shot(browser, "4-sparql-example-results", results)


def test_a_chart_opens_from_the_home_page(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    _wait(browser, ".mskg-charts a[href='/-/charts/first_cycle_ce']").click()
    _wait_url(browser, "/-/charts/first_cycle_ce")
    _wait(browser, "#mskg-chart svg")
    bars = browser.find_elements(By.CSS_SELECTOR, "#mskg-chart g.bar")
    assert len(bars) == 27
    assert browser.find_element(By.CSS_SELECTOR, "#mskg-chart svg").size["width"] > 400
    _shot(browser, "5-chart-first-cycle-ce")
    browser.get(server + "/-/graph/drawback/nano-low-first-cycle-ce")
    _wait(browser, "#mskg-graph svg")
    assert browser.find_elements(By.CSS_SELECTOR, "#mskg-graph a.node")
    _shot(browser, "6-causal-web-nano-low-first-cycle-ce")


def test_an_entity_page_navigates_the_graph(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server + "/multiscale/strategies/ant-nest-si")
    _wait(browser, "#mskg-relations")
    browser.find_element(
        By.LINK_TEXT, "Nanopores inside micrometre particles (buffer space for volume change)"
    ).click()
    _wait_url(browser, "/multiscale/features/internal-nanopores")
    _wait(browser, "#mskg-relations")
    _shot(browser, "7-feature-page")
