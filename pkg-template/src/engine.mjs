// The wasm engine: loads one wasm-bindgen glue module's instance, once, and keeps it usable.
//
// - Loading is memoised and idempotent: concurrent `init` calls share one promise, later ones
//   resolve at once, and a failed load is forgotten so the next call tries again.
// - A trap (a Rust panic under `panic = "abort"`, an out-of-memory or stack overflow) leaves the
//   wasm instance's memory half-updated, so nothing may run in it again. The glue is generated
//   with `--experimental-reset-state-function` and patched by scripts/package.sh so that a trap
//   inside an async task reaches `onTrap` below. The engine then rejects every call in flight
//   with a `KlipyError`, and the next call re-instantiates the module (`__wbg_reset_state`) and
//   rebuilds its client from the options it was made with.
//
// No Node built-in is imported here: this file runs in Node, Deno, Bun, workerd and browsers.

import { ConfigError, KlipyError } from "./errors.mjs";
import { VERSION } from "./version.mjs";

/** The glue functions scripts/package.sh adds; without them the engine cannot recover. */
const PATCHED = ["__klipy_set_trap_handler", "__klipy_instance_id", "__wbg_reset_state"];

/** Errors that mean the wasm instance stopped mid-call and its memory can no longer be trusted. */
export function isTrap(error) {
  if (typeof WebAssembly !== "object" || error === null || typeof error !== "object") return false;
  if (error instanceof WebAssembly.RuntimeError) return true;
  // A stack overflow inside wasm is a RangeError in V8 and JavaScriptCore.
  return error instanceof RangeError && /call stack/i.test(String(error.message));
}

function describe(error) {
  if (error !== null && typeof error === "object" && typeof error.message === "string") {
    return `${error.name ?? "Error"}: ${error.message}`;
  }
  return String(error);
}

function isModule(value) {
  return typeof WebAssembly === "object" && value instanceof WebAssembly.Module;
}

function isBytes(value) {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/** Compiles what `init` was given (`{ module }`, `{ bytes }` or `{ url }`) into a Module. */
async function compile(source) {
  if (source === null || typeof source !== "object") {
    throw new ConfigError("`init` takes `{ module }`, `{ bytes }` or `{ url }`.");
  }
  const given = ["module", "bytes", "url"].filter((k) => source[k] !== undefined && source[k] !== null);
  if (given.length !== 1) {
    throw new ConfigError(
      `\`init\` takes exactly one of \`module\`, \`bytes\` and \`url\`, not ${given.length === 0 ? "none" : given.join(" and ")}.`,
    );
  }
  if (given[0] === "module") {
    if (!isModule(source.module)) {
      throw new ConfigError("`init({ module })` needs a compiled `WebAssembly.Module` of klipy_sdk_bg.wasm.");
    }
    return source.module;
  }
  if (given[0] === "bytes") {
    if (!isBytes(source.bytes)) {
      throw new ConfigError("`init({ bytes })` needs an ArrayBuffer or typed array holding klipy_sdk_bg.wasm.");
    }
    try {
      return await WebAssembly.compile(source.bytes);
    } catch (cause) {
      throw new ConfigError(
        `Could not compile the given bytes as klipy_sdk_bg.wasm (${describe(cause)}). ` +
          "Cloudflare Workers refuse to compile from bytes: import the .wasm file and pass `{ module }`.",
        { cause },
      );
    }
  }
  const url = source.url;
  if (typeof url !== "string" && !(typeof URL === "function" && url instanceof URL)) {
    throw new ConfigError("`init({ url })` needs a string or a URL.");
  }
  let response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new ConfigError(`Could not fetch klipy_sdk_bg.wasm from ${String(url)} (${describe(cause)}).`, { cause });
  }
  if (!response.ok) {
    throw new ConfigError(
      `Could not fetch klipy_sdk_bg.wasm from ${String(url)}: HTTP ${response.status}. ` +
        "Serve the file that ships in klipy-sdk's wasm/ folder there, or pass init({ url }).",
    );
  }
  try {
    const type = response.headers.get("content-type") ?? "";
    if (typeof WebAssembly.compileStreaming === "function" && type.split(";")[0].trim() === "application/wasm") {
      return await WebAssembly.compileStreaming(response);
    }
    return await WebAssembly.compile(await response.arrayBuffer());
  } catch (cause) {
    throw new ConfigError(`${String(url)} is not a usable klipy_sdk_bg.wasm (${describe(cause)}).`, { cause });
  }
}

