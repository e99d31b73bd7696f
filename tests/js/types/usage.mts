// Compiled with `tsc --noEmit --strict` against the installed package (moduleResolution nodenext,
// node16 and bundler): every public method and error class, the way a TypeScript user (ESM)
// meets them. `@ts-expect-error` lines must stay errors; misuse.mts pins exact error codes.
import { redisBudgetStore, REDIS_BUDGET_SCRIPT } from "klipy-sdk/budget/redis";
import type { BudgetStore } from "klipy-sdk";
import Default, {
  Klipy,
  VERSION,
  init,
  APIPromise,
  PagePromise,
  Page,
  KlipyError,
  ConfigError,
  ValidationError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  ResponseDecodeError,
  type Person,
  type Company,
  type Interaction,
  type InteractionCreated,
  type Deleted,
  type WithRequestId,
  type BulkResult,
  type InteractionCreateInput,
  type PersonCreateInput,
  type PersonUpdateInput,
  type CompanyCreateInput,
  type CompanyUpdateInput,
  type ClientOptions,
  type RequestOptions,
  type BulkOptions,
  type QueryParams,
  type PeopleFilter,
  type InteractionsFilter,
  type APIResponse,
  type RateLimitInfo,
  type RetryEvent,
  type InitOptions,
} from "klipy-sdk";
import * as slim from "klipy-sdk/slim";

const version: string = VERSION;
const same: typeof Klipy = Default;
const staticVersion: string = Klipy.VERSION;
const staticError: typeof NotFoundError = Klipy.NotFoundError;

const options: ClientOptions = {
  apiKey: async () => "k",
  baseUrl: "http://localhost:4010/api/v1",
  authScheme: "bearer",
  maxRetries: 3,
  timeoutMs: 10_000,
  maxResponseBytes: 4 * 1024 * 1024,
  deadlineMs: 60_000,
  maxRetryWaitMs: 30_000,
  rateLimit: { requestsPerMinute: 100, maxConcurrency: 4 },
  logLevel: "debug",
  logger: console,
  onRequest: ({ operation, method, url, attempt }) => console.log(operation, method, url, attempt),
  onResponse: ({ status, durationMs, rateLimit }) => console.log(status, durationMs, rateLimit.remaining),
  onRetry: ({ attempt, delayMs, reason, requestId }: RetryEvent) => console.log(attempt, delayMs, reason, requestId),
  fetch: globalThis.fetch,
  dangerouslyAllowBrowser: false,
  userAgent: "my-app/1.0",
};
const klipy = new Klipy(options);
const fromEnv = new Klipy();
const keyFn = new Klipy({ apiKey: () => "k", rateLimit: false });
// A fleet budget: the Redis store takes a command function (or a node-redis / ioredis client).
const budgetStore: BudgetStore = redisBudgetStore(async (args: string[]) => args.length);
const fleet = new Klipy({ apiKey: "k", rateLimit: { store: budgetStore, group: "acme", onStoreError: "throw", storeTimeoutMs: 50 } });
void fleet;
const script: string = REDIS_BUDGET_SCRIPT;
void script;
// @ts-expect-error onStoreError is "local" or "throw"
new Klipy({ apiKey: "k", rateLimit: { store: budgetStore, onStoreError: "ignore" } });

async function loading(module: WebAssembly.Module, bytes: Uint8Array): Promise<void> {
  await init();
  const sources: InitOptions[] = [{ module }, { bytes }, { bytes: bytes.buffer as ArrayBuffer }, { url: "/klipy_sdk_bg.wasm" }, { url: new URL("https://cdn.example/x.wasm") }];
  for (const source of sources) await init(source);
  await slim.init({ module });
  const s: slim.Klipy = new slim.Klipy({ apiKey: "k" });
  const err: slim.KlipyError = new slim.ConfigError("x");
  void [s, err];
}

