// Type declarations for klipy-sdk (served to `import` as index.d.ts and to `require` as
// index.d.cts; both files are the same text; `klipy-sdk/slim` adds slim.d.ts).

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/** Anything with the shape of an `AbortSignal` (the global one fits). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: "abort", listener: (...args: any[]) => void, options?: any): void;
  removeEventListener(type: "abort", listener: (...args: any[]) => void, options?: any): void;
}

/**
 * A fetch-compatible function. The SDK calls it as `fetch(url, init)` — the URL as a string and
 * an init object with `method`, `headers` (a plain object), `body` (bytes, when there is one),
 * `redirect: "manual"` and an AbortSignal — and expects a real `Response` (as the global `fetch`
 * returns).
 */
export type Fetch = (input: any, init?: any) => Promise<any>;

export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

/** Receives the SDK's log lines (method, path, status, attempt, wait, request id; never the key). */
export interface Logger {
  debug?(message: string, fields: Record<string, unknown>): void;
  info?(message: string, fields: Record<string, unknown>): void;
  warn?(message: string, fields: Record<string, unknown>): void;
  error?(message: string, fields: Record<string, unknown>): void;
  log?(message: string, fields: Record<string, unknown>): void;
}

/** What `onRequest` receives before each attempt. */
export interface RequestEvent {
  /** The SDK operation, such as `people.get`. */
  operation: string;
  method: string;
  url: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/** What `onResponse` receives after each attempt (`status` is null when no response arrived). */
export interface ResponseEvent {
  operation: string;
  method: string;
  path: string;
  status: number | null;
  attempt: number;
  durationMs: number;
  requestId: string | null;
  rateLimit: RateLimitInfo;
}

/** What `onRetry` receives before the SDK waits and tries again. */
export interface RetryEvent {
  /** The attempt about to be made (the first retry is attempt 2). */
  attempt: number;
  delayMs: number;
  reason: string;
  requestId: string | null;
}

export interface RateLimitOptions {
  requestsPerMinute?: number;
  maxConcurrency?: number;
}

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
   * The largest response body read, in bytes (at most 256 MiB). Default 16 MiB. A larger body is
   * refused (by its `Content-Length`) or cut off the moment it passes the cap:
   * `ResponseDecodeError` with `code: "response_too_large"`, not retried.
   */
  maxResponseBytes?: number;
  /** Default `"adaptive"` (paces from the `X-RateLimit-*` headers). */
  rateLimit?: "adaptive" | false | RateLimitOptions;
  /** Default: the global `fetch`. */
  fetch?: Fetch;
  /** Default: `console` when `logLevel` is not `"off"`. */
  logger?: Logger;
  /** Default: `KLIPY_LOG`, else `"off"`. */
  logLevel?: LogLevel;
  onRequest?: (event: RequestEvent) => void;
  onResponse?: (event: ResponseEvent) => void;
  onRetry?: (event: RetryEvent) => void;
  /** In a browser tab the constructor throws `ConfigError` unless this is true. */
  dangerouslyAllowBrowser?: boolean;
  /** Appended to the SDK's own `klipy-sdk/<version>` user agent. */
  userAgent?: string | null;
}

