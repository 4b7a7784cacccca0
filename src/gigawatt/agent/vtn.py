"""A small OpenADR 2.0b VTN (OpenLEADR's ``OpenADRServer``) for demos and tests.

One line starts it (docs/agent.md)::

    python -m gigawatt.agent.vtn --ven-name colossus-2 --reduce-mw 300 --in-s 30 --for-s 600

It registers any VEN (its ``ven_id`` is its name), asks for its telemetry every ``--report-s``,
and, when the named VEN registers, sends it ``LOAD_DISPATCH`` (delta, ``powerReal`` in MW):
reduce ``--reduce-mw`` from ``--in-s`` seconds after registration for ``--for-s`` seconds. It
prints the VEN's opt-in/opt-out and reports. Binds 127.0.0.1 by default.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import warnings
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from gigawatt.agent._openleadr import openleadr

#: The path OpenLEADR serves under (OpenADR 2.0b simple HTTP)
PATH = "/OpenADR2/Simple/2.0b"


class Vtn:
    """A VTN whose registrations, opt responses and reports survive a restart (:meth:`stop` then :meth:`start`).

    Parameters
    ----------
    host, port : where to listen (127.0.0.1 by default)
    poll_s : polling interval asked of the VENs [s]
    report_s : telemetry sampling interval asked of the VENs [s]
    on_register : callable(ven_id), optional, called when a VEN registers
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 8080, *, poll_s: float = 1.0, report_s: float = 1.0,
                 on_register=None, vtn_id: str = "GIGAWATT-VTN", say=None):
        self.host, self.port, self.poll_s, self.report_s = host, int(port), float(poll_s), float(report_s)
        self.vtn_id, self.on_register, self.say = vtn_id, on_register, say or (lambda text: None)
        self.registered: dict = {}  # ven_id -> registration_id
        self.opts: list = []  # {ven_id, event_id, opt_type}
        self.reports: list = []  # (ven_id, dtstart, MW)
        self._report_callbacks: dict = {}  # (report_request_id, r_id) -> callback, kept across restarts
        self.server = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{PATH}"

    def _ven_lookup(self, ven_id):
        if ven_id not in self.registered:
            return None
        return {"ven_id": ven_id, "ven_name": ven_id, "fingerprint": None, "registration_id": self.registered[ven_id]}

    async def _on_create_party_registration(self, info):
        ven_id = info["ven_name"]
        self.registered[ven_id] = f"reg-{ven_id}"
        self.say(f"VEN {ven_id} registered")
        if self.on_register is not None:
            asyncio.get_running_loop().call_soon(self.on_register, ven_id)
        return ven_id, self.registered[ven_id]

    async def _on_register_report(self, ven_id, resource_id, measurement, unit, scale, min_sampling_interval,
                                  max_sampling_interval):
        return self._report_callback(ven_id), timedelta(seconds=self.report_s)

    def _report_callback(self, ven_id):
        def got(values):
            for t, v in values:
                self.reports.append((ven_id, t, float(v)))
                self.say(f"report from {ven_id}: {float(v):.1f} MW at {t.isoformat(timespec='seconds')}")
        return got

    async def _on_update_report(self, report):  # a report this VTN never asked for: kept, VEN unknown
        for i in report.get("intervals") or []:
            self.reports.append(("?", i["dtstart"], float(i["report_payload"]["value"])))

    def _opt(self, ven_id, event_id, opt_type):
        self.opts.append({"ven_id": ven_id, "event_id": event_id, "opt_type": opt_type})
        self.say(f"VEN {ven_id}: {opt_type} for event {event_id}")

    async def start(self) -> None:
        ol = openleadr()
        from aiohttp.web_exceptions import NotAppKeyWarning

        with warnings.catch_warnings():
            # OpenLEADR keeps itself in the aiohttp application under a string key (aiohttp >= 3.9 warns)
            warnings.filterwarnings("ignore", category=NotAppKeyWarning)
            server = ol.OpenADRServer(vtn_id=self.vtn_id, http_host=self.host, http_port=self.port,
                                      requested_poll_freq=timedelta(seconds=self.poll_s),
                                      ven_lookup=self._ven_lookup, show_fingerprint=False)
        server.add_handler("on_create_party_registration", self._on_create_party_registration)
        server.add_handler("on_register_report", self._on_register_report)
        server.add_handler("on_update_report", self._on_update_report)
        # registrations and report requests persist across a restart, as a VTN's database would keep them
        server.services["report_service"].report_callbacks = self._report_callbacks
        await server.run()
        self.server = server

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop()
            self.server = None

    def add_reduction(self, ven_id: str, mw: float, start: datetime, duration: timedelta, event_id=None) -> str:
        """Send ``LOAD_DISPATCH`` delta: reduce ``mw`` (payload ``-mw``, powerReal, scale M)."""
        return self.add_signal(ven_id, "LOAD_DISPATCH", "delta", -float(mw), start, duration, event_id=event_id,
                               measurement=True)

    def add_signal(self, ven_id: str, name: str, kind: str, payload: float, start: datetime, duration: timedelta,
                   event_id=None, measurement: bool = False) -> str:
        """Send one event with one signal and one interval (any name and type OpenLEADR accepts)."""
        ol = openleadr()
        eid = self.server.add_event(ven_id=ven_id, signal_name=name, signal_type=kind, event_id=event_id,
                                    intervals=[{"dtstart": start, "duration": duration, "signal_payload": payload}],
                                    callback=self._opt)
        if measurement:
            event = self.server.events[ven_id][-1]
            m = replace(copy.deepcopy(ol.enums.MEASUREMENTS.REAL_POWER), scale="M")
            event.event_signals[0].measurement = m
        self.say(f"event {eid} for {ven_id}: {name} {kind} {payload:g} from {start.isoformat(timespec='seconds')} "
                 f"for {duration.total_seconds():g} s")
        return eid

    def cancel(self, ven_id: str, event_id: str) -> None:
        self.server.cancel_event(ven_id, event_id)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m gigawatt.agent.vtn", description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--ven-name", default="colossus-2", help="VEN to send the event to when it registers")
    ap.add_argument("--reduce-mw", type=float, default=300.0, help="reduction asked [MW]")
    ap.add_argument("--in-s", type=float, default=30.0, help="start, seconds after the VEN registers [site s]")
    ap.add_argument("--for-s", type=float, default=600.0, help="duration [site s]")
    ap.add_argument("--time-scale", type=float, default=1.0,
                    help="site seconds per wall second, as given to the agent (compresses --in-s and --for-s)")
    ap.add_argument("--poll-s", type=float, default=1.0)
    ap.add_argument("--report-s", type=float, default=2.0)
    a = ap.parse_args(argv)
    if not (a.time_scale > 0 and a.reduce_mw >= 0 and a.in_s >= 0 and a.for_s > 0):
        ap.error("--time-scale and --for-s must be > 0, --reduce-mw and --in-s >= 0")

    async def run():
        vtn = None

        def registered(ven_id):
            if ven_id == a.ven_name:
                start = datetime.now(timezone.utc) + timedelta(seconds=a.in_s / a.time_scale)
                vtn.add_reduction(ven_id, a.reduce_mw, start, timedelta(seconds=a.for_s / a.time_scale))

        vtn = Vtn(a.host, a.port, poll_s=a.poll_s, report_s=a.report_s, on_register=registered,
                  say=lambda text: print(text, flush=True))
        await vtn.start()
        print(f"VTN at {vtn.url}; waiting for VEN {a.ven_name!r} (Ctrl-C stops)", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await vtn.stop()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
