//! The `data` of each documented event, field names as Klipy sends them.
//!
//! Klipy documents one example per event and no schema, so every field is an `Option`: `None`
//! when absent, `null`, or of an unexpected type (a field's odd value never fails the event).
//! Unknown keys are ignored (an [`super::Event::Unknown`] keeps its whole envelope).

use serde::de::{DeserializeOwned, Deserializer};
use serde::Deserialize;
use serde_json::Value;

/// `Some(value)` when the field holds a `T`; `None` when it is null or of another type.
fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    Ok(serde_json::from_value(Value::deserialize(d)?).ok())
}

/// Declares a struct whose fields are all lenient `Option`s.
macro_rules! lenient_struct {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Default, Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            $($(#[$fm])* #[serde(default, deserialize_with = "lenient")] pub $field: Option<$ty>,)*
        }
    };
}

lenient_struct! {
    /// `lead.captured`: a new contact. Whether the place and LinkedIn fields describe the person
    /// or the company is not documented.
    LeadCaptured {
        /// The contact's id (the dedupe key).
        id: String,
        /// First name.
        first_name: String,
        /// Last name.
        last_name: String,
        /// Email address.
        email: String,
        /// Job title.
        title: String,
        /// Company name.
        company_name: String,
        /// Company domain.
        company_domain: String,
        /// Industry.
        industry: String,
        /// Number of employees.
        employee_count: i64,
        /// Estimated revenue (currency not documented).
        estimated_revenue: f64,
        /// City.
        city: String,
        /// State or region.
        state: String,
        /// Country.
        country: String,
        /// LinkedIn URL.
        linkedin: String,
    }
}

lenient_struct! {
    /// `contact.job_changed`: a contact's title or company changed (reference-style, no profile).
    ContactJobChanged {
        /// The contact's id.
        contact_id: String,
        /// Title before the change.
        previous_title: String,
        /// Title after the change.
        new_title: String,
        /// Company id before the change.
        previous_company_id: String,
        /// Company id after the change.
        new_company_id: String,
    }
}

lenient_struct! {
    /// A contact in `interaction.captured`'s `people`.
    InteractionPerson {
        /// Always `"contact"` in the examples.
        object: String,
        /// The contact's id.
        id: String,
        /// First name.
        first_name: String,
        /// Last name.
        last_name: String,
        /// Email address.
        email: String,
        /// Job title.
        title: String,
    }
}

lenient_struct! {
    /// A company as `interaction.captured` carries it.
    Company {
        /// Always `"company"` in the examples.
        object: String,
        /// The company's id (`cmp_…`).
        id: String,
        /// Name.
        name: String,
        /// Domain.
        domain: String,
        /// Industry.
        industry: String,
        /// Number of employees.
        employee_count: i64,
        /// Estimated revenue (currency not documented).
        estimated_revenue: f64,
        /// City.
        city: String,
        /// State or region.
        state: String,
        /// Country.
        country: String,
        /// LinkedIn URL.
        linkedin: String,
    }
}

lenient_struct! {
    /// `interaction.captured`: a new email, call, memo or similar.
    InteractionCaptured {
        /// The interaction's id (`int_…`).
        id: String,
        /// Title.
        title: String,
        /// Summary.
        summary: String,
        /// The contacts involved.
        people: Vec<InteractionPerson>,
        /// Their company.
        company: Company,
    }
}

lenient_struct! {
    /// A booking's organizer, attendee or guest.
    BookingParticipant {
        /// Name.
        name: String,
        /// Email address.
        email: String,
    }
}

lenient_struct! {
    /// `booking.created`, `booking.rescheduled` and `booking.cancelled`.
    Booking {
        /// The booking's id.
        id: String,
        /// Title.
        title: String,
        /// Description.
        description: String,
        /// `booked`, `rescheduled` or `cancelled` in the examples.
        status: String,
        /// Start, Unix epoch milliseconds (the new time for a reschedule).
        start_time: i64,
        /// End, Unix epoch milliseconds.
        end_time: i64,
        /// IANA time zone.
        timezone: String,
        /// Who organised it.
        organizer: BookingParticipant,
        /// Who booked it.
        attendee: BookingParticipant,
        /// Guests (element shape assumed `{name, email}`).
        guests: Vec<BookingParticipant>,
        /// The Nylas booking id.
        external_id: String,
        /// Why it was cancelled; `None` when no reason was given.
        cancellation_reason: String,
    }
}