/** Options every call takes as its last argument. */
export interface RequestOptions {
  signal?: AbortSignalLike;
  timeoutMs?: number;
  maxRetries?: number;
  /** Overrides the client's `maxResponseBytes` for this call. */
  maxResponseBytes?: number;
  headers?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Models (fields the API adds later are kept and typed as unknown)
// ---------------------------------------------------------------------------------------------

/** Objects the SDK returns carry the request id of the response, as a non-enumerable property. */
export type WithRequestId<T> = T & { readonly requestId: string | null };

export interface Person {
  id: string;
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  title?: string | null;
  phone?: string | null;
  linkedinUrl?: string | null;
  companyId?: string | null;
  remarks?: string | null;
  /** ISO-8601 */
  createdAt?: string;
  /** ISO-8601 */
  updatedAt?: string;
  [key: string]: unknown;
}

export interface PersonCreateInput {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  title?: string | null;
  phone?: string | null;
  linkedinUrl?: string | null;
  companyId?: string | null;
  remarks?: string | null;
}

/** `PUT /people`: matched on `email`; creates or updates the fields given. */
export type PersonUpsertInput = PersonCreateInput;

/** `PATCH`: only the fields present change; `null` clears a field. */
export type PersonUpdateInput = Partial<PersonCreateInput>;

export interface PeopleFilter {
  email?: string;
  companyId?: string;
}

export interface Company {
  id: string;
  name: string;
  domain?: string | null;
  industry?: string | null;
  size?: string | null;
  website?: string | null;
  createdAt?: string;
  updatedAt?: string;
  [key: string]: unknown;
}

export interface CompanyCreateInput {
  name: string;
  domain?: string | null;
  industry?: string | null;
  size?: string | null;
  website?: string | null;
}

export type CompanyUpdateInput = Partial<CompanyCreateInput>;

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

export type InteractionDirection =
  | "INBOUND"
  | "OUTBOUND"
  | "HYBRID"
  | "INTERNAL"
  | "EVENT"
  | (string & {});

export interface Interaction {
  id: string;
  type: InteractionType;
  direction: InteractionDirection;
  title?: string | null;
  summary?: string | null;
  mainContact?: string | null;
  primaryId?: string | null;
  secondaryId?: string | null;
  /** ISO-8601 on read. */
  interactionDate?: string | null;
  contacts?: string[];
  companies?: string[];
  sentiment?: string | null;
  source?: string | null;
  createdBy?: string | null;
  creationTime?: string | null;
  [key: string]: unknown;
}

interface InteractionCreateFields {
  type: InteractionType;
  direction: InteractionDirection;
  /** At most 1000 characters. */
  title?: string;
  /** At most 10000 characters; may contain HTML. */
  summary?: string;
  /** With `secondaryId`, makes the create idempotent: a repeat returns `isDuplicate: true`. */
  primaryId?: string;
  secondaryId?: string;
  /** A `Date`, an ISO-8601 string or epoch milliseconds; sent as epoch milliseconds. Default: now. */
  interactionDate?: Date | string | number;
}

/** Exactly one of `mainContact` (a person id) and `mainContactEmail`. */
export type InteractionCreateInput = InteractionCreateFields &
  (
    | { mainContact: string; mainContactEmail?: never }
    | { mainContactEmail: string; mainContact?: never }
  );

export interface InteractionsFilter {
  companyId?: string;
  contactId?: string;
}

export interface InteractionCreated {
  id: string;
  isDuplicate: boolean;
}

export interface Deleted {
  id: string;
  deleted: boolean;
}

export interface AuthenticateResult {
  teamName: string;
}

// ---------------------------------------------------------------------------------------------
// Promises, pages, bulk
// ---------------------------------------------------------------------------------------------

export interface RateLimitInfo {
  limit: number | null;
  remaining: number | null;
  /** Epoch milliseconds. */
  resetAt: number | null;
}

export interface APIResponse<T> {
  data: T;
  requestId: string | null;
  status: number;
  rateLimit: RateLimitInfo;
}

/** A real `Promise` of the call's data, with `.withResponse()` for the response metadata. */
export declare class APIPromise<T> extends Promise<T> {
  protected constructor(executor: never);
  withResponse(): Promise<APIResponse<T>>;
}

/** One page of a query. */
export declare class Page<T> {
  private constructor();
  readonly data: WithRequestId<T>[];
  readonly hasNextPage: boolean;
  /** Feed it back as `cursor` to resume from the next page. */
  readonly nextCursor: string | null;
  readonly requestId: string | null;
  /** `null` on the last page, else the next page (fetched when awaited). */
  nextPage(): PagePromise<T> | null;
}

/**
 * Awaiting gives the first page; `for await` walks the items of every page, `.pages()` the
 * pages. Pages are fetched lazily, one at a time.
 */
export declare class PagePromise<T> extends APIPromise<Page<T>> implements AsyncIterable<WithRequestId<T>> {
  pages(): AsyncIterable<Page<T>>;
  [Symbol.asyncIterator](): AsyncIterator<WithRequestId<T>>;
}

export interface QueryParams<F> {
  filter?: F;
  /** Page size, 1..100 (the API's default is 20). */
  limit?: number;
  /** Resume from a page's `nextCursor`. */
  cursor?: string | null;
  /** Stop iterating after this many items in total. */
  maxItems?: number;
}

export interface BulkProgress {
  done: number;
  total: number;
  failed: number;
}

export interface BulkOptions {
  /** Default 4. */
  concurrency?: number;
  onProgress?: (progress: BulkProgress) => void;
  signal?: AbortSignalLike;
  /** Default false. */
  stopOnError?: boolean;
}

/** Every input index appears exactly once, in `succeeded` or in `failed`. */
export interface BulkResult<T, I> {
  succeeded: { index: number; result: WithRequestId<T> }[];
  failed: { index: number; input: I; error: KlipyError }[];
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

export declare class People {
  private constructor();
  get(id: string, opts?: RequestOptions): APIPromise<WithRequestId<Person>>;
  query(params?: QueryParams<PeopleFilter>, opts?: RequestOptions): PagePromise<Person>;
  create(input: PersonCreateInput, opts?: RequestOptions): APIPromise<WithRequestId<Person>>;
  upsert(input: PersonUpsertInput, opts?: RequestOptions): APIPromise<WithRequestId<Person>>;
  update(id: string, patch: PersonUpdateInput, opts?: RequestOptions): APIPromise<WithRequestId<Person>>;
  delete(id: string, opts?: RequestOptions): APIPromise<WithRequestId<Deleted>>;
  upsertMany<I extends PersonUpsertInput>(
    inputs: readonly I[],
    opts?: BulkOptions,
  ): Promise<BulkResult<Person, I>>;
}

export declare class Companies {
  private constructor();
  get(id: string, opts?: RequestOptions): APIPromise<WithRequestId<Company>>;
  create(input: CompanyCreateInput, opts?: RequestOptions): APIPromise<WithRequestId<Company>>;
  update(id: string, patch: CompanyUpdateInput, opts?: RequestOptions): APIPromise<WithRequestId<Company>>;
  delete(id: string, opts?: RequestOptions): APIPromise<WithRequestId<Deleted>>;
}

export declare class Interactions {
  private constructor();
  get(id: string, opts?: RequestOptions): APIPromise<WithRequestId<Interaction>>;
  query(params?: QueryParams<InteractionsFilter>, opts?: RequestOptions): PagePromise<Interaction>;
  create(input: InteractionCreateInput, opts?: RequestOptions): APIPromise<WithRequestId<InteractionCreated>>;
  createMany<I extends InteractionCreateInput>(
    inputs: readonly I[],
    opts?: BulkOptions,
  ): Promise<BulkResult<InteractionCreated, I>>;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | (string & {});

export interface RawRequest {
  method: HttpMethod;
  /** A path under `baseUrl`, such as `/people/per_1`. */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
}

/** The Klipy CRM client. */
export declare class Klipy {
  constructor(options?: ClientOptions);
  readonly people: People;
  readonly companies: Companies;
  readonly interactions: Interactions;
  /** The base URL this client sends to. */
  readonly baseUrl: string;
  /** `GET /authenticate`: checks the key and names its workspace. */
  authenticate(opts?: RequestOptions): APIPromise<WithRequestId<AuthenticateResult>>;
  /** Any call under `baseUrl`; resolves to the envelope's `data`. */
  request<T = unknown>(params: RawRequest, opts?: RequestOptions): APIPromise<T>;

