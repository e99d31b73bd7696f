// The three competitors, behind one small interface so every benchmark makes the same calls:
//
//   getPerson(id)              GET  /people/{id}      → the person
//   queryPage(limit, cursor)   POST /people/query     → { data, hasNextPage, nextCursor }
//   upsertPerson(input)        PUT  /people           → the person
//
// (a) raw:   a minimal hand-written fetch client: fetch, JSON parse, envelope unwrap, no retries.
// (b) ky:    the same calls through `ky` (exact pin in package.json) with its retry enabled.
// (c) klipy: klipy-sdk as installed from the packed tarball, default options.
//
// `klipy` with `from: "<folder of an installed klipy-sdk>"` loads that build instead (see
// bench/compare.mjs).
//
// Each module is imported only when its competitor is asked for, so a process that measures one
// competitor never loads another (cold start and memory stay honest).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** Minimal envelope unwrap shared by raw and ky (what twenty lines of glue would do). */
function unwrapList(env) {
  const info = env.page_info ?? {};
  return { data: env.data, hasNextPage: info.has_next_page === true, nextCursor: info.end_cursor ?? null };
}

export function rawClient({ baseUrl, apiKey }) {
  const headers = { accept: "application/json", "x-klipy-api-key": apiKey };
  const jsonHeaders = { ...headers, "content-type": "application/json" };
  async function call(method, path, body) {
    const res = await fetch(baseUrl + path, {
      method,
      headers: body === undefined ? headers : jsonHeaders,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const env = await res.json();
    if (!res.ok) {
      const err = new Error(`HTTP ${res.status}: ${env?.error?.code ?? "error"}`);
      err.status = res.status;
      throw err;
    }
    return env;
  }
  return {
    name: "raw",
    getPerson: (id) => call("GET", `/people/${encodeURIComponent(id)}`).then((e) => e.data),
    queryPage: (limit, cursor) => call("POST", "/people/query", { limit, cursor: cursor ?? null }).then(unwrapList),
    upsertPerson: (input) => call("PUT", "/people", input).then((e) => e.data),
  };
}

export async function kyClient({ baseUrl, apiKey }) {
  const { default: ky } = await import("ky");
  const api = ky.create({
    prefixUrl: baseUrl,
    headers: { accept: "application/json", "x-klipy-api-key": apiKey },
    timeout: 30_000,
    // Same policy as the SDK's defaults: 2 retries; the query POST is read-only, so retry it too.
    retry: { limit: 2, methods: ["get", "put", "post", "patch", "delete"], statusCodes: [408, 429, 500, 502, 503, 504] },
  });
  return {
    name: "ky",
    getPerson: (id) => api.get(`people/${encodeURIComponent(id)}`).json().then((e) => e.data),
    queryPage: (limit, cursor) =>
      api.post("people/query", { json: { limit, cursor: cursor ?? null } }).json().then(unwrapList),
    upsertPerson: (input) => api.put("people", { json: input }).json().then((e) => e.data),
  };
}

/**
 * The ESM entry Node would pick from an installed klipy-sdk folder (for `from`: comparing a
 * candidate build against the installed one).
 */
function nodeImportEntry(pkgDir) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const dot = pkg.exports?.["."] ?? {};
  const pick = (e) => (typeof e === "string" ? e : e && (pick(e.node) ?? pick(e.import) ?? pick(e.default)));
  const entry = pick(dot) ?? pkg.module ?? pkg.main;
  return pathToFileURL(join(pkgDir, entry)).href;
}

export async function klipyClient({ baseUrl, apiKey, options = {}, from }) {
  const { Klipy } = await import(from ? nodeImportEntry(from) : "klipy-sdk");
  const klipy = new Klipy({ apiKey, baseUrl, ...options });
  return {
    name: "klipy",
    klipy,
    getPerson: (id) => klipy.people.get(id),
    queryPage: async (limit, cursor) => {
      const page = await klipy.people.query({ limit, cursor: cursor ?? undefined });
      return { data: page.data, hasNextPage: page.hasNextPage, nextCursor: page.nextCursor };
    },
    upsertPerson: (input) => klipy.people.upsert(input),
  };
}

export async function makeClient(name, cfg) {
  switch (name) {
    case "raw":
      return rawClient(cfg);
    case "ky":
      return kyClient(cfg);
    case "klipy":
      return klipyClient(cfg);
    default:
      throw new Error(`unknown competitor ${name}`);
  }
}

export const COMPETITORS = ["raw", "ky", "klipy"];
