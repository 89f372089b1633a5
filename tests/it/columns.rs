//! `sledai::columns::score_columns` against independent facts: the weights
//! transcribed from `docs/reference.md` (section 1.2, Gladman 2002
//! Table 1) and the row-wise `Assessment` totals and ranges.

use proptest::prelude::*;
use sledai::change::Measure;
use sledai::columns::{Incomplete, score_columns};
use sledai::{Assessment, Descriptor, Error, Finding};

/// Reference weights by form position (`docs/reference.md` section 1.2),
/// typed here, not read from the crate: 1-8 weigh 8, 9-14 weigh 4, 15-21
/// weigh 2, 22-24 weigh 1.
const REFERENCE_WEIGHTS: [u8; 24] = [
    8, 8, 8, 8, 8, 8, 8, 8, // seizure .. vasculitis
    4, 4, 4, 4, 4, 4, // arthritis .. pyuria
    2, 2, 2, 2, 2, 2, 2, // rash .. increased_dna_binding
    1, 1, 1, // fever, thrombocytopenia, leukopenia
];
/// Serology positions (20 low complement, 21 increased DNA binding), 0-based.
const SEROLOGY: [usize; 2] = [19, 20];

fn refs(cols: &[Vec<u8>]) -> [&[u8]; 24] {
    std::array::from_fn(|j| cols[j].as_slice())
}

fn mask_refs(masks: &[Option<Vec<u8>>]) -> [Option<&[u8]>; 24] {
    std::array::from_fn(|j| masks[j].as_deref())
}

fn assessment_of(cols: &[Vec<u8>], masks: &[Option<Vec<u8>>], i: usize) -> Assessment {
    let mut a = Assessment::not_assessed();
    for (j, d) in Descriptor::ALL.into_iter().enumerate() {
        let missing = masks[j].as_ref().is_some_and(|m| m[i] == 1);
        a.set(
            d,
            if missing {
                Finding::NotAssessed
            } else if cols[j][i] == 1 {
                Finding::Present
            } else {
                Finding::Absent
            },
        );
    }
    a
}

#[test]
fn each_descriptor_alone_weighs_its_reference_weight() -> Result<(), Error> {
    // Row j has only descriptor j present: 24 rows, one per descriptor.
    let cols: Vec<Vec<u8>> = (0..24)
        .map(|j| (0..24).map(|i| u8::from(i == j)).collect())
        .collect();
    let mut totals = [0u8; 24];
    score_columns(
        &refs(&cols),
        &[None; 24],
        Measure::Sledai2k,
        &mut totals,
        Incomplete::Error,
    )?;
    assert_eq!(totals, REFERENCE_WEIGHTS);
    score_columns(
        &refs(&cols),
        &[None; 24],
        Measure::ClinicalSledai,
        &mut totals,
        Incomplete::Error,
    )?;
    for (j, &t) in totals.iter().enumerate() {
        let expected = if SEROLOGY.contains(&j) {
            0
        } else {
            REFERENCE_WEIGHTS[j]
        };
        assert_eq!(t, expected, "position {}", j + 1);
    }
    Ok(())
}

#[test]
fn all_present_is_105_and_clinical_101() -> Result<(), Error> {
    // `docs/reference.md` section 1.2: 8x8 + 6x4 + 7x2 + 3x1 = 105; cSLEDAI max 101.
    let one = [1u8];
    let cols: [&[u8]; 24] = [&one; 24];
    let mut t = [0i32; 1];
    score_columns(
        &cols,
        &[None; 24],
        Measure::Sledai2k,
        &mut t,
        Incomplete::Error,
    )?;
    assert_eq!(t, [105]);
    score_columns(
        &cols,
        &[None; 24],
        Measure::ClinicalSledai,
        &mut t,
        Incomplete::Error,
    )?;
    assert_eq!(t, [101]);
    Ok(())
}

#[test]
fn rows_past_a_chunk_and_garbage_under_masks() -> Result<(), Error> {
    // 70,000 rows crosses the kernel's 65,536-row chunk.
    let n = 70_000;
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut cols: Vec<Vec<u8>> = (0..24)
        .map(|_| (0..n).map(|_| u8::from(next() % 4 == 0)).collect())
        .collect();
    let masks: Vec<Option<Vec<u8>>> = (0..24)
        .map(|j| (j % 5 == 0).then(|| (0..n).map(|_| u8::from(next() % 50 == 0)).collect()))
        .collect();
    // Garbage under a mask is ignored.
    let (gj, gi) = (
        0,
        (0..n)
            .find(|&i| masks[0].as_ref().unwrap()[i] == 1)
            .unwrap(),
    );
    cols[gj][gi] = 200;
    for measure in [Measure::Sledai2k, Measure::ClinicalSledai] {
        let mut totals = vec![0i16; n];
        let mut flags = vec![false; n];
        let some = score_columns(
            &refs(&cols),
            &mask_refs(&masks),
            measure,
            &mut totals,
            Incomplete::Flag(&mut flags),
        )?;
        assert_eq!(some, flags.iter().any(|&f| f));
        for i in 0..n {
            let a = assessment_of(&cols, &masks, i);
            let (exact, range) = match measure {
                Measure::ClinicalSledai => (a.clinical_score(), a.clinical_score_range()),
                _ => (a.score(), a.score_range()),
            };
            assert_eq!(flags[i], exact.is_err(), "row {i}");
            assert_eq!(totals[i], i16::from(range.min().get()), "row {i}");
        }
    }
    Ok(())
}

