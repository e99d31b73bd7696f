// Webhooks as a TypeScript (ESM) user meets them: the union narrows per type after
// `Webhooks.isKnownEvent`, unknown types stay reachable, and misuse does not type-check.
import {
  Webhooks,
  WebhookVerificationError,
  KlipyError,
  type WebhookEvent,
  type KnownWebhookEvent,
  type UnknownWebhookEvent,
  type WebhookEventFor,
  type WebhookEventType,
  type WebhookVerificationReason,
} from "klipy-sdk";

const wh = new Webhooks("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", { toleranceSec: 300, now: () => Date.now() });
const tolerance: number = wh.toleranceSec;

function describe(event: KnownWebhookEvent): string {
  switch (event.type) {
    case "lead.captured":
      return `${event.data.email ?? ""} ${event.data.employee_count ?? 0}`;
    case "contact.job_changed":
      return event.data.new_title ?? "";
    case "interaction.captured":
      return `${event.data.people?.[0]?.email ?? ""} ${event.data.company?.domain ?? ""}`;
    case "booking.created":
    case "booking.rescheduled":
    case "booking.cancelled":
      return `${event.data.start_time ?? 0} ${event.data.attendee?.email ?? ""} ${event.data.cancellation_reason ?? ""}`;
    case "deal.created":
      return `${event.data.deal_id ?? ""} ${event.data.estimated_value ?? 0}`;
    case "deal.contact_added":
      return event.data.association_type ?? "";
    case "deal.moved":
      return `${event.data.from ?? ""} -> ${event.data.to ?? ""} ${event.data.point_of_contact?.email ?? ""}`;
    case "deal.closed":
      return `${event.data.won === true} ${event.data.cycle_length ?? 0}`;
    case "meeting.starting_soon":
      return event.data.meetingId ?? "";
    case "meeting.completed":
      return event.data.recordingId ?? "";
    case "meeting.no_showed":
      return event.data.reason ?? "";
    default: {
      const never: never = event;
      return never;
    }
  }
}

async function receive(body: string | Uint8Array, headers: Headers | Record<string, string | string[] | undefined>) {
  await wh.verify(body, headers);
  const event: WebhookEvent = await wh.unwrap(body, headers);
  if (Webhooks.isKnownEvent(event)) return describe(event);
  const unknown: UnknownWebhookEvent = event;
  return `${unknown.type} ${JSON.stringify(unknown.data)}`;
}

function reasonOf(err: unknown): WebhookVerificationReason | null {
  if (err instanceof WebhookVerificationError) {
    const base: KlipyError = err;
    const retry: false = err.retryable;
    void [base, retry];
    return err.reason;
  }
  return null;
}

const types: readonly WebhookEventType[] = Webhooks.EVENT_TYPES;
const lead: WebhookEventFor<"lead.captured"> = { type: "lead.captured", object: "event", data: { id: "h7w8y2f1" } };

// @ts-expect-error not a documented type
const wrong: WebhookEventFor<"lead.created"> = lead;
// @ts-expect-error a number is not a body
void wh.verify(42, {});
// @ts-expect-error toleranceSec is a number
new Webhooks("whsec_AAAA", { toleranceSec: "300" });

void [tolerance, receive, reasonOf, types, lead, wrong];
