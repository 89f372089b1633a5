//! The visit columns: every name a visit table may hold, its kind, whether
//! a table can carry it and whether it is required.
//!
//! Nothing here is a new list of names: the record fields are the keys of
//! the visit record ([`FIELDS`]), the descriptor columns are
//! [`Descriptor::ALL`] and the grade columns are `bilag_<system>` for each
//! of [`BilagSystem::ALL`]. What this module adds is each field's
//! [`ColumnKind`] (a test checks that every key of [`FIELDS`] has one).

use std::fmt;

use crate::bilag::BilagSystem;
use crate::date::Date;
use crate::descriptor::Descriptor;
use crate::visit::{FIELDS, VisitInput};

/// What the cells of a column hold.
///
/// ```
/// use sledai::table::{ColumnKind, Field};
/// assert_eq!(Field::from_name("pga").map(Field::kind), Some(ColumnKind::Number));
/// assert_eq!(ColumnKind::Boolean.to_string(), "a boolean");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ColumnKind {
    /// A descriptor finding: a boolean cell, empty = not assessed.
    Descriptor,
    /// Text (`id`, `patient`).
    Text,
    /// An ISO 8601 calendar date, `YYYY-MM-DD`.
    Date,
    /// A number (`pga`, `prednisone_mg_per_day`).
    Number,
    /// A whole number from 0 to 255 (`new_bilag_a`, `new_bilag_b`).
    Count,
    /// A boolean cell ([`super::cell::parse_bool`]).
    Boolean,
    /// A BILAG-2004 grade, `A` to `E`.
    Grade,
    /// A list or an object: JSON records only, never a table column.
    Nested,
}

impl fmt::Display for ColumnKind {
    /// In words a user knows: "a number", "a date".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ColumnKind::Descriptor => "a descriptor finding",
            ColumnKind::Text => "text",
            ColumnKind::Date => "a date",
            ColumnKind::Number => "a number",
            ColumnKind::Count => "a whole number",
            ColumnKind::Boolean => "a boolean",
            ColumnKind::Grade => "a BILAG-2004 grade",
            ColumnKind::Nested => "a list or an object",
        })
    }
}

/// A key of the visit record ([`FIELDS`]) other than a descriptor or a
/// `bilag_<system>` column.
///
/// ```
/// use sledai::table::{ColumnKind, Field};
/// let f = Field::from_name("hemolytic_anemia").expect("a record field");
/// assert_eq!(f.kind(), ColumnKind::Boolean);
/// assert!(f.in_tables());
/// assert!(!Field::from_name("measurements").expect("a record field").in_tables());
/// assert_eq!(Field::from_name("pgaa"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Field(&'static str);

impl Field {
    /// `id`.
    pub const ID: Field = Field("id");
    /// `patient`.
    pub const PATIENT: Field = Field("patient");
    /// `date`.
    pub const DATE: Field = Field("date");
    /// `pga`.
    pub const PGA: Field = Field("pga");

    /// The field of this name, if it is a key of the record.
    ///
    /// ```
    /// use sledai::table::Field;
    /// assert_eq!(Field::from_name("patient"), Some(Field::PATIENT));
    /// ```
    pub fn from_name(name: &str) -> Option<Field> {
        FIELDS.iter().find(|f| **f == name).map(|f| Field(f))
    }

    /// Every field, in documentation order ([`FIELDS`]).
    ///
    /// ```
    /// use sledai::table::Field;
    /// assert_eq!(Field::all().next(), Some(Field::ID));
    /// ```
    pub fn all() -> impl Iterator<Item = Field> {
        FIELDS.iter().map(|f| Field(f))
    }

