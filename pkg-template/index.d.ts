// Type declarations for klipy-sdk (served to `import` as index.d.ts and to `require` as
// index.d.cts; both files are the same text; `klipy-sdk/slim` adds slim.d.ts).

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/** Anything with the shape of an `AbortSignal` (the global one fits). */
export interface AbortSignalLike {
  /** Whether the signal has fired; an aborted signal makes the call reject with `APIUserAbortError` before sending. */
  readonly aborted: boolean;
  /** Why it was aborted (not read by the SDK). */
  readonly reason?: unknown;
  /** The SDK listens for `"abort"` while a call runs (waits included). */
  addEventListener(type: "abort", listener: (...args: any[]) => void, options?: any): void;
  /** The SDK removes its listener when the call ends. */
  removeEventListener(type: "abort", listener: (...args: any[]) => void, options?: any): void;
}

/**
 * A fetch-compatible function. The SDK calls it as `fetch(url, init)` — the URL as a string and
 * an init object with `method`, `headers` (a plain object), `body` (bytes, when there is one),
 * `redirect: "manual"` and an AbortSignal — and expects a real `Response` (as the global `fetch`
 * returns).
 */
export type Fetch = (input: any, init?: any) => Promise<any>;

/**
 * How much the SDK logs: `"debug"` every attempt, response and failed call (failures the caller
 * receives as errors are logged at debug only); `"info"` adds the pacing waits (one line per
 * rate-limit window); `"warn"` retries and ignored headers (what the caller cannot see otherwise);
 * `"off"` nothing.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

/** Receives the SDK's log lines (method, path, status, attempt, wait, request id; never the key). */
export interface Logger {
  /** Attempts, responses and failed calls. */
  debug?(message: string, fields: Record<string, unknown>): void;
  /** Pacing waits. */
  info?(message: string, fields: Record<string, unknown>): void;
  /** Retries and ignored headers. */
  warn?(message: string, fields: Record<string, unknown>): void;
  /** Reserved (the SDK logs nothing at this level today). */
  error?(message: string, fields: Record<string, unknown>): void;
  /** Used for a level whose method is missing. */
  log?(message: string, fields: Record<string, unknown>): void;
}

