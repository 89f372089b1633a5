//! The data of one patient: the entry criterion, each criterion present,
//! absent or not assessed, the criteria with a more likely explanation,
//! and raw values.

use std::fmt;

use super::*;
use crate::assessment::Finding;
use crate::assessment::{get_finding, set_finding};
use crate::error::Error;

/// The data of one patient for the 2019 EULAR/ACR classification: the entry
/// criterion, each weighted criterion present / absent / not assessed, the
/// criteria with a more likely explanation than SLE, and optional raw
/// values.
///
/// Every criterion starts not assessed ([`ClassificationInput::not_assessed`])
/// or absent ([`ClassificationInput::from_present`]); the entry criterion
/// starts not assessed in both.
///
/// # Serde format
///
/// ```json
/// {
///   "ana": true,
///   "ana_titre": "1:160",
///   "criteria": {"joint_involvement": true, "fever": false, "seizure": null},
///   "more_likely_explanation": ["fever"],
///   "measurements": {"min_platelets": {"value": 85000, "unit": "/mm3"}}
/// }
/// ```
///
/// Every field is optional. `ana` is the entry criterion (`true`, `false`,
/// or `null`/missing for not assessed); `ana_titre` the highest HEp-2 titre
/// as text `"1:N"`. A criterion missing from `criteria`, or `null`, is not
/// assessed. Unknown fields, unknown identifiers and repeated identifiers
/// are errors. The round trip is lossless.
///
/// # Example
///
/// ```
/// use sledai::classification::{ClassificationInput, ClassificationCriterion, Outcome};
/// use sledai::Finding;
///
/// let input = ClassificationInput::not_assessed()
///     .with_entry(Finding::Present)
///     .with(ClassificationCriterion::RenalBiopsyClassIIIOrIV, Finding::Present);
/// // Class III/IV nephritis alone is 10 points and clinical: classified,
/// // whatever the criteria not assessed turn out to be.
/// assert_eq!(sledai::classification::evaluate(&input)?.outcome(), Outcome::Classified);
///
/// let json = r#"{"ana": true, "criteria": {"renal_biopsy_class_iii_or_iv": true}}"#;
/// let parsed: ClassificationInput = serde_json::from_str(json).unwrap();
/// assert_eq!(parsed, input);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassificationInput {
    entry: Finding,
    ana_titre: Option<AnaTitre>,
    present: u32,
    not_assessed: u32,
    explained: u32,
    measurements: ExtremeValues,
}

impl Default for ClassificationInput {
    /// Nothing assessed: [`ClassificationInput::not_assessed`].
    fn default() -> Self {
        ClassificationInput::not_assessed()
    }
}

