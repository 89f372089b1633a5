//! Header resolution, once: which visit column each column of a table
//! holds, or one error listing every problem with the header.
//!
//! The rule, the same for a CSV file and a data frame:
//!
//! 1. The names are taken as written, trimmed (a UTF-8 byte order mark
//!    before the first is dropped), then renamed by the caller's mapping
//!    ([`HeaderOptions::with_rename`]; old name -> new name, exact).
//! 2. A name is a descriptor identifier, a record field that a table can
//!    carry, or `bilag_<system>`; each may appear once.
//! 3. The 24 descriptor columns are required (a descriptor that was not
//!    assessed gets its column with empty cells), except the two serology
//!    columns when only the clinical SLEDAI-2K is wanted
//!    ([`HeaderOptions::with_serology_optional`]).
//! 4. Any other name is unknown. Under [`ExtraColumns::Error`] (the
//!    default) it is a problem, with the nearest name by edit distance;
//!    under [`ExtraColumns::Ignore`] it is ignored and listed in
//!    [`Header::ignored`] — unless it looks like a visit column under
//!    another spelling: a case-insensitive match (`Patient`, `PGA`, `Rash`)
//!    or an alias of [`ALIASES`] (`patient_id`, `visit_date`,
//!    `prednisone_mg`). Such a column is never ignored: it is a problem
//!    naming the rename to use, and [`Error::Header`] carries the renames so
//!    that a shell can spell them its way.
//! 5. A JSON-only name (`present`, `descriptors`, `glucocorticoids`,
//!    `measurements`, `bilag`) and a rename whose old name is not in the
//!    header are problems too.
//!
//! Every problem is reported in one [`Error::Header`], in header order,
//! then the missing descriptor columns.

use crate::bilag::BilagSystem;
use crate::descriptor::Descriptor;
use crate::error::{Error, HeaderProblems, nearest, shortened};
use crate::vocabulary::vocabulary;

use super::schema::{BILAG_PREFIX, ColumnKind, Field, bilag_column};

/// Other names for visit columns, as exports spell them (REDCap, CDISC
/// SDTM, trial databases): alias -> column. An alias is matched
/// case-insensitively and is never ignored: the header error names the
/// rename to make.
///
/// ```
/// use sledai::table::ALIASES;
/// assert!(ALIASES.contains(&("usubjid", "patient")));
/// assert!(ALIASES.contains(&("visdat", "date")));
/// ```
pub const ALIASES: &[(&str, &str)] = &[
    ("patient_id", "patient"),
    ("subject", "patient"),
    ("subjid", "patient"),
    ("usubjid", "patient"),
    ("visit_date", "date"),
    ("visdat", "date"),
    ("visitdate", "date"),
    ("prednisone", "prednisone_mg_per_day"),
    ("prednisone_mg", "prednisone_mg_per_day"),
    ("PGA", "pga"),
];

vocabulary! {
    /// What to do with a column that is not a visit column.
    ///
    /// ```
    /// use sledai::table::ExtraColumns;
    /// assert_eq!(ExtraColumns::default(), ExtraColumns::Error);
    /// assert_eq!("ignore".parse::<ExtraColumns>()?, ExtraColumns::Ignore);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub enum ExtraColumns = "extra_columns", path = "sledai::table::ExtraColumns" {
        /// An unknown column is a problem of the header. The default.
        Error = "error",
        /// An unknown column is ignored (and named in
        /// [`Header::ignored`]), unless it looks like a visit column.
        Ignore = "ignore",
    }
}

/// What one column of a table holds.
///
/// ```
/// use sledai::table::{Column, ColumnKind, Field};
/// use sledai::Descriptor;
/// assert_eq!(Column::Descriptor(Descriptor::Rash).kind(), Some(ColumnKind::Descriptor));
/// assert_eq!(Column::Field(Field::DATE).kind(), Some(ColumnKind::Date));
/// assert_eq!(Column::Ignored.kind(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Column {
    /// One of the 24 descriptors.
    Descriptor(Descriptor),
    /// A record field that a table can carry.
    Field(Field),
    /// `bilag_<system>`: one BILAG-2004 grade.
    Bilag(BilagSystem),
    /// An extra column, ignored under [`ExtraColumns::Ignore`].
    Ignored,
}

