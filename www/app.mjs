// The playground: wires the klipy-sdk browser build to the page's panels.
//
// The API key typed into the page goes straight into `new Klipy({ apiKey })` and the field is
// emptied: the page keeps no copy of it (no storage, no cookie, never in the URL), and the SDK
// holds it in a closure only. "Forget key" drops the client.

import { OPERATIONS, operationByName } from "./operations.mjs";
import { Timeline } from "./timeline.mjs";
import { RateLimitGauge } from "./gauge.mjs";
import { faultsFor, DESCRIPTIONS, injectFaults, clearFaults, resetMock, pendingFaults } from "./faults.mjs";

const $ = (id) => document.getElementById(id);
const BASE_URL = `${location.origin}/api/v1`;

let sdk = null; // the loaded package module
let klipy = null; // the connected client

const timeline = new Timeline({
  chart: $("timeline-chart"),
  chartLabel: $("timeline-chart-label"),
  wrap: $("chart-wrap"),
  tbody: $("attempts").tBodies[0],
  summary: $("timeline-summary"),
});
const gauge = new RateLimitGauge();

// The SDK ignores a hook that throws; report it loudly instead, so bugs here never hide.
const guarded = (name, fn) => (ev) => {
  try {
    fn(ev);
  } catch (err) {
    console.error(`playground: the ${name} hook failed`, err);
  }
};

function setStatus(el, text, kind = "") {
  el.textContent = text;
  el.dataset.kind = kind;
}

// --- known ids, offered by the id fields -----------------------------------------------------------

const ID_KINDS = { per_: "person", cmp_: "company", int_: "interaction" };
const knownIds = { person: new Set(), company: new Set(), interaction: new Set() };

function harvestIds(value, depth = 0) {
  if (depth > 4 || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const v of value.slice(0, 200)) harvestIds(v, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "string" && (k === "id" || k.endsWith("Id") || k === "mainContact")) {
      const kind = Object.entries(ID_KINDS).find(([prefix]) => v.startsWith(prefix))?.[1];
      if (kind) knownIds[kind].add(v);
    } else if (typeof v === "object") {
      harvestIds(v, depth + 1);
    }
  }
  for (const [kind, set] of Object.entries(knownIds)) {
    const list = $(`ids-${kind}`);
    if (list && list.options.length !== set.size) {
      list.replaceChildren(...[...set].slice(-50).map((id) => new Option(id, id)));
    }
  }
}

function makeDatalists() {
  for (const kind of Object.keys(knownIds)) {
    const list = document.createElement("datalist");
    list.id = `ids-${kind}`;
    document.body.append(list);
  }
}

// --- the operation form ----------------------------------------------------------------------------

function buildOperationSelect() {
  const select = $("op");
  const groups = new Map();
  for (const op of OPERATIONS) {
    if (!groups.has(op.group)) {
      const g = document.createElement("optgroup");
      g.label = op.group;
      groups.set(op.group, g);
      select.append(g);
    }
    groups.get(op.group).append(new Option(`${op.name} — ${op.method} ${op.path}`, op.name));
  }
  select.addEventListener("change", renderFields);
  renderFields();
}

function renderFields() {
  const op = operationByName($("op").value);
  const box = $("op-fields");
  $("op-http").textContent = `${op.method} /api/v1${op.path}`;
  const legend = box.querySelector("legend");
  box.replaceChildren(legend);
  if (op.fields.length === 0) {
    const p = document.createElement("p");
    p.className = "help";
    p.textContent = "No arguments.";
    box.append(p);
  }
  for (const f of op.fields) {
    const id = `f-${f.name}`;
    const wrap = document.createElement("div");
    wrap.className = f.type === "checkbox" ? "field check" : "field";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = f.label + (f.required ? " (required)" : "");
    let input;
    if (f.type === "select") {
      input = document.createElement("select");
      for (const o of f.options) input.append(new Option(o, o));
    } else if (f.type === "textarea") {
      input = document.createElement("textarea");
      input.rows = 3;
    } else {
      input = document.createElement("input");
      input.type =
        f.type === "number" ? "number" : f.type === "checkbox" ? "checkbox" : f.type === "datetime" ? "datetime-local" : f.type ?? "text";
      if (f.type === "number") input.inputMode = "numeric";
      if (f.min !== undefined) input.min = String(f.min);
      if (f.max !== undefined) input.max = String(f.max);
      if (f.maxlength) input.maxLength = f.maxlength;
      if (f.ids) {
        input.setAttribute("list", `ids-${f.ids}`);
        const last = [...knownIds[f.ids]].pop();
        if (last && f.name === "id") input.value = last;
      }
      if (input.type === "text" || input.type === "email") {
        input.spellcheck = false;
        input.autocapitalize = "off";
      }
    }
    input.id = id;
    input.name = f.name;
    if (f.value !== undefined && (f.type === "select" || !input.value)) input.value = f.value;
    if (f.required) input.required = true;
    if (f.help) {
      const help = document.createElement("p");
      help.className = "help";
      help.id = `${id}-help`;
      help.textContent = f.help;
      input.setAttribute("aria-describedby", help.id);
      if (f.type === "checkbox") wrap.append(input, label, help);
      else wrap.append(label, input, help);
    } else if (f.type === "checkbox") {
      wrap.append(input, label);
    } else {
      wrap.append(label, input);
    }
    box.append(wrap);
  }
}