  /** The SDK version (also sent in the user agent). */
  static readonly VERSION: string;
  static readonly KlipyError: typeof KlipyError;
  static readonly ConfigError: typeof ConfigError;
  static readonly ValidationError: typeof ValidationError;
  static readonly APIError: typeof APIError;
  static readonly BadRequestError: typeof BadRequestError;
  static readonly AuthenticationError: typeof AuthenticationError;
  static readonly PermissionDeniedError: typeof PermissionDeniedError;
  static readonly NotFoundError: typeof NotFoundError;
  static readonly ConflictError: typeof ConflictError;
  static readonly UnprocessableEntityError: typeof UnprocessableEntityError;
  static readonly RateLimitError: typeof RateLimitError;
  static readonly InternalServerError: typeof InternalServerError;
  static readonly APIConnectionError: typeof APIConnectionError;
  static readonly APIConnectionTimeoutError: typeof APIConnectionTimeoutError;
  static readonly APIUserAbortError: typeof APIUserAbortError;
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

export interface KlipyErrorFields {
  retryable?: boolean;
  cause?: unknown;
  status?: number | null;
  code?: string | null;
  requestId?: string | null;
  details?: unknown;
  headers?: Record<string, string> | null;
  attempts?: number | null;
  retryAfterMs?: number | null;
  rateLimit?: RateLimitInfo | null;
  field?: string | null;
  requiredScope?: string | null;
}

/** Base class of every error the SDK throws. */
export declare class KlipyError extends Error {
  constructor(message: string, fields?: KlipyErrorFields);
  /** Whether trying the same call again later may succeed. */
  readonly retryable: boolean;
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
  readonly requestId: string | null;
  readonly details: unknown;
  /** Response headers, lower-case names. */
  readonly headers: Record<string, string> | null;
  /** How many attempts were made. */
  readonly attempts: number | null;
}

/** 400 */
export declare class BadRequestError extends APIError {
  readonly status: number;
}
/** 401: missing, unknown, malformed, expired or revoked key. */
export declare class AuthenticationError extends APIError {
  readonly status: number;
}
/** 403 */
export declare class PermissionDeniedError extends APIError {
  readonly status: number;
  /** The scope the key lacks, when the API names it. */
  readonly requiredScope: string | null;
}
/** 404 */
export declare class NotFoundError extends APIError {
  readonly status: number;
}
/** 409 */
export declare class ConflictError extends APIError {
  readonly status: number;
}
/** 422 */
export declare class UnprocessableEntityError extends APIError {
  readonly status: number;
}
/** 429, or a server-requested wait longer than `maxRetryWaitMs`. */
export declare class RateLimitError extends APIError {
  /** 429 from Klipy, or `null` when the SDK raised it without sending (`attempts` is then 0). */
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  readonly rateLimit: RateLimitInfo | null;
}
/** 5xx */
export declare class InternalServerError extends APIError {
  readonly status: number;
}
/** fetch failed (DNS, refused, reset); `cause` describes what it threw. */
export declare class APIConnectionError extends KlipyError {}
/** An attempt ran past `timeoutMs`, or the call past `deadlineMs`. */
export declare class APIConnectionTimeoutError extends APIConnectionError {}
/** The caller's `signal` aborted the call. */
export declare class APIUserAbortError extends KlipyError {}
/** A 2xx whose body is not the expected JSON. */
export declare class ResponseDecodeError extends KlipyError {
  readonly status: number | null;
  /**
   * `"response_too_large"` (the body passed `maxResponseBytes`), `"cursor_repeated"` (a list
   * handed back a cursor it had already returned during one walk), else null.
   */
  readonly code: string | null;
  readonly requestId: string | null;
}

// Webhooks: verifying Klipy's signed deliveries and their events (see webhooks.d.ts).
export * from "./webhooks.js";
