//! The delivery log behind `GET /__mock/webhooks`: one entry per message and endpoint, in
//! creation order, the last 10,000 kept.

use std::collections::VecDeque;

use serde::Serialize;

/// Entries kept before the oldest are dropped.
pub(crate) const CAPACITY: usize = 10_000;

/// Where a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Source {
    /// `POST /__mock/webhooks/emit`.
    Emit,
    /// Observed from a REST call.
    Api,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Pending,
    Delivered,
    Failed,
}

/// One attempt: when, what came back, how long it took.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Attempt {
    /// 1 for the first attempt.
    pub n: u32,
    /// Start of the attempt, epoch milliseconds.
    pub time: i64,
    /// The HTTP status; 0 when no response came (refused, reset, timeout).
    pub status: u16,
    pub duration_ms: u64,
    /// Why no response came, or null.
    pub error: Option<String>,
}

/// One message to one endpoint.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Delivery {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub url: String,
    pub source: Source,
    pub status: Status,
    pub attempts: Vec<Attempt>,
    /// When the next attempt starts (epoch ms), or null when none is scheduled.
    pub next_attempt_at: Option<i64>,
}

/// A bounded log; entries are addressed by a sequence number that survives eviction and
/// clearing (a write to a gone entry is ignored).
#[derive(Debug)]
pub(crate) struct DeliveryLog {
    entries: VecDeque<Delivery>,
    first_seq: u64,
    capacity: usize,
}

impl DeliveryLog {
    pub fn new(capacity: usize) -> Self {
        DeliveryLog { entries: VecDeque::new(), first_seq: 0, capacity: capacity.max(1) }
    }

    /// Appends a delivery and returns its sequence number.
    pub fn push(&mut self, delivery: Delivery) -> u64 {
        if self.entries.len() >= self.capacity {
            self.entries.pop_front();
            self.first_seq += 1;
        }
        self.entries.push_back(delivery);
        self.first_seq + self.entries.len() as u64 - 1
    }

    /// The entry with this sequence number, unless it was evicted or cleared.
    pub fn get_mut(&mut self, seq: u64) -> Option<&mut Delivery> {
        let index = usize::try_from(seq.checked_sub(self.first_seq)?).ok()?;
        self.entries.get_mut(index)
    }

    pub fn clear(&mut self) {
        self.first_seq += self.entries.len() as u64;
        self.entries.clear();
    }

    pub fn entries(&self) -> impl Iterator<Item = &Delivery> {
        self.entries.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(id: &str) -> Delivery {
        Delivery {
            id: id.into(),
            event_type: "deal.moved".into(),
            url: "http://127.0.0.1:1/".into(),
            source: Source::Emit,
            status: Status::Pending,
            attempts: Vec::new(),
            next_attempt_at: Some(0),
        }
    }

    #[test]
    fn bounded_and_addressed_by_sequence() {
        let mut log = DeliveryLog::new(2);
        let a = log.push(delivery("a"));
        let b = log.push(delivery("b"));
        let c = log.push(delivery("c"));
        assert!(log.get_mut(a).is_none());
        log.get_mut(c).unwrap().status = Status::Delivered;
        let ids: Vec<_> = log.entries().map(|d| (d.id.as_str(), d.status)).collect();
        assert_eq!(ids, vec![("b", Status::Pending), ("c", Status::Delivered)]);
        log.clear();
        assert!(log.get_mut(b).is_none());
        let d = log.push(delivery("d"));
        assert_eq!(log.get_mut(d).unwrap().id, "d");
    }

    #[test]
    fn serializes_as_the_spec_names_it() {
        let mut d = delivery("msg_x");
        d.attempts.push(Attempt { n: 1, time: 5, status: 500, duration_ms: 3, error: None });
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["type"], "deal.moved");
        assert_eq!(v["source"], "emit");
        assert_eq!(v["status"], "pending");
        assert_eq!(v["nextAttemptAt"], 0);
        assert_eq!(v["attempts"][0]["durationMs"], 3);
        assert_eq!(v["attempts"][0]["n"], 1);
    }
}
