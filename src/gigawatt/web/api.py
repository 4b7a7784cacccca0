"""The FastAPI application: the what-if page and its JSON API.

Endpoints (every body field is optional; the defaults are in :class:`WhatIfRequest`):

``POST /api/whatif``
    Run one what-if and answer its results: the keys of ``gigawatt adequacy --json`` per simulated
    year (``lole_d``, ``lolh_h``, ``eue_mwh``, ``neue_ppm`` as ``{mean, stderr}``, ``regions`` ...),
    the data-center keys of ``gigawatt run``'s results (``dc_curtailed_hours``, ``dc_gpu_hours_lost``,
    ``shortfall_month_hour`` ...), ``meets_standard``, ``zone_criteria`` (each zone's LOLE beside PJM's
    LDA criterion, 0.04 d/yr, for the zones held to one, and the RTO's 0.1) and ``wall_s``. ``samples``:
    each sample simulates every weather year once (``simulated_years`` = samples x weather years); the
    default is about 1,008 simulated years whatever the number of weather years. 422 names the field and
    what was expected; 504 when the run passes the time limit; 503 when too many what-ifs wait.
``POST /api/gap``
    Firm capacity needed to hold the RTO at 0.1 d/yr and each LDA zone at its criterion, placed as
    results.json's gap (:func:`gigawatt.decision.firm_gap_by_zone` on the what-if's own system): ``gap_mw``;
    ``low_mw``, ``high_mw`` (the 95 % interval where another seed's estimate falls); ``status``;
    ``gap_by_zone_mw`` (zone -> ``{estimate, low, high}``); ``zone_criteria`` (each LDA zone's own LOLE,
    the rest made sure, against its criterion). Its progress counts samples over the searches' runs.
``POST /api/jobs?page=ID`` (body as ``/api/whatif``; ``kind=gap`` for the gap), ``GET /api/jobs/{id}``, ``DELETE /api/jobs/{id}``
    The page's way: a job with progress (``done``/``total`` samples) that can be cancelled; a newer
    job of the same page cancels the older one.
``GET /api/health``
    ``{"status": "ok", ...}`` (the server listens only once the kernels are warm).
``GET /api/defaults``
    The system, its study years, zones with the forecast data centers, policy kinds and limits.
``GET /api/docs``
    The API reference: the package's own page rendering ``/api/openapi.json`` (no outside assets).

Every request passes :class:`Guard` first (Host, Origin, body size counted as it arrives, HEAD as GET,
security headers); the bodies are validated in pydantic's strict mode (``true`` is not a number,
``"84"`` is not a number of samples). Idle and slow connections are closed by the server's request
deadline (:mod:`gigawatt.web.server`).
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import time
from pathlib import Path
from typing import Literal, Optional

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, model_validator

from gigawatt.web import whatif as W
from gigawatt.web.jobs import FINAL, Busy, JobManager

STATIC = Path(__file__).with_name("static")
#: largest request body [bytes]: the settings are a few hundred bytes
MAX_BODY_BYTES = 16_384
#: a page id: letters, digits, '-' and '_'
PAGE_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


class ZoneGW(BaseModel):
    """Data centers added to the study year's forecast in each zone [GW]; negative: fewer (down to none).
    A grid from a description names its own zones (checked against the grid)."""

    # other zones' names are allowed (a grid from a description names its own), typed as strictly as these
    model_config = ConfigDict(extra="allow", allow_inf_nan=False, strict=True)
    DOM: float = Field(0.0, ge=-W.MAX_ADDED_GW, le=W.MAX_ADDED_GW, description="Dominion [GW]")
    REST: float = Field(0.0, ge=-W.MAX_ADDED_GW, le=W.MAX_ADDED_GW, description="the rest of PJM [GW]")

    @model_validator(mode="after")
    def _other_zones(self):
        """A zone named by the grid: a JSON number (not a bool or a string) within the same bounds."""
        for name, v in (self.model_extra or {}).items():
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) \
                    or not -W.MAX_ADDED_GW <= v <= W.MAX_ADDED_GW:
                raise ValueError(f"dc_added_gw.{name}: expected a number of GW in [{-W.MAX_ADDED_GW:g}, "
                                 f"{W.MAX_ADDED_GW:g}], got {v!r}")
        return self


class WhatIfRequest(BaseModel):
    """The settings of one what-if; every field is optional."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)
    year: Optional[int] = Field(None, ge=W.FIRST_YEAR, le=W.LAST_YEAR,
                                description="study year; default the outlook's first (2026)")
    dc_added_gw: ZoneGW = Field(default_factory=ZoneGW, description="data centers added per zone [GW]")
    policy: Literal[W.POLICY_KINDS] = Field("firm", description="data-center policy")  # type: ignore[valid-type]
    capped_hours: Optional[float] = Field(None, ge=0, le=W.HOURS_PER_YEAR,
                                          description="curtailment hours a year of the capped contract [h]; "
                                          "default 100")
    battery_mw: Optional[float] = Field(None, ge=0, le=W.MAX_RESOURCE_MW,
                                        description="battery power of firm+battery [MW]; default 25 % of the "
                                        "data-center load")
    battery_h: Optional[float] = Field(None, gt=0, le=W.MAX_BATTERY_H,
                                       description="battery energy over power [h]; default 2.05 (Megapack 2 XL)")
    onsite_gen_mw: Optional[float] = Field(None, ge=0, le=W.MAX_RESOURCE_MW,
                                           description="on-site generation of firm+onsite-gen [MW]; default 50 % "
                                           "of the data-center load")
    demand_response: bool = Field(True, description="demand response in the emergency order")
    samples: Optional[int] = Field(None, ge=1, le=W.MAX_SAMPLES,
                                   description="Monte Carlo samples; each sample simulates every weather year of "
                                   "the system once, so a request simulates samples x weather years years (the "
                                   "answer's simulated_years) and costs in proportion to them. Default: about "
                                   f"{W.DEFAULT_SIMULATED_YEARS:,} simulated years, ceil({W.DEFAULT_SIMULATED_YEARS}"
                                   " / weather years) samples (44 on the PJM default's 23 weather years; "
                                   "/api/defaults says). At most "
                                   f"{W.MAX_SAMPLES} samples and {W.MAX_SIMULATED_YEARS:,} simulated years")
    seed: int = Field(W.DEFAULT_SEED, ge=0, le=W.MAX_SEED, description="random seed (common random numbers)")

    def settings(self) -> W.Settings:
        return W.Settings(year=self.year, dc_added_gw=self.dc_added_gw.model_dump(), policy=self.policy,
                          capped_hours=self.capped_hours, battery_mw=self.battery_mw, battery_h=self.battery_h,
                          onsite_gen_mw=self.onsite_gen_mw, demand_response=self.demand_response,
                          samples=self.samples, seed=self.seed)


