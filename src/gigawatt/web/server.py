"""Start the what-if server: load the system, warm the kernels, then listen (uvicorn)."""

from __future__ import annotations

import ipaddress
import threading
from pathlib import Path
from typing import Callable

from gigawatt.errors import InputError

#: the default system: the embedded PJM default (the outlook's assumptions)
DEFAULT_SYSTEM = "pjm-2026"


def load_engine(source: str = DEFAULT_SYSTEM, max_grids: int = 2):
    """The :class:`~gigawatt.web.whatif.Engine` of ``pjm-2026``, of an outlook scenario (``.toml``) or of a grid
    from a description (``ercot``, ``tva``, a grid description ``.toml``, docs/grids.md).

    Raises
    ------
    InputError
        For another system: the what-if page needs the outlook's zones and policies.
    """
    from gigawatt.outlook import OutlookAssumptions
    from gigawatt.web.whatif import Engine

    if source == DEFAULT_SYSTEM:
        return Engine(OutlookAssumptions(), DEFAULT_SYSTEM, max_grids=max_grids)
    path = Path(source)
    from gigawatt.io.grid import EMBEDDED, load_grid, load_toml

    if (source in EMBEDDED and not path.exists()) or (path.suffix.lower() == ".toml" and path.is_file()
                                                      and "grid" in load_toml(path)):
        from gigawatt.grids import GridOutlook  # a grid from a description (ercot, tva, GRID.toml)

        desc = load_grid(source)
        return Engine(GridOutlook(desc, years=(2026,)), desc.name, max_grids=max_grids)
    if path.suffix.lower() == ".toml":
        from gigawatt.io.outlook_scenario import read_outlook_scenario

        scenario = read_outlook_scenario(path)
        return Engine(scenario.assumptions, scenario.name, max_grids=max_grids)
    raise InputError(f"SYSTEM {source!r}: the what-if page runs on the PJM default ({DEFAULT_SYSTEM}), a grid "
                     f"({', '.join(EMBEDDED)} or a grid description .toml) or an outlook scenario (.toml, as for "
                     "`gigawatt run`); other systems are not served yet")


def allowed_hosts(host: str) -> list[str]:
    """Host headers to answer: the loopback names, plus the bound address; any when bound to all interfaces."""
    base = ["127.0.0.1", "localhost", "[::1]"]
    if host in ("0.0.0.0", "::", ""):
        return ["*"]
    try:
        ip = ipaddress.ip_address(host)
        return base + ([f"[{host}]" if ip.version == 6 else host] if not ip.is_loopback else [])
    except ValueError:
        return base + [host]


def make_server(engine, host: str = "127.0.0.1", port: int = 8765, workers: int = 2, time_limit_s: float = 120.0,
                max_pending: int = 64, log_level: str = "warning"):
    """A ``uvicorn.Server`` for ``engine`` (not started) and its job manager."""
    import uvicorn

    from gigawatt.web.api import create_app
    from gigawatt.web.jobs import JobManager

    jobs = JobManager(workers=workers, max_pending=max_pending, time_limit_s=time_limit_s)
    app = create_app(engine, jobs, allowed_hosts=allowed_hosts(host))
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, timeout_keep_alive=5,
                            limit_concurrency=256, lifespan="off")
    return uvicorn.Server(config), jobs


def serve(engine, host: str = "127.0.0.1", port: int = 8765, workers: int = 2, time_limit_s: float = 120.0,
          say: Callable[[str], None] = print, warm: bool = True) -> None:
    """Warm the kernels (with progress messages), then answer on ``host:port`` until interrupted."""
    if warm:
        secs = engine.warm(say)
        say(f"warm in {secs:.1f} s")
    server, jobs = make_server(engine, host, port, workers, time_limit_s, log_level="warning")
    say(f"what-if page: http://{'[' + host + ']' if ':' in host else host}:{port}/  (API: /api/whatif, "
        "docs: /api/docs; Ctrl-C stops)")
    try:
        server.run()
    finally:
        jobs.shutdown()


class BackgroundServer:
    """A server in a thread of this process (tests): ``with BackgroundServer(engine) as url: ...``."""

    def __init__(self, engine, host: str = "127.0.0.1", port: int = 0, **kw):
        import socket

        if port == 0:
            with socket.socket() as s:
                s.bind((host, 0))
                port = s.getsockname()[1]
        self.server, self.jobs = make_server(engine, host, port, **kw)
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self.server.run, name="gigawatt-serve", daemon=True)

    def __enter__(self) -> str:
        import time

        self._thread.start()
        t0 = time.monotonic()
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() - t0 > 30:
                raise RuntimeError("the what-if server did not start")
            time.sleep(0.02)
        return self.url

    def __exit__(self, *exc):
        self.server.should_exit = True
        self._thread.join(timeout=30)
        self.jobs.shutdown()
        return False


__all__ = ["BackgroundServer", "DEFAULT_SYSTEM", "allowed_hosts", "load_engine", "make_server", "serve"]
