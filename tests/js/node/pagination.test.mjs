// query(): awaiting, for-await across pages, .pages(), maxItems, laziness, cursors.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Page, PagePromise, APIPromise, NotFoundError } from "klipy-sdk";
import { apiError, client, interaction, list, person, rejection, scripted } from "./helpers.mjs";

/** A server with `total` people served `size` per page; cursors are "c<offset>". */
function peopleServer(total, size) {
  const all = Array.from({ length: total }, (_, i) => person(i + 1));
  return scripted((call) => {
    const offset = call.body?.cursor ? Number(call.body.cursor.slice(1)) : 0;
    const limit = call.body?.limit ?? size;
    const items = all.slice(offset, offset + Math.min(limit, size));
    const end = offset + items.length;
    const more = end < total;
    return list(items, { hasNextPage: more, cursor: more ? `c${end}` : null, requestId: `req_page_${offset}` });
  });
}

test("for await walks every item across 3 pages, one request per page", async () => {
  const { fetch, calls } = peopleServer(7, 3);
  const emails = [];
  for await (const p of client(fetch).people.query({ filter: { companyId: "cmp_1" } })) emails.push(p.email);
  assert.deepEqual(emails, Array.from({ length: 7 }, (_, i) => `p${i + 1}@example.com`));
  assert.equal(calls.length, 3);
  assert.deepEqual(calls.map((c) => c.body.cursor ?? null), [null, "c3", "c6"]);
  for (const call of calls) {
    assert.equal(`${call.method} ${call.path}`, "POST /people/query");
    assert.deepEqual(call.body.filter, { companyId: "cmp_1" });
  }
});

test("items carry the request id of their page, non-enumerably", async () => {
  const { fetch } = peopleServer(4, 2);
  const seen = [];
  for await (const p of client(fetch).people.query()) seen.push(p);
  assert.deepEqual(seen.map((p) => p.requestId), ["req_page_0", "req_page_0", "req_page_2", "req_page_2"]);
  assert.ok(!Object.keys(seen[0]).includes("requestId"));
});

test("nothing is sent until the PagePromise is awaited or iterated", async () => {
  const { fetch, calls } = peopleServer(5, 2);
  const pages = client(fetch).people.query();
  assert.ok(pages instanceof PagePromise);
  assert.ok(pages instanceof APIPromise);
  assert.ok(pages instanceof Promise);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(calls.length, 0);
  const first = await pages;
  assert.equal(calls.length, 1);
  assert.ok(first instanceof Page);
});

test("awaiting gives the first Page; nextPage() walks on and returns null at the end", async () => {
  const { fetch, calls } = peopleServer(5, 2);
  let page = await client(fetch).people.query({ limit: 2 });
  assert.deepEqual(Object.keys(page).sort(), ["data", "hasNextPage", "nextCursor", "requestId"]);
  assert.equal(page.hasNextPage, true);
  assert.equal(page.nextCursor, "c2");
  assert.equal(page.requestId, "req_page_0");
  const sizes = [page.data.length];
  while (page.nextPage()) {
    page = await page.nextPage();
    sizes.push(page.data.length);
  }
  assert.deepEqual(sizes, [2, 2, 1]);
  assert.equal(page.hasNextPage, false);
  assert.equal(page.nextCursor, null);
  assert.equal(page.nextPage(), null);
  assert.equal(calls.length, 3);
  assert.ok(calls.every((c) => c.body.limit === 2));
});

test(".pages() yields each page lazily", async () => {
  const { fetch, calls } = peopleServer(7, 3);
  const sizes = [];
  for await (const page of client(fetch).people.query().pages()) {
    assert.ok(page instanceof Page);
    sizes.push(page.data.length);
    assert.equal(calls.length, sizes.length, "the next page is fetched only when asked for");
  }
  assert.deepEqual(sizes, [3, 3, 1]);
});