def _zone_criterion_d(engine: W.Engine) -> dict:
    """Zone -> PJM's LDA criterion [d/yr] for the grid's zones held to one (Dominion on the PJM model)."""
    from gigawatt.capacity.zonal import LDA_LOLE_D
    from gigawatt.decision.zonal import LDA_ZONES

    return {z: LDA_LOLE_D for z in W.zones_of(engine.outlook) if z in LDA_ZONES}


def _field_error(exc: W.FieldError) -> JSONResponse:
    return JSONResponse({"detail": [{"loc": ["body", *exc.loc], "msg": exc.msg, "type": "value_error"}]},
                        status_code=422)


#: a Host header: a name or IPv4 address, or an IPv6 address in brackets, then an optional port
_HOST = re.compile(r"^(?P<name>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(?::(?P<port>[0-9]{1,5}))?$")
#: methods that change state: their Origin header, when sent, must be the page's own
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
#: headers of every answer (the page's own scripts and styles only)
SECURITY_HEADERS = [(b"content-security-policy", b"default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                     b"script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                     b"form-action 'self'"),
                    (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]


def parse_host(host: str) -> str | None:
    """The name of a Host header, lower case (``127.0.0.1:8765`` -> ``127.0.0.1``, ``[::1]:8765`` -> ``[::1]``);
    None when the header is not a well-formed host (``[::1].evil.example``, ``127.0.0.1:1@evil.example``)."""
    m = _HOST.match(host or "")
    if m is None or (m.group("port") is not None and not 0 < int(m.group("port")) < 65536):
        return None
    return m.group("name").lower()


async def _answer(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """The server's checks before any route (a plain ASGI middleware, so that the routes see the real
    ``receive``: a client that goes away is seen).

    - Host: well formed and one of ``hosts`` (against DNS rebinding), else 400;
    - Origin: on a state-changing request, absent or the page's own (``http://`` + Host), else 403;
    - body: ``Transfer-Encoding`` together with ``Content-Length`` is refused (400); the bytes actually
      received are counted, and more than ``max_body`` is refused (413), chunked or not; the body is read
      whole before the route runs, within ``body_timeout_s`` (else 408);
    - HEAD answers as GET, without the body;
    - security headers on every answer.
    """

    def __init__(self, app, hosts: list[str], max_body: int = 16_384, body_timeout_s: float = 10.0):
        self.app, self.hosts, self.max_body, self.body_timeout_s = app, hosts, max_body, body_timeout_s

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers: dict[str, list[str]] = {}
        for k, v in scope.get("headers", []):
            headers.setdefault(k.decode("latin-1").lower(), []).append(v.decode("latin-1"))
        raw_host = (headers.get("host") or [""])
        host = parse_host(raw_host[0]) if len(raw_host) == 1 else None
        if host is None:
            return await _answer(send, 400, f"Host header {', '.join(raw_host)!r}: expected host[:port]")
        if "*" not in self.hosts and host not in self.hosts:
            return await _answer(send, 400, f"host {host!r} is not served; expected one of {self.hosts}")
        method = scope["method"]
        if method in _UNSAFE:
            origin = headers.get("origin")
            if origin is not None and (len(origin) != 1 or origin[0].lower() != f"http://{raw_host[0].lower()}"):
                return await _answer(send, 403, f"Origin {origin[0] if origin else ''!r}: requests that change "
                                     f"state are answered only from this server's own page (http://{raw_host[0]})")
            if (headers.get("sec-fetch-site") or ["same-origin"])[0] == "cross-site":
                return await _answer(send, 403, "Sec-Fetch-Site cross-site: requests that change state are answered "
                                     "only from this server's own page")
        length = headers.get("content-length")
        if "transfer-encoding" in headers and length is not None:
            return await _answer(send, 400, "request: Transfer-Encoding and Content-Length together are refused")
        if length is not None and (len(length) != 1 or not length[0].isdigit() or int(length[0]) > self.max_body):
            return await _answer(send, 413, f"request body: expected at most {self.max_body} bytes")
        if method == "HEAD":
            scope = dict(scope, method="GET")  # uvicorn sends no body for HEAD
        if method in _UNSAFE or "transfer-encoding" in headers or length is not None:
            try:
                body = await asyncio.wait_for(self._read(receive), self.body_timeout_s)
            except asyncio.TimeoutError:
                return await _answer(send, 408, f"request body: not received within {self.body_timeout_s:g} s")
            if body is None:
                return await _answer(send, 413, f"request body: expected at most {self.max_body} bytes")
            receive = _replay(body, receive)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = dict(message, headers=[*message.get("headers", []), *SECURITY_HEADERS])
            await send(message)

        return await self.app(scope, receive, send_with_headers)

    async def _read(self, receive) -> bytes | None:
        """The whole body, or None past ``max_body`` bytes (counted as they come, whatever the headers said)."""
        chunks, n = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"".join(chunks)
            n += len(message.get("body", b""))
            if n > self.max_body:
                return None
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, receive):
    """A ``receive`` that gives ``body`` once, then the server's own (to hear a client going away)."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _strict(obj):
    """NaN and infinities as null (strict JSON, as ``gigawatt adequacy --json``)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _strict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_strict(v) for v in obj]
    return obj


