// Size: the .wasm (as shipped, after wasm-opt -Oz), JS glue per entry point, the packed tarball,
// and a per-crate breakdown of the wasm with twiggy (on wasm-bindgen's output, which still has
// function names; wasm-opt strips them).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";

/** gzip -9 size, with GNU gzip as scripts/package.sh and scripts/check-size.sh use (zlib if absent). */
function gz(buf) {
  try {
    return execFileSync("gzip", ["-9", "-c"], { input: buf, maxBuffer: 64 * 2 ** 20 }).length;
  } catch {
    return gzipSync(buf, { level: 9 }).length;
  }
}
const br = (buf) => brotliCompressSync(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;

export function fileSizes(path) {
  const buf = readFileSync(path);
  return { bytes: buf.length, gzip: gz(buf), brotli: br(buf) };
}

/** Relative JS modules a file imports or requires (static strings only), transitively. */
function jsClosure(entry) {
  const seen = new Set();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    const re = /(?:import|export)\s[^'"]*?from\s*["'](\.{1,2}\/[^"']+)["']|import\s*\(?\s*["'](\.{1,2}\/[^"']+)["']|require\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;
    for (const m of text.matchAll(re)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (/\.(m|c)?js$/.test(spec)) stack.push(resolve(dirname(file), spec));
    }
  }
  return [...seen];
}

/** Every (condition path, file) in a package.json `exports` map. */
function exportEntries(exportsField, prefix = []) {
  if (typeof exportsField === "string") return [{ conditions: prefix, file: exportsField }];
  if (!exportsField || typeof exportsField !== "object") return [];
  return Object.entries(exportsField).flatMap(([k, v]) => exportEntries(v, [...prefix, k]));
}

/** JS glue per entry: the entry file and every relative module it pulls in, raw and gzipped. */
export function glueByEntry(pkgDir) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const seen = new Map();
  for (const { conditions, file } of exportEntries(pkg.exports?.["."] ?? pkg.exports ?? {})) {
    if (!/\.(m|c)?js$/.test(file) || conditions.includes("types")) continue;
    const abs = resolve(pkgDir, file);
    const key = relative(pkgDir, abs);
    if (!seen.has(key)) seen.set(key, { entry: key, conditions: [] });
    seen.get(key).conditions.push(conditions.join(" → ") || ".");
  }
  return [...seen.values()].map((e) => {
    const files = jsClosure(resolve(pkgDir, e.entry));
    const concat = Buffer.concat(files.map((f) => readFileSync(f)));
    return {
      ...e,
      files: files.map((f) => ({ file: relative(pkgDir, f), bytes: statSync(f).size })),
      bytes: concat.length,
      gzip: gz(concat),
    };
  });
}

/**
 * The first crate named by an item: `serde_json::de::…` → serde_json; for a trait impl on a
 * primitive, `<f64 as core::str::FromStr>::from_str` → core; else the implementing type's crate.
 */
function crateToken(name) {
  let s = name;
  if (s.startsWith("<")) {
    const inner = s.slice(1);
    const primitive = /^(?:&|\*|mut |const |dyn |impl |\[|\(|f32\b|f64\b|[ui](?:8|16|32|64|128|size)\b|bool\b|char\b|str\b)/.test(inner);
    const as = inner.indexOf(" as ");
    s = primitive && as >= 0 ? inner.slice(as + 4) : inner;
  }
  const m = s.match(/^[<&*\s(]*(?:(?:mut|dyn|const|impl)\s+)*([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/);
  return m ? m[1] : null;
}

/** Which crate an item named by twiggy belongs to (by its first path segment). */
export function crateOf(name) {
  if (/^"?"?function names/.test(name) || name.startsWith('"""function names')) return "(function names section)";
  if (name.startsWith("data segment") || name.startsWith('"data segment')) return "(data: .rodata/.data)";
  if (/^custom section/.test(name)) return "(custom sections)";
  const c = crateToken(name);
  if (c) {
    if (c === "core" || c === "alloc" || c === "std" || c === "__rustc") return "std (core, alloc, std)";
    if (c === "serde_core") return "serde";
    return c;
  }
  if (/^(__wbindgen|__wbg|__externref|wasmclient_|export |import |elem\[|table|memory|global|type\[|sdkVersion|wasm_bindgen|Ref\(|.*externref shim|.*multivalue shim)/.test(name)) {
    return "(wasm-bindgen exports, imports, shims)";
  }
  if (/^(memcpy|memset|memmove|memcmp|__multi3|__ashlti3|__lshrti3|__udivti3|__umodti3|__divti3|__modti3|bcmp)/.test(name)) {
    return "compiler_builtins";
  }
  return "(other, unnamed)";
}

const CRATE_LABELS = {
  klipy_sdk: "klipy_sdk (this crate)",
  serde_json: "serde_json",
  serde: "serde",
  indexmap: "indexmap (serde_json preserve_order)",
  hashbrown: "hashbrown (via indexmap)",
  dlmalloc: "dlmalloc (allocator)",
  gloo_net: "gloo-net",
  web_sys: "web-sys",
  js_sys: "js-sys",
  wasm_bindgen: "wasm-bindgen",
  futures_util: "futures-util",
  futures_core: "futures-core",
  httpdate: "httpdate",
  percent_encoding: "percent-encoding",
  itoa: "itoa",
  ryu: "ryu",
  memchr: "memchr",
  zmij: "zmij (serde_json's float printer)",
  http: "http (via gloo-net)",
  gloo_utils: "gloo-utils (via gloo-net)",
};

/** The std items grouped by module (`core::num::flt2dec`), biggest first. */
function stdModules(rows) {
  const by = new Map();
  for (const r of rows) {
    if (crateOf(r.name) !== "std (core, alloc, std)") continue;
    let s = r.name;
    if (s.startsWith("<")) {
      const inner = s.slice(1);
      const as = inner.indexOf(" as ");
      s = /^(?:&|\*|\[|\(|f32\b|f64\b|[ui](?:8|16|32|64|128|size)\b|bool\b|char\b|str\b)/.test(inner) && as >= 0 ? inner.slice(as + 4) : inner;
    }
    const parts = s.replace(/\[[0-9a-f]+\]/g, "").split("::");
    const mod = parts.slice(0, 3).filter((p) => /^[a-z_][a-z0-9_]*$/.test(p)).join("::") || parts[0];
    by.set(mod, (by.get(mod) ?? 0) + r.bytes);
  }
  return [...by.entries()].map(([module, bytes]) => ({ module, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** twiggy's per-item sizes grouped by crate, or `{ error }` when twiggy is missing. */
export function twiggyByCrate(wasmPath) {
  let csv;
  try {
    csv = execFileSync("twiggy", ["top", "-n", "1000000", "-f", "csv", wasmPath], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    return { error: `twiggy is not available (${e.code ?? e.message}); install it with: cargo install twiggy` };
  }
  const rows = [];
  for (const line of csv.trim().split("\n").slice(1)) {
    // Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent — the name may be
    // quoted and contain commas; the four numeric columns are at the end.
    const parts = line.split(",");
    const shallow = Number(parts[parts.length - 4]);
    const name = parts.slice(0, parts.length - 4).join(",").replace(/^"|"$/g, "").replace(/""/g, '"');
    rows.push({ name, bytes: shallow });
  }
  const total = rows.reduce((n, r) => n + r.bytes, 0);
  const names = rows.find((r) => r.name.includes("function names"))?.bytes ?? 0;
  const byCrate = new Map();
  for (const r of rows) {
    const c = crateOf(r.name);
    const entry = byCrate.get(c) ?? { crate: CRATE_LABELS[c] ?? c, bytes: 0, items: 0, biggest: null };
    entry.bytes += r.bytes;
    entry.items += 1;
    if (!entry.biggest || r.bytes > entry.biggest.bytes) entry.biggest = r;
    byCrate.set(c, entry);
  }
  const crates = [...byCrate.values()]
    .filter((e) => e.crate !== "(function names section)")
    .sort((a, b) => b.bytes - a.bytes)
    .map((e) => ({ ...e, share: e.bytes / (total - names) }));
  return { total, namesSection: names, withoutNames: total - names, crates, stdModules: stdModules(rows) };
}

/** Debug strings embedded as panic locations (source paths), by crate. */
export function panicPathBytes(wasmPath) {
  const text = readFileSync(wasmPath).toString("latin1");
  const byCrate = {};
  let total = 0;
  for (const m of text.matchAll(/(?:\/rustc\/[0-9a-f]+\/library\/([a-z_]+)|\/\.cargo\/registry\/src\/[^/]+\/([A-Za-z0-9_-]+?)-\d[^/]*|(src))\/[A-Za-z0-9_/.-]+\.rs/g)) {
    const crate = m[1] ? "std" : m[2] ?? "klipy_sdk";
    byCrate[crate] = (byCrate[crate] ?? 0) + m[0].length;
    total += m[0].length;
  }
  return { total, byCrate };
}

/** The release profile's size settings, as written in Cargo.toml. */
export function releaseProfile(root) {
  const toml = readFileSync(join(root, "Cargo.toml"), "utf8");
  const section = toml.split(/^\[profile\.release\]\s*$/m)[1]?.split(/^\[/m)[0] ?? "";
  return section
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
}