impl Column {
    /// What the column's cells hold; `None` for an ignored column.
    ///
    /// ```
    /// use sledai::bilag::BilagSystem;
    /// use sledai::table::{Column, ColumnKind};
    /// assert_eq!(Column::Bilag(BilagSystem::ALL[0]).kind(), Some(ColumnKind::Grade));
    /// ```
    pub fn kind(self) -> Option<ColumnKind> {
        match self {
            Column::Descriptor(_) => Some(ColumnKind::Descriptor),
            Column::Field(f) => Some(f.kind()),
            Column::Bilag(_) => Some(ColumnKind::Grade),
            Column::Ignored => None,
        }
    }
}

/// The options of [`resolve`]: renames, the extra-columns policy and
/// whether the serology columns may be left out.
///
/// ```
/// use sledai::table::{ExtraColumns, HeaderOptions};
/// let o = HeaderOptions::default()
///     .with_rename("visit_date", "date")
///     .with_extra(ExtraColumns::Ignore);
/// assert_eq!(o.extra(), ExtraColumns::Ignore);
/// assert_eq!(o.renames(), [("visit_date".to_owned(), "date".to_owned())]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeaderOptions {
    renames: Vec<(String, String)>,
    extra: ExtraColumns,
    serology_optional: bool,
    nested: bool,
    /// The descriptors come from elsewhere (the rows of a long table, the
    /// checkbox columns of a REDCap export): no descriptor column is
    /// required. Set by [`super::mapping`] only.
    descriptors_optional: bool,
}

impl HeaderOptions {
    /// Renames the column `old` (as written, trimmed) to `new` before
    /// resolution.
    ///
    /// ```
    /// use sledai::table::HeaderOptions;
    /// let o = HeaderOptions::default().with_rename("PGA", "pga");
    /// assert_eq!(o.renames().len(), 1);
    /// ```
    #[must_use]
    pub fn with_rename(mut self, old: impl Into<String>, new: impl Into<String>) -> HeaderOptions {
        self.renames.push((old.into(), new.into()));
        self
    }

    /// The policy for columns that are not visit columns.
    ///
    /// ```
    /// use sledai::table::{ExtraColumns, HeaderOptions};
    /// assert_eq!(HeaderOptions::default().with_extra(ExtraColumns::Ignore).extra(), ExtraColumns::Ignore);
    /// ```
    #[must_use]
    pub fn with_extra(mut self, extra: ExtraColumns) -> HeaderOptions {
        self.extra = extra;
        self
    }

    /// Whether the two serology columns (`low_complement`,
    /// `increased_dna_binding`) may be left out: a table scored for the
    /// clinical SLEDAI-2K only.
    ///
    /// ```
    /// use sledai::table::HeaderOptions;
    /// assert!(HeaderOptions::default().with_serology_optional(true).serology_optional());
    /// ```
    #[must_use]
    pub fn with_serology_optional(mut self, optional: bool) -> HeaderOptions {
        self.serology_optional = optional;
        self
    }

    /// Whether the nested fields `glucocorticoids` and `measurements` may
    /// be columns (a data frame's object columns of lists); a CSV file
    /// cannot carry them.
    ///
    /// ```
    /// use sledai::table::{resolve, HeaderOptions};
    /// let mut names: Vec<&str> = sledai::Descriptor::ALL.iter().map(|d| d.id()).collect();
    /// names.push("glucocorticoids");
    /// assert!(resolve(&names, &HeaderOptions::default()).is_err());
    /// assert!(resolve(&names, &HeaderOptions::default().with_nested_columns(true)).is_ok());
    /// ```
    #[must_use]
    pub fn with_nested_columns(mut self, nested: bool) -> HeaderOptions {
        self.nested = nested;
        self
    }

