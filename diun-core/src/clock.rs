//! Timestamps as the contract writes them: UTC RFC 3339 with whole seconds
//! (`2026-12-03T16:52:05Z`, the format of the Go original), without pulling a
//! date-time crate into the core for two small functions.

use std::time::{SystemTime, UNIX_EPOCH};

/// The current time as UTC RFC 3339, e.g. `2026-12-03T16:52:05Z`.
pub(crate) fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    format_unix(secs)
}

/// Formats seconds since the Unix epoch as UTC RFC 3339.
fn format_unix(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Normalises a stored timestamp to RFC 3339. The Go original wrote
/// `acknowledged_at` with SQLite's `datetime('now')`, i.e.
/// `YYYY-MM-DD HH:MM:SS` in UTC; those become `YYYY-MM-DDTHH:MM:SSZ`.
/// Anything else is returned unchanged.
pub(crate) fn normalize_timestamp(stored: String) -> String {
    let b = stored.as_bytes();
    if b.len() == 19 && b[10] == b' ' && b[4] == b'-' && b[13] == b':' {
        format!("{}T{}Z", &stored[..10], &stored[11..])
    } else {
        stored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_unix(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_unix(1_796_316_725), "2026-12-03T16:52:05Z");
    }

    #[test]
    fn sqlite_datetime_becomes_rfc3339() {
        assert_eq!(
            normalize_timestamp("2024-01-02 03:04:05".into()),
            "2024-01-02T03:04:05Z"
        );
        assert_eq!(
            normalize_timestamp("2024-01-02T03:04:05Z".into()),
            "2024-01-02T03:04:05Z"
        );
    }
}