impl ClassificationInput {
    /// An input in which nothing is assessed yet, the entry criterion
    /// included.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, Outcome};
    /// let r = sledai::classification::evaluate(&ClassificationInput::not_assessed())?;
    /// assert_eq!(r.outcome(), Outcome::Indeterminate);
    /// assert_eq!(r.not_assessed().len(), 21);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn not_assessed() -> ClassificationInput {
        ClassificationInput {
            entry: Finding::NotAssessed,
            ana_titre: None,
            present: 0,
            not_assessed: ALL_BITS,
            explained: 0,
            measurements: ExtremeValues::new(),
        }
    }

    /// An input in which exactly `present` are present and every other
    /// weighted criterion is absent. The entry criterion is still not
    /// assessed: set it with [`ClassificationInput::with_entry`] or
    /// [`ClassificationInput::with_ana_titre`].
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion, Outcome};
    /// use sledai::Finding;
    /// let input = ClassificationInput::from_present([ClassificationCriterion::RenalBiopsyClassIIIOrIV]);
    /// assert_eq!(sledai::classification::evaluate(&input)?.outcome(), Outcome::Indeterminate); // entry unknown
    /// let input = input.with_entry(Finding::Present);
    /// assert_eq!(sledai::classification::evaluate(&input)?.outcome(), Outcome::Classified);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_present<I: IntoIterator<Item = ClassificationCriterion>>(
        present: I,
    ) -> ClassificationInput {
        let set: CriterionSet = present.into_iter().collect();
        ClassificationInput {
            present: set.bits(),
            not_assessed: 0,
            ..ClassificationInput::not_assessed()
        }
    }

    /// The input with the entry criterion (ANA >= 1:80 on HEp-2 cells or an
    /// equivalent positive test, ever) set to `finding`.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion, Outcome};
    /// use sledai::Finding;
    /// let input = ClassificationInput::from_present(ClassificationCriterion::ALL).with_entry(Finding::Absent);
    /// assert_eq!(sledai::classification::evaluate(&input)?.outcome(), Outcome::NotClassified);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_entry(mut self, finding: Finding) -> ClassificationInput {
        self.entry = finding;
        self
    }

    /// The input with the highest ANA titre on HEp-2 cells. When the entry
    /// criterion is not assessed, the titre decides it (met at 1:80 or
    /// above); when it is given too, the two must agree.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion};
    /// use sledai::TriState;
    /// let input = ClassificationInput::from_present([ClassificationCriterion::RenalBiopsyClassIIIOrIV]);
    /// let r = sledai::classification::evaluate(&input.with_ana_titre("1:40".parse()?))?;
    /// assert_eq!(r.entry_criterion(), TriState::NotMet);
    /// let r = sledai::classification::evaluate(&input.with_ana_titre("1:80".parse()?))?;
    /// assert_eq!(r.entry_criterion(), TriState::Met);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_ana_titre(mut self, titre: AnaTitre) -> ClassificationInput {
        self.ana_titre = Some(titre);
        self
    }

    /// The input with `criterion` set to `finding`.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion};
    /// use sledai::Finding;
    /// let input = ClassificationInput::not_assessed().with(ClassificationCriterion::Fever, Finding::Absent);
    /// assert_eq!(input.finding(ClassificationCriterion::Fever), Finding::Absent);
    /// ```
    #[must_use]
    pub const fn with(
        mut self,
        criterion: ClassificationCriterion,
        finding: Finding,
    ) -> ClassificationInput {
        (self.present, self.not_assessed) =
            set_finding(self.present, self.not_assessed, criterion.bit(), finding);
        self
    }

    /// The input with `criterion` marked as having a more likely
    /// explanation than SLE: it then does not count, whatever its finding
    /// (Aringer 2019, attribution rule).
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion, Outcome};
    /// use sledai::Finding;
    /// let input = ClassificationInput::from_present([ClassificationCriterion::RenalBiopsyClassIIIOrIV])
    ///     .with_entry(Finding::Present)
    ///     .with_more_likely_explanation(ClassificationCriterion::RenalBiopsyClassIIIOrIV);
    /// let r = sledai::classification::evaluate(&input)?;
    /// assert_eq!(r.outcome(), Outcome::NotClassified);
    /// assert_eq!(r.total(), Some(0));
    /// assert!(r.explained().contains(ClassificationCriterion::RenalBiopsyClassIIIOrIV));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_more_likely_explanation(
        mut self,
        criterion: ClassificationCriterion,
    ) -> ClassificationInput {
        self.explained |= criterion.bit();
        self
    }

    /// The input with raw values for the numeric criteria.
    ///
    /// ```
    /// use sledai::classification::{BodyTemperature, ClassificationInput, ClassificationCriterion, ExtremeValues};
    /// use sledai::units::TemperatureUnit;
    /// use sledai::Finding;
    /// let t = BodyTemperature::new(38.3, TemperatureUnit::Celsius)?;
    /// let m = ExtremeValues::new().with_max_temperature(t);
    /// let input = ClassificationInput::from_present([])
    ///     .with(ClassificationCriterion::Fever, Finding::NotAssessed)
    ///     .with_measurements(m);
    /// let r = sledai::classification::evaluate(&input)?;
    /// assert!(r.absent().contains(ClassificationCriterion::Fever)); // 38.3 is not > 38.3
    /// # Ok::<(), sledai::Error>(())
    /// ```
    #[must_use]
    pub const fn with_measurements(mut self, measurements: ExtremeValues) -> ClassificationInput {
        self.measurements = measurements;
        self
    }

    /// The recorded entry criterion (before any titre is taken into
    /// account).
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// use sledai::Finding;
    /// assert_eq!(ClassificationInput::not_assessed().entry(), Finding::NotAssessed);
    /// ```
    pub const fn entry(&self) -> Finding {
        self.entry
    }

    /// The recorded ANA titre, if any.
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// assert_eq!(ClassificationInput::not_assessed().ana_titre(), None);
    /// ```
    pub const fn ana_titre(&self) -> Option<AnaTitre> {
        self.ana_titre
    }

    /// The recorded finding of `criterion` (before measurements and the
    /// attribution rule are taken into account).
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion};
    /// use sledai::Finding;
    /// let input = ClassificationInput::from_present([ClassificationCriterion::Seizure]);
    /// assert_eq!(input.finding(ClassificationCriterion::Seizure), Finding::Present);
    /// assert_eq!(input.finding(ClassificationCriterion::Delirium), Finding::Absent);
    /// ```
    pub const fn finding(&self, criterion: ClassificationCriterion) -> Finding {
        get_finding(self.present, self.not_assessed, criterion.bit())
    }

    /// The criteria marked as having a more likely explanation than SLE.
    ///
    /// ```
    /// use sledai::classification::{ClassificationInput, ClassificationCriterion};
    /// let input = ClassificationInput::not_assessed().with_more_likely_explanation(ClassificationCriterion::Fever);
    /// assert!(input.more_likely_explanation().contains(ClassificationCriterion::Fever));
    /// ```
    pub const fn more_likely_explanation(&self) -> CriterionSet {
        CriterionSet(self.explained)
    }

    /// The raw values given.
    ///
    /// ```
    /// use sledai::classification::ClassificationInput;
    /// assert!(ClassificationInput::not_assessed().measurements().is_empty());
    /// ```
    pub const fn measurements(&self) -> &ExtremeValues {
        &self.measurements
    }

    /// The classification of this input: see [`evaluate`](super::evaluate).
    pub(super) fn evaluate(&self) -> Result<Classification, Error> {
        // (1) Raw values.
        let mut present = self.present;
        let mut not_assessed = self.not_assessed;
        for (criterion, met, field, value) in self.measurements.derived() {
            let bit = criterion.bit();
            match self.finding(criterion) {
                Finding::NotAssessed => {
                    not_assessed &= !bit;
                    if met {
                        present |= bit;
                    }
                }
                recorded => {
                    if (recorded == Finding::Present) != met {
                        return Err(contradiction(
                            criterion.id(),
                            recorded,
                            field,
                            &value,
                            met,
                            criterion.threshold().unwrap_or(""),
                        ));
                    }
                }
            }
        }
        let entry = match (self.entry, self.ana_titre) {
            (recorded, None) => recorded,
            (Finding::NotAssessed, Some(t)) => Finding::from_option(Some(t.meets_entry())),
            (recorded, Some(t)) => {
                if (recorded == Finding::Present) != t.meets_entry() {
                    return Err(contradiction(
                        "ana",
                        recorded,
                        "ana_titre",
                        &t.to_string(),
                        t.meets_entry(),
                        ">= 1:80",
                    ));
                }
                recorded
            }
        };
        // (2) Attribution: explained criteria never count.
        let explained = CriterionSet(present & self.explained);
        present &= !self.explained;
        not_assessed &= !self.explained;
        Ok(Classification::evaluate(
            entry,
            CriterionSet(present),
            CriterionSet(not_assessed),
            explained,
        ))
    }
}