    /// No descriptor column is required (crate-internal: the mapping
    /// builder reads the descriptors from rows or checkbox columns).
    pub(crate) fn with_descriptors_optional(mut self) -> HeaderOptions {
        self.descriptors_optional = true;
        self
    }

    /// The renames, in the order given.
    ///
    /// ```
    /// use sledai::table::HeaderOptions;
    /// assert!(HeaderOptions::default().renames().is_empty());
    /// ```
    pub fn renames(&self) -> &[(String, String)] {
        &self.renames
    }

    /// The extra-columns policy.
    ///
    /// ```
    /// use sledai::table::{ExtraColumns, HeaderOptions};
    /// assert_eq!(HeaderOptions::default().extra(), ExtraColumns::Error);
    /// ```
    pub fn extra(&self) -> ExtraColumns {
        self.extra
    }

    /// Whether the serology columns may be left out.
    ///
    /// ```
    /// use sledai::table::HeaderOptions;
    /// assert!(!HeaderOptions::default().serology_optional());
    /// ```
    pub fn serology_optional(&self) -> bool {
        self.serology_optional
    }
}

/// A resolved header: what every column holds.
///
/// ```
/// use sledai::table::{resolve, Column, ExtraColumns, Field, HeaderOptions};
/// use sledai::Descriptor;
/// let mut names: Vec<&str> = Descriptor::ALL.iter().map(|d| d.id()).collect();
/// names.extend(["site", "date"]);
/// let h = resolve(&names, &HeaderOptions::default().with_extra(ExtraColumns::Ignore))?;
/// assert_eq!(h.columns()[24], Column::Ignored);
/// assert_eq!(h.ignored(), ["site"]);
/// assert_eq!(h.position(Column::Field(Field::DATE)), Some(25));
/// assert_eq!(h.names()[25], "date");
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    columns: Vec<Column>,
    names: Vec<String>,
    ignored: Vec<String>,
}

impl Header {
    /// What each column holds, in header order.
    ///
    /// ```
    /// # use sledai::table::{resolve, HeaderOptions};
    /// # let names: Vec<&str> = sledai::Descriptor::ALL.iter().map(|d| d.id()).collect();
    /// assert_eq!(resolve(&names, &HeaderOptions::default())?.columns().len(), 24);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The name each column resolved as (after trimming and renaming; an
    /// ignored column keeps its name as written).
    ///
    /// ```
    /// # use sledai::table::{resolve, HeaderOptions};
    /// # let names: Vec<&str> = sledai::Descriptor::ALL.iter().map(|d| d.id()).collect();
    /// assert_eq!(resolve(&names, &HeaderOptions::default())?.names()[0], "seizure");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The ignored columns, as written, in header order: what a shell
    /// reports (the tool on stderr, Python as a warning).
    ///
    /// ```
    /// # use sledai::table::{resolve, HeaderOptions};
    /// # let names: Vec<&str> = sledai::Descriptor::ALL.iter().map(|d| d.id()).collect();
    /// assert!(resolve(&names, &HeaderOptions::default())?.ignored().is_empty());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn ignored(&self) -> &[String] {
        &self.ignored
    }

    /// The position of a column, if the header has it.
    ///
    /// ```
    /// # use sledai::table::{resolve, Column, Field, HeaderOptions};
    /// # let names: Vec<&str> = sledai::Descriptor::ALL.iter().map(|d| d.id()).collect();
    /// let h = resolve(&names, &HeaderOptions::default())?;
    /// assert_eq!(h.position(Column::Field(Field::PATIENT)), None);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn position(&self, column: Column) -> Option<usize> {
        self.columns.iter().position(|c| *c == column)
    }
}

/// How a name resolves before the policy applies.
pub(crate) enum Resolved {
    Known(Column),
    JsonOnly(Field),
    Unknown,
}