/**
 * Wraps wasm-bindgen's `web` glue (its exports the engine uses: core.mjs passes them), which
 * waits for `initSync`.
 */
export function createEngine(glue) {
  for (const name of PATCHED) {
    if (typeof glue[name] !== "function") {
      throw new Error(`klipy-sdk: the wasm glue lacks ${name}; the package was built incorrectly.`);
    }
  }

  let ready = false;
  let loading = null; // the in-flight `init` promise
  let poisoned = false; // a trap happened; reset before the next entry
  const inFlight = new Set(); // reject functions of calls running in the current instance

  function crashError(cause) {
    return new KlipyError(
      `The SDK's WebAssembly module stopped with an internal error (${describe(cause)}). ` +
        "It has been restarted and the next call will work; calls that were in flight were abandoned, " +
        "so check whether they took effect. Please report this to the klipy-sdk maintainers.",
      { cause },
    );
  }

  /** Called by the patched glue (and by `enter`) with anything a wasm entry threw. */
  function onTrap(error) {
    if (!isTrap(error)) return false;
    if (!poisoned) {
      poisoned = true;
      const err = crashError(error);
      const rejects = [...inFlight];
      inFlight.clear();
      for (const reject of rejects) reject(err);
    }
    return true;
  }
  glue.__klipy_set_trap_handler(onTrap);

  function checkVersion() {
    const wasmVersion = glue.sdkVersion();
    if (wasmVersion !== VERSION) {
      throw new ConfigError(
        `klipy_sdk_bg.wasm is version ${wasmVersion}, but this JavaScript is klipy-sdk ${VERSION}: load the .wasm that ships with the package.`,
      );
    }
  }

  const engine = {
    get ready() {
      return ready;
    },

    /** The glue's instance number; it changes when a trap forces a fresh instance. */
    get generation() {
      return glue.__klipy_instance_id();
    },

    /** Instantiates a compiled module synchronously (no-op once loaded). */
    initSync(module) {
      if (ready) return;
      if (!isModule(module)) {
        throw new ConfigError("klipy-sdk needs a compiled `WebAssembly.Module` of klipy_sdk_bg.wasm.");
      }
      try {
        glue.initSync({ module });
      } catch (cause) {
        throw new ConfigError(`Could not instantiate klipy_sdk_bg.wasm (${describe(cause)}).`, { cause });
      }
      checkVersion();
      ready = true;
    },

    /** Memoised async load from `{ module }`, `{ bytes }` or `{ url }`. */
    init(source) {
      if (ready) return Promise.resolve();
      if (loading === null) {
        loading = (async () => {
          const module = await compile(source);
          engine.initSync(module);
        })();
        // Forget a failed load so that the next call can try again.
        loading.then(
          () => {
            loading = null;
          },
          () => {
            loading = null;
          },
        );
      }
      return loading;
    },

    /** The in-flight load, if any. */
    get loading() {
      return loading;
    },

    /** Runs a synchronous wasm entry, first replacing a trapped instance. */
    enter(fn) {
      if (poisoned) {
        try {
          glue.__wbg_reset_state();
        } catch (cause) {
          throw new KlipyError(
            `The SDK's WebAssembly module could not be restarted after an internal error (${describe(cause)}); reload the page or restart the process.`,
            { cause },
          );
        }
        poisoned = false;
      }
      try {
        return fn();
      } catch (error) {
        if (onTrap(error)) throw crashError(error);
        throw error;
      }
    },

    /** A promise that settles like `promise`, or rejects at once if the instance traps. */
    track(promise) {
      return new Promise((resolve, reject) => {
        inFlight.add(reject);
        Promise.resolve(promise).then(
          (value) => {
            inFlight.delete(reject);
            resolve(value);
          },
          (error) => {
            inFlight.delete(reject);
            reject(error);
          },
        );
      });
    },

    glue,
  };
  return engine;
}
