"""Limits that hold against careless and hostile local clients, on a real uvicorn on 127.0.0.1: framing
(raw sockets), idle and slow connections, strict types, Host and Origin checks, HEAD, the offline API
reference."""

from __future__ import annotations

import json
import socket
import time

import pytest

#: the request deadline of this module's server [s] (the default is 10 s; short here to keep the test fast)
REQUEST_TIMEOUT_S = 1.0


@pytest.fixture(scope="module")
def strict_server(engine):
    """A server with a 1 s request deadline and at most 64 open connections."""
    from gigawatt.web.server import BackgroundServer

    with BackgroundServer(engine, workers=2, time_limit_s=60.0, request_timeout_s=REQUEST_TIMEOUT_S,
                          max_connections=64) as url:
        yield url


def _addr(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def _raw(url: str, data: bytes, timeout_s: float = 30.0) -> tuple[int, bytes]:
    """Send ``data`` on a fresh connection and read the answer: (status, body)."""
    with socket.create_connection(_addr(url), timeout=timeout_s) as s:
        s.sendall(data)
        buf = b""
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            buf += chunk
            head, sep, body = buf.partition(b"\r\n\r\n")
            if sep:
                length = [int(v) for k, v in (ln.split(b":", 1) for ln in head.split(b"\r\n")[1:])
                          if k.strip().lower() == b"content-length"]
                if length and len(body) >= length[0]:
                    break
    head, _, body = buf.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def _request(url: str, method: str, path: str, headers: dict | None = None, body: bytes = b"") -> bytes:
    h = {"Host": "127.0.0.1:%d" % _addr(url)[1], "Connection": "close", **(headers or {})}
    return (f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + "\r\n").encode() + body


def _chunked(body: bytes, size: int = 4096) -> bytes:
    parts = [body[i:i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


# ------------------------------------------------------------------------------------ framing
def test_chunked_with_content_length_is_refused(strict_server):
    body = _chunked(b'{"samples": 2}' + b" " * 40_000)
    status, text = _raw(strict_server, _request(strict_server, "POST", "/api/whatif", {
        "Content-Type": "application/json", "Transfer-Encoding": "chunked", "Content-Length": "14"}, body))
    assert status == 400 and b"Transfer-Encoding and Content-Length" in text


def test_a_chunked_body_is_counted_as_it_comes(strict_server):
    big = _chunked(b'{"samples": 2, "seed": 1' + b" " * 40_000 + b"}")
    status, text = _raw(strict_server, _request(strict_server, "POST", "/api/whatif", {
        "Content-Type": "application/json", "Transfer-Encoding": "chunked"}, big))
    assert status == 413 and b"at most 16384 bytes" in text
    small = _chunked(b'{"samples": 2, "seed": 1}', size=5)
    status, text = _raw(strict_server, _request(strict_server, "POST", "/api/whatif", {
        "Content-Type": "application/json", "Transfer-Encoding": "chunked"}, small))
    assert status == 200 and json.loads(text)["samples"] == 2


def test_a_content_length_that_lies_cannot_pass_more(strict_server):
    """A declared length over the limit is refused before the body is read."""
    status, _ = _raw(strict_server, _request(strict_server, "POST", "/api/whatif", {
        "Content-Type": "application/json", "Content-Length": "99999999"}, b"{}"))
    assert status == 413


# ------------------------------------------------------------------------- idle and slow clients
def test_idle_connections_are_closed_and_health_answers_under_a_flood(strict_server):
    import httpx

    socks = []
    try:
        for _ in range(300):
            socks.append(socket.create_connection(_addr(strict_server), timeout=10))
        t0 = time.monotonic()
        r = httpx.get(f"{strict_server}/api/health", timeout=10)
        assert r.status_code == 200 and r.json()["status"] == "ok"
        assert time.monotonic() - t0 < 2.0
        # the oldest idle connections were closed to stay within 64; the rest go at the deadline
        time.sleep(REQUEST_TIMEOUT_S + 1.0)
        closed = 0
        for s in socks:
            s.settimeout(2.0)
            try:
                closed += s.recv(1) == b""
            except (ConnectionResetError, TimeoutError, socket.timeout):
                closed += 0
        assert closed == 300
    finally:
        for s in socks:
            s.close()


def test_a_slow_client_is_cut_off_at_the_deadline(strict_server):
    with socket.create_connection(_addr(strict_server), timeout=10) as s:
        s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        t0 = time.monotonic()
        closed_at = None
        for i in range(40):  # one header byte every 0.1 s: never a whole request
            try:
                s.sendall(b"X")
                s.settimeout(0.1)
                if s.recv(1) == b"":
                    closed_at = time.monotonic() - t0
                    break
            except (TimeoutError, socket.timeout):
                continue
            except (ConnectionResetError, BrokenPipeError):
                closed_at = time.monotonic() - t0
                break
        assert closed_at is not None and closed_at < REQUEST_TIMEOUT_S + 1.0, closed_at


def test_a_slow_body_is_cut_off_at_the_deadline(strict_server):
    with socket.create_connection(_addr(strict_server), timeout=10) as s:
        s.sendall(_request(strict_server, "POST", "/api/whatif", {"Content-Type": "application/json",
                                                                   "Content-Length": "100"}, b'{"samples": 2'))
        t0 = time.monotonic()
        s.settimeout(REQUEST_TIMEOUT_S + 3.0)
        data = s.recv(65536)
        assert time.monotonic() - t0 < REQUEST_TIMEOUT_S + 1.5
        assert data == b"" or b" 408 " in data.split(b"\r\n")[0]


# ------------------------------------------------------------------------------------- types
@pytest.mark.parametrize("body, loc", [
    ({"samples": True}, ["body", "samples"]),
    ({"samples": "84"}, ["body", "samples"]),
    ({"samples": 84.0}, ["body", "samples"]),
    ({"seed": False}, ["body", "seed"]),
    ({"seed": "1"}, ["body", "seed"]),
    ({"year": True}, ["body", "year"]),
    ({"year": "2030"}, ["body", "year"]),
    ({"year": 2030.0}, ["body", "year"]),
    ({"dc_added_gw": {"DOM": True}}, ["body", "dc_added_gw", "DOM"]),
    ({"dc_added_gw": {"REST": "1"}}, ["body", "dc_added_gw", "REST"]),
    ({"dc_added_gw": [1, 2]}, ["body", "dc_added_gw"]),
    ({"dc_added_gw": "1"}, ["body", "dc_added_gw"]),
    ({"policy": 1}, ["body", "policy"]),
    ({"policy": True}, ["body", "policy"]),
    ({"capped_hours": True}, ["body", "capped_hours"]),
    ({"capped_hours": "100"}, ["body", "capped_hours"]),
    ({"battery_mw": True}, ["body", "battery_mw"]),
    ({"battery_mw": "5"}, ["body", "battery_mw"]),
    ({"battery_h": True}, ["body", "battery_h"]),
    ({"battery_h": "2"}, ["body", "battery_h"]),
    ({"onsite_gen_mw": False}, ["body", "onsite_gen_mw"]),
    ({"onsite_gen_mw": "5"}, ["body", "onsite_gen_mw"]),
    ({"demand_response": "off"}, ["body", "demand_response"]),
    ({"demand_response": 0}, ["body", "demand_response"]),
    ({"demand_response": 1}, ["body", "demand_response"]),
    ({"demand_response": None}, ["body", "demand_response"]),
    ({"demand_response": "true"}, ["body", "demand_response"]),
])
def test_every_wrongly_typed_field_is_422_naming_it(client, body, loc):
    r = client.post("/api/whatif", json=body)
    assert r.status_code == 422, (body, r.text)
    assert any(d["loc"][:len(loc)] == loc for d in r.json()["detail"]), r.json()


def test_whole_numbers_are_numbers(client):
    """Strict does not refuse a JSON integer where a number of MW or GW is expected."""
    r = client.post("/api/whatif", json={"samples": 2, "dc_added_gw": {"DOM": 1}, "battery_mw": 100,
                                         "policy": "firm+battery", "battery_h": 2})
    assert r.status_code == 200, r.text


# --------------------------------------------------------------------------- Host, Origin, HEAD
@pytest.mark.parametrize("host", ["[::1].evil.example", "127.0.0.1:{port}@evil.example", "127.0.0.1:99999",
                                  "127.0.0.1:{port}:1", "evil.example", "127.0.0.1 .evil", "", "[::1]x",
                                  "localhost:{port}/x"])
def test_malformed_or_foreign_hosts_are_400(strict_server, host):
    port = _addr(strict_server)[1]
    req = _request(strict_server, "GET", "/api/health").replace(
        f"Host: 127.0.0.1:{port}".encode(), f"Host: {host.format(port=port)}".encode())
    status, _ = _raw(strict_server, req)
    assert status == 400, host


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LOCALHOST"])
def test_loopback_hosts_are_served(strict_server, host):
    port = _addr(strict_server)[1]
    req = _request(strict_server, "GET", "/api/health").replace(
        f"Host: 127.0.0.1:{port}".encode(), f"Host: {host.format(port=port)}".encode())
    assert _raw(strict_server, req)[0] == 200, host


def test_origin_is_checked_on_state_changing_requests(strict_server):
    import httpx

    with httpx.Client(base_url=strict_server, timeout=60) as c:
        own = strict_server
        assert c.post("/api/whatif", json={"samples": 1}, headers={"Origin": own}).status_code == 200
        assert c.post("/api/whatif", json={"samples": 1}).status_code == 200  # no Origin: not a browser
        for bad in ("http://evil.example", "null", own.replace("http://", "https://"), own + ".evil.example"):
            r = c.post("/api/whatif", json={"samples": 1}, headers={"Origin": bad})
            assert r.status_code == 403 and "Origin" in r.json()["detail"], bad
        job = c.post("/api/jobs", json={"samples": 1}).json()
        assert c.delete(f"/api/jobs/{job['id']}", headers={"Origin": "http://evil.example"}).status_code == 403
        r = c.post("/api/whatif", json={"samples": 1}, headers={"Sec-Fetch-Site": "cross-site"})
        assert r.status_code == 403
        assert c.get("/api/health", headers={"Origin": "http://evil.example"}).status_code == 200  # reads are fine


@pytest.mark.parametrize("path", ["/", "/api/health", "/api/defaults", "/api/docs", "/api/openapi.json",
                                  "/static/whatif.js"])
def test_head_answers_wherever_get_does(client, path):
    get, head = client.get(path), client.head(path)
    assert get.status_code == head.status_code == 200, path
    assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]
    assert "default-src 'self'" in head.headers["content-security-policy"]


def test_the_api_reference_is_the_packages_own(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and "/static/docs.js" in page.text
    assert "https://" not in page.text and "cdn" not in page.text  # nothing from outside
    assert client.get("/static/docs.js").status_code == 200
    spec = client.get("/api/openapi.json").json()
    assert "/api/whatif" in spec["paths"] and "WhatIfRequest" in spec["components"]["schemas"]
