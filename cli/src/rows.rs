//! The CSV records of a visit file, read as the `csv` crate reads them
//! (RFC 4180 quoting; CR, LF and CRLF end a record; blank lines are no
//! records; a UTF-8 byte order mark before the header is dropped; rows of
//! any length), with a fast path for the common line.
//!
//! A record that starts a line without a double quote and without a CR
//! (other than one just before its LF) is split at its commas where it
//! lies in the read buffer: that is all the `csv` crate's parser
//! ([`csv_core`]) would do with it. Every other record (the header, a
//! quoted field, a lone CR, a line longer than the buffer, the end of the
//! file) is read by [`csv_core`] itself, the parser the `csv` crate
//! drives, in the way the `csv` crate drives it. The record positions (the
//! byte after the previous record, as the `csv` crate reports them) and the
//! bytes consumed are the same either way; `tests/it` checks the records
//! and their lines against the `csv` crate on generated files.

use std::io::{self, Read};

use crate::input::LineIndex;

/// One record: its fields, borrowed from the reader.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row<'a> {
    bytes: &'a [u8],
    ends: &'a [usize],
    /// Bytes between one field's end and the next one's start: 1 (the
    /// comma) for a record split in place, 0 for a record `csv_core` wrote.
    gap: usize,
}

impl<'a> Row<'a> {
    /// The number of fields.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Field `i`.
    pub(crate) fn get(&self, i: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] + self.gap
        };
        self.bytes.get(start..end)
    }

    /// The fields in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        let (bytes, gap) = (self.bytes, self.gap);
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let field = &bytes[start..end];
            start = end + gap;
            field
        })
    }

    /// The record as the `csv` crate's type (for the header).
    pub(crate) fn to_byte_record(self) -> csv::ByteRecord {
        self.iter().collect()
    }
}

/// Where the current record's bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    /// In the read buffer, from this offset (split in place).
    Buffer(usize),
    /// In `fields` (written by `csv_core`).
    Fields,
}

/// The high bit of each byte of `x` (little-endian) that is at most `,`
/// (0x2C): a byte is above 0x2C when its high bit is set or its low seven
/// bits plus 0x53 (at most 0xD2: no carry into the next byte) reach 0x80.
#[inline]
fn at_most_comma(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let above = (x & !HIGHS).wrapping_add(0x53 * ONES) | x;
    !above & HIGHS
}

/// What a byte does to the fast path ([`Rows::special`]).
enum Special {
    Plain,
    /// The record ends: its bytes end at the first offset, the reader
    /// stands at the second.
    End(usize, usize),
    Stop,
}

/// A CSV reader over a byte source.
pub(crate) struct Rows<R> {
    source: R,
    buf: Vec<u8>,
    /// The unread bytes are `buf[pos..end]`.
    pos: usize,
    end: usize,
    /// The source has ended (a read returned nothing).
    eof: bool,
    /// Bytes consumed before `buf[0]`.
    base: u64,
    core: csv_core::Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
    /// The fields of the current record: `ends[..ends_len]`.
    ends_len: usize,
    held: Held,
    /// The field ends of a record split in place.
    split: Vec<usize>,
    /// Where the current record starts (the byte after the previous one).
    start: u64,
    done: bool,
    /// The physical lines of what was read.
    pub(crate) lines: LineIndex,
}

impl<R: Read> Rows<R> {
    /// A reader with a read buffer of `capacity` bytes.
    pub(crate) fn new(source: R, capacity: usize) -> Rows<R> {
        Rows {
            source,
            // At least the three bytes of a byte order mark, which the parser
            // drops only when it sees them in one piece (as in the csv crate).
            buf: vec![0; capacity.max(16)],
            pos: 0,
            end: 0,
            eof: false,
            base: 0,
            core: csv_core::Reader::new(),
            fields: vec![0; 1024],
            ends: vec![0; 64],
            ends_len: 0,
            held: Held::Fields,
            split: Vec::with_capacity(64),
            start: 0,
            done: false,
            lines: LineIndex::default(),
        }
    }

    /// The bytes consumed so far (the `csv` crate's reader position).
    pub(crate) fn position(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Where the current record starts: the byte after the previous record.
    pub(crate) fn record_start(&self) -> u64 {
        self.start
    }

    /// Whether every byte of the source has been read and consumed.
    pub(crate) fn at_end(&self) -> bool {
        self.eof && self.pos == self.end
    }

    /// The current record.
    pub(crate) fn row(&self) -> Row<'_> {
        match self.held {
            Held::Buffer(at) => Row {
                bytes: &self.buf[at..self.pos],
                ends: &self.split,
                gap: 1,
            },
            Held::Fields => Row {
                bytes: &self.fields,
                ends: &self.ends[..self.ends_len],
                gap: 0,
            },
        }
    }

