"""The site's side, live: an OpenADR 2.0b VEN that turns a grid's call into GPU power caps, pauses,
battery discharge and turbine starts.

Modules
-------
site : the agent's site file (the data-center site of :mod:`gigawatt.datacenter` plus the agent's limits)
decision : events, refusals, the decision per event and its setpoints over time
backends : the site the agent acts on: ``sim`` (the site's dynamics in real time) and ``nvml`` (NVIDIA GPUs)
runtime : the control loop, the status document and the decision log
ven : the OpenADR 2.0b VEN (OpenLEADR): registration, polling, opt-in/out, telemetry, reconnection
status : the local status endpoint (``GET /status`` JSON and a small page)
vtn : a small OpenADR 2.0b VTN for demos and tests (``python -m gigawatt.agent.vtn``)

The agent uses the project's site model, not a copy: the cheapest mix of caps and pauses is
:func:`gigawatt.datacenter.throughput.cheapest_reduction`; the ramp limit is the dynamics module's
:class:`gigawatt.dynamics.compliance.ComplianceLimits`. See docs/agent.md.
"""
