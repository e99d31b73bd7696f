// The 14 operations of the Klipy API (shared/spec/klipy-api.md §3), each with the form fields
// the playground shows and the SDK call it makes. Empty fields are left out of the request.

const INTERACTION_TYPES = [
  "EMAIL",
  "DIRECT_MESSAGE",
  "MEETING",
  "MEMO",
  "BOOKING_CREATED",
  "BOOKING_CANCELLED",
  "MANUAL",
  "API_EVENT",
  "VOICE_NOTE",
];
const DIRECTIONS = ["INBOUND", "OUTBOUND", "HYBRID", "INTERNAL", "EVENT"];

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

/** `{ name, method, path, fields, run(klipy, values) }`; `run` resolves to `{ data, status?, requestId? }`. */
export const OPERATIONS = [
  {
    name: "authenticate",
    group: "Account",
    method: "GET",
    path: "/authenticate",
    fields: [],
    run: (k) => k.authenticate().withResponse(),
  },
  {
    name: "people.get",
    group: "People",
    method: "GET",
    path: "/people/{id}",
    fields: [id("person", "Person id")],
    run: (k, v) => k.people.get(v.id).withResponse(),
  },
  {
    name: "people.query",
    group: "People",
    method: "POST",
    path: "/people/query",
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
  {
    name: "people.create",
    group: "People",
    method: "POST",
    path: "/people",
    fields: [{ name: "email", label: "Email", type: "email", required: true }, ...PERSON_FIELDS],
    run: (k, v) => k.people.create(pick(v, [{ name: "email" }, ...PERSON_FIELDS])).withResponse(),
  },
  {
    name: "people.upsert",
    group: "People",
    method: "PUT",
    path: "/people",
    fields: [{ name: "email", label: "Email", type: "email", required: true }, ...PERSON_FIELDS],
    run: (k, v) => k.people.upsert(pick(v, [{ name: "email" }, ...PERSON_FIELDS])).withResponse(),
  },
  {
    name: "people.update",
    group: "People",
    method: "PATCH",
    path: "/people/{id}",
    fields: [id("person", "Person id"), { name: "email", label: "Email", type: "email" }, ...PERSON_FIELDS],
    run: (k, v) => k.people.update(v.id, pick(v, [{ name: "email" }, ...PERSON_FIELDS])).withResponse(),
  },
  {
    name: "people.delete",
    group: "People",
    method: "DELETE",
    path: "/people/{id}",
    fields: [id("person", "Person id")],
    run: (k, v) => k.people.delete(v.id).withResponse(),
  },
  {
    name: "companies.get",
    group: "Companies",
    method: "GET",
    path: "/companies/{id}",
    fields: [id("company", "Company id")],
    run: (k, v) => k.companies.get(v.id).withResponse(),
  },
  {
    name: "companies.create",
    group: "Companies",
    method: "POST",
    path: "/companies",
    fields: [{ name: "name", label: "Name", required: true }, ...COMPANY_FIELDS],
    run: (k, v) => k.companies.create(pick(v, [{ name: "name" }, ...COMPANY_FIELDS])).withResponse(),
  },
  {
    name: "companies.update",
    group: "Companies",
    method: "PATCH",
    path: "/companies/{id}",
    fields: [id("company", "Company id"), { name: "name", label: "Name" }, ...COMPANY_FIELDS],
    run: (k, v) => k.companies.update(v.id, pick(v, [{ name: "name" }, ...COMPANY_FIELDS])).withResponse(),
  },
  {
    name: "companies.delete",
    group: "Companies",
    method: "DELETE",
    path: "/companies/{id}",
    fields: [id("company", "Company id")],
    run: (k, v) => k.companies.delete(v.id).withResponse(),
  },
  {
    name: "interactions.get",
    group: "Interactions",
    method: "GET",
    path: "/interactions/{id}",
    fields: [id("interaction", "Interaction id")],
    run: (k, v) => k.interactions.get(v.id).withResponse(),
  },
  {
    name: "interactions.query",
    group: "Interactions",
    method: "POST",
    path: "/interactions/query",
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
  {
    name: "interactions.create",
    group: "Interactions",
    method: "POST",
    path: "/interactions",
    fields: [
      { name: "type", label: "Type", type: "select", options: INTERACTION_TYPES, required: true },
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
];

export function operationByName(name) {
  return OPERATIONS.find((op) => op.name === name);
}
