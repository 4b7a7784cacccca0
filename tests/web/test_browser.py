"""The what-if page end to end in a real browser: Selenium driving headless Chromium (Debian's
``chromium`` and ``chromium-driver``; ``make test`` installs them when run as root).

Load the page, move controls, wait for the results, check the numbers against the same run through
the Python API, check that the state is in the URL and that a bad input shows its message.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gigawatt.outlook import assess_year
from gigawatt.web.whatif import Settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
#: where to copy the page's screenshot (docs/img/whatif.png is made with the PJM default, not here)
SCREENSHOT_ENV = "GIGAWATT_WHATIF_SCREENSHOT"
WAIT_S = 90


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM and CHROMEDRIVER, ("Chromium and chromedriver are needed for the what-if page test: "
                                       "apt-get install chromium chromium-driver (make test does this as root)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,1500"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _wait_state(driver, state: str, runs: int | None = None) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    def ready(d):
        body = d.find_element("tag name", "body")
        return body.get_attribute("data-state") == state and (
            runs is None or int(body.get_attribute("data-runs") or 0) >= runs)

    WebDriverWait(driver, WAIT_S, poll_frequency=0.05).until(ready)


def _mean(driver, key: str) -> float:
    return float(driver.find_element("id", f"v-{key}").get_attribute("data-mean"))


def test_page_runs_what_ifs_like_the_python_api(browser, server, engine, outlook, tmp_path):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    grids = {2026: engine.grid(2026)}
    browser.get(f"{server}/?samples=4&seed=2")
    _wait_state(browser, "done", runs=1)
    ref = assess_year(outlook, 2026, 4, 2, "firm", grids=grids)
    assert _mean(browser, "lole_d") == ref.lole_d.mean
    assert _mean(browser, "eue_mwh") == ref.eue_mwh.mean
    assert _mean(browser, "people_affected") == ref.people_affected.mean
    assert "standard" in browser.find_element("id", "verdict").text
    assert len(browser.find_elements("css selector", "#heatmap svg rect")) == 12 * 24

    # a policy: connect-and-manage curtails the data centers; the change from before shows
    Select(browser.find_element("id", "policy")).select_by_value("connect-and-manage")
    _wait_state(browser, "done", runs=2)
    ref2 = assess_year(outlook, 2026, 4, 2, "connect-and-manage", grids=grids)
    assert _mean(browser, "lole_d") == ref2.lole_d.mean
    assert _mean(browser, "dc_curtailed_hours") == ref2.dc_curtailed_hours.mean
    assert browser.find_element("id", "d-dc_curtailed_hours").text.startswith("+")

    # the Dominion slider: its steps of 0.5 GW hold 0 (its minimum is the lowest whole step above the
    # forecast's 5.2 GW taken away, -5.0): four steps from 0 land on +2.0 GW
    slider = browser.find_element("id", "dom-range")
    assert float(slider.get_attribute("min")) == -5.0
    slider.send_keys(Keys.ARROW_RIGHT * 4)
    _wait_state(browser, "done", runs=3)
    assert float(browser.find_element("id", "dom").get_attribute("value")) == 2.0
    ref3 = engine.run(Settings(dc_added_gw={"DOM": 2.0, "REST": 0.0}, policy="connect-and-manage", samples=4,
                               seed=2))
    assert _mean(browser, "dc_curtailed_mwh") == ref3["dc_curtailed_mwh"]["mean"]
    assert _mean(browser, "lole_d") == ref3["lole_d"]["mean"]
    assert "7.2 GW in DOM" in browser.find_element("id", "footnote").text
    assert browser.find_element("id", "gap").text.startswith("gap:")

    # the state is in the URL: a fresh load of it gives the same numbers
    url = browser.current_url
    assert "policy=connect-and-manage" in url and "dom=2&" in url and "samples=4" in url
    curtailed = _mean(browser, "dc_curtailed_mwh")
    browser.get(url)
    _wait_state(browser, "done", runs=1)
    assert _mean(browser, "dc_curtailed_mwh") == curtailed
    assert browser.find_element("id", "dl-json").get_attribute("href").startswith("blob:")
    assert browser.find_element("id", "dl-csv").get_attribute("href").startswith("blob:")

    # by zone: Dominion's LOLE beside its LDA criterion, and the gap job's gap by zone (2028 fails both)
    browser.get(f"{server}/?year=2028&samples=4&seed=2")
    _wait_state(browser, "done", runs=1)
    r28 = assess_year(outlook, 2028, 4, 2, "firm", grids={2028: engine.grid(2028)})
    for z in ("DOM", "REST"):
        cell = browser.find_element("id", f"zl-{z}")
        assert float(cell.get_attribute("data-mean")) == r28.zones[z]["lole_d"]["mean"], z
    assert browser.find_element("id", "zc-DOM").text == "0.04: on its own: see the gap"
    assert browser.find_element("id", "zc-REST").text == "RTO's only"
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, WAIT_S, 0.05).until(
        lambda d: d.find_element("id", "gap").get_attribute("data-state") in ("done", "failed", "cancelled"))
    assert browser.find_element("id", "gap").get_attribute("data-state") == "done"
    from gigawatt.decision import firm_gap_by_zone
    from gigawatt.web.whatif import resolve, whatif_system

    r = resolve(outlook, Settings(year=2028, samples=4, seed=2))
    g28 = firm_gap_by_zone(r.outlook, 2028, "firm", 4, 2, dcs=whatif_system(r, engine.grid(2028)), alternatives=True)
    for z in ("DOM", "REST"):
        cell = browser.find_element("id", f"zg-{z}")
        assert float(cell.get_attribute("data-estimate")) == g28.by_zone_mw[z]["estimate"], z
    assert float(browser.find_element("id", "zo-DOM").get_attribute("data-mean")) == g28.needs["DOM"].lole_d.mean
    # beside the gap by zone, the import alternative: the limit into DOM that closes its own gap, and now
    alt = browser.find_element("id", "za-DOM")
    assert float(alt.get_attribute("data-mw")) == g28.needs["DOM"].import_alternative.x_mw
    assert "(now 10" in alt.text and browser.find_element("id", "za-REST").text == "–"
    assert "GW in DOM" in browser.find_element("id", "gap").text

    png = tmp_path / "whatif.png"
    browser.save_screenshot(str(png))
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    if os.environ.get(SCREENSHOT_ENV):
        shutil.copyfile(png, Path(os.environ[SCREENSHOT_ENV]))

    # a bad input shows its message, naming the field and the limit
    samples = browser.find_element("id", "samples")
    samples.send_keys(Keys.CONTROL, "a")
    samples.send_keys("999999")
    _wait_state(browser, "invalid")
    error = browser.find_element("id", "error").text
    assert "samples" in error and "less than or equal to 2000" in error, error
    assert "less than or equal to 2000" in browser.find_element("id", "err-samples").text
    assert "invalid" in samples.get_attribute("class")

    # a long run shows its progress and can be cancelled
    samples.send_keys(Keys.CONTROL, "a")
    samples.send_keys("1500")
    _wait_state(browser, "running")
    cancel = browser.find_element("id", "cancel")

    WebDriverWait(browser, WAIT_S, 0.05).until(lambda d: "samples" in d.find_element("id", "status-text").text)
    cancel.click()
    _wait_state(browser, "cancelled")
    assert browser.find_element("id", "status-text").text == "cancelled"
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "422" not in e["message"]]
    assert errors == [], errors


def test_api_reference_renders_offline(browser, server):
    """/api/docs renders in headless Chromium from the package's own files (the page's CSP allows nothing
    else, and a request for anything outside this server would fail the check of the log)."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{server}/api/docs")
    WebDriverWait(browser, WAIT_S, 0.05).until(
        lambda d: d.find_element("tag name", "body").get_attribute("data-state") in ("ready", "error"))
    assert browser.find_element("tag name", "body").get_attribute("data-state") == "ready"
    paths = {e.get_attribute("data-path") for e in browser.find_elements("css selector", "section.endpoint")}
    assert {"/api/whatif", "/api/gap", "/api/jobs", "/api/health"} <= paths
    schema = browser.find_element("id", "schemas").text
    assert "WhatIfRequest" in schema and "samples" in schema and "≤ 2000" in schema
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded and all(u.startswith(server) for u in loaded), loaded
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors
