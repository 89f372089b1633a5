//! Calendar dates for visits and measurements.
//!
//! This module owns [`Date`], a proleptic Gregorian calendar date from
//! 0001-01-01 to 9999-12-31, written and read as ISO 8601 `YYYY-MM-DD`.
//! Visits are dated to the day, and the clinical windows of the crate (the
//! 10-day SLEDAI-2K window, study days, endpoint windows) count whole days,
//! so a date type without time or time zone is the right model.
//!
//! The crate defines its own small type rather than exposing a 0.x date
//! crate in its public API. Day arithmetic uses H. Hinnant's
//! `days_from_civil` algorithm; the tests check it against `jiff`.

use std::cmp::Ordering;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The earliest date, 0001-01-01.
    ///
    /// ```
    /// assert_eq!(sledai::Date::MIN.to_string(), "0001-01-01");
    /// ```
    pub const MIN: Date = Date {
        year: 1,
        month: 1,
        day: 1,
    };

    /// The latest date, 9999-12-31.
    ///
    /// ```
    /// assert_eq!(sledai::Date::MAX.to_string(), "9999-12-31");
    /// ```
    pub const MAX: Date = Date {
        year: 9999,
        month: 12,
        day: 31,
    };

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
        Ok(Date { year, month, day })
    }

    /// The year.
    ///
    /// ```
    /// assert_eq!(sledai::Date::new(2025, 1, 2)?.year(), 2025);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn year(self) -> i32 {
        self.year as i32
    }

    /// The month, 1-12.
    ///
    /// ```
    /// assert_eq!(sledai::Date::new(2025, 1, 2)?.month(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn month(self) -> u32 {
        self.month as u32
    }

    /// The day of the month, 1-31.
    ///
    /// ```
    /// assert_eq!(sledai::Date::new(2025, 1, 2)?.day(), 2);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn day(self) -> u32 {
        self.day as u32
    }

    /// Days since 1970-01-01 (negative before).
    const fn to_days(self) -> i32 {
        // Hinnant, days_from_civil.
        let y = self.year as i32 - if self.month <= 2 { 1 } else { 0 };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i32;
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + self.day as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01, if it lies in 0001-9999.
    fn from_days(days: i32) -> Option<Date> {
        let (y, m, d) = civil_from_days(i64::from(days));
        Date::new(i32::try_from(y).ok()?, m, d).ok()
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
    pub const fn days_since(self, earlier: Date) -> i32 {
        self.to_days() - earlier.to_days()
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
    pub fn checked_add_days(self, days: i32) -> Option<Date> {
        Date::from_days(self.to_days().checked_add(days)?)
    }
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

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Date) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Date) -> Ordering {
        (self.year, self.month, self.day).cmp(&(other.year, other.month, other.day))
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
        let digit = |n: u16| b"0123456789"[usize::from(n % 10)];
        let (y, m, d) = (self.year, u16::from(self.month), u16::from(self.day));
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
/// any `days` (Hinnant's `civil_from_days`); the one calendar arithmetic of
/// the crate ([`Date`] and the messages that show a date outside its span).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // 1 <= m <= 12 and 1 <= d <= 31 by construction.
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
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
        assert_eq!(Date::new(1970, 1, 1).map(Date::to_days), Ok(0));
        assert_eq!(Date::new(2000, 3, 1).map(Date::to_days), Ok(11_017));
    }

    #[test]
    fn from_days_inverts_to_days_at_the_ends() {
        for d in [Date::MIN, Date::MAX] {
            assert_eq!(Date::from_days(d.to_days()), Some(d));
        }
        assert_eq!(Date::from_days(Date::MIN.to_days() - 1), None);
        assert_eq!(Date::from_days(Date::MAX.to_days() + 1), None);
    }
}
