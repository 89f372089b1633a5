//! Grade comparisons: new A / new B against the baseline, the flare against
//! the previous visit, and the joint evaluation over the completions of the
//! unrecorded grades.
//!
//! Every rule here reads grades pairwise, one system at a time. A system
//! with an unrecorded grade has up to 25 (baseline, visit) completions; the
//! nine systems are combined by a small dynamic programme over capped
//! counts ([`Reach`]), so a rule that reads several counts at once is
//! decided over the completions jointly (`docs/reference.md` section 9.7).

use std::fmt;
use std::sync::OnceLock;

use super::grades::BilagGrades;
use super::system::{BilagGrade, BilagSystem};
use crate::error::Error;
use crate::state::TriState;
use crate::vocabulary::vocabulary;

vocabulary! {
    /// How a grade E is read (`docs/reference.md` section 9.8).
    ///
    /// ```
    /// use sledai::bilag::BilagGradeE;
    /// assert_eq!(BilagGradeE::default(), BilagGradeE::AsInactive);
    /// assert_eq!(BilagGradeE::Strict.to_string(), "strict");
    /// ```
    pub enum BilagGradeE = "bilag_grade_e", path = "sledai::bilag::BilagGradeE" {
        /// E = D in every comparison; E after activity is accepted. The
        /// default.
        AsInactive = "as_inactive",
        /// E means never affected: E after A-D in the same patient is an
        /// error, and no completion of an unrecorded grade puts E after A-D.
        Strict = "strict",
    }
}

vocabulary! {
    /// Which earlier grades make a B "new" (`docs/reference.md` section
    /// 9.3; Gordon C et al. Rheumatology 2003;42:1372-9).
    ///
    /// ```
    /// use sledai::bilag::BilagNewB;
    /// assert_eq!(BilagNewB::default(), BilagNewB::FromCDE);
    /// ```
    pub enum BilagNewB = "bilag_new_b", path = "sledai::bilag::BilagNewB" {
        /// B after C, D or E ("a new B score following a C, D or E score",
        /// Gordon 2003). The default.
        FromCDE = "from_c_d_e",
        /// B only after D or E (the "B flare" group of Gordon 2003).
        FromDE = "from_d_e",
    }
}

vocabulary! {
    /// What "new or worse" means for the BILAG-2004 flare
    /// (`docs/reference.md` section 9.4). The only reading offered: a grade
    /// more severe than at the previous visit (A after B-E, B after C-E,
    /// C after D or E). An item-level rule ("3 Worse 4 New" on the form)
    /// cannot be derived from grades.
    ///
    /// ```
    /// use sledai::bilag::BilagFlareGradeLevel;
    /// assert_eq!(BilagFlareGradeLevel::default().to_string(), "more_severe");
    /// ```
    pub enum BilagFlareGradeLevel = "bilag_flare_grade_level", path = "sledai::bilag::BilagFlareGradeLevel" {
        /// The grade is more severe than at the previous visit.
        MoreSevere = "more_severe",
    }
}

/// The policies of the grade comparisons.
///
/// Start from [`BilagOptions::default`] and use the `with_*` methods; read
/// them back with the getters of the same names; a single policy converts
/// into options ([`From`]). Serde:
/// `{"bilag_new_b": "from_c_d_e", "bilag_grade_e": "as_inactive",
/// "bilag_flare_grade_level": "more_severe"}`, every field optional.
///
/// ```
/// use sledai::bilag::{BilagGradeE, BilagNewB, BilagOptions};
/// let o = BilagOptions::default().with_new_b(BilagNewB::FromDE).with_grade_e(BilagGradeE::Strict);
/// assert_eq!(o.new_b(), BilagNewB::FromDE);
/// assert_eq!(o.grade_e(), BilagGradeE::Strict);
/// assert_eq!(BilagOptions::from(BilagNewB::FromDE).new_b(), BilagNewB::FromDE);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct BilagOptions {
    #[serde(rename = "bilag_new_b")]
    pub(crate) new_b: BilagNewB,
    #[serde(rename = "bilag_grade_e")]
    pub(crate) grade_e: BilagGradeE,
    #[serde(rename = "bilag_flare_grade_level")]
    pub(crate) flare: BilagFlareGradeLevel,
}

