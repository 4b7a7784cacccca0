// The what-if page: settings in the URL, one job at a time per page (a newer one supersedes the
// older on the server), progress and cancel, results with the change from the previous setting,
// a month x hour heat map drawn as SVG, downloads as JSON and CSV. No library, no network beyond
// this server.
"use strict";

const $ = (id) => document.getElementById(id);
const PAGE = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("");
const POLL_MS = 120;
const DEBOUNCE_MS = 250;
const ZONE_STEP_GW = 0.5;  // the zone sliders' step: their grid holds 0 and whole steps from it
// URL parameter -> [input id, kind]
const PARAMS = {year: ["year", "int"], dom: ["dom", "num"], rest: ["rest", "num"], policy: ["policy", "str"],
  capped: ["capped", "num"], bat_mw: ["bat_mw", "num"], bat_h: ["bat_h", "num"], onsite: ["onsite", "num"],
  dr: ["dr", "bool"], samples: ["samples", "int"], seed: ["seed", "int"]};
// result key, label, factor on the value
const METRICS = [
  ["lole_d", "loss-of-load expectation, LOLE [days]", 1],
  ["lolh_h", "loss-of-load hours, LOLH [h]", 1],
  ["eue_mwh", "expected unserved energy, EUE [MWh]", 1],
  ["people_affected", "people with an outage", 1],
  ["customer_hours", "customer-hours without power", 1],
  ["dc_curtailed_hours", "data centers curtailed [h]", 1],
  ["dc_curtailed_mwh", "data centers curtailed [MWh]", 1],
  ["dc_gpu_hours_lost", "GPU-hours lost", 1],
  ["dc_throughput_lost_fraction", "training throughput lost [%]", 100],
  ["dr_hours", "demand response called [h]", 1],
];

let info = null;       // /api/defaults
let current = null;    // the job being run {id, body}
let shown = null;      // the last result shown
let before = null;     // the result shown before it
let timer = null;
let runs = 0;

function fmt(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString("en-US", {maximumSignificantDigits: 4});
  if (a < 1e-4) return x.toExponential(2);
  return Number(x.toPrecision(3)).toString();
}

function readState() {
  const q = new URLSearchParams(location.search);
  for (const [p, [id, kind]] of Object.entries(PARAMS)) {
    if (!q.has(p)) continue;
    const el = $(id), v = q.get(p);
    if (kind === "bool") el.checked = v !== "0" && v !== "false";
    else el.value = v;
  }
  $("dom-range").value = $("dom").value;
  $("rest-range").value = $("rest").value;
}

function writeState() {
  const q = new URLSearchParams();
  for (const [p, [id, kind]] of Object.entries(PARAMS)) {
    const el = $(id);
    if (kind === "bool") { if (!el.checked) q.set(p, "0"); continue; }
    if (el.value !== "") q.set(p, el.value);
  }
  history.replaceState(null, "", "?" + q.toString());
}

// the page's two zone inputs ("dom", "rest") hold the grid's first and second zones (PJM: DOM, REST)
function zoneNames() { return info && info.zones ? info.zones : ["DOM", "REST"]; }
function zoneBody(first, second) {
  const z = zoneNames(), out = {[z[0]]: first};
  if (z.length > 1) out[z[1]] = second;
  return out;
}

function body() {
  const num = (id) => ($(id).value === "" ? undefined : Number($(id).value));
  const b = {
    year: num("year"), policy: $("policy").value, demand_response: $("dr").checked,
    dc_added_gw: zoneBody(num("dom") ?? 0, num("rest") ?? 0),
    capped_hours: num("capped"), battery_mw: num("bat_mw"), battery_h: num("bat_h"), onsite_gen_mw: num("onsite"),
    samples: num("samples"), seed: num("seed"),
  };
  for (const k of Object.keys(b)) if (b[k] === undefined) delete b[k];
  return b;
}

function showOptions() {
  for (const el of document.querySelectorAll(".opt")) el.classList.toggle("shown", el.dataset.policy === $("policy").value);
  const y = Number($("year").value);
  $("year-out").textContent = y;
  const n = Number($("samples").value);
  $("years-out").textContent = info && Number.isFinite(n) && $("samples").value !== "" ?
    `= ${(n * info.weather_years.length).toLocaleString("en-US")} simulated years` : "";
  if (info && info.forecast_dc_gw[y]) {
    const f = info.forecast_dc_gw[y];
    const [z0, z1] = zoneNames();
    $("dom-forecast").textContent = `(forecast ${fmt(f[z0])} GW)`;
    $("dom-range").min = sliderMin(f[z0]);
    if (z1 !== undefined) {
      $("rest-forecast").textContent = `(forecast ${fmt(f[z1])} GW)`;
      $("rest-range").min = sliderMin(f[z1]);
    }
  }
}

