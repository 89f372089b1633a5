//! The output contract of `sledai score` (see `docs/cli.md`, "Output").
//!
//! Every value comes from the core's [`VisitResult`]: JSON Lines is its
//! serde form, byte for byte; CSV is a flat selection of the same values.
//! Nothing is computed here.

use sledai::target::{Criterion, CriterionResult};
use sledai::visit::VisitResult;
use sledai::{Date, Score, ScoreRange};

use crate::error::CliError;
use crate::input::Output;

/// The LLDAS criteria, in CSV column order (Franklyn 2016, criteria 1-5).
const LLDAS_CRITERIA: [Criterion; 5] = [
    Criterion::LldasActivity,
    Criterion::LldasNoNewActivity,
    Criterion::LldasPga,
    Criterion::LldasGlucocorticoid,
    Criterion::LldasMaintenance,
];

/// The DORIS criteria, in CSV column order.
const DORIS_CRITERIA: [Criterion; 3] = [
    Criterion::DorisClinicalSledai,
    Criterion::DorisPga,
    Criterion::DorisGlucocorticoid,
];

/// The CSV output columns, in order. A stable contract: new columns are only
/// ever appended (before `error`, which stays last).
pub(crate) const CSV_COLUMNS: [&str; 42] = [
    "id",
    "patient",
    "date",
    "sledai_2k",
    "sledai_2k_min",
    "sledai_2k_max",
    "clinical_sledai_2k",
    "clinical_sledai_2k_min",
    "clinical_sledai_2k_max",
    "missing",
    "prednisone_equivalent_mg_per_day",
    "lldas",
    "lldas_activity",
    "lldas_no_new_activity",
    "lldas_pga",
    "lldas_glucocorticoid",
    "lldas_maintenance",
    "doris",
    "doris_clinical_sledai",
    "doris_pga",
    "doris_glucocorticoid",
    "lab_conflicts",
    "baseline_date",
    "change_from_baseline",
    "change_from_baseline_min",
    "change_from_baseline_max",
    "percent_change_from_baseline",
    "bilag_numeric",
    "bilag_new_a",
    "bilag_new_b",
    "bilag_flare",
    "bicla",
    "sri_4",
    "sri_5",
    "sri_6",
    "sri_7",
    "sri_8",
    "doris_2017_clinical_on_treatment",
    "doris_2017_complete_on_treatment",
    "doris_2017_clinical_off_treatment",
    "doris_2017_complete_off_treatment",
    "error",
];

/// The input fields echoed in an error record.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Echo<'a> {
    pub(crate) id: Option<&'a str>,
    pub(crate) patient: Option<&'a str>,
    pub(crate) date: Option<Date>,
}

/// Where output records go.
pub(crate) trait Sink {
    /// One assessed visit.
    fn visit(&mut self, result: &VisitResult) -> Result<(), CliError>;
    /// One record that could not be read or assessed (`--on-error report`).
    fn error(&mut self, echo: &Echo<'_>, message: &str) -> Result<(), CliError>;
    /// Flushes everything written.
    fn flush(&mut self) -> Result<(), CliError>;
}

/// Writes a small unsigned integer in decimal.
#[inline]
fn push_u8(buf: &mut Vec<u8>, n: u8) {
    if n >= 100 {
        buf.push(b'0' + n / 100);
    }
    if n >= 10 {
        buf.push(b'0' + (n / 10) % 10);
    }
    buf.push(b'0' + n % 10);
}

/// Writes a date as `YYYY-MM-DD`, the ISO form of `Date`'s Display (the
/// year is 1-9999), without the formatting machinery.
fn push_date(buf: &mut Vec<u8>, d: Date) {
    let digit = |n: u32| b"0123456789"[(n % 10) as usize];
    let (y, m, day) = (d.year().unsigned_abs(), d.month(), d.day());
    buf.extend_from_slice(&[
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ]);
}

/// Writes a signed integer in decimal.
fn push_i32(buf: &mut Vec<u8>, n: i32) {
    if n < 0 {
        buf.push(b'-');
    }
    let mut digits = [0u8; 10];
    let mut k = digits.len();
    let mut v = n.unsigned_abs();
    loop {
        k -= 1;
        digits[k] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[k..]);
}

/// A JSON value as the JSON output writes it (numbers in serde_json's
/// shortest round-trip form), so CSV and JSON Lines show the same digits.
fn push_json<T: serde::Serialize + ?Sized>(buf: &mut Vec<u8>, value: &T) {
    // Serializing a number or string into a Vec cannot fail.
    let _ = serde_json::to_writer(buf, value);
}

/// JSON Lines: one object per line, the serde form of [`VisitResult`].
pub(crate) struct JsonLines<'a> {
    out: &'a mut Output,
    buf: Vec<u8>,
}