options_from_policies! {
    BilagOptions, "bilag" {
        BilagNewB => with_new_b,
        BilagGradeE => with_grade_e,
        BilagFlareGradeLevel => with_flare,
    }
}

impl BilagOptions {
    /// With policy `bilag_new_b`.
    ///
    /// ```
    /// use sledai::bilag::{BilagNewB, BilagOptions};
    /// assert_eq!(BilagOptions::default().with_new_b(BilagNewB::FromCDE), BilagOptions::default());
    /// ```
    #[must_use]
    pub const fn with_new_b(mut self, new_b: BilagNewB) -> Self {
        self.new_b = new_b;
        self
    }

    /// With policy `bilag_grade_e`.
    ///
    /// ```
    /// use sledai::bilag::{BilagGradeE, BilagOptions};
    /// assert_eq!(BilagOptions::default().with_grade_e(BilagGradeE::AsInactive), BilagOptions::default());
    /// ```
    #[must_use]
    pub const fn with_grade_e(mut self, grade_e: BilagGradeE) -> Self {
        self.grade_e = grade_e;
        self
    }

    /// With policy `bilag_flare_grade_level`.
    ///
    /// ```
    /// use sledai::bilag::{BilagFlareGradeLevel, BilagOptions};
    /// let o = BilagOptions::default().with_flare(BilagFlareGradeLevel::default());
    /// assert_eq!(o, BilagOptions::default());
    /// ```
    #[must_use]
    pub const fn with_flare(mut self, flare: BilagFlareGradeLevel) -> Self {
        self.flare = flare;
        self
    }

    /// Policy `bilag_new_b`.
    ///
    /// ```
    /// use sledai::bilag::{BilagNewB, BilagOptions};
    /// assert_eq!(BilagOptions::default().new_b(), BilagNewB::FromCDE);
    /// ```
    #[must_use]
    pub const fn new_b(self) -> BilagNewB {
        self.new_b
    }

    /// Policy `bilag_grade_e`.
    ///
    /// ```
    /// use sledai::bilag::{BilagGradeE, BilagOptions};
    /// assert_eq!(BilagOptions::default().grade_e(), BilagGradeE::AsInactive);
    /// ```
    #[must_use]
    pub const fn grade_e(self) -> BilagGradeE {
        self.grade_e
    }

    /// Policy `bilag_flare_grade_level`.
    ///
    /// ```
    /// use sledai::bilag::{BilagFlareGradeLevel, BilagOptions};
    /// assert_eq!(BilagOptions::default().flare(), BilagFlareGradeLevel::default());
    /// ```
    #[must_use]
    pub const fn flare(self) -> BilagFlareGradeLevel {
        self.flare
    }
}

/// Whether a new A: A now after B-E (`docs/reference.md` section 9.3).
pub(crate) const fn is_new_a(baseline: BilagGrade, visit: BilagGrade) -> bool {
    matches!(visit, BilagGrade::A) && !matches!(baseline, BilagGrade::A)
}

/// Whether a new B under `policy`: B now after C-E (or D-E).
pub(crate) const fn is_new_b(baseline: BilagGrade, visit: BilagGrade, policy: BilagNewB) -> bool {
    matches!(visit, BilagGrade::B)
        && match policy {
            BilagNewB::FromCDE => baseline.severity() <= 1,
            BilagNewB::FromDE => baseline.severity() == 0,
        }
}

/// Whether the pair is a possible history under `grade_e`: under `strict`
/// no E after A-D.
pub(crate) const fn possible(earlier: BilagGrade, later: BilagGrade, grade_e: BilagGradeE) -> bool {
    !(matches!(grade_e, BilagGradeE::Strict)
        && matches!(later, BilagGrade::E)
        && !matches!(earlier, BilagGrade::E))
}

/// Checks the recorded pairs of two visits under `grade_e`.
///
/// # Errors
///
/// [`Error::InvalidValue`] (field `bilag.<system>`) under `strict` for a system graded E
/// after A-D.
pub(crate) fn check_pairs(
    earlier: &BilagGrades,
    later: &BilagGrades,
    grade_e: BilagGradeE,
) -> Result<(), Error> {
    for system in BilagSystem::ALL {
        if let (Some(e), Some(l)) = (earlier.get(system), later.get(system)) {
            if !possible(e, l, grade_e) {
                return Err(super::grade_e_after_activity(system, e));
            }
        }
    }
    Ok(())
}

