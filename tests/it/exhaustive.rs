//! Every one of the 2^24 complete assessments, scored by the crate and by an
//! independent sum written here from the reference weights
//! (`docs/reference.md` section 1.2: positions 1-8 weigh 8, 9-14 weigh 4,
//! 15-21 weigh 2, 22-24 weigh 1).

#![allow(clippy::cast_possible_truncation)] // test arithmetic on small, known ranges

use sledai::{Assessment, Date, clinical_score_masks, score_masks};

/// Weight of the descriptor at zero-based form position `i`, from the reference.
fn reference_weight(i: u32) -> u32 {
    match i {
        0..=7 => 8,
        8..=13 => 4,
        14..=20 => 2,
        21..=23 => 1,
        _ => unreachable!("24 descriptors"),
    }
}

/// Per-byte lookup tables of the independent sum: byte k of the mask covers
/// positions 8k..8k+7.
fn byte_tables(skip_serology: bool) -> [[u32; 256]; 3] {
    let mut t = [[0u32; 256]; 3];
    for (k, table) in t.iter_mut().enumerate() {
        for (b, slot) in table.iter_mut().enumerate() {
            *slot = (0..8)
                .filter(|j| b >> j & 1 == 1)
                .map(|j| 8 * k as u32 + j)
                // positions 20 and 21 (zero-based 19, 20) are the serology items
                .filter(|&i| !(skip_serology && (i == 19 || i == 20)))
                .map(reference_weight)
                .sum();
        }
    }
    t
}

/// Coefficients of (1+x^8)^8 (1+x^4)^6 (1+x^2)^7 (1+x)^3: the number of
/// complete assessments with each total.
fn generating_function() -> Vec<u64> {
    let mut poly = vec![1u64];
    for (w, n) in [(8usize, 8), (4, 6), (2, 7), (1, 3)] {
        for _ in 0..n {
            let mut next = vec![0u64; poly.len() + w];
            for (e, &c) in poly.iter().enumerate() {
                next[e] += c;
                next[e + w] += c;
            }
            poly = next;
        }
    }
    poly
}

#[test]
fn all_2_pow_24_complete_assessments() {
    let t = byte_tables(false);
    let tc = byte_tables(true);
    let mut histogram = vec![0u64; 106];
    let mut clinical_histogram = vec![0u64; 102];
    const CHUNK: u32 = 1 << 16;
    let mut masks = vec![0u32; CHUNK as usize];
    let mut totals = vec![0u8; CHUNK as usize];
    let mut clinical = vec![0u8; CHUNK as usize];
    for start in (0..1u32 << 24).step_by(CHUNK as usize) {
        for (i, m) in masks.iter_mut().enumerate() {
            *m = start + i as u32;
        }
        score_masks(&masks, &mut totals).expect("valid masks");
        clinical_score_masks(&masks, &mut clinical).expect("valid masks");
        for ((&m, &s), &c) in masks.iter().zip(&totals).zip(&clinical) {
            let b = |k: u32| (m >> (8 * k) & 0xFF) as usize;
            let expect = t[0][b(0)] + t[1][b(1)] + t[2][b(2)];
            let expect_clinical = tc[0][b(0)] + tc[1][b(1)] + tc[2][b(2)];
            assert_eq!(u32::from(s), expect, "mask {m:#08x}");
            assert_eq!(u32::from(c), expect_clinical, "mask {m:#08x}");
            histogram[usize::from(s)] += 1;
            clinical_histogram[usize::from(c)] += 1;
        }
    }
    // Every total 0..=105 is reachable, and the count per total is the
    // generating-function coefficient.
    let gf = generating_function();
    assert_eq!(gf.len(), 106);
    assert_eq!(histogram, gf);
    assert!(histogram.iter().all(|&n| n > 0));
    // Clinical SLEDAI: the two serology bits are free, so every clinical
    // total is counted 4 times per assessment of the other 22 items.
    assert_eq!(clinical_histogram.iter().sum::<u64>(), 1 << 24);
    assert_eq!(clinical_histogram[101], 4);
}

#[test]
fn public_api_agrees_with_batch_on_a_stride() {
    let t = byte_tables(false);
    // Every 97th mask through the Assessment API (about 173,000 assessments).
    for m in (0..1u32 << 24).step_by(97) {
        let a = Assessment::from_masks(m, 0).expect("valid mask");
        let b = |k: u32| (m >> (8 * k) & 0xFF) as usize;
        let expect = t[0][b(0)] + t[1][b(1)] + t[2][b(2)];
        assert_eq!(u32::from(a.score().expect("complete").get()), expect);
        assert_eq!(a.score_range().min(), a.score_range().max());
    }
}

/// Every PGA (31 tenths) and every SLEDAI-2K total (0-105) reads back what
/// it writes; the values just outside are rejected.
#[test]
fn pga_and_score_text_round_trips_exhaustively() {
    for t in 0..=30u8 {
        let p = sledai::Pga::from_tenths(t).unwrap();
        let text = p.to_string();
        assert_eq!(text, format!("{}.{}", t / 10, t % 10));
        assert_eq!(text.parse::<sledai::Pga>().unwrap(), p);
    }
    assert!("3.1".parse::<sledai::Pga>().is_err());
    assert!("-0.1".parse::<sledai::Pga>().is_err());
    for v in 0..=105u8 {
        let s = sledai::Score::new(v).unwrap();
        assert_eq!(s.to_string(), v.to_string());
        assert_eq!(v.to_string().parse::<sledai::Score>().unwrap(), s);
    }
    assert!("106".parse::<sledai::Score>().is_err());
    assert!("-1".parse::<sledai::Score>().is_err());
}

/// Every day from 0001-01-01 to 9999-12-31 (3,652,059 days), walked with
/// `jiff`'s calendar (an independent implementation): the crate's date
/// `k` days after 0001-01-01 has jiff's year, month, day and ISO text,
/// parses back from that text, is `Date::new` of its parts, counts `k`
/// days from the start, and orders after the day before.
#[test]
fn every_date_agrees_with_jiff() {
    let mut theirs = jiff::civil::date(1, 1, 1);
    let mut previous: Option<Date> = None;
    for k in 0..3_652_059 {
        let ours = Date::MIN.checked_add_days(k).expect("in the span");
        let (y, m, d) = (
            i32::from(theirs.year()),
            u32::try_from(theirs.month()).expect("1-12"),
            u32::try_from(theirs.day()).expect("1-31"),
        );
        assert_eq!((ours.year(), ours.month(), ours.day()), (y, m, d));
        assert_eq!(Date::new(y, m, d), Ok(ours));
        let text = ours.to_string();
        assert_eq!(text, theirs.to_string());
        assert_eq!(text.parse::<Date>(), Ok(ours));
        assert_eq!(ours.days_since(Date::MIN), k);
        assert_eq!(Date::MIN.days_since(ours), -k);
        if let Some(p) = previous {
            assert!(p < ours);
            assert_eq!(p.checked_add_days(1), Some(ours));
            assert_eq!(ours.checked_add_days(-1), Some(p));
        }
        previous = Some(ours);
        if k < 3_652_058 {
            theirs = theirs.tomorrow().expect("before 9999-12-31");
        }
    }
    assert_eq!(previous, Some(Date::MAX));
    assert_eq!(Date::MAX.checked_add_days(1), None);
}