// A range input's steps start at its minimum: the lowest whole step at or above -forecast keeps 0 and
// whole steps from it on the grid (a forecast of 5.2 GW: -5.0, ..., 0, +0.5, ...; the number input beside
// it still takes -5.2, all of the zone's data centers)
function sliderMin(forecastGW) {
  return -Math.floor(forecastGW / ZONE_STEP_GW + 1e-9) * ZONE_STEP_GW;
}

function clearErrors() {
  $("error").textContent = "";
  for (const el of document.querySelectorAll(".field-error")) el.textContent = "";
  for (const el of document.querySelectorAll("input.invalid")) el.classList.remove("invalid");
}

const FIELD_INPUT = {year: "year", capped_hours: "capped", battery_mw: "bat_mw", battery_h: "bat_h",
  onsite_gen_mw: "onsite", samples: "samples", seed: "seed", "dc_added_gw-DOM": "dom", "dc_added_gw-REST": "rest"};

function showErrors(detail) {
  if (!Array.isArray(detail)) { $("error").textContent = String(detail); return; }
  const lines = [];
  for (const e of detail) {
    const loc = (e.loc || []).filter((x) => x !== "body");
    const name = loc.join(".");
    const msg = `${name}: ${e.msg}`;
    lines.push(msg);
    const key = loc.join("-");
    if ($("err-" + key)) $("err-" + key).textContent = msg;
    if (FIELD_INPUT[key]) $(FIELD_INPUT[key]).classList.add("invalid");
  }
  $("error").textContent = lines.join("; ");
}

function setStatus(text, busy, frac) {
  $("status-text").textContent = text;
  $("cancel").disabled = !busy;
  if (frac === null) $("progress").removeAttribute("value");
  else $("progress").value = frac;
  document.body.dataset.state = busy ? "running" : document.body.dataset.state === "running" ? "idle" : document.body.dataset.state;
}

function schedule() {
  document.body.dataset.state = "pending";
  showOptions();
  writeState();
  clearTimeout(timer);
  timer = setTimeout(run, DEBOUNCE_MS);
}

async function run() {
  clearErrors();
  const b = body();
  let resp;
  try {
    resp = await fetch(`/api/jobs?page=${PAGE}`, {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(b)});
  } catch (err) { $("error").textContent = "the server cannot be reached: " + err; document.body.dataset.state = "error"; return; }
  const job = await resp.json();
  if (resp.status === 422) { showErrors(job.detail); setStatus("fix the setting marked in red", false, 0); document.body.dataset.state = "invalid"; return; }
  if (!resp.ok) { showErrors(job.detail); setStatus("not run", false, 0); document.body.dataset.state = "error"; return; }
  current = {id: job.id, body: b};
  setStatus("queued", true, null);
  poll(job.id);
}

async function poll(id) {
  if (!current || current.id !== id) return;  // superseded
  let job;
  try { job = await (await fetch(`/api/jobs/${id}`)).json(); } catch (err) { setTimeout(() => poll(id), 500); return; }
  if (!current || current.id !== id) return;
  if (job.state === "queued" || job.state === "running") {
    const frac = job.total ? job.done / job.total : 0;
    setStatus(job.state === "queued" ? "waiting for a worker" : `running: ${job.done}/${job.total} samples`, true, frac);
    setTimeout(() => poll(id), POLL_MS);
    return;
  }
  current = null;
  if (job.state === "done") { render(job.result); return; }
  setStatus(job.state === "cancelled" ? "cancelled" : "failed", false, 0);
  document.body.dataset.state = job.state;
  if (job.error && job.error.status !== 409) showErrors(job.error.detail);
}

