"""``gigawatt serve``: the what-if page, a local web application on the outlook's grid (:mod:`gigawatt.web`)."""

from __future__ import annotations

import typer

from gigawatt.cli._common import status

from gigawatt.constants import DEFAULT_SYSTEM


def register(app: typer.Typer) -> None:
    """Register ``serve`` on the top-level app."""

    @app.command()
    def serve(
        system: str = typer.Argument(DEFAULT_SYSTEM, metavar="SYSTEM|SCENARIO.toml",
                                     help="pjm-2026 (the embedded PJM default), ercot, tva, a grid description or an "
                                          "outlook scenario (.toml)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; 127.0.0.1 (this machine "
                                 "only) unless told otherwise, 0.0.0.0 for every interface."),
        port: int = typer.Option(8765, "--port", min=1, max=65535, help="Port."),
        workers: int = typer.Option(2, "--workers", min=1, max=16, help="What-ifs run at once (threads)."),
        time_limit_s: float = typer.Option(120.0, "--time-limit-s", min=1.0, max=3600.0,
                                           help="A what-if still running after this is cancelled [s]."),
        max_grids: int = typer.Option(2, "--max-grids", min=1, max=35,
                                      help="Study years whose grid is kept ready: memory-mapped from the disk cache "
                                      "(~/.cache/gigawatt/grids), ~0.5 GB resident in all with 2 when idle, "
                                      "~2 GB at peak while a new year is built."),
    ) -> None:
        """The what-if page: move the data centers, the policy and demand response; see LOLE, the people
        affected and what the training loses, in seconds. A JSON API (POST /api/whatif) too."""
        status(f"gigawatt serve: {system} on http://{host}:{port}/")
        if host not in ("127.0.0.1", "localhost", "::1"):
            from gigawatt.cli._common import error_console

            error_console.print(f"warning: listening on {host}: anyone who can reach this address can run "
                                "what-ifs (there is no login)", highlight=False)
        from gigawatt.web.server import load_engine
        from gigawatt.web.server import serve as run_server

        engine = load_engine(system, max_grids=max_grids)
        run_server(engine, host=host, port=port, workers=workers, time_limit_s=time_limit_s,
                   say=lambda text: print(text, flush=True))