    /// The record key.
    ///
    /// ```
    /// use sledai::table::Field;
    /// assert_eq!(Field::DATE.name(), "date");
    /// ```
    pub const fn name(self) -> &'static str {
        self.0
    }

    /// What the field's cells hold.
    ///
    /// ```
    /// use sledai::table::{ColumnKind, Field};
    /// assert_eq!(Field::DATE.kind(), ColumnKind::Date);
    /// ```
    pub fn kind(self) -> ColumnKind {
        match self.0 {
            "id" | "patient" => ColumnKind::Text,
            "date" | "reference_date" => ColumnKind::Date,
            "pga" | "prednisone_mg_per_day" => ColumnKind::Number,
            "new_bilag_a" | "new_bilag_b" => ColumnKind::Count,
            "present" | "descriptors" | "glucocorticoids" | "measurements" | "bilag" => {
                ColumnKind::Nested
            }
            _ => ColumnKind::Boolean,
        }
    }

    /// Whether a table (CSV, a data frame) can carry the field: every
    /// field but the nested ones.
    ///
    /// ```
    /// use sledai::table::Field;
    /// assert!(Field::PATIENT.in_tables());
    /// ```
    pub fn in_tables(self) -> bool {
        self.kind() != ColumnKind::Nested
    }

    /// Why a table cannot carry the field and what to give instead, for a
    /// [`ColumnKind::Nested`] field.
    pub(crate) fn json_only_reason(self) -> &'static str {
        match self.0 {
            "present" | "descriptors" => {
                "is JSON Lines only: in a table each of the 24 descriptors is its own column"
            }
            "bilag" => {
                "is JSON Lines only (an object); in a table give one column per system, `bilag_<system>` (e.g. `bilag_renal`)"
            }
            _ => {
                "is JSON Lines only (it holds a list or an object); in a table give `prednisone_mg_per_day`"
            }
        }
    }

    /// The slot of a [`ColumnKind::Boolean`] field in a visit record, so
    /// that a shell sets a boolean cell without spelling the field.
    ///
    /// ```
    /// use sledai::table::Field;
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let mut v = VisitInput::new(Assessment::from_present([]));
    /// let f = Field::from_name("maintenance_tolerated").expect("a record field");
    /// *f.boolean_mut(&mut v).expect("a boolean field") = Some(true);
    /// assert_eq!(v.maintenance_tolerated, Some(true));
    /// assert!(Field::PATIENT.boolean_mut(&mut v).is_none());
    /// ```
    pub fn boolean_mut(self, visit: &mut VisitInput) -> Option<&mut Option<bool>> {
        self.boolean_slot().map(|slot| slot(visit))
    }

    /// [`Field::boolean_mut`] as a function chosen once per column (the
    /// table layer sets a column's cells without matching the name again
    /// for every row).
    pub(crate) fn boolean_slot(self) -> Option<Slot<bool>> {
        slots!(self, bool,
            "hemolytic_anemia" => hemolytic_anemia,
            "gastrointestinal_activity" => gastrointestinal_activity,
            "maintenance_tolerated" => maintenance_tolerated,
            "investigational_drug" => investigational_drug,
            "new_activity" => new_activity,
            "baseline" => baseline,
            "treatment_failure" => treatment_failure,
            "on_immunosuppressant" => on_immunosuppressant,
            "on_biologic" => on_biologic,
            "on_antimalarial" => on_antimalarial,
        )
    }

    /// [`Field::text_mut`] as a function chosen once per column.
    pub(crate) fn text_slot(self) -> Option<Slot<String>> {
        slots!(self, String, "id" => id, "patient" => patient)
    }

    /// [`Field::date_mut`] as a function chosen once per column.
    pub(crate) fn date_slot(self) -> Option<Slot<Date>> {
        slots!(self, Date, "date" => date, "reference_date" => reference_date)
    }

    /// [`Field::count_mut`] as a function chosen once per column.
    pub(crate) fn count_slot(self) -> Option<Slot<u8>> {
        slots!(self, u8, "new_bilag_a" => new_bilag_a, "new_bilag_b" => new_bilag_b)
    }
}

/// The slot of one field in a visit record, as a function.
pub(crate) type Slot<T> = fn(&mut VisitInput) -> &mut Option<T>;

/// `Some(slot)` for the field whose name is one of the literals, else
/// `None`: the one table of which record slot a field's name names.
macro_rules! slots {
    ($field:expr, $t:ty, $($name:literal => $slot:ident),* $(,)?) => {
        match $field.0 {
            $($name => {
                fn slot(v: &mut VisitInput) -> &mut Option<$t> {
                    &mut v.$slot
                }
                Some(slot as Slot<$t>)
            })*
            _ => None,
        }
    };
}
use slots;

impl Field {
    /// The slot of a [`ColumnKind::Text`] field (`id`, `patient`).
    ///
    /// ```
    /// use sledai::table::Field;
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let mut v = VisitInput::new(Assessment::from_present([]));
    /// *Field::PATIENT.text_mut(&mut v).expect("a text field") = Some("P1".to_owned());
    /// assert_eq!(v.patient.as_deref(), Some("P1"));
    /// ```
    pub fn text_mut(self, visit: &mut VisitInput) -> Option<&mut Option<String>> {
        self.text_slot().map(|slot| slot(visit))
    }

