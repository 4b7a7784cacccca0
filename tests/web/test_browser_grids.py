"""The what-if page on a grid besides PJM (ERCOT, from its description) in a real browser: its one zone
replaces PJM's two, and the numbers are the Python API's."""

from __future__ import annotations

import pytest

from test_browser import _mean, _wait_state, browser  # noqa: F401 - the browser fixture and helpers

from gigawatt.web.whatif import Settings


@pytest.fixture(scope="module")
def ercot_server():
    from gigawatt.grids import GridOutlook
    from gigawatt.io.grid import load_grid
    from gigawatt.web.server import BackgroundServer
    from gigawatt.web.whatif import Engine

    # two weather years (2020 and 2021, Uri's) keep the grid small and the runs quick
    engine = Engine(GridOutlook(load_grid("ercot"), years=(2026,), weather_years=(2020, 2021)), "ercot", max_grids=1)
    with BackgroundServer(engine, workers=2, time_limit_s=60.0) as url:
        yield url, engine


def test_page_serves_ercot(browser, ercot_server):  # noqa: F811 - the imported fixture
    from selenium.webdriver.common.keys import Keys

    url, engine = ercot_server
    browser.get(f"{url}/?samples=4&seed=2")
    _wait_state(browser, "done", runs=1)
    ref = engine.run(Settings(samples=4, seed=2))
    assert _mean(browser, "lole_d") == ref["lole_d"]["mean"]
    assert "ercot" in browser.find_element("id", "system").text
    about = browser.find_element("id", "about-grid").text  # said "the PJM-like grid ... PJM's emergency order"
    assert "ERCOT" in about and "PJM" not in about
    # ERCOT's one zone: its name on the first input, the second hidden
    assert "Added in ERCOT" in browser.find_element("css selector", "label[for=dom]").text
    assert not browser.find_element("id", "rest").is_displayed()
    # +2 GW in ERCOT (four steps of 0.5 GW): the page's numbers are the API's for that setting
    browser.find_element("id", "dom-range").send_keys(Keys.ARROW_RIGHT * 4)
    _wait_state(browser, "done", runs=2)
    ref2 = engine.run(Settings(dc_added_gw={"ERCOT": 2.0}, samples=4, seed=2))
    assert _mean(browser, "lole_d") == ref2["lole_d"]["mean"]
    assert "GW in ERCOT" in browser.find_element("id", "footnote").text
    assert browser.find_element("id", "clock").text == "US Central"  # the shortfall map is on ERCOT's clock
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "422" not in e["message"]]
    assert errors == [], errors


def test_defaults_name_the_grid(ercot_server):
    """The page's header takes the grid's title from /api/defaults (it said "the PJM-like grid" on ERCOT)."""
    import httpx

    url, _ = ercot_server
    d = httpx.get(f"{url}/api/defaults", timeout=60.0).json()
    assert d["title"].startswith("ERCOT") and d["zones"] == ["ERCOT"]