impl<'a> JsonLines<'a> {
    pub(crate) fn new(out: &'a mut Output) -> Self {
        JsonLines {
            out,
            buf: Vec::with_capacity(2048),
        }
    }
}

/// The start of an error record: `{"id":...,"patient":...,"date":...,`.
fn json_echo(buf: &mut Vec<u8>, echo: &Echo<'_>) {
    buf.push(b'{');
    if let Some(id) = echo.id {
        buf.extend_from_slice(b"\"id\":");
        push_json(buf, id);
        buf.push(b',');
    }
    if let Some(p) = echo.patient {
        buf.extend_from_slice(b"\"patient\":");
        push_json(buf, p);
        buf.push(b',');
    }
    if let Some(d) = echo.date {
        buf.extend_from_slice(b"\"date\":\"");
        push_date(buf, d);
        buf.extend_from_slice(b"\",");
    }
}

/// Writes `{"error": message}` after the echoed fields.
pub(crate) fn json_error_record(buf: &mut Vec<u8>, echo: &Echo<'_>, message: &str) {
    json_echo(buf, echo);
    buf.extend_from_slice(b"\"error\":");
    push_json(buf, message);
    buf.extend_from_slice(b"}\n");
}

impl Sink for JsonLines<'_> {
    fn visit(&mut self, r: &VisitResult) -> Result<(), CliError> {
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, r)
            .map_err(|e| self.out.error(std::io::Error::other(e)))?;
        self.buf.push(b'\n');
        self.out.write_record(&self.buf)
    }

    fn error(&mut self, echo: &Echo<'_>, message: &str) -> Result<(), CliError> {
        self.buf.clear();
        json_error_record(&mut self.buf, echo, message);
        self.out.write_record(&self.buf)
    }

    fn flush(&mut self) -> Result<(), CliError> {
        self.out.flush()
    }
}

/// Appends a CSV field, quoted as RFC 4180 requires (when it holds a comma,
/// a double quote, CR or LF; quotes doubled).
pub(crate) fn push_csv_text(buf: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        buf.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

/// CSV: a header of [`CSV_COLUMNS`], then one row per visit; a field that
/// does not apply is empty. Lines end in LF.
pub(crate) struct Csv<'a> {
    out: &'a mut Output,
    buf: Vec<u8>,
}

impl<'a> Csv<'a> {
    pub(crate) fn new(out: &'a mut Output) -> Result<Self, CliError> {
        let mut header = CSV_COLUMNS.join(",");
        header.push('\n');
        out.write_header(header.as_bytes())?;
        Ok(Csv {
            out,
            buf: Vec::with_capacity(512),
        })
    }

    fn echo(&mut self, echo: &Echo<'_>) {
        self.buf.clear();
        if let Some(id) = echo.id {
            push_csv_text(&mut self.buf, id);
        }
        self.buf.push(b',');
        if let Some(p) = echo.patient {
            push_csv_text(&mut self.buf, p);
        }
        self.buf.push(b',');
        if let Some(d) = echo.date {
            push_date(&mut self.buf, d);
        }
    }

    /// `,exact,,` or `,,min,max`.
    fn total(&mut self, exact: Option<Score>, range: Option<ScoreRange>) {
        match (exact, range) {
            (Some(s), _) => {
                self.buf.push(b',');
                push_u8(&mut self.buf, s.get());
                self.buf.extend_from_slice(b",,");
            }
            (None, Some(r)) => {
                self.buf.extend_from_slice(b",,");
                push_u8(&mut self.buf, r.min().get());
                self.buf.push(b',');
                push_u8(&mut self.buf, r.max().get());
            }
            (None, None) => self.buf.extend_from_slice(b",,,"),
        }
    }

    fn criteria(&mut self, wanted: &[Criterion], got: &[CriterionResult]) {
        for c in wanted {
            self.buf.push(b',');
            if let Some(r) = got.iter().find(|r| r.criterion() == *c) {
                self.buf.extend_from_slice(r.state().id().as_bytes());
            }
        }
    }
}