/// The completions of one system: every possible (earlier, later) pair.
pub(crate) fn completions(
    earlier: Option<BilagGrade>,
    later: Option<BilagGrade>,
    grade_e: BilagGradeE,
) -> impl Iterator<Item = (BilagGrade, BilagGrade)> {
    let e: &'static [BilagGrade] = match earlier {
        Some(g) => std::slice::from_ref(grade_ref(g)),
        None => &BilagGrade::ALL,
    };
    let l: &'static [BilagGrade] = match later {
        Some(g) => std::slice::from_ref(grade_ref(g)),
        None => &BilagGrade::ALL,
    };
    e.iter()
        .flat_map(move |&a| l.iter().map(move |&b| (a, b)))
        .filter(move |&(a, b)| possible(a, b, grade_e))
}

const fn grade_ref(g: BilagGrade) -> &'static BilagGrade {
    &BilagGrade::ALL[g as usize]
}

/// A set of reachable states of a dynamic programme over the nine systems,
/// each state a small index below 32.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Reach(u32);

impl Reach {
    /// No state reached (the placeholder of facts that need no programme).
    pub(crate) const EMPTY: Reach = Reach(0);

    /// Runs the programme: from state `start`, for each system, every
    /// reachable state steps through every completion of that system.
    ///
    /// When all eighteen grades are recorded (the common case of a complete
    /// form) each system has one completion, and the programme is a plain
    /// fold of `step` over the nine pairs: one state, no transition tables.
    /// The result is the same set ([`Reach::run_full`] is the programme
    /// without this shortcut; a property test pins them equal).
    pub(crate) fn run(
        earlier: &BilagGrades,
        later: &BilagGrades,
        grade_e: BilagGradeE,
        start: u8,
        step: impl Fn(u8, BilagGrade, BilagGrade) -> u8,
    ) -> Reach {
        match Reach::run_recorded(earlier, later, grade_e, start, &step) {
            Some(reach) => reach,
            None => Reach::run_full(earlier, later, grade_e, start, step),
        }
    }

    /// As [`Reach::run`], with the answer for two visits without any grade
    /// (the common case of data without BILAG) taken from `cache`, which
    /// holds the full programme's answer for that case, computed once.
    ///
    /// `cache` must be chosen by the caller for everything the answer
    /// depends on: `grade_e`, `start` and whatever `step` reads (a policy),
    /// one cache per combination.
    pub(crate) fn run_cached(
        cache: &'static OnceLock<Reach>,
        earlier: &BilagGrades,
        later: &BilagGrades,
        grade_e: BilagGradeE,
        start: u8,
        step: impl Fn(u8, BilagGrade, BilagGrade) -> u8,
    ) -> Reach {
        if *earlier == BilagGrades::NOT_RECORDED && *later == BilagGrades::NOT_RECORDED {
            *cache.get_or_init(|| Reach::run_full(earlier, later, grade_e, start, step))
        } else {
            Reach::run(earlier, later, grade_e, start, step)
        }
    }

    /// The programme when every grade is recorded, else `None`.
    fn run_recorded(
        earlier: &BilagGrades,
        later: &BilagGrades,
        grade_e: BilagGradeE,
        start: u8,
        step: &impl Fn(u8, BilagGrade, BilagGrade) -> u8,
    ) -> Option<Reach> {
        let mut state = start;
        let mut possible_so_far = true;
        for system in BilagSystem::ALL {
            let (Some(a), Some(b)) = (earlier.get(system), later.get(system)) else {
                return None;
            };
            // An impossible pair has no completion: nothing is reachable
            // (the full programme's empty set), whatever follows.
            if !possible(a, b, grade_e) {
                possible_so_far = false;
            }
            if possible_so_far {
                state = step(state, a, b);
            }
        }
        Some(if possible_so_far {
            Reach(1 << state)
        } else {
            Reach::EMPTY
        })
    }

