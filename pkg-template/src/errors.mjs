// The SDK's error classes, built from the core's contract (contract.mjs `errors`: name, parent,
// status, fields), and the way back from what the wasm core raises to those classes.
//
// No Node built-in is imported here: this file runs unchanged in every runtime.

import contract from "./contract.mjs";

// Brands each error class and its prototype with its name under a registry symbol, so an error
// made by another copy of this module (the CommonJS and the ESM entries loaded in one process)
// still passes `instanceof` (see `KlipyError[Symbol.hasInstance]`).
const CLASS_BRAND = Symbol.for("klipy-sdk.errorClass");

// Extra fields an error may carry, in the order they appear on the object: KlipyError's fields
// then the subclasses' own (`retryable` and `cause` are set apart).
const ERROR_FIELDS = [...new Set(contract.errors.flatMap((e) => e.fields))].filter(
  (f) => f !== "retryable" && f !== "cause",
);

// Inherited fields a class always sets, `null` when unknown (a presentation choice of the JS
// classes; a class's own contract fields are always set too). Inherited by subclasses.
const ALWAYS_SET = {
  APIError: ["status", "code", "requestId", "details", "headers", "attempts"],
  RateLimitError: ["rateLimit"],
  ResponseDecodeError: ["status", "code", "requestId"],
};

/** Base class of every error the SDK throws. */
export class KlipyError extends Error {
  /**
   * `instanceof` that also holds for an error from another copy of the SDK in the same process
   * (the CommonJS entry and the ESM entry are separate copies): it matches by class
   * brand along the prototype chain.
   */
  static [Symbol.hasInstance](value) {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const want = Object.hasOwn(this, CLASS_BRAND) ? this[CLASS_BRAND] : undefined;
    if (want === undefined || value === null || typeof value !== "object") return false;
    for (let p = Object.getPrototypeOf(value); p !== null; p = Object.getPrototypeOf(p)) {
      if (Object.hasOwn(p, CLASS_BRAND) && p[CLASS_BRAND] === want) return true;
    }
    return false;
  }

  /**
   * @param {string} message
   * @param {object} [fields] any of `retryable`, `cause` and the extra fields of the subclasses
   */
  constructor(message, fields) {
    const f = fields && typeof fields === "object" ? fields : {};
    super(String(message ?? ""), f.cause !== undefined ? { cause: f.cause } : undefined);
    this.retryable = f.retryable === true;
    const always = new.target.fields ?? [];
    for (const name of ERROR_FIELDS) {
      const value = f[name];
      if (value !== undefined) this[name] = value;
      else if (always.includes(name)) this[name] = null;
    }
  }

  /** Extra fields this class always carries (`null` when unknown). */
  static fields = [];

  /** A plain, secret-free summary: name, message and the extra fields (no headers, no stack). */
  toJSON() {
    const out = { name: this.name, message: this.message, retryable: this.retryable };
    for (const name of ERROR_FIELDS) {
      if (name !== "headers" && this[name] !== undefined) out[name] = this[name];
    }
    const cause = this.cause;
    if (cause !== undefined && cause !== null) {
      out.cause =
        typeof cause === "object" && typeof cause.message === "string"
          ? { name: String(cause.name ?? "Error"), message: cause.message }
          : String(cause);
    }
    return out;
  }
}

/**
 * The error classes of a contract's `errors` list, by name, each a subclass of its `parent`
 * (KlipyError is the one class written by hand). Exported for tests, which build the classes of
 * a test contract.
 */
export function buildErrorClasses(specs) {
  const classes = { KlipyError };
  for (const spec of specs) {
    if (spec.parent === null) {
      if (spec.name !== "KlipyError") throw new Error(`contract: error class ${spec.name} has no parent`);
      continue;
    }
    const parent = classes[spec.parent];
    if (!parent) throw new Error(`contract: ${spec.name} comes before its parent ${spec.parent}`);
    // A computed key names the class (stacks, `cls.name`) without `eval`.
    const cls = { [spec.name]: class extends parent {} }[spec.name];
    const always = [...(ALWAYS_SET[spec.name] ?? []), ...spec.fields].filter((f) => !parent.fields.includes(f));
    cls.fields = [...parent.fields, ...always];
    for (const f of spec.fields) if (!ERROR_FIELDS.includes(f)) ERROR_FIELDS.push(f);
    classes[spec.name] = cls;
  }
  // `name` lives on the prototype (non-enumerable), so stacks read "NotFoundError: ..." and the
  // name survives minifiers that rename classes.
  for (const [name, cls] of Object.entries(classes)) {
    if (Object.hasOwn(cls, CLASS_BRAND)) continue;
    Object.defineProperty(cls, CLASS_BRAND, { value: name });
    Object.defineProperty(cls.prototype, CLASS_BRAND, { value: name });
    Object.defineProperty(cls.prototype, "name", { value: name, writable: true, enumerable: false, configurable: true });
  }
  return classes;
}

