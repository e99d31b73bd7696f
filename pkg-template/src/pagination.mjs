// Query results: one `Page`, and the `PagePromise` that walks pages and items lazily.

import { ResponseDecodeError } from "./errors.mjs";
import { APIPromise } from "./promise.mjs";

/** One page of a query: `{ data, hasNextPage, nextCursor, requestId }` and `nextPage()`. */
export class Page {
  #next;

  /** @internal */
  constructor(data, hasNextPage, nextCursor, requestId, next) {
    this.data = data;
    this.hasNextPage = hasNextPage;
    this.nextCursor = nextCursor;
    this.requestId = requestId;
    this.#next = next;
  }

  /** @internal whether `nextPage()` would fetch anything. */
  _hasMore() {
    return this.hasNextPage && typeof this.nextCursor === "string" && this.data.length > 0;
  }

  /** `null` on the last page, else a `PagePromise` of the next page (fetched when awaited). */
  nextPage() {
    return this._hasMore() ? this.#next(this.nextCursor) : null;
  }

  /** @internal the same page with fewer items (for `maxItems`). */
  _truncate(count) {
    return new Page(this.data.slice(0, count), this.hasNextPage, this.nextCursor, this.requestId, this.#next);
  }
}

/** `Infinity` (no cap) → `null` for the core's `maxItems`. */
const capOf = (remaining) => (remaining === Infinity ? null : remaining);

/**
 * What `query()` returns. Awaiting it fetches the first page; `for await` walks the items of all
 * pages and `.pages()` the pages, each fetched only when the previous one is used up. Nothing is
 * sent before one of those starts.
 */
export class PagePromise extends APIPromise {
  #load = null;
  #maxItems = Infinity;

  /**
   * @internal `load(cursor, maxItems)` resolves to a response whose data is a `Page`; `maxItems`
   * is the number of items still wanted (`null`: no cap), from which the core caps the page size.
   */
  static _paged(load, cursor, maxItems) {
    const promise = this._create(() => load(cursor, capOf(maxItems)), true);
    promise.#load = load;
    promise.#maxItems = maxItems;
    return promise;
  }

  /** Async iterable of the pages, honouring `maxItems`. */
  pages() {
    return { [Symbol.asyncIterator]: () => this.#walk() };
  }

  async *#walk() {
    let remaining = this.#maxItems;
    // Only a valid 0 stops here; the core refuses any other value that is not a whole number ≥ 0.
    if (remaining === 0) return;
    let page = (await this._response()).data;
    // A server that hands back a cursor it already gave during this walk would loop forever.
    const seen = new Set();
    for (;;) {
      if (page.data.length >= remaining) {
        yield page.data.length > remaining ? page._truncate(remaining) : page;
        return;
      }
      yield page;
      remaining -= page.data.length;
      if (!page._hasMore()) return;
      if (seen.has(page.nextCursor)) {
        throw new ResponseDecodeError(
          "Klipy returned a page cursor it had already returned during this walk, which would loop forever: the list was stopped; report the request id.",
          { code: "cursor_repeated", requestId: page.requestId },
        );
      }
      seen.add(page.nextCursor);
      page = (await this.#load(page.nextCursor, capOf(remaining))).data;
    }
  }

  async *[Symbol.asyncIterator]() {
    for await (const page of this.pages()) yield* page.data;
  }

  get [Symbol.toStringTag]() {
    return "PagePromise";
  }
}