    /// The full programme, without the shortcuts of [`Reach::run`] and
    /// [`Reach::run_cached`].
    pub(crate) fn run_full(
        earlier: &BilagGrades,
        later: &BilagGrades,
        grade_e: BilagGradeE,
        start: u8,
        step: impl Fn(u8, BilagGrade, BilagGrade) -> u8,
    ) -> Reach {
        // A system's transition depends only on its (earlier, later)
        // grades, so it is computed once per distinct pair and per state
        // reached, and reused by every system with the same pair (nine
        // unrecorded systems cost one).
        type Key = (Option<BilagGrade>, Option<BilagGrade>);
        let mut memo: [(Key, [u32; 32], u32); 9] = [((None, None), [0; 32], 0); 9];
        let mut used = 0;
        let mut set = 1u32 << start;
        for system in BilagSystem::ALL {
            let key = (earlier.get(system), later.get(system));
            let slot = match memo[..used].iter().position(|m| m.0 == key) {
                Some(i) => i,
                None => {
                    memo[used].0 = key;
                    used += 1;
                    used - 1
                }
            };
            let (_, trans, known) = &mut memo[slot];
            let mut next = 0u32;
            let mut states = set;
            while states != 0 {
                // A nonzero u32 has fewer than 32 trailing zeros.
                #[allow(clippy::cast_possible_truncation)]
                let s = states.trailing_zeros() as u8;
                states &= states - 1;
                if *known & (1 << s) == 0 {
                    trans[usize::from(s)] = completions(key.0, key.1, grade_e)
                        .fold(0, |m, (a, b)| m | 1 << step(s, a, b));
                    *known |= 1 << s;
                }
                next |= trans[usize::from(s)];
            }
            set = next;
        }
        Reach(set)
    }

    /// Met when every reachable state satisfies `holds`, not met when none
    /// does, indeterminate otherwise (`docs/reference.md` section 9.7).
    /// The reference for [`Reach::decide_mask`] in the tests.
    #[cfg(test)]
    pub(crate) fn decide(self, holds: impl Fn(u8) -> bool) -> TriState {
        let (mut some, mut all) = (false, true);
        for s in 0..32u8 {
            if self.0 & (1 << s) != 0 {
                if holds(s) {
                    some = true;
                } else {
                    all = false;
                }
            }
        }
        match (some, all) {
            (true, true) => TriState::Met,
            (false, _) => TriState::NotMet,
            (true, false) => TriState::Indeterminate,
        }
    }

    /// As [`Reach::decide`], with the states that satisfy the rule given
    /// as a bit set.
    pub(crate) const fn decide_mask(self, holds: u32) -> TriState {
        let some = self.0 & holds != 0;
        let all = self.0 & !holds == 0;
        match (some, all) {
            (true, true) => TriState::Met,
            (false, _) => TriState::NotMet,
            (true, false) => TriState::Indeterminate,
        }
    }

    /// Every reachable state.
    pub(crate) fn states(self) -> impl Iterator<Item = u8> {
        (0..32u8).filter(move |s| self.0 & (1 << s) != 0)
    }
}

/// A count of systems over the completions: exact when every system
/// contributes the same for all its completions, else the range.
///
/// Serializes as the integer when exact, else `null` (the `bilag_new_a` and
/// `bilag_new_b` outputs).
///
/// ```
/// use sledai::bilag::{new_counts, BilagGrade::*, BilagGrades, BilagOptions, BilagSystem};
/// let base = BilagGrades::all(E).with(BilagSystem::Renal, None);
/// let now = BilagGrades::all(E).with(BilagSystem::Renal, Some(A)).with(BilagSystem::Mucocutaneous, Some(B));
/// let c = new_counts(&base, &now, BilagOptions::default())?;
/// assert_eq!(c.new_a.exact(), None); // renal was A (not new) or B-E (new)
/// assert_eq!((c.new_a.min(), c.new_a.max()), (0, 1));
/// assert_eq!(c.new_b.exact(), Some(1));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BilagCount {
    min: u8,
    max: u8,
}

impl BilagCount {
    /// The count `n`, exactly.
    ///
    /// ```
    /// assert_eq!(sledai::bilag::BilagCount::exactly(2).exact(), Some(2));
    /// ```
    pub const fn exactly(n: u8) -> BilagCount {
        BilagCount { min: n, max: n }
    }

    /// The smallest count over the completions.
    ///
    /// ```
    /// assert_eq!(sledai::bilag::BilagCount::exactly(1).min(), 1);
    /// ```
    pub const fn min(self) -> u8 {
        self.min
    }

