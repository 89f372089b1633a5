//! Calendar dates for visits and measurements.
//!
//! This module owns [`Date`], a proleptic Gregorian calendar date from
//! 0001-01-01 to 9999-12-31, written and read as ISO 8601 `YYYY-MM-DD`.
//! Visits are dated to the day, and the clinical windows of the crate (the
//! 10-day SLEDAI-2K window, study days, endpoint windows) count whole days,
//! so a date type without time or time zone is the right model.
//!
//! The crate defines its own small type rather than exposing a 0.x date
//! crate in its public API. A date is held as its day count from
//! 1970-01-01, so ordering, [`Date::days_since`] and
//! [`Date::checked_add_days`] are integer operations; the year, month and
//! day are derived from it with the calendar algorithms of C. Neri and
//! L. Schneider ("Euclidean affine functions and their application to
//! calendar algorithms", Software: Practice and Experience 53(4), 2023),
//! unsigned 32-bit multiplications and shifts only. The tests check them
//! on every day of the span against `jiff` and a day-by-day walk.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A calendar date, `YYYY-MM-DD`, from year 1 to year 9999.
///
/// # Example
///
/// ```
/// use sledai::Date;
///
/// let infusion: Date = "2024-07-01".parse()?;
/// let visit = Date::new(2024, 9, 29)?;
/// assert_eq!(visit.days_since(infusion), 90);
/// assert_eq!(infusion.checked_add_days(90), Some(visit));
/// assert_eq!(visit.to_string(), "2024-09-29");
/// assert!("2024-02-30".parse::<Date>().is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// Days since 1970-01-01 (negative before), in
    /// `MIN_DAYS..=MAX_DAYS`: the order of the counts is the calendar's.
    days: i32,
}

/// The day count of 0001-01-01.
const MIN_DAYS: i32 = -719_162;
/// The day count of 9999-12-31.
const MAX_DAYS: i32 = 2_932_896;

/// The day count of 1970-01-01 in the computational calendar of the
/// conversions (day 0 is 0000-03-01: years begin in March, so the leap
/// day ends a year).
const EPOCH_SHIFT: u32 = 719_468;

impl Date {
    /// The earliest date, 0001-01-01.
    ///
    /// ```
    /// assert_eq!(sledai::Date::MIN.to_string(), "0001-01-01");
    /// ```
    pub const MIN: Date = Date { days: MIN_DAYS };

    /// The latest date, 9999-12-31.
    ///
    /// ```
    /// assert_eq!(sledai::Date::MAX.to_string(), "9999-12-31");
    /// ```
    pub const MAX: Date = Date { days: MAX_DAYS };

    /// A date from its parts.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDate`] when the year is outside 1-9999, the month
    /// outside 1-12 or the day does not exist in that month.
    ///
    /// ```
    /// use sledai::Date;
    /// assert!(Date::new(2024, 2, 29).is_ok());
    /// assert!(Date::new(2023, 2, 29).is_err());
    /// ```
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, Error> {
        let bad = |reason| Error::InvalidDate {
            field: "date",
            value: format!("{year:04}-{month:02}-{day:02}").into(),
            reason,
        };
        let year = u16::try_from(year)
            .ok()
            .filter(|y| (1..=9999).contains(y))
            .ok_or_else(|| bad("year must be 1 to 9999"))?;
        let month = u8::try_from(month)
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or_else(|| bad("month must be 1 to 12"))?;
        let day = u8::try_from(day)
            .ok()
            .filter(|&d| d >= 1 && d <= days_in_month(year, month))
            .ok_or_else(|| bad("no such day in that month"))?;
        Ok(Date {
            days: days_from_civil(u32::from(year), u32::from(month), u32::from(day)),
        })
    }

    /// The year.
    ///
    /// ```
    /// assert_eq!(sledai::Date::new(2025, 1, 2)?.year(), 2025);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[inline]
    pub const fn year(self) -> i32 {
        self.civil().0 as i32
    }

    /// The month, 1-12.
    ///
    /// ```
    /// assert_eq!(sledai::Date::new(2025, 1, 2)?.month(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[inline]
    pub const fn month(self) -> u32 {
        self.civil().1
    }

    /// The day of the month, 1-31.
    ///
    /// ```
    /// assert_eq!(sledai::Date::new(2025, 1, 2)?.day(), 2);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[inline]
    pub const fn day(self) -> u32 {
        self.civil().2
    }

    /// (year 1-9999, month 1-12, day 1-31).
    #[inline]
    // MIN_DAYS + EPOCH_SHIFT > 0: the sum is not negative.
    #[allow(clippy::cast_sign_loss)]
    const fn civil(self) -> (u32, u32, u32) {
        civil_from_shifted((self.days + EPOCH_SHIFT as i32) as u32)
    }

