//! Properties of totals, ranges and round trips, checked with proptest.

#![allow(clippy::cast_possible_truncation)] // test arithmetic on small, known ranges

use proptest::prelude::*;
use sledai::{Assessment, Date, Descriptor, DescriptorSet, Finding, Score};

/// Reference weights (`docs/reference.md` section 1.2), by zero-based position.
const W: [u32; 24] = [
    8, 8, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4, 4, 4, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1,
];

fn independent_total(mask: u32) -> u32 {
    (0..24).filter(|i| mask >> i & 1 == 1).map(|i| W[i]).sum()
}

fn finding() -> impl Strategy<Value = Finding> {
    prop_oneof![
        Just(Finding::Present),
        Just(Finding::Absent),
        Just(Finding::NotAssessed)
    ]
}

fn assessment() -> impl Strategy<Value = Assessment> {
    proptest::collection::vec(finding(), 24).prop_map(|fs| {
        Descriptor::ALL
            .iter()
            .zip(fs)
            .fold(Assessment::not_assessed(), |a, (&d, f)| a.with(d, f))
    })
}

fn complete() -> impl Strategy<Value = Assessment> {
    (0u32..1 << 24).prop_map(|m| Assessment::from_masks(m, 0).expect("24-bit mask"))
}

proptest! {
    #[test]
    fn adding_a_present_descriptor_never_lowers_the_total(a in complete(), i in 0usize..24) {
        let d = Descriptor::ALL[i];
        let before = a.score().expect("complete");
        let after = a.with(d, Finding::Present).score().expect("complete");
        prop_assert!(after >= before);
        if a.get(d) == Finding::Absent {
            prop_assert_eq!(u32::from(after.get()), u32::from(before.get()) + W[i]);
        }
    }

    #[test]
    fn total_is_clinical_plus_serology(a in complete()) {
        let serology = [Descriptor::LowComplement, Descriptor::IncreasedDnaBinding]
            .iter()
            .filter(|&&d| a.get(d) == Finding::Present)
            .count() as u8 * 2;
        prop_assert_eq!(a.score().expect("complete").get(), a.clinical_score().expect("complete").get() + serology);
    }

    #[test]
    fn total_matches_independent_sum(a in complete()) {
        prop_assert_eq!(u32::from(a.score().expect("complete").get()), independent_total(a.present_mask()));
    }

    /// The range contains every completion's total, and its ends are reached.
    #[test]
    fn range_bounds_contain_every_completion(a in assessment()) {
        let range = a.score_range();
        let missing: Vec<Descriptor> = a.missing().iter().collect();
        // Enumerate all completions when few are missing, else a sample of 1024.
        let n = missing.len().min(10);
        let (mut lo, mut hi) = (u32::MAX, 0u32);
        for bits in 0u32..1 << n {
            let mut c = a;
            for (j, &d) in missing.iter().enumerate() {
                let present = if j < n { bits >> j & 1 == 1 } else { bits & 1 == 1 };
                c.set(d, if present { Finding::Present } else { Finding::Absent });
            }
            let t = c.score().expect("completion is complete");
            prop_assert!(range.contains(t));
            lo = lo.min(u32::from(t.get()));
            hi = hi.max(u32::from(t.get()));
        }
        // All-absent and all-present completions are among those enumerated.
        prop_assert_eq!(lo, u32::from(range.min().get()));
        prop_assert_eq!(hi, u32::from(range.max().get()));
        prop_assert_eq!(a.score().is_ok(), a.is_complete());
        if let Err(sledai::Error::IncompleteAssessment { missing, min, max, .. }) = a.score() {
            prop_assert_eq!(missing.to_vec(), a.missing().iter().map(sledai::Descriptor::id).collect::<Vec<_>>());
            prop_assert_eq!((min, max), (range.min().get(), range.max().get()));
        }
    }

    #[test]
    fn subtotals_add_up_to_the_range(a in assessment()) {
        let (lo, hi) = a.subtotals().fold((0u32, 0u32), |(l, h), (_, r)| {
            (l + u32::from(r.min().get()), h + u32::from(r.max().get()))
        });
        prop_assert_eq!(lo, u32::from(a.score_range().min().get()));
        prop_assert_eq!(hi, u32::from(a.score_range().max().get()));
    }

    #[test]
    fn serde_round_trip_is_lossless(a in assessment()) {
        let json = serde_json::to_string(&a).expect("serializes");
        let back: Assessment = serde_json::from_str(&json).expect("deserializes");
        prop_assert_eq!(back, a);
    }

    #[test]
    fn masks_round_trip(a in assessment()) {
        prop_assert_eq!(Assessment::from_masks(a.present_mask(), a.not_assessed_mask()), Ok(a));
        prop_assert_eq!(Assessment::from_sets(a.present(), a.missing()), Ok(a));
    }

    #[test]
    fn descriptor_set_round_trips(bits in 0u32..1 << 24) {
        let set = DescriptorSet::from_bits(bits).expect("24 bits");
        prop_assert_eq!(set.iter().collect::<DescriptorSet>(), set);
        prop_assert_eq!(set.iter().rev().count(), set.len());
        prop_assert_eq!(set.weight() as u32, independent_total(bits));
        let json = serde_json::to_string(&set).expect("serializes");
        prop_assert_eq!(serde_json::from_str::<DescriptorSet>(&json).expect("deserializes"), set);
    }

    #[test]
    fn invalid_masks_are_errors_never_panics(present: u32, not_assessed: u32) {
        let valid = present >> 24 == 0 && not_assessed >> 24 == 0 && present & not_assessed == 0;
        prop_assert_eq!(Assessment::from_masks(present, not_assessed).is_ok(), valid);
        prop_assert_eq!(Score::from_mask(present).is_ok(), present >> 24 == 0);
    }

    #[test]
    fn descriptor_parsing_never_panics(s in "\\PC{0,40}") {
        match s.parse::<Descriptor>() {
            Ok(d) => prop_assert_eq!(d.id(), s.as_str()),
            Err(e) => prop_assert!(e.to_string().contains("unknown descriptor")),
        }
    }

    #[test]
    fn score_new_accepts_exactly_0_to_105(v: u8) {
        prop_assert_eq!(Score::new(v).is_ok(), v <= 105);
    }

    #[test]
    fn date_string_round_trip(days in 0i32..3_652_058) {
        let d = Date::MIN.checked_add_days(days).expect("in range");
        prop_assert_eq!(d.to_string().parse::<Date>(), Ok(d));
        prop_assert_eq!(d.days_since(Date::MIN), days);
    }

    #[test]
    fn date_matches_jiff(days in 0i32..3_652_058) {
        let ours = Date::MIN.checked_add_days(days).expect("in range");
        let theirs = jiff::civil::date(1, 1, 1)
            .checked_add(jiff::Span::new().days(i64::from(days)))
            .expect("in range");
        prop_assert_eq!(ours.to_string(), theirs.to_string());
    }

    #[test]
    fn date_parsing_never_panics(s in "\\PC{0,12}") {
        if let Ok(d) = s.parse::<Date>() {
            prop_assert_eq!(d.to_string(), s);
        }
    }
}
