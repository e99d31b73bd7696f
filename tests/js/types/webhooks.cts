// Webhooks from CommonJS TypeScript (index.d.cts → webhooks.d.cts).
import sdk = require("klipy-sdk");

const wh = new sdk.Webhooks("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX");
async function receive(body: Uint8Array, headers: Record<string, string>): Promise<string> {
  try {
    const event: sdk.WebhookEvent = await wh.unwrap(body, headers);
    if (sdk.Webhooks.isKnownEvent(event) && event.type === "deal.closed") return String(event.data.won);
    return event.type;
  } catch (err) {
    if (err instanceof sdk.WebhookVerificationError) return err.reason;
    if (err instanceof sdk.KlipyError) return err.message;
    throw err;
  }
}
void receive;