pub(crate) fn lookup(name: &str) -> Resolved {
    if let Ok(d) = Descriptor::from_id(name) {
        return Resolved::Known(Column::Descriptor(d));
    }
    if let Some(f) = Field::from_name(name) {
        return if f.in_tables() {
            Resolved::Known(Column::Field(f))
        } else {
            Resolved::JsonOnly(f)
        };
    }
    if let Some(system) = name.strip_prefix(BILAG_PREFIX) {
        if let Ok(s) = BilagSystem::from_id(system) {
            return Resolved::Known(Column::Bilag(s));
        }
    }
    Resolved::Unknown
}

/// Every name a table column may have.
pub(crate) fn table_names() -> Vec<String> {
    let mut out: Vec<String> = Descriptor::ALL.iter().map(|d| d.id().to_owned()).collect();
    out.extend(
        Field::all()
            .filter(|f| f.in_tables())
            .map(|f| f.name().to_owned()),
    );
    out.extend(BilagSystem::ALL.iter().map(|s| bilag_column(*s)));
    out
}

/// A visit column that an unknown name looks like: `Some((column, true))`
/// for an alias or a case-insensitive match (never ignored), `Some((column,
/// false))` for a near miss by edit distance.
fn suggest(name: &str, names: &[String]) -> Option<(String, bool)> {
    if let Some((_, to)) = ALIASES.iter().find(|(a, _)| a.eq_ignore_ascii_case(name)) {
        return Some(((*to).to_owned(), true));
    }
    if let Some(n) = names.iter().find(|n| n.eq_ignore_ascii_case(name)) {
        return Some((n.clone(), true));
    }
    nearest(name, names.iter().map(String::as_str)).map(|n| (n.to_owned(), false))
}