lenient_struct! {
    /// A deal's company.
    DealCompany {
        /// Name.
        name: String,
        /// Domain.
        domain: String,
    }
}

lenient_struct! {
    /// A deal's point of contact.
    PointOfContact {
        /// First name.
        first_name: String,
        /// Last name.
        last_name: String,
        /// Email address.
        email: String,
        /// Job title.
        title: String,
    }
}

lenient_struct! {
    /// `deal.created`, and the deal fields of `deal.moved` and `deal.closed`.
    Deal {
        /// The deal's id (the dedupe key).
        deal_id: String,
        /// The pipeline's id.
        pipeline_id: String,
        /// The pipeline's name.
        pipeline: String,
        /// Estimated value.
        estimated_value: f64,
        /// Currency code, e.g. `USD`.
        currency: String,
        /// ISO-8601 creation date.
        deal_creation_date: String,
        /// ISO-8601 estimated close date.
        estimated_close_date: String,
        /// Whether the deal is private.
        is_private: bool,
        /// Name.
        deal_name: String,
        /// Owner's name.
        owner_name: String,
        /// The company.
        company: DealCompany,
        /// The point of contact.
        point_of_contact: PointOfContact,
    }
}

lenient_struct! {
    /// `deal.contact_added`: a contact linked to a deal.
    DealContactAdded {
        /// The deal's id.
        deal_id: String,
        /// The contact's id.
        contact_id: String,
        /// The contact's role, e.g. `PRIMARY` (may be omitted).
        association_type: String,
        /// A supervising contact's id (may be omitted).
        supervisor_id: String,
    }
}

/// `deal.moved`: a deal changed stage.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[non_exhaustive]
pub struct DealMoved {
    /// Who moved it.
    #[serde(default, deserialize_with = "lenient")]
    pub actor_name: Option<String>,
    /// The deal's fields.
    #[serde(flatten)]
    pub deal: Deal,
    /// The previous stage's name, when present.
    #[serde(default, deserialize_with = "lenient")]
    pub from: Option<String>,
    /// The new stage's name, when present.
    #[serde(default, deserialize_with = "lenient")]
    pub to: Option<String>,
}

/// `deal.closed`: won or lost.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[non_exhaustive]
pub struct DealClosed {
    /// Who closed it.
    #[serde(default, deserialize_with = "lenient")]
    pub actor_name: Option<String>,
    /// The deal's fields.
    #[serde(flatten)]
    pub deal: Deal,
    /// Length of the sales cycle.
    #[serde(default, deserialize_with = "lenient")]
    pub cycle_length: Option<i64>,
    /// Difference from the estimated close date (unit assumed days).
    #[serde(default, deserialize_with = "lenient")]
    pub days_diff_from_estimate: Option<i64>,
    /// The previous stage's name.
    #[serde(default, deserialize_with = "lenient")]
    pub from: Option<String>,
    /// Won (`true`) or lost.
    #[serde(default, deserialize_with = "lenient")]
    pub won: Option<bool>,
}

lenient_struct! {
    /// `meeting.starting_soon`.
    MeetingStartingSoon {
        /// The meeting's id (camelCase in Klipy's payload).
        #[serde(rename = "meetingId")]
        meeting_id: String,
    }
}

lenient_struct! {
    /// `meeting.completed`: recording and transcript processing are done.
    MeetingCompleted {
        /// The recording's id.
        #[serde(rename = "recordingId")]
        recording_id: String,
        /// The meeting's id.
        #[serde(rename = "meetingId")]
        meeting_id: String,
        /// `done` in the example.
        status: String,
    }
}

lenient_struct! {
    /// `meeting.no_showed`: no external participant joined.
    MeetingNoShowed {
        /// The meeting's id.
        #[serde(rename = "meetingId")]
        meeting_id: String,
        /// The recording's id.
        #[serde(rename = "recordingId")]
        recording_id: String,
        /// Always `no_external_participants` today.
        reason: String,
    }
}
