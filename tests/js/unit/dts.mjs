// Reads declaration files with the TypeScript compiler API into a small model, and lists where
// they fall short of the core's contract (contract.mjs): the types check of the fast tier.
import { readFileSync } from "node:fs";
import ts from "typescript";

/** `{ classes, interfaces, aliases }` of the top-level declarations of `.d.ts` texts. */
export function readDeclarations(...texts) {
  const classes = new Map(); // name → { parent, members: Map(name → { params | type }) }
  const interfaces = new Map(); // name → { parents, members }
  const aliases = new Map(); // name → type node
  for (const [i, text] of texts.entries()) {
    const file = ts.createSourceFile(`decl${i}.d.ts`, text, ts.ScriptTarget.Latest, true);
    for (const node of file.statements) {
      if (ts.isClassDeclaration(node) && node.name) {
        const ext = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
        classes.set(node.name.text, { parent: ext ? ext.types[0].expression.getText(file) : null, members: membersOf(node) });
      } else if (ts.isInterfaceDeclaration(node)) {
        const parents = (node.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(file)));
        interfaces.set(node.name.text, { parents, members: membersOf(node) });
      } else if (ts.isTypeAliasDeclaration(node)) {
        aliases.set(node.name.text, node.type);
      }
    }
  }
  return { classes, interfaces, aliases };
}

function membersOf(node) {
  const members = new Map();
  for (const m of node.members) {
    if (!m.name || !(ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) continue;
    const isStatic = m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword) ?? false;
    const key = isStatic ? `static ${m.name.text}` : m.name.text;
    members.set(key, { params: m.parameters ? m.parameters.length : null, type: m.type ?? null });
  }
  return members;
}

/** The string literals of a type node (unions and intersections walked; others ignored). */
export function literalsOf(type, aliases = new Map(), seen = new Set()) {
  if (!type) return [];
  if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) return type.types.flatMap((t) => literalsOf(t, aliases, seen));
  if (ts.isParenthesizedTypeNode(type)) return literalsOf(type.type, aliases, seen);
  if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) return [type.literal.text];
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const name = type.typeName.text;
    if (aliases.has(name) && !seen.has(name)) return literalsOf(aliases.get(name), aliases, new Set([...seen, name]));
  }
  return [];
}

/** A class's members, its own and its ancestors'. */
function classMember(decl, name, member) {
  for (let c = decl.classes.get(name); c; c = c.parent ? decl.classes.get(c.parent) : null) {
    if (c.members.has(member)) return c.members.get(member);
  }
  return undefined;
}

function interfaceMember(decl, name, member) {
  const i = decl.interfaces.get(name);
  if (!i) return undefined;
  if (i.members.has(member)) return i.members.get(member);
  for (const p of i.parents) {
    const found = interfaceMember(decl, p, member);
    if (found) return found;
  }
  return undefined;
}

const classNameOf = (resource) => resource[0].toUpperCase() + resource.slice(1);

// Where each option scope is declared, and where each enum's values must appear.
const OPTION_INTERFACES = { client: "ClientOptions", request: "RequestOptions", bulk: "BulkOptions", rateLimit: "RateLimitOptions" };
const ENUM_TYPES = {
  InteractionType: (d) => d.aliases.get("InteractionType"),
  InteractionDirection: (d) => d.aliases.get("InteractionDirection"),
  LogLevel: (d) => d.aliases.get("LogLevel"),
  AuthScheme: (d) => interfaceMember(d, "ClientOptions", "authScheme")?.type,
  OnStoreError: (d) => interfaceMember(d, "RateLimitOptions", "onStoreError")?.type,
  WebhookEventType: (d) => d.aliases.get("KnownWebhookEvent"),
};

/** An enum's declared values: the literals of its type, or of each `X<"value", …>` in a union. */
function enumValues(type, aliases) {
  if (type && ts.isUnionTypeNode(type)) {
    return type.types.flatMap((t) =>
      ts.isTypeReferenceNode(t) && t.typeArguments?.length ? literalsOf(t.typeArguments[0], aliases) : literalsOf(t, aliases),
    );
  }
  return literalsOf(type, aliases);
}

// Error fields every class declares besides its contract fields: `attempts` is carried by every
// error made after something was sent (all but ConfigError and ValidationError, see
// src/wire.rs `error_value`); `retryable` and `cause` by every error.
const NOTHING_SENT = new Set(["ConfigError", "ValidationError"]);

/** What the declarations miss of the contract, one sentence per gap (empty when none). */
export function typesDrift(contract, decl) {
  const gaps = [];
  for (const op of contract.operations) {
    const owner = op.resource === null ? "Klipy" : classNameOf(op.resource);
    if (op.resource !== null && !classMember(decl, "Klipy", op.resource)) gaps.push(`Klipy has no \`${op.resource}\` property (${op.name})`);
    const m = classMember(decl, owner, op.method);
    if (!decl.classes.has(owner)) gaps.push(`no class ${owner} (${op.name})`);
    else if (!m || m.params === null) gaps.push(`${owner} has no method ${op.method} (${op.name})`);
    else if (m.params !== op.args.length + 1) gaps.push(`${owner}.${op.method} takes ${m.params} parameters, the contract ${op.args.length + 1} (${op.args.length} args + opts) (${op.name})`);
  }
  const errorFields = contract.errors.find((e) => e.name === "KlipyError").fields;
  const allFields = [...new Set(contract.errors.flatMap((e) => e.fields))].filter((f) => f !== "retryable" && f !== "cause");
  for (const f of allFields) {
    if (!interfaceMember(decl, "KlipyErrorFields", f)) gaps.push(`KlipyErrorFields has no \`${f}\``);
  }
  for (const spec of contract.errors) {
    const cls = decl.classes.get(spec.name);
    if (!cls) {
      gaps.push(`no exported class ${spec.name}`);
      continue;
    }
    if ((cls.parent === "Error" ? null : cls.parent) !== spec.parent) gaps.push(`${spec.name} extends ${cls.parent}, the contract says ${spec.parent}`);
    if (!classMember(decl, "Klipy", `static ${spec.name}`)) gaps.push(`Klipy has no static ${spec.name}`);
    const wanted = spec.name === "KlipyError" ? ["retryable", "cause"] : [...spec.fields];
    if (!NOTHING_SENT.has(spec.name) && spec.name !== "KlipyError" && errorFields.includes("attempts")) wanted.push("attempts");
    for (const f of new Set(wanted)) {
      if (!classMember(decl, spec.name, f)) gaps.push(`${spec.name} does not declare \`${f}\``);
    }
  }
  for (const o of contract.options) {
    const iface = OPTION_INTERFACES[o.scope];
    if (!iface) gaps.push(`option scope ${o.scope} has no declared interface`);
    else if (!interfaceMember(decl, iface, o.name)) gaps.push(`${iface} has no \`${o.name}\``);
  }
  for (const [name, values] of Object.entries(contract.enums)) {
    const find = ENUM_TYPES[name];
    if (!find) {
      gaps.push(`enum ${name}: the types check does not know where it is declared`);
      continue;
    }
    const have = new Set(enumValues(find(decl), decl.aliases));
    for (const v of values) if (!have.has(v)) gaps.push(`${name} lacks "${v}"`);
  }
  return gaps;
}

/** The package's declarations: index.d.ts and webhooks.d.ts. */
export function packageDeclarations() {
  const read = (f) => readFileSync(new URL(`../../../pkg-template/${f}`, import.meta.url), "utf8");
  return readDeclarations(read("index.d.ts"), read("webhooks.d.ts"));
}
