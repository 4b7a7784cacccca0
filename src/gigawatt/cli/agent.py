"""``gigawatt agent``: the live site agent, an OpenADR 2.0b VEN (:mod:`gigawatt.agent`)."""

from __future__ import annotations

import typer

from gigawatt.cli._common import status

BACKENDS = ("sim", "nvml")


def register(app: typer.Typer) -> None:
    """Register ``agent`` on the top-level app."""

    @app.command()
    def agent(
        site_file: str = typer.Argument(..., metavar="SITE.toml", help="The agent's site file (docs/agent.md), "
                                        "e.g. examples/colossus2.toml."),
        vtn: str = typer.Option(None, "--vtn", help="URL of the VTN, e.g. http://127.0.0.1:8080/OpenADR2/Simple/2.0b."),
        ven_name: str = typer.Option(None, "--ven-name", help="This VEN's name at the VTN (default: the site's name)."),
        backend: str = typer.Option("sim", "--backend", help="sim (the site's dynamics in real time) or nvml "
                                    "(this machine's NVIDIA GPUs)."),
        dry_run: bool = typer.Option(False, "--dry-run", help="nvml: print the power limits instead of setting "
                                     "them; without --vtn, list the GPUs and the caps of SIMPLE levels 1-3 and exit."),
        status_port: int = typer.Option(8766, "--status-port", min=1, max=65535, help="Port of GET /status."),
        status_host: str = typer.Option("127.0.0.1", "--status-host", help="Address of the status endpoint."),
        time_scale: float = typer.Option(1.0, "--time-scale", min=1e-3, max=3600.0,
                                         help="Site seconds per wall second (1 in operation; >1 compresses "
                                         "events for demos, with the same value given to the demo VTN)."),
        report_s: float = typer.Option(10.0, "--report-s", min=0.1, max=3600.0,
                                       help="Telemetry sampling interval sent to the VTN [s]."),
        seed: int = typer.Option(0, "--seed", min=0, help="Seed of the sim backend's power fluctuation."),
    ) -> None:
        """Answer a grid's OpenADR calls with GPU power caps, pauses, battery and turbines, within the
        site's contract and the grid's ramp limit; GET /status shows what it does and why."""
        if backend not in BACKENDS:
            raise typer.BadParameter(f"expected one of {', '.join(BACKENDS)}, got {backend!r}", param_hint="--backend")
        if vtn is not None and not vtn.startswith(("http://", "https://")):
            raise typer.BadParameter(f"expected an http:// or https:// URL, got {vtn!r}", param_hint="--vtn")
        status(f"gigawatt agent: {site_file} ({backend}{', dry run' if dry_run else ''})")
        from gigawatt.agent.site import read_agent_site

        site = read_agent_site(site_file)  # the site file first: its errors say more than a missing --vtn
        if vtn is None and not (backend == "nvml" and dry_run):
            raise typer.BadParameter("a VTN URL is needed (or --backend nvml --dry-run to list the GPUs)",
                                     param_hint="--vtn")
        if vtn is None:
            from gigawatt.agent.dryrun import level_table

            print(level_table(site))
            return
        import asyncio
        import logging

        from gigawatt.agent.service import build_agent, serve

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
        for noisy in ("openleadr", "apscheduler"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        if status_host not in ("127.0.0.1", "localhost", "::1"):
            logging.getLogger("gigawatt.agent").warning(
                "status on %s: anyone who can reach this address can read the site's status", status_host)
        ag = build_agent(site, backend, time_scale=time_scale, dry_run=dry_run, seed=seed,
                         say=lambda text: print(text, flush=True))
        try:
            asyncio.run(serve(ag, vtn, ven_name or site.site.name, status_host=status_host, status_port=status_port,
                              report_s=report_s))
        except KeyboardInterrupt:
            pass
        except OSError as exc:
            from gigawatt.errors import GigawattError

            raise GigawattError(f"status endpoint {status_host}:{status_port}: {exc.strerror or exc}") from None