    /// Reads more of the source after the unread bytes (moved to the
    /// front of the buffer).
    fn fill(&mut self) -> io::Result<()> {
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.base += self.pos as u64;
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.end == self.buf.len() {
            return Ok(());
        }
        let n = loop {
            match self.source.read(&mut self.buf[self.end..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        self.lines.scan(&self.buf[self.end..self.end + n]);
        if n == 0 {
            self.lines.eof = true;
            self.eof = true;
        }
        self.end += n;
        Ok(())
    }

    /// Reads the next record; `false` at the end of the input.
    ///
    /// # Errors
    ///
    /// A read error of the source.
    pub(crate) fn read(&mut self) -> io::Result<bool> {
        self.start = self.position();
        if self.done {
            self.ends_len = 0;
            return Ok(false);
        }
        // The first record goes to the parser (the byte order mark).
        if self.start > 0 && self.split_in_place()? {
            return Ok(true);
        }
        self.parse()
    }

    /// The fast path: the next line, when it is plain, split at its commas.
    fn split_in_place(&mut self) -> io::Result<bool> {
        if self.split_line() {
            return Ok(true);
        }
        if self.eof {
            return Ok(false);
        }
        self.fill()?;
        Ok(self.split_line())
    }

    /// Splits the next record at its commas when it is a plain line in
    /// the buffer, in one pass over its bytes; leaves the reader as it
    /// was when it is not (a quote, a lone CR, no LF in the buffer).
    /// After it, the reader stands after the LF, or after the CR of a
    /// CRLF, as `csv_core` consumes it.
    fn split_line(&mut self) -> bool {
        let rest = &self.buf[self.pos..self.end];
        // `csv_core` skips the line breaks before a record (blank lines,
        // the LF of a CRLF).
        let Some(skip) = rest.iter().position(|&b| b != b'\n' && b != b'\r') else {
            return false;
        };
        let line = &rest[skip..];
        // A local vector (its length and capacity stay in registers),
        // given back at the end.
        let mut split = std::mem::take(&mut self.split);
        split.clear();
        // Eight bytes at a time: every byte that means something here
        // (`,` `"` CR LF) is at most `,` (0x2C), and a byte of a word is
        // at most 0x2C exactly when neither it nor its low seven bits plus
        // 0x53 (which carries into no other byte) has its high bit set.
        let mut i = 0;
        let end = 'scan: loop {
            let Some(chunk) = line.get(i..i + 8) else {
                // The last bytes, one at a time.
                for k in i..line.len() {
                    match Self::special(&mut split, line, k) {
                        Special::Plain => {}
                        Special::End(to, consumed) => break 'scan Some((to, consumed)),
                        Special::Stop => break 'scan None,
                    }
                }
                break None;
            };
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let x = u64::from_le_bytes(word);
            let mut special = at_most_comma(x);
            while special != 0 {
                let k = i + (special.trailing_zeros() / 8) as usize;
                special &= special - 1;
                if chunk[k - i] == b',' {
                    split.push(k);
                    continue;
                }
                match Self::special(&mut split, line, k) {
                    Special::Plain => {}
                    Special::End(to, consumed) => break 'scan Some((to, consumed)),
                    Special::Stop => break 'scan None,
                }
            }
            i += 8;
        };
        let Some((to, consumed)) = end else {
            self.split = split;
            return false;
        };
        split.push(to);
        self.split = split;
        let from = self.pos + skip;
        self.held = Held::Buffer(from);
        self.pos = from + consumed;
        true
    }

    /// What byte `k` of a line does to the fast path: a comma ends a
    /// field (recorded), an LF or the CR of a CRLF ends the record, a
    /// quote or a lone CR stops the fast path.
    #[inline]
    fn special(split: &mut Vec<usize>, line: &[u8], k: usize) -> Special {
        match line[k] {
            b',' => {
                split.push(k);
                Special::Plain
            }
            b'\n' => Special::End(k, k + 1),
            b'\r' if line.get(k + 1) == Some(&b'\n') => Special::End(k, k + 1),
            b'"' | b'\r' => Special::Stop,
            _ => Special::Plain,
        }
    }

    /// The slow path: `csv_core` reads the record, as the `csv` crate
    /// drives it.
    fn parse(&mut self) -> io::Result<bool> {
        use csv_core::ReadRecordResult as R;
        let (mut out, mut nends) = (0, 0);
        loop {
            if self.pos == self.end && !self.eof {
                self.fill()?;
            }
            let (res, nin, nout, nend) = self.core.read_record(
                &self.buf[self.pos..self.end],
                &mut self.fields[out..],
                &mut self.ends[nends..],
            );
            self.pos += nin;
            out += nout;
            nends += nend;
            match res {
                R::InputEmpty => {}
                R::OutputFull => {
                    let n = self.fields.len() * 2;
                    self.fields.resize(n, 0);
                }
                R::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                R::Record => {
                    self.ends_len = nends;
                    self.held = Held::Fields;
                    return Ok(true);
                }
                R::End => {
                    self.done = true;
                    self.ends_len = 0;
                    return Ok(false);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the `csv` crate reads (with the CLI's settings: no header
    /// handling, rows of any length): each record's fields, its position
    /// and the reader's position after it.
    fn with_csv_crate(bytes: &[u8]) -> Vec<(Vec<Vec<u8>>, u64, u64)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut row = csv::ByteRecord::new();
        let mut out = Vec::new();
        while rdr.read_byte_record(&mut row).unwrap() {
            let start = row.position().unwrap().byte();
            out.push((
                row.iter().map(<[u8]>::to_vec).collect(),
                start,
                rdr.position().byte(),
            ));
        }
        out
    }

    fn with_rows(bytes: &[u8], capacity: usize) -> Vec<(Vec<Vec<u8>>, u64, u64)> {
        let mut rows = Rows::new(bytes, capacity);
        let mut out = Vec::new();
        while rows.read().unwrap() {
            let row = rows.row();
            let fields: Vec<Vec<u8>> = row.iter().map(<[u8]>::to_vec).collect();
            // `get` and `iter` agree.
            for (i, f) in fields.iter().enumerate() {
                assert_eq!(row.get(i), Some(f.as_slice()));
            }
            assert_eq!(row.get(fields.len()), None);
            out.push((fields, rows.record_start(), rows.position()));
        }
        // Reading on after the end reads nothing.
        assert!(!rows.read().unwrap());
        out
    }

    /// Every byte value at every position of a word, among neighbours of
    /// every kind: flagged exactly when it is at most 0x2C.
    #[test]
    fn at_most_comma_flags_exactly_the_low_bytes() {
        for fill in [0x00u8, 0x2C, 0x2D, 0x7F, 0x80, 0xAC, 0xFF, b'a'] {
            for pos in 0..8 {
                for b in 0..=255u8 {
                    let mut w = [fill; 8];
                    w[pos] = b;
                    let got = at_most_comma(u64::from_le_bytes(w));
                    for (k, &byte) in w.iter().enumerate() {
                        let flagged = got & (0x80 << (8 * k)) != 0;
                        assert_eq!(flagged, byte <= b',', "{w:?} byte {k}");
                    }
                    assert_eq!(got & !0x8080_8080_8080_8080, 0);
                }
            }
        }
    }

    #[test]
    fn plain_crlf_blank_lines_and_quotes() {
        let text: &[u8] = b"\xEF\xBB\xBFid,x\r\na,1\r\n\r\nb,\"2,\n3\"\rc,,\n\n\nd\n\"e";
        for capacity in [1, 16, 17, 19, 24, 64, 1 << 16] {
            assert_eq!(
                with_rows(text, capacity),
                with_csv_crate(text),
                "{capacity}"
            );
        }
    }

    proptest::proptest! {
        /// The reader is the `csv` crate's, record for record (fields,
        /// where each record starts, where the reader stands after it), on
        /// any bytes of the CSV alphabet and for any buffer size.
        #[test]
        fn reads_what_the_csv_crate_reads(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b'1', b',', b'"', b'\n', b'\r', b' ', 0xEF, 0xBB, 0xBF, b'+', b'-', 0x80, 0xAC, 0xA2, 0x8A, 0x8D, 0x7F, 0]), 0..300),
            capacity in 1usize..40,
        ) {
            let expected = with_csv_crate(&bytes);
            proptest::prop_assert_eq!(with_rows(&bytes, capacity), expected.clone());
            proptest::prop_assert_eq!(with_rows(&bytes, 1 << 16), expected);
        }

        /// Mostly plain lines (the fast path), with some quoted fields.
        #[test]
        fn reads_plain_files_as_the_csv_crate_does(
            lines in proptest::collection::vec(
                (proptest::collection::vec("[a-z0-9 ]{0,4}", 1..6), 0u8..8), 1..30),
            capacity in 1usize..200,
        ) {
            let mut bytes = Vec::new();
            for (fields, kind) in &lines {
                for (i, f) in fields.iter().enumerate() {
                    if i > 0 {
                        bytes.push(b',');
                    }
                    if *kind == 7 && i == 0 {
                        bytes.extend_from_slice(b"\"q\"\"\n,\"");
                    }
                    bytes.extend_from_slice(f.as_bytes());
                }
                bytes.extend_from_slice(match kind {
                    0 | 1 => b"\r\n",
                    2 => b"\n\n",
                    3 => b"\r",
                    _ => b"\n",
                });
            }
            let expected = with_csv_crate(&bytes);
            proptest::prop_assert_eq!(with_rows(&bytes, capacity), expected);
        }
    }
}
