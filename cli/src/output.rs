//! The output contract of `sledai score`: what is computed per visit and
//! how it is written as JSON Lines or CSV (see `docs/cli.md`, "Output").
//!
//! Every number comes from the core: [`Assessment::score`] and
//! [`Assessment::clinical_score`] give the total of a complete assessment or,
//! for an incomplete one, the range it can still take
//! ([`sledai::Error::IncompleteAssessment`]). Nothing is scored here.

use std::io::{self, Write};

use sledai::{Assessment, Date, DescriptorSet, Score};

/// The CSV output columns, in order. A stable contract: new columns are only
/// ever appended (before `error`, which stays last).
pub(crate) const CSV_COLUMNS: [&str; 11] = [
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
    "error",
];

/// A total: exact for a complete assessment, else the range it can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Total {
    Exact(u8),
    Range { min: u8, max: u8 },
}

impl Total {
    fn from_result(r: Result<Score, sledai::Error>) -> Result<Total, sledai::Error> {
        match r {
            Ok(s) => Ok(Total::Exact(s.get())),
            Err(sledai::Error::IncompleteAssessment { range, .. }) => Ok(Total::Range {
                min: range.min().get(),
                max: range.max().get(),
            }),
            Err(other) => Err(other),
        }
    }
}

/// What `score` reports for one visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub(crate) sledai_2k: Total,
    pub(crate) clinical_sledai_2k: Total,
    /// The descriptors not assessed (empty for a complete assessment).
    pub(crate) missing: DescriptorSet,
}

impl Outcome {
    /// Scores one assessment with the core.
    ///
    /// # Errors
    ///
    /// Only an error the core might add in future; passed on, never hidden.
    pub(crate) fn of(a: &Assessment) -> Result<Outcome, sledai::Error> {
        Ok(Outcome {
            sledai_2k: Total::from_result(a.score())?,
            clinical_sledai_2k: Total::from_result(a.clinical_score())?,
            missing: a.missing(),
        })
    }
}

/// The input fields echoed in each output record.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Echo<'a> {
    pub(crate) id: Option<&'a str>,
    pub(crate) patient: Option<&'a str>,
    pub(crate) date: Option<Date>,
}

