//! The request log behind `GET /__mock/requests`: one entry per `/api/v1` request, in order of
//! arrival. It records no headers (so never a key), only the retry-count header's value.

use std::collections::VecDeque;

use serde::Serialize;

/// One logged request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LogEntry {
    pub method: String,
    /// Path relative to `/api/v1`, without the query string.
    pub path: String,
    /// `None` while in flight; 0 when no response was sent (connection reset or dropped).
    pub status: Option<u16>,
    pub retry_count: Option<i64>,
    /// Arrival time, epoch milliseconds.
    pub time: i64,
    pub request_id: String,
    pub fault: bool,
}

/// A bounded log; entries are addressed by a sequence number that survives eviction.
#[derive(Debug)]
pub(crate) struct RequestLog {
    entries: VecDeque<LogEntry>,
    /// Sequence number of `entries[0]`.
    first_seq: u64,
    capacity: usize,
}

impl RequestLog {
    pub fn new(capacity: usize) -> Self {
        RequestLog { entries: VecDeque::new(), first_seq: 0, capacity: capacity.max(1) }
    }

    /// Appends an entry and returns its sequence number.
    pub fn push(&mut self, entry: LogEntry) -> u64 {
        if self.entries.len() >= self.capacity {
            self.entries.pop_front();
            self.first_seq += 1;
        }
        self.entries.push_back(entry);
        self.first_seq + self.entries.len() as u64 - 1
    }

    fn get_mut(&mut self, seq: u64) -> Option<&mut LogEntry> {
        let index = usize::try_from(seq.checked_sub(self.first_seq)?).ok()?;
        self.entries.get_mut(index)
    }

    /// Sets the final status of an entry (ignored if it was evicted or cleared).
    pub fn set_status(&mut self, seq: u64, status: u16) {
        if let Some(entry) = self.get_mut(seq) {
            entry.status = Some(status);
        }
    }

    /// Marks an entry as served by an injected fault.
    pub fn mark_fault(&mut self, seq: u64) {
        if let Some(entry) = self.get_mut(seq) {
            entry.fault = true;
        }
    }

    /// Drops every entry; in-flight requests of before the clear are not written back.
    pub fn clear(&mut self) {
        self.first_seq += self.entries.len() as u64;
        self.entries.clear();
    }

    pub fn entries(&self) -> impl Iterator<Item = &LogEntry> {
        self.entries.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> LogEntry {
        LogEntry {
            method: "GET".into(),
            path: path.into(),
            status: None,
            retry_count: None,
            time: 0,
            request_id: "req_x".into(),
            fault: false,
        }
    }

    #[test]
    fn evicts_oldest_and_keeps_sequence_numbers() {
        let mut log = RequestLog::new(2);
        let a = log.push(entry("/a"));
        let b = log.push(entry("/b"));
        let c = log.push(entry("/c"));
        log.set_status(a, 200); // evicted: ignored
        log.set_status(c, 201);
        let paths: Vec<_> = log.entries().map(|e| (e.path.clone(), e.status)).collect();
        assert_eq!(paths, vec![("/b".into(), None), ("/c".into(), Some(201))]);
        log.clear();
        log.set_status(b, 500);
        assert_eq!(log.entries().count(), 0);
        let d = log.push(entry("/d"));
        log.set_status(d, 404);
        assert_eq!(log.entries().next().unwrap().status, Some(404));
    }
}
