"""The OpenADR 2.0b VEN: registration, polling, opt-in/opt-out, telemetry, reconnection (OpenLEADR).

The VEN registers with the VTN, offers a ``TELEMETRY_USAGE`` report of the measured site power
(``powerReal``, MW), polls for events at the VTN's requested frequency and answers each event with
the agent's ``optIn`` or ``optOut`` (:meth:`gigawatt.agent.runtime.Agent.on_event`). When the
VTN cannot be reached at registration the VEN retries every ``retry_s``; once registered,
OpenLEADR keeps polling through outages, and the status shows the last contact.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone

from gigawatt.agent._openleadr import openleadr
from gigawatt.agent.runtime import Agent

log = logging.getLogger("gigawatt.agent")


class Ven:
    """One VEN for one agent.

    Parameters
    ----------
    agent : Agent
    vtn_url : str
        e.g. ``http://127.0.0.1:8080/OpenADR2/Simple/2.0b``
    ven_name : str
    report_s : float
        Fastest telemetry sampling the VEN offers [wall s]; it also accepts any slower rate up to one a second
        (a VTN asking for 1 s telemetry gets it from a VEN started with the default 10 s).
    retry_s : float
        Wait between registration attempts while the VTN is unreachable [wall s].
    poll_s : float, optional
        Poll this often [wall s] instead of the VTN's requested frequency (OpenADR durations are whole
        seconds; time-compressed demos and tests poll faster).
    """

    def __init__(self, agent: Agent, vtn_url: str, ven_name: str, *, report_s: float = 10.0, retry_s: float = 5.0,
                 poll_s: float | None = None):
        self.agent, self.vtn_url, self.ven_name = agent, vtn_url, ven_name
        self.report_s, self.retry_s, self.poll_s = float(report_s), float(retry_s), poll_s
        self.client = None
        self._was_up = True
        self.period_s = 10.0
        agent.vtn["url"] = vtn_url

    def _make_client(self):
        ol = openleadr()
        client = ol.OpenADRClient(ven_name=self.ven_name, vtn_url=self.vtn_url)
        client.add_handler("on_event", self._on_event)
        client.add_handler("on_update_event", self._on_event)
        client.add_report(callback=self._measured, resource_id=self.ven_name, measurement="real_power",
                          unit="W", scale="M",
                          sampling_rate=ol.objects.SamplingRate(min_period=timedelta(seconds=min(self.report_s, 1.0)),
                                                                max_period=timedelta(hours=1), on_change=False),
                          report_duration=timedelta(hours=1))
        client.add_hook("after_receive_xml", self._contact)
        return client

    async def _on_event(self, event: dict) -> str:
        self.agent.advance_to_now()
        return self.agent.on_event(event)

    def _measured(self) -> float:
        return round(float(self.agent.measured_mw), 3)

    async def _contact(self, _xml) -> None:
        self.agent.vtn["last_contact"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.agent.vtn["connected"] = True
        self._last = asyncio.get_running_loop().time()

    async def _watch(self, stop: asyncio.Event) -> None:
        """Mark the VTN unreachable when no answer came for three polling intervals."""
        while not stop.is_set():
            period = self.period_s
            await _wait(stop, period)
            last = getattr(self, "_last", None)
            quiet = last is None or asyncio.get_running_loop().time() - last > 3 * period + 1
            if quiet and self.agent.vtn["connected"]:
                self.agent.vtn["connected"] = False
                self.agent.say(f"VTN {self.vtn_url} unreachable: keeping the site on its plan, retrying",
                               logging.WARNING)
            elif not quiet and not self._was_up:
                self.agent.say(f"VTN {self.vtn_url} reachable again")
            self._was_up = not quiet

    async def run(self, stop: asyncio.Event) -> None:
        """Register (retrying), then serve until ``stop`` is set."""
        while not stop.is_set():
            self.client = self._make_client()
            await self.client.run()
            if self.client.registration_id:
                break
            self.agent.say(f"VTN {self.vtn_url} unreachable at registration: retrying in {self.retry_s:g} s",
                           logging.WARNING)
            await _close(self.client)
            await _wait(stop, self.retry_s)
        else:
            return
        requested = self.client.poll_frequency.total_seconds() if self.client.poll_frequency else 10.0
        self.period_s = max(requested, 1.0) if self.poll_s is None else self.poll_s
        if self.poll_s is not None:
            for job in self.client.scheduler.get_jobs():
                if getattr(job.func, "__name__", "") == "_poll":
                    job.reschedule(trigger="interval", seconds=self.poll_s)
        self.agent.say(f"registered with {self.vtn_url} as {self.ven_name} (ven_id {self.client.ven_id}); polling "
                       f"every {self.period_s:g} s")
        watch = asyncio.create_task(self._watch(stop))
        try:
            await stop.wait()
        finally:
            watch.cancel()
            await _close(self.client)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except asyncio.TimeoutError:
        pass


async def _close(client) -> None:
    try:
        if client.scheduler.running:
            client.scheduler.shutdown(wait=False)
        if client.report_queue_task:
            client.report_queue_task.cancel()
        if client.client_session is not None and not client.client_session.closed:
            await client.client_session.close()
    except Exception as exc:  # closing must not fail the agent
        log.debug("closing the OpenADR client: %s", exc)