function render(r) {
  before = shown;
  shown = r;
  runs += 1;
  $("verdict").className = r.meets_standard ? "meets" : "fails";
  $("verdict").textContent = `LOLE ${fmt(r.lole_d.mean)} ± ${fmt(r.lole_d.stderr)} days a year: ` +
    (r.meets_standard ? "meets" : "fails") + ` the ${r.standard_lole_d} day/yr standard (one day in ten years)`;
  const tb = $("metrics").tBodies[0];
  tb.textContent = "";
  for (const [key, label, k] of METRICS) {
    const e = r[key], tr = tb.insertRow();
    tr.insertCell().textContent = label;
    const v = tr.insertCell();
    v.id = "v-" + key;
    v.dataset.mean = e.mean;
    v.dataset.stderr = e.stderr;
    v.textContent = fmt(e.mean * k);
    tr.insertCell().textContent = e.stderr === null ? "–" : fmt(e.stderr * k);
    const d = tr.insertCell();
    d.id = "d-" + key;
    if (before) {
      const diff = (e.mean - before[key].mean) * k;
      d.textContent = diff === 0 ? "same" : (diff > 0 ? "+" : "") + fmt(diff);
      d.className = diff > 0 ? "up" : diff < 0 ? "down" : "";
    } else d.textContent = "–";
  }
  zonesTable(r);
  heatmap(r.shortfall_month_hour);
  if (r.clock) $("clock").textContent = r.clock;
  downloads(r);
  const zs = Object.entries(r.dc_zone_mw).map(([z, mw]) => `${fmt(mw / 1000)} GW in ${z}`).join(" + ");
  $("footnote").textContent = `${r.system}, ${r.year}, ${r.policy}; data centers ${zs}; ` +
    `${r.samples} samples x ${r.weather_years.length} weather years = ` +
    `${r.simulated_years.toLocaleString("en-US")} simulated years, seed ${r.seed}; answered in ${r.wall_s} s.`;
  setStatus(`done in ${r.wall_s} s`, false, 1);
  document.body.dataset.state = "done";
  document.body.dataset.runs = runs;
  gap(r);
}

// each zone: its data centers, its LOLE in the what-if beside its criterion (PJM's LDA criterion for the
// zones held to one; the others have the RTO's standard only), then the gap job's own LOLE and gap by zone
function zonesTable(r) {
  const tb = $("zones").tBodies[0], zc = r.zone_criteria;
  tb.textContent = "";
  const held = Object.entries(zc.by_zone).filter(([, c]) => c.criterion_d !== null).map(([z]) => z);
  $("zones-caption").textContent = `each zone's LOLE in this run [days/yr]; ` + (held.length ?
    `${held.join(", ")} held to PJM's LDA criterion (${zc.lda_lole_d} d/yr), ` : "no zone held to a criterion of its own, ") +
    `the RTO to ${zc.rto_lole_d} d/yr`;
  for (const [z, c] of Object.entries(zc.by_zone)) {
    const tr = tb.insertRow();
    tr.id = "zone-" + z;
    tr.insertCell().textContent = z;
    tr.insertCell().textContent = fmt(r.dc_zone_mw[z] / 1000);
    const v = tr.insertCell();
    v.id = "zl-" + z;
    v.dataset.mean = c.lole_d.mean;
    v.textContent = `${fmt(c.lole_d.mean)} ± ${fmt(c.lole_d.stderr)}`;
    const crit = tr.insertCell();
    crit.id = "zc-" + z;
    crit.textContent = c.criterion_d === null ? "RTO's only" :
      `${c.criterion_d}: ${c.meets_criterion ? "meets" : "on its own: see the gap"}`;
    crit.className = c.meets_criterion ? "down" : "";
    const own = tr.insertCell();
    own.id = "zo-" + z;
    own.textContent = "–";
    const g = tr.insertCell();
    g.id = "zg-" + z;
    g.textContent = "–";
    const alt = tr.insertCell();
    alt.id = "za-" + z;
    alt.textContent = "–";
  }
}

function gapByZone(g) {
  for (const [z, iv] of Object.entries(g.gap_by_zone_mw)) {
    const cell = $("zg-" + z);
    if (!cell) continue;
    cell.dataset.estimate = iv.estimate;
    const high = iv.high === null ? "more" : fmt(iv.high / 1000);
    cell.textContent = `${fmt(iv.estimate / 1000)} (${fmt(iv.low / 1000)} to ${high})`;
  }
  for (const [z, c] of Object.entries(g.zone_criteria.by_zone)) {
    const cell = $("zo-" + z);
    if (!cell) continue;
    cell.dataset.mean = c.own_lole_d.mean;
    cell.textContent = `${fmt(c.own_lole_d.mean)} ± ${fmt(c.own_lole_d.stderr)}`;
    // the import alternative: the import limit with which the zone meets its criterion without capacity
    // of its own (transmission in place of local generation), beside its limit now
    const alt = $("za-" + z);
    if (!alt) continue;
    const now = c.import_limit_mw === null ? "none" : fmt(c.import_limit_mw / 1000);
    if (c.import_alternative_mw === null || c.import_alternative_mw === undefined) {
      alt.textContent = c.own_capacity_mw > 0 ? `– (now ${now})` : `not needed (now ${now})`;
    } else {
      alt.dataset.mw = c.import_alternative_mw;
      alt.textContent = `${fmt(c.import_alternative_mw / 1000)} (now ${now})`;
    }
  }
}

