// Compiled with `tsc --noEmit` against the installed package: the declarations describe the API
// the way a TypeScript user (ESM, strict) meets it. `@ts-expect-error` lines must stay errors.
import Default, {
  Klipy,
  KlipyError,
  NotFoundError,
  RateLimitError,
  PermissionDeniedError,
  APIError,
  VERSION,
  type Person,
  type WithRequestId,
  type Page,
  type PagePromise,
  type APIPromise,
  type BulkResult,
  type InteractionCreateInput,
  type ClientOptions,
} from "klipy-sdk";

const version: string = VERSION;
const same: typeof Klipy = Default;

const options: ClientOptions = {
  apiKey: async () => "k",
  baseUrl: "http://localhost:4010/api/v1",
  authScheme: "bearer",
  maxRetries: 3,
  rateLimit: { requestsPerMinute: 100 },
  logLevel: "debug",
  logger: console,
  onRetry: ({ attempt, delayMs, reason, requestId }) => console.log(attempt, delayMs, reason, requestId),
  fetch: globalThis.fetch,
};
const klipy = new Klipy(options);

async function main(signal: AbortSignal): Promise<void> {
  const { teamName }: { teamName: string } = await klipy.authenticate({ signal });

  const person = await klipy.people.upsert({ email: "a@example.com", firstName: "Ada" });
  const rid: string | null = person.requestId;
  const typed: WithRequestId<Person> = person;
  const plain: Person = person;
  const extra: unknown = person["someNewField"];

  const p: APIPromise<Person> = klipy.people.get("per_1", { timeoutMs: 5, headers: { "x-a": "b" } });
  const { data, requestId, status, rateLimit } = await p.withResponse();
  const remaining: number | null = rateLimit.remaining;

  const pages: PagePromise<Person> = klipy.people.query({ filter: { companyId: "c" }, limit: 10, maxItems: 50 });
  const first: Page<Person> = await pages;
  const next = first.nextPage();
  if (next) (await next).data.forEach((x) => x.email.toLowerCase());
  for await (const item of pages) item.id.toUpperCase();
  for await (const page of pages.pages()) page.nextCursor?.toUpperCase();

  const input: InteractionCreateInput = {
    type: "EMAIL",
    direction: "INBOUND",
    title: "Hi",
    mainContactEmail: "a@example.com",
    interactionDate: new Date(),
  };
  const custom: InteractionCreateInput = { type: "FUTURE_TYPE", direction: "OUTBOUND", mainContact: "per_1" };
  const { id, isDuplicate } = await klipy.interactions.create(input);

  // @ts-expect-error both mainContact and mainContactEmail
  const both: InteractionCreateInput = { type: "EMAIL", direction: "INBOUND", mainContact: "p", mainContactEmail: "e" };

  const bulk: BulkResult<Person, { email: string }> = await klipy.people.upsertMany([{ email: "a@example.com" }], {
    concurrency: 2,
    onProgress: ({ done, total, failed }) => console.log(done, total, failed),
  });
  for (const f of bulk.failed) f.input.email.toLowerCase();

  const raw = await klipy.request<{ ok: boolean }>({ method: "GET", path: "/custom" });
  raw.ok.valueOf();

  await klipy.companies.delete("cmp_1").then((d) => d.deleted);

  try {
    await klipy.people.get("x");
  } catch (err) {
    if (err instanceof NotFoundError) {
      const s: number = err.status;
      const c: string | null = err.code;
    } else if (err instanceof RateLimitError) {
      const wait: number | null = err.retryAfterMs;
    } else if (err instanceof PermissionDeniedError) {
      const scope: string | null = err.requiredScope;
    } else if (err instanceof APIError || err instanceof KlipyError) {
      const r: boolean = err.retryable;
    }
  }

  // @ts-expect-error people.get needs an id
  klipy.people.get();
  // @ts-expect-error unknown option type
  new Klipy({ maxRetries: "3" });
  void [typed, plain, teamName, rid, extra, data, requestId, status, remaining, custom, id, isDuplicate, both, version, same];
}
void main;