    /// The largest count over the completions.
    ///
    /// ```
    /// assert_eq!(sledai::bilag::BilagCount::exactly(1).max(), 1);
    /// ```
    pub const fn max(self) -> u8 {
        self.max
    }

    /// The count when every completion gives the same; `None` otherwise.
    ///
    /// ```
    /// assert_eq!(sledai::bilag::BilagCount::exactly(0).exact(), Some(0));
    /// ```
    pub const fn exact(self) -> Option<u8> {
        if self.min == self.max {
            Some(self.min)
        } else {
            None
        }
    }
}

impl fmt::Display for BilagCount {
    /// `1`, or `0 to 2` for a range.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.exact() {
            Some(n) => write!(f, "{n}"),
            None => write!(f, "{} to {}", self.min, self.max),
        }
    }
}

impl serde::Serialize for BilagCount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.exact() {
            Some(n) => s.serialize_u8(n),
            None => s.serialize_none(),
        }
    }
}

/// The new A and new B counts of a visit against the baseline.
///
/// ```
/// use sledai::bilag::{new_counts, BilagGrade::*, BilagGrades, BilagOptions, BilagSystem};
/// let c = new_counts(&BilagGrades::all(E), &BilagGrades::all(E), BilagOptions::default())?;
/// assert_eq!((c.new_a.exact(), c.new_b.exact()), (Some(0), Some(0)));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub struct NewCounts {
    /// Systems graded A now and B-E at baseline.
    pub new_a: BilagCount,
    /// Systems graded B now and C-E (or D-E) at baseline.
    pub new_b: BilagCount,
}

impl NewCounts {
    /// 0 new A and 0 new B: the counts at the baseline visit itself.
    ///
    /// ```
    /// assert_eq!(sledai::bilag::NewCounts::ZERO.new_a.exact(), Some(0));
    /// ```
    pub const ZERO: NewCounts = NewCounts {
        new_a: BilagCount::exactly(0),
        new_b: BilagCount::exactly(0),
    };
}

/// New BILAG A and new BILAG B of `visit` against `baseline`
/// (`docs/reference.md` section 9.3; BLISS and NCT04895241 for A, Gordon
/// 2003 for B, policy `bilag_new_b`). A grade that stays the same and any
/// improvement are never new. Each count is exact when every system
/// contributes the same for all its completions.
///
/// At the baseline visit itself the counts are 0 and 0 by definition (an
/// unrecorded system is the same unknown on both sides); call this only for
/// later visits.
///
/// # Errors
///
/// [`Error::InvalidValue`] (field `bilag.<system>`) under `bilag_grade_e = strict`.
///
/// ```
/// use sledai::bilag::{new_counts, BilagGrade::*, BilagGrades, BilagNewB, BilagOptions, BilagSystem};
/// let base = BilagGrades::all(E).with(BilagSystem::Renal, Some(C));
/// let now = BilagGrades::all(E).with(BilagSystem::Renal, Some(B));
/// let c = new_counts(&base, &now, BilagOptions::default())?;
/// assert_eq!(c.new_b.exact(), Some(1)); // C to B is new under from_c_d_e
/// assert_eq!(new_counts(&base, &now, BilagNewB::FromDE)?.new_b.exact(), Some(0));
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn new_counts(
    baseline: &BilagGrades,
    visit: &BilagGrades,
    options: impl Into<BilagOptions>,
) -> Result<NewCounts, Error> {
    let options = options.into();
    check_pairs(baseline, visit, options.grade_e)?;
    let (mut a, mut b) = ((0u8, 0u8), (0u8, 0u8));
    for system in BilagSystem::ALL {
        let (mut amin, mut amax, mut bmin, mut bmax) = (1u8, 0u8, 1u8, 0u8);
        for (x, y) in completions(baseline.get(system), visit.get(system), options.grade_e) {
            let na = u8::from(is_new_a(x, y));
            let nb = u8::from(is_new_b(x, y, options.new_b));
            amin = amin.min(na);
            amax = amax.max(na);
            bmin = bmin.min(nb);
            bmax = bmax.max(nb);
        }
        a = (a.0 + amin, a.1 + amax);
        b = (b.0 + bmin, b.1 + bmax);
    }
    Ok(NewCounts {
        new_a: BilagCount { min: a.0, max: a.1 },
        new_b: BilagCount { min: b.0, max: b.1 },
    })
}

