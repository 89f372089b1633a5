//! The output contract of `sledai score` (see `docs/cli.md`, "Output"),
//! and the writers every command shares.
//!
//! Every value comes from the core's [`VisitResult`]: JSON Lines is its
//! serde form, byte for byte; CSV is a flat selection of the same values.
//! Nothing is computed here. CSV is written from a layout of the core
//! ([`sledai::table::output`]: [`csv_header`], [`push_cells`],
//! [`csv_row`]) and JSON Lines from a result's serde form
//! ([`write_json_line`]), the same code for `score`, `cohort` and `adam`.

use sledai::Date;
use sledai::table::output::{self, Cell, OutputColumn};
use sledai::visit::VisitResult;

use crate::error::CliError;
use crate::input::Output;

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
fn push_i64(buf: &mut Vec<u8>, n: i64) {
    if let Ok(small) = u8::try_from(n) {
        push_u8(buf, small);
        return;
    }
    if n < 0 {
        buf.push(b'-');
    }
    let mut digits = [0u8; 20];
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

/// Writes a number as the JSON output writes it ([`push_json`]), with a
/// shortcut for a number of whole tenths below 10^9 (a dose such as `7.5`,
/// most percent changes are not): its shortest round-trip form, the one
/// serde_json writes, is its integer part, `.` and the tenth.
fn push_number(buf: &mut Vec<u8>, x: f64) {
    let a = x.abs();
    let tenths = a * 10.0;
    // `tenths` is a whole number below 1e10, so the cast is exact, and
    // `a` is exactly the double nearest n/10 (an exact comparison is the
    // point): no shorter decimal gives it back.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::float_cmp
    )]
    if a < 1e9 && tenths.fract() == 0.0 && tenths / 10.0 == a {
        let n = tenths as u64;
        if x.is_sign_negative() {
            buf.push(b'-');
        }
        push_i64(buf, i64::try_from(n / 10).unwrap_or_default());
        buf.push(b'.');
        buf.push(b'0' + (n % 10) as u8);
    } else {
        push_json(buf, &x);
    }
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
        write_json_line(self.out, &mut self.buf, r)
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

/// One cell of the core's layout as CSV text: empty when it does not
/// apply, text quoted as RFC 4180 requires, identifiers joined by `;`,
/// numbers as the JSON output writes them, states by their identifier.
pub(crate) fn push_cell(buf: &mut Vec<u8>, cell: Cell<'_>, states: &[&str]) {
    match cell {
        Cell::Text(t) => push_csv_text(buf, t),
        Cell::List(ids) => {
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    buf.push(b';');
                }
                buf.extend_from_slice(id.as_bytes());
            }
        }
        Cell::Date(d) => push_date(buf, d),
        Cell::Integer(n) => push_i64(buf, n),
        Cell::Number(x) => push_number(buf, x),
        Cell::Boolean(b) => buf.extend_from_slice(if b { b"true" } else { b"false" }),
        Cell::State(c) => {
            if let Some(s) = states.get(usize::from(c)) {
                buf.extend_from_slice(s.as_bytes());
            }
        }
        // Empty, and any kind of cell the core may add later.
        _ => {}
    }
}

/// A CSV header line: the column names, quoted as RFC 4180 requires.
pub(crate) fn csv_header<'n>(buf: &mut Vec<u8>, names: impl IntoIterator<Item = &'n str>) {
    for (i, name) in names.into_iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        push_csv_text(buf, name);
    }
    buf.push(b'\n');
}

/// The cells of one result in a layout of the core
/// ([`sledai::table::output`]), as CSV fields joined by `,` (no line end).
pub(crate) fn push_cells<R>(buf: &mut Vec<u8>, columns: &[OutputColumn<R>], result: &R) {
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        push_cell(buf, c.cell(result), c.states());
    }
}

/// One CSV line (LF-terminated) of a result in a layout of the core.
pub(crate) fn csv_row<R>(buf: &mut Vec<u8>, columns: &[OutputColumn<R>], result: &R) {
    push_cells(buf, columns, result);
    buf.push(b'\n');
}

/// Writes one JSON Lines record: the serde form of a core result, then LF.
pub(crate) fn write_json_line<T: serde::Serialize + ?Sized>(
    out: &mut Output,
    buf: &mut Vec<u8>,
    value: &T,
) -> Result<(), CliError> {
    buf.clear();
    serde_json::to_writer(&mut *buf, value)
        .map_err(std::io::Error::other)
        .map_err(|e| out.error(e))?;
    buf.push(b'\n');
    out.write_record(buf)
}

/// A state identifier of a column's vocabulary in a fixed 16-byte chunk:
/// written as one fixed-size copy and a truncation, which the compiler
/// inlines, instead of a call to `memcpy` for a few bytes (a visit row has
/// 20 state cells).
#[derive(Debug, Clone, Copy)]
struct Padded {
    bytes: [u8; 16],
    len: usize,
}

/// The identifiers of a vocabulary as [`Padded`] chunks; empty when one
/// does not fit (its cells are then written by [`push_cell`]).
fn padded(states: &[&str]) -> Vec<Padded> {
    if states.iter().any(|s| s.len() > 16) {
        return Vec::new();
    }
    states
        .iter()
        .map(|s| {
            let mut bytes = [0u8; 16];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Padded {
                bytes,
                len: s.len(),
            }
        })
        .collect()
}