/** What `onRequest` receives before each attempt. */
export interface RequestEvent {
  /** The SDK operation, such as `people.get`. */
  operation: string;
  /** The HTTP method. */
  method: string;
  /** The full URL (never contains the key). */
  url: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/** What `onResponse` receives after each attempt (`status` is null when no response arrived). */
export interface ResponseEvent {
  /** The SDK operation, such as `people.get`. */
  operation: string;
  /** The HTTP method. */
  method: string;
  /** The path under `baseUrl`. */
  path: string;
  /** The HTTP status, or null when no response arrived (connection error, timeout, abort). */
  status: number | null;
  /** 1 for the first attempt. */
  attempt: number;
  /** How long the attempt took. */
  durationMs: number;
  /** The response's request id, if any. */
  requestId: string | null;
  /** The response's `X-RateLimit-*` state. */
  rateLimit: RateLimitInfo;
}

/** What `onRetry` receives before the SDK waits and tries again. */
export interface RetryEvent {
  /** The attempt about to be made (the first retry is attempt 2). */
  attempt: number;
  /** How long the SDK waits before it. */
  delayMs: number;
  /** Why, such as `HTTP 503`, `timeout` or `connection error`. */
  reason: string;
  /** The failed attempt's request id, if any. */
  requestId: string | null;
}

/**
 * What `onWait` receives before every wait the SDK takes: pacing for the rate limit (the window
 * is spent; with the default adaptive pacing this can last up to a minute) or the wait before a
 * retry.
 */
export interface WaitEvent {
  /** `"rate_limit"` for pacing, `"retry"` before a retry. */
  reason: "rate_limit" | "retry";
  /** How long the SDK waits, in milliseconds. */
  ms: number;
  /** The failed attempt's request id, for a retry wait that has one. */
  requestId?: string;
}

/** A client-side budget on top of the adaptive pacing. */
export interface RateLimitOptions {
  /** A token bucket: at most this many requests per minute (0: none). */
  requestsPerMinute?: number;
  /** At most this many requests in flight at once (0: unlimited). */
  maxConcurrency?: number;
  /**
   * One budget shared by every client, process or isolate that uses this store (e.g.
   * `redisBudgetStore` from `klipy-sdk/budget/redis`). Without it each client paces by itself.
   */
  store?: BudgetStore | null;
  /** Names an organization bucket shared by several keys (the 1,000/min organization limit). */
  group?: string | null;
  /**
   * When the store fails or answers later than `storeTimeoutMs`: `"local"` (default) paces this
   * process by itself (the logger hears it once, at `warn`); `"throw"` fails the call with a
   * `RateLimitError` before anything is sent.
   */
  onStoreError?: "local" | "throw";
  /** Requests per window for one key. Default 200. */
  keyLimit?: number;
  /** Requests per window for the group. Default 1000. */
  groupLimit?: number;
  /** The window length in milliseconds. Default 60000. */
  windowMs?: number;
  /** Every store call is given up after this long. Default 50. */
  storeTimeoutMs?: number;
}

/** A bucket of a shared budget: named by a digest of the key (never the key) or by the group. */
export interface BudgetBucket {
  /** The store's key: `klipy:{tag}:k:<digest of the API key>` or `klipy:{tag}:g:<group>`. */
  name: string;
  /** Requests allowed per window. */
  limit: number;
  /** The window's length in milliseconds. */
  windowMs: number;
}

/** One reservation (or its refund): `cost` requests on every bucket at once. */
export interface BudgetRequest {
  /** The key's bucket, then the group's (if any). */
  buckets: BudgetBucket[];
  /** How many requests to reserve (or give back) on each bucket. */
  cost: number;
  /** Reserve nothing when the wait would be longer than this. */
  maxWaitMs: number;
}

/** What the server said about the key's bucket: `remaining` requests until `resetInMs` from now. */
export interface BudgetObservation {
  /** The bucket the server's headers are about (the key's). */
  bucket: BudgetBucket;
  /** Requests the server says are left in its window. */
  remaining: number;
  /** Milliseconds until the server's window resets. */
  resetInMs: number;
}

/** Where a shared budget lives (`rateLimit.store`); each method is one atomic step of the store. */
export interface BudgetStore {
  /** Reserves `cost` on all buckets, or nothing when the wait passes `maxWaitMs`. */
  reserve(req: BudgetRequest): Promise<{ granted: boolean; waitMs: number }>;
  /** Moves the bucket so it grants no more than the server says is left. */
  observe(obs: BudgetObservation): Promise<unknown>;
  /** Gives back a reservation that was not sent. */
  refund(req: BudgetRequest): Promise<unknown>;
}

/** The part of a Durable Object namespace binding (e.g. `env.KLIPY_BUDGET`) the store uses. */
export interface DurableObjectNamespaceLike {
  /** The id of the object called `name`. */
  idFromName(name: string): unknown;
  /** A stub of the object with that id. */
  get(id: any): { fetch(input: string, init?: any): Promise<any> };
}

/**
 * A budget store kept in the `KlipyBudget` Durable Object bound as `namespace` (Cloudflare
 * Workers): every isolate and Worker naming the same object shares one budget. Throws
 * `ConfigError` when `namespace` is not a Durable Object namespace.
 */
export declare function durableBudgetStore(
  namespace: DurableObjectNamespaceLike,
  options?: {
    /** Which object holds the budget (default `"klipy-budget"`; one is enough for every key). */
    name?: string;
  },
): BudgetStore;

/**
 * The Durable Object class of a shared budget for Workers: export it from your Worker
 * (`export { KlipyBudget } from "klipy-sdk"`), bind it in wrangler.toml, and pass
 * `durableBudgetStore(env.KLIPY_BUDGET)` as `rateLimit.store`. It runs the core's budget (the
 * same wasm) on its own clock; the budget lives in the object's memory.
 */
export declare class KlipyBudget {
  /** Called by the Workers runtime with the object's state and env (neither is used). */
  constructor(state?: unknown, env?: unknown);
  /**
   * One budget step (a `Request` posted by `durableBudgetStore`), answered with a JSON
   * `Response`; a malformed step is answered with 400 and says what is wrong.
   */
  fetch(request: any): Promise<any>;
}

/**
 * Options of `new Klipy(options)`. An unknown option name throws `ConfigError` with a "did you
 * mean" (for example `retries` → `maxRetries`).
 */

export interface ClientOptions {
  /**
   * The API key, or a function returning it (or a promise of it), called before every request.
   * Default: `KLIPY_API_KEY` from `process.env` (Node, Bun) or `Deno.env` (with
   * `--allow-env=KLIPY_API_KEY`). In Cloudflare Workers no global is read: pass `env.KLIPY_API_KEY`.
   */
  apiKey?: string | (() => string | Promise<string>);
  /** Default: `KLIPY_BASE_URL`, else `https://api.klipy.ai/api/v1`. */
  baseUrl?: string;
  /** `"header"` sends `X-Klipy-Api-Key`; `"bearer"` sends `Authorization: Bearer`. Default `"header"`. */
  authScheme?: "header" | "bearer";
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number;
  /** Per attempt. Default 30000. */
  timeoutMs?: number;
  /** Total budget across attempts and waits. Default none. */
  deadlineMs?: number | null;
  /** The longest server-requested wait the SDK sits out. Default 60000. */
  maxRetryWaitMs?: number;
  /**
   * The largest response body accepted, in bytes (default 16 MiB, at most 256 MiB); a larger one
   * fails the call with `ResponseDecodeError` whose `code` is `"response_too_large"`.
   */
  maxResponseBytes?: number;
  /** Default `"adaptive"` (paces from the `X-RateLimit-*` headers); `false` turns pacing off. */
  rateLimit?: "adaptive" | false | RateLimitOptions;
  /** Default: the global `fetch`. */
  fetch?: Fetch;
  /** Default: `console` when `logLevel` is not `"off"`. */
  logger?: Logger;
  /** Default: `KLIPY_LOG`, else `"off"`. */
  logLevel?: LogLevel;
  /** Called before each attempt. A throwing hook is ignored. */
  onRequest?: (event: RequestEvent) => void;
  /** Called after each attempt, with or without a response. */
  onResponse?: (event: ResponseEvent) => void;
  /** Called before each retry's wait. */
  onRetry?: (event: RetryEvent) => void;
  /** Called before every wait the SDK takes (pacing and retries), so no pause is silent. */
  onWait?: (event: WaitEvent) => void;
  /**
   * Headers sent with every request (per-call `headers` win). `X-Klipy-Api-Key`,
   * `Authorization`, `User-Agent` and `X-Klipy-Retry-Count` belong to the SDK: naming one throws
   * `ConfigError` (use `apiKey`, `authScheme` and `userAgent`).
   */
  defaultHeaders?: Record<string, string>;
  /** In a browser tab the constructor throws `ConfigError` unless this is true. */
  dangerouslyAllowBrowser?: boolean;
  /** Appended to the SDK's own `klipy-sdk/<version>` user agent. */
  userAgent?: string | null;
}

/**
 * Options every call takes as its last argument. An unknown name rejects the call with
 * `ConfigError` and a "did you mean" (for example `timeout` → `timeoutMs`).
 */
export interface RequestOptions {
  /** Aborts the call (waits included); it then rejects with `APIUserAbortError`. */
  signal?: AbortSignalLike;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
  /** Overrides the client's retry count. */
  maxRetries?: number;
  /** Overrides the client's response body cap, in bytes. */
  maxResponseBytes?: number;
  /** Extra headers for this call; the SDK's own (key, user agent, retry count) throw `ConfigError`. */
  headers?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Models (fields the API adds later are kept and typed as unknown)
// ---------------------------------------------------------------------------------------------

/** Objects the SDK returns carry the request id of the response, as a non-enumerable property. */
export type WithRequestId<T> = T & { readonly requestId: string | null };

/** A person record (`GET /people/{id}` and the other people calls). */
export interface Person {
  /** The record id (`per_…`, `com_…`, `int_…`). */
  id: string;
  /** The person's email address (unique in the workspace). */
  email: string;
  /** First name. */
  firstName?: string | null;
  /** Last name. */
  lastName?: string | null;
  /** Job title. */
  title?: string | null;
  /** Phone number. */
  phone?: string | null;
  /** LinkedIn profile URL. */
  linkedinUrl?: string | null;
  /** The id of the company the record belongs to. */
  companyId?: string | null;
  /** Free-text notes. */
  remarks?: string | null;
  /** ISO-8601 */
  createdAt?: string;
  /** ISO-8601 */
  updatedAt?: string;
  [key: string]: unknown;
}

/** `POST /people`: a new person; `email` is required and unique. */
export interface PersonCreateInput {
  /** The person's email address (unique in the workspace). */
  email: string;
  /** First name. */
  firstName?: string | null;
  /** Last name. */
  lastName?: string | null;
  /** Job title. */
  title?: string | null;
  /** Phone number. */
  phone?: string | null;
  /** LinkedIn profile URL. */
  linkedinUrl?: string | null;
  /** The id of the company the record belongs to. */
  companyId?: string | null;
  /** Free-text notes. */
  remarks?: string | null;
  /** Custom fields: the API keeps fields it does not know and returns them (klipy-api.md §4). */
  [field: string]: unknown;
}

/** `PUT /people`: matched on `email`; creates or updates the fields given. */
export type PersonUpsertInput = PersonCreateInput;

/** `PATCH`: only the fields present change; `null` clears a field. */
export type PersonUpdateInput = Partial<PersonCreateInput>;

/** The `filter` of `people.query`. */
export interface PeopleFilter {
  /** Only the person with this email. */
  email?: string;
  /** Only people of this company. */
  companyId?: string;
}

/** A company record. */
export interface Company {
  /** The record id (`per_…`, `com_…`, `int_…`). */
  id: string;
  /** The company name. */
  name: string;
  /** The company's web domain, such as `example.com`. */
  domain?: string | null;
  /** Industry. */
  industry?: string | null;
  /** Head-count band, as the API spells it. */
  size?: string | null;
  /** Website URL. */
  website?: string | null;
  /** When it was created (ISO-8601). */
  createdAt?: string;
  /** When it last changed (ISO-8601). */
  updatedAt?: string;
  [key: string]: unknown;
}

/** `POST /companies`: a new company; `name` is required. */
export interface CompanyCreateInput {
  /** The company name. */
  name: string;
  /** The company's web domain, such as `example.com`. */
  domain?: string | null;
  /** Industry. */
  industry?: string | null;
  /** Head-count band, as the API spells it. */
  size?: string | null;
  /** Website URL. */
  website?: string | null;
  /** Custom fields: the API keeps fields it does not know and returns them (klipy-api.md §4). */
  [field: string]: unknown;
}

/** `PATCH /companies/{id}`: only the fields present change; `null` clears a field. */
export type CompanyUpdateInput = Partial<CompanyCreateInput>;

/** The kinds of interaction the API knows (others it adds later are strings too). */
export type InteractionType =
  | "DIRECT_MESSAGE"
  | "EMAIL"
  | "MEETING"
  | "MEMO"
  | "BOOKING_CREATED"
  | "BOOKING_CANCELLED"
  | "MANUAL"
  | "API_EVENT"
  | "VOICE_NOTE"
  | (string & {});

/** Which way an interaction went (others the API adds later are strings too). */
export type InteractionDirection =
  | "INBOUND"
  | "OUTBOUND"
  | "HYBRID"
  | "INTERNAL"
  | "EVENT"
  | (string & {});

/** An interaction record: an email, meeting, message or event involving people. */
export interface Interaction {
  /** The record id (`per_…`, `com_…`, `int_…`). */
  id: string;
  /** What kind of interaction it is. */
  type: InteractionType;
  /** Which way it went. */
  direction: InteractionDirection;
  /** A short title. */
  title?: string | null;
  /** The body or summary (may contain HTML). */
  summary?: string | null;
  /** The id of the main person involved. */
  mainContact?: string | null;
  /** The main person's email, when the API gives it. */
  mainContactEmail?: string | null;
  /** The caller's own id for the interaction (dedupe key with `secondaryId`). */
  primaryId?: string | null;
  /** A second part of the caller's dedupe key. */
  secondaryId?: string | null;
  /** ISO-8601 on read. */
  interactionDate?: string | null;
  /** Ids of the people involved. */
  contacts?: string[];
  /** Ids of the companies involved. */
  companies?: string[];
  /** Sentiment, when the API computed one. */
  sentiment?: string | null;
  /** Where the interaction came from. */
  source?: string | null;
  /** Who created it. */
  createdBy?: string | null;
  /** When it was recorded (ISO-8601). */
  creationTime?: string | null;
  [key: string]: unknown;
}

interface InteractionCreateFields {
  /** What kind of interaction it is. */
  type: InteractionType;
  /** Which way it went. */
  direction: InteractionDirection;
  /** At most 1000 characters. */
  title?: string;
  /** At most 10000 characters; may contain HTML. */
  summary?: string;
  /** With `secondaryId`, makes the create idempotent: a repeat returns `isDuplicate: true`. */
  primaryId?: string;
  /** A second part of the caller's dedupe key. */
  secondaryId?: string;
  /** A `Date`, an ISO-8601 string or epoch milliseconds; sent as epoch milliseconds. Default: now. */
  interactionDate?: Date | string | number;
  /** Custom fields: the API keeps fields it does not know and returns them (klipy-api.md §4). */
  [field: string]: unknown;
}

/** Exactly one of `mainContact` (a person id) and `mainContactEmail`. */
export type InteractionCreateInput = InteractionCreateFields &
  (
    | { mainContact: string; mainContactEmail?: never }
    | { mainContactEmail: string; mainContact?: never }
  );

/** The `filter` of `interactions.query`. */
export interface InteractionsFilter {
  /** Only interactions involving this company. */
  companyId?: string;
  /** Only interactions involving this person. */
  contactId?: string;
}

/** What `interactions.create` returns. */
export interface InteractionCreated {
  /** The record id (`per_…`, `com_…`, `int_…`). */
  id: string;
  /** True when `primaryId`/`secondaryId` matched an existing interaction (nothing new was created). */
  isDuplicate: boolean;
}

/** What a delete returns. */
export interface Deleted {
  /** The record id (`per_…`, `com_…`, `int_…`). */
  id: string;
  /** True: the record is gone. */
  deleted: boolean;
}

/** What `authenticate()` returns. */
export interface AuthenticateResult {
  /** The name of the workspace the key belongs to. */
  teamName: string;
}

// ---------------------------------------------------------------------------------------------
// Promises, pages, bulk
// ---------------------------------------------------------------------------------------------

/** The `X-RateLimit-*` state of a response (each null when the header was absent). */
export interface RateLimitInfo {
  /** Requests allowed per window (`X-RateLimit-Limit`), or null. */
  limit: number | null;
  /** Requests left in the window (`X-RateLimit-Remaining`), or null. */
  remaining: number | null;
  /** Epoch milliseconds. */
  resetAt: number | null;
}

/** What `.withResponse()` resolves to: the data and the response metadata. */
export interface APIResponse<T> {
  /** The envelope's `data`: the call's result. */
  data: T;
  /** The response's request id (quote it in support requests). */
  requestId: string | null;
  /** The HTTP status. */
  status: number;
  /** The response's `X-RateLimit-*` state. */
  rateLimit: RateLimitInfo;
}

/** A real `Promise` of the call's data, with `.withResponse()` for the response metadata. */
export declare class APIPromise<T> extends Promise<T> {
  /** Not constructed by callers: every call returns one. */
  protected constructor(executor: never);
  /** Resolves to `{ data, requestId, status, rateLimit }`; rejects with the call's error. */
  withResponse(): Promise<APIResponse<T>>;
}

/** One page of a query. */
export declare class Page<T> {
  private constructor();
  /** The items of this page. */
  readonly data: WithRequestId<T>[];
  /** Whether another page follows. */
  readonly hasNextPage: boolean;
  /** Feed it back as `cursor` to resume from the next page. */
  readonly nextCursor: string | null;
  /** The request id of this page's response. */
  readonly requestId: string | null;
  /** `null` on the last page, else the next page (fetched when awaited). */
  nextPage(): PagePromise<T> | null;
}

/**
 * Awaiting gives the first page; `for await` walks the items of every page, `.pages()` the
 * pages. Pages are fetched lazily, one at a time.
 */
export declare class PagePromise<T> extends APIPromise<Page<T>> implements AsyncIterable<WithRequestId<T>> {
  /** The pages, each fetched when the previous one is used up (honours `maxItems`). */
  pages(): AsyncIterable<Page<T>>;
  /** Every item of every page (`for await`); throws the error of the page that failed. */
  [Symbol.asyncIterator](): AsyncIterator<WithRequestId<T>>;
}

/** The parameters of a `query` call. */
export interface QueryParams<F> {
  /** Only items matching all the fields given. */
  filter?: F;
  /** Page size, 1..100 (the API's default is 20). */
  limit?: number;
  /** Resume from a page's `nextCursor`. */
  cursor?: string | null;
  /** Stop iterating after this many items in total. */
  maxItems?: number;
}

/** What `onProgress` receives. */
export interface BulkProgress {
  /** Inputs finished so far (succeeded or failed). */
  done: number;
  /** All inputs. */
  total: number;
  /** Inputs that failed so far. */
  failed: number;
}

/** Options of `upsertMany` / `createMany`; an unknown name rejects with `ConfigError` ("did you mean"). */
export interface BulkOptions {
  /** Default 4. */
  concurrency?: number;
  /** Called after each input finishes. */
  onProgress?: (progress: BulkProgress) => void;
  /** Stops the run: inputs not yet sent fail with `APIUserAbortError`. */
  signal?: AbortSignalLike;
  /** Default false. */
  stopOnError?: boolean;
}

/** Every input index appears exactly once, in `succeeded` or in `failed`. */
export interface BulkResult<T, I> {
  /** The inputs that succeeded, by index, with their results. */
  succeeded: { index: number; result: WithRequestId<T> }[];
  /** The inputs that failed, by index, with the input and its error (a `KlipyError`). */
  failed: { index: number; input: I; error: KlipyError }[];
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

/** `klipy.people`: the people calls. */
export declare class People {
  /** Reached as a property of `Klipy`. */
  private constructor();
  /** `GET /people/{id}`: one person. A missing one rejects with `NotFoundError`. Rejects with `ValidationError` (bad input, nothing sent), `APIError` subclasses, `APIConnectionError`, `APIConnectionTimeoutError` or `APIUserAbortError`. */
  get(id: string, opts?: RequestOptions): APIPromise<WithRequestId<Person>>;
  /** `POST /people/query`: people matching `filter`, page by page (nothing is sent until awaited or iterated). Rejects with `ValidationError` (bad input, nothing sent), `APIError` subclasses, `APIConnectionError`, `APIConnectionTimeoutError` or `APIUserAbortError`. */
  query(params?: QueryParams<PeopleFilter>, opts?: RequestOptions): PagePromise<Person>;
  /** `POST /people`: creates a person; an existing email rejects with `ConflictError` (use `upsert`). Not retried on connection errors (not idempotent). Rejects with `ValidationError` (bad input, nothing sent), `APIError` subclasses, `APIConnectionError`, `APIConnectionTimeoutError` or `APIUserAbortError`. */
  create(input: PersonCreateInput, opts?: RequestOptions): APIPromise<WithRequestId<Person>>;
  /** `PUT /people`: creates or updates the person with this email (idempotent, so retried safely). Rejects with `ValidationError` (bad input, nothing sent), `APIError` subclasses, `APIConnectionError`, `APIConnectionTimeoutError` or `APIUserAbortError`. */
  upsert(input: PersonUpsertInput, opts?: RequestOptions): APIPromise<WithRequestId<Person>>;
  /** `PATCH /people/{id}`: changes the fields given. Rejects with `ValidationError` (bad input, nothing sent), `APIError` subclasses, `APIConnectionError`, `APIConnectionTimeoutError` or `APIUserAbortError`. */
  update(id: string, patch: PersonUpdateInput, opts?: RequestOptions): APIPromise<WithRequestId<Person>>;
  /** `DELETE /people/{id}`: deletes a person; a repeat rejects with `NotFoundError`. Rejects with `ValidationError` (bad input, nothing sent), `APIError` subclasses, `APIConnectionError`, `APIConnectionTimeoutError` or `APIUserAbortError`. */
  delete(id: string, opts?: RequestOptions): APIPromise<WithRequestId<Deleted>>;
  /** Many `PUT /people` with bounded concurrency and shared pacing. Never rejects for one input: each failure lands in `failed` with its error (only bad options reject, with `ConfigError`/`ValidationError`). */
  upsertMany<I extends PersonUpsertInput>(
    inputs: readonly I[],
    opts?: BulkOptions,
  ): Promise<BulkResult<Person, I>>;
}

/** `klipy.companies`: the company calls. */
export declare class Companies {
  /** Reached as a property of `Klipy`. */
  private constructor();
  /** `GET /companies/{id}`: one company. Rejects with `ValidationError` (bad input, nothing sent), `APIError` subclasses, `APIConnectionError`, `APIConnectionTimeoutError` or `APIUserAbortError`. */
  get(id: string, opts?: RequestOptions): APIPromise<WithRequestId<Company>>;
  /** `POST /companies`: creates a company (not retried on connection errors). Rejects with `ValidationError` (bad input, nothing sent), `APIError` subclasses, `APIConnectionError`, `APIConnectionTimeoutError` or `APIUserAbortError`. */
  create(input: CompanyCreateInput, opts?: RequestOptions): APIPromise<WithRequestId<Company>>;
  /** `PATCH /companies/{id}`: changes the fields given. Rejects with `ValidationError` (bad input, nothing sent), `APIError` subclasses, `APIConnectionError`, `APIConnectionTimeoutError` or `APIUserAbortError`. */
  update(id: string, patch: CompanyUpdateInput, opts?: RequestOptions): APIPromise<WithRequestId<Company>>;
  /** `DELETE /companies/{id}`: deletes a company. Rejects with `ValidationError` (bad input, nothing sent), `APIError` subclasses, `APIConnectionError`, `APIConnectionTimeoutError` or `APIUserAbortError`. */
  delete(id: string, opts?: RequestOptions): APIPromise<WithRequestId<Deleted>>;
}

/** `klipy.interactions`: the interaction calls. */
export declare class Interactions {
  /** Reached as a property of `Klipy`. */
  private constructor();
  /** `GET /interactions/{id}`: one interaction. Rejects with `ValidationError` (bad input, nothing sent), `APIError` subclasses, `APIConnectionError`, `APIConnectionTimeoutError` or `APIUserAbortError`. */
  get(id: string, opts?: RequestOptions): APIPromise<WithRequestId<Interaction>>;
  /** `POST /interactions/query`: interactions matching `filter`, page by page. Rejects with `ValidationError` (bad input, nothing sent), `APIError` subclasses, `APIConnectionError`, `APIConnectionTimeoutError` or `APIUserAbortError`. */
  query(params?: QueryParams<InteractionsFilter>, opts?: RequestOptions): PagePromise<Interaction>;
  /** `POST /interactions`: records an interaction; with `primaryId` a repeat resolves with `isDuplicate: true` instead of a second record. Rejects with `ValidationError` (bad input, nothing sent), `APIError` subclasses, `APIConnectionError`, `APIConnectionTimeoutError` or `APIUserAbortError`. */
  create(input: InteractionCreateInput, opts?: RequestOptions): APIPromise<WithRequestId<InteractionCreated>>;
  /** Many `POST /interactions` with bounded concurrency and shared pacing; every input lands in `succeeded` or `failed`. */
  createMany<I extends InteractionCreateInput>(
    inputs: readonly I[],
    opts?: BulkOptions,
  ): Promise<BulkResult<InteractionCreated, I>>;
}

/** An HTTP method for `request()`. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | (string & {});

/** What `klipy.request()` sends. */
export interface RawRequest {
  /** The HTTP method. */
  method: HttpMethod;
  /** A path under `baseUrl`, such as `/people/per_1`. */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Query-string parameters (null and undefined values are left out). */
  query?: Record<string, string | number | boolean | null | undefined>;
}

/** The Klipy CRM client. */
export declare class Klipy {
  /**
   * Makes a client; sends nothing. Throws `ConfigError` for a missing key, a bad or unknown
   * option (with a "did you mean"), a non-https base URL (http only to loopback), reserved
   * `defaultHeaders`, a browser tab without `dangerouslyAllowBrowser`, or (Deno) a
   * `KLIPY_BASE_URL` the SDK may not read when `baseUrl` is not given.
   */
  constructor(options?: ClientOptions);
  /** People calls (`/people`). */
  readonly people: People;
  /** Company calls (`/companies`). */
  readonly companies: Companies;
  /** Interaction calls (`/interactions`). */
  readonly interactions: Interactions;
  /** The base URL this client sends to. */
  readonly baseUrl: string;
  /**
   * `GET /authenticate`: checks the key and names its workspace. Rejects with
   * `AuthenticationError` for a bad key, and `NotFoundError` saying the base URL should end in
   * `/api/v1` when it does not.
   */
  authenticate(opts?: RequestOptions): APIPromise<WithRequestId<AuthenticateResult>>;
  /**
   * Any call under `baseUrl` (the path must stay under it); resolves to the envelope's `data`.
   * Rejects like the resource calls.
   */
  request<T = unknown>(params: RawRequest, opts?: RequestOptions): APIPromise<T>;

