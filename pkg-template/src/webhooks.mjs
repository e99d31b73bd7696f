// Webhooks: verifying Klipy's signed deliveries (Standard Webhooks, as Svix sends them).
//
// The checks — which headers, the clock tolerance, the signature list, the constant-time
// comparison — run in the Rust core (`webhookSignedPrefix`, then `webhookSignatureMatches`).
// Between the two, this file computes the HMAC with the runtime's WebCrypto (`crypto.subtle`),
// so the .wasm needs no SHA-256 of its own. It also decodes the secret (its ConfigError must be
// synchronous, even before a lazily loaded .wasm is there), turns the body into bytes and the
// headers into name/value pairs, words the errors, and parses the verified JSON.
//
// Secrets: the key is imported as a non-extractable CryptoKey held in a closure, never on an
// object reachable from a `Webhooks` instance; no message ever contains the secret, the key or
// the expected signature.
// No Node built-in is imported here: this file runs unchanged in every runtime.

import contract from "./contract.mjs";
import { ConfigError, KlipyError } from "./errors.mjs";
import { globalSubtle } from "./values.mjs";

/** The documented event types (webhooks.md §3), from the core's contract. */
const EVENT_TYPES = Object.freeze([...contract.enums.WebhookEventType]);

const REASONS = ["missing_header", "timestamp_out_of_range", "bad_signature", "bad_payload"];

const MESSAGES = {
  missing_header:
    "The webhook lacks a webhook-id, webhook-timestamp or webhook-signature header (or their svix- twins): pass the request's headers as received.",
  timestamp_out_of_range:
    "The webhook timestamp is not whole Unix seconds or is outside the tolerance: a replayed delivery, or this machine's clock is off.",
  bad_signature:
    "No webhook signature matches: check the endpoint's secret, and pass the raw body exactly as received (not re-serialized JSON).",
};

/** A delivery failed verification; `reason` says which check refused it. Never retryable. */
export class WebhookVerificationError extends KlipyError {
  /**
   * @param {string} message
   * @param {{ reason: string, cause?: unknown }} fields
   */
  constructor(message, fields) {
    super(message, { cause: fields?.cause });
    this.reason = REASONS.includes(fields?.reason) ? fields.reason : "bad_signature";
  }

  toJSON() {
    return { ...super.toJSON(), reason: this.reason };
  }
}
Object.defineProperty(WebhookVerificationError.prototype, "name", {
  value: "WebhookVerificationError",
  writable: true,
  enumerable: false,
  configurable: true,
});

// `whsec_` + standard, padded base64 of at least one byte; the core checks it again.
const SECRET_RE = /^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)$/;

function checkSecret(secret) {
  if (typeof secret !== "string") {
    throw new ConfigError(
      `The webhook secret must be a string ("whsec_…"), not ${secret === null ? "null" : typeof secret}: pass your endpoint's signing secret, e.g. from env.KLIPY_WEBHOOK_SECRET.`,
    );
  }
  if (secret === "" || secret === "whsec_") throw new ConfigError("The webhook secret is empty: pass your endpoint's signing secret.");
  if (!secret.startsWith("whsec_")) {
    throw new ConfigError('The webhook secret must start with "whsec_": copy it whole from the webhook settings.');
  }
  if (!SECRET_RE.test(secret)) {
    throw new ConfigError('The webhook secret is not "whsec_" followed by standard base64: copy it again, whole.');
  }
}

const encoder = new TextEncoder();

/** The raw body as bytes, or null when it is not raw (an already parsed object). */
function bodyBytes(body) {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return null;
}

function bodyText(body) {
  if (typeof body === "string") return body;
  return new TextDecoder("utf-8", { fatal: true }).decode(body);
}

/**
 * `name\nvalue\n…` for the core, from a `Headers` (or anything with `forEach(value, name)`, like
 * a `Map`) or a plain object. Array values (Node's `IncomingHttpHeaders` allows them) are joined
 * with a space, which keeps every entry of a repeated signature header. Pairs that are not
 * strings, or hold a line break, are left out.
 */
function headerPairs(headers) {
  const out = [];
  const add = (name, value) => {
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) value = value.join(" ");
    if (typeof name === "string" && typeof value === "string" && !/[\r\n]/.test(name + value)) out.push(name, value);
  };
  if (headers !== null && typeof headers === "object") {
    if (typeof headers.forEach === "function" && typeof headers.get === "function") {
      headers.forEach((value, name) => add(name, value));
    } else {
      for (const name of Object.keys(headers)) add(name, headers[name]);
    }
  }
  return out.join("\n");
}

/**
 * Builds the `Webhooks` class of one runtime entry: `engine` is core.mjs's wasm engine, `load()`
 * returns a promise that resolves when the wasm is loaded (or throws when it cannot be),
 * `subtle()` the runtime's WebCrypto (the global one unless the entry knows better: Node 18 has
 * none, its node:crypto has it).
 */
