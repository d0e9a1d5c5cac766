//! The time the app reads. Production uses the system clock; tests move it forward to expire
//! tokens without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDateTime, SubsecRound, Utc};

#[derive(Clone, Default, Debug)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    /// Now, to the microsecond: what PostgreSQL keeps of a timestamp, so a time the app
    /// answers with is the time it stored.
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed));
        now.trunc_subsecs(6)
    }

    /// The current time as stored in the database (UTC without zone).
    pub fn now_naive(&self) -> NaiveDateTime {
        self.now().naive_utc()
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}

/// The platform's business time: China Standard Time, UTC+8 all year.
const CHINA_OFFSET_HOURS: i64 = 8;

/// A moment stored in UTC as it reads in China.
pub fn in_china(at: NaiveDateTime) -> NaiveDateTime {
    at + Duration::hours(CHINA_OFFSET_HOURS)
}

/// The day in China of a moment stored in UTC.
pub fn china_day(at: NaiveDateTime) -> chrono::NaiveDate {
    in_china(at).date()
}

/// The last day in China of a period ending at `end` (an end at midnight belongs to the day
/// before it).
pub fn china_last_day(end: NaiveDateTime) -> chrono::NaiveDate {
    china_day(end - Duration::seconds(1))
}

/// Renders a stored time as RFC 3339 UTC.
pub fn to_utc(time: NaiveDateTime) -> DateTime<Utc> {
    time.and_utc()
}