#[test]
fn errors_name_row_and_descriptor() {
    let zeros = vec![0u8; 5];
    let mut bad = zeros.clone();
    bad[3] = 2;
    let mut cols: [&[u8]; 24] = [&zeros; 24];
    cols[13] = &bad; // pyuria
    let mut t = [0u8; 5];
    let err = score_columns(
        &cols,
        &[None; 24],
        Measure::Sledai2k,
        &mut t,
        Incomplete::Error,
    )
    .unwrap_err();
    match err {
        Error::InBatch {
            index: 3, source, ..
        } => {
            assert!(
                matches!(*source, Error::InvalidValue { field: "pyuria", ref value, .. } if &**value == "2")
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    // A length mismatch.
    let short = [0u8; 4];
    cols[13] = &short;
    assert!(matches!(
        score_columns(
            &cols,
            &[None; 24],
            Measure::Sledai2k,
            &mut t,
            Incomplete::Error
        ),
        Err(Error::LengthMismatch {
            input: 4,
            output: 5,
            ..
        })
    ));
    // A mask byte other than 0/1.
    cols[13] = &zeros;
    let mut masks: [Option<&[u8]>; 24] = [None; 24];
    let two = [0u8, 0, 2, 0, 0];
    masks[0] = Some(&two);
    assert!(matches!(
        score_columns(&cols, &masks, Measure::Sledai2k, &mut t, Incomplete::Error),
        Err(Error::InBatch { index: 2, .. })
    ));
    // Serology missing does not make clinical SLEDAI incomplete
    // (`docs/reference.md` section 1.4), but does make SLEDAI-2K incomplete.
    let one_missing = [0u8, 1, 0, 0, 0];
    let mut masks: [Option<&[u8]>; 24] = [None; 24];
    masks[19] = Some(&one_missing);
    assert_eq!(
        score_columns(
            &cols,
            &masks,
            Measure::ClinicalSledai,
            &mut t,
            Incomplete::Error
        ),
        Ok(false)
    );
    match score_columns(&cols, &masks, Measure::Sledai2k, &mut t, Incomplete::Error) {
        Err(Error::InBatch {
            index: 1, source, ..
        }) => match *source {
            Error::IncompleteAssessment {
                missing, min, max, ..
            } => {
                assert_eq!(missing[..], [Descriptor::LowComplement.id()]);
                assert_eq!((min, max), (0, 2));
            }
            other => panic!("unexpected {other:?}"),
        },
        other => panic!("unexpected {other:?}"),
    }
}

/// Issue 13: a reused flag buffer is written whole, so a stale `true` from
/// an earlier call cannot mark a complete row incomplete.
#[test]
fn a_reused_flag_buffer_is_written_whole() -> Result<(), Error> {
    let zero = [0u8; 3];
    let cols: [&[u8]; 24] = [&zero; 24];
    let missing = [1u8, 0, 0]; // fever not assessed in row 0 only
    let mut masks: [Option<&[u8]>; 24] = [None; 24];
    masks[21] = Some(&missing);
    let mut t = [0u8; 3];
    let mut flags = [true, true, true];
    let some = score_columns(
        &cols,
        &masks,
        Measure::Sledai2k,
        &mut t,
        Incomplete::Flag(&mut flags),
    )?;
    assert!(some);
    assert_eq!(flags, [true, false, false]);
    // Nothing missing at all: every stale flag is cleared.
    let mut flags = [true, true, true];
    let some = score_columns(
        &cols,
        &[None; 24],
        Measure::Sledai2k,
        &mut t,
        Incomplete::Flag(&mut flags),
    )?;
    assert!(!some);
    assert_eq!(flags, [false, false, false]);
    Ok(())
}

#[test]
fn empty_input() -> Result<(), Error> {
    let empty: [&[u8]; 24] = [&[]; 24];
    let mut t: [u8; 0] = [];
    assert!(!score_columns(
        &empty,
        &[None; 24],
        Measure::Sledai2k,
        &mut t,
        Incomplete::Error
    )?);
    Ok(())
}

proptest! {
    /// Random rows with random missing cells: totals are the low end of
    /// each row's `Assessment` range, and the incomplete flags are exactly
    /// the rows whose exact score is an error.
    #[test]
    fn agrees_with_assessment(
        rows in proptest::collection::vec((0u32..(1 << 24), 0u32..(1 << 24), 0u32..8), 0..300),
        clinical in any::<bool>(),
    ) {
        let n = rows.len();
        let cols: Vec<Vec<u8>> = (0..24).map(|j| rows.iter().map(|r| u8::from(r.0 >> j & 1 == 1)).collect()).collect();
        // Sparse missing cells: a row's mask only when its third value is 0.
        let masks: Vec<Option<Vec<u8>>> = (0..24).map(|j| Some(rows.iter().map(|r| u8::from(r.2 == 0 && r.1 >> j & 1 == 1)).collect())).collect();
        let measure = if clinical { Measure::ClinicalSledai } else { Measure::Sledai2k };
        let mut totals = vec![0u16; n];
        let mut flags = vec![false; n];
        score_columns(&refs(&cols), &mask_refs(&masks), measure, &mut totals, Incomplete::Flag(&mut flags)).unwrap();
        for i in 0..n {
            let a = assessment_of(&cols, &masks, i);
            let (exact, range) = if clinical {
                (a.clinical_score(), a.clinical_score_range())
            } else {
                (a.score(), a.score_range())
            };
            prop_assert_eq!(flags[i], exact.is_err());
            prop_assert_eq!(totals[i], u16::from(range.min().get()));
            // And the weights transcribed from the reference.
            let reference: u16 = (0..24)
                .filter(|&j| !(clinical && SEROLOGY.contains(&j)))
                .filter(|&j| cols[j][i] == 1 && masks[j].as_ref().is_none_or(|m| m[i] == 0))
                .map(|j| u16::from(REFERENCE_WEIGHTS[j]))
                .sum();
            prop_assert_eq!(totals[i], reference);
        }
    }
}
