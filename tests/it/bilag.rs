//! BILAG-2004 grade-level measures (new A / new B, flare, numeric score),
//! BICLA, full SRI-k and the DORIS 2017 variants.
//!
//! Two kinds of check:
//! - an independent implementation: every completion of the unrecorded
//!   grades, not-assessed descriptors, missing PGAs (each tenth 0.0-3.0),
//!   doses and flags is enumerated and judged by a direct transcription of
//!   the published rule, then met / not met / indeterminate is read off
//!   (docs/reference.md section 9.7) and compared with the library on
//!   generated patients;
//! - hand cases, each naming its source. Expected values are written here
//!   from the sources, never taken from the code's output.

use proptest::prelude::*;
use sledai::bilag::{
    BiclaBaselineActivity, BiclaInput, BiclaOptions, BiclaPga, BiclaSledai, BilagGrade,
    BilagGradeE, BilagGrades, BilagNewB, BilagOptions, BilagSystem, Flare, evaluate_bicla, flare,
    new_counts,
};
use sledai::change::{
    ScoreChange, Sri, SriCriterion, SriInput, SriOptions, SriTreatmentFailure, evaluate_sri,
};
use sledai::glucocorticoid::PrednisoneEquivalent;
use sledai::remission_2017::{
    self, Doris2017Glucocorticoid, Doris2017Index, Doris2017Pga, Doris2017Variant,
    DorisOffTreatmentAntimalarial, Remission2017Options, Treatment,
};
use sledai::target::{Criterion, TargetInputs};
use sledai::vocabulary::Vocabulary;
use sledai::{Assessment, Descriptor, Error, Finding, Pga, Score, TriState};

use BilagGrade::{A, B, C, D, E};
use BilagSystem::{Mucocutaneous, Musculoskeletal, Renal};
use TriState::{Indeterminate, Met, NotMet};

type TestResult = Result<(), Box<dyn std::error::Error>>;

// ---------------------------------------------------------------------------
// The independent oracle
// ---------------------------------------------------------------------------

/// The letters, as the sources write them.
const LETTERS: [char; 5] = ['A', 'B', 'C', 'D', 'E'];

fn letter(g: BilagGrade) -> char {
    match g {
        A => 'A',
        B => 'B',
        C => 'C',
        D => 'D',
        E => 'E',
    }
}

/// Section 9.3: new A = A now after B, C, D or E at baseline.
fn new_a(base: char, now: char) -> bool {
    now == 'A' && "BCDE".contains(base)
}

/// Section 9.3 (Gordon 2003): new B = B now after C, D or E (or only D, E).
fn new_b(base: char, now: char, from_d_e: bool) -> bool {
    now == 'B'
        && if from_d_e {
            "DE".contains(base)
        } else {
            "CDE".contains(base)
        }
}

/// Section 9.4: new or worse A after B-E, B after C-E, C after D or E.
fn flare_of(prev: &[char; 9], now: &[char; 9]) -> Flare {
    let mut counts = [0; 3];
    for (p, n) in prev.iter().zip(now) {
        match n {
            'A' if "BCDE".contains(*p) => counts[0] += 1,
            'B' if "CDE".contains(*p) => counts[1] += 1,
            'C' if "DE".contains(*p) => counts[2] += 1,
            _ => {}
        }
    }
    // "severe = new or worse A, moderate = >=2 B new or worse, mild = >=1B
    // or >=3C new or worse" (Petri 2013), ranked.
    if counts[0] >= 1 {
        Flare::Severe
    } else if counts[1] >= 2 {
        Flare::Moderate
    } else if counts[1] >= 1 || counts[2] >= 3 {
        Flare::Mild
    } else {
        Flare::None
    }
}

/// Every completion of two visits' grades: `None` is any of A-E; under
/// strict no E after A-D.
fn grade_completions(
    base: &[Option<BilagGrade>; 9],
    now: &[Option<BilagGrade>; 9],
    strict: bool,
) -> Vec<([char; 9], [char; 9])> {
    let mut out = vec![(['?'; 9], ['?'; 9])];
    for i in 0..9 {
        let bs: Vec<char> = base[i].map_or(LETTERS.to_vec(), |g| vec![letter(g)]);
        let ns: Vec<char> = now[i].map_or(LETTERS.to_vec(), |g| vec![letter(g)]);
        let mut next = Vec::new();
        for (b0, n0) in &out {
            for &b in &bs {
                for &n in &ns {
                    if strict && n == 'E' && b != 'E' {
                        continue;
                    }
                    let (mut b1, mut n1) = (*b0, *n0);
                    b1[i] = b;
                    n1[i] = n;
                    next.push((b1, n1));
                }
            }
        }
        out = next;
    }
    out
}

/// Met if every outcome is true, not met if none is, else indeterminate.
fn verdict(outcomes: impl IntoIterator<Item = bool>) -> TriState {
    let (mut some, mut all) = (false, true);
    for o in outcomes {
        some |= o;
        all &= o;
    }
    match (some, all) {
        (true, true) => Met,
        (false, _) => NotMet,
        _ => Indeterminate,
    }
}

/// The descriptors the generated assessments use, with their SLEDAI-2K
/// weights (Gladman 2002, `docs/reference.md` section 1.2), and whether serology.
const ITEMS: [(Descriptor, u8, bool); 8] = [
    (Descriptor::Arthritis, 4, false),
    (Descriptor::Proteinuria, 4, false),
    (Descriptor::Rash, 2, false),
    (Descriptor::Alopecia, 2, false),
    (Descriptor::LowComplement, 2, true),
    (Descriptor::IncreasedDnaBinding, 2, true),
    (Descriptor::Fever, 1, false),
    (Descriptor::Leukopenia, 1, false),
];

/// A generated assessment over [`ITEMS`]: `Some(present)` or `None` (not
/// assessed); every other descriptor absent.
type Items = [Option<bool>; 8];

fn assessment(items: &Items) -> Assessment {
    let mut a = Assessment::from_present([]);
    for (i, v) in items.iter().enumerate() {
        let f = match v {
            Some(true) => Finding::Present,
            Some(false) => Finding::Absent,
            None => Finding::NotAssessed,
        };
        a = a.with(ITEMS[i].0, f);
    }
    a
}

fn item_completions(items: &Items) -> Vec<[bool; 8]> {
    let mut out = vec![[false; 8]];
    for i in 0..8 {
        out = out
            .into_iter()
            .flat_map(|c| {
                let vs: Vec<bool> = items[i].map_or(vec![false, true], |v| vec![v]);
                vs.into_iter().map(move |v| {
                    let mut c = c;
                    c[i] = v;
                    c
                })
            })
            .collect();
    }
    out
}

/// SLEDAI-2K total of a complete completion; `clinical` leaves out serology.
fn total(c: &[bool; 8], clinical: bool) -> i16 {
    ITEMS
        .iter()
        .zip(c)
        .filter(|((_, _, sero), present)| **present && !(clinical && *sero))
        .map(|((_, w, _), _)| i16::from(*w))
        .sum()
}

fn pga_completions(p: Option<Pga>) -> Vec<i16> {
    p.map_or((0..=30).collect(), |p| vec![i16::from(p.tenths())])
}

