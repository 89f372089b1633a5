//! Arrow boolean bitmaps (`Values::Bits`, `Column::with_validity`): every
//! reader of a column gives on a bitmap exactly what it gives on the same
//! cells as bytes with a byte mask. The bits are unpacked here by Arrow's
//! rule written out (row `i` is bit `offset + i`, least significant bit
//! first; a set validity bit = recorded), not by the code under test, and
//! the totals are also checked against the weights of docs/reference.md
//! section 1.2 written out.

// Row-indexed loops read as the cross-check they are.
#![allow(clippy::needless_range_loop)]

use proptest::prelude::*;
use sledai::change::Measure;
use sledai::table::column::{self, Bitmap, Column, Values};
use sledai::table::totals::{self, IncompleteRows};
use sledai::table::{self as tables, HeaderOptions};
use sledai::{Descriptor, Error};

// Independent weights (Gladman 2002, docs/reference.md section 1.2), shared
// with the totals tests.
use super::totals::reference_weight;

/// Arrow's bit rule, written out: bit `offset + i` of `bytes`, LSB first.
fn unpack(bytes: &[u8], offset: usize, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| {
            let k = offset + i;
            (bytes[k / 8] >> (k % 8)) & 1
        })
        .collect()
}

/// The inverse, for building bitmaps from cells: `cells` packed from bit
/// `offset`, the bits before it and past the cells set to `fill`.
fn pack(cells: &[u8], offset: usize, fill: bool) -> Vec<u8> {
    let bits = offset + cells.len();
    let mut out = vec![if fill { 0xFF } else { 0 }; bits.div_ceil(8).max(1)];
    for (i, &c) in cells.iter().enumerate() {
        let k = offset + i;
        if c == 1 {
            out[k / 8] |= 1 << (k % 8);
        } else {
            out[k / 8] &= !(1 << (k % 8));
        }
    }
    out
}

/// One descriptor column given both ways: as bitmaps, and as the same
/// cells in bytes with a byte mask.
#[derive(Debug, Clone)]
struct Both {
    values: Vec<u8>,
    values_offset: usize,
    validity: Option<(Vec<u8>, usize)>,
    /// The cells as bytes (0/1) and the byte mask (1 = not recorded).
    cells: Vec<u8>,
    missing: Vec<u8>,
}

impl Both {
    fn bits(&self, n: usize) -> Column<'_> {
        let c = Column::new(Values::Bits(Bitmap::new(
            &self.values,
            self.values_offset,
            n,
        )));
        match &self.validity {
            Some((v, off)) => c.with_validity(Bitmap::new(v, *off, n)),
            None => c,
        }
    }

    fn bytes(&self) -> Column<'_> {
        Column::new(Values::Bool(&self.cells)).with_missing(&self.missing)
    }
}

/// A column of `n` rows: random buffer bytes (so bits before the offset
/// and past the rows are garbage), random offsets 0..8, nulls at
/// `null_rate` per 256 when there is a validity bitmap.
fn column(n: usize) -> impl Strategy<Value = Both> {
    let bytes =
        move |extra: usize| proptest::collection::vec(any::<u8>(), n.div_ceil(8) + 1 + extra);
    (
        0usize..8,
        bytes(0),
        proptest::option::of((0usize..8, bytes(0), 0u32..256)),
    )
        .prop_map(move |(off, values, validity)| {
            let cells = unpack(&values, off, n);
            let (validity, missing) = match validity {
                None => (None, vec![0; n]),
                Some((voff, raw, rate)) => {
                    // Keep about `rate`/256 of the rows null: clear bits
                    // where a byte of the buffer is under the rate.
                    let valid: Vec<u8> = (0..n)
                        .map(|i| u8::from(u32::from(raw[(i + voff) % raw.len()]) >= rate / 4))
                        .collect();
                    let v = pack(&valid, voff, raw[0] & 1 == 1);
                    assert_eq!(unpack(&v, voff, n), valid);
                    (Some((v, voff)), valid.iter().map(|&v| 1 - v).collect())
                }
            };
            Both {
                values,
                values_offset: off,
                validity,
                cells,
                missing,
            }
        })
}