/// Resolves a header: what each column of `names` holds.
///
/// # Errors
///
/// One [`Error::Header`] listing every problem (see the
/// [module docs](self)): unknown columns (with a suggestion), columns that
/// look like a visit column under another name (with the rename to make;
/// never ignored), repeated columns, JSON-only names, renames of columns
/// the header does not have, and the missing descriptor columns.
///
/// ```
/// use sledai::table::{resolve, HeaderOptions};
/// use sledai::Error;
/// let err = resolve(&["Patient", "rsh", "present"], &HeaderOptions::default()).unwrap_err();
/// let Error::Header { header, .. } = &err else { panic!("{err}") };
/// let (problems, renames) = (&header.problems, &header.renames);
/// assert_eq!(problems[0], "column `Patient` is not a visit column: rename `Patient` to `patient`");
/// assert_eq!(problems[1], "unknown column `rsh`, did you mean `rash`?");
/// assert!(problems[2].starts_with("column `present` is JSON Lines only"));
/// assert!(problems[3].starts_with("24 of the 24 descriptor columns missing: seizure, "));
/// assert_eq!(renames, &[("Patient".to_owned(), "patient".to_owned())]);
/// ```
pub fn resolve<S: AsRef<str>>(names: &[S], options: &HeaderOptions) -> Result<Header, Error> {
    let candidates = table_names();
    let mut problems: Vec<String> = Vec::new();
    // The column each problem is about, in step with `problems`.
    let mut about: Vec<String> = Vec::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    let mut ignorable: Vec<String> = Vec::new();
    let mut used = vec![false; options.renames.len()];
    for (i, (old, _)) in options.renames.iter().enumerate() {
        if options.renames[..i].iter().any(|(o, _)| o == old) {
            problems.push(format!("the rename of `{}` is given twice", shortened(old)));
            about.push(old.clone());
        }
    }
    let mut header = Header {
        columns: Vec::with_capacity(names.len()),
        names: Vec::with_capacity(names.len()),
        ignored: Vec::new(),
    };
    let mut descriptors = 0u32;
    for (i, raw) in names.iter().enumerate() {
        let mut written = raw.as_ref();
        if i == 0 {
            written = written.strip_prefix('\u{feff}').unwrap_or(written);
        }
        let written = written.trim();
        let rename = options.renames.iter().position(|(old, _)| old == written);
        let name = match rename {
            Some(r) => {
                used[r] = true;
                options.renames[r].1.trim()
            }
            None => written,
        };
        let shown = shortened(written);
        let as_named = match rename {
            Some(_) => format!("`{shown}` (renamed `{}`)", shortened(name)),
            None => format!("`{shown}`"),
        };
        let column = match lookup(name) {
            Resolved::Known(column) => {
                let repeated = match column {
                    Column::Descriptor(d) => {
                        let seen = descriptors & d.bit() != 0;
                        descriptors |= d.bit();
                        seen
                    }
                    _ => header.columns.contains(&column),
                };
                if repeated {
                    problems.push(format!("column {as_named} appears more than once"));
                    about.push(written.to_owned());
                }
                column
            }
            Resolved::JsonOnly(field)
                if options.nested && matches!(field.name(), "glucocorticoids" | "measurements") =>
            {
                if header.columns.contains(&Column::Field(field)) {
                    problems.push(format!("column {as_named} appears more than once"));
                    about.push(written.to_owned());
                }
                Column::Field(field)
            }
            Resolved::JsonOnly(field) => {
                problems.push(format!("column {as_named} {}", field.json_only_reason()));
                about.push(written.to_owned());
                Column::Ignored
            }
            Resolved::Unknown => match suggest(name, &candidates) {
                Some((target, true)) => {
                    let taken = names.iter().any(|n| n.as_ref().trim() == target)
                        || options.renames.iter().any(|(old, new)| {
                            new.trim() == target && names.iter().any(|n| n.as_ref().trim() == old)
                        });
                    about.push(written.to_owned());
                    if taken {
                        problems.push(format!(
                            "column {as_named} is not a visit column; it looks like `{target}`, which the header already has: drop one of them"
                        ));
                    } else {
                        problems.push(format!(
                            "column {as_named} is not a visit column: rename `{shown}` to `{target}`"
                        ));
                        renames.push((written.to_owned(), target));
                    }
                    Column::Ignored
                }
                weak => {
                    if options.extra == ExtraColumns::Ignore && rename.is_none() {
                        header.ignored.push(written.to_owned());
                    } else {
                        let hint = match weak {
                            Some((s, _)) => format!(", did you mean `{s}`?"),
                            None => String::new(),
                        };
                        problems.push(format!("unknown column {as_named}{hint}"));
                        about.push(written.to_owned());
                        if rename.is_none() {
                            ignorable.push(written.to_owned());
                        }
                    }
                    Column::Ignored
                }
            },
        };
        header.columns.push(column);
        header.names.push(
            if column == Column::Ignored {
                written
            } else {
                name
            }
            .to_owned(),
        );
    }
    for ((old, new), used) in options.renames.iter().zip(used) {
        if !used {
            about.push(old.clone());
            problems.push(format!(
                "rename `{}` to `{}`: the header has no column `{}`",
                shortened(old),
                shortened(new),
                shortened(old)
            ));
        }
    }
    let missing: Vec<&str> = Descriptor::ALL
        .iter()
        .filter(|d| descriptors & d.bit() == 0)
        .filter(|d| !(options.serology_optional && d.is_serology()))
        .filter(|_| !options.descriptors_optional)
        .map(|d| d.id())
        .collect();
    if !missing.is_empty() {
        about.push(missing[0].to_owned());
        problems.push(format!(
            "{} of the 24 descriptor columns missing: {} (a descriptor that was not assessed needs its column with empty cells)",
            missing.len(),
            missing.join(", ")
        ));
    }
    if problems.is_empty() {
        Ok(header)
    } else {
        debug_assert_eq!(problems.len(), about.len());
        Err(Error::Header {
            header: Box::new(HeaderProblems {
                problems,
                columns: about,
                renames,
                ignorable,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_names_a_table_column() {
        let names = table_names();
        for (alias, to) in ALIASES {
            assert!(names.iter().any(|n| n == to), "{alias} -> {to}");
            assert!(matches!(lookup(alias), Resolved::Unknown), "{alias}");
        }
    }
}
