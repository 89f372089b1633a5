//! The nine BILAG-2004 systems (one table) and the five grades.
//!
//! Source: the BILAG-2004 index form (revision 1 Sep 2009) and Yee CS et
//! al. Arthritis Rheum 2007;56:4113-9; the transcription is
//! `docs/reference.md` section 9.1.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// One row of the system table.
struct Row {
    system: BilagSystem,
    id: &'static str,
    name: &'static str,
}

/// One of the nine BILAG-2004 systems, in form order.
///
/// Every name, the parser, serde and the documentation read the one table
/// behind [`BilagSystem::ALL`]. The discriminant is the zero-based form
/// position.
///
/// ```
/// use sledai::bilag::BilagSystem;
///
/// assert_eq!(BilagSystem::ALL.len(), 9);
/// assert_eq!(BilagSystem::Renal.id(), "renal");
/// assert_eq!(BilagSystem::Renal.name(), "Renal");
/// assert_eq!(BilagSystem::Renal.index(), 7);
/// assert_eq!("haematological".parse::<BilagSystem>()?, BilagSystem::Haematological);
/// let err = "kidney".parse::<BilagSystem>().unwrap_err();
/// assert!(err.to_string().starts_with("bilag: unknown value `kidney`"));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BilagSystem {
    /// System 1, constitutional.
    Constitutional = 0,
    /// System 2, mucocutaneous.
    Mucocutaneous = 1,
    /// System 3, neuropsychiatric.
    Neuropsychiatric = 2,
    /// System 4, musculoskeletal.
    Musculoskeletal = 3,
    /// System 5, cardiorespiratory.
    Cardiorespiratory = 4,
    /// System 6, gastrointestinal.
    Gastrointestinal = 5,
    /// System 7, ophthalmic.
    Ophthalmic = 6,
    /// System 8, renal.
    Renal = 7,
    /// System 9, haematological.
    Haematological = 8,
}

/// The BILAG-2004 form headings, in form order: the only place the
/// identifiers and names are written.
static TABLE: [Row; 9] = [
    Row {
        system: BilagSystem::Constitutional,
        id: "constitutional",
        name: "Constitutional",
    },
    Row {
        system: BilagSystem::Mucocutaneous,
        id: "mucocutaneous",
        name: "Mucocutaneous",
    },
    Row {
        system: BilagSystem::Neuropsychiatric,
        id: "neuropsychiatric",
        name: "Neuropsychiatric",
    },
    Row {
        system: BilagSystem::Musculoskeletal,
        id: "musculoskeletal",
        name: "Musculoskeletal",
    },
    Row {
        system: BilagSystem::Cardiorespiratory,
        id: "cardiorespiratory",
        name: "Cardiorespiratory",
    },
    Row {
        system: BilagSystem::Gastrointestinal,
        id: "gastrointestinal",
        name: "Gastrointestinal",
    },
    Row {
        system: BilagSystem::Ophthalmic,
        id: "ophthalmic",
        name: "Ophthalmic",
    },
    Row {
        system: BilagSystem::Renal,
        id: "renal",
        name: "Renal",
    },
    Row {
        system: BilagSystem::Haematological,
        id: "haematological",
        name: "Haematological",
    },
];

/// The accepted identifiers, comma separated (for messages).
pub(crate) const SYSTEM_IDS: &str = "constitutional, mucocutaneous, neuropsychiatric, musculoskeletal, \
     cardiorespiratory, gastrointestinal, ophthalmic, renal, haematological";

impl BilagSystem {
    /// The nine systems, in form order (derived from the table).
    ///
    /// ```
    /// use sledai::bilag::BilagSystem;
    /// assert_eq!(BilagSystem::ALL[0], BilagSystem::Constitutional);
    /// assert_eq!(BilagSystem::ALL[8], BilagSystem::Haematological);
    /// ```
    pub const ALL: [BilagSystem; 9] = {
        let mut all = [BilagSystem::Constitutional; 9];
        let mut i = 0;
        while i < 9 {
            all[i] = TABLE[i].system;
            i += 1;
        }
        all
    };

    const fn row(self) -> &'static Row {
        &TABLE[self as usize]
    }

    /// The zero-based form position (system number minus one).
    ///
    /// ```
    /// assert_eq!(sledai::bilag::BilagSystem::Constitutional.index(), 0);
    /// ```
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The stable snake_case identifier, used by serde, `FromStr`, the CSV
    /// column `bilag_<id>`, the CLI and Python.
    ///
    /// ```
    /// assert_eq!(sledai::bilag::BilagSystem::Ophthalmic.id(), "ophthalmic");
    /// ```
    pub const fn id(self) -> &'static str {
        self.row().id
    }

    /// The form heading.
    ///
    /// ```
    /// assert_eq!(sledai::bilag::BilagSystem::Gastrointestinal.name(), "Gastrointestinal");
    /// ```
    pub const fn name(self) -> &'static str {
        self.row().name
    }

    /// The system with identifier `name`.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownName`] (field `bilag`) naming the value, with the nearest
    /// identifier when one is close.
    ///
    /// ```
    /// use sledai::bilag::BilagSystem;
    /// assert_eq!(BilagSystem::from_id("renal")?, BilagSystem::Renal);
    /// let err = BilagSystem::from_id("renl").unwrap_err();
    /// assert!(err.to_string().ends_with("did you mean `renal`?"));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_id(name: &str) -> Result<BilagSystem, Error> {
        TABLE
            .iter()
            .find(|r| r.id == name)
            .map(|r| r.system)
            .ok_or_else(|| Error::UnknownName {
                field: "bilag",
                value: name.to_owned().into(),
                expected: SYSTEM_IDS,
            })
    }
}

