//! What a cell of a visit table says: the text-cell grammar, once.
//!
//! Every text cell of every surface (a CSV cell, a cell of a long table or
//! a REDCap export, a string or object column of a data frame) is read by
//! the functions of this module, so the rules and the messages are the
//! same everywhere:
//!
//! | kind | function | a value | not recorded |
//! |---|---|---|---|
//! | boolean (a descriptor, a flag) | [`flag`] ([`boolean`] on bytes) | see below | empty, `NA`, `null` |
//! | text | [`text`] | trimmed | empty |
//! | date | [`date`] ([`date_bytes`] on bytes) | ISO 8601 `YYYY-MM-DD`, trimmed | empty |
//! | number | [`number`] ([`number_bytes`] on bytes) | a finite decimal number, trimmed | empty |
//! | whole number | [`count`] | 0 to 255, trimmed | empty |
//!
//! A bad cell is [`Error::InvalidValue`] (or [`Error::InvalidDate`]) naming
//! the column and the cell as written, in words a user knows:
//! `pga: invalid value `x`: expected a number`. The shells add where the
//! cell is (the CLI the file's line, Python the frame's index label) and
//! nothing else.
//!
//! Boolean cells:
//!
//! | cell (case-insensitive, surrounding spaces ignored) | value |
//! |---|---|
//! | `1`, `true`, `yes`, `y` | `Some(true)` |
//! | `0`, `false`, `no`, `n` | `Some(false)` |
//! | empty, `NA`, `null` | `None`: not recorded (a descriptor: not assessed) |
//! | anything else (`2`, `-`, `1.0`, `present`) | an error naming the cell as written |
//!
//! A cell that is not recorded is never read as "absent"
//! (`docs/reference.md` sections 1.1 and 8).

use crate::date::Date;
use crate::error::{Error, shortened};

/// What a boolean cell may hold, for messages: the grammar in words.
///
/// ```
/// assert!(sledai::table::cell::BOOLEAN_EXPECTED.starts_with("expected 1, 0, true, false"));
/// ```
pub const BOOLEAN_EXPECTED: &str =
    "expected 1, 0, true, false, yes, no, y or n, or an empty cell, NA or null (not recorded)";

/// A boolean cell as bytes: `Some(Some(b))` for a value, `Some(None)` for
/// a cell that is not recorded, `None` for a cell outside the grammar. The
/// fast form, for a reader that holds bytes and makes its own message.
///
/// ```
/// use sledai::table::cell::boolean;
/// assert_eq!(boolean(b" Yes "), Some(Some(true)));
/// assert_eq!(boolean(b"n"), Some(Some(false)));
/// assert_eq!(boolean(b"NA"), Some(None));
/// assert_eq!(boolean(b"2"), None);
/// ```
#[inline]
pub fn boolean(cell: &[u8]) -> Option<Option<bool>> {
    // The common cells first: one byte, no spaces.
    match cell {
        b"1" => return Some(Some(true)),
        b"0" => return Some(Some(false)),
        b"" => return Some(None),
        _ => {}
    }
    let c = cell.trim_ascii();
    match c {
        b"1" => return Some(Some(true)),
        b"0" => return Some(Some(false)),
        b"" => return Some(None),
        _ => {}
    }
    let is = |word: &[u8]| c.eq_ignore_ascii_case(word);
    if is(b"true") || is(b"yes") || is(b"y") {
        Some(Some(true))
    } else if is(b"false") || is(b"no") || is(b"n") {
        Some(Some(false))
    } else if is(b"na") || is(b"null") {
        Some(None)
    } else {
        None
    }
}

/// The error for a boolean cell of column `field` outside the grammar,
/// naming the cell as written (shortened when long; bytes that are not
/// UTF-8 shown as U+FFFD): for a reader that tested the bytes with
/// [`boolean`].
///
/// ```
/// use sledai::table::cell::boolean_error;
/// assert_eq!(
///     boolean_error("rash", b"maybe").to_string(),
///     "rash: invalid value `maybe`: expected 1, 0, true, false, yes, no, y or n, or an empty cell, NA or null (not recorded)",
/// );
/// ```
pub fn boolean_error(field: &'static str, cell: &[u8]) -> Error {
    Error::InvalidValue {
        field,
        value: shortened(&String::from_utf8_lossy(cell))
            .into_owned()
            .into(),
        reason: BOOLEAN_EXPECTED.to_owned().into(),
    }
}

