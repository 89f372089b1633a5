//! The nine grades of one visit and the numeric (global) score.

use std::fmt;

use super::system::{BilagGrade, BilagSystem, SYSTEM_IDS};
use crate::error::Error;

/// The BILAG-2004 grades of one visit: one optional grade per system.
///
/// `None` is *not recorded*: the grade is unknown (any of A-E), never E and
/// never inactive (`docs/reference.md` section 9.1; the pitfall of a public
/// calculator that fills a missing grade with E).
///
/// # Serde format
///
/// A JSON object from system identifier to `"A"`..`"E"` or `null`:
/// `{"renal": "A", "mucocutaneous": "C", "haematological": null}`. A system
/// left out or `null` is not recorded. An unknown system name, a repeated
/// system, or any other value (`"a"`, `"F"`, `1`) is an error naming the
/// field and the value. Serializes every system, `null` for not recorded.
///
/// ```
/// use sledai::bilag::{BilagGrade, BilagGrades, BilagSystem};
///
/// let g: BilagGrades = serde_json::from_str(r#"{"renal": "A", "mucocutaneous": "C", "ophthalmic": null}"#)?;
/// assert_eq!(g.get(BilagSystem::Renal), Some(BilagGrade::A));
/// assert_eq!(g.get(BilagSystem::Ophthalmic), None);
/// assert_eq!(g.recorded_count(), 2);
/// assert_eq!(g.numeric().to_string(), "13 to 97"); // 7 systems not recorded
///
/// let bad = serde_json::from_str::<BilagGrades>(r#"{"renal": "a"}"#).unwrap_err();
/// assert!(bad.to_string().contains("bilag.renal: invalid value `a`"));
/// let bad = serde_json::from_str::<BilagGrades>(r#"{"kidney": "A"}"#).unwrap_err();
/// assert!(bad.to_string().contains("bilag: unknown value `kidney`"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct BilagGrades([Option<BilagGrade>; 9]);

impl BilagGrades {
    /// No system recorded.
    ///
    /// ```
    /// assert_eq!(sledai::bilag::BilagGrades::NOT_RECORDED.recorded_count(), 0);
    /// ```
    pub const NOT_RECORDED: BilagGrades = BilagGrades([None; 9]);