/** Every error class of the contract, by name. */
export const ERROR_CLASSES = buildErrorClasses(contract.errors);

// Used by name in the JS layer itself.
export const { ConfigError, ValidationError, ResponseDecodeError } = ERROR_CLASSES;

const PASSED_THROUGH = /klipy-sdk:passed-through:\d+/;

/**
 * Turns what the wasm core raised into an instance of the matching class: a JS `Error` whose
 * `name` is a class name (a rejected `call`/`bulk`), or the error JSON of a bulk failure
 * (`{ name, message, …, cause: "text" }`). Errors that are already ours, and errors the SDK does
 * not know (for example one thrown by a user's hook), pass through unchanged.
 */
export function fromRaw(raw, classes = ERROR_CLASSES) {
  if (raw instanceof KlipyError) return raw;
  if (raw === null || typeof raw !== "object" || typeof raw.name !== "string") return raw;
  if (!(raw instanceof Error) && typeof raw.cause === "string") raw = { ...raw, cause: new Error(raw.cause) };
  // An error passed through the core as a token (see `passThrough`): an error made whole in
  // JavaScript (an `apiKey` function's failure) is returned as it is; anything else (a fetch
  // failure) becomes the cause again.
  const token = typeof raw.cause?.message === "string" ? raw.cause.message.match(PASSED_THROUGH) : null;
  const passed = token ? takePassedThrough(token[0]) : undefined;
  if (passed instanceof KlipyError) return passed;
  const cls = Object.hasOwn(classes, raw.name) ? classes[raw.name] : undefined;
  if (!cls) return raw;
  return new cls(raw.message, passed !== undefined ? { ...raw, cause: passed } : raw);
}

/**
 * What a rejected fetch becomes on its way into the core, which carries only text: an `Error` of
 * the same name whose message holds the description the core reads the reason from (message and
 * code of the error and of its causes) and a token for the runtime's own error object, which
 * `fromRaw` puts back as the `APIConnectionError`'s `cause`. That object is the one carrying the
 * `code` (Node: the socket error under undici's `TypeError: fetch failed`), else what fetch threw.
 */
export function fetchFailure(err) {
  if (err === null || typeof err !== "object" || err.name === "AbortError") return err;
  const parts = [];
  let own = err;
  for (let e = err, depth = 0; e !== null && typeof e === "object" && depth < 4; e = e.cause, depth++) {
    if (typeof e.message === "string" && e.message !== "") parts.push(e.message);
    if (typeof e.code === "string") {
      parts.push(`(${e.code})`);
      own = e;
    }
  }
  const wrapped = new Error(`${redactKeys(parts.join(" "))} [${passThrough(own)}]`);
  wrapped.name = typeof err.name === "string" ? err.name : "Error";
  return wrapped;
}

// An error made in JavaScript that must reach the caller as it is (with its `cause` object) after
// a trip through the wasm core, which only carries text: the core gets a token in its place, and
// `fromRaw` swaps the token back. Bounded, so a token the core never hands back cannot pile up.
const passedThrough = new Map();
let passSeq = 0;

/** A token standing for `error` on its way through the core (see `fromRaw`). */
export function passThrough(error) {
  const token = `klipy-sdk:passed-through:${++passSeq}`;
  passedThrough.set(token, error);
  if (passedThrough.size > 256) passedThrough.delete(passedThrough.keys().next().value);
  return token;
}

function takePassedThrough(token) {
  if (typeof token !== "string" || !passedThrough.has(token)) return undefined;
  const error = passedThrough.get(token);
  passedThrough.delete(token);
  return error;
}

/** `text` without anything shaped like a Klipy API key. */
export function redactKeys(text) {
  return text.replace(/klipy_(?:api|pk)_[A-Za-z0-9_-]+/g, "[redacted]");
}
