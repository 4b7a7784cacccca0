"""Run an agent: the control loop, the status endpoint and the VEN together (``gigawatt agent``)."""

from __future__ import annotations

import asyncio
import logging

from gigawatt.agent.runtime import Agent

log = logging.getLogger("gigawatt.agent")


def build_agent(site, backend: str = "sim", *, time_scale: float = 1.0, dry_run: bool = False, seed: int = 0,
                say=print, nvml=None) -> Agent:
    """An :class:`Agent` on the ``sim`` or ``nvml`` backend (``nvml``: this machine's GPUs; ``nvml`` argument: a
    module that stands in for ``pynvml``)."""
    from gigawatt.agent.backends import NvmlCompute, NvmlGpus, SimCompute, SimStorage

    if backend == "sim":
        compute = SimCompute(site, seed=seed)
    elif backend == "nvml":
        compute = NvmlCompute(site, NvmlGpus(nvml), dry_run=dry_run, say=say)
    else:
        raise ValueError(f"backend: expected 'sim' or 'nvml', got {backend!r}")
    return Agent(site, compute, SimStorage(site), time_scale=time_scale, backend=backend)


async def control_loop(agent: Agent, stop: asyncio.Event, tick_s: float = 0.05, max_step_s: float = 1.0) -> None:
    """Step the site with the wall clock every ``tick_s`` wall seconds until ``stop`` is set."""
    while not stop.is_set():
        try:
            agent.advance_to_now(max_step_s)
        except Exception as exc:  # keep the last safe state; a control defect is logged, the loop goes on
            agent.say(f"control step failed: {type(exc).__name__}: {exc}", logging.ERROR)
        try:
            await asyncio.wait_for(stop.wait(), tick_s)
        except asyncio.TimeoutError:
            pass


async def serve(agent: Agent, vtn_url: str | None, ven_name: str, *, status_host: str = "127.0.0.1",
                status_port: int | None = 8766, tick_s: float = 0.05, report_s: float = 10.0, retry_s: float = 5.0,
                poll_s: float | None = None, stop: asyncio.Event | None = None) -> None:
    """Run the control loop, the status endpoint (unless ``status_port`` is None) and the VEN (unless
    ``vtn_url`` is None) until ``stop`` is set."""
    from gigawatt.agent import status as status_mod

    stop = stop or asyncio.Event()
    runner = None
    if status_port is not None:
        runner = await status_mod.start(agent, status_host, status_port)
        agent.say(f"status on http://{status_host}:{status_port}/status")
    tasks = [asyncio.create_task(control_loop(agent, stop, tick_s))]
    if vtn_url is not None:
        from gigawatt.agent.ven import Ven

        tasks.append(asyncio.create_task(Ven(agent, vtn_url, ven_name, report_s=report_s, retry_s=retry_s,
                                                 poll_s=poll_s).run(stop)))
    try:
        await asyncio.gather(*tasks)
    finally:
        stop.set()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if runner is not None:
            await runner.cleanup()
