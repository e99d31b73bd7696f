//! The event envelope `{"type", "object": "event", "data"}` decoded into [`Event`].

use super::data::*;
use super::WebhookError;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A Klipy webhook event: one variant per documented type, and [`Event::Unknown`] for types
/// Klipy adds later (never an error: new types are announced to appear).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `lead.captured`
    LeadCaptured(LeadCaptured),
    /// `contact.job_changed`
    ContactJobChanged(ContactJobChanged),
    /// `interaction.captured`
    InteractionCaptured(InteractionCaptured),
    /// `booking.created`
    BookingCreated(Booking),
    /// `booking.rescheduled`
    BookingRescheduled(Booking),
    /// `booking.cancelled`
    BookingCancelled(Booking),
    /// `deal.created`
    DealCreated(Deal),
    /// `deal.contact_added`
    DealContactAdded(DealContactAdded),
    /// `deal.moved`
    DealMoved(DealMoved),
    /// `deal.closed`
    DealClosed(DealClosed),
    /// `meeting.starting_soon`
    MeetingStartingSoon(MeetingStartingSoon),
    /// `meeting.completed`
    MeetingCompleted(MeetingCompleted),
    /// `meeting.no_showed`
    MeetingNoShowed(MeetingNoShowed),
    /// A type this version does not know, with the whole envelope as sent.
    Unknown {
        /// The envelope's `type`.
        event_type: String,
        /// The whole envelope.
        raw: Value,
    },
}

fn data<T: DeserializeOwned + Default>(data: Option<&Value>) -> T {
    // Every field is lenient, so only a `data` that is not an object fails here: it then
    // decodes as all-absent, like an empty object.
    data.and_then(|d| T::deserialize(d).ok()).unwrap_or_default()
}

impl Event {
    /// The 13 documented types.
    pub const TYPES: [&'static str; 13] = [
        "lead.captured",
        "contact.job_changed",
        "interaction.captured",
        "booking.created",
        "booking.rescheduled",
        "booking.cancelled",
        "deal.created",
        "deal.contact_added",
        "deal.moved",
        "deal.closed",
        "meeting.starting_soon",
        "meeting.completed",
        "meeting.no_showed",
    ];

    /// The envelope's `type`.
    pub fn event_type(&self) -> &str {
        match self {
            Self::LeadCaptured(_) => Self::TYPES[0],
            Self::ContactJobChanged(_) => Self::TYPES[1],
            Self::InteractionCaptured(_) => Self::TYPES[2],
            Self::BookingCreated(_) => Self::TYPES[3],
            Self::BookingRescheduled(_) => Self::TYPES[4],
            Self::BookingCancelled(_) => Self::TYPES[5],
            Self::DealCreated(_) => Self::TYPES[6],
            Self::DealContactAdded(_) => Self::TYPES[7],
            Self::DealMoved(_) => Self::TYPES[8],
            Self::DealClosed(_) => Self::TYPES[9],
            Self::MeetingStartingSoon(_) => Self::TYPES[10],
            Self::MeetingCompleted(_) => Self::TYPES[11],
            Self::MeetingNoShowed(_) => Self::TYPES[12],
            Self::Unknown { event_type, .. } => event_type,
        }
    }

    /// Decodes an envelope. Only call it on a body whose signature was verified.
    ///
    /// # Errors
    /// [`WebhookError::BadPayload`] when the body is not a JSON object with a string `type`.
    pub fn from_slice(body: &[u8]) -> Result<Self, WebhookError> {
        let raw: Value =
            serde_json::from_slice(body).map_err(|e| WebhookError::BadPayload(format!("it is not JSON ({e})")))?;
        let Some(event_type) = raw.as_object().and_then(|o| o.get("type")).and_then(Value::as_str) else {
            return Err(WebhookError::BadPayload("it is not a JSON object with a string \"type\"".into()));
        };
        let d = raw.get("data");
        Ok(match event_type {
            "lead.captured" => Self::LeadCaptured(data(d)),
            "contact.job_changed" => Self::ContactJobChanged(data(d)),
            "interaction.captured" => Self::InteractionCaptured(data(d)),
            "booking.created" => Self::BookingCreated(data(d)),
            "booking.rescheduled" => Self::BookingRescheduled(data(d)),
            "booking.cancelled" => Self::BookingCancelled(data(d)),
            "deal.created" => Self::DealCreated(data(d)),
            "deal.contact_added" => Self::DealContactAdded(data(d)),
            "deal.moved" => Self::DealMoved(data(d)),
            "deal.closed" => Self::DealClosed(data(d)),
            "meeting.starting_soon" => Self::MeetingStartingSoon(data(d)),
            "meeting.completed" => Self::MeetingCompleted(data(d)),
            "meeting.no_showed" => Self::MeetingNoShowed(data(d)),
            other => Self::Unknown { event_type: other.to_string(), raw: raw.clone() },
        })
    }
}