export function createWebhooks(engine, load, subtle = globalSubtle) {
  class Webhooks {
    #key; // () => promise of the HMAC CryptoKey (imported once, on first use)
    #now;
    #tolerance;

    /**
     * @param {string} secret the endpoint's `whsec_…` signing secret
     * @param {{ toleranceSec?: number, now?: () => number }} [options]
     */
    constructor(secret, options) {
      checkSecret(secret);
      if (options !== undefined && options !== null && typeof options !== "object") {
        throw new ConfigError("Webhooks options must be an object such as { toleranceSec: 300 }.");
      }
      const { toleranceSec = 300, now = Date.now } = options ?? {};
      if (typeof toleranceSec !== "number" || !Number.isFinite(toleranceSec) || toleranceSec < 0) {
        throw new ConfigError("`toleranceSec` must be a non-negative, finite number of seconds.");
      }
      if (typeof now !== "function") throw new ConfigError("`now` must be a function returning epoch milliseconds.");
      this.#now = now;
      this.#tolerance = toleranceSec;
      const raw = Uint8Array.from(atob(secret.slice("whsec_".length)), (c) => c.charCodeAt(0));
      let imported = null;
      this.#key = () => {
        if (imported === null) {
          const crypto = subtle();
          if (!crypto || typeof crypto.importKey !== "function") {
            return Promise.reject(
              new ConfigError(
                "Webhook verification needs the Web Crypto API (globalThis.crypto.subtle), which this runtime lacks.",
              ),
            );
          }
          imported = crypto.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
          imported.catch(() => {
            imported = null; // let the next call try again
          });
        }
        return imported;
      };
      Object.defineProperty(this, "toleranceSec", { value: toleranceSec, enumerable: true });
    }

    /**
     * Resolves (to `undefined`) when the delivery is genuine; rejects with a
     * `WebhookVerificationError` otherwise.
     * @param {string | Uint8Array} body the raw request body
     * @param {Headers | Record<string, string | string[] | undefined>} headers
     */
    async verify(body, headers) {
      const bytes = bodyBytes(body);
      if (bytes === null) {
        throw new WebhookVerificationError(
          "The webhook body must be the raw request body (a string or a Uint8Array), not a parsed object: the signature covers the exact bytes received.",
          { reason: "bad_payload" },
        );
      }
      const pairs = headerPairs(headers);
      const nowMs = this.#now();
      if (typeof nowMs !== "number" || !Number.isFinite(nowMs)) {
        throw new ConfigError("The `now` option returned no finite number of epoch milliseconds.");
      }
      if (!engine.ready) await (engine.loading ?? load());
      const core = engine.glue;
      // `{id}.{timestamp}.` (always ending with "."), or the reason the headers were refused.
      const prefix = engine.enter(() => core.webhookSignedPrefix(pairs, nowMs, this.#tolerance));
      if (!prefix.endsWith(".")) {
        throw new WebhookVerificationError(MESSAGES[prefix] ?? MESSAGES.missing_header, {
          reason: MESSAGES[prefix] ? prefix : "missing_header",
        });
      }
      const head = encoder.encode(prefix); // `{id}.{timestamp}.`, then the raw body
      const data = new Uint8Array(head.length + bytes.length);
      data.set(head, 0);
      data.set(bytes, head.length);
      let mac;
      try {
        const key = await this.#key();
        mac = new Uint8Array(await subtle().sign("HMAC", key, data));
      } catch (cause) {
        if (cause instanceof KlipyError) throw cause;
        throw new ConfigError("The runtime's Web Crypto API failed to compute HMAC SHA-256 for the webhook.", { cause });
      }
      if (!engine.enter(() => core.webhookSignatureMatches(pairs, mac))) {
        throw new WebhookVerificationError(MESSAGES.bad_signature, { reason: "bad_signature" });
      }
    }

    /**
     * Verifies the delivery, then returns its parsed event (`JSON.parse` of the body, unchanged).
     * @param {string | Uint8Array} body the raw request body
     * @param {Headers | Record<string, string | string[] | undefined>} headers
     */
    async unwrap(body, headers) {
      await this.verify(body, headers);
      let event;
      try {
        event = JSON.parse(bodyText(body));
      } catch (cause) {
        throw new WebhookVerificationError("The webhook body is not UTF-8 JSON.", { reason: "bad_payload", cause });
      }
      if (event === null || typeof event !== "object" || Array.isArray(event) || typeof event.type !== "string") {
        throw new WebhookVerificationError('The webhook body is not a JSON object with a string "type".', {
          reason: "bad_payload",
        });
      }
      return event;
    }

    get [Symbol.toStringTag]() {
      return "Webhooks";
    }

    static EVENT_TYPES = EVENT_TYPES;

    /** Whether `event` has one of the 13 documented types. */
    static isKnownEvent(event) {
      return event !== null && typeof event === "object" && EVENT_TYPES.includes(event.type);
    }
  }
  return Webhooks;
}