fn flag_completions(f: Option<bool>) -> Vec<bool> {
    f.map_or(vec![false, true], |v| vec![v])
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

fn any_grade() -> impl Strategy<Value = BilagGrade> {
    prop::sample::select(vec![A, B, C, D, E])
}

/// Two visits' grades with at most `max_unknown` of the 18 unrecorded.
fn two_visits(
    max_unknown: usize,
) -> impl Strategy<Value = ([Option<BilagGrade>; 9], [Option<BilagGrade>; 9])> {
    (
        prop::array::uniform9(any_grade()),
        prop::array::uniform9(any_grade()),
        prop::collection::vec(0..18usize, 0..=max_unknown),
    )
        .prop_map(|(b, n, blank)| {
            let mut b = b.map(Some);
            let mut n = n.map(Some);
            for i in blank {
                if i < 9 {
                    b[i] = None;
                } else {
                    n[i - 9] = None;
                }
            }
            (b, n)
        })
}

/// Items with at most `max_missing` not assessed.
fn items(max_missing: usize) -> impl Strategy<Value = Items> {
    (
        prop::array::uniform8(prop::bool::weighted(0.3)),
        prop::collection::vec(0..8usize, 0..=max_missing),
    )
        .prop_map(|(p, blank)| {
            let mut out = p.map(Some);
            for i in blank {
                out[i] = None;
            }
            out
        })
}

fn opt_pga() -> impl Strategy<Value = Option<Pga>> {
    prop_oneof![
        1 => Just(None),
        4 => (0u8..=30).prop_map(|t| Pga::from_tenths(t).ok()),
    ]
}

fn opt_bool() -> impl Strategy<Value = Option<bool>> {
    prop_oneof![Just(None), Just(Some(false)), Just(Some(true))]
}

fn bilag_options() -> impl Strategy<Value = (BilagOptions, bool, bool)> {
    (any::<bool>(), any::<bool>()).prop_map(|(de, strict)| {
        let o = BilagOptions::default()
            .with_new_b(if de {
                BilagNewB::FromDE
            } else {
                BilagNewB::FromCDE
            })
            .with_grade_e(if strict {
                BilagGradeE::Strict
            } else {
                BilagGradeE::AsInactive
            });
        (o, de, strict)
    })
}

/// Under strict, a recorded E after A-D is an error; the oracle needs a
/// valid history.
fn valid_strict(b: &[Option<BilagGrade>; 9], n: &[Option<BilagGrade>; 9]) -> bool {
    b.iter()
        .zip(n)
        .all(|(b, n)| !matches!((b, n), (Some(b), Some(E)) if *b != E))
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// Properties: the library against the oracle
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(1500))]

    /// New A / new B counts: exact iff every completion gives the same.
    #[test]
    fn new_counts_match_enumeration((b, n) in two_visits(5), (o, de, strict) in bilag_options()) {
        let result = new_counts(&BilagGrades::new(b), &BilagGrades::new(n), o);
        if strict && !valid_strict(&b, &n) {
            let is_strict_error = matches!(result, Err(Error::InvalidValue { ref reason, .. }) if reason.starts_with("grade E after grade"));
            prop_assert!(is_strict_error);
            return Ok(());
        }
        let c = result.expect("valid");
        let mut av = Vec::new();
        let mut bv = Vec::new();
        for (bc, nc) in grade_completions(&b, &n, strict) {
            av.push((0..9).filter(|&i| new_a(bc[i], nc[i])).count());
            bv.push((0..9).filter(|&i| new_b(bc[i], nc[i], de)).count());
        }
        let range = |v: &[usize]| (*v.iter().min().unwrap(), *v.iter().max().unwrap());
        prop_assert_eq!((usize::from(c.new_a.min()), usize::from(c.new_a.max())), range(&av));
        prop_assert_eq!((usize::from(c.new_b.min()), usize::from(c.new_b.max())), range(&bv));
        let (lo, hi) = range(&av);
        prop_assert_eq!(c.new_a.exact().map(usize::from), (lo == hi).then_some(lo));
    }

    /// The flare: one category for every completion, else indeterminate.
    #[test]
    fn flare_matches_enumeration((p, n) in two_visits(5), (o, _, strict) in bilag_options()) {
        let result = flare(&BilagGrades::new(p), &BilagGrades::new(n), o);
        if strict && !valid_strict(&p, &n) {
            prop_assert!(result.is_err());
            return Ok(());
        }
        let mut cats: Vec<Flare> = grade_completions(&p, &n, strict)
            .iter()
            .map(|(pc, nc)| flare_of(pc, nc))
            .collect();
        cats.dedup();
        cats.sort_by_key(|f| f.as_str());
        cats.dedup();
        let expected = if cats.len() == 1 { cats[0] } else { Flare::Indeterminate };
        prop_assert_eq!(result.expect("valid"), expected);
    }

    /// The numeric score range over the completions (Yee 2010 values).
    #[test]
    fn numeric_matches_enumeration((g, _) in two_visits(4)) {
        let value = |c: char| match c { 'A' => 12, 'B' => 8, 'C' => 1, _ => 0 };
        let sums: Vec<u32> = grade_completions(&g, &[Some(E); 9], false)
            .iter()
            .map(|(c, _)| c.iter().map(|&x| value(x)).sum())
            .collect();
        let n = BilagGrades::new(g).numeric();
        prop_assert_eq!(u32::from(n.min()), *sums.iter().min().unwrap());
        prop_assert_eq!(u32::from(n.max()), *sums.iter().max().unwrap());
        prop_assert_eq!(n.exact().is_some(), g.iter().all(Option::is_some));
    }
}

/// The BICLA rules of `docs/reference.md` section 9.5, transcribed, on one completion.
#[allow(clippy::too_many_arguments)]
fn bicla_rules(
    bc: &[char; 9],
    nc: &[char; 9],
    from_d_e: bool,
    required: bool,
) -> (bool, bool, bool) {
    // 1. "all A scores falling to B, C or D and all B scores falling to C or D".
    let r1 = (0..9).all(|i| match bc[i] {
        'A' => "BCDE".contains(nc[i]),
        'B' => "CDE".contains(nc[i]),
        _ => true,
    });
    // 2. "no new BILAG A or more than one new BILAG B".
    let a = (0..9).filter(|&i| new_a(bc[i], nc[i])).count();
    let b = (0..9).filter(|&i| new_b(bc[i], nc[i], from_d_e)).count();
    let r2 = a == 0 && b <= 1;
    // 6. at least one A or B at baseline (required) or nothing (vacuous).
    let r6 = !required || bc.iter().any(|c| "AB".contains(*c));
    (r1, r2, r6)
}

#[derive(Debug, Clone)]
struct Patient {
    grades: ([Option<BilagGrade>; 9], [Option<BilagGrade>; 9]),
    base_items: Items,
    items: Items,
    base_pga: Option<Pga>,
    pga: Option<Pga>,
    failure: Option<bool>,
}

/// A visit grade that mostly improves on (or keeps) the baseline, so that
/// BICLA and SRI are met often enough for their other rules to matter.
fn follow_up_grades() -> impl Strategy<Value = ([BilagGrade; 9], [BilagGrade; 9])> {
    prop::array::uniform9((any_grade(), 0u8..10, any_grade())).prop_map(|rows| {
        let base = rows.map(|(b, _, _)| b);
        let now = rows.map(|(b, roll, other)| match (roll, b) {
            (0..=1, _) => other,
            (2..=5, A) => B,
            (2..=5, B) => C,
            (2..=5, _) => D,
            _ => E,
        });
        (base, now)
    })
}

/// As [`two_visits`], with mostly improving visit grades.
fn improving_visits(
    max_unknown: usize,
) -> impl Strategy<Value = ([Option<BilagGrade>; 9], [Option<BilagGrade>; 9])> {
    (
        follow_up_grades(),
        prop::collection::vec(0..18usize, 0..=max_unknown),
    )
        .prop_map(|((b, n), blank)| {
            let mut b = b.map(Some);
            let mut n = n.map(Some);
            for i in blank {
                if i < 9 {
                    b[i] = None;
                } else {
                    n[i - 9] = None;
                }
            }
            (b, n)
        })
}

/// A PGA pair: the visit near the baseline (-0.3 to +0.5), either missing.
fn pga_pair() -> impl Strategy<Value = (Option<Pga>, Option<Pga>)> {
    (0i16..=30, -3i16..=5, 0u8..8).prop_map(|(b, d, miss)| {
        let p = |t: i16| Pga::from_tenths(u8::try_from(t.clamp(0, 30)).unwrap_or(0)).ok();
        let (bp, vp) = (p(b), p(b + d));
        match miss {
            0 => (None, vp),
            1 => (bp, None),
            2 => (None, None),
            _ => (bp, vp),
        }
    })
}

/// Visit items from baseline items with a few changes.
fn item_pair(max_missing: usize) -> impl Strategy<Value = (Items, Items)> {
    (
        items(max_missing),
        prop::collection::vec(0..8usize, 0..=3),
        prop::collection::vec(0..8usize, 0..=max_missing),
    )
        .prop_map(|(base, flips, blank)| {
            let mut now = base.map(|v| Some(v.unwrap_or(false)));
            for i in flips {
                now[i] = now[i].map(|v| !v);
            }
            for i in blank {
                now[i] = None;
            }
            (base, now)
        })
}

fn patient(max_unknown: usize, max_missing: usize) -> impl Strategy<Value = Patient> {
    (
        improving_visits(max_unknown),
        item_pair(max_missing),
        pga_pair(),
        opt_bool(),
    )
        .prop_map(
            |(grades, (base_items, items), (base_pga, pga), failure)| Patient {
                grades,
                base_items,
                items,
                base_pga,
                pga,
                failure,
            },
        )
}