function formValues(op) {
  const values = {};
  for (const f of op.fields) {
    const el = $(`f-${f.name}`);
    values[f.name] = f.type === "checkbox" ? el.checked : el.value.trim();
  }
  return values;
}

function describeError(err) {
  if (!(err instanceof Error)) return { title: "Error", body: String(err) };
  const name = err.name || "Error";
  // KlipyError.toJSON is a secret-free summary (no headers, no stack).
  const body = typeof err.toJSON === "function" ? JSON.stringify(err, null, 2) : String(err.stack ?? err);
  const bits = [err.status ? `HTTP ${err.status}` : null, err.attempts ? `${err.attempts} attempt(s)` : null].filter(Boolean);
  return { title: `${name}${bits.length ? ` (${bits.join(", ")})` : ""}: ${err.message}`, body };
}

async function runOperation(event) {
  event.preventDefault();
  if (!klipy) return;
  const op = operationByName($("op").value);
  const missing = op.fields.find((f) => f.required && !$(`f-${f.name}`).value.trim());
  if (missing) {
    setStatus($("op-status"), `${missing.label} is required.`, "error");
    $(`f-${missing.name}`).focus();
    return;
  }
  const values = formValues(op);
  const status = $("op-status");
  const output = $("op-output");
  const started = performance.now();
  setStatus(status, `Running ${op.name}…`, "busy");
  output.dataset.operation = op.name;
  try {
    const res = await op.run(klipy, values);
    const ms = Math.round(performance.now() - started);
    harvestIds(res.data);
    const facts = [
      res.status ? `HTTP ${res.status}` : null,
      res.requestId ? `request id ${res.requestId}` : null,
      res.note ?? null,
      `${ms} ms including retries and waits`,
    ].filter(Boolean);
    setStatus(status, `${op.name} succeeded: ${facts.join(" · ")}`, "ok");
    output.textContent = JSON.stringify(res.data, null, 2);
  } catch (err) {
    const { title, body } = describeError(err);
    setStatus(status, `${op.name} failed: ${title}`, "error");
    output.textContent = body;
  }
  output.dataset.done = String(Number(output.dataset.done ?? 0) + 1);
  refreshFaults();
}

// --- connection ------------------------------------------------------------------------------------

function setConnected(on) {
  for (const id of ["op-run", "bulk-run", "disconnect"]) $(id).disabled = !on;
}

async function connect(event) {
  event.preventDefault();
  const input = $("api-key");
  const key = input.value.trim();
  input.value = ""; // the page keeps no copy of the key
  const status = $("conn-status");
  if (!key) {
    setStatus(status, "Type an API key first.", "error");
    input.focus();
    return;
  }
  const maxRetries = Number($("opt-max-retries").value || 2);
  const timeoutMs = Number($("opt-timeout").value || 10000);
  const rateLimit = $("opt-rate-limit").value === "off" ? false : "adaptive";
  try {
    klipy = new sdk.Klipy({
      apiKey: key,
      baseUrl: BASE_URL,
      // A demo page on loopback with a key its own user typed in: the risk the SDK guards
      // against (a key shipped to every visitor) does not arise here.
      dangerouslyAllowBrowser: true,
      maxRetries,
      timeoutMs,
      rateLimit,
      onRequest: guarded("onRequest", (ev) => timeline.onRequest(ev)),
      onResponse: guarded("onResponse", (ev) => {
        timeline.onResponse(ev);
        gauge.update(ev);
      }),
      onRetry: guarded("onRetry", (ev) => timeline.onRetry(ev)),
    });
  } catch (err) {
    klipy = null;
    setConnected(false);
    setStatus(status, describeError(err).title, "error");
    return;
  }
  setConnected(true);
  setStatus(status, "Checking the key (authenticate)…", "busy");
  try {
    const { teamName } = await klipy.authenticate();
    setStatus(status, `Connected to team “${teamName}”. Key held in memory only.`, "ok");
  } catch (err) {
    setStatus(status, `The client is ready, but authenticate failed: ${describeError(err).title}`, "error");
  }
}

function disconnect() {
  klipy = null;
  setConnected(false);
  setStatus($("conn-status"), "Key forgotten. Not connected.", "");
  $("api-key").focus();
}

// --- faults ----------------------------------------------------------------------------------------

async function showPendingFaults(prefix = "") {
  const list = await pendingFaults();
  const pending = list.reduce((n, f) => n + (f.times ?? 1), 0);
  const tail = pending ? `${pending} faulty response(s) pending.` : "No faults pending.";
  setStatus($("fault-status"), `${prefix}${tail}`, pending ? "busy" : "");
}

