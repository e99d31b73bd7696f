// Small helpers on the values that cross into the core: type descriptions, JSON encoding with
// the checks the core cannot make on JS values, and the non-enumerable `requestId` on results.

import { ValidationError } from "./errors.mjs";

/** The runtime's WebCrypto where it is global (Node ≥ 19, Deno, Bun, workerd, browsers); the Node
 * entries hand in node:crypto's where it is not (Node 18). */
export const globalSubtle = () => globalThis.crypto?.subtle;

/** "null", "an array", "a string", … for messages. */
export function describeType(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

export function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// `JSON.stringify` turns an invalid Date into `null`, which the API would read as "omitted"
// (for `interactionDate`: "now"). Send it as a string the core rejects instead.
// A string with a lone UTF-16 surrogate (half of a broken character) has no UTF-8 form: refuse it
// naming the field rather than letting the core fail on the JSON text.
function jsonReplacer(key, value) {
  const original = this[key];
  if (original instanceof Date && Number.isNaN(original.getTime())) return "Invalid Date";
  if (typeof value === "string" && value.isWellFormed?.() === false) {
    const field = key === "" ? "input" : key;
    throw new ValidationError(
      `\`${field}\` contains a lone UTF-16 surrogate (half of a broken character): fix how the string was made.`,
      { field },
    );
  }
  return value;
}

/** `value` as JSON text for the core; a `ValidationError` naming `field` when it has none. */
export function toJson(value, field) {
  try {
    return JSON.stringify(value, jsonReplacer);
  } catch (cause) {
    if (cause instanceof ValidationError) throw cause;
    throw new ValidationError(`\`${field}\` cannot be encoded as JSON (a cycle or a BigInt?).`, {
      field,
      cause,
    });
  }
}

/** An id argument: a string with a UTF-8 form (the core checks it is not empty). */
export function checkId(id, field = "id") {
  if (typeof id !== "string") {
    throw new ValidationError(`\`${field}\` must be a string, not ${describeType(id)}.`, { field });
  }
  if (id.isWellFormed?.() === false) {
    throw new ValidationError(
      `\`${field}\` contains a lone UTF-16 surrogate (half of a broken character), which no id can hold.`,
      { field },
    );
  }
}

/** An object argument (an input, a patch, the params of `request`). */
export function checkInput(input, field) {
  if (!isPlainObject(input)) {
    throw new ValidationError(`\`${field}\` must be an object, not ${describeType(input)}.`, {
      field,
    });
  }
}

/** Gives a returned object its non-enumerable `requestId` (unless the API sent such a field). */
export function attachRequestId(value, requestId) {
  if (value !== null && typeof value === "object" && Object.isExtensible(value)) {
    if (!Object.hasOwn(value, "requestId")) {
      Object.defineProperty(value, "requestId", {
        value: requestId,
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }
  }
  return value;
}