    /// Days since 1970-01-01 (negative before): the representation. For the
    /// table layer, whose date columns hold day counts.
    #[inline]
    pub(crate) const fn epoch_days(self) -> i32 {
        self.days
    }

    /// The date `days` after 1970-01-01, if it lies in 0001-9999: a range
    /// check, no calendar arithmetic.
    #[inline]
    pub(crate) fn from_epoch_days(days: i64) -> Option<Date> {
        i32::try_from(days)
            .ok()
            .filter(|d| (MIN_DAYS..=MAX_DAYS).contains(d))
            .map(|days| Date { days })
    }

    /// The number of days from `earlier` to `self` (negative when `self` is
    /// before `earlier`).
    ///
    /// ```
    /// use sledai::Date;
    /// let a = Date::new(2024, 2, 28)?;
    /// let b = Date::new(2024, 3, 1)?;
    /// assert_eq!(b.days_since(a), 2); // 2024 is a leap year
    /// assert_eq!(a.days_since(b), -2);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[inline]
    pub const fn days_since(self, earlier: Date) -> i32 {
        // Both in MIN_DAYS..=MAX_DAYS: the difference fits an i32.
        self.epoch_days() - earlier.epoch_days()
    }

    /// The date `days` later (earlier when negative), or `None` outside
    /// 0001-01-01 to 9999-12-31.
    ///
    /// ```
    /// use sledai::Date;
    /// let d = Date::new(2024, 12, 31)?;
    /// assert_eq!(d.checked_add_days(1), Some(Date::new(2025, 1, 1)?));
    /// assert_eq!(Date::MAX.checked_add_days(1), None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[inline]
    pub fn checked_add_days(self, days: i32) -> Option<Date> {
        Date::from_epoch_days(i64::from(self.days) + i64::from(days))
    }
}

/// The day count of a valid (year 1-9999, month, day): Neri-Schneider's
/// `to_rata_die`, on the computational calendar (years from March).
#[inline]
const fn days_from_civil(year: u32, month: u32, day: u32) -> i32 {
    let jan_feb = month <= 2;
    // year >= 1, so the computational year is >= 0.
    let y = year - jan_feb as u32;
    let m = if jan_feb { month + 12 } else { month };
    let c = y / 100;
    let y_star = 1461 * y / 4 - c + c / 4;
    let m_star = (979 * m - 2919) / 32;
    let n = y_star + m_star + day - 1;
    // n < 2^31 for years up to 9999.
    n as i32 - EPOCH_SHIFT as i32
}

/// (year, month, day) of day `n` of the computational calendar (day 0 is
/// 0000-03-01): Neri-Schneider's `to_date`. Exact for every `n` whose
/// products fit: `n` below about 1.07e9 (the span of [`Date`] is below
/// 3.7e6).
#[inline]
// `p2 as u32` is the remainder mod 2^32 the algorithm divides.
#[allow(clippy::cast_possible_truncation)]
const fn civil_from_shifted(n: u32) -> (u32, u32, u32) {
    // Century and day of the century.
    let n1 = 4 * n + 3;
    let c = n1 / 146_097;
    let nc = n1 % 146_097 / 4;
    // Year of the century and day of the year.
    let n2 = 4 * nc + 3;
    let p2 = 2_939_745u64 * n2 as u64;
    let z = (p2 >> 32) as u32;
    let ny = (p2 as u32) / 2_939_745 / 4;
    let y = 100 * c + z;
    // Month (March = 3 to February = 14) and day.
    let n3 = 2141 * ny + 197_913;
    let m = n3 >> 16;
    let d = (n3 & 0xFFFF) / 2141;
    // Back to January-based years.
    let jan_feb = ny >= 306;
    (y + jan_feb as u32, if jan_feb { m - 12 } else { m }, d + 1)
}

const fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Debug for Date {
    /// `Date { year: 2024, month: 9, day: 29 }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.civil();
        f.debug_struct("Date")
            .field("year", &year)
            .field("month", &month)
            .field("day", &day)
            .finish()
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD` (the year is 1-9999, so always four digits). Written as
    /// one string, without the formatting machinery: dates are printed for
    /// every visit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.iso_bytes().as_str())
    }
}

/// The ten ASCII bytes of an ISO date.
struct IsoBytes([u8; 10]);

impl IsoBytes {
    fn as_str(&self) -> &str {
        // Only ASCII digits and '-' are written.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl Date {
    fn iso_bytes(self) -> IsoBytes {
        let digit = |n: u32| b"0123456789"[(n % 10) as usize];
        let (y, m, d) = self.civil();
        IsoBytes([
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ])
    }
}

impl FromStr for Date {
    type Err = Error;

    /// Parses exactly `YYYY-MM-DD` (ISO 8601 extended calendar date).
    fn from_str(s: &str) -> Result<Date, Error> {
        let bad = |reason| Error::InvalidDate {
            field: "date",
            value: s.to_owned().into(),
            reason,
        };
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(bad("expected YYYY-MM-DD"));
        }
        let num = |r: std::ops::Range<usize>| {
            b[r].iter()
                .fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'))
        };
        let year = i32::try_from(num(0..4)).map_err(|_| bad("expected YYYY-MM-DD"))?;
        Date::new(year, num(5..7), num(8..10)).map_err(|e| match e {
            Error::InvalidDate { reason, .. } => bad(reason),
            other => other,
        })
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date as YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// The proleptic Gregorian (year, month, day) `days` after 1970-01-01, for
/// any `days`: the messages that show a date outside [`Date`]'s span. The
/// calendar repeats every 400 years (146,097 days), so the day is moved
/// into the 400 years from 1970-01-01 by whole cycles, converted as a
/// [`Date`] is, and the cycles added back to its year: one calendar
/// arithmetic for the crate.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let cycles = days.div_euclid(146_097);
    // 0 <= rest < 146,097, so rest + EPOCH_SHIFT fits a u32 and its date
    // lies in 1970-2369.
    let rest = u32::try_from(days.rem_euclid(146_097)).unwrap_or(0);
    let (y, m, d) = civil_from_shifted(rest + EPOCH_SHIFT);
    (i64::from(y) + cycles * 400, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ISO text is the zero-padded year, month and day (ISO 8601
    /// extended calendar date), for every day of years with 1 to 4 digits,
    /// and it parses back to the same date.
    #[test]
    fn display_is_zero_padded_iso_and_parses_back() {
        for year in [1, 9, 10, 99, 100, 999, 1000, 1970, 2000, 2024, 9999] {
            let mut d = Date::new(year, 1, 1).expect("valid");
            while d.year() == year {
                let text = d.to_string();
                let expected = format!("{:04}-{:02}-{:02}", year, d.month(), d.day());
                assert_eq!(text, expected);
                assert_eq!(text.parse::<Date>(), Ok(d));
                match d.checked_add_days(1) {
                    Some(next) => d = next,
                    None => break,
                }
            }
        }
    }

    #[test]
    fn epoch_is_day_zero() {
        // Independent facts: 1970-01-01 is day 0; 2000-03-01 is 30 years
        // of 365 days, 7 leap days, and January and February 2000 later.
        assert_eq!(Date::new(1970, 1, 1).map(Date::epoch_days), Ok(0));
        assert_eq!(
            Date::new(2000, 3, 1).map(Date::epoch_days),
            Ok(30 * 365 + 7 + 31 + 29)
        );
        assert_eq!(Date::new(1969, 12, 31).map(Date::epoch_days), Ok(-1));
    }

    #[test]
    fn the_ends_are_the_span() {
        for d in [Date::MIN, Date::MAX] {
            assert_eq!(Date::from_epoch_days(d.epoch_days().into()), Some(d));
        }
        assert_eq!(Date::new(1, 1, 1), Ok(Date::MIN));
        assert_eq!(Date::new(9999, 12, 31), Ok(Date::MAX));
        assert_eq!(Date::from_epoch_days(i64::from(MIN_DAYS) - 1), None);
        assert_eq!(Date::from_epoch_days(i64::from(MAX_DAYS) + 1), None);
        assert_eq!(Date::from_epoch_days(i64::MAX), None);
        assert_eq!(Date::MIN.checked_add_days(-1), None);
        assert_eq!(Date::MAX.checked_add_days(i32::MAX), None);
        assert_eq!(Date::MAX.checked_add_days(i32::MIN), None);
    }

    /// Every day of the span, walked one day at a time from 0001-01-01 by
    /// the rules of the calendar written here (month lengths, leap years),
    /// agrees with the conversions both ways, with the Debug form, and
    /// with `civil_from_days` (also 400-year cycles either side of the span).
    #[test]
    fn every_day_of_the_span_agrees_with_a_day_by_day_walk() {
        let (mut y, mut m, mut d) = (1u32, 1u32, 1u32);
        for days in MIN_DAYS..=MAX_DAYS {
            let date = Date::from_epoch_days(days.into()).expect("in the span");
            assert_eq!(date.civil(), (y, m, d), "day {days}");
            assert_eq!(days_from_civil(y, m, d), days);
            let cycle = i64::from(days) + 146_097 * 7;
            assert_eq!(civil_from_days(cycle), (i64::from(y) + 2800, m, d));
            let cycle = i64::from(days) - 146_097 * 9;
            assert_eq!(civil_from_days(cycle), (i64::from(y) - 3600, m, d));
            // The next day, by the walk.
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let len = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            d += 1;
            if d > len {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
        assert_eq!((y, m, d), (10_000, 1, 1));
        assert_eq!(
            format!("{:?}", Date::MAX),
            "Date { year: 9999, month: 12, day: 31 }"
        );
    }
}
