// Queries: maxItems goes to the core as the items still wanted; JS walks pages and stops.
import assert from "node:assert/strict";
import test from "node:test";
import { result, setup } from "./sdk.mjs";

/** A fake core listing `total` items, `pageSize` (or the asked limit) per page, cursors "c<n>". */
function lister(total, pageSize = 3) {
  return {
    call(op, args) {
      const start = args.cursor ? Number(args.cursor.slice(1)) : 0;
      let size = args.limit ?? pageSize;
      if (args.maxItems !== undefined && args.maxItems !== null) size = Math.min(size, args.maxItems);
      const items = [];
      for (let i = start; i < Math.min(start + size, total); i++) items.push({ id: `per_${i}` });
      const end = start + items.length;
      return result(items, { requestId: `req_${start}`, hasNextPage: end < total, nextCursor: end < total ? `c${end}` : null });
    },
  };
}

test("for await walks every item; each page asks with maxItems = null when uncapped", async () => {
  const { klipy, engine } = setup(lister(7));
  const ids = [];
  for await (const p of klipy.people.query({ filter: { email: "x" } })) ids.push(p.id);
  assert.equal(ids.length, 7);
  assert.deepEqual(engine.calls.map((c) => c.args), [
    { filter: { email: "x" }, maxItems: null },
    { filter: { email: "x" }, cursor: "c3", maxItems: null },
    { filter: { email: "x" }, cursor: "c6", maxItems: null },
  ]);
  assert.equal(engine.calls[0].op, "people.query");
});

test("maxItems: each page passes the items still wanted; no limit computed in JS", async () => {
  const { klipy, engine } = setup(lister(20));
  const ids = [];
  for await (const p of klipy.interactions.query({ maxItems: 7, limit: 3 })) ids.push(p.id);
  assert.equal(ids.length, 7);
  assert.deepEqual(engine.calls.map((c) => [c.args.limit, c.args.maxItems, c.args.cursor]), [
    [3, 7, undefined],
    [3, 4, "c3"],
    [3, 1, "c6"],
  ]);
});

test("maxItems is truncated in JS when a page brings more than wanted", async () => {
  const { klipy } = setup({ call: () => result([{ id: 1 }, { id: 2 }, { id: 3 }], { hasNextPage: true, nextCursor: "c3" }) });
  const pages = [];
  for await (const page of klipy.people.query({ maxItems: 2 }).pages()) pages.push(page.data.length);
  assert.deepEqual(pages, [2]);
});

test("maxItems 0 sends nothing; an invalid maxItems is the core's to refuse", async () => {
  const { klipy, engine } = setup(lister(5));
  for await (const _ of klipy.people.query({ maxItems: 0 })) assert.fail("no items");
  assert.equal(engine.calls.length, 0);
  const refusing = setup({ call: (op, args) => { throw Object.assign(new Error("`maxItems` must be a whole number of 0 or more."), { name: "ValidationError", field: "maxItems" }); } });
  await assert.rejects(async () => { for await (const _ of refusing.klipy.people.query({ maxItems: -1 })); }, (err) => err instanceof refusing.sdk.ValidationError && err.field === "maxItems");
  assert.equal(refusing.engine.calls[0].args.maxItems, -1, "passed as given");
});

test("awaiting a query gives the first page: hasNextPage, nextCursor, requestId, nextPage()", async () => {
  const { klipy, engine } = setup(lister(5));
  const q = klipy.people.query({ cursor: "c1" });
  assert.equal(engine.calls.length, 0, "lazy until used");
  const page = await q;
  assert.deepEqual(page.data.map((p) => p.id), ["per_1", "per_2", "per_3"]);
  assert.equal(page.hasNextPage, true);
  assert.equal(page.nextCursor, "c4");
  assert.equal(page.requestId, "req_1");
  assert.equal(page.data[0].requestId, "req_1");
  const next = await page.nextPage();
  assert.deepEqual(next.data.map((p) => p.id), ["per_4"]);
  assert.equal(next.hasNextPage, false);
  assert.equal(next.nextPage(), null);
  assert.equal(engine.calls[1].args.maxItems, null);
});

test("a repeated cursor stops the walk with a ResponseDecodeError", async () => {
  const { klipy, sdk } = setup({ call: () => result([{ id: 1 }], { hasNextPage: true, nextCursor: "same", requestId: "req_r" }) });
  await assert.rejects(async () => { for await (const _ of klipy.people.query()); }, (err) => err instanceof sdk.ResponseDecodeError && err.code === "cursor_repeated" && err.requestId === "req_r");
});

test("query params must be an object (rejects when used)", async () => {
  const { klipy, sdk } = setup(lister(1));
  await assert.rejects(klipy.people.query("x").then((p) => p), (err) => err instanceof sdk.ValidationError && err.field === "params");
});