/// A boolean cell of column `field`: the value, `None` when not recorded.
///
/// # Errors
///
/// [`Error::InvalidValue`] naming `field` and the cell as written
/// ([`boolean_error`]) for a cell outside the grammar.
///
/// ```
/// use sledai::table::cell::flag;
/// assert_eq!(flag("rash", " No ")?, Some(false));
/// assert_eq!(flag("rash", "null")?, None);
/// assert_eq!(
///     flag("rash", "2").unwrap_err().to_string(),
///     "rash: invalid value `2`: expected 1, 0, true, false, yes, no, y or n, or an empty cell, NA or null (not recorded)",
/// );
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn flag(field: &'static str, cell: &str) -> Result<Option<bool>, Error> {
    boolean(cell.as_bytes()).ok_or_else(|| boolean_error(field, cell.as_bytes()))
}

/// A boolean cell as text, for a caller without a column name ([`flag`]
/// with the field `boolean`).
///
/// # Errors
///
/// [`Error::InvalidValue`] (field `boolean`) naming the cell as written
/// (shortened when long) for a cell outside the grammar.
///
/// ```
/// use sledai::table::cell::parse_bool;
/// assert_eq!(parse_bool("TRUE")?, Some(true));
/// assert_eq!(parse_bool("")?, None);
/// let err = parse_bool("maybe").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "boolean: invalid value `maybe`: expected 1, 0, true, false, yes, no, y or n, or an empty cell, NA or null (not recorded)",
/// );
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn parse_bool(cell: &str) -> Result<Option<bool>, Error> {
    flag("boolean", cell)
}

/// The text of a cell read as bytes (a CSV cell): the bytes when they are
/// UTF-8.
///
/// # Errors
///
/// [`Error::InvalidValue`] naming `field` and the cell as written (bytes
/// that are not UTF-8 shown as U+FFFD).
///
/// ```
/// use sledai::table::cell::utf8;
/// assert_eq!(utf8("patient", b"P1")?, "P1");
/// assert_eq!(
///     utf8("patient", b"P\xff").unwrap_err().to_string(),
///     "patient: invalid value `P\u{fffd}`: expected text (UTF-8)",
/// );
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn utf8<'c>(field: &'static str, cell: &'c [u8]) -> Result<&'c str, Error> {
    std::str::from_utf8(cell).map_err(|_| Error::InvalidValue {
        field,
        value: shortened(&String::from_utf8_lossy(cell))
            .into_owned()
            .into(),
        reason: "expected text (UTF-8)".into(),
    })
}

/// What a cell error says after its column (the core's message without the
/// leading `field: `), for a message that names the column itself (a row of
/// a long table names the column as written and the mapping entry).
pub(crate) fn reason(e: &Error) -> String {
    let field = match e {
        Error::InvalidValue { field, .. }
        | Error::InvalidDate { field, .. }
        | Error::OutOfRange { field, .. }
        | Error::NotFinite { field, .. } => Some(*field),
        _ => None,
    };
    let msg = e.to_string();
    match field
        .and_then(|f| msg.strip_prefix(f))
        .and_then(|m| m.strip_prefix(": "))
    {
        Some(rest) => rest.to_owned(),
        None => msg,
    }
}

/// Whether a text cell means "not recorded": empty, `NA` or `null`
/// (case-insensitive, trimmed), as in the boolean grammar.
///
/// ```
/// use sledai::table::cell::is_not_recorded;
/// assert!(is_not_recorded(" na "));
/// assert!(!is_not_recorded("0"));
/// ```
pub fn is_not_recorded(cell: &str) -> bool {
    let c = cell.trim();
    c.is_empty() || c.eq_ignore_ascii_case("na") || c.eq_ignore_ascii_case("null")
}

/// A text cell: trimmed, `None` when empty (a text cell that is empty is
/// not recorded; `NA` is text here, a patient may be called that).
///
/// ```
/// use sledai::table::cell::text;
/// assert_eq!(text(" P1 "), Some("P1"));
/// assert_eq!(text("  "), None);
/// ```
pub fn text(cell: &str) -> Option<&str> {
    // A cell that starts and ends with a printable ASCII byte has nothing
    // to trim (every whitespace character is a control byte, a space or
    // outside ASCII).
    if let (Some(&first), Some(&last)) = (cell.as_bytes().first(), cell.as_bytes().last()) {
        if (0x21..0x80).contains(&first) && (0x21..0x80).contains(&last) {
            return Some(cell);
        }
    }
    let t = cell.trim();
    (!t.is_empty()).then_some(t)
}