impl fmt::Display for BilagSystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for BilagSystem {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        BilagSystem::from_id(s)
    }
}

impl serde::Serialize for BilagSystem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> serde::Deserialize<'de> for BilagSystem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = BilagSystem;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a BILAG-2004 system identifier")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<BilagSystem, E> {
                BilagSystem::from_id(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// A BILAG-2004 system grade: A severe, B moderate, C mild, D inactive
/// but previously affected, E never affected (`docs/reference.md`
/// section 9.1; TULIP grade labels).
///
/// Written as one upper-case letter; anything else (lower case, `F`, `1`)
/// is an error. Every comparison rule treats D and E alike
/// ([`BilagGrade::severity`]).
///
/// ```
/// use sledai::bilag::BilagGrade;
///
/// assert_eq!("B".parse::<BilagGrade>()?, BilagGrade::B);
/// assert!("b".parse::<BilagGrade>().is_err());
/// assert_eq!(BilagGrade::A.numeric(), 12);
/// assert_eq!(BilagGrade::D.severity(), BilagGrade::E.severity());
/// assert_eq!(serde_json::to_string(&BilagGrade::C).unwrap(), r#""C""#);
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BilagGrade {
    /// Severe disease activity.
    A,
    /// Moderate disease activity.
    B,
    /// Mild disease activity.
    C,
    /// Inactive, previously affected.
    D,
    /// Never affected.
    E,
}

impl BilagGrade {
    /// The five grades, A first.
    ///
    /// ```
    /// assert_eq!(sledai::bilag::BilagGrade::ALL.len(), 5);
    /// ```
    pub const ALL: [BilagGrade; 5] = [
        BilagGrade::A,
        BilagGrade::B,
        BilagGrade::C,
        BilagGrade::D,
        BilagGrade::E,
    ];

    /// The letter.
    ///
    /// ```
    /// assert_eq!(sledai::bilag::BilagGrade::E.letter(), "E");
    /// ```
    pub const fn letter(self) -> &'static str {
        match self {
            BilagGrade::A => "A",
            BilagGrade::B => "B",
            BilagGrade::C => "C",
            BilagGrade::D => "D",
            BilagGrade::E => "E",
        }
    }

    /// The numeric value of Yee 2010 ("A = 12, B = 8, C = 1, D = 0 and
    /// E = 0"; not the Classic BILAG A 12, B 5, C 1).
    ///
    /// ```
    /// use sledai::bilag::BilagGrade;
    /// let v: Vec<u8> = BilagGrade::ALL.iter().map(|g| g.numeric()).collect();
    /// assert_eq!(v, [12, 8, 1, 0, 0]);
    /// ```
    pub const fn numeric(self) -> u8 {
        match self {
            BilagGrade::A => 12,
            BilagGrade::B => 8,
            BilagGrade::C => 1,
            BilagGrade::D | BilagGrade::E => 0,
        }
    }

    /// The severity rank, A 3, B 2, C 1, D and E 0: the order A > B > C >
    /// D = E every comparison uses.
    ///
    /// ```
    /// use sledai::bilag::BilagGrade;
    /// assert!(BilagGrade::A.severity() > BilagGrade::B.severity());
    /// assert_eq!(BilagGrade::E.severity(), 0);
    /// ```
    pub const fn severity(self) -> u8 {
        match self {
            BilagGrade::A => 3,
            BilagGrade::B => 2,
            BilagGrade::C => 1,
            BilagGrade::D | BilagGrade::E => 0,
        }
    }

    /// Whether the grade is moderate or severe activity (A or B).
    ///
    /// ```
    /// use sledai::bilag::BilagGrade;
    /// assert!(BilagGrade::B.is_active());
    /// assert!(!BilagGrade::C.is_active());
    /// ```
    pub const fn is_active(self) -> bool {
        self.severity() >= 2
    }

    /// The grade written as `value` for `system`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] naming the field `bilag.<system>` and
    /// the value, for anything but one upper-case letter A-E.
    ///
    /// ```
    /// use sledai::bilag::{BilagGrade, BilagSystem};
    /// let err = BilagGrade::parse_for(BilagSystem::Renal, "a").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "bilag.renal: invalid value `a`: expected one of A, B, C, D, E (upper case)"
    /// );
    /// ```
    pub fn parse_for(system: BilagSystem, value: &str) -> Result<BilagGrade, Error> {
        BilagGrade::from_letter(value)
            .ok_or_else(|| super::invalid_grade(Some(system), value.to_owned()))
    }

    fn from_letter(value: &str) -> Option<BilagGrade> {
        BilagGrade::ALL
            .iter()
            .copied()
            .find(|g| g.letter() == value)
    }
}

impl fmt::Display for BilagGrade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.letter())
    }
}

impl FromStr for BilagGrade {
    type Err = Error;

    /// One upper-case letter A-E.
    fn from_str(s: &str) -> Result<Self, Error> {
        BilagGrade::from_letter(s).ok_or_else(|| super::invalid_grade(None, s.to_owned()))
    }
}

impl serde::Serialize for BilagGrade {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.letter())
    }
}

impl<'de> serde::Deserialize<'de> for BilagGrade {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = BilagGrade;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a BILAG-2004 grade \"A\" to \"E\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<BilagGrade, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}