/// 24 columns of `n` rows, each possibly absent (`None`).
fn table() -> impl Strategy<Value = (usize, Vec<Option<Both>>)> {
    (0usize..70).prop_flat_map(|n| {
        (
            Just(n),
            proptest::collection::vec(proptest::option::weighted(0.95, column(n)), 24),
        )
    })
}

fn as_bits(cols: &[Option<Both>], n: usize) -> [Option<Column<'_>>; 24] {
    std::array::from_fn(|j| cols[j].as_ref().map(|c| c.bits(n)))
}

fn as_bytes(cols: &[Option<Both>]) -> [Option<Column<'_>>; 24] {
    std::array::from_fn(|j| cols[j].as_ref().map(Both::bytes))
}

const POLICIES: [IncompleteRows; 3] = [
    IncompleteRows::Missing,
    IncompleteRows::Error,
    IncompleteRows::Range,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// The totals of the bitmap kernel equal those of the byte path, under
    /// every policy and measure (errors by their message).
    #[test]
    fn totals_of_bitmaps_equal_totals_of_bytes((n, cols) in table()) {
        for measure in [Measure::Sledai2k, Measure::ClinicalSledai] {
            for policy in POLICIES {
                let bits = totals::evaluate(&as_bits(&cols, n), n, measure, policy);
                let bytes = totals::evaluate(&as_bytes(&cols), n, measure, policy);
                match (bits, bytes) {
                    (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                    (a, b) => prop_assert_eq!(
                        a.map_err(|e| e.to_string()),
                        b.map_err(|e| e.to_string())
                    ),
                }
            }
        }
    }

    /// Complete rows: the totals are the reference weights of the set bits.
    #[test]
    fn totals_of_bitmaps_are_the_reference_weights((n, cols) in table()) {
        let cols: Vec<Option<Both>> = cols
            .into_iter()
            .map(|c| c.or_else(|| Some(Both {
                values: vec![0; n.div_ceil(8)],
                values_offset: 0,
                validity: None,
                cells: vec![0; n],
                missing: vec![0; n],
            })))
            .map(|c| c.map(|c| Both { validity: None, missing: vec![0; n], ..c }))
            .collect();
        let t = totals::evaluate(&as_bits(&cols, n), n, Measure::Sledai2k, IncompleteRows::Error)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for i in 0..n {
            let expect: i16 = (0..24)
                .map(|j| {
                    let c = cols[j].as_ref().map_or(0, |c| unpack(&c.values, c.values_offset, n)[i]);
                    i16::from(c) * reference_weight(j + 1)
                })
                .sum();
            prop_assert_eq!(t.low()[i], expect, "row {}", i);
        }
    }

    /// The present and not-assessed masks of every row, and the visit
    /// records (a boolean field from a bitmap too), equal the byte path's.
    #[test]
    fn masks_and_visits_of_bitmaps_equal_those_of_bytes(
        (n, cols) in table(),
        flag in (0usize..8, proptest::collection::vec(any::<u8>(), 12)),
    ) {
        prop_assert_eq!(
            column::descriptor_masks(&as_bits(&cols, n), n).map_err(|e| e.to_string()),
            column::descriptor_masks(&as_bytes(&cols), n).map_err(|e| e.to_string())
        );
        let mut names: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
        names.push("maintenance_tolerated");
        let header = tables::resolve(&names, &HeaderOptions::default())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (off, raw) = flag;
        let validity = pack(&unpack(&raw, 3, n), off, false);
        let valid = unpack(&validity, off, n);
        let tolerated: Vec<u8> = unpack(&raw, off, n);
        let missing: Vec<u8> = valid.iter().map(|&v| 1 - v).collect();
        let mut with_bits: Vec<Column<'_>> = (0..24)
            .map(|j| cols[j].as_ref().map_or(Column::new(Values::Missing), |c| c.bits(n)))
            .collect();
        with_bits.push(
            Column::new(Values::Bits(Bitmap::new(&raw, off, n)))
                .with_validity(Bitmap::new(&validity, off, n)),
        );
        let mut with_bytes: Vec<Column<'_>> = (0..24)
            .map(|j| cols[j].as_ref().map_or(Column::new(Values::Missing), Both::bytes))
            .collect();
        with_bytes.push(Column::new(Values::Bool(&tolerated)).with_missing(&missing));
        let a = column::visits(&header, &with_bits, n).map_err(|e| e.to_string());
        let b = column::visits(&header, &with_bytes, n).map_err(|e| e.to_string());
        prop_assert_eq!(&a, &b);
        if let Ok(v) = a {
            for i in 0..n {
                let expect = (valid[i] == 1).then_some(tolerated[i] == 1);
                prop_assert_eq!(v[i].maintenance_tolerated, expect, "row {}", i);
            }
        }
    }
}

#[test]
fn a_hand_computed_polars_slice() -> Result<(), Error> {
    // A slice of an Arrow boolean array: 10 rows from bit 5. Seizure (8)
    // set in rows 0, 3 and 9; arthritis (4) in rows 0 and 1; fever (1)
    // in row 2, whose validity bit is clear in row 4.
    let seizure = [0b0010_0000u8, 0b0100_0001, 0]; // bits 5, 8, 14
    let arthritis = [0b0110_0000u8, 0, 0]; // bits 5, 6
    let fever = [0b1000_0000u8, 0, 0]; // bit 7
    let fever_valid = [0xFFu8, 0b1111_1101, 0xFF]; // bit 9 clear: row 4
    let zeros = [0u8; 3];
    let bits = |b| Some(Column::new(Values::Bits(Bitmap::new(b, 5, 10))));
    let mut cols: [Option<Column<'_>>; 24] = [bits(&zeros); 24];
    cols[0] = bits(&seizure);
    cols[8] = bits(&arthritis);
    cols[21] = Some(
        Column::new(Values::Bits(Bitmap::new(&fever, 5, 10))).with_validity(Bitmap::new(
            &fever_valid,
            5,
            10,
        )),
    );
    let t = totals::evaluate(&cols, 10, Measure::Sledai2k, IncompleteRows::Range)?;
    assert_eq!(t.low(), [12, 4, 1, 8, 0, 0, 0, 0, 0, 8]);
    assert_eq!(t.high(), Some(&[12, 4, 1, 8, 1, 0, 0, 0, 0, 8][..]));
    let t = totals::evaluate(&cols, 10, Measure::Sledai2k, IncompleteRows::Missing)?;
    assert_eq!(t.low(), [12, 4, 1, 8, 0, 0, 0, 0, 0, 8]);
    let flags: Vec<bool> = (0..10).map(|i| i == 4).collect();
    assert_eq!(t.incomplete(), Some(&flags[..]));
    let e = totals::evaluate(&cols, 10, Measure::Sledai2k, IncompleteRows::Error).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("item 4: assessment is incomplete"),
        "{e}"
    );
    Ok(())
}

#[test]
fn rows_past_a_block_and_absent_columns() -> Result<(), Error> {
    // 5000 rows (past the kernel's 1,024-row blocks, not a multiple of 8)
    // from bit 3; the serology columns absent: clinical SLEDAI is complete
    // (they do not count, docs/reference.md section 1.4), SLEDAI-2K is not.
    let n = 5000;
    let raw: Vec<u8> = (0..=n / 8)
        .map(|i| u8::try_from(i * 37 % 256).unwrap())
        .collect();
    let mut cols: [Option<Column<'_>>; 24] =
        [Some(Column::new(Values::Bits(Bitmap::new(&raw, 3, n)))); 24];
    cols[19] = None;
    cols[20] = None;
    let cells = unpack(&raw, 3, n);
    let clinical = totals::evaluate(&cols, n, Measure::ClinicalSledai, IncompleteRows::Error)?;
    let range = totals::evaluate(&cols, n, Measure::Sledai2k, IncompleteRows::Range)?;
    let flagged = totals::evaluate(&cols, n, Measure::Sledai2k, IncompleteRows::Missing)?;
    let weights: i16 = (1..=24)
        .filter(|p| !(20..=21).contains(p))
        .map(reference_weight)
        .sum();
    for i in 0..n {
        let expect = i16::from(cells[i]) * weights;
        assert_eq!(clinical.low()[i], expect, "row {i}");
        assert_eq!(range.low()[i], expect, "row {i}");
        assert_eq!(range.high().unwrap()[i], expect + 4, "row {i}");
        assert_eq!(flagged.low()[i], 0, "row {i}");
    }
    assert!(flagged.incomplete().unwrap().iter().all(|&f| f));
    Ok(())
}

#[test]
fn short_buffers_are_errors_not_panics() {
    let n = 10;
    let ok = [0u8; 2];
    let short = [0u8; 1];
    let good_column = Column::new(Values::Bits(Bitmap::new(&ok, 0, n)));
    let good = Some(good_column);
    // 10 rows from bit 7 need 17 bits: 2 bytes are 16.
    let cases = [
        (
            Column::new(Values::Bits(Bitmap::new(&short, 0, n))),
            "values",
        ),
        (Column::new(Values::Bits(Bitmap::new(&ok, 7, n))), "values"),
        (
            Column::new(Values::Bits(Bitmap::new(&ok, usize::MAX, n))),
            "values",
        ),
        (
            Column::new(Values::Bits(Bitmap::new(&ok, 0, n)))
                .with_validity(Bitmap::new(&short, 0, n)),
            "validity",
        ),
        (
            Column::new(Values::Bool(&[0; 10])).with_validity(Bitmap::new(&ok, 7, n)),
            "validity",
        ),
    ];
    let mut names: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
    names.push("maintenance_tolerated");
    let header = tables::resolve(&names, &HeaderOptions::default()).unwrap();
    let sixth = Descriptor::ALL[5].id();
    for (bad, which) in cases {
        let mut cols = [good; 24];
        cols[5] = Some(bad);
        // The error names the column, the bitmap and its shortfall.
        let expect = |e: Error, column: &str| match e {
            Error::InvalidValue {
                field,
                value,
                reason,
                ..
            } => {
                assert_eq!(field, column);
                assert!(value.contains("rows from bit"), "{value}");
                let shorter = format!("the {which} bitmap's buffer is shorter");
                assert!(reason.contains(&shorter), "{reason}");
            }
            other => panic!("{other}"),
        };
        for policy in POLICIES {
            let e = totals::evaluate(&cols, n, Measure::Sledai2k, policy).unwrap_err();
            expect(e, sixth);
        }
        expect(column::descriptor_masks(&cols, n).unwrap_err(), sixth);
        let mut flat: Vec<Column<'_>> = cols.iter().map(|c| c.unwrap()).collect();
        flat.push(Column::new(Values::Missing));
        expect(column::visits(&header, &flat, n).unwrap_err(), sixth);
        // The same column as a visit field.
        flat[5] = good_column;
        flat[24] = bad;
        let e = column::visits(&header, &flat, n).unwrap_err();
        expect(e, "maintenance_tolerated");
    }
    // A bitmap or validity of another length than the table's.
    let wrong = Column::new(Values::Bits(Bitmap::new(&ok, 0, 9)));
    let mut cols = [good; 24];
    cols[0] = Some(wrong);
    assert!(matches!(
        totals::evaluate(&cols, n, Measure::Sledai2k, IncompleteRows::Missing),
        Err(Error::LengthMismatch {
            input: 9,
            output: 10,
            ..
        })
    ));
    cols[0] = Some(good_column.with_validity(Bitmap::new(&ok, 0, 11)));
    assert!(matches!(
        column::descriptor_masks(&cols, n),
        Err(Error::LengthMismatch {
            input: 11,
            output: 10,
            ..
        })
    ));
}

#[test]
fn bitmap_get_follows_the_arrow_bit_order() {
    // Every 2-byte buffer, every offset and length that fits.
    for a in 0..=255u8 {
        for b in 0..=255u8 {
            let buf = [a, b];
            for off in 0..8 {
                let len = 16 - off;
                let bm = Bitmap::new(&buf, off, len);
                let expect = unpack(&buf, off, len);
                for i in 0..len {
                    assert_eq!(bm.get(i), Some(expect[i] == 1));
                }
                assert_eq!(bm.get(len), None);
            }
        }
    }
    assert_eq!(Bitmap::new(&[0xFF], 4, 8).get(4), None); // past the buffer
}

#[test]
fn a_validity_bitmap_and_a_byte_mask_together_mark_the_union() -> Result<(), Error> {
    // Rows 0..10 of arthritis (4), given four ways with the same cells:
    // bits with a validity bitmap and a byte mask, bytes with a validity
    // bitmap, integers with one, and bytes with the union as a byte mask.
    // Row 2 is null by the validity bitmap, row 5 by the byte mask.
    let n = 10;
    let cells: [u8; 10] = [1, 0, 1, 1, 0, 1, 0, 0, 1, 1];
    let valid: Vec<u8> = (0..n).map(|i| u8::from(i != 2)).collect();
    let mask: Vec<u8> = (0..n).map(|i| u8::from(i == 5)).collect();
    let union: Vec<u8> = (0..n).map(|i| u8::from(i == 2 || i == 5)).collect();
    let (bits, validity) = (pack(&cells, 3, true), pack(&valid, 6, false));
    let ints: Vec<i64> = cells.iter().map(|&c| i64::from(c)).collect();
    let zeros = [0u8; 10];
    let reps = [
        Column::new(Values::Bits(Bitmap::new(&bits, 3, n)))
            .with_validity(Bitmap::new(&validity, 6, n))
            .with_missing(&mask),
        Column::new(Values::Bool(&cells))
            .with_validity(Bitmap::new(&validity, 6, n))
            .with_missing(&mask),
        Column::new(Values::I64(&ints))
            .with_validity(Bitmap::new(&validity, 6, n))
            .with_missing(&mask),
    ];
    let plain = Column::new(Values::Bool(&cells)).with_missing(&union);
    let mut expect_cols: [Option<Column<'_>>; 24] = [Some(Column::new(Values::Bool(&zeros))); 24];
    expect_cols[8] = Some(plain);
    for rep in reps {
        let mut cols = expect_cols;
        cols[8] = Some(rep);
        for policy in POLICIES {
            let got =
                totals::evaluate(&cols, n, Measure::Sledai2k, policy).map_err(|e| e.to_string());
            let want = totals::evaluate(&expect_cols, n, Measure::Sledai2k, policy)
                .map_err(|e| e.to_string());
            assert_eq!(got, want, "{policy:?}");
        }
        assert_eq!(
            column::descriptor_masks(&cols, n)?,
            column::descriptor_masks(&expect_cols, n)?
        );
    }
    // By the definition: arthritis weighs 4; rows 2 and 5 not assessed.
    let t = totals::evaluate(&expect_cols, n, Measure::Sledai2k, IncompleteRows::Range)?;
    assert_eq!(t.low(), [4, 0, 0, 4, 0, 0, 0, 0, 4, 4]);
    assert_eq!(t.high(), Some(&[4, 0, 4, 4, 0, 4, 0, 0, 4, 4][..]));
    Ok(())
}