/// A date cell (ISO 8601 `YYYY-MM-DD`, trimmed): `None` when empty.
///
/// # Errors
///
/// [`Error::InvalidDate`] naming `field` and the cell as written.
///
/// ```
/// use sledai::table::cell::date;
/// assert_eq!(date("reference_date", " 2024-02-29 ")?.map(|d| d.to_string()).as_deref(), Some("2024-02-29"));
/// assert_eq!(date("date", "")?, None);
/// assert!(date("date", "2023-02-29").unwrap_err().to_string().contains("2023-02-29"));
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn date(field: &'static str, cell: &str) -> Result<Option<Date>, Error> {
    let Some(t) = text(cell) else {
        return Ok(None);
    };
    t.parse::<Date>().map(Some).map_err(|e| match e {
        Error::InvalidDate { value, reason, .. } => Error::InvalidDate {
            field,
            value: shortened(&value).into_owned().into(),
            reason,
        },
        other => other,
    })
}

/// A number cell (trimmed): `None` when empty.
///
/// # Errors
///
/// [`Error::InvalidValue`] naming `field` and the cell as written for text
/// that is not a finite number (`inf` and `NaN` are not numbers here) or
/// has too many digits for a 64-bit float.
///
/// ```
/// use sledai::table::cell::number;
/// assert_eq!(number("pga", " 0.5 ")?, Some(0.5));
/// assert_eq!(number("pga", "")?, None);
/// assert_eq!(
///     number("pga", "inf").unwrap_err().to_string(),
///     "pga: invalid value `inf`: expected a finite number",
/// );
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn number(field: &'static str, cell: &str) -> Result<Option<f64>, Error> {
    let Some(t) = text(cell) else {
        return Ok(None);
    };
    let bad = |reason: &str| Error::InvalidValue {
        field,
        value: shortened(t).into_owned().into(),
        reason: reason.to_owned().into(),
    };
    if let Some(x) = plain_decimal(t.as_bytes()) {
        return Ok(Some(x));
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some(x)),
        Ok(_)
            if t.bytes()
                .any(|b| b.is_ascii_alphabetic() && !matches!(b, b'e' | b'E')) =>
        {
            Err(bad("expected a finite number"))
        }
        Ok(_) => Err(bad("too large")),
        Err(_) => Err(bad("expected a number")),
    }
}

/// A number cell as bytes (a CSV cell): [`number`] of the cell's text,
/// with the common cell (a plain decimal such as `2.5`) read straight
/// from the bytes.
///
/// # Errors
///
/// [`Error::InvalidValue`] naming `field` and the cell as written: bytes
/// that are not UTF-8 (as [`utf8`]), or text that is not a finite number
/// (as [`number`]).
///
/// ```
/// use sledai::table::cell::number_bytes;
/// assert_eq!(number_bytes("pga", b"2.5")?, Some(2.5));
/// assert_eq!(number_bytes("pga", b" 1e0 ")?, Some(1.0));
/// assert_eq!(number_bytes("pga", b"")?, None);
/// assert_eq!(
///     number_bytes("pga", b"x").unwrap_err().to_string(),
///     "pga: invalid value `x`: expected a number",
/// );
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn number_bytes(field: &'static str, cell: &[u8]) -> Result<Option<f64>, Error> {
    if let Some(x) = plain_decimal(cell) {
        return Ok(Some(x));
    }
    number(field, utf8(field, cell)?)
}

