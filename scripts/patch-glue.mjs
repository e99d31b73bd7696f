// Trap recovery, as a text patch of wasm-bindgen's generated glue (called by scripts/package.sh;
// tested by tests/js/unit/patch-glue.test.mjs).
//
// A trap inside an async task (a panic under panic = "abort", OOM, stack overflow) is thrown from
// a closure the host calls — a microtask, a timer, a promise reaction — where nothing could catch
// it, and the call's promise would never settle. The patch wraps the glue's closure factory so
// such a throw reaches the engine (src/engine.mjs), which rejects the calls in flight and
// re-instantiates the module before the next call; closures of a replaced instance are ignored.
// Because it edits generated code, it checks every assumption it makes and refuses (throws) when
// wasm-bindgen's output changes shape.
//
//   node scripts/patch-glue.mjs <glue.js>   rewrites the file in place (exit 1 with the reason)

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DECL = "function makeMutClosure(arg0, arg1, f) {";

const ADDED = `
// ---- added by klipy-sdk's scripts/patch-glue.mjs: trap recovery (see src/engine.mjs) ----
var __klipy_trap_handler = null;
function makeMutClosure(arg0, arg1, f) {
    const instance = __wbg_instance_id;
    const real = __klipy_makeMutClosureUnguarded(arg0, arg1, f);
    const guarded = (...args) => {
        // A callback of an instance that a trap made us replace: its call was already rejected.
        if (instance !== __wbg_instance_id) return undefined;
        try {
            return real(...args);
        } catch (e) {
            if (__klipy_trap_handler !== null && __klipy_trap_handler(e)) return undefined;
            throw e;
        }
    };
    guarded._wbg_cb_unref = real._wbg_cb_unref;
    return guarded;
}
function __klipy_set_trap_handler(handler) { __klipy_trap_handler = handler; }
function __klipy_instance_id() { return __wbg_instance_id; }
export { __klipy_set_trap_handler, __klipy_instance_id };
`;

/** The patched glue; throws an Error saying which assumption `source` breaks. */
export function patchGlue(source) {
  const fail = (why) => {
    throw new Error(`cannot patch the wasm-bindgen glue: ${why}`);
  };
  if (source.split(DECL).length !== 2) fail(`expected exactly one "${DECL}"`);
  if (source.includes("function makeClosure(")) fail("it has a makeClosure factory this patch does not wrap");
  if (!/\nlet __wbg_instance_id = 0;\n/.test(source)) {
    fail("no __wbg_instance_id (was --experimental-reset-state-function given?)");
  }
  if (!source.includes("function __wbg_reset_state ()")) fail("no __wbg_reset_state");
  if (source.includes("__klipy_set_trap_handler")) fail("it is patched already");
  return source.replace(DECL, "function __klipy_makeMutClosureUnguarded(arg0, arg1, f) {") + ADDED;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file] = process.argv.slice(2);
  try {
    writeFileSync(file, patchGlue(readFileSync(file, "utf8")));
  } catch (err) {
    console.error(`patch-glue: ${file}: ${err.message}`);
    process.exit(1);
  }
}