proptest! {
    #![proptest_config(config(600))]

    /// BICLA, every rule and the joint grade rule, against the oracle over
    /// all completions of grades, descriptors, PGAs and treatment failure.
    #[test]
    fn bicla_matches_enumeration(
        p in patient(3, 1),
        (bo, de, strict) in bilag_options(),
        sledai_t in prop::option::of(1u8..=4),
        pga_rule in prop::sample::select(vec![BiclaPga::Scale10Pct, BiclaPga::SriLike, BiclaPga::Relative10Pct]),
        vacuous in any::<bool>(),
    ) {
        let (b, n) = p.grades;
        let options = BiclaOptions::default()
            .with_bilag(bo)
            .with_sledai(sledai_t.map_or(BiclaSledai::NoIncrease, BiclaSledai::IncreaseBelow))
            .with_pga(pga_rule)
            .with_baseline_activity(if vacuous { BiclaBaselineActivity::Vacuous } else { BiclaBaselineActivity::Required });
        let input = BiclaInput::new(ScoreChange::from_ranges(assessment(&p.base_items).score_range(), assessment(&p.items).score_range())).with_baseline_grades(BilagGrades::new(b)).with_visit_grades(BilagGrades::new(n))
            .with_baseline_pga(p.base_pga).with_visit_pga(p.pga)
            .with_treatment_failure(p.failure);
        let result = evaluate_bicla(&input, options);
        if strict && !valid_strict(&b, &n) {
            prop_assert!(result.is_err());
            return Ok(());
        }
        let r = result.expect("valid");
        let grades = grade_completions(&b, &n, strict);
        let judged: Vec<(bool, bool, bool)> = grades.iter().map(|(bc, nc)| bicla_rules(bc, nc, de, !vacuous)).collect();
        let state_of = |c| r.criterion(c).expect("a BICLA criterion").state();
        prop_assert_eq!(state_of(Criterion::BiclaImprovement), verdict(judged.iter().map(|j| j.0)));
        prop_assert_eq!(state_of(Criterion::BiclaNoNewFlare), verdict(judged.iter().map(|j| j.1)));
        prop_assert_eq!(state_of(Criterion::BiclaBaselineActivity), verdict(judged.iter().map(|j| j.2)));
        prop_assert_eq!(state_of(Criterion::BiclaGrades), verdict(judged.iter().map(|j| j.0 && j.1 && j.2)));

        // The whole of BICLA over the product of every completion.
        let sledai_ok = |base: i16, now: i16| match sledai_t {
            None => now - base <= 0,
            Some(t) => now - base < i16::from(t),
        };
        let pga_ok = |bp: i16, vp: i16| match pga_rule {
            BiclaPga::Scale10Pct => vp - bp <= 3,
            BiclaPga::SriLike => vp - bp < 3,
            _ => 10 * (vp - bp) <= bp,
        };
        let base_c = item_completions(&p.base_items);
        let now_c = item_completions(&p.items);
        let bp = pga_completions(p.base_pga);
        let vp = pga_completions(p.pga);
        let fails = flag_completions(p.failure);
        let mut grade_outcomes: Vec<bool> = judged.iter().map(|j| j.0 && j.1 && j.2).collect();
        grade_outcomes.sort();
        grade_outcomes.dedup();
        let mut all = Vec::new();
        for g in &grade_outcomes {
            for x in &base_c {
                for y in &now_c {
                    for pb in &bp {
                        for pv in &vp {
                            for f in &fails {
                                all.push(*g && sledai_ok(total(x, false), total(y, false)) && pga_ok(*pb, *pv) && !*f);
                            }
                        }
                    }
                }
            }
        }
        prop_assert_eq!(r.state(), verdict(all));
    }

    /// Full SRI-k from grades against the oracle.
    #[test]
    fn sri_matches_enumeration(
        p in patient(3, 2),
        (bo, de, strict) in bilag_options(),
        k in 4u8..=8,
        required in any::<bool>(),
    ) {
        let (b, n) = p.grades;
        let base = assessment(&p.base_items);
        let now = assessment(&p.items);
        let change = ScoreChange::from_ranges(base.score_range(), now.score_range());
        let input = SriInput::new(change)
            .with_baseline_grades(BilagGrades::new(b))
            .with_visit_grades(BilagGrades::new(n))
            .with_baseline_pga(p.base_pga).with_visit_pga(p.pga)
            .with_treatment_failure(p.failure);
        let options = SriOptions::default()
            .with_bilag(bo)
            .with_treatment_failure(if required { SriTreatmentFailure::Required } else { SriTreatmentFailure::WhenGiven });
        let result = evaluate_sri(&input, Sri::new(k).expect("k"), options);
        if strict && !valid_strict(&b, &n) {
            prop_assert!(result.is_err());
            return Ok(());
        }
        let r = result.expect("valid");
        // Furie 2009 / NCT04895241: reduction >= k, no new A, <= 1 new B,
        // PGA increase < 0.3; treatment failure per the policy.
        let mut bilag: Vec<bool> = grade_completions(&b, &n, strict)
            .iter()
            .map(|(bc, nc)| {
                (0..9).all(|i| !new_a(bc[i], nc[i]))
                    && (0..9).filter(|&i| new_b(bc[i], nc[i], de)).count() <= 1
            })
            .collect();
        bilag.sort();
        bilag.dedup();
        let fails = if required || p.failure.is_some() { flag_completions(p.failure) } else { vec![false] };
        let mut all = Vec::new();
        for g in &bilag {
            for x in item_completions(&p.base_items) {
                for y in item_completions(&p.items) {
                    for pb in pga_completions(p.base_pga) {
                        for pv in pga_completions(p.pga) {
                            for f in &fails {
                                all.push(*g && total(&x, false) - total(&y, false) >= i16::from(k) && pv - pb < 3 && !*f);
                            }
                        }
                    }
                }
            }
        }
        prop_assert_eq!(r.state(), verdict(all));
        // The PGA component alone (section 9.7: met when no completion fails).
        let pga_alone = pga_completions(p.base_pga).iter().flat_map(|pb| pga_completions(p.pga).into_iter().map(move |pv| pv - pb < 3)).collect::<Vec<_>>();
        prop_assert_eq!(r.criterion(SriCriterion::Pga).state(), verdict(pga_alone));
    }
}

/// Representative completions of a missing dose (any value >= 0): below,
/// at and above each cut-off (0 and 5 mg/day).
const DOSES_MG: [f64; 4] = [0.0, 2.5, 5.0, 7.5];

