// The operations of the Klipy API, each with the form fields the playground shows and the SDK
// call it makes. The list, methods, paths and enums come from the core's contract
// (www/sdk/contract.mjs, copied from pkg-template/src/contract.mjs by scripts/www-sdk.sh); this
// file adds only what a form needs. Empty fields are left out of the request.
import contract from "./sdk/contract.mjs";

const INTERACTION_TYPES = contract.enums.InteractionType;
const DIRECTIONS = contract.enums.InteractionDirection;

// Field kinds: text (default), email, number, select, textarea, datetime, checkbox.
// `ids` names the datalist of ids seen so far that an id field offers.
const id = (kind, label = "Id") => ({ name: "id", label, required: true, ids: kind });

const PERSON_FIELDS = [
  { name: "firstName", label: "First name" },
  { name: "lastName", label: "Last name" },
  { name: "title", label: "Job title" },
  { name: "phone", label: "Phone", type: "tel" },
  { name: "companyId", label: "Company id", ids: "company" },
];
const COMPANY_FIELDS = [
  { name: "domain", label: "Domain" },
  { name: "industry", label: "Industry" },
  { name: "size", label: "Size" },
  { name: "website", label: "Website", type: "url" },
];
const PAGE_FIELDS = [
  { name: "limit", label: "Page size (1–100)", type: "number", min: 1, max: 100 },
  { name: "cursor", label: "Cursor" },
  { name: "allPages", label: "Walk every page (for await)", type: "checkbox" },
  { name: "maxItems", label: "Max items when walking", type: "number", min: 0, value: "100" },
];

/** Picks the non-empty string fields of `values` named in `fields`. */
function pick(values, fields) {
  const out = {};
  for (const f of fields) {
    const v = values[f.name];
    if (typeof v === "string" && v !== "") out[f.name] = v;
  }
  return out;
}

function numberOrUndefined(v) {
  return v === "" || v === undefined ? undefined : Number(v);
}

/** Runs a query: the first page (awaited), or every page with `for await` up to maxItems. */
async function runQuery(pagePromise, values) {
  if (values.allPages) {
    const items = [];
    let pages = 0;
    for await (const page of pagePromise.pages()) {
      pages += 1;
      items.push(...page.data);
    }
    return { note: `${items.length} items over ${pages} page(s)`, data: items };
  }
  const { data: page, status, requestId, rateLimit } = await pagePromise.withResponse();
  return {
    status,
    requestId,
    rateLimit,
    data: { data: page.data, hasNextPage: page.hasNextPage, nextCursor: page.nextCursor },
  };
}

function queryParams(values, filter) {
  return {
    filter,
    limit: numberOrUndefined(values.limit),
    cursor: values.cursor || undefined,
    maxItems: values.allPages ? numberOrUndefined(values.maxItems) : undefined,
  };
}