    /// Grades from an array in form order ([`BilagSystem::ALL`]).
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade::*, BilagGrades, BilagSystem};
    /// let g = BilagGrades::new([Some(E), Some(B), None, Some(A), Some(D), Some(E), Some(E), Some(C), Some(D)]);
    /// assert_eq!(g.get(BilagSystem::Musculoskeletal), Some(A));
    /// ```
    pub const fn new(grades: [Option<BilagGrade>; 9]) -> BilagGrades {
        BilagGrades(grades)
    }

    /// Every system recorded with `grade`.
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade, BilagGrades};
    /// assert_eq!(BilagGrades::all(BilagGrade::E).numeric().exact(), Some(0));
    /// ```
    pub const fn all(grade: BilagGrade) -> BilagGrades {
        BilagGrades([Some(grade); 9])
    }

    /// Grades from `(system identifier, grade letter or None)` pairs, the
    /// typed route the CSV and Python shells use. Systems not listed are not
    /// recorded.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownName`] (field `bilag`) for an unknown identifier,
    /// [`Error::InvalidValue`] (field `bilag.<system>`) for a value that is not `A`..`E`,
    /// [`Error::InvalidValue`] (field `bilag.<system>`) for a system given
    /// twice.
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade, BilagGrades, BilagSystem};
    /// let g = BilagGrades::from_pairs([("renal", Some("B")), ("ophthalmic", None)])?;
    /// assert_eq!(g.get(BilagSystem::Renal), Some(BilagGrade::B));
    /// assert!(BilagGrades::from_pairs([("renal", Some("b"))]).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_pairs<'a, I>(pairs: I) -> Result<BilagGrades, Error>
    where
        I: IntoIterator<Item = (&'a str, Option<&'a str>)>,
    {
        let mut out = BilagGrades::NOT_RECORDED;
        let mut seen = [false; 9];
        for (name, value) in pairs {
            let system = BilagSystem::from_id(name)?;
            if std::mem::replace(&mut seen[system.index()], true) {
                return Err(Error::InvalidValue {
                    field: field_name(system),
                    value: name.to_owned().into(),
                    reason: "the system is given more than once".into(),
                });
            }
            out.0[system.index()] = match value {
                None => None,
                Some(v) => Some(BilagGrade::parse_for(system, v)?),
            };
        }
        Ok(out)
    }

    /// The grade of `system`; `None` when not recorded.
    ///
    /// ```
    /// use sledai::bilag::{BilagGrades, BilagSystem};
    /// assert_eq!(BilagGrades::NOT_RECORDED.get(BilagSystem::Renal), None);
    /// ```
    pub const fn get(&self, system: BilagSystem) -> Option<BilagGrade> {
        self.0[system.index()]
    }

    /// These grades with `system` set to `grade` (`None`: not recorded).
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade, BilagGrades, BilagSystem};
    /// let g = BilagGrades::NOT_RECORDED.with(BilagSystem::Renal, Some(BilagGrade::A));
    /// assert_eq!(g.get(BilagSystem::Renal), Some(BilagGrade::A));
    /// ```
    #[must_use]
    pub const fn with(mut self, system: BilagSystem, grade: Option<BilagGrade>) -> BilagGrades {
        self.0[system.index()] = grade;
        self
    }

    /// The grades in form order.
    ///
    /// ```
    /// use sledai::bilag::BilagGrades;
    /// assert_eq!(BilagGrades::NOT_RECORDED.as_array().len(), 9);
    /// ```
    pub const fn as_array(&self) -> &[Option<BilagGrade>; 9] {
        &self.0
    }

    /// How many systems are recorded.
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade, BilagGrades};
    /// assert_eq!(BilagGrades::all(BilagGrade::D).recorded_count(), 9);
    /// ```
    pub fn recorded_count(&self) -> usize {
        self.0.iter().filter(|g| g.is_some()).count()
    }

    /// Whether all nine systems are recorded.
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade, BilagGrades};
    /// assert!(BilagGrades::all(BilagGrade::E).is_complete());
    /// assert!(!BilagGrades::NOT_RECORDED.is_complete());
    /// ```
    pub fn is_complete(&self) -> bool {
        self.0.iter().all(Option::is_some)
    }

    /// The BILAG-2004 numeric (global) score, the sum of A 12, B 8, C 1,
    /// D 0, E 0 over the nine systems (Yee 2010; reported as the "BILAG-2004
    /// Global score" in TULIP). A range when systems are not recorded: each
    /// unrecorded system adds 0 to 12.
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade, BilagGrades, BilagSystem};
    /// let g = BilagGrades::all(BilagGrade::E)
    ///     .with(BilagSystem::Renal, Some(BilagGrade::A))
    ///     .with(BilagSystem::Mucocutaneous, Some(BilagGrade::B))
    ///     .with(BilagSystem::Musculoskeletal, Some(BilagGrade::C));
    /// assert_eq!(g.numeric().exact(), Some(21));
    /// let partial = g.with(BilagSystem::Ophthalmic, None);
    /// assert_eq!(partial.numeric().exact(), None);
    /// assert_eq!((partial.numeric().min(), partial.numeric().max()), (21, 33));
    /// ```
    pub fn numeric(&self) -> BilagNumeric {
        let (mut min, mut max) = (0u8, 0u8);
        for g in self.0 {
            match g {
                Some(g) => {
                    min += g.numeric();
                    max += g.numeric();
                }
                None => max += BilagGrade::A.numeric(),
            }
        }
        BilagNumeric { min, max }
    }
}

/// The field name of a system in messages: `bilag.<system>`.
pub(crate) const fn field_name(system: BilagSystem) -> &'static str {
    match system {
        BilagSystem::Constitutional => "bilag.constitutional",
        BilagSystem::Mucocutaneous => "bilag.mucocutaneous",
        BilagSystem::Neuropsychiatric => "bilag.neuropsychiatric",
        BilagSystem::Musculoskeletal => "bilag.musculoskeletal",
        BilagSystem::Cardiorespiratory => "bilag.cardiorespiratory",
        BilagSystem::Gastrointestinal => "bilag.gastrointestinal",
        BilagSystem::Ophthalmic => "bilag.ophthalmic",
        BilagSystem::Renal => "bilag.renal",
        BilagSystem::Haematological => "bilag.haematological",
    }
}