proptest! {
    #![proptest_config(config(800))]

    /// The four DORIS 2017 variants against the oracle.
    #[test]
    fn doris_2017_matches_enumeration(
        items in items(3),
        (g, _) in two_visits(3),
        pga in opt_pga(),
        dose in prop::option::of(prop::sample::select(DOSES_MG.to_vec())),
        imm in opt_bool(), bio in opt_bool(), am in opt_bool(),
        at_most_half in any::<bool>(), below_5 in any::<bool>(), excluded in any::<bool>(), bilag_index in any::<bool>(),
    ) {
        let mut inputs = TargetInputs::new(assessment(&items));
        inputs.pga = pga;
        inputs.prednisone_equivalent = dose.map(|d| PrednisoneEquivalent::from_mg(d).expect("dose"));
        let t = Treatment::new(imm, bio, am);
        let o = Remission2017Options::default()
            .with_pga(if at_most_half { Doris2017Pga::AtMostHalf } else { Doris2017Pga::BelowHalf })
            .with_glucocorticoid(if below_5 { Doris2017Glucocorticoid::Below5 } else { Doris2017Glucocorticoid::AtMost5 })
            .with_antimalarial(if excluded { DorisOffTreatmentAntimalarial::Excluded } else { DorisOffTreatmentAntimalarial::Allowed })
            .with_index(if bilag_index { Doris2017Index::BilagDE } else { Doris2017Index::ClinicalSledai });
        let grades = BilagGrades::new(g);
        let index_outcomes: Vec<bool> = if bilag_index {
            // "BILAG 2004 D or E only" (2017 Table 4).
            let mut v: Vec<bool> = grade_completions(&g, &[Some(E); 9], false)
                .iter().map(|(c, _)| c.iter().all(|x| "DE".contains(*x))).collect();
            v.sort(); v.dedup(); v
        } else {
            vec![true]
        };
        for variant in Doris2017Variant::ALL {
            let r = remission_2017::evaluate(&inputs, &t, &grades, variant, o).unwrap();
            let complete = matches!(variant, Doris2017Variant::CompleteOnTreatment | Doris2017Variant::CompleteOffTreatment);
            let off = matches!(variant, Doris2017Variant::ClinicalOffTreatment | Doris2017Variant::CompleteOffTreatment);
            let doses: Vec<f64> = dose.map_or(DOSES_MG.to_vec(), |d| vec![d]);
            let mut all = Vec::new();
            for ix in &index_outcomes {
                for c in item_completions(&items) {
                    for pv in pga_completions(pga) {
                        for d in &doses {
                            for i in flag_completions(imm) {
                                for bi in flag_completions(bio) {
                                    for a in flag_completions(am) {
                                        let index_ok = if bilag_index { *ix } else { total(&c, true) == 0 };
                                        let sero_ok = !complete || !(c[4] || c[5]);
                                        let pga_ok = if at_most_half { pv <= 5 } else { pv < 5 };
                                        let gc_ok = if off { *d == 0.0 } else if below_5 { *d < 5.0 } else { *d <= 5.0 };
                                        let drugs_ok = !off || !(i || bi || (excluded && a));
                                        all.push(index_ok && sero_ok && pga_ok && gc_ok && drugs_ok);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            prop_assert_eq!(r.state(), verdict(all), "{}", variant);
        }
    }
}

// ---------------------------------------------------------------------------
// Hand cases
// ---------------------------------------------------------------------------

fn one(system: BilagSystem, base: BilagGrade, now: BilagGrade) -> (BilagGrades, BilagGrades) {
    (
        BilagGrades::all(E).with(system, Some(base)),
        BilagGrades::all(E).with(system, Some(now)),
    )
}

/// Every baseline-to-visit grade pair. Sources: BLISS footnote and
/// NCT04895241 (new A = A after B, C, D or E); Gordon 2003 (new B = "a new B
/// score following a C, D or E score"; the "B flare" group: after D or E).
/// Columns: baseline, visit, new A, new B (from_c_d_e), new B (from_d_e).
const PAIRS: [(BilagGrade, BilagGrade, u8, u8, u8); 25] = [
    (A, A, 0, 0, 0),
    (A, B, 0, 0, 0),
    (A, C, 0, 0, 0),
    (A, D, 0, 0, 0),
    (A, E, 0, 0, 0),
    (B, A, 1, 0, 0),
    (B, B, 0, 0, 0),
    (B, C, 0, 0, 0),
    (B, D, 0, 0, 0),
    (B, E, 0, 0, 0),
    (C, A, 1, 0, 0),
    (C, B, 0, 1, 0),
    (C, C, 0, 0, 0),
    (C, D, 0, 0, 0),
    (C, E, 0, 0, 0),
    (D, A, 1, 0, 0),
    (D, B, 0, 1, 1),
    (D, C, 0, 0, 0),
    (D, D, 0, 0, 0),
    (D, E, 0, 0, 0),
    (E, A, 1, 0, 0),
    (E, B, 0, 1, 1),
    (E, C, 0, 0, 0),
    (E, D, 0, 0, 0),
    (E, E, 0, 0, 0),
];

#[test]
fn new_a_and_b_for_every_grade_pair() -> TestResult {
    for (base, now, a, b_cde, b_de) in PAIRS {
        let (bg, ng) = one(Renal, base, now);
        let cde = new_counts(&bg, &ng, BilagOptions::default())?;
        let de = new_counts(
            &bg,
            &ng,
            BilagOptions::default().with_new_b(BilagNewB::FromDE),
        )?;
        assert_eq!(cde.new_a.exact(), Some(a), "{base}->{now} new A");
        assert_eq!(
            cde.new_b.exact(),
            Some(b_cde),
            "{base}->{now} new B from_c_d_e"
        );
        assert_eq!(de.new_a.exact(), Some(a), "{base}->{now} new A (from_d_e)");
        assert_eq!(de.new_b.exact(), Some(b_de), "{base}->{now} new B from_d_e");
    }
    Ok(())
}

/// Petri 2013 thresholds, ranked (`docs/reference.md` section 9.4): exactly 2 B is
/// moderate, exactly 3 C is mild, 2 C is none, 1 B is mild, an A is severe.
#[test]
fn flare_thresholds() -> TestResult {
    let o = BilagOptions::default();
    let prev = BilagGrades::all(D);
    let set = |gs: &[(BilagSystem, BilagGrade)]| {
        gs.iter().fold(prev, |acc, (s, g)| acc.with(*s, Some(*g)))
    };
    use BilagSystem::*;
    assert_eq!(
        flare(&prev, &set(&[(Renal, B), (Mucocutaneous, B)]), o)?,
        Flare::Moderate
    );
    assert_eq!(
        flare(
            &prev,
            &set(&[(Renal, C), (Mucocutaneous, C), (Ophthalmic, C)]),
            o
        )?,
        Flare::Mild
    );
    assert_eq!(
        flare(&prev, &set(&[(Renal, C), (Mucocutaneous, C)]), o)?,
        Flare::None
    );
    assert_eq!(flare(&prev, &set(&[(Renal, B)]), o)?, Flare::Mild);
    assert_eq!(
        flare(
            &prev,
            &set(&[(Renal, A), (Mucocutaneous, B), (Ophthalmic, B)]),
            o
        )?,
        Flare::Severe
    );
    // Persistent grades never count; an improvement A to B is not a worse B.
    let prev_b = set(&[(Renal, B), (Mucocutaneous, A)]);
    assert_eq!(
        flare(&prev_b, &prev_b.with(Mucocutaneous, Some(B)), o)?,
        Flare::None
    );
    // A previous A with the visit's grade unknown: none (section 9.4).
    let prev_a = set(&[(Renal, A)]);
    assert_eq!(flare(&prev_a, &prev_a.with(Renal, None), o)?, Flare::None);
    // A previous D with the visit's grade unknown: anything from none to severe.
    assert_eq!(
        flare(&prev, &prev.with(Renal, None), o)?,
        Flare::Indeterminate
    );
    Ok(())
}

fn pga(v: f64) -> Pga {
    Pga::new(v).expect("valid PGA")
}

fn score(v: u8) -> Score {
    Score::new(v).expect("valid score")
}

/// SRI (Furie 2009, NCT04895241 "<0.3-point increase"): +0.2 passes, +0.3
/// and +0.4 fail. BICLA under scale_10pct ("≤10%" of the 0-3 scale, Wallace
/// 2011; `docs/reference.md` section 9.5): +0.3 passes, +0.4 fails; sri_like: +0.3
/// fails.
#[test]
fn pga_increments() -> TestResult {
    let sri = |b: f64, f: f64| {
        evaluate_sri(
            &SriInput::new(ScoreChange::from_scores(score(10), score(4)))
                .with_new_bilag_a(Some(0))
                .with_new_bilag_b(Some(0))
                .with_baseline_pga(Some(pga(b)))
                .with_visit_pga(Some(pga(f))),
            Sri::SRI_4,
            SriOptions::default(),
        )
        .unwrap()
        .criterion(SriCriterion::Pga)
        .state()
    };
    // 1.5 + 0.3 = 1.8: 1.8 - 1.5 is 0.30000000000000004 in floating point.
    assert_eq!(sri(1.5, 1.7), Met);
    assert_eq!(sri(1.5, 1.8), NotMet);
    assert_eq!(sri(1.5, 1.9), NotMet);
    let (bg, ng) = one(Renal, A, C);
    let flat = Assessment::from_present([]);
    let bicla_pga = |rule, b: f64, f: f64| -> Result<TriState, Error> {
        let i = BiclaInput::new(ScoreChange::from_ranges(
            flat.score_range(),
            flat.score_range(),
        ))
        .with_baseline_grades(bg)
        .with_visit_grades(ng)
        .with_baseline_pga(Some(pga(b)))
        .with_visit_pga(Some(pga(f)))
        .with_treatment_failure(Some(false));
        let r = evaluate_bicla(&i, BiclaOptions::default().with_pga(rule))?;
        Ok(r.criterion(Criterion::BiclaPga).expect("rule 4").state())
    };
    assert_eq!(bicla_pga(BiclaPga::Scale10Pct, 1.5, 1.7)?, Met);
    assert_eq!(bicla_pga(BiclaPga::Scale10Pct, 1.5, 1.8)?, Met);
    assert_eq!(bicla_pga(BiclaPga::Scale10Pct, 1.5, 1.9)?, NotMet);
    assert_eq!(bicla_pga(BiclaPga::SriLike, 1.5, 1.7)?, Met);
    assert_eq!(bicla_pga(BiclaPga::SriLike, 1.5, 1.8)?, NotMet);
    // relative_10pct: 10% of baseline 2.0 is 0.2.
    assert_eq!(bicla_pga(BiclaPga::Relative10Pct, 2.0, 2.2)?, Met);
    assert_eq!(bicla_pga(BiclaPga::Relative10Pct, 2.0, 2.3)?, NotMet);
    Ok(())
}

/// `docs/reference.md` section 9.7: a PGA criterion no completion can fail is met.
#[test]
fn sri_pga_with_one_side_missing() {
    let base = SriInput::new(ScoreChange::from_scores(score(10), score(4)))
        .with_new_bilag_a(Some(0))
        .with_new_bilag_b(Some(0));
    let state = |b: Option<Pga>, f: Option<Pga>| {
        evaluate_sri(
            &base.with_baseline_pga(b).with_visit_pga(f),
            Sri::SRI_4,
            SriOptions::default(),
        )
        .unwrap()
        .criterion(SriCriterion::Pga)
        .state()
    };
    assert_eq!(state(Some(pga(2.8)), None), Met); // at most 3.0: +0.2
    assert_eq!(state(Some(pga(2.7)), None), Indeterminate); // 3.0 would be +0.3
    assert_eq!(state(None, Some(pga(0.2))), Met); // at most +0.2 from 0.0
    assert_eq!(state(None, Some(pga(0.3))), Indeterminate);
    assert_eq!(state(None, None), Indeterminate);
}

/// BICLA rule 3 (Wallace 2011 "no worsening of total SLEDAI score"):
/// change 0 passes, +1 fails; under increase_below(3) +2 passes, +3 fails.
#[test]
fn bicla_sledai_change() -> TestResult {
    let (bg, ng) = one(Renal, A, C);
    let base = Assessment::from_present([Descriptor::Arthritis]); // 4
    let rule3 = |now: Assessment, rule| -> Result<TriState, Error> {
        let i = BiclaInput::new(ScoreChange::from_ranges(
            base.score_range(),
            now.score_range(),
        ))
        .with_baseline_grades(bg)
        .with_visit_grades(ng);
        Ok(
            evaluate_bicla(&i, BiclaOptions::default().with_sledai(rule))?
                .criterion(Criterion::BiclaSledai)
                .expect("rule 3")
                .state(),
        )
    };
    let same = base;
    let plus1 = Assessment::from_present([Descriptor::Arthritis, Descriptor::Fever]); // 5
    let plus2 = Assessment::from_present([Descriptor::Arthritis, Descriptor::Rash]); // 6
    let plus3 =
        Assessment::from_present([Descriptor::Arthritis, Descriptor::Rash, Descriptor::Fever]); // 7
    assert_eq!(rule3(same, BiclaSledai::NoIncrease)?, Met);
    assert_eq!(rule3(plus1, BiclaSledai::NoIncrease)?, NotMet);
    assert_eq!(rule3(plus2, BiclaSledai::IncreaseBelow(3))?, Met);
    assert_eq!(rule3(plus3, BiclaSledai::IncreaseBelow(3))?, NotMet);
    Ok(())
}

/// SRI-k (Furie 2009; section 4): a reduction of exactly k meets SRI-k, a
/// reduction of k - 1 does not.
#[test]
fn sri_k_reductions_exactly_k() -> TestResult {
    for k in 4u8..=8 {
        for (reduction, expected) in [(k, Met), (k - 1, NotMet)] {
            let input = SriInput::new(ScoreChange::from_scores(score(12), score(12 - reduction)))
                .with_baseline_grades(BilagGrades::all(E))
                .with_visit_grades(BilagGrades::all(E))
                .with_baseline_pga(Some(pga(1.0)))
                .with_visit_pga(Some(pga(1.0)));
            let r = evaluate_sri(&input, Sri::new(k)?, SriOptions::default())?;
            assert_eq!(r.state(), expected, "SRI-{k}, reduction {reduction}");
        }
    }
    Ok(())
}

/// `docs/reference.md` section 9.6: treatment failure under both policies.
#[test]
fn sri_treatment_failure_policy() -> TestResult {
    let input = SriInput::new(ScoreChange::from_scores(score(10), score(4)))
        .with_new_bilag_a(Some(0))
        .with_new_bilag_b(Some(0))
        .with_baseline_pga(Some(pga(1.0)))
        .with_visit_pga(Some(pga(1.0)));
    let when_given = SriOptions::default();
    let required = SriOptions::default().with_treatment_failure(SriTreatmentFailure::Required);
    let run = |i: &SriInput, o: &SriOptions| evaluate_sri(i, Sri::SRI_4, *o).map(|r| r.state());
    assert_eq!(run(&input, &when_given)?, Met);
    assert_eq!(run(&input, &required)?, Indeterminate);
    assert_eq!(
        run(&input.with_treatment_failure(Some(true)), &when_given)?,
        NotMet
    );
    assert_eq!(
        run(&input.with_treatment_failure(Some(false)), &required)?,
        Met
    );
    Ok(())
}

/// `docs/reference.md` section 9.5: baseline renal not recorded, renal A at the visit:
/// not met for every completion (if it was A or B it did not improve;
/// otherwise it is a new A), although rules 1 and 2 are each indeterminate.
#[test]
fn bicla_section_9_5_example() -> TestResult {
    let base = BilagGrades::all(E)
        .with(Musculoskeletal, Some(B))
        .with(Renal, None);
    let now = BilagGrades::all(E)
        .with(Musculoskeletal, Some(C))
        .with(Renal, Some(A));
    let flat = Assessment::from_present([]);
    let input = BiclaInput::new(ScoreChange::from_ranges(
        flat.score_range(),
        flat.score_range(),
    ))
    .with_baseline_grades(base)
    .with_visit_grades(now)
    .with_baseline_pga(Some(pga(1.0)))
    .with_visit_pga(Some(pga(1.0)))
    .with_treatment_failure(Some(false));
    let r = evaluate_bicla(&input, BiclaOptions::default())?;
    let st = |c| r.criterion(c).map(|x| x.state());
    assert_eq!(st(Criterion::BiclaImprovement), Some(Indeterminate));
    assert_eq!(st(Criterion::BiclaNoNewFlare), Some(Indeterminate));
    assert_eq!(st(Criterion::BiclaGrades), Some(NotMet));
    assert_eq!(r.state(), NotMet);
    // Renal recorded A at baseline and B now: improved, not new: met.
    let input = input
        .with_baseline_grades(base.with(Renal, Some(A)))
        .with_visit_grades(now.with(Renal, Some(B)));
    let r = evaluate_bicla(&input, BiclaOptions::default())?;
    assert_eq!(r.state(), Met);
    Ok(())
}

/// Rule 6 (`docs/reference.md` section 9.5): no A or B at baseline is not met under
/// `required`, met under `vacuous`.
#[test]
fn bicla_baseline_activity() -> TestResult {
    let (bg, ng) = one(Renal, C, C);
    let flat = Assessment::from_present([]);
    let i = BiclaInput::new(ScoreChange::from_ranges(
        flat.score_range(),
        flat.score_range(),
    ))
    .with_baseline_grades(bg)
    .with_visit_grades(ng)
    .with_baseline_pga(Some(pga(0.5)))
    .with_visit_pga(Some(pga(0.5)))
    .with_treatment_failure(Some(false));
    assert_eq!(evaluate_bicla(&i, BiclaOptions::default())?.state(), NotMet);
    let vacuous = BiclaOptions::default().with_baseline_activity(BiclaBaselineActivity::Vacuous);
    assert_eq!(evaluate_bicla(&i, vacuous)?.state(), Met);
    // Treatment failure (rule 5): missing is indeterminate, true fails.
    let o = BiclaOptions::default();
    let (bg, ng) = one(Renal, A, C);
    let i = BiclaInput::new(ScoreChange::from_ranges(
        flat.score_range(),
        flat.score_range(),
    ))
    .with_baseline_grades(bg)
    .with_visit_grades(ng)
    .with_baseline_pga(Some(pga(0.5)))
    .with_visit_pga(Some(pga(0.5)));
    assert_eq!(evaluate_bicla(&i, o)?.state(), Indeterminate);
    assert_eq!(
        evaluate_bicla(&i.with_treatment_failure(Some(true)), o)?.state(),
        NotMet
    );
    assert_eq!(
        evaluate_bicla(&i.with_treatment_failure(Some(false)), o)?.state(),
        Met
    );
    Ok(())
}

/// `docs/reference.md` section 10.2: each drug flag for each variant. `on_antimalarial`
/// is ignored except off treatment under `excluded`.
#[test]
fn doris_2017_drug_flags() {
    let inputs = TargetInputs::new(Assessment::from_present([]))
        .with_pga(pga(0.0))
        .with_prednisone_equivalent(PrednisoneEquivalent::ZERO);
    let g = BilagGrades::NOT_RECORDED;
    let default = Remission2017Options::default();
    let excluded = default.with_antimalarial(DorisOffTreatmentAntimalarial::Excluded);
    use Doris2017Variant::*;
    // (flags (imm, bio, am), variant, options, expected)
    let none = Treatment::new(Some(false), Some(false), Some(false));
    let cases = [
        (none, ClinicalOnTreatment, default, Met),
        (none, CompleteOffTreatment, excluded, Met),
        (
            Treatment::new(Some(true), Some(false), Some(false)),
            ClinicalOnTreatment,
            default,
            Met,
        ),
        (
            Treatment::new(Some(true), Some(false), Some(false)),
            CompleteOnTreatment,
            default,
            Met,
        ),
        (
            Treatment::new(Some(true), Some(false), Some(false)),
            ClinicalOffTreatment,
            default,
            NotMet,
        ),
        (
            Treatment::new(Some(true), Some(false), Some(false)),
            CompleteOffTreatment,
            default,
            NotMet,
        ),
        (
            Treatment::new(Some(false), Some(true), Some(false)),
            ClinicalOnTreatment,
            default,
            Met,
        ),
        (
            Treatment::new(Some(false), Some(true), Some(false)),
            CompleteOnTreatment,
            default,
            Met,
        ),
        (
            Treatment::new(Some(false), Some(true), Some(false)),
            ClinicalOffTreatment,
            default,
            NotMet,
        ),
        (
            Treatment::new(Some(false), Some(true), Some(false)),
            CompleteOffTreatment,
            default,
            NotMet,
        ),
        (
            Treatment::new(Some(false), Some(false), Some(true)),
            ClinicalOnTreatment,
            default,
            Met,
        ),
        (
            Treatment::new(Some(false), Some(false), Some(true)),
            CompleteOnTreatment,
            default,
            Met,
        ),
        (
            Treatment::new(Some(false), Some(false), Some(true)),
            ClinicalOffTreatment,
            default,
            Met,
        ),
        (
            Treatment::new(Some(false), Some(false), Some(true)),
            CompleteOffTreatment,
            default,
            Met,
        ),
        (
            Treatment::new(Some(false), Some(false), Some(true)),
            ClinicalOffTreatment,
            excluded,
            NotMet,
        ),
        (
            Treatment::new(Some(false), Some(false), Some(true)),
            CompleteOffTreatment,
            excluded,
            NotMet,
        ),
        // Not recorded: ignored on treatment, indeterminate off treatment.
        (Treatment::default(), ClinicalOnTreatment, default, Met),
        (
            Treatment::default(),
            ClinicalOffTreatment,
            default,
            Indeterminate,
        ),
        (
            Treatment::new(Some(false), Some(false), None),
            ClinicalOffTreatment,
            default,
            Met,
        ),
        (
            Treatment::new(Some(false), Some(false), None),
            ClinicalOffTreatment,
            excluded,
            Indeterminate,
        ),
    ];
    for (t, variant, o, expected) in cases {
        let r = remission_2017::evaluate(&inputs, &t, &g, variant, o).unwrap();
        assert_eq!(r.state(), expected, "{variant} {t:?} {o:?}");
    }
}

/// `docs/reference.md` section 10.2: serology and glucocorticoids per variant.
#[test]
fn doris_2017_serology_and_glucocorticoid() -> TestResult {
    let g = BilagGrades::NOT_RECORDED;
    let t = Treatment::new(Some(false), Some(false), Some(false));
    let o = Remission2017Options::default();
    let sero = TargetInputs::new(Assessment::from_present([Descriptor::IncreasedDnaBinding]))
        .with_pga(pga(0.4))
        .with_prednisone_equivalent(PrednisoneEquivalent::from_mg(5.0)?);
    use Doris2017Variant::*;
    let st = |i: &TargetInputs, v, o: &Remission2017Options| {
        remission_2017::evaluate(i, &t, &g, v, *o).unwrap().state()
    };
    assert_eq!(st(&sero, ClinicalOnTreatment, &o), Met);
    assert_eq!(st(&sero, CompleteOnTreatment, &o), NotMet);
    assert_eq!(st(&sero, ClinicalOffTreatment, &o), NotMet); // 5 mg is a glucocorticoid
    let o_below = o.with_glucocorticoid(Doris2017Glucocorticoid::Below5);
    assert_eq!(st(&sero, ClinicalOnTreatment, &o_below), NotMet);
    // PGA 0.5: not < 0.5 (2017 Table 4); <= 0.5 under the review reading.
    let mut half = sero.clone();
    half.pga = Some(pga(0.5));
    assert_eq!(st(&half, ClinicalOnTreatment, &o), NotMet);
    assert_eq!(
        st(
            &half,
            ClinicalOnTreatment,
            &o.with_pga(Doris2017Pga::AtMostHalf)
        ),
        Met
    );
    Ok(())
}

/// `docs/reference.md` section 10.2: under the default policies clinical-on-treatment
/// gives the 2021 DORIS result.
#[test]
fn doris_2017_clinical_on_treatment_equals_2021() -> TestResult {
    let t = Treatment::default();
    for present in [
        vec![],
        vec![Descriptor::LowComplement],
        vec![Descriptor::Rash],
    ] {
        for p in [None, Some(pga(0.4)), Some(pga(0.5))] {
            for d in [None, Some(5.0), Some(5.5)] {
                let mut i = TargetInputs::new(Assessment::from_present(present.clone()));
                i.pga = p;
                i.prednisone_equivalent = d.map(PrednisoneEquivalent::from_mg).transpose()?;
                let r17 = remission_2017::evaluate(
                    &i,
                    &t,
                    &BilagGrades::NOT_RECORDED,
                    Doris2017Variant::ClinicalOnTreatment,
                    Remission2017Options::default(),
                );
                assert_eq!(
                    r17.unwrap().state(),
                    sledai::remission::evaluate(&i, sledai::remission::RemissionOptions::default())
                        .unwrap()
                        .state()
                );
            }
        }
    }
    Ok(())
}

/// `docs/reference.md` section 9.2 (Yee 2010): A 12, B 8, C 1, D 0, E 0.
#[test]
fn numeric_score_hand_cases() {
    assert_eq!(BilagGrades::all(A).numeric().exact(), Some(108));
    assert_eq!(BilagGrades::all(E).numeric().exact(), Some(0));
    let g = BilagGrades::all(D)
        .with(Renal, Some(A))
        .with(Mucocutaneous, Some(B))
        .with(Musculoskeletal, Some(C));
    assert_eq!(g.numeric().exact(), Some(21));
    assert_eq!(g.with(Renal, None).numeric().exact(), None);
}

/// `docs/reference.md` section 9.1: bad input is a typed error naming field and value.
#[test]
fn grades_json_errors() {
    let ok: BilagGrades =
        serde_json::from_str(r#"{"renal": "A", "ophthalmic": null}"#).expect("valid");
    assert_eq!(ok.get(Renal), Some(A));
    assert_eq!(ok.recorded_count(), 1);
    for (json, needle) in [
        (
            r#"{"renal": "a"}"#,
            "bilag.renal: invalid value `a`: expected one of A, B, C, D, E",
        ),
        (r#"{"renal": "F"}"#, "bilag.renal: invalid value `F`"),
        (r#"{"renal": 1}"#, "bilag.renal: invalid value `1`"),
        (
            r#"{"kidney": "A"}"#,
            "bilag: unknown value `kidney`, expected one of: constitutional",
        ),
        (r#"{"renal": "A", "renal": "B"}"#, "bilag.renal"),
    ] {
        let err = serde_json::from_str::<BilagGrades>(json)
            .expect_err(json)
            .to_string();
        assert!(err.contains(needle), "{json}: {err}");
    }
    assert!(matches!(
        BilagGrades::from_pairs([("renal", Some("e"))]),
        Err(Error::InvalidValue { field: "bilag.renal", ref value, .. }) if &**value == "e"
    ));
    assert!(matches!(
        BilagGrades::from_pairs([("eyes", Some("E"))]),
        Err(Error::UnknownName { field: "bilag", ref value, .. }) if &**value == "eyes"
    ));
    // Strict: E after activity is an error naming the system.
    let strict = BilagOptions::default().with_grade_e(BilagGradeE::Strict);
    let (b, n) = one(Renal, C, E);
    let err = new_counts(&b, &n, strict).expect_err("E after C");
    assert_eq!(
        err.to_string(),
        "bilag.renal: invalid value `E`: grade E after grade C in the same patient (bilag_grade_e = strict: E means never affected)"
    );
}

/// The policy vocabularies: names and values exactly as reference sections
/// 9.8 and 10.3 write them, defaults first.
#[test]
fn policy_vocabularies() -> TestResult {
    assert_eq!(
        (BilagGradeE::NAME, BilagGradeE::IDS),
        ("bilag_grade_e", &["as_inactive", "strict"][..])
    );
    assert_eq!(
        (BilagNewB::NAME, BilagNewB::IDS),
        ("bilag_new_b", &["from_c_d_e", "from_d_e"][..])
    );
    assert_eq!(
        (BiclaPga::NAME, BiclaPga::IDS),
        (
            "bicla_pga",
            &["scale_10pct", "sri_like", "relative_10pct"][..]
        )
    );
    assert_eq!(
        (BiclaBaselineActivity::NAME, BiclaBaselineActivity::IDS),
        ("bicla_baseline_activity", &["required", "vacuous"][..])
    );
    assert_eq!(
        (SriTreatmentFailure::NAME, SriTreatmentFailure::IDS),
        ("sri_treatment_failure", &["when_given", "required"][..])
    );
    assert_eq!(
        (Doris2017Pga::NAME, Doris2017Pga::IDS),
        ("doris_2017_pga", &["below_half", "at_most_half"][..])
    );
    assert_eq!(
        (Doris2017Glucocorticoid::NAME, Doris2017Glucocorticoid::IDS),
        ("doris_2017_glucocorticoid", &["at_most_5", "below_5"][..])
    );
    assert_eq!(
        (
            DorisOffTreatmentAntimalarial::NAME,
            DorisOffTreatmentAntimalarial::IDS
        ),
        (
            "doris_off_treatment_antimalarial",
            &["allowed", "excluded"][..]
        )
    );
    assert_eq!(
        (Doris2017Index::NAME, Doris2017Index::IDS),
        ("doris_2017_index", &["clinical_sledai", "bilag_d_e"][..])
    );
    assert_eq!(BiclaSledai::NAME, "bicla_sledai");
    assert_eq!(
        "increase_below(3)".parse::<BiclaSledai>()?,
        BiclaSledai::IncreaseBelow(3)
    );
    let err = "no-increase"
        .parse::<BiclaSledai>()
        .expect_err("bad name")
        .to_string();
    assert!(
        err.contains("bicla_sledai") && err.contains("no-increase"),
        "{err}"
    );
    let err = "strcit"
        .parse::<BilagGradeE>()
        .expect_err("typo")
        .to_string();
    assert_eq!(
        err,
        "bilag_grade_e: unknown value `strcit`, expected one of: as_inactive, strict, did you mean `strict`?"
    );
    let o: BiclaOptions = serde_json::from_str(
        r#"{"bicla_pga": "sri_like", "bicla_sledai": "increase_below(3)", "bilag": {"bilag_new_b": "from_d_e"}}"#,
    )?;
    assert_eq!(
        (o.pga(), o.sledai(), o.bilag().new_b()),
        (
            BiclaPga::SriLike,
            BiclaSledai::IncreaseBelow(3),
            BilagNewB::FromDE
        )
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Visit records (sledai::visit)
// ---------------------------------------------------------------------------

mod visits {
    use sledai::visit::{PatientStream, VisitInput};

    fn record(json: &str) -> VisitInput {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    fn run(lines: &[&str]) -> Vec<serde_json::Value> {
        let mut s = PatientStream::default();
        lines
            .iter()
            .map(|l| {
                serde_json::to_value(s.assess(&record(l)).expect("valid visit")).expect("json")
            })
            .collect()
    }

    /// A CAR-T-like course (reference sections 9 and 10.4): renal A and
    /// musculoskeletal B at baseline; after the infusion everything D, no
    /// drugs, low complement persisting at month 3, then normalised.
    const COURSE: [&str; 3] = [
        r#"{"patient": "P1", "date": "2024-01-01", "present": ["proteinuria", "arthritis", "low_complement"], "pga": 2.0, "prednisone_mg_per_day": 20,
            "bilag": {"constitutional": "E", "mucocutaneous": "E", "neuropsychiatric": "E", "musculoskeletal": "B", "cardiorespiratory": "E",
                      "gastrointestinal": "E", "ophthalmic": "E", "renal": "A", "haematological": "E"},
            "on_immunosuppressant": true, "on_biologic": false, "on_antimalarial": true}"#,
        r#"{"patient": "P1", "date": "2024-04-01", "present": ["low_complement"], "pga": 0.2, "prednisone_mg_per_day": 0,
            "bilag": {"constitutional": "E", "mucocutaneous": "E", "neuropsychiatric": "E", "musculoskeletal": "D", "cardiorespiratory": "E",
                      "gastrointestinal": "E", "ophthalmic": "E", "renal": "D", "haematological": "E"},
            "treatment_failure": false, "on_immunosuppressant": false, "on_biologic": false, "on_antimalarial": true}"#,
        r#"{"patient": "P1", "date": "2024-07-01", "present": [], "pga": 0.0, "prednisone_mg_per_day": 0,
            "bilag": {"renal": "D", "musculoskeletal": "D"},
            "treatment_failure": false, "on_immunosuppressant": false, "on_biologic": false, "on_antimalarial": false}"#,
    ];

    /// Hand-derived: baseline BILAG 12 + 8 = 20; SLEDAI-2K 4 + 4 + 2 = 10 ->
    /// 2 -> 0; month 3: renal and musculoskeletal improved, no new A/B,
    /// SLEDAI -8, PGA -1.8, no treatment failure: BICLA met; SRI-4..8 met
    /// (reduction 8), at month 3 and month 6 (reduction 10). DORIS 2017:
    /// clinical SLEDAI 0 at both; low complement blocks "complete" at month 3;
    /// on hydroxychloroquine at month 3 the off-treatment variants are met
    /// only under `allowed`.
    #[test]
    fn car_t_course() {
        let out = run(&COURSE);
        assert_eq!(out[0]["bilag_numeric"], 20);
        assert_eq!(out[0]["bilag_new_a"], 0);
        assert_eq!(out[0]["bilag_new_b"], 0);
        assert!(
            out[0].get("bilag_flare").is_none(),
            "no flare at the first visit"
        );
        assert!(out[0].get("bicla").is_none(), "no BICLA at the baseline");
        assert!(out[0].get("sri_4").is_none());
        assert_eq!(out[0]["doris_2017_clinical_on_treatment"], "not_met");
        assert_eq!(out[1]["bilag_numeric"], 0);
        assert_eq!(out[1]["bilag_flare"], "none");
        assert_eq!(out[1]["bicla"], "met");
        assert_eq!(
            out[1]["bicla_criteria"]["bicla_improvement"]["state"],
            "met"
        );
        for k in ["sri_4", "sri_5", "sri_6", "sri_7", "sri_8"] {
            assert_eq!(out[1][k], "met", "{k}");
        }
        assert_eq!(out[1]["sri_4_criteria"]["pga"]["state"], "met");
        assert_eq!(out[1]["doris_2017_clinical_on_treatment"], "met");
        assert_eq!(out[1]["doris_2017_complete_on_treatment"], "not_met");
        assert_eq!(out[1]["doris_2017_clinical_off_treatment"], "met");
        assert_eq!(out[1]["doris_2017_complete_off_treatment"], "not_met");
        assert_eq!(
            out[1]["doris_2017_complete_off_treatment_criteria"]["doris_2017_serology"]["state"],
            "not_met"
        );
        // Month 6: seven systems not recorded: the numeric score is open, and
        // so are the counts (a system E at baseline may be A or B now), so
        // BICLA is open too.
        assert_eq!(out[2]["bilag_numeric"], serde_json::Value::Null);
        assert_eq!(out[2]["bilag_new_a"], serde_json::Value::Null);
        assert_eq!(out[2]["bicla"], "indeterminate");
        assert_eq!(out[2]["doris_2017_complete_off_treatment"], "met");
    }

    #[test]
    fn grades_and_counts_together_are_an_error() {
        let err = serde_json::from_str::<VisitInput>(
            r#"{"present": [], "bilag": {"renal": "A"}, "new_bilag_a": 1}"#,
        )
        .expect_err("both routes")
        .to_string();
        assert!(
            err.contains("`bilag`") && err.contains("new_bilag_a"),
            "{err}"
        );
        let err = serde_json::from_str::<VisitInput>(r#"{"present": [], "bilag": {"renal": "a"}}"#)
            .expect_err("lower case")
            .to_string();
        assert!(
            err.contains("bilag.renal: invalid value `a`: expected one of A, B, C, D, E"),
            "{err}"
        );
        let err = serde_json::from_str::<VisitInput>(r#"{"present": [], "on_biologic": "yes"}"#);
        assert!(err.is_err());
    }

    /// Records without grades keep the count route for SRI (section 9.3).
    #[test]
    fn count_route_without_grades() {
        let out = run(&[
            r#"{"patient": "P2", "date": "2024-01-01", "present": ["proteinuria", "arthritis"], "pga": 1.0}"#,
            r#"{"patient": "P2", "date": "2024-04-01", "present": [], "pga": 1.0, "new_bilag_a": 0, "new_bilag_b": 1}"#,
        ]);
        assert_eq!(out[1]["sri_4"], "met");
        assert!(out[1].get("bilag_new_a").is_none());
        // BICLA always reads the grades: none recorded, so open.
        assert_eq!(out[1]["bicla"], "indeterminate");
    }

    /// `bilag_grade_e = strict` across visits of one patient.
    #[test]
    fn strict_grade_e_across_visits() {
        use sledai::bilag::{BilagGradeE, BilagOptions};
        use sledai::visit::VisitOptions;
        let o = VisitOptions::default()
            .with_bilag(BilagOptions::default().with_grade_e(BilagGradeE::Strict));
        let mut s = PatientStream::new(o);
        s.assess(&record(
            r#"{"patient": "P3", "date": "2024-01-01", "present": [], "bilag": {"renal": "C"}}"#,
        ))
        .expect("first");
        s.assess(&record(
            r#"{"patient": "P3", "date": "2024-02-01", "present": [], "bilag": {"renal": null}}"#,
        ))
        .expect("second");
        let err = s
            .assess(&record(r#"{"patient": "P3", "date": "2024-03-01", "present": [], "bilag": {"renal": "E"}}"#))
            .expect_err("E after C");
        assert!(
            err.to_string()
                .starts_with("bilag.renal: invalid value `E`: grade E after grade C"),
            "{err}"
        );
    }

    /// The same course as a cohort (`docs/reference.md` section 10.4): at day 90 the
    /// month-3 visit (day 91) is the endpoint. BICLA and SRI-4 met; LLDAS is
    /// indeterminate (haemolysis and GI activity not recorded), so the dual
    /// responders are indeterminate; clinical DORIS off treatment is met
    /// (hydroxychloroquine allowed). Time in DORIS off treatment, carried
    /// forward: not met from day 0 to 91, met from day 91 to 182: one half.
    #[test]
    fn car_t_course_as_a_cohort() {
        use sledai::TriState::{Indeterminate, Met};
        use sledai::timeline::Cohort;
        use sledai::timeline::{SummaryOptions, TimelineOptions, Window};
        let visits: Vec<VisitInput> = COURSE.iter().map(|l| record(l)).collect();
        let c = Cohort::from_records(visits, &TimelineOptions::default()).expect("cohort");
        let report = c.summarize(&SummaryOptions::new([Window::new(90, 14)]));
        let p = &report.patients[0];
        let r = p.endpoints[0].responses.expect("a visit in the window");
        assert_eq!(r.bicla, Some(Met));
        assert_eq!(r.sri_4, Some(Met));
        assert_eq!(r.sri_8, Some(Met));
        assert_eq!(r.lldas_bicla, Some(Indeterminate));
        assert_eq!(r.doris_2017_clinical_off_treatment, Met);
        assert_eq!(p.endpoints[0].sri4.as_ref().map(|s| s.state()), Some(Met));
        assert_eq!(p.doris_off_treatment.time.fraction_of_time, Some(0.5));
        let e = &report.summary.endpoints[0].responses;
        assert_eq!((e.bicla.met, e.bicla.denominator), (1, 1));
        assert_eq!(e.lldas_bicla.indeterminate, 1);
        assert_eq!(e.doris_2017[1].not_met, 1); // complete: low complement
    }

    /// `examples/car_t_visits.jsonl` (no grades, no drug flags), each DORIS
    /// 2017 variant and the new endpoint states, derived by hand:
    /// - CART-A day 90 (SLEDAI-2K 4, serology only; PGA 0.8; prednisone 7.5):
    ///   clinical SLEDAI 0 but PGA 0.8 >= 0.5, so every variant is not met;
    ///   BICLA open (no grades, no treatment_failure); LLDAS met and SRI-4
    ///   met, so LLDAS-SRI-4 met and LLDAS-BICLA open.
    /// - CART-A day 360 (nothing present, PGA 0.2, methylprednisolone 2 mg =
    ///   prednisone 2.5): both on-treatment variants met (no serology);
    ///   both off-treatment variants not met (a glucocorticoid).
    /// - CART-B day 360 (SLEDAI-2K 8 > 4): LLDAS not met, so both dual
    ///   responders are not met.
    /// - CART-C day 365 (nothing present, PGA 0, no glucocorticoid; drug
    ///   flags not recorded): on treatment met; off treatment open.
    /// - Time in DORIS off treatment: every CART-A visit has a glucocorticoid:
    ///   0 of the observed time.
    #[test]
    fn car_t_example_cohort_doris_2017_and_responses() {
        use sledai::TriState::{Indeterminate, Met, NotMet};
        use sledai::timeline::Cohort;
        use sledai::timeline::{SummaryOptions, TimelineOptions, Window};
        let text = include_str!("../../examples/car_t_visits.jsonl");
        let visits: Vec<VisitInput> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(record)
            .collect();
        let c = Cohort::from_records(visits, &TimelineOptions::default()).expect("cohort");
        let report = c.summarize(&SummaryOptions::new([
            Window::new(90, 14),
            Window::new(360, 14),
        ]));
        let by = |id: &str| {
            report
                .patients
                .iter()
                .find(|p| p.patient == id)
                .expect("patient")
        };
        let a = by("CART-A");
        let a90 = a.endpoints[0].responses.expect("day 90");
        assert_eq!(
            [
                a90.doris_2017_clinical_on_treatment,
                a90.doris_2017_complete_on_treatment,
                a90.doris_2017_clinical_off_treatment,
                a90.doris_2017_complete_off_treatment
            ],
            [NotMet; 4]
        );
        assert_eq!(
            (a90.bicla, a90.lldas_bicla, a90.lldas_sri_4),
            (Some(Indeterminate), Some(Indeterminate), Some(Met))
        );
        let a360 = a.endpoints[1].responses.expect("day 360");
        assert_eq!(
            [
                a360.doris_2017_clinical_on_treatment,
                a360.doris_2017_complete_on_treatment,
                a360.doris_2017_clinical_off_treatment,
                a360.doris_2017_complete_off_treatment
            ],
            [Met, Met, NotMet, NotMet]
        );
        assert_eq!(a.doris_off_treatment.time.fraction_of_time, Some(0.0));
        let b360 = by("CART-B").endpoints[1].responses.expect("day 360");
        assert_eq!(
            (b360.lldas_bicla, b360.lldas_sri_4),
            (Some(NotMet), Some(NotMet))
        );
        let c365 = by("CART-C").endpoints[1].responses.expect("day 365");
        assert_eq!(
            [
                c365.doris_2017_clinical_on_treatment,
                c365.doris_2017_complete_on_treatment,
                c365.doris_2017_clinical_off_treatment,
                c365.doris_2017_complete_off_treatment
            ],
            [Met, Met, Indeterminate, Indeterminate]
        );
    }
}
