// Declarations for `Webhooks` (re-exported by index.d.ts). Klipy documents one example per
// event and no schema: every `data` field may be absent or null (webhooks.md §3, assumed), and
// unknown keys may appear anywhere. Field names are as Klipy sends them (snake_case, except the
// meeting events' `meetingId` / `recordingId`).
import { KlipyError } from "./index.js";

/** A field Klipy may leave out or send as null. */
type Maybe<T> = T | null | undefined;

export type WebhookVerificationReason = "missing_header" | "bad_signature" | "timestamp_out_of_range" | "bad_payload";

/** A delivery failed verification; `reason` says which check refused it. Never retryable. */
export declare class WebhookVerificationError extends KlipyError {
  constructor(message: string, fields: { reason: WebhookVerificationReason; cause?: unknown });
  readonly reason: WebhookVerificationReason;
  readonly retryable: false;
}

export interface WebhooksOptions {
  /** Accepted clock skew either way, in seconds (default 300). */
  toleranceSec?: number;
  /** The current time in epoch milliseconds (default `Date.now`); for tests. */
  now?: () => number;
}

/** A `Headers` object (or a `Map`), or a plain object such as Node's `req.headers`. */
export type WebhookHeaders =
  | { forEach(callback: (value: string, name: string) => void): void; get(name: string): string | null | undefined }
  | Record<string, string | readonly string[] | undefined>;

/** The raw request body: the text or the bytes exactly as received. */
export type WebhookBody = string | Uint8Array | ArrayBuffer;

// ---------------------------------------------------------------------------------------------
// Event payloads
// ---------------------------------------------------------------------------------------------

export interface LeadCapturedData {
  id?: Maybe<string>;
  first_name?: Maybe<string>;
  last_name?: Maybe<string>;
  email?: Maybe<string>;
  title?: Maybe<string>;
  company_name?: Maybe<string>;
  company_domain?: Maybe<string>;
  industry?: Maybe<string>;
  employee_count?: Maybe<number>;
  estimated_revenue?: Maybe<number>;
  city?: Maybe<string>;
  state?: Maybe<string>;
  country?: Maybe<string>;
  linkedin?: Maybe<string>;
  [key: string]: unknown;
}

export interface ContactJobChangedData {
  contact_id?: Maybe<string>;
  previous_title?: Maybe<string>;
  new_title?: Maybe<string>;
  previous_company_id?: Maybe<string>;
  new_company_id?: Maybe<string>;
  [key: string]: unknown;
}

export interface WebhookContact {
  object?: Maybe<string>;
  id?: Maybe<string>;
  first_name?: Maybe<string>;
  last_name?: Maybe<string>;
  email?: Maybe<string>;
  title?: Maybe<string>;
  [key: string]: unknown;
}

export interface WebhookCompany {
  object?: Maybe<string>;
  id?: Maybe<string>;
  name?: Maybe<string>;
  domain?: Maybe<string>;
  industry?: Maybe<string>;
  employee_count?: Maybe<number>;
  estimated_revenue?: Maybe<number>;
  city?: Maybe<string>;
  state?: Maybe<string>;
  country?: Maybe<string>;
  linkedin?: Maybe<string>;
  [key: string]: unknown;
}

export interface InteractionCapturedData {
  id?: Maybe<string>;
  title?: Maybe<string>;
  summary?: Maybe<string>;
  people?: Maybe<WebhookContact[]>;
  company?: Maybe<WebhookCompany>;
  [key: string]: unknown;
}

export interface BookingParticipant {
  name?: Maybe<string>;
  email?: Maybe<string>;
  [key: string]: unknown;
}

export interface BookingData {
  id?: Maybe<string>;
  title?: Maybe<string>;
  description?: Maybe<string>;
  /** `booked`, `rescheduled` or `cancelled` in the examples. */
  status?: Maybe<string>;
  /** Unix epoch milliseconds. */
  start_time?: Maybe<number>;
  /** Unix epoch milliseconds. */
  end_time?: Maybe<number>;
  /** IANA time zone. */
  timezone?: Maybe<string>;
  organizer?: Maybe<BookingParticipant>;
  attendee?: Maybe<BookingParticipant>;
  guests?: Maybe<BookingParticipant[]>;
  /** The Nylas booking id. */
  external_id?: Maybe<string>;
  /** Null when no reason was given. */
  cancellation_reason?: Maybe<string>;
  [key: string]: unknown;
}