/// Where output records go.
pub(crate) trait Sink {
    /// One scored visit.
    fn visit(&mut self, echo: &Echo<'_>, outcome: &Outcome) -> io::Result<()>;
    /// One record that could not be read (`--on-error report`).
    fn error(&mut self, echo: &Echo<'_>, message: &str) -> io::Result<()>;
    /// Flushes everything written.
    fn flush(&mut self) -> io::Result<()>;
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

fn push_date(buf: &mut Vec<u8>, d: Date) {
    // `Date`'s Display is the ISO form the contract promises.
    // Writing into a Vec cannot fail.
    let _ = write!(buf, "{d}");
}

/// JSON Lines: one object per line; keys in the documented order, absent
/// keys left out.
pub(crate) struct JsonLines<W: Write> {
    out: W,
    buf: Vec<u8>,
}

impl<W: Write> JsonLines<W> {
    pub(crate) fn new(out: W) -> Self {
        JsonLines {
            out,
            buf: Vec::with_capacity(256),
        }
    }

    fn push_str(&mut self, s: &str) {
        // serde_json escapes the string; writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.buf, s);
    }

    fn echo(&mut self, echo: &Echo<'_>) {
        self.buf.push(b'{');
        if let Some(id) = echo.id {
            self.buf.extend_from_slice(b"\"id\":");
            self.push_str(id);
            self.buf.push(b',');
        }
        if let Some(p) = echo.patient {
            self.buf.extend_from_slice(b"\"patient\":");
            self.push_str(p);
            self.buf.push(b',');
        }
        if let Some(d) = echo.date {
            self.buf.extend_from_slice(b"\"date\":\"");
            push_date(&mut self.buf, d);
            self.buf.extend_from_slice(b"\",");
        }
    }

    fn total(&mut self, key: &str, t: Total) {
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\":");
        match t {
            Total::Exact(n) => push_u8(&mut self.buf, n),
            Total::Range { min, max } => {
                self.buf.extend_from_slice(b"null,\"");
                self.buf.extend_from_slice(key.as_bytes());
                self.buf.extend_from_slice(b"_min\":");
                push_u8(&mut self.buf, min);
                self.buf.extend_from_slice(b",\"");
                self.buf.extend_from_slice(key.as_bytes());
                self.buf.extend_from_slice(b"_max\":");
                push_u8(&mut self.buf, max);
            }
        }
    }
}

impl<W: Write> Sink for JsonLines<W> {
    fn visit(&mut self, echo: &Echo<'_>, o: &Outcome) -> io::Result<()> {
        self.buf.clear();
        self.echo(echo);
        self.total("sledai_2k", o.sledai_2k);
        self.buf.push(b',');
        self.total("clinical_sledai_2k", o.clinical_sledai_2k);
        if !o.missing.is_empty() {
            self.buf.extend_from_slice(b",\"missing\":[");
            for (i, d) in o.missing.iter().enumerate() {
                if i > 0 {
                    self.buf.push(b',');
                }
                self.push_str(d.id());
            }
            self.buf.push(b']');
        }
        self.buf.extend_from_slice(b"}\n");
        self.out.write_all(&self.buf)
    }

    fn error(&mut self, echo: &Echo<'_>, message: &str) -> io::Result<()> {
        self.buf.clear();
        self.echo(echo);
        self.buf.extend_from_slice(b"\"error\":");
        self.push_str(message);
        self.buf.extend_from_slice(b"}\n");
        self.out.write_all(&self.buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// CSV: a header of [`CSV_COLUMNS`], then one row per visit; a field that
/// does not apply is empty. Fields are quoted as RFC 4180 requires (when
/// they hold a comma, a double quote, CR or LF; quotes doubled); only `id`,
/// `patient` and `error` can need it. Lines end in LF.
pub(crate) struct Csv<W: Write> {
    out: W,
    buf: Vec<u8>,
}

impl<W: Write> Csv<W> {
    pub(crate) fn new(mut out: W) -> io::Result<Self> {
        out.write_all(CSV_COLUMNS.join(",").as_bytes())?;
        out.write_all(b"\n")?;
        Ok(Csv {
            out,
            buf: Vec::with_capacity(256),
        })
    }

    fn push_text(&mut self, s: &str) {
        if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
            self.buf.push(b'"');
            for b in s.bytes() {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(s.as_bytes());
        }
    }

    fn echo(&mut self, echo: &Echo<'_>) {
        self.buf.clear();
        if let Some(id) = echo.id {
            self.push_text(id);
        }
        self.buf.push(b',');
        if let Some(p) = echo.patient {
            self.push_text(p);
        }
        self.buf.push(b',');
        if let Some(d) = echo.date {
            push_date(&mut self.buf, d);
        }
    }

    fn total(&mut self, t: Total) {
        match t {
            Total::Exact(n) => {
                self.buf.push(b',');
                push_u8(&mut self.buf, n);
                self.buf.extend_from_slice(b",,");
            }
            Total::Range { min, max } => {
                self.buf.extend_from_slice(b",,");
                push_u8(&mut self.buf, min);
                self.buf.push(b',');
                push_u8(&mut self.buf, max);
            }
        }
    }
}

impl<W: Write> Sink for Csv<W> {
    fn visit(&mut self, echo: &Echo<'_>, o: &Outcome) -> io::Result<()> {
        self.echo(echo);
        self.total(o.sledai_2k);
        self.total(o.clinical_sledai_2k);
        self.buf.push(b',');
        for (i, d) in o.missing.iter().enumerate() {
            if i > 0 {
                self.buf.push(b';');
            }
            self.buf.extend_from_slice(d.id().as_bytes());
        }
        // The empty `error` field.
        self.buf.extend_from_slice(b",\n");
        self.out.write_all(&self.buf)
    }

    fn error(&mut self, echo: &Echo<'_>, message: &str) -> io::Result<()> {
        self.echo(echo);
        // Empty totals and `missing`, then `error`.
        for _ in 3..CSV_COLUMNS.len() {
            self.buf.push(b',');
        }
        self.push_text(message);
        self.buf.push(b'\n');
        self.out.write_all(&self.buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_is_quoted_only_when_needed() {
        let mut c = Csv::new(Vec::new()).unwrap();
        c.buf.clear();
        c.push_text("plain id");
        c.buf.push(b'|');
        c.push_text("a,b \"q\"\nz");
        assert_eq!(c.buf, b"plain id|\"a,b \"\"q\"\"\nz\"");
        // The csv crate reads back what was written.
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&b"\"a,b \"\"q\"\"\nz\",x\n"[..]);
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(&rec[0], "a,b \"q\"\nz");
    }

    #[test]
    fn push_u8_writes_decimal() {
        for n in [0u8, 7, 10, 99, 100, 105, 255] {
            let mut b = Vec::new();
            push_u8(&mut b, n);
            assert_eq!(String::from_utf8(b).unwrap(), n.to_string());
        }
    }
}