async function everyMethod(signal: AbortSignal, personId: string, companyId: string): Promise<void> {
  const opts: RequestOptions = { signal, timeoutMs: 5, maxRetries: 1, maxResponseBytes: 1 << 20, headers: { "x-a": "b" } };

  // authenticate
  const { teamName }: { teamName: string } = await klipy.authenticate(opts);

  // people
  const input: PersonCreateInput = { email: "a@example.com", firstName: "Ada", companyId, leadScore: 7 };
  const created: WithRequestId<Person> = await klipy.people.create(input, opts);
  const upserted = await klipy.people.upsert({ email: "a@example.com", title: null });
  const patch: PersonUpdateInput = { title: null, phone: "+1" };
  const updated: Person = await klipy.people.update(personId, patch, opts);
  const fetched: APIPromise<WithRequestId<Person>> = klipy.people.get(personId, opts);
  const resp: APIResponse<WithRequestId<Person>> = await fetched.withResponse();
  const rl: RateLimitInfo = resp.rateLimit;
  const rid: string | null = (await fetched).requestId;
  const deleted: Deleted = await klipy.people.delete(personId);
  const params: QueryParams<PeopleFilter> = { filter: { companyId, email: "a@example.com" }, limit: 10, cursor: null, maxItems: 50 };
  const pages: PagePromise<Person> = klipy.people.query(params, opts);
  const first: Page<Person> = await pages;
  const next: PagePromise<Person> | null = first.nextPage();
  if (next) (await next).data.forEach((p) => p.email.toLowerCase());
  for await (const p of pages) p.id.toUpperCase();
  for await (const pg of pages.pages()) pg.nextCursor?.toUpperCase();
  const bulkOpts: BulkOptions = { concurrency: 2, stopOnError: false, signal, onProgress: ({ done, total, failed }) => console.log(done, total, failed) };
  const bulk: BulkResult<Person, { email: string }> = await klipy.people.upsertMany([{ email: "a@example.com" }], bulkOpts);
  for (const f of bulk.failed) {
    const retryable: boolean = f.error.retryable;
    void [f.input.email.toLowerCase(), retryable];
  }
  for (const s of bulk.succeeded) void [s.result.id.toLowerCase(), s.index.toFixed()];

  // companies
  const cIn: CompanyCreateInput = { name: "Acme", domain: "acme.test" };
  const company: Company = await klipy.companies.create(cIn, opts);
  const cPatch: CompanyUpdateInput = { industry: "Tools" };
  const cUpdated: WithRequestId<Company> = await klipy.companies.update(companyId, cPatch);
  const cGot = await klipy.companies.get(companyId).withResponse();
  const cDeleted: boolean = (await klipy.companies.delete(companyId)).deleted;

  // interactions
  const iIn: InteractionCreateInput = { type: "EMAIL", direction: "INBOUND", title: "Hi", mainContactEmail: "a@example.com", interactionDate: new Date(), primaryId: "msg-1" };
  const byId: InteractionCreateInput = { type: "FUTURE_TYPE", direction: "OUTBOUND", mainContact: personId, interactionDate: 1_700_000_000_000 };
  const made: InteractionCreated = await klipy.interactions.create(iIn, opts);
  const iGot: Interaction = await klipy.interactions.get(made.id);
  const contactEmail: string | null | undefined = iGot.mainContactEmail;
  await klipy.companies.create({ name: "Acme", crmTier: "gold" });
  const iFilter: QueryParams<InteractionsFilter> = { filter: { contactId: personId, companyId } };
  for await (const i of klipy.interactions.query(iFilter)) i.type.toString();
  const iBulk: BulkResult<InteractionCreated, InteractionCreateInput> = await klipy.interactions.createMany([iIn, byId], { concurrency: 4 });
  const dup: boolean | undefined = iBulk.succeeded[0]?.result.isDuplicate;

  // raw request
  const raw = await klipy.request<{ ok: boolean }>({ method: "POST", path: "/custom", body: { a: 1 }, query: { q: "x", n: 1 } }, opts);
  raw.ok.valueOf();

  // @ts-expect-error both mainContact and mainContactEmail
  const both: InteractionCreateInput = { type: "EMAIL", direction: "INBOUND", mainContact: "p", mainContactEmail: "e" };
  // @ts-expect-error people.get needs an id
  klipy.people.get();

  void [teamName, created, upserted, updated, rl, rid, deleted, company, cUpdated, cGot, cDeleted, iGot, dup, both, contactEmail];
}

/** Every error class: narrowing by instanceof gives each one's fields. */
function describe(err: unknown): string {
  if (!(err instanceof KlipyError)) return "not ours";
  const base: { retryable: boolean; name: string; message: string } = err;
  const json: Record<string, unknown> = err.toJSON();
  if (err instanceof ConfigError) return "config";
  if (err instanceof ValidationError) return `validation ${err.field ?? ""}`;
  if (err instanceof BadRequestError) return `400 ${err.code}`;
  if (err instanceof AuthenticationError) return `401 ${err.requestId}`;
  if (err instanceof PermissionDeniedError) return `403 ${err.requiredScope ?? ""}`;
  if (err instanceof NotFoundError) {
    const status: number = err.status; // the status classes narrow APIError's number | null
    return `404 ${status}`;
  }
  if (err instanceof ConflictError) return `409 ${String(err.details)}`;
  if (err instanceof UnprocessableEntityError) return `422 ${err.headers?.["x-request-id"] ?? ""}`;
  if (err instanceof RateLimitError) {
    const status: number | null = err.status; // null: raised by the SDK without sending
    return `429 ${status ?? "-"} ${err.retryAfterMs ?? 0} ${err.rateLimit?.remaining ?? 0}`;
  }
  if (err instanceof InternalServerError) return `5xx ${err.attempts ?? 0}`;
  if (err instanceof APIError) return `api ${err.status}`;
  if (err instanceof APIConnectionTimeoutError) return "timeout";
  if (err instanceof APIConnectionError) return `connection ${String(err.cause)} ${err.attempts ?? 0}`;
  if (err instanceof APIUserAbortError) return `aborted after ${err.attempts ?? 0}`;
  if (err instanceof ResponseDecodeError) return `decode ${err.status ?? 0} ${err.code ?? ""} ${err.requestId ?? ""} ${err.attempts ?? 0}`;
  void [base, json];
  return "other";
}

const made: KlipyError[] = [
  new KlipyError("x", { retryable: true, cause: new Error("y") }),
  new NotFoundError("gone", { status: 404 }),
  new RateLimitError("slow down", { retryAfterMs: 1000 }),
];
const isPage: boolean = Page.prototype instanceof Object;

// @ts-expect-error unknown option type
new Klipy({ maxRetries: "3" });

void [version, same, staticVersion, staticError, fromEnv, keyFn, loading, everyMethod, describe, made, isPage];