export interface DealData {
  deal_id?: Maybe<string>;
  pipeline_id?: Maybe<string>;
  pipeline?: Maybe<string>;
  estimated_value?: Maybe<number>;
  currency?: Maybe<string>;
  /** ISO-8601. */
  deal_creation_date?: Maybe<string>;
  /** ISO-8601. */
  estimated_close_date?: Maybe<string>;
  is_private?: Maybe<boolean>;
  deal_name?: Maybe<string>;
  owner_name?: Maybe<string>;
  company?: Maybe<{ name?: Maybe<string>; domain?: Maybe<string>; [key: string]: unknown }>;
  point_of_contact?: Maybe<{
    first_name?: Maybe<string>;
    last_name?: Maybe<string>;
    email?: Maybe<string>;
    title?: Maybe<string>;
    [key: string]: unknown;
  }>;
  [key: string]: unknown;
}

export interface DealContactAddedData {
  deal_id?: Maybe<string>;
  contact_id?: Maybe<string>;
  /** The contact's role, e.g. `PRIMARY`. */
  association_type?: Maybe<string>;
  supervisor_id?: Maybe<string>;
  [key: string]: unknown;
}

export interface DealMovedData extends DealData {
  actor_name?: Maybe<string>;
  /** The previous stage's name. */
  from?: Maybe<string>;
  /** The new stage's name. */
  to?: Maybe<string>;
}

export interface DealClosedData extends DealData {
  actor_name?: Maybe<string>;
  cycle_length?: Maybe<number>;
  /** Unit not documented (assumed days). */
  days_diff_from_estimate?: Maybe<number>;
  /** The previous stage's name. */
  from?: Maybe<string>;
  won?: Maybe<boolean>;
}

export interface MeetingStartingSoonData {
  meetingId?: Maybe<string>;
  [key: string]: unknown;
}

export interface MeetingCompletedData {
  recordingId?: Maybe<string>;
  meetingId?: Maybe<string>;
  /** `done` in the example. */
  status?: Maybe<string>;
  [key: string]: unknown;
}

export interface MeetingNoShowedData {
  meetingId?: Maybe<string>;
  recordingId?: Maybe<string>;
  /** `no_external_participants` today. */
  reason?: Maybe<string>;
  [key: string]: unknown;
}

/** The envelope of one documented event type. */
export interface WebhookEventOf<T extends string, D> {
  type: T;
  /** Always `"event"`. */
  object: string;
  data: D;
  [key: string]: unknown;
}

/** The 13 documented events, discriminated on `type`. */
export type KnownWebhookEvent =
  | WebhookEventOf<"lead.captured", LeadCapturedData>
  | WebhookEventOf<"contact.job_changed", ContactJobChangedData>
  | WebhookEventOf<"interaction.captured", InteractionCapturedData>
  | WebhookEventOf<"booking.created", BookingData>
  | WebhookEventOf<"booking.rescheduled", BookingData>
  | WebhookEventOf<"booking.cancelled", BookingData>
  | WebhookEventOf<"deal.created", DealData>
  | WebhookEventOf<"deal.contact_added", DealContactAddedData>
  | WebhookEventOf<"deal.moved", DealMovedData>
  | WebhookEventOf<"deal.closed", DealClosedData>
  | WebhookEventOf<"meeting.starting_soon", MeetingStartingSoonData>
  | WebhookEventOf<"meeting.completed", MeetingCompletedData>
  | WebhookEventOf<"meeting.no_showed", MeetingNoShowedData>;

/** A documented type name. */
export type WebhookEventType = KnownWebhookEvent["type"];

/** The documented event of one type. */
export type WebhookEventFor<T extends WebhookEventType> = Extract<KnownWebhookEvent, { type: T }>;

/** An event of a type added after this version: passed through, never rejected. */
export interface UnknownWebhookEvent {
  type: string;
  object: string;
  data: unknown;
  [key: string]: unknown;
}

/**
 * What `unwrap` returns. TypeScript cannot narrow a union holding a `type: string` member by
 * comparing `type`, so narrow with `Webhooks.isKnownEvent(event)` first, then `switch (event.type)`.
 */
export type WebhookEvent = KnownWebhookEvent | UnknownWebhookEvent;

/** Verifies Klipy's webhook deliveries (Standard Webhooks signatures). */
export declare class Webhooks {
  /**
   * @param secret the endpoint's `whsec_…` signing secret; anything else throws `ConfigError`
   *   (which never contains it)
   */
  constructor(secret: string, options?: WebhooksOptions);
  readonly toleranceSec: number;
  /** Resolves when the delivery is genuine; rejects with `WebhookVerificationError` otherwise. */
  verify(body: WebhookBody, headers: WebhookHeaders): Promise<void>;
  /** Verifies, then returns `JSON.parse(body)` unchanged (unknown types included). */
  unwrap(body: WebhookBody, headers: WebhookHeaders): Promise<WebhookEvent>;
  /** The 13 documented types. */
  static readonly EVENT_TYPES: readonly WebhookEventType[];
  /** Whether `event` has one of the 13 documented types (narrows for a `switch` on `type`). */
  static isKnownEvent(event: WebhookEvent): event is KnownWebhookEvent;
}