/// CSV: a header of the output columns (the core's visit layout, or the
/// `--columns` selection of it) and `error`, then one row per visit; a
/// field that does not apply is empty. Lines end in LF.
pub(crate) struct Csv<'a> {
    out: &'a mut Output,
    buf: Vec<u8>,
    columns: Vec<&'static OutputColumn<VisitResult>>,
    /// Each column's vocabulary as [`Padded`] chunks.
    states: Vec<Vec<Padded>>,
}

impl<'a> Csv<'a> {
    pub(crate) fn new(
        out: &'a mut Output,
        columns: Vec<&'static OutputColumn<VisitResult>>,
    ) -> Result<Self, CliError> {
        let mut header = Vec::new();
        csv_header(
            &mut header,
            columns
                .iter()
                .map(|c| c.name())
                .chain([output::ERROR_COLUMN]),
        );
        out.write_header(&header)?;
        Ok(Csv {
            out,
            buf: Vec::with_capacity(512),
            states: columns.iter().map(|c| padded(c.states())).collect(),
            columns,
        })
    }

    /// The result cells of an error record: the echoed input fields in
    /// their columns (the layout's first three: `id`, `patient`, `date`),
    /// every other one empty.
    fn echo(&mut self, echo: &Echo<'_>) {
        self.buf.clear();
        let layout = output::visit_columns();
        for (i, c) in self.columns.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            if std::ptr::eq(*c, &layout[0]) {
                if let Some(id) = echo.id {
                    push_csv_text(&mut self.buf, id);
                }
            } else if std::ptr::eq(*c, &layout[1]) {
                if let Some(p) = echo.patient {
                    push_csv_text(&mut self.buf, p);
                }
            } else if std::ptr::eq(*c, &layout[2]) {
                if let Some(d) = echo.date {
                    push_date(&mut self.buf, d);
                }
            }
        }
    }
}

impl Sink for Csv<'_> {
    fn visit(&mut self, r: &VisitResult) -> Result<(), CliError> {
        self.buf.clear();
        // `push_cells`, with the state cells copied from their chunks.
        let buf = &mut self.buf;
        for (i, (c, states)) in self.columns.iter().zip(&self.states).enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            let cell = c.cell(r);
            match cell {
                Cell::State(code) => {
                    if let Some(p) = states.get(usize::from(code)) {
                        let at = buf.len();
                        buf.extend_from_slice(&p.bytes);
                        buf.truncate(at + p.len);
                        continue;
                    }
                }
                // About half the cells of a row: nothing to write, no call.
                Cell::Empty => continue,
                _ => {}
            }
            push_cell(buf, cell, c.states());
        }
        // The empty `error` field.
        self.buf.extend_from_slice(b",\n");
        self.out.write_record(&self.buf)
    }

    fn error(&mut self, echo: &Echo<'_>, message: &str) -> Result<(), CliError> {
        self.echo(echo);
        self.buf.push(b',');
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
    fn push_i64_and_push_date_write_what_display_writes() {
        for n in [0, 1, -1, 9, -10, 105, -105, 255, 256, i64::MAX, i64::MIN] {
            let mut b = Vec::new();
            push_i64(&mut b, n);
            assert_eq!(String::from_utf8(b).unwrap(), n.to_string());
        }
        for (y, m, d) in [(1, 1, 1), (999, 12, 31), (2024, 2, 29), (9999, 12, 31)] {
            let date = Date::new(y, m, d).unwrap();
            let mut b = Vec::new();
            push_date(&mut b, date);
            assert_eq!(String::from_utf8(b).unwrap(), date.to_string());
        }
    }

    /// The number shortcut writes what serde_json writes, on every whole
    /// number of tenths from -100,000 to 100,000, at the 10^9 edge, on
    /// signed zeros, thirds, tiny and huge values, and on pseudo-random
    /// doubles of every magnitude.
    #[test]
    fn push_number_writes_what_serde_json_writes() {
        let check = |x: f64| {
            let mut ours = Vec::new();
            push_number(&mut ours, x);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(&x).unwrap(),
                "{x:e}"
            );
        };
        for n in -1_000_000..=1_000_000 {
            check(f64::from(n) / 10.0);
            check(f64::from(n) * 0.1);
        }
        for x in [
            0.0,
            -0.0,
            1e9,
            1e9 - 0.1,
            -(1e9 - 0.1),
            999_999_999.9,
            1e9 + 0.5,
            1e15,
            1e16,
            1e-5,
            1e-7,
            1.0 / 3.0,
            -200.0 / 3.0,
            0.30000000000000004,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::EPSILON,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            check(x);
        }
        // xorshift64: doubles of every exponent and sign.
        let mut s = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..200_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            check(f64::from_bits(s));
            check((f64::from_bits(s >> 12 | 0x3FF0_0000_0000_0000) - 1.0) * 1e4);
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
    fn padded_states_hold_each_identifier() {
        for c in output::visit_columns() {
            let p = padded(c.states());
            assert_eq!(p.len(), c.states().len(), "{}", c.name());
            for (p, s) in p.iter().zip(c.states()) {
                assert_eq!(&p.bytes[..p.len], s.as_bytes());
            }
        }
        assert!(padded(&["a_state_longer_than_16"]).is_empty());
    }
}
