//! Date conversions: ISO-8601 and HTTP-dates to epoch milliseconds, without reading any clock.

use serde_json::Value;

/// Converts epoch milliseconds (a number or digit string) or an ISO-8601 string to epoch ms.
pub(crate) fn to_epoch_ms(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(i)
            } else {
                n.as_f64().filter(|f| f.is_finite() && f.abs() < 8.64e15).map(|f| f as i64)
            }
        }
        Value::String(s) => {
            let s = s.trim();
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().ok()
            } else {
                parse_iso8601(s)
            }
        }
        _ => None,
    }
}

/// Parses `YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM|±HHMM]` (no offset means UTC).
pub(crate) fn parse_iso8601(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut ms = days_from_civil(year, month, day) * 86_400_000;
    let mut i = 10;
    if i == b.len() {
        return Some(ms);
    }
    if b[i] != b'T' && b[i] != b't' && b[i] != b' ' {
        return None;
    }
    i += 1;
    let (h, m) = (num(i, 2)?, num(i + 3, 2)?);
    if b.get(i + 2) != Some(&b':') || h > 23 || m > 59 {
        return None;
    }
    ms += (h * 3600 + m * 60) * 1000;
    i += 5;
    if b.get(i) == Some(&b':') {
        let sec = num(i + 1, 2)?;
        if sec > 60 {
            return None;
        }
        ms += sec * 1000;
        i += 3;
        if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return None;
            }
            let frac = &s[start..i.min(start + 3)];
            let scale = [100, 10, 1][frac.len() - 1];
            ms += frac.parse::<i64>().ok()? * scale;
        }
    }
    match b.get(i) {
        None => Some(ms),
        Some(b'Z' | b'z') if i + 1 == b.len() => Some(ms),
        Some(&sign @ (b'+' | b'-')) => {
            let rest = &s[i + 1..];
            let (oh, om) = match rest.len() {
                5 if rest.as_bytes()[2] == b':' => (num(i + 1, 2)?, num(i + 4, 2)?),
                4 => (num(i + 1, 2)?, num(i + 3, 2)?),
                2 => (num(i + 1, 2)?, 0),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let off = (oh * 60 + om) * 60_000;
            Some(if sign == b'+' { ms - off } else { ms + off })
        }
        _ => None,
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses an HTTP-date to epoch ms: IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT` and the two
/// obsolete forms, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994`.
pub(crate) fn parse_http_date(s: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let words: Vec<&str> = s.trim().split([' ', '-', ',']).filter(|w| !w.is_empty()).collect();
    let (day, month, year, time) = match words.as_slice() {
        [_, d, m, y, t, "GMT"] => (*d, *m, *y, *t),
        [_, m, d, t, y] => (*d, *m, *y, *t),
        _ => return None,
    };
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let mut year: i64 = year.parse().ok()?;
    if year < 100 {
        year += if year < 70 { 2000 } else { 1900 }; // RFC 850's two-digit years
    }
    let day: i64 = day.parse().ok()?;
    let mut hms = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || day < 1 || day > days_in_month(year, month) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec;
    u64::try_from(secs).ok().map(|s| s * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn iso_forms() {
        let cases = [
            ("1970-01-01", Some(0)),
            ("2024-02-29T12:00:00Z", Some(1_709_208_000_000)),
            ("2024-02-29T12:00:00.123Z", Some(1_709_208_000_123)),
            ("2024-02-29T12:00:00.5Z", Some(1_709_208_000_500)),
            ("2024-02-29T14:00:00+02:00", Some(1_709_208_000_000)),
            ("2024-02-29T07:00:00-0500", Some(1_709_208_000_000)),
            ("2024-02-29T12:00", Some(1_709_208_000_000)),
            ("2023-02-29", None),
            ("2024-13-01", None),
            ("yesterday", None),
            ("2024-02-29T25:00:00Z", None),
            ("2024-02-29T12:00:00Zjunk", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_iso8601(s), want, "{s}");
        }
    }

    #[test]
    fn epoch_forms() {
        assert_eq!(to_epoch_ms(&json!(1_700_000_000_000_i64)), Some(1_700_000_000_000));
        assert_eq!(to_epoch_ms(&json!(1.5e12)), Some(1_500_000_000_000));
        assert_eq!(to_epoch_ms(&json!("1700000000000")), Some(1_700_000_000_000));
        assert_eq!(to_epoch_ms(&json!(true)), None);
        assert_eq!(to_epoch_ms(&json!(f64::MAX)), None);
    }

    #[test]
    fn http_dates() {
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777_000));
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777_000));
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(784_111_777_000));
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"), None);
        assert_eq!(parse_http_date("Sun, 31 Nov 1994 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("not a date"), None);
    }
}

/// Parses a plain non-negative decimal (`30`, `1.5`, `.5`), the only number forms rate-limit and
/// `Retry-After` headers use. Signs, exponents, `NaN` and more than 15 integer digits are `None`.
/// Hand-written so the wasm build does not carry core's float parser (several KB).
pub(crate) fn parse_decimal(s: &str) -> Option<f64> {
    let s = s.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if int.len() + frac.len() == 0 || int.len() > 15 || !digits(int) || !digits(frac) {
        return None;
    }
    let mut value = int.bytes().fold(0.0, |v, b| v * 10.0 + f64::from(b - b'0'));
    let mut scale = 1.0;
    for b in frac.bytes().take(9) {
        scale /= 10.0;
        value += f64::from(b - b'0') * scale;
    }
    Some(value)
}

#[cfg(test)]
mod decimal_tests {
    use super::parse_decimal;

    #[test]
    fn parses_plain_decimals_only() {
        for (text, want) in [("30", Some(30.0)), (" 1.5 ", Some(1.5)), (".25", Some(0.25)), ("7.", Some(7.0))] {
            assert_eq!(parse_decimal(text), want, "{text:?}");
        }
        for bad in ["", ".", "-1", "+1", "1e3", "1e400", "NaN", "inf", "0x10", "1.2.3", "1 2", "9999999999999999"] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }
}