/** What the form of each operation shows, and the SDK call it makes. */
const FORMS = {
  "authenticate": {
    fields: [],
    run: (k) => k.authenticate().withResponse(),
  },
  "people.get": {
    fields: [id("person", "Person id")],
    run: (k, v) => k.people.get(v.id).withResponse(),
  },
  "people.query": {
    fields: [
      { name: "email", label: "Filter: email", type: "email" },
      { name: "companyId", label: "Filter: company id", ids: "company" },
      ...PAGE_FIELDS,
    ],
    run: (k, v) => {
      const filter = pick(v, [{ name: "email" }, { name: "companyId" }]);
      return runQuery(k.people.query(queryParams(v, filter)), v);
  },
  },
  "people.create": {
    fields: [{ name: "email", label: "Email", type: "email", required: true }, ...PERSON_FIELDS],
    run: (k, v) => k.people.create(pick(v, [{ name: "email" }, ...PERSON_FIELDS])).withResponse(),
  },
  "people.upsert": {
    fields: [{ name: "email", label: "Email", type: "email", required: true }, ...PERSON_FIELDS],
    run: (k, v) => k.people.upsert(pick(v, [{ name: "email" }, ...PERSON_FIELDS])).withResponse(),
  },
  "people.update": {
    fields: [id("person", "Person id"), { name: "email", label: "Email", type: "email" }, ...PERSON_FIELDS],
    run: (k, v) => k.people.update(v.id, pick(v, [{ name: "email" }, ...PERSON_FIELDS])).withResponse(),
  },
  "people.delete": {
    fields: [id("person", "Person id")],
    run: (k, v) => k.people.delete(v.id).withResponse(),
  },
  "companies.get": {
    fields: [id("company", "Company id")],
    run: (k, v) => k.companies.get(v.id).withResponse(),
  },
  "companies.create": {
    fields: [{ name: "name", label: "Name", required: true }, ...COMPANY_FIELDS],
    run: (k, v) => k.companies.create(pick(v, [{ name: "name" }, ...COMPANY_FIELDS])).withResponse(),
  },
  "companies.update": {
    fields: [id("company", "Company id"), { name: "name", label: "Name" }, ...COMPANY_FIELDS],
    run: (k, v) => k.companies.update(v.id, pick(v, [{ name: "name" }, ...COMPANY_FIELDS])).withResponse(),
  },
  "companies.delete": {
    fields: [id("company", "Company id")],
    run: (k, v) => k.companies.delete(v.id).withResponse(),
  },
  "interactions.get": {
    fields: [id("interaction", "Interaction id")],
    run: (k, v) => k.interactions.get(v.id).withResponse(),
  },
  "interactions.query": {
    fields: [
      { name: "companyId", label: "Filter: company id", ids: "company" },
      { name: "contactId", label: "Filter: contact (person) id", ids: "person" },
      ...PAGE_FIELDS,
    ],
    run: (k, v) => {
      const filter = pick(v, [{ name: "companyId" }, { name: "contactId" }]);
      return runQuery(k.interactions.query(queryParams(v, filter)), v);
  },
  },
  "interactions.create": {
    fields: [
      { name: "type", label: "Type", type: "select", options: INTERACTION_TYPES, value: "EMAIL", required: true },
      { name: "direction", label: "Direction", type: "select", options: DIRECTIONS, required: true },
      { name: "title", label: "Title", value: "Hello from the playground", maxlength: 1000 },
      { name: "summary", label: "Summary", type: "textarea" },
      {
        name: "mainContactEmail",
        label: "Main contact email",
        type: "email",
        help: "Give this or a main contact id, not both.",
      },
      { name: "mainContact", label: "Main contact id", ids: "person" },
      { name: "primaryId", label: "Primary id (dedupe key)", help: "Makes a retried create safe." },
      { name: "secondaryId", label: "Secondary id" },
      { name: "interactionDate", label: "Interaction date", type: "datetime", help: "Empty means now." },
    ],
    run: (k, v) => {
      const input = pick(v, [
        { name: "type" },
        { name: "direction" },
        { name: "title" },
        { name: "summary" },
        { name: "mainContactEmail" },
        { name: "mainContact" },
        { name: "primaryId" },
        { name: "secondaryId" },
      ]);
      // datetime-local gives local wall-clock time; the SDK takes a Date and sends epoch ms.
      if (v.interactionDate) input.interactionDate = new Date(v.interactionDate);
      return k.interactions.create(input).withResponse();
  },
  },
};

/** A plain form for an operation the playground has no form for yet: its arguments as text / JSON. */
function genericForm(op) {
  const fields = op.args.map((a) =>
    a.type === "id"
      ? { name: a.name, label: a.name, required: true }
      : { name: a.name, label: `${a.name} (JSON)`, type: "textarea", required: !a.optional },
  );
  const argsOf = (v) => op.args.map((a) => (a.type === "id" ? v[a.name] : v[a.name] ? JSON.parse(v[a.name]) : undefined));
  const target = (k) => (op.resource === null ? k : k[op.resource]);
  return {
    fields,
    run: async (k, v) => {
      const result = target(k)[op.method](...argsOf(v));
      return op.result === "page" ? runQuery(result, v) : result.withResponse();
    },
  };
}

const groupOf = (op) => (op.resource === null ? "Account" : op.resource[0].toUpperCase() + op.resource.slice(1));

/**
 * `{ name, group, method, path, fields, run(klipy, values) }` for each API operation of the
 * contract (not the raw `request`, not the bulk methods); `run` resolves to `{ data, status?,
 * requestId? }`.
 */
export const OPERATIONS = contract.operations
  .filter((op) => op.http !== null && op.result !== "bulk")
  .map((op) => ({ name: op.name, group: groupOf(op), method: op.http, path: op.path, ...(FORMS[op.name] ?? genericForm(op)) }));

export function operationByName(name) {
  return OPERATIONS.find((op) => op.name === name);
}
