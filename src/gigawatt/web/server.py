"""Start the what-if server: load the system, warm the kernels, then listen (uvicorn)."""

from __future__ import annotations

import ipaddress
import threading
import time
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

    if source in (DEFAULT_SYSTEM, "pjm"):  # "pjm", as `gigawatt run pjm` names it
        return Engine(OutlookAssumptions(), DEFAULT_SYSTEM, max_grids=max_grids)
    path = Path(source)
    from gigawatt.io.grid import EMBEDDED, load_grid, load_toml

    if (source in EMBEDDED and not path.is_file()) or (path.suffix.lower() == ".toml" and path.is_file()
                                                      and "grid" in load_toml(path)):
        from gigawatt.io.grid import outlook_for  # a grid from a description (ercot, tva, GRID.toml)

        desc = load_grid(source)
        return Engine(outlook_for(desc, (2026,)), desc.name, max_grids=max_grids)
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


#: a connection must deliver a whole request (head and body) this soon after it opens or after its last
#: answer, else it is closed [s] (slow and idle clients cannot hold connections)
REQUEST_TIMEOUT_S = 10.0
#: connections kept open at most: past this, the oldest one that is waiting for a request is closed
MAX_CONNECTIONS = 256
#: seconds the server waits for answers in progress when stopping, after cancelling every job [s]
GRACEFUL_S = 3.0


def _protocol_class(request_timeout_s: float, max_connections: int):
    """uvicorn's HTTP/1.1 protocol (h11) with a deadline for each request and a bound on open connections."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Protocol(H11Protocol):
        def connection_made(self, transport):
            super().connection_made(transport)
            self._gw_opened = time.monotonic()
            self._gw_timer = None
            self._gw_arm()
            if len(self.connections) > max_connections:
                idle = [c for c in self.connections if c is not self and getattr(c, "_gw_waiting", lambda: False)()]
                if idle:
                    min(idle, key=lambda c: c._gw_opened)._gw_close()

        def _gw_arm(self):
            if self._gw_timer is not None:
                self._gw_timer.cancel()
            self._gw_timer = self.loop.call_later(request_timeout_s, self._gw_expire)

        def _gw_waiting(self) -> bool:
            """Waiting for a request, or part-way through receiving one (not running or answering one)."""
            return self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and (
                self.cycle is None or self.cycle.response_complete or self.cycle.more_body)

        def _gw_expire(self):
            self._gw_timer = None
            if not self.transport.is_closing() and self._gw_waiting():
                self._gw_close()

        def _gw_close(self):
            if self.cycle is not None and not self.cycle.response_complete:
                self.cycle.disconnected = True
                self.cycle.message_event.set()
            self.transport.close()

        def on_response_complete(self):
            super().on_response_complete()
            if not self.transport.is_closing():
                self._gw_arm()

        def connection_lost(self, exc):
            if self._gw_timer is not None:
                self._gw_timer.cancel()
                self._gw_timer = None
            super().connection_lost(exc)

    return Protocol


def make_server(engine, host: str = "127.0.0.1", port: int = 8765, workers: int = 2, time_limit_s: float = 120.0,
                max_pending: int = 64, log_level: str = "warning", request_timeout_s: float = REQUEST_TIMEOUT_S,
                max_connections: int = MAX_CONNECTIONS):
    """A ``uvicorn.Server`` for ``engine`` (not started) and its job manager.

    Stopping the server (Ctrl-C) cancels every job first, so that it stops within a few seconds.
    """
    import uvicorn

    from gigawatt.web.api import create_app
    from gigawatt.web.jobs import JobManager

    jobs = JobManager(workers=workers, max_pending=max_pending, time_limit_s=time_limit_s)
    app = create_app(engine, jobs, allowed_hosts=allowed_hosts(host))
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, timeout_keep_alive=5,
                            http=_protocol_class(request_timeout_s, max_connections), limit_concurrency=None,
                            timeout_graceful_shutdown=GRACEFUL_S, lifespan="off")

    class Server(uvicorn.Server):
        async def shutdown(self, sockets=None):
            jobs.cancel_all("server stopping")
            await super().shutdown(sockets)

    return Server(config), jobs


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