async function gap(r) {
  const zonesFail = Object.values(r.zone_criteria.by_zone).some(
    (c) => c.criterion_d !== null && c.meets_criterion !== true);
  if (r.meets_standard && !zonesFail) {
    $("gap").textContent = "gap: none, the standard is met and every zone held to a criterion meets it";
    $("gap").dataset.state = "none";
    return;
  }
  $("gap").textContent = "gap: computing…";
  $("gap").dataset.state = "running";
  const resp = await fetch(`/api/jobs?page=${PAGE}&kind=gap`, {method: "POST",
    headers: {"Content-Type": "application/json"}, body: JSON.stringify(body())});
  const job = await resp.json();
  if (!resp.ok) { $("gap").textContent = "gap: " + JSON.stringify(job.detail); return; }
  const wait = async () => {
    const j = await (await fetch(`/api/jobs/${job.id}`)).json();
    if (shown !== r) return;
    if (j.state === "queued" || j.state === "running") {
      const pct = j.total > 0 ? ` ${Math.round((100 * j.done) / j.total)} % of the most samples it may run` : "";
      $("gap").textContent = `gap: computing…${pct}`;
      $("gap").dataset.done = j.done;
      setTimeout(wait, 300);
      return;
    }
    if (j.state === "done") {
      const g = j.result;
      const high = g.high_mw === null ? "more" : `${fmt(g.high_mw / 1000)} GW`;
      const zones = Object.entries(g.gap_by_zone_mw).map(([z, iv]) => `${fmt(iv.estimate / 1000)} GW in ${z}`).join(", ");
      $("gap").textContent = `gap: ${fmt(g.gap_mw / 1000)} GW of firm capacity (${fmt(g.low_mw / 1000)} GW to ${high}) ` +
        `to hold 0.1 day/yr and each LDA zone at its criterion, placed where it relieves risk: ${zones}`;
      $("gap").dataset.gapMw = g.gap_mw;
      gapByZone(g);
    } else $("gap").textContent = "gap: " + (j.error ? j.error.detail : j.state);
    $("gap").dataset.state = j.state;
  };
  wait();
}

function heatmap(grid) {
  const NS = "http://www.w3.org/2000/svg", cw = 24, ch = 20, left = 34, top = 16;
  const peak = Math.max(0, ...grid.flat()), max = Math.max(1e-12, peak);
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${left + 24 * cw + 90} ${top + 12 * ch + 24}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "chance of a shortfall by month and hour");
  const text = (x, y, s, anchor) => {
    const t = document.createElementNS(NS, "text");
    t.setAttribute("x", x); t.setAttribute("y", y); t.setAttribute("font-size", "10");
    t.setAttribute("text-anchor", anchor || "middle"); t.textContent = s; svg.appendChild(t);
  };
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const color = (v) => {
    const f = Math.sqrt(v / max);  // square root: small risks stay visible
    return v <= 0 ? "#f4f4f4" : `rgb(${Math.round(255 - 80 * f)},${Math.round(235 - 215 * f)},${Math.round(220 - 200 * f)})`;
  };
  for (let m = 0; m < 12; m++) {
    text(left - 4, top + m * ch + 14, months[m], "end");
    for (let h = 0; h < 24; h++) {
      const r = document.createElementNS(NS, "rect");
      r.setAttribute("x", left + h * cw); r.setAttribute("y", top + m * ch);
      r.setAttribute("width", cw - 1); r.setAttribute("height", ch - 1);
      r.setAttribute("fill", color(grid[m][h]));
      const tip = document.createElementNS(NS, "title");
      tip.textContent = `${months[m]} ${h}:00: LOLP ${fmt(grid[m][h])}`;
      r.appendChild(tip); svg.appendChild(r);
    }
  }
  for (let h = 0; h < 24; h += 3) text(left + h * cw + cw / 2, top - 4, `${h}h`);
  if (peak > 0) {
    text(left + 24 * cw + 8, top + 14, `max ${fmt(peak)}`, "start");
    text(left + 24 * cw + 8, top + 30, "per hour", "start");
  } else text(left + 24 * cw + 8, top + 14, "no shortfall", "start");
  $("heatmap").textContent = "";
  $("heatmap").appendChild(svg);
}