  /** The SDK version (also sent in the user agent). */
  static readonly VERSION: string;
  /** The `KlipyError` class, also a named export. */
  static readonly KlipyError: typeof KlipyError;
  /** The `ConfigError` class, also a named export. */
  static readonly ConfigError: typeof ConfigError;
  /** The `ValidationError` class, also a named export. */
  static readonly ValidationError: typeof ValidationError;
  /** The `APIError` class, also a named export. */
  static readonly APIError: typeof APIError;
  /** The `BadRequestError` class, also a named export. */
  static readonly BadRequestError: typeof BadRequestError;
  /** The `AuthenticationError` class, also a named export. */
  static readonly AuthenticationError: typeof AuthenticationError;
  /** The `PermissionDeniedError` class, also a named export. */
  static readonly PermissionDeniedError: typeof PermissionDeniedError;
  /** The `NotFoundError` class, also a named export. */
  static readonly NotFoundError: typeof NotFoundError;
  /** The `ConflictError` class, also a named export. */
  static readonly ConflictError: typeof ConflictError;
  /** The `UnprocessableEntityError` class, also a named export. */
  static readonly UnprocessableEntityError: typeof UnprocessableEntityError;
  /** The `RateLimitError` class, also a named export. */
  static readonly RateLimitError: typeof RateLimitError;
  /** The `InternalServerError` class, also a named export. */
  static readonly InternalServerError: typeof InternalServerError;
  /** The `APIConnectionError` class, also a named export. */
  static readonly APIConnectionError: typeof APIConnectionError;
  /** The `APIConnectionTimeoutError` class, also a named export. */
  static readonly APIConnectionTimeoutError: typeof APIConnectionTimeoutError;
  /** The `APIUserAbortError` class, also a named export. */
  static readonly APIUserAbortError: typeof APIUserAbortError;
  /** The `ResponseDecodeError` class, also a named export. */
  static readonly ResponseDecodeError: typeof ResponseDecodeError;
}

export default Klipy;

/** The SDK version (also sent in the user agent). */
export declare const VERSION: string;

/**
 * Where `init` loads the SDK's WebAssembly module (`klipy-sdk/klipy_sdk_bg.wasm`) from: exactly
 * one of a compiled `WebAssembly.Module` (required in Cloudflare Workers, which refuse to compile
 * from bytes), the file's bytes, or a URL to fetch it from.
 */
export type InitOptions =
  | { module: object; bytes?: never; url?: never }
  | { bytes: ArrayBuffer | ArrayBufferView; module?: never; url?: never }
  | { url: string | { readonly href: string }; module?: never; bytes?: never };

/**
 * Loads the WebAssembly module. Memoised: concurrent and later calls share the first load, and a
 * failed load is forgotten so that calling again retries. Node, Deno, Bun and Workers load it on
 * import (this resolves at once); in browsers it is fetched from next to the package on first use
 * or by `init()`, or from where `init({ url })` says.
 */
export declare function init(options?: InitOptions): Promise<void>;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The fields an error may be constructed with (as the SDK fills them in). */
export interface KlipyErrorFields {
  /** Whether trying again later may succeed. */
  retryable?: boolean;
  /** The underlying error, if any. */
  cause?: unknown;
  /** HTTP status. */
  status?: number | null;
  /** Machine-readable code. */
  code?: string | null;
  /** Request id. */
  requestId?: string | null;
  /** Details the API gave. */
  details?: unknown;
  /** Response headers. */
  headers?: Record<string, string> | null;
  /** Attempts made. */
  attempts?: number | null;
  /** The wait the server asked for. */
  retryAfterMs?: number | null;
  /** Rate-limit state. */
  rateLimit?: RateLimitInfo | null;
  /** The offending input field. */
  field?: string | null;
  /** The missing scope. */
  requiredScope?: string | null;
}

/** Base class of every error the SDK throws. */
export declare class KlipyError extends Error {
  /** Made by the SDK; callers may construct one in tests. */
  constructor(message: string, fields?: KlipyErrorFields);
  /** Whether trying the same call again later may succeed. */
  readonly retryable: boolean;
  /**
   * What caused it. For `APIConnectionError`, the runtime's own error object: the one carrying
   * `code` (Node: the socket error under undici's `fetch failed`, e.g. `ECONNREFUSED`), else
   * what fetch threw. For an `apiKey` function that threw, that error.
   */
  cause?: unknown;
  /** Name, message and extra fields; never headers, stack or secrets. */
  toJSON(): Record<string, unknown>;
}

/** Bad options, a missing key, a refused browser context or a non-https base URL. */
export declare class ConfigError extends KlipyError {}

/** The SDK refused an input before sending it. */
export declare class ValidationError extends KlipyError {
  /** The offending input field. */
  readonly field: string | null;
}

/** A non-2xx answer from the API; base of the status-specific classes. */
export declare class APIError extends KlipyError {
  /**
   * The HTTP status. `null` only on a `RateLimitError` the SDK raised itself before sending
   * anything (its pacing wait would pass `maxRetryWaitMs`); every other class narrows it to a number.
   */
  readonly status: number | null;
  /** The API's machine-readable code, such as `not_found`. */
  readonly code: string | null;
  /** The request id (quote it in support requests). */
  readonly requestId: string | null;
  /** What the API said about the fields at fault, as it sent it. */
  readonly details: unknown;
  /** Response headers, lower-case names. */
  readonly headers: Record<string, string> | null;
  /** How many attempts were made. */
  readonly attempts: number | null;
}

/** 400 */
export declare class BadRequestError extends APIError {
  /** The HTTP status. */
  readonly status: number;
}
/** 401: missing, unknown, malformed, expired or revoked key. */
export declare class AuthenticationError extends APIError {
  /** The HTTP status. */
  readonly status: number;
}
/** 403 */
export declare class PermissionDeniedError extends APIError {
  /** The HTTP status. */
  readonly status: number;
  /** The scope the key lacks, when the API names it. */
  readonly requiredScope: string | null;
}
/** 404 */
export declare class NotFoundError extends APIError {
  /** The HTTP status. */
  readonly status: number;
}
/** 409 */
export declare class ConflictError extends APIError {
  /** The HTTP status. */
  readonly status: number;
}
/** 422 */
export declare class UnprocessableEntityError extends APIError {
  /** The HTTP status. */
  readonly status: number;
}
/** 429, or a server-requested wait longer than `maxRetryWaitMs`. */
export declare class RateLimitError extends APIError {
  /** 429 from Klipy, or `null` when the SDK raised it without sending (`attempts` is then 0). */
  readonly status: number | null;
  /** The wait the server asked for, in milliseconds, when it named one. */
  readonly retryAfterMs: number | null;
  /** The `X-RateLimit-*` state of the response. */
  readonly rateLimit: RateLimitInfo | null;
}
/** 5xx */
export declare class InternalServerError extends APIError {
  /** The HTTP status (500 or above). */
  readonly status: number;
}
/**
 * fetch failed: the message names the reason (connection refused, DNS lookup failed, connection
 * reset, TLS handshake failed, …); `cause` is the runtime's own error object with its `code`.
 */
export declare class APIConnectionError extends KlipyError {
  /** How many attempts were made. */
  readonly attempts: number | null;
}
/** An attempt ran past `timeoutMs`, or the call past `deadlineMs`. */
export declare class APIConnectionTimeoutError extends APIConnectionError {}
/** The caller's `signal` aborted the call. */
export declare class APIUserAbortError extends KlipyError {
  /** How many attempts were made before the abort (0 when it came before the first). */
  readonly attempts: number | null;
}
/** A 2xx whose body is not the expected JSON. */
export declare class ResponseDecodeError extends KlipyError {
  /** The HTTP status of the response. */
  readonly status: number | null;
  /** `"response_too_large"` for a body over `maxResponseBytes`, `"cursor_repeated"` for a looping list; else null. */
  readonly code: string | null;
  /** The request id, when the response had one. */
  readonly requestId: string | null;
  /** How many attempts were made. */
  readonly attempts: number | null;
}

// Webhooks: verifying Klipy's signed deliveries and their events (see webhooks.d.ts).
export * from "./webhooks.js";
