"""A what-if server for the web tests: the outlook on two weather years (a small grid, quick runs),
served by uvicorn on 127.0.0.1 at a free port in a thread of the test process."""

from __future__ import annotations

import pytest

#: two weather years: a grid of ~110 MB built in well under a second, what-ifs of a few samples in ~0.1 s
WEATHER_YEARS = (2014, 2015)


@pytest.fixture(scope="session")
def outlook():
    from gigawatt.outlook import OutlookAssumptions

    return OutlookAssumptions(weather_years=WEATHER_YEARS)


@pytest.fixture(scope="session")
def engine(outlook):
    from gigawatt.web.whatif import Engine

    e = Engine(outlook, "pjm-2026 (2 weather years)", max_grids=2)  # grids kept under GIGAWATT_GRID_CACHE_DIR
    e.warm(lambda text: None)
    return e


@pytest.fixture(scope="session")
def server(engine):
    """The base URL of a running server (4 workers, 60 s time limit)."""
    from gigawatt.web.server import BackgroundServer

    with BackgroundServer(engine, workers=4, time_limit_s=60.0) as url:
        yield url


@pytest.fixture(scope="session")
def client(server):
    import httpx

    with httpx.Client(base_url=server, timeout=120.0) as c:
        yield c


@pytest.fixture(scope="session", autouse=True)
def _grid_cache(tmp_path_factory):
    """The tests' grids on disk in a folder of their own (not the user's cache)."""
    import os

    from gigawatt.web.gridcache import CACHE_ENV

    old = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("grids"))
    yield
    if old is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = old