/// A BILAG-2004 flare category against the previous visit.
///
/// Serializes as `"severe"`, `"moderate"`, `"mild"`, `"none"` or
/// `"indeterminate"`.
///
/// ```
/// use sledai::bilag::Flare;
/// assert_eq!(Flare::Moderate.to_string(), "moderate");
/// assert_eq!(serde_json::to_string(&Flare::Indeterminate).unwrap(), r#""indeterminate""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flare {
    /// At least one system new-or-worse A.
    Severe,
    /// No new-or-worse A; at least two new-or-worse B.
    Moderate,
    /// Not moderate or severe; at least one new-or-worse B or at least
    /// three new-or-worse C.
    Mild,
    /// None of the above.
    None,
    /// The completions of the unrecorded grades give different categories.
    Indeterminate,
}

impl Flare {
    /// The serialized name.
    ///
    /// ```
    /// assert_eq!(sledai::bilag::Flare::None.as_str(), "none");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Flare::Severe => "severe",
            Flare::Moderate => "moderate",
            Flare::Mild => "mild",
            Flare::None => "none",
            Flare::Indeterminate => "indeterminate",
        }
    }
}

impl fmt::Display for Flare {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Flare counts, capped: worse A (0-1), worse B (0-2), worse C (0-3).
const fn flare_state(a: u8, b: u8, c: u8) -> u8 {
    a + 2 * b + 6 * c
}

const fn flare_category(s: u8) -> Flare {
    let (a, b, c) = (s % 2, (s / 2) % 3, s / 6);
    if a >= 1 {
        Flare::Severe
    } else if b >= 2 {
        Flare::Moderate
    } else if b >= 1 || c >= 3 {
        Flare::Mild
    } else {
        Flare::None
    }
}

/// The BILAG-2004 flare of `visit` against the `previous` dated visit
/// (Petri M et al. Ann Rheum Dis 2013;72(Suppl 3):A473: "severe = new or
/// worse A, moderate = ≥2 B new or worse, mild = ≥1B or ≥3C new or worse";
/// `docs/reference.md` section 9.4). Ranked and exclusive. "New or worse"
/// is policy `bilag_flare_grade_level`: a grade more severe than at the
/// previous visit. Decided jointly over the completions of the unrecorded
/// grades: [`Flare::Indeterminate`] when they give different categories.
///
/// # Errors
///
/// [`Error::InvalidValue`] (field `bilag.<system>`) under `bilag_grade_e = strict`.
///
/// ```
/// use sledai::bilag::{flare, BilagGrade::*, BilagGrades, BilagOptions, BilagSystem::*, Flare};
/// let o = BilagOptions::default();
/// let prev = BilagGrades::all(D);
/// let two_b = prev.with(Renal, Some(B)).with(Mucocutaneous, Some(B));
/// assert_eq!(flare(&prev, &two_b, o)?, Flare::Moderate);
/// let two_c = prev.with(Renal, Some(C)).with(Mucocutaneous, Some(C));
/// assert_eq!(flare(&prev, &two_c, o)?, Flare::None);
/// // A previous A with the visit's grade unknown can only stay or improve.
/// let prev_a = prev.with(Renal, Some(A));
/// assert_eq!(flare(&prev_a, &prev.with(Renal, None), o)?, Flare::None);
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn flare(
    previous: &BilagGrades,
    visit: &BilagGrades,
    options: impl Into<BilagOptions>,
) -> Result<Flare, Error> {
    let options = options.into();
    check_pairs(previous, visit, options.grade_e)?;
    let reach = flare_reach(previous, visit, options.grade_e);
    let mut category = None;
    for s in reach.states() {
        let f = flare_category(s);
        match category {
            None => category = Some(f),
            Some(c) if c != f => return Ok(Flare::Indeterminate),
            Some(_) => {}
        }
    }
    Ok(category.unwrap_or(Flare::Indeterminate))
}

/// One system's step of the flare programme: the capped counts of
/// new-or-worse A, B and C.
pub(crate) const fn flare_step(s: u8, previous: BilagGrade, visit: BilagGrade) -> u8 {
    let (mut a, mut b, mut c) = (s % 2, (s / 2) % 3, s / 6);
    if visit.severity() > previous.severity() {
        match visit {
            BilagGrade::A => a = 1,
            BilagGrade::B => b = if b + 1 < 2 { b + 1 } else { 2 },
            BilagGrade::C => c = if c + 1 < 3 { c + 1 } else { 3 },
            BilagGrade::D | BilagGrade::E => {}
        }
    }
    flare_state(a, b, c)
}

/// The flare programme's reachable states (the answer without any grade
/// cached per `grade_e`).
pub(crate) fn flare_reach(
    previous: &BilagGrades,
    visit: &BilagGrades,
    grade_e: BilagGradeE,
) -> Reach {
    static UNRECORDED: [OnceLock<Reach>; 2] = [OnceLock::new(), OnceLock::new()];
    let cache = &UNRECORDED[match grade_e {
        BilagGradeE::AsInactive => 0,
        BilagGradeE::Strict => 1,
    }];
    Reach::run_cached(cache, previous, visit, grade_e, 0, flare_step)
}

/// Writes `system earlier/later` for every system, `?` for not recorded.
///
/// The text is assembled in a stack buffer and handed to the formatter in
/// one piece: a serializer that escapes each piece (`serde_json`'s
/// `collect_str`) then scans it once instead of in 36 fragments.
pub(crate) fn write_pairs(
    f: &mut fmt::Formatter<'_>,
    earlier: Option<&BilagGrades>,
    later: &BilagGrades,
) -> fmt::Result {
    let letter = |g: Option<BilagGrade>| g.map_or("?", BilagGrade::letter);
    let mut out = TextBuf::new(f);
    for (i, system) in BilagSystem::ALL.iter().enumerate() {
        if i > 0 {
            out.push(", ")?;
        }
        out.push(system.id())?;
        out.push(" ")?;
        if let Some(e) = earlier {
            out.push(letter(e.get(*system)))?;
            out.push("/")?;
        }
        out.push(letter(later.get(*system)))?;
    }
    out.finish()
}

/// A small stack buffer in front of a formatter: pieces are collected and
/// written in one `write_str` when the buffer fills or at
/// [`TextBuf::finish`]. The text written is the concatenation of the
/// pieces, whatever their lengths.
pub(crate) struct TextBuf<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    buf: [u8; 256],
    len: usize,
}

