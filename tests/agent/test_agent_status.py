"""The status endpoint: JSON with the documented fields, and the page, on loopback."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

from gigawatt.agent import status
from gigawatt.agent.service import build_agent
from gigawatt.agent.site import read_agent_site

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "colossus2.toml"
FIELDS = {"event", "baseline_mw", "target_mw", "measured_mw", "jobs", "battery_mw", "onsite_mw",
          "training_cost_gpu_h", "opted"}


async def fetch(port: int, path: str) -> tuple[bytes, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, body = raw.split(b"\r\n\r\n", 1)
    return head, body


def test_status_json_and_page():
    agent = build_agent(read_agent_site(EXAMPLE), "sim")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    async def run():
        runner = await status.start(agent, "127.0.0.1", port)
        try:
            return await fetch(port, "/status"), await fetch(port, "/"), await fetch(port, "/nothing")
        finally:
            await runner.cleanup()

    (h1, b1), (h2, b2), (h3, _) = asyncio.run(run())
    assert b" 200 " in h1 and b"application/json" in h1
    doc = json.loads(b1)
    assert FIELDS <= set(doc)
    assert doc["event"] is None and doc["opted"]["state"] == "in"
    assert doc["jobs"] == {"pre-training": 1.0, "fine-tuning": 1.0, "inference": 1.0}
    assert doc["target_mw"] == doc["baseline_mw"] and doc["battery_mw"] == 0.0
    assert b" 200 " in h2 and b"text/html" in h2 and b'fetch("status")' in b2
    assert b" 404 " in h3