function toCSV(r) {
  const rows = [["name", "mean", "stderr"]];
  for (const [k, v] of Object.entries(r)) {
    if (v && typeof v === "object" && "mean" in v) rows.push([k, v.mean, v.stderr]);
    else if (typeof v !== "object" || v === null) rows.push([k, v, ""]);
  }
  for (const [z, mw] of Object.entries(r.dc_zone_mw)) rows.push([`dc_zone_mw_${z}`, mw, ""]);
  for (const [z, zr] of Object.entries(r.zones)) for (const [k, v] of Object.entries(zr)) if (v) rows.push([`${z}_${k}`, v.mean, v.stderr]);
  r.shortfall_month_hour.forEach((row, m) => row.forEach((v, h) => rows.push([`lolp_month${m + 1}_hour${h}`, v, ""])));
  const q = (x) => (typeof x === "string" && /[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x === null ? "" : String(x));
  return rows.map((row) => row.map(q).join(",")).join("\n") + "\n";
}

function downloads(r) {
  for (const [id, text, type] of [["dl-json", JSON.stringify(r, null, 1), "application/json"], ["dl-csv", toCSV(r), "text/csv"]]) {
    const a = $(id);
    if (a.href.startsWith("blob:")) URL.revokeObjectURL(a.href);
    a.href = URL.createObjectURL(new Blob([text], {type}));
  }
}

async function start() {
  readState();
  try { info = await (await fetch("/api/defaults")).json(); } catch (err) { $("error").textContent = "the server cannot be reached"; return; }
  $("system").textContent = `— ${info.system}`;
  if (info.title) $("about-grid").textContent =  // not PJM: the grid the description builds (docs/grids.md)
    `Sequential Monte Carlo on ${info.title}, the grid its description builds for the study year, with the outlook's emergency order.`;
  const z = zoneNames();
  if (z[0] !== "DOM") {  // a grid from a description: its zones' names; one zone hides the second input
    FIELD_INPUT[`dc_added_gw-${z[0]}`] = "dom";
    $("dom").labels[0].firstChild.textContent = `Added in ${z[0]} [GW] `;
    $("err-dc_added_gw-DOM").id = `err-dc_added_gw-${z[0]}`;
    if (z.length > 1) {
      FIELD_INPUT[`dc_added_gw-${z[1]}`] = "rest";
      $("rest").labels[0].firstChild.textContent = `Added in ${z[1]} [GW] `;
      $("err-dc_added_gw-REST").id = `err-dc_added_gw-${z[1]}`;
    } else for (const el of [$("rest").labels[0], $("rest").parentElement]) el.style.display = "none";
  }
  if (!new URLSearchParams(location.search).has("samples")) $("samples").value = info.defaults.samples;
  $("samples").max = info.limits.samples;
  $("year").min = info.years[0];
  $("year").max = info.years[1];
  if (!new URLSearchParams(location.search).has("year")) $("year").value = info.default_year;
  for (const [r, n] of [["dom-range", "dom"], ["rest-range", "rest"]]) {
    $(r).addEventListener("input", () => { $(n).value = $(r).value; schedule(); });
    $(n).addEventListener("input", () => { $(r).value = $(n).value; schedule(); });
  }
  for (const id of ["year", "policy", "capped", "bat_mw", "bat_h", "onsite", "dr", "samples", "seed"]) {
    $(id).addEventListener(id === "policy" || id === "dr" ? "change" : "input", schedule);
  }
  $("controls").addEventListener("submit", (e) => { e.preventDefault(); schedule(); });
  $("cancel").addEventListener("click", async () => {
    if (!current) return;
    const id = current.id;
    current = null;
    await fetch(`/api/jobs/${id}`, {method: "DELETE"});
    setStatus("cancelled", false, 0);
    document.body.dataset.state = "cancelled";
  });
  document.body.dataset.state = "idle";
  schedule();
}

document.addEventListener("DOMContentLoaded", start);
