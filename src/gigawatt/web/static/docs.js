// The API reference: /api/openapi.json rendered as plain HTML (endpoints, parameters, bodies, schemas).
"use strict";

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function typeOf(s) {
  if (!s) return "";
  if (s.$ref) return s.$ref.split("/").pop();
  if (s.anyOf) return s.anyOf.map(typeOf).join(" | ");
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type === "array") return `array of ${typeOf(s.items)}`;
  return s.type || "object";
}

function limits(s) {
  const out = [];
  // an optional field (anyOf [its type, null]): the limits of its type
  for (const b of s.anyOf || []) { const l = limits(b); if (l) out.push(l); }
  for (const [k, w] of [["minimum", "≥"], ["exclusiveMinimum", ">"], ["maximum", "≤"], ["exclusiveMaximum", "<"]]) {
    if (s[k] !== undefined) out.push(`${w} ${s[k]}`);
  }
  if (s.pattern) out.push(`pattern ${s.pattern}`);
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  return out.join(", ");
}

function table(rows, head) {
  const t = el("table");
  const tr = el("tr");
  head.forEach((h) => tr.appendChild(el("th", h)));
  t.appendChild(tr);
  rows.forEach((r) => {
    const row = el("tr");
    r.forEach((c) => row.appendChild(el("td", c)));
    t.appendChild(row);
  });
  return t;
}

function render(spec) {
  document.getElementById("api-title").textContent = `${spec.info.title} ${spec.info.version}`;
  const ep = document.getElementById("endpoints");
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const sec = el("section", null, "endpoint");
      sec.dataset.path = path;
      sec.appendChild(el("h2", `${method.toUpperCase()} ${path}`));
      if (op.summary) sec.appendChild(el("p", op.summary));
      if (op.description) sec.appendChild(el("p", op.description, "muted"));
      if (op.parameters && op.parameters.length) {
        sec.appendChild(table(op.parameters.map((p) => [p.name, p.in, typeOf(p.schema), limits(p.schema || {})]),
          ["parameter", "in", "type", "limits"]));
      }
      const body = op.requestBody && op.requestBody.content && op.requestBody.content["application/json"];
      if (body) sec.appendChild(el("p", `body: ${typeOf(body.schema)} (application/json)`));
      const codes = Object.entries(op.responses || {}).map(([c, r]) => `${c} ${r.description || ""}`);
      if (codes.length) sec.appendChild(el("p", `answers: ${codes.join("; ")}`, "muted"));
      ep.appendChild(sec);
    }
  }
  const sc = document.getElementById("schemas");
  for (const [name, s] of Object.entries((spec.components || {}).schemas || {})) {
    const sec = el("section", null, "schema");
    sec.appendChild(el("h2", name));
    if (s.description) sec.appendChild(el("p", s.description, "muted"));
    const props = Object.entries(s.properties || {});
    if (props.length) {
      sec.appendChild(table(props.map(([k, p]) => [k, typeOf(p), limits(p), p.description || ""]),
        ["field", "type", "limits", "meaning"]));
    }
    sc.appendChild(sec);
  }
  document.body.dataset.state = "ready";
}

fetch("/api/openapi.json")
  .then((r) => { if (!r.ok) throw new Error(`/api/openapi.json: ${r.status}`); return r.json(); })
  .then(render)
  .catch((err) => { document.getElementById("error").textContent = String(err); document.body.dataset.state = "error"; });