impl<'a, 'b> TextBuf<'a, 'b> {
    pub(crate) const fn new(f: &'a mut fmt::Formatter<'b>) -> Self {
        TextBuf {
            f,
            buf: [0; 256],
            len: 0,
        }
    }

    /// Appends `s`.
    pub(crate) fn push(&mut self, s: &str) -> fmt::Result {
        if self.len + s.len() > self.buf.len() {
            self.flush()?;
            if s.len() > self.buf.len() {
                return self.f.write_str(s);
            }
        }
        self.buf[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
        self.len += s.len();
        Ok(())
    }

    fn flush(&mut self) -> fmt::Result {
        // The buffer holds whole `&str` pieces, so it is valid UTF-8.
        let text = std::str::from_utf8(&self.buf[..self.len]).map_err(|_| fmt::Error)?;
        self.f.write_str(text)?;
        self.len = 0;
        Ok(())
    }

    /// Writes what is buffered.
    pub(crate) fn finish(mut self) -> fmt::Result {
        self.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::TextBuf;
    use proptest::prelude::*;
    use std::fmt;

    struct Pieces(Vec<String>);

    impl fmt::Display for Pieces {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let mut out = TextBuf::new(f);
            for p in &self.0 {
                out.push(p)?;
            }
            out.finish()
        }
    }

    proptest! {
        /// The buffer writes exactly the concatenation of its pieces, for
        /// pieces shorter and longer than the buffer and any UTF-8.
        #[test]
        fn text_buf_writes_the_concatenation(pieces in prop::collection::vec(
            prop_oneof![".{0,20}", ".{200,300}", "[a-zé?/, ]{0,90}"], 0..20)
        ) {
            let want: String = pieces.concat();
            prop_assert_eq!(Pieces(pieces).to_string(), want);
        }
    }
}