    /// The slot of a [`ColumnKind::Date`] field (`date`, `reference_date`).
    ///
    /// ```
    /// use sledai::table::Field;
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let mut v = VisitInput::new(Assessment::from_present([]));
    /// *Field::DATE.date_mut(&mut v).expect("a date field") = Some("2024-01-01".parse()?);
    /// assert!(v.date.is_some());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn date_mut(self, visit: &mut VisitInput) -> Option<&mut Option<Date>> {
        self.date_slot().map(|slot| slot(visit))
    }

    /// The slot of a [`ColumnKind::Count`] field (`new_bilag_a`,
    /// `new_bilag_b`).
    ///
    /// ```
    /// use sledai::table::Field;
    /// use sledai::visit::VisitInput;
    /// use sledai::Assessment;
    /// let mut v = VisitInput::new(Assessment::from_present([]));
    /// let f = Field::from_name("new_bilag_a").expect("a record field");
    /// *f.count_mut(&mut v).expect("a count field") = Some(1);
    /// assert_eq!(v.new_bilag_a, Some(1));
    /// ```
    pub fn count_mut(self, visit: &mut VisitInput) -> Option<&mut Option<u8>> {
        self.count_slot().map(|slot| slot(visit))
    }
}

impl fmt::Display for Field {
    /// The record key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// One column a visit table may hold.
///
/// ```
/// use sledai::table::{ColumnKind, schema};
/// let all = schema::columns();
/// assert_eq!(all.iter().filter(|c| c.required).count(), 24);
/// let renal = all.iter().find(|c| c.name == "bilag_renal").expect("a grade column");
/// assert_eq!(renal.kind, ColumnKind::Grade);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ColumnSpec {
    /// The column name.
    pub name: String,
    /// What its cells hold.
    pub kind: ColumnKind,
    /// Whether a table can carry it (`false`: JSON records only).
    pub in_tables: bool,
    /// Whether a table must have it (the 24 descriptor columns).
    pub required: bool,
}

/// Every column of a visit table, in the order of `docs/formats.md`: the
/// record fields with the 24 descriptor columns where `present` /
/// `descriptors` stand and the `bilag_<system>` columns where `bilag`
/// stands (the JSON-only keys are listed too, with `in_tables` false).
///
/// ```
/// use sledai::table::schema;
/// let names: Vec<String> = schema::columns().into_iter().map(|c| c.name).collect();
/// assert_eq!(names[..4], ["id", "patient", "date", "present"]);
/// assert!(names.contains(&"seizure".to_owned()));
/// ```
pub fn columns() -> Vec<ColumnSpec> {
    let mut out = Vec::new();
    for field in Field::all() {
        out.push(ColumnSpec {
            name: field.name().to_owned(),
            kind: field.kind(),
            in_tables: field.in_tables(),
            required: false,
        });
        if field.name() == "descriptors" {
            out.extend(Descriptor::ALL.iter().map(|d| ColumnSpec {
                name: d.id().to_owned(),
                kind: ColumnKind::Descriptor,
                in_tables: true,
                required: true,
            }));
        }
        if field.name() == "bilag" {
            out.extend(BilagSystem::ALL.iter().map(|s| ColumnSpec {
                name: bilag_column(*s),
                kind: ColumnKind::Grade,
                in_tables: true,
                required: false,
            }));
        }
    }
    out
}

/// The column name of a system's grade: `bilag_<system>`.
///
/// ```
/// use sledai::bilag::BilagSystem;
/// use sledai::table::schema::bilag_column;
/// assert_eq!(bilag_column(BilagSystem::ALL[0]), "bilag_constitutional");
/// ```
pub fn bilag_column(system: BilagSystem) -> String {
    format!("{BILAG_PREFIX}{}", system.id())
}

/// The prefix of the grade columns.
pub(crate) const BILAG_PREFIX: &str = "bilag_";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_key_has_a_kind_and_a_boolean_slot_if_boolean() {
        let mut v = VisitInput::new(crate::Assessment::from_present([]));
        for f in Field::all() {
            assert_eq!(
                f.kind() == ColumnKind::Boolean,
                f.boolean_mut(&mut v).is_some(),
                "{f}"
            );
            assert_eq!(f.kind() == ColumnKind::Text, f.text_mut(&mut v).is_some());
            assert_eq!(f.kind() == ColumnKind::Date, f.date_mut(&mut v).is_some());
            assert_eq!(f.kind() == ColumnKind::Count, f.count_mut(&mut v).is_some());
        }
        assert_eq!(Field::from_name("pga"), Some(Field::PGA));
        for f in [Field::ID, Field::PATIENT, Field::DATE] {
            assert_eq!(Field::from_name(f.name()), Some(f));
        }
        // Ten boolean fields, each its own slot.
        let booleans: Vec<Field> = Field::all()
            .filter(|f| f.kind() == ColumnKind::Boolean)
            .collect();
        assert_eq!(booleans.len(), 10);
        for f in &booleans {
            *f.boolean_mut(&mut v).unwrap() = Some(true);
        }
        assert_eq!(v.on_antimalarial, Some(true));
        assert_eq!(v.hemolytic_anemia, Some(true));
    }
}
