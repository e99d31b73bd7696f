// Bulk: the core answers JSON text in input order; JS adds inputs and error classes, no sorting.
import assert from "node:assert/strict";
import test from "node:test";
import { bulkResult, setup } from "./sdk.mjs";

test("bulk: JSON text → succeeded with results, failed with inputs and error classes", async () => {
  const inputs = [{ email: "a@x" }, { email: "bad" }, { email: "c@x" }];
  const { klipy, sdk, engine } = setup({
    bulk: (op, given, opts) =>
      bulkResult(
        [
          { index: 2, requestId: "req_c", result: { id: "per_c" } },
          { index: 0, requestId: null, result: { id: "per_a" } },
        ],
        [{ index: 1, error: { name: "UnprocessableEntityError", message: "bad email", retryable: false, attempts: 1, status: 422, code: "invalid", requestId: "req_b", details: { field: "email" }, cause: "why" } }],
      ),
  });
  const { succeeded, failed } = await klipy.people.upsertMany(inputs, { concurrency: 2 });
  assert.equal(engine.calls[0].op, "people.upsertMany");
  assert.deepEqual(engine.calls[0].inputs, inputs);
  assert.deepEqual(succeeded.map((s) => [s.index, s.result.id, s.result.requestId]), [[2, "per_c", "req_c"], [0, "per_a", null]], "kept in the core's order");
  assert.equal(failed.length, 1);
  const [f] = failed;
  assert.equal(f.index, 1);
  assert.equal(f.input, inputs[1]);
  assert.ok(f.error instanceof sdk.UnprocessableEntityError && f.error instanceof sdk.APIError);
  assert.equal(f.error.requestId, "req_b");
  assert.equal(f.error.attempts, 1);
  assert.deepEqual(f.error.details, { field: "email" });
  assert.equal(f.error.cause.message, "why");
});

test("createMany sends interactions.createMany; a null result stays null", async () => {
  const { klipy, engine } = setup({ bulk: () => bulkResult([{ index: 0, requestId: "r", result: null }]) });
  const { succeeded } = await klipy.interactions.createMany([{ type: "EMAIL" }]);
  assert.equal(engine.calls[0].op, "interactions.createMany");
  assert.equal(succeeded[0].result, null);
});

test("bulk refuses a non-array, and a rejection of the whole bulk is an error class", async () => {
  const { klipy, sdk, engine } = setup({ bulk: () => { throw Object.assign(new Error("aborted"), { name: "APIUserAbortError", attempts: 0 }); } });
  await assert.rejects(klipy.people.upsertMany({}), (err) => err instanceof sdk.ValidationError && err.field === "inputs");
  assert.equal(engine.calls.length, 0);
  await assert.rejects(klipy.people.upsertMany([{}]), (err) => err instanceof sdk.APIUserAbortError && err.attempts === 0);
});