fn contradiction(
    field: &'static str,
    recorded: Finding,
    raw_field: &str,
    raw_value: &str,
    met: bool,
    threshold: &str,
) -> Error {
    let recorded = match recorded {
        Finding::Present => "present",
        Finding::Absent => "absent",
        Finding::NotAssessed => "not_assessed",
    };
    let verb = if met { "meets" } else { "does not meet" };
    Error::InvalidValue {
        field,
        value: recorded.to_owned().into(),
        reason: format!("contradicts {raw_field} {raw_value}, which {verb} {threshold}").into(),
    }
}

/// The wire form of [`ClassificationInput`].
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct InputWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ana: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ana_titre: Option<AnaTitre>,
    #[serde(default)]
    criteria: CriteriaObject,
    #[serde(default, skip_serializing_if = "set_is_empty")]
    more_likely_explanation: CriterionSet,
    #[serde(default, skip_serializing_if = "ExtremeValues::is_empty")]
    measurements: ExtremeValues,
}

fn set_is_empty(set: &CriterionSet) -> bool {
    set.is_empty()
}

/// `criteria`: identifier -> true, false or null; missing is not assessed.
struct CriteriaObject {
    present: u32,
    not_assessed: u32,
}

impl Default for CriteriaObject {
    fn default() -> Self {
        CriteriaObject {
            present: 0,
            not_assessed: ALL_BITS,
        }
    }
}

impl serde::Serialize for CriteriaObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(ClassificationCriterion::ALL.iter().filter_map(|c| {
            let bit = c.bit();
            if self.not_assessed & bit != 0 {
                None
            } else {
                Some((c.id(), self.present & bit != 0))
            }
        }))
    }
}

impl<'de> serde::Deserialize<'de> for CriteriaObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = CriteriaObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of criterion identifier -> true, false or null")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<CriteriaObject, A::Error> {
                let mut out = CriteriaObject::default();
                let mut seen = 0u32;
                while let Some(c) = map.next_key::<ClassificationCriterion>()? {
                    if seen & c.bit() != 0 {
                        return Err(serde::de::Error::custom(repeated(c)));
                    }
                    seen |= c.bit();
                    if let Some(v) = map.next_value::<Option<bool>>()? {
                        out.not_assessed &= !c.bit();
                        if v {
                            out.present |= c.bit();
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

impl serde::Serialize for ClassificationInput {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        InputWire {
            ana: self.entry.as_option(),
            ana_titre: self.ana_titre,
            criteria: CriteriaObject {
                present: self.present,
                not_assessed: self.not_assessed,
            },
            more_likely_explanation: CriterionSet(self.explained),
            measurements: self.measurements,
        }
        .serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for ClassificationInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = InputWire::deserialize(d)?;
        Ok(ClassificationInput {
            entry: Finding::from_option(w.ana),
            ana_titre: w.ana_titre,
            present: w.criteria.present,
            not_assessed: w.criteria.not_assessed,
            explained: w.more_likely_explanation.bits(),
            measurements: w.measurements,
        })
    }
}
