// The webhook scenario every runtime runs (imported by scenario.mjs): the spec's vectors verify
// with the runtime's own WebCrypto, from the main entry and from slim, and forgeries are refused.
// Runtime-neutral like scenario.mjs: no Node built-in, no test framework.

const S = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";
const O = "whsec_ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
const V1 = {
  "webhook-id": "msg_klipyvector0001",
  "webhook-timestamp": "1735689600",
  "webhook-signature": "v1,K82NQBDXyVH92yp9/NqMCGq73Qfbxupv3Uj4YlpCAcE=",
};
const V1_BODY =
  '{"type":"lead.captured","object":"event","data":{"id":"h7w8y2f1","email":"jordan.patel@acmeanalytics.com"}}';
const V2_BODY =
  '{"type":"contact.job_changed","object":"event","data":{"contact_id":"h7w8y2f1","previous_title":"Verkäuferin","new_title":"Directrice générale 🚀"}}';
const V2 = {
  "Svix-Id": "msg_klipyvector0002",
  "Svix-Timestamp": "1735689601",
  "Svix-Signature": "v1a,AAAA v1,PvbsZEcMOZ8yaIUfqFOUCQInJJO2xMLkmmYooj3805k=",
};
const V4 = "v1a,AAAA v1,8miaHVtzVWocyW6w1pVcLolpWZnoJ6SHZbH8mWCQwCw= v1,K82NQBDXyVH92yp9/NqMCGq73Qfbxupv3Uj4YlpCAcE=";
const at = (sec) => () => sec * 1000;

/** `{ name, run(ctx) }` for scenario.mjs; `ok`, `eq`, `rejects`, `throws` are its assertions. */
export function webhooksScenario({ ok, eq, rejects, throws }) {
  return {
    name: "webhooks: the spec's vectors verify with this runtime's WebCrypto; forgeries are refused",
    async run(ctx) {
      if (ctx.runtime === "node-cjs") {
        // Here slim is the ESM build, whose engine nothing has loaded (require loaded node.cjs):
        // like a Klipy call, verifying must ask for init rather than fail obscurely.
        const early = new ctx.slim.Webhooks(S, { now: at(1735689600) });
        await rejects(early.verify(V1_BODY, V1), ctx.slim.ConfigError, /init/, "slim before init");
      }
      for (const sdk of ctx.runtime === "node-cjs" ? [ctx.sdk] : [ctx.sdk, ctx.slim]) {
        const { Webhooks, WebhookVerificationError, KlipyError, ConfigError } = sdk;
        const wh = new Webhooks(S, { now: at(1735689600) });
        eq(await wh.verify(V1_BODY, V1), undefined, "V1 as a plain object");
        const event = await wh.unwrap(new TextEncoder().encode(V1_BODY), new Headers(V1));
        eq(event, JSON.parse(V1_BODY), "V1 unwrapped from bytes and Headers");
        const utf8 = await new Webhooks(S, { now: at(1735689601) }).unwrap(V2_BODY, V2);
        eq(utf8.data.new_title, "Directrice générale 🚀", "V2: UTF-8 body, svix- headers, v1a skipped");
        await new Webhooks(O, { now: at(1735689600) }).verify(V1_BODY, { ...V1, "webhook-signature": V4 });
        const forged = await rejects(wh.verify(V1_BODY.replace("h7w8y2f1", "h7w8y2f2"), V1), WebhookVerificationError);
        eq(forged.reason, "bad_signature", "a tampered body");
        ok(forged instanceof KlipyError && forged.retryable === false, "a non-retryable KlipyError");
        const late = await rejects(new Webhooks(S, { now: at(1735689901) }).verify(V1_BODY, V1), WebhookVerificationError);
        eq(late.reason, "timestamp_out_of_range", "301 s late");
        const bare = await rejects(wh.verify(V1_BODY, {}), WebhookVerificationError);
        eq(bare.reason, "missing_header", "no headers");
        throws(() => new Webhooks("whsec_not base64"), ConfigError, /base64/, "a malformed secret");
        ok(!JSON.stringify(wh).includes("AAECAw"), "the instance does not serialise its secret");
      }
    },
  };
}