/** After a call: the faults it used up are no longer pending. */
function refreshFaults() {
  showPendingFaults().catch((err) => {
    setStatus($("fault-status"), `The fault API failed: ${err.message}`, "error");
  });
}

async function onFaultButton(event) {
  const kind = event.currentTarget.dataset.fault;
  const opts = {
    times: Math.max(1, Math.min(20, Number($("fault-times").value) || 2)),
    delayMs: Math.max(100, Math.min(60000, Number($("fault-delay").value) || 2000)),
  };
  try {
    if (kind === "clear") {
      await clearFaults();
      await showPendingFaults("Faults cleared. ");
    } else if (kind === "mock-reset") {
      await resetMock();
      for (const set of Object.values(knownIds)) set.clear();
      harvestIds({});
      await showPendingFaults("Mock reset: demo data reloaded, rate-limit windows fresh. ");
    } else {
      await injectFaults(faultsFor(kind, opts));
      await showPendingFaults(`Injected: ${DESCRIPTIONS[kind](opts)}. `);
    }
  } catch (err) {
    setStatus($("fault-status"), `The fault API failed: ${err.message}`, "error");
  }
}

// --- bulk ------------------------------------------------------------------------------------------

async function runBulk(event) {
  event.preventDefault();
  if (!klipy) return;
  const total = Math.max(1, Math.min(1000, Number($("bulk-count").value) || 50));
  const concurrency = Math.max(1, Math.min(32, Number($("bulk-concurrency").value) || 4));
  const prefix = $("bulk-prefix").value.trim().replace(/[^A-Za-z0-9._+-]/g, "") || "bulk";
  const progress = $("bulk-progress");
  const out = $("bulk-count-out");
  const status = $("bulk-status");
  const button = $("bulk-run");
  const inputs = Array.from({ length: total }, (_, i) => ({
    email: `${prefix}-${i + 1}@example.com`,
    firstName: "Bulk",
    lastName: `Person ${i + 1}`,
  }));
  progress.max = total;
  progress.value = 0;
  out.textContent = `0/${total}`;
  button.disabled = true;
  setStatus(status, `Upserting ${total} people, ${concurrency} at a time…`, "busy");
  const started = performance.now();
  try {
    const result = await klipy.people.upsertMany(inputs, {
      concurrency,
      onProgress: guarded("onProgress", ({ done, total: t, failed }) => {
        progress.value = done;
        out.textContent = `${done}/${t}${failed ? ` (${failed} failed)` : ""}`;
      }),
    });
    const ms = Math.round(performance.now() - started);
    progress.value = total;
    const failed = result.failed.length;
    out.textContent = `${result.succeeded.length + failed}/${total}${failed ? ` (${failed} failed)` : ""}`;
    harvestIds(result.succeeded.slice(0, 20).map((s) => s.result));
    const firstFail = failed ? ` First failure (#${result.failed[0].index + 1}): ${describeError(result.failed[0].error).title}` : "";
    setStatus(status, `Done in ${ms} ms: ${result.succeeded.length} upserted, ${failed} failed.${firstFail}`, failed ? "error" : "ok");
  } catch (err) {
    setStatus(status, `Bulk upsert failed: ${describeError(err).title}`, "error");
  } finally {
    button.disabled = !klipy;
    refreshFaults();
  }
}

// --- start -----------------------------------------------------------------------------------------

async function main() {
  $("base-url").textContent = BASE_URL;
  makeDatalists();
  buildOperationSelect();
  $("connect-form").addEventListener("submit", connect);
  $("disconnect").addEventListener("click", disconnect);
  $("op-form").addEventListener("submit", runOperation);
  $("bulk-form").addEventListener("submit", runBulk);
  $("timeline-clear").addEventListener("click", () => timeline.clear());
  for (const b of document.querySelectorAll("[data-fault]")) b.addEventListener("click", onFaultButton);
  timeline.render();

  try {
    sdk = await import("./sdk/klipy.mjs");
    // Fetch and compile the .wasm now rather than on the first call (the browser entry's
    // `init()` loads it from next to the entry, via `new URL(…, import.meta.url)`).
    if (typeof sdk.init === "function") await sdk.init();
  } catch (err) {
    setStatus($("sdk-version"), "The SDK did not load: run scripts/www-sdk.sh, then reload.", "error");
    setStatus($("conn-status"), "No SDK loaded.", "error");
    throw err;
  }
  setStatus($("sdk-version"), `klipy-sdk ${sdk.VERSION} (browser build) loaded.`, "ok");
  $("connect").disabled = false;
  document.body.dataset.ready = "true";
  showPendingFaults().catch(() => {
    setStatus($("fault-status"), "The fault API is not reachable: this page must be served by klipy-mock.", "error");
  });
}

main();
