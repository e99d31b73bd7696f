// upsertMany / createMany: every input accounted for, errors mapped, progress reported.

import { test } from "node:test";
import assert from "node:assert/strict";
import { ConflictError, KlipyError, ValidationError, APIUserAbortError } from "klipy-sdk";
import { apiError, client, ok, person, rejection, scripted } from "./helpers.mjs";

test("upsertMany with one failing input: the rest succeed, the failure keeps its input and class", async () => {
  const inputs = Array.from({ length: 6 }, (_, i) => ({ email: `p${i}@example.com`, firstName: `P${i}` }));
  const { fetch, calls } = scripted((call) =>
    call.body.email === "p3@example.com"
      ? apiError(409, "conflict", "email taken", { details: { email: "taken" } })
      : ok({ ...person(Number(call.body.email.slice(1, 2))), email: call.body.email }, { requestId: `req_${call.body.email}` }),
  );
  const progress = [];
  const result = await client(fetch).people.upsertMany(inputs, {
    concurrency: 2,
    onProgress: (p) => progress.push({ ...p }),
  });
  assert.deepEqual(result.succeeded.map((s) => s.index), [0, 1, 2, 4, 5]);
  for (const s of result.succeeded) {
    assert.equal(s.result.email, inputs[s.index].email);
    assert.equal(s.result.requestId, `req_${inputs[s.index].email}`);
    assert.ok(!Object.keys(s.result).includes("requestId"));
  }
  assert.equal(result.failed.length, 1);
  const [failure] = result.failed;
  assert.equal(failure.index, 3);
  assert.equal(failure.input, inputs[3], "the caller's own input object");
  assert.ok(failure.error instanceof ConflictError, failure.error?.name);
  assert.ok(failure.error instanceof KlipyError);
  assert.equal(failure.error.status, 409);
  assert.equal(calls.length, 6);
  assert.ok(calls.every((c) => c.method === "PUT" && c.path === "/people"));
  assert.ok(progress.length > 0, "onProgress was called");
  assert.deepEqual(progress.at(-1), { done: 6, total: 6, failed: 1 });
});

test("createMany posts each interaction, and a bad input fails alone with ValidationError", async () => {
  const good = (n) => ({ type: "EMAIL", direction: "INBOUND", title: `t${n}`, mainContactEmail: "a@example.com", primaryId: `m${n}`, interactionDate: new Date(1_700_000_000_000 + n) });
  const inputs = [good(0), { type: "EMAIL", direction: "INBOUND", title: "neither contact" }, good(2)];
  const { fetch, calls } = scripted((call) => ok({ id: `int_${call.body.primaryId}`, isDuplicate: false }, { status: 201 }));
  const result = await client(fetch).interactions.createMany(inputs);
  assert.deepEqual(result.succeeded.map((s) => [s.index, s.result.id]), [[0, "int_m0"], [2, "int_m2"]]);
  assert.equal(result.failed.length, 1);
  assert.equal(result.failed[0].index, 1);
  assert.ok(result.failed[0].error instanceof ValidationError, result.failed[0].error?.name);
  assert.equal(calls.length, 2);
  assert.deepEqual(calls.map((c) => c.body.interactionDate).sort(), [1_700_000_000_000, 1_700_000_000_002]);
});

test("every index appears exactly once with stopOnError", async () => {
  const inputs = Array.from({ length: 10 }, (_, i) => ({ email: `p${i}@example.com` }));
  const { fetch } = scripted((call) =>
    call.body.email === "p1@example.com" ? apiError(409, "conflict", "taken") : ok(person(1, { email: call.body.email })),
  );
  const result = await client(fetch).people.upsertMany(inputs, { concurrency: 1, stopOnError: true });
  const indexes = [...result.succeeded.map((s) => s.index), ...result.failed.map((f) => f.index)].sort((a, b) => a - b);
  assert.deepEqual(indexes, inputs.map((_, i) => i));
  assert.ok(result.failed.length >= 1);
  for (const f of result.failed) {
    assert.ok(f.error instanceof KlipyError, f.error?.name);
    assert.equal(f.input, inputs[f.index]);
  }
});

test("an empty input list resolves to empty results without a request", async () => {
  const { fetch, calls } = scripted(() => ok(person(1)));
  const result = await client(fetch).people.upsertMany([]);
  assert.deepEqual(result, { succeeded: [], failed: [] });
  assert.equal(calls.length, 0);
});

test("a non-array is rejected with ValidationError", async () => {
  const { fetch } = scripted(() => ok(person(1)));
  const err = await rejection(client(fetch).people.upsertMany({ email: "a@example.com" }));
  assert.ok(err instanceof ValidationError);
  assert.equal(err.field, "inputs");
});

test("an aborted bulk signal: nothing more is sent and every input is accounted for", async () => {
  const inputs = Array.from({ length: 4 }, (_, i) => ({ email: `p${i}@example.com` }));
  const { fetch, calls } = scripted(() => ok(person(1)));
  let outcome;
  try {
    outcome = await client(fetch).people.upsertMany(inputs, { signal: AbortSignal.abort() });
  } catch (err) {
    assert.ok(err instanceof APIUserAbortError, err?.name);
    assert.equal(calls.length, 0);
    return;
  }
  assert.equal(calls.length, 0);
  assert.equal(outcome.succeeded.length, 0);
  assert.deepEqual(outcome.failed.map((f) => f.index), [0, 1, 2, 3]);
  assert.ok(outcome.failed.every((f) => f.error instanceof APIUserAbortError));
});
