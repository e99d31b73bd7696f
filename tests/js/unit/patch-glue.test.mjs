// scripts/patch-glue.mjs: the trap-recovery patch of wasm-bindgen's glue, on a glue of the same
// shape — what the patched factory does, and that every changed assumption stops the build.
import assert from "node:assert/strict";
import test from "node:test";
import { patchGlue } from "../../../scripts/patch-glue.mjs";

// The parts of wasm-bindgen 0.2.130's `web` glue the patch relies on, and nothing else.
const GLUE = `
let __wbg_instance_id = 0;
export function __wbg_reset_state () {
    __wbg_instance_id++;
}
function makeMutClosure(arg0, arg1, f) {
    const real = (...args) => f(arg0, arg1, ...args);
    real._wbg_cb_unref = () => "unref";
    return real;
}
export function closure(f) { return makeMutClosure(1, 2, f); }
`;

const load = (text) => import(`data:text/javascript,${encodeURIComponent(text)}`);

test("the patched factory passes calls through and hands a throw to the trap handler", async () => {
  const glue = await load(patchGlue(GLUE));
  const seen = [];
  const ok = glue.closure((a, b, x) => a + b + x);
  assert.equal(ok(3), 6);
  assert.equal(ok._wbg_cb_unref(), "unref");

  const trap = new Error("unreachable");
  const failing = glue.closure(() => {
    throw trap;
  });
  assert.throws(() => failing(), (e) => e === trap, "no handler yet: the throw goes on");
  glue.__klipy_set_trap_handler((e) => (seen.push(e), true));
  assert.equal(failing(), undefined, "a handled trap is swallowed");
  assert.deepEqual(seen, [trap]);
  glue.__klipy_set_trap_handler(() => false);
  assert.throws(() => failing(), (e) => e === trap, "a handler that declines lets it go on");
});

test("after a reset, closures of the old instance are ignored and new ones run", async () => {
  const glue = await load(patchGlue(GLUE));
  let calls = 0;
  const old = glue.closure(() => ++calls);
  assert.equal(glue.__klipy_instance_id(), 0);
  glue.__wbg_reset_state();
  assert.equal(glue.__klipy_instance_id(), 1);
  assert.equal(old(), undefined);
  assert.equal(calls, 0);
  assert.equal(glue.closure(() => ++calls)(), 1);
});

test("a glue of another shape is refused with the assumption it breaks", () => {
  const cases = [
    [GLUE.replace("function makeMutClosure(arg0, arg1, f) {", "function makeMutClosure(a, b, f) {"), /exactly one/],
    [GLUE + "function makeMutClosure(arg0, arg1, f) {}\n", /exactly one/],
    [GLUE + "function makeClosure(arg0, arg1, f) {}\n", /makeClosure/],
    [GLUE.replace("let __wbg_instance_id = 0;", "let id = 0;"), /__wbg_instance_id/],
    [GLUE.replace("function __wbg_reset_state ()", "function reset()"), /__wbg_reset_state/],
    [patchGlue(GLUE), /patched already/],
  ];
  for (const [text, why] of cases) {
    assert.throws(() => patchGlue(text), (e) => e.message.startsWith("cannot patch the wasm-bindgen glue: ") && why.test(e.message));
  }
});