test("maxItems caps the items yielded and the requests made", async () => {
  const { fetch, calls } = peopleServer(100, 3);
  const got = [];
  for await (const p of client(fetch).people.query({ maxItems: 5 })) got.push(p.id);
  assert.equal(got.length, 5);
  assert.equal(calls.length, 2);
  assert.ok(calls[1].body.limit <= 2, "the last page asks only for what is still wanted");
});

test("maxItems with .pages() truncates the last page", async () => {
  const { fetch } = peopleServer(100, 3);
  const sizes = [];
  for await (const page of client(fetch).people.query({ maxItems: 4, limit: 3 }).pages()) sizes.push(page.data.length);
  assert.deepEqual(sizes, [3, 1]);
});

test("maxItems: 0 sends nothing", async () => {
  const { fetch, calls } = peopleServer(10, 3);
  for await (const _ of client(fetch).people.query({ maxItems: 0 })) assert.fail("yielded");
  assert.equal(calls.length, 0);
});

test("breaking out of for await stops fetching", async () => {
  const { fetch, calls } = peopleServer(100, 3);
  let n = 0;
  for await (const _ of client(fetch).people.query()) if (++n === 4) break;
  assert.equal(calls.length, 2);
});

test("a page's nextCursor resumes the list from there", async () => {
  const { fetch } = peopleServer(6, 2);
  const klipy = client(fetch);
  const first = await klipy.people.query({ limit: 2 });
  const rest = [];
  for await (const p of klipy.people.query({ limit: 2, cursor: first.nextCursor })) rest.push(p.email);
  assert.deepEqual(rest, ["p3@example.com", "p4@example.com", "p5@example.com", "p6@example.com"]);
});

test("a page that says 'more' but is empty ends the iteration", async () => {
  const { fetch, calls } = scripted(
    () => list([person(1)], { hasNextPage: true, cursor: "c1" }),
    () => list([], { hasNextPage: true, cursor: "c2" }),
  );
  const got = [];
  for await (const p of client(fetch).people.query()) got.push(p);
  assert.equal(got.length, 1);
  assert.equal(calls.length, 2);
});

test("withResponse() on a PagePromise gives the first page and response metadata", async () => {
  const { fetch } = peopleServer(5, 2);
  const { data, requestId, status, rateLimit } = await client(fetch).people.query().withResponse();
  assert.ok(data instanceof Page);
  assert.equal(requestId, "req_page_0");
  assert.equal(status, 200);
  assert.equal(rateLimit.limit, 200);
});

test("an error on a later page rejects the iteration with the mapped class", async () => {
  const { fetch } = scripted(
    () => list([person(1)], { hasNextPage: true, cursor: "c1" }),
    () => apiError(404, "not_found", "cursor expired"),
  );
  const got = [];
  const err = await rejection(
    (async () => {
      for await (const p of client(fetch).people.query()) got.push(p);
    })(),
  );
  assert.ok(err instanceof NotFoundError, err?.name);
  assert.equal(got.length, 1);
});

test("interactions.query iterates too", async () => {
  const { fetch, calls } = scripted(
    () => list([interaction(1), interaction(2)], { hasNextPage: true, cursor: "x" }),
    () => list([interaction(3)]),
  );
  const ids = [];
  for await (const i of client(fetch).interactions.query({ filter: { companyId: "cmp_1" } })) ids.push(i.id);
  assert.equal(ids.length, 3);
  assert.equal(calls[1].body.cursor, "x");
  assert.equal(calls[1].path, "/interactions/query");
});

test("tolerant list shapes: older envelope, items under data.people, page_info inside data", async () => {
  const { fetch } = scripted(
    () =>
      new Response(
        JSON.stringify({ success: true, data: { people: [person(1)], page_info: { has_more: true, next_cursor: "n1" } } }),
        { status: 200, headers: { "content-type": "application/json", "x-request-id": "req_t" } },
      ),
    () => list([person(2)]),
  );
  const ids = [];
  for await (const p of client(fetch).people.query()) ids.push(p.id);
  assert.deepEqual(ids, [person(1).id, person(2).id]);
});