/// A date cell as bytes (a CSV cell): [`date`] of the cell's text, with
/// the common cell (exactly `YYYY-MM-DD`, a valid date) read straight from
/// the bytes.
///
/// # Errors
///
/// [`Error::InvalidValue`] for bytes that are not UTF-8 (as [`utf8`]),
/// [`Error::InvalidDate`] naming `field` and the cell as written (as
/// [`date`]).
///
/// ```
/// use sledai::table::cell::date_bytes;
/// assert_eq!(date_bytes("date", b"2024-02-29")?.map(|d| d.to_string()).as_deref(), Some("2024-02-29"));
/// assert_eq!(date_bytes("date", b" ")?, None);
/// assert!(date_bytes("date", b"2023-02-29").unwrap_err().to_string().contains("2023-02-29"));
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn date_bytes(field: &'static str, cell: &[u8]) -> Result<Option<Date>, Error> {
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *cell {
        let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
        if digits.iter().all(u8::is_ascii_digit) {
            let n = |ds: &[u8]| ds.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'));
            // Four digits: at most 9999, an `i32`.
            let year = i32::try_from(n(&digits[..4])).unwrap_or(i32::MAX);
            if let Ok(d) = Date::new(year, n(&digits[4..6]), n(&digits[6..])) {
                return Ok(Some(d));
            }
        }
    }
    date(field, utf8(field, cell)?)
}

/// The value of a plain decimal `d+` or `d+.d+` (no sign, exponent or
/// spaces) of at most 15 significant digits, computed as the exact integer
/// of its digits divided by an exact power of ten: one correctly rounded
/// IEEE operation on two exactly representable operands (digits < 2^53,
/// 10^k for k <= 22), so the result is the correctly rounded value of the
/// decimal, the one `str::parse::<f64>` returns (W. D. Clinger, "How to
/// read floating point numbers accurately", PLDI 1990: the fast path).
/// `None` for any other text, which the full parser reads.
#[inline]
fn plain_decimal(t: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    if t.is_empty() || t.len() > 16 {
        return None;
    }
    let mut digits: u64 = 0;
    let mut n = 0usize;
    let mut fraction: Option<usize> = None;
    for (i, &b) in t.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                digits = digits * 10 + u64::from(b - b'0');
                n += 1;
            }
            b'.' if fraction.is_none() && i > 0 && i + 1 < t.len() => fraction = Some(i),
            _ => return None,
        }
    }
    if n > 15 {
        return None;
    }
    let scale = fraction.map_or(0, |i| t.len() - i - 1);
    // At most 15 digits: below 2^53, so exact as an f64.
    #[allow(clippy::cast_precision_loss)]
    let value = digits as f64;
    Some(value / POW10[scale])
}