def create_app(engine: W.Engine, jobs: JobManager | None = None, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The application for ``engine``; ``jobs`` runs the what-ifs (default two threads, 120 s limit).

    ``allowed_hosts``: Host headers answered (default the loopback names, against DNS rebinding); ``["*"]`` any.
    """
    jobs = jobs or JobManager()
    app = FastAPI(title="gigawatt what-if", version="1", docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json")
    app.state.engine, app.state.jobs = engine, jobs
    hosts = allowed_hosts or ["127.0.0.1", "localhost", "[::1]", "testserver"]

    app.add_middleware(Guard, hosts=hosts, max_body=MAX_BODY_BYTES)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        return JSONResponse({"detail": detail}, status_code=422)

    def submit(kind: str, body: WhatIfRequest, page: str | None):
        try:
            r = engine.resolve(body.settings())
        except W.FieldError as exc:
            return None, _field_error(exc)
        run = engine.run if kind == "whatif" else engine.gap
        # a new year's grid is answered from memory and saved to the disk cache after the answer
        fn = (lambda job: _strict(run(r, progress=job.progress, cancel=job.cancelled, defer_save=True)))
        try:
            job = jobs.submit(kind, fn, page=page, total=r.samples)
        except Busy as exc:
            return None, JSONResponse({"detail": str(exc)}, status_code=503)
        return job, None

    async def wait(request: Request, job):
        fut = asyncio.wrap_future(job.future)
        while True:
            done, _ = await asyncio.wait({fut}, timeout=0.25)
            if done:
                break
            if time.monotonic() > job.deadline + 2.0:  # a run that cannot stop between chunks (the gap)
                jobs.cancel(job.id, "time limit")
                return JSONResponse({"detail": f"time limit: no answer within {jobs.time_limit_s:g} s"},
                                    status_code=504)
            if await request.is_disconnected():
                jobs.cancel(job.id, "the client went away")
                return JSONResponse({"detail": "the client went away"}, status_code=499)
        if job.state == "done":
            return JSONResponse(job.result)
        status, detail = job.error or (500, "no result")
        return JSONResponse({"detail": detail}, status_code=status)

    @app.post("/api/whatif")
    async def post_whatif(request: Request, body: WhatIfRequest = WhatIfRequest()):
        """Run one what-if and answer its results (see the module docstring)."""
        job, err = submit("whatif", body, None)
        return err if err is not None else await wait(request, job)

    @app.post("/api/gap")
    async def post_gap(request: Request, body: WhatIfRequest = WhatIfRequest()):
        """Firm capacity needed to meet 0.1 d/yr [MW] (see the module docstring)."""
        job, err = submit("gap", body, None)
        return err if err is not None else await wait(request, job)

    @app.post("/api/jobs", status_code=202)
    async def post_job(body: WhatIfRequest = WhatIfRequest(),
                       page: Optional[str] = Query(None, pattern=PAGE_PATTERN),
                       kind: Literal["whatif", "gap"] = Query("whatif")):
        """Start a what-if (or gap) job; a newer job of the same page and kind cancels the older one."""
        job, err = submit(kind, body, page)
        return err if err is not None else JSONResponse(job.to_dict(), status_code=202)

    @app.get("/api/jobs/{job_id}")
    async def get_job(job_id: str):
        job = jobs.get(job_id)
        if job is None:
            return JSONResponse({"detail": f"job {job_id!r}: no such job (finished jobs are kept for a while)"},
                                status_code=404)
        return JSONResponse(job.to_dict())

    @app.delete("/api/jobs/{job_id}")
    async def delete_job(job_id: str):
        job = jobs.cancel(job_id, "cancelled")
        if job is None:
            return JSONResponse({"detail": f"job {job_id!r}: no such job"}, status_code=404)
        return JSONResponse(job.to_dict())

    @app.get("/api/health")
    async def health():
        return {"status": "ok", "system": engine.name, "pending": jobs.pending(), "workers": jobs.workers}

    @app.get("/api/defaults")
    async def defaults():
        o = engine.outlook
        years = {y: {z: round(mw / 1000.0, 3) for z, mw in W.forecast_zone_mw(o, y).items()}
                 for y in range(W.FIRST_YEAR, W.LAST_YEAR + 1)}
        desc = getattr(o, "description", None)  # a grid from a description: its title names it on the page
        return {"system": engine.name, "title": desc.title if desc is not None else None,
                "years": [W.FIRST_YEAR, W.LAST_YEAR], "default_year": o.years[0],
                "weather_years": list(o.weather_years), "zones": list(W.zones_of(o)), "forecast_dc_gw": years,
                "policies": list(W.POLICY_KINDS), "standard_lole_d": W.STANDARD_LOLE_D,
                "defaults": {**WhatIfRequest().model_dump(), "samples": W.default_samples(o)},
                "default_simulated_years": W.DEFAULT_SIMULATED_YEARS, "zone_criterion_d": _zone_criterion_d(engine),
                "limits": {"samples": W.max_samples(o), "simulated_years": W.MAX_SIMULATED_YEARS, "added_gw": W.MAX_ADDED_GW, "resource_mw": W.MAX_RESOURCE_MW,
                           "hours": W.HOURS_PER_YEAR, "battery_h": W.MAX_BATTERY_H, "seed": W.MAX_SEED,
                           "time_limit_s": jobs.time_limit_s}}

    @app.get("/", include_in_schema=False)
    async def index():
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/api/docs", include_in_schema=False)
    async def docs():
        """The API reference: the page's own rendering of ``/api/openapi.json`` (no outside assets)."""
        return FileResponse(STATIC / "docs.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon():
        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


__all__ = ["FINAL", "Guard", "WhatIfRequest", "ZoneGW", "create_app", "parse_host"]
