// The types check: pkg-template/index.d.ts (+ webhooks.d.ts), read with the TypeScript compiler
// API, must declare every operation, error class (parent, fields incl. `attempts`), option and
// enum value of the core's contract, and the fields of the Rust models. The drift tests show the
// check fails when the contract grows and the declarations do not.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import { packageDeclarations, readDeclarations, typesDrift } from "./dts.mjs";
import { contract } from "./sdk.mjs";

const decl = packageDeclarations();
const read = (f) => readFileSync(new URL(`../../../${f}`, import.meta.url), "utf8");

test("index.d.ts declares the whole contract", () => {
  assert.deepEqual(typesDrift(contract, decl), []);
});

test("drift: an operation added to the contract is demanded by the types check", () => {
  const op = { name: "companies.query", resource: "companies", method: "query", http: "POST", path: "/companies/query", args: [{ name: "params", type: "queryParams", optional: true }], replay: "safe", result: "page" };
  const newResource = { ...op, name: "deals.get", resource: "deals", method: "get", args: [{ name: "id", type: "id" }], result: "record" };
  const gaps = typesDrift({ ...contract, operations: [...contract.operations, op, newResource] }, decl);
  assert.deepEqual(gaps, [
    "Companies has no method query (companies.query)",
    "Klipy has no `deals` property (deals.get)",
    "no class Deals (deals.get)",
  ]);
});

test("drift: a changed arity, a new error class or field, option and enum value are demanded", () => {
  const ops = contract.operations.map((o) => (o.name === "people.update" ? { ...o, args: [...o.args, { name: "ifMatch", type: "id" }] } : o));
  const errors = [
    ...contract.errors.map((e) => (e.name === "ConflictError" ? { ...e, fields: ["conflictingId"] } : e)),
    { name: "GoneError", parent: "APIError", status: 410, fields: [] },
  ];
  const options = [...contract.options, { scope: "request", name: "idempotencyKey", type: "string", default: null }];
  const enums = { ...contract.enums, InteractionType: [...contract.enums.InteractionType, "SMS"] };
  assert.deepEqual(typesDrift({ ...contract, operations: ops, errors, options, enums }, decl), [
    "People.update takes 3 parameters, the contract 4 (3 args + opts) (people.update)",
    "KlipyErrorFields has no `conflictingId`",
    "ConflictError does not declare `conflictingId`",
    "no exported class GoneError",
    "RequestOptions has no `idempotencyKey`",
    'InteractionType lacks "SMS"',
  ]);
});

test("drift: declarations that lose a method, a parent or `attempts` fail", () => {
  const text = read("pkg-template/index.d.ts")
    .replace("upsertMany<", "upsertAll<")
    .replace("class APIUserAbortError extends KlipyError", "class APIUserAbortError extends Error")
    .replace(/(class ResponseDecodeError[\s\S]*?)readonly attempts: number \| null;/, "$1");
  const gaps = typesDrift(contract, readDeclarations(text, read("pkg-template/webhooks.d.ts")));
  assert.deepEqual(gaps, [
    "People has no method upsertMany (people.upsertMany)",
    "APIUserAbortError extends Error, the contract says KlipyError",
    "ResponseDecodeError does not declare `attempts`",
  ]);
});

/** The serde (camelCase) field names of `pub struct name` in a Rust source. */
function rustFields(source, name) {
  const body = source.match(new RegExp(`pub struct ${name} \\{([\\s\\S]*?)\\n\\}`))[1];
  const fields = [];
  let rename = null;
  for (const line of body.split("\n")) {
    const r = line.match(/#\[serde\(.*rename = "([^"]+)"/);
    if (r) rename = r[1];
    if (/#\[serde\(.*flatten/.test(line)) rename = "(flatten)";
    const f = line.match(/^\s*pub (\w+):/);
    if (f) {
      if (rename !== "(flatten)") fields.push(rename ?? f[1].replace(/_(\w)/g, (_, c) => c.toUpperCase()));
      rename = null;
    }
  }
  return fields;
}

test("the model interfaces declare every field of the Rust models, and keep unknown ones", () => {
  const models = [
    ["src/resources/people.rs", "Person"],
    ["src/resources/companies.rs", "Company"],
    ["src/resources/interactions.rs", "Interaction"],
  ];
  for (const [file, name] of models) {
    const fields = rustFields(read(file), name);
    assert.ok(fields.length > 5, `${name}: parsed ${fields}`);
    const members = decl.interfaces.get(name).members;
    for (const f of fields) assert.ok(members.has(f), `${name}.${f} (${file}) is not declared in index.d.ts`);
  }
});

test("inputs accept unknown fields (they round-trip, klipy-api.md §4)", () => {
  const text = read("pkg-template/index.d.ts");
  for (const name of ["PersonCreateInput", "CompanyCreateInput", "InteractionCreateFields", "Person", "Company", "Interaction"]) {
    const body = text.match(new RegExp(`interface ${name} \\{([\\s\\S]*?)\\n\\}`))[1];
    assert.match(body, /\[\w+: string\]: unknown;/, `${name} has an index signature`);
  }
});
