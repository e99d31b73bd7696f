// Reads a V8 .cpuprofile (node --cpu-prof) and splits the sampled time into where it went.
import { readFileSync } from "node:fs";

const bundleSections = new Map();

/**
 * The package ships its JavaScript bundled (src/core.mjs, src/node.cjs); esbuild marks where each
 * source begins with a `// <path>` line. Returns `[{ from, source }]` (0-based lines) for a
 * bundle's URL, or [] when it cannot be read.
 */
function sectionsOf(url) {
  if (!bundleSections.has(url)) {
    let sections = [];
    try {
      const lines = readFileSync(new URL(url), "utf8").split("\n");
      lines.forEach((line, i) => {
        const m = /^\/\/ ((?:src|wasm)\/[\w.-]+)$/.exec(line);
        if (m) sections.push({ from: i, source: m[1] });
      });
    } catch {
      sections = [];
    }
    bundleSections.set(url, sections);
  }
  return bundleSections.get(url);
}

/** Which source of a bundled file a frame's line belongs to (null when unknown). */
function bundledSource(url, line) {
  let source = null;
  for (const s of sectionsOf(url)) if (s.from <= line) source = s.source;
  return source;
}

/** A bucket for a profile node, from its URL and function name. */
export function categoryOf(frame, wasmCategory = () => "wasm (Rust core)") {
  const { url = "", functionName = "" } = frame;
  if (/klipy-sdk\/src\/(core\.mjs|node\.cjs)$/.test(url) && url.startsWith("file:")) {
    const source = bundledSource(url, frame.lineNumber ?? 0);
    if (source === "wasm/klipy_sdk.mjs") return "wasm-bindgen JS glue";
    if (source !== null) return "SDK JS layer (klipy.mjs)";
  }
  if (functionName === "(idle)") return null;
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(program)" || functionName === "(root)") return "V8/native (program)";
  if (url.startsWith("wasm://") || /^\$?wasm-function/.test(functionName) || /^\$func\d+/.test(functionName)) {
    return wasmCategory(url);
  }
  if (/klipy-sdk\/wasm\/klipy_sdk\.(m|c)?js/.test(url)) return "wasm-bindgen JS glue";
  if (/klipy-sdk\/src\//.test(url)) return "SDK JS layer (klipy.mjs)";
  if (/node_modules\/ky\//.test(url)) return "ky";
  if (/undici/.test(url)) return "undici (fetch, Request, Headers)";
  if (url.startsWith("node:internal/deps/undici") || url.includes("internal/deps/undici")) return "undici (fetch, Request, Headers)";
  if (url.startsWith("node:internal/webstreams") || url.includes("webstreams")) return "web streams (body)";
  if (url.startsWith("node:internal/abort_controller") || url.includes("abort_controller") || url.includes("event_target")) {
    return "AbortController / EventTarget";
  }
  if (url.startsWith("node:internal/timers") || url.startsWith("node:timers")) return "timers";
  if (url.startsWith("node:") || url.startsWith("internal/")) return "other Node internals";
  if (/\/bench\//.test(url)) return "bench harness";
  if (url === "") return "builtins (JSON, Promise, …)";
  return "other JS";
}

/**
 * `{ totalMs, byCategory: [{ category, ms }], top: [{ name, category, ms }], wasmUrls }` of a
 * profile, idle time excluded. undici parses HTTP with a wasm build of llhttp: wasm modules whose
 * URL is in `undiciWasm` (or every wasm module when `undiciWasm` is true) count as undici.
 */
export function summarizeProfile(path, { top = 12, undiciWasm = new Set() } = {}) {
  const wasmCategory = (url) =>
    undiciWasm === true || (undiciWasm instanceof Set && undiciWasm.has(url)) ? "undici (llhttp wasm)" : "wasm (Rust core)";
  const wasmUrls = new Set();
  const profile = JSON.parse(readFileSync(path, "utf8"));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; charge it to the sample taken after it.
    const dt = timeDeltas[i + 1] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, dt));
  }
  const byCategory = new Map();
  const byFunction = new Map();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)?.callFrame ?? {};
    if ((frame.url ?? "").startsWith("wasm://")) wasmUrls.add(frame.url);
    const cat = categoryOf(frame, wasmCategory);
    if (!cat) continue;
    totalUs += us;
    byCategory.set(cat, (byCategory.get(cat) ?? 0) + us);
    const file = (frame.url ?? "").split("/").slice(-2).join("/");
    const key = `${frame.functionName || "(anonymous)"} ${file ? `(${file}:${frame.lineNumber + 1})` : ""}`.trim();
    const entry = byFunction.get(key) ?? { name: key, category: cat, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
  }
  return {
    totalMs: totalUs / 1000,
    wasmUrls: [...wasmUrls],
    byCategory: [...byCategory.entries()].map(([category, us]) => ({ category, ms: us / 1000 })).sort((a, b) => b.ms - a.ms),
    top: [...byFunction.values()].sort((a, b) => b.us - a.us).slice(0, top).map((e) => ({ name: e.name, category: e.category, ms: e.us / 1000 })),
  };
}
