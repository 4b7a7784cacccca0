"""The local status endpoint: ``GET /status`` (JSON, see :meth:`gigawatt.agent.runtime.Agent.status`)
and ``GET /`` (a small page that shows it). Binds 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import json

from aiohttp import web

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>gigawatt agent</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}td,th{padding:2px 10px;text-align:left}
.out{color:#b00}.in{color:#070}pre{background:#f4f4f4;padding:8px;white-space:pre-wrap}</style></head><body>
<h1>gigawatt agent</h1><table id="t"></table><h2>Jobs</h2><table id="j"></table><h2>Log</h2><pre id="l"></pre>
<script>
const rows=[["event","event"],["baseline MW","baseline_mw"],["target MW","target_mw"],["measured MW","measured_mw"],
["battery MW","battery_mw"],["on-site MW","onsite_mw"],["training cost GPU-h","training_cost_gpu_h"],
["opted","opted"],["contract hours used","hours_used_h"],["VTN","vtn"]];
function show(v){return v===null?"none":(typeof v==="object"?JSON.stringify(v):v)}
async function tick(){try{const s=await (await fetch("status")).json();
const row=(k,v,c)=>`<tr><th>${k}</th><td class="${c||""}">${v}</td></tr>`;
document.getElementById("t").innerHTML=rows.map(([k,f])=>row(k,show(s[f]),f==="opted"?s.opted.state:"")).join("");
document.getElementById("j").innerHTML=Object.entries(s.jobs).map(([k,v])=>row(k,v)).join("");
document.getElementById("l").textContent=s.log.join("\\n");}catch(e){}}
tick();setInterval(tick,1000);
</script></body></html>"""


def make_app(agent) -> web.Application:
    """The aiohttp application serving ``agent``'s status."""

    async def status(_request):
        agent.advance_to_now()
        return web.Response(text=json.dumps(agent.status(), allow_nan=False), content_type="application/json")

    async def page(_request):
        return web.Response(text=PAGE, content_type="text/html")

    app = web.Application()
    app.router.add_get("/status", status)
    app.router.add_get("/", page)
    return app


async def start(agent, host: str = "127.0.0.1", port: int = 8766) -> web.AppRunner:
    """Start serving; returns the runner (``await runner.cleanup()`` stops it)."""
    runner = web.AppRunner(make_app(agent), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host=host, port=port).start()
    return runner