/// A count cell (a whole number 0 to 255, trimmed): `None` when empty.
///
/// # Errors
///
/// [`Error::InvalidValue`] naming `field` and the cell as written.
///
/// ```
/// use sledai::table::cell::count;
/// assert_eq!(count("new_bilag_a", "2")?, Some(2));
/// assert!(count("new_bilag_a", "1.5").is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn count(field: &'static str, cell: &str) -> Result<Option<u8>, Error> {
    let Some(t) = text(cell) else {
        return Ok(None);
    };
    t.parse::<u8>().map(Some).map_err(|_| Error::InvalidValue {
        field,
        value: shortened(t).into_owned().into(),
        reason: "expected a whole number from 0 to 255".to_owned().into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar() {
        for t in ["1", "true", "TRUE", "Yes", " yes ", "y", "Y"] {
            assert_eq!(boolean(t.as_bytes()), Some(Some(true)), "{t}");
        }
        for f in ["0", "false", "False", "NO", "no", "n", "N "] {
            assert_eq!(boolean(f.as_bytes()), Some(Some(false)), "{f}");
        }
        for n in ["", "  ", "NA", "na", "null", "NULL"] {
            assert_eq!(boolean(n.as_bytes()), Some(None), "{n}");
        }
        for bad in ["2", "-", "present", "1.0", "yess", "nan", "none", "t", "f"] {
            assert_eq!(boolean(bad.as_bytes()), None, "{bad}");
        }
    }

    /// The fast path of `number` against the standard library's parser,
    /// the reference: every plain decimal of up to 15 significant digits
    /// in several spellings, and texts the fast path must leave alone.
    #[test]
    fn plain_decimals_read_as_the_standard_parser_reads_them() {
        let mut texts: Vec<String> = Vec::new();
        for n in 0..20_000u64 {
            texts.push(n.to_string());
            for scale in 1..=4 {
                let s = format!("{n:0width$}", width = scale + 1);
                let (int, frac) = s.split_at(s.len() - scale);
                texts.push(format!("{int}.{frac}"));
            }
        }
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let digits = usize::try_from(state % 15 + 1).unwrap();
            let s = format!("{:015}", state % 1_000_000_000_000_000);
            let s = &s[s.len() - digits..];
            let cut = usize::try_from((state >> 40) % 16).unwrap() % (digits + 1);
            texts.push(if cut == 0 || cut == digits {
                s.to_owned()
            } else {
                format!("{}.{}", &s[..cut], &s[cut..])
            });
        }
        texts.extend(
            [
                "0.1",
                "0.3",
                "2.675",
                "999999999999999",
                "0.000000000000001",
                "9007199254740993",
            ]
            .map(str::to_owned),
        );
        for t in &texts {
            let reference: f64 = t.parse().unwrap();
            let got = number("x", t).unwrap().unwrap();
            assert_eq!(got.to_bits(), reference.to_bits(), "{t}");
            if let Some(fast) = plain_decimal(t.as_bytes()) {
                assert_eq!(fast.to_bits(), reference.to_bits(), "{t}");
            }
        }
        for other in [
            "",
            ".5",
            "5.",
            "1e3",
            "-1",
            "+1",
            "1.2.3",
            "1,5",
            " 1",
            "1234567890123456",
            "0.1234567890123456",
        ] {
            assert_eq!(plain_decimal(other.as_bytes()), None, "{other}");
        }
    }

    /// `text` is `str::trim` then "empty is not recorded": checked on
    /// every cell of one or two characters from a set of ASCII and Unicode
    /// whitespace and printable characters, and on longer mixes.
    #[test]
    fn text_trims_as_str_trim() {
        let chars = [
            ' ', '\t', '\n', '\r', '\u{0b}', '\u{0c}', '\u{a0}', '\u{2003}', '\u{3000}', 'a', '~',
            '\u{7f}', '\u{e9}', '!', '0',
        ];
        let mut cells: Vec<String> = vec![String::new()];
        for a in chars {
            cells.push(a.to_string());
            for b in chars {
                cells.push(format!("{a}{b}"));
                cells.push(format!("{a}P1{b}"));
                for c in chars {
                    cells.push(format!("{a}{b}x{c}"));
                }
            }
        }
        for c in &cells {
            let t = c.trim();
            let expected = (!t.is_empty()).then_some(t);
            assert_eq!(text(c), expected, "{c:?}");
        }
    }

    /// The byte forms are the text forms: the same value or the same
    /// message, on every date shape from 0000-00-00 to 2100-13-32 and at
    /// 9999, on spaced, short, long and non-UTF-8 cells, and on numbers.
    #[test]
    fn byte_forms_read_as_the_text_forms() {
        let same_date = |cell: &[u8]| {
            let via_text = utf8("date", cell).and_then(|t| date("date", t));
            let via_bytes = date_bytes("date", cell);
            match (via_text, via_bytes) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{cell:?}"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{cell:?}"),
                (a, b) => panic!("{cell:?}: {a:?} vs {b:?}"),
            }
        };
        for y in (0..=2100).chain(9990..=9999) {
            for m in 0..=13 {
                for d in 0..=32 {
                    same_date(format!("{y:04}-{m:02}-{d:02}").as_bytes());
                }
            }
        }
        for cell in [
            &b""[..],
            b" ",
            b" 2024-01-01",
            b"2024-01-01 ",
            b"2024-1-01",
            b"2024/01/01",
            b"20240101",
            b"2024-01-0x",
            b"2024-01-01x",
            b"\xff\xfe",
            b"+024-01-01",
            b"2024-\xff1-01",
        ] {
            same_date(cell);
        }
        for cell in [
            &b"2.5"[..],
            b"0",
            b"007",
            b"1e0",
            b" 1.5",
            b"1.5 ",
            b"",
            b"  ",
            b"x",
            b"-1",
            b"inf",
            b"NaN",
            b"1e400",
            b"0.1234567890123456",
            b"\xff",
            b"1.",
            b".5",
            b"3.",
        ] {
            let via_text = utf8("pga", cell).and_then(|t| number("pga", t));
            match (via_text, number_bytes("pga", cell)) {
                (Ok(a), Ok(b)) => assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits), "{cell:?}"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{cell:?}"),
                (a, b) => panic!("{cell:?}: {a:?} vs {b:?}"),
            }
        }
    }

    #[test]
    fn a_long_cell_is_shortened() {
        let long = "x".repeat(1000);
        let msg = parse_bool(&long).unwrap_err().to_string();
        assert!(msg.contains("… (1000 characters)"), "{msg}");
        assert!(msg.len() < 300);
    }
}