impl Sink for Csv<'_> {
    fn visit(&mut self, r: &VisitResult) -> Result<(), CliError> {
        self.echo(&Echo {
            id: r.id.as_deref(),
            patient: r.patient.as_deref(),
            date: r.date,
        });
        self.total(r.sledai_2k, r.sledai_2k_range);
        self.total(r.clinical_sledai_2k, r.clinical_sledai_2k_range);
        self.buf.push(b',');
        for (i, d) in r.missing.iter().enumerate() {
            if i > 0 {
                self.buf.push(b';');
            }
            self.buf.extend_from_slice(d.id().as_bytes());
        }
        self.buf.push(b',');
        if let Some(p) = &r.prednisone_equivalent_mg_per_day {
            push_json(&mut self.buf, p);
        }
        self.buf.push(b',');
        self.buf.extend_from_slice(r.lldas.state().id().as_bytes());
        self.criteria(&LLDAS_CRITERIA, r.lldas.criteria());
        self.buf.push(b',');
        self.buf.extend_from_slice(r.doris.state().id().as_bytes());
        self.criteria(&DORIS_CRITERIA, r.doris.criteria());
        self.buf.push(b',');
        for (i, c) in r.lab_conflicts.iter().enumerate() {
            if i > 0 {
                self.buf.push(b';');
            }
            self.buf.extend_from_slice(c.descriptor.id().as_bytes());
        }
        self.buf.push(b',');
        if let Some(d) = r.baseline_date {
            push_date(&mut self.buf, d);
        }
        match r.change_from_baseline {
            Some(c) => {
                self.buf.push(b',');
                if let Some(a) = c.absolute() {
                    push_i32(&mut self.buf, a.into());
                    self.buf.extend_from_slice(b",,");
                } else {
                    self.buf.push(b',');
                    push_i32(&mut self.buf, c.min().into());
                    self.buf.push(b',');
                    push_i32(&mut self.buf, c.max().into());
                }
                self.buf.push(b',');
                if let Some(p) = c.percent() {
                    push_json(&mut self.buf, &p);
                }
            }
            None => self.buf.extend_from_slice(b",,,,"),
        }
        // Issue 14: BILAG-2004, BICLA, SRI-k, DORIS 2017 (empty when absent
        // or not an integer).
        self.buf.push(b',');
        if let Some(n) = r.bilag_numeric.and_then(|n| n.exact()) {
            push_u8(&mut self.buf, n);
        }
        for count in [
            r.bilag_new.and_then(|c| c.new_a.exact()),
            r.bilag_new.and_then(|c| c.new_b.exact()),
        ] {
            self.buf.push(b',');
            if let Some(n) = count {
                push_u8(&mut self.buf, n);
            }
        }
        self.buf.push(b',');
        if let Some(f) = r.bilag_flare {
            self.buf.extend_from_slice(f.as_str().as_bytes());
        }
        self.buf.push(b',');
        if let Some(b) = &r.bicla {
            self.buf.extend_from_slice(b.state().id().as_bytes());
        }
        for k in 0..5 {
            self.buf.push(b',');
            if let Some(sri) = &r.sri {
                self.buf.extend_from_slice(sri[k].state().id().as_bytes());
            }
        }
        for d in &r.doris_2017 {
            self.buf.push(b',');
            self.buf.extend_from_slice(d.state().id().as_bytes());
        }
        // The empty `error` field.
        self.buf.extend_from_slice(b",\n");
        self.out.write_record(&self.buf)
    }

    fn error(&mut self, echo: &Echo<'_>, message: &str) -> Result<(), CliError> {
        self.echo(echo);
        // Empty result fields, then `error`.
        for _ in 3..CSV_COLUMNS.len() {
            self.buf.push(b',');
        }
        push_csv_text(&mut self.buf, message);
        self.buf.push(b'\n');
        self.out.write_record(&self.buf)
    }

    fn flush(&mut self) -> Result<(), CliError> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_is_quoted_only_when_needed() {
        let mut buf = Vec::new();
        push_csv_text(&mut buf, "plain id");
        buf.push(b'|');
        push_csv_text(&mut buf, "a,b \"q\"\nz");
        assert_eq!(buf, b"plain id|\"a,b \"\"q\"\"\nz\"");
        // The csv crate reads back what was written.
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&b"\"a,b \"\"q\"\"\nz\",x\n"[..]);
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(&rec[0], "a,b \"q\"\nz");
    }

    #[test]
    fn push_i32_and_push_date_write_what_display_writes() {
        for n in [0, 1, -1, 9, -10, 105, -105, i32::MAX, i32::MIN] {
            let mut b = Vec::new();
            push_i32(&mut b, n);
            assert_eq!(String::from_utf8(b).unwrap(), n.to_string());
        }
        for (y, m, d) in [(1, 1, 1), (999, 12, 31), (2024, 2, 29), (9999, 12, 31)] {
            let date = Date::new(y, m, d).unwrap();
            let mut b = Vec::new();
            push_date(&mut b, date);
            assert_eq!(String::from_utf8(b).unwrap(), date.to_string());
        }
    }

    #[test]
    fn push_u8_writes_decimal() {
        for n in [0u8, 7, 10, 99, 100, 105, 255] {
            let mut b = Vec::new();
            push_u8(&mut b, n);
            assert_eq!(String::from_utf8(b).unwrap(), n.to_string());
        }
    }

    #[test]
    fn criteria_columns_are_the_core_ids() {
        for c in LLDAS_CRITERIA.iter().chain(&DORIS_CRITERIA) {
            assert!(CSV_COLUMNS.contains(&c.id()), "{c}");
        }
        assert_eq!(CSV_COLUMNS.last(), Some(&"error"));
    }
}