/// The BILAG-2004 numeric score, 0-108: exact when all nine systems are
/// recorded, else the range `min..=max` over the completions.
///
/// Serializes as the integer when exact, else `null` (the `bilag_numeric`
/// output); the range is [`min`](Self::min) and [`max`](Self::max).
///
/// ```
/// use sledai::bilag::{BilagGrade, BilagGrades};
/// let n = BilagGrades::all(BilagGrade::B).numeric();
/// assert_eq!(n.exact(), Some(72));
/// assert_eq!(serde_json::to_string(&n).unwrap(), "72");
/// assert_eq!(serde_json::to_string(&BilagGrades::NOT_RECORDED.numeric()).unwrap(), "null");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BilagNumeric {
    min: u8,
    max: u8,
}

impl BilagNumeric {
    /// The smallest score any completion gives.
    ///
    /// ```
    /// assert_eq!(sledai::bilag::BilagGrades::NOT_RECORDED.numeric().min(), 0);
    /// ```
    pub const fn min(self) -> u8 {
        self.min
    }

    /// The largest score any completion gives.
    ///
    /// ```
    /// assert_eq!(sledai::bilag::BilagGrades::NOT_RECORDED.numeric().max(), 108);
    /// ```
    pub const fn max(self) -> u8 {
        self.max
    }

    /// The score when every system is recorded; `None` otherwise (even if
    /// `min == max` could not happen: an unrecorded system spans 0-12).
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade, BilagGrades};
    /// assert_eq!(BilagGrades::all(BilagGrade::C).numeric().exact(), Some(9));
    /// ```
    pub const fn exact(self) -> Option<u8> {
        if self.min == self.max {
            Some(self.min)
        } else {
            None
        }
    }
}

impl fmt::Display for BilagNumeric {
    /// `21`, or `21 to 33` for a range.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.exact() {
            Some(v) => write!(f, "{v}"),
            None => write!(f, "{} to {}", self.min, self.max),
        }
    }
}

impl serde::Serialize for BilagNumeric {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.exact() {
            Some(v) => s.serialize_u8(v),
            None => s.serialize_none(),
        }
    }
}

impl serde::Serialize for BilagGrades {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(9))?;
        for system in BilagSystem::ALL {
            m.serialize_entry(system.id(), &self.get(system))?;
        }
        m.end()
    }
}

impl<'de> serde::Deserialize<'de> for BilagGrades {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = BilagGrades;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(
                    f,
                    "an object from BILAG-2004 system ({SYSTEM_IDS}) to \"A\"..\"E\" or null"
                )
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<BilagGrades, M::Error> {
                use serde::de::Error as _;
                let mut out = BilagGrades::NOT_RECORDED;
                let mut seen = [false; 9];
                while let Some(name) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    let system = BilagSystem::from_id(&name).map_err(M::Error::custom)?;
                    if std::mem::replace(&mut seen[system.index()], true) {
                        return Err(M::Error::custom(Error::InvalidValue {
                            field: field_name(system),
                            value: name.into_owned().into(),
                            reason: "the system is given more than once".into(),
                        }));
                    }
                    let value: GradeValue = map.next_value()?;
                    out.0[system.index()] = match value {
                        GradeValue::Null => None,
                        GradeValue::Text(t) => {
                            Some(BilagGrade::parse_for(system, &t).map_err(M::Error::custom)?)
                        }
                        GradeValue::Other(t) => {
                            return Err(M::Error::custom(super::invalid_grade(Some(system), t)));
                        }
                    };
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

/// A grade value as written: a string, null, or anything else (kept as
/// text for the message).
enum GradeValue {
    Null,
    Text(String),
    Other(String),
}

impl<'de> serde::Deserialize<'de> for GradeValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = GradeValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"A\"..\"E\" or null")
            }
            fn visit_unit<E>(self) -> Result<GradeValue, E> {
                Ok(GradeValue::Null)
            }
            fn visit_none<E>(self) -> Result<GradeValue, E> {
                Ok(GradeValue::Null)
            }
            fn visit_str<E>(self, v: &str) -> Result<GradeValue, E> {
                Ok(GradeValue::Text(v.to_owned()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<GradeValue, E> {
                Ok(GradeValue::Other(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<GradeValue, E> {
                Ok(GradeValue::Other(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<GradeValue, E> {
                Ok(GradeValue::Other(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<GradeValue, E> {
                Ok(GradeValue::Other(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}
