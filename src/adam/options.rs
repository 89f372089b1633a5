//! The conventions of the dataset, each a documented choice
//! (`docs/adam.md`): the `ADY` convention, the rule that chooses the one
//! analysis record per window (`ANL01FL`), the analysis windows and the
//! parameter codes; together [`AdamOptions`].

use super::parameters::Parameter;
use crate::error::Error;
use crate::timeline::Window;
use crate::vocabulary::vocabulary;

vocabulary! {
    /// How `ADY` (and `AWTARGET`, `AWLO`, `AWHI`) count days from the
    /// reference date (the CAR-T infusion, `reference_date`).
    ///
    /// ```
    /// use sledai::adam::AdyConvention;
    /// assert_eq!(AdyConvention::default(), AdyConvention::Adam);
    /// assert_eq!(AdyConvention::Adam.ady(0), 1);
    /// assert_eq!(AdyConvention::Adam.ady(-1), -1);
    /// assert_eq!(AdyConvention::DayZero.ady(0), 0);
    /// ```
    pub enum AdyConvention = "ady_convention", path = "sledai::adam::AdyConvention" {
        /// ADaM (and SDTM): the reference date is day 1, the day before it
        /// day -1; there is no day 0 (admiral's `derive_vars_dy`). The
        /// default.
        Adam = "adam",
        /// The reference date is day 0 (the CAR-T trials' "days
        /// post-infusion", `sledai cohort`'s `study_day`). Not ADaM: the
        /// variable `ADY0` always holds this count.
        DayZero = "day_zero",
    }
}

impl AdyConvention {
    /// The day in this convention of a study day counted from 0 (`date -
    /// reference date`).
    ///
    /// ```
    /// use sledai::adam::AdyConvention;
    /// assert_eq!(AdyConvention::Adam.ady(90), 91);
    /// ```
    pub const fn ady(self, study_day: i32) -> i32 {
        match self {
            AdyConvention::Adam if study_day >= 0 => study_day.saturating_add(1),
            _ => study_day,
        }
    }

    /// The study day counted from 0 of a day in this convention; `None`
    /// for day 0 under [`AdyConvention::Adam`] (there is none).
    ///
    /// ```
    /// use sledai::adam::AdyConvention;
    /// assert_eq!(AdyConvention::Adam.study_day(91), Some(90));
    /// assert_eq!(AdyConvention::Adam.study_day(-7), Some(-7));
    /// assert_eq!(AdyConvention::Adam.study_day(0), None);
    /// assert_eq!(AdyConvention::DayZero.study_day(0), Some(0));
    /// ```
    pub const fn study_day(self, day: i32) -> Option<i32> {
        match self {
            AdyConvention::Adam if day == 0 => None,
            AdyConvention::Adam if day > 0 => Some(day - 1),
            _ => Some(day),
        }
    }
}

vocabulary! {
    /// Which record of an analysis window is flagged `ANL01FL = "Y"`: one
    /// per subject, parameter and analysis visit.
    ///
    /// ```
    /// use sledai::adam::AnalysisSelection;
    /// assert_eq!(AnalysisSelection::default(), AnalysisSelection::Closest);
    /// ```
    pub enum AnalysisSelection = "analysis_selection", path = "sledai::adam::AnalysisSelection" {
        /// The visit closest to the target day, the earlier one on equal
        /// distance, the first in input order on one date: the visit
        /// `sledai cohort` reports for the endpoint
        /// ([`Timeline::endpoint`](crate::timeline::Timeline::endpoint)).
        /// The default.
        Closest = "closest",
        /// The last visit in the window (by date, then input order):
        /// admiral's ADVS template (`derive_var_extreme_flag(...,
        /// mode = "last")`).
        LastInWindow = "last_in_window",
    }
}

/// One analysis visit: `AVISIT`, `AVISITN` and its window of study days.
///
/// The window is held in study days counted from 0 (the days of
/// [`Window`], `sledai cohort`'s `--at` / `--window`); `AWTARGET`, `AWLO`
/// and `AWHI` are written in the `ADY` convention of the options.
///
/// ```
/// use sledai::adam::{AdyConvention, AnalysisWindow};
/// use sledai::timeline::Window;
/// let w = AnalysisWindow::new("Day 90", 1, Window::new(90, 14));
/// assert_eq!((w.avisit(), w.avisitn()), ("Day 90", 1));
/// // In ADaM days: 76..=104 from day 0 is 77..=105 from day 1.
/// assert_eq!(w.bounds(AdyConvention::Adam), (91, 77, 105));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnalysisWindow {
    avisit: String,
    avisitn: i32,
    window: Window,
}

impl AnalysisWindow {
    /// An analysis visit named `avisit`, numbered `avisitn`, over `window`.
    ///
    /// ```
    /// use sledai::adam::AnalysisWindow;
    /// use sledai::timeline::Window;
    /// assert_eq!(AnalysisWindow::new("Month 3", 3, Window::new(90, 14)).window(), Window::new(90, 14));
    /// ```
    pub fn new(avisit: impl Into<String>, avisitn: i32, window: Window) -> AnalysisWindow {
        AnalysisWindow {
            avisit: avisit.into(),
            avisitn,
            window,
        }
    }

    /// The analysis visits of `sledai cohort`'s endpoint windows, in the
    /// order given: `AVISIT` `Day <target>` (the target as given, from day
    /// 0), `AVISITN` 1, 2, ... (0 is the baseline's).
    ///
    /// ```
    /// use sledai::adam::AnalysisWindow;
    /// use sledai::timeline::Window;
    /// let w = AnalysisWindow::days([Window::new(360, 30), Window::new(90, 14)]);
    /// assert_eq!((w[0].avisit(), w[0].avisitn()), ("Day 360", 1));
    /// assert_eq!((w[1].avisit(), w[1].avisitn()), ("Day 90", 2));
    /// ```
    pub fn days<I: IntoIterator<Item = Window>>(windows: I) -> Vec<AnalysisWindow> {
        windows
            .into_iter()
            .zip(1..)
            .map(|(w, n)| AnalysisWindow::new(format!("Day {}", w.target_day()), n, w))
            .collect()
    }

    /// An analysis visit from a window table row, with `AWTARGET`, `AWLO`
    /// and `AWHI` in the `ADY` convention `day`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] naming the field (`AWTARGET`, `AWLO`,
    /// `AWHI`) and value for day 0 under [`AdyConvention::Adam`], for
    /// `AWLO > AWTARGET` or `AWTARGET > AWHI`, or for a window wider than
    /// 65,535 days on a side.
    ///
    /// ```
    /// use sledai::adam::{AdyConvention, AnalysisWindow};
    /// use sledai::timeline::Window;
    /// let w = AnalysisWindow::from_ady("Day 90", 1, 91, 77, 105, AdyConvention::Adam)?;
    /// assert_eq!(w.window(), Window::new(90, 14));
    /// assert!(AnalysisWindow::from_ady("Day 0", 1, 0, -7, 7, AdyConvention::Adam).is_err());
    /// assert!(AnalysisWindow::from_ady("Day 90", 1, 91, 92, 105, AdyConvention::Adam).is_err());
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn from_ady(
        avisit: impl Into<String>,
        avisitn: i32,
        awtarget: i32,
        awlo: i32,
        awhi: i32,
        day: AdyConvention,
    ) -> Result<AnalysisWindow, Error> {
        let avisit = avisit.into();
        let convert = |field: &'static str, v: i32| {
            day.study_day(v).ok_or_else(|| Error::InvalidValue {
                field,
                value: v.to_string().into(),
                reason: format!(
                    "analysis visit `{avisit}`: there is no day 0 in ADaM days (the reference \
                     date is day 1, the day before it day -1)"
                )
                .into(),
            })
        };
        let (t, lo, hi) = (
            convert("AWTARGET", awtarget)?,
            convert("AWLO", awlo)?,
            convert("AWHI", awhi)?,
        );
        let side = |field: &'static str, value: i32, a: i32, b: i32, what: &str| {
            let width = i64::from(b) - i64::from(a);
            if width < 0 {
                return Err(Error::InvalidValue {
                    field,
                    value: value.to_string().into(),
                    reason: format!("analysis visit `{avisit}`: {what}").into(),
                });
            }
            u16::try_from(width).map_err(|_| Error::InvalidValue {
                field,
                value: value.to_string().into(),
                reason: format!(
                    "analysis visit `{avisit}`: at most 65535 days from the target on a side"
                )
                .into(),
            })
        };
        let before = side("AWLO", awlo, lo, t, "AWLO is after AWTARGET")?;
        let after = side("AWHI", awhi, t, hi, "AWHI is before AWTARGET")?;
        Ok(AnalysisWindow {
            avisit,
            avisitn,
            window: Window::asymmetric(t, before, after),
        })
    }

    /// `AVISIT`.
    ///
    /// ```
    /// use sledai::adam::AnalysisWindow;
    /// use sledai::timeline::Window;
    /// assert_eq!(AnalysisWindow::new("Week 12", 12, Window::new(84, 7)).avisit(), "Week 12");
    /// ```
    pub fn avisit(&self) -> &str {
        &self.avisit
    }

    /// `AVISITN`.
    ///
    /// ```
    /// use sledai::adam::AnalysisWindow;
    /// use sledai::timeline::Window;
    /// assert_eq!(AnalysisWindow::new("Week 12", 12, Window::new(84, 7)).avisitn(), 12);
    /// ```
    pub fn avisitn(&self) -> i32 {
        self.avisitn
    }

    /// The window in study days from day 0.
    ///
    /// ```
    /// use sledai::adam::AnalysisWindow;
    /// use sledai::timeline::Window;
    /// assert_eq!(AnalysisWindow::new("D", 1, Window::new(84, 7)).window().target_day(), 84);
    /// ```
    pub fn window(&self) -> Window {
        self.window
    }

    /// `(AWTARGET, AWLO, AWHI)` in the convention `day`.
    ///
    /// ```
    /// use sledai::adam::{AdyConvention, AnalysisWindow};
    /// use sledai::timeline::Window;
    /// let w = AnalysisWindow::new("Day 0", 1, Window::new(0, 7));
    /// assert_eq!(w.bounds(AdyConvention::Adam), (1, -7, 8));
    /// assert_eq!(w.bounds(AdyConvention::DayZero), (0, -7, 7));
    /// ```
    pub fn bounds(&self, day: AdyConvention) -> (i32, i32, i32) {
        let t = self.window.target_day();
        let lo = t.saturating_sub(i32::from(self.window.days_before()));
        let hi = t.saturating_add(i32::from(self.window.days_after()));
        (day.ady(t), day.ady(lo), day.ady(hi))
    }
}

/// The columns of a window table, in the order documented (any order is
/// accepted; each exactly once).
pub const WINDOW_TABLE_COLUMNS: [&str; 5] = ["AVISIT", "AVISITN", "AWTARGET", "AWLO", "AWHI"];

/// Reads a window table: CSV text with a header of exactly
/// [`WINDOW_TABLE_COLUMNS`] (any order), one analysis visit per line, the
/// days in the `ADY` convention `day`. Fields may be quoted (RFC 4180);
/// blank lines are skipped.
///
/// # Errors
///
/// [`Error::InBatch`] with the zero-based line position in `text` (the
/// header is line 0) wrapping
/// [`Error::InvalidValue`] naming the column and the value as written (a
/// missing, unknown or repeated column; a field count that differs from
/// the header; a number that is not an integer; the errors of
/// [`AnalysisWindow::from_ady`]); [`Error::InvalidValue`] (field
/// `windows`) for a table without rows.
///
/// ```
/// use sledai::adam::{parse_window_table, AdyConvention};
/// use sledai::timeline::Window;
/// let text = "AVISIT,AVISITN,AWTARGET,AWLO,AWHI\nDay 90,1,91,77,105\n\"Day 360, final\",2,361,331,391\n";
/// let w = parse_window_table(text, AdyConvention::Adam)?;
/// assert_eq!(w[1].avisit(), "Day 360, final");
/// assert_eq!(w[1].window(), Window::new(360, 30));
/// let err = parse_window_table("AVISIT,AVISITN,AWTARGET,AWLO,AWHI\nDay 90,one,91,77,105\n", AdyConvention::Adam).unwrap_err();
/// assert_eq!(err.to_string(), "item 1: AVISITN: invalid value `one`: expected an integer");
/// # Ok::<(), sledai::Error>(())
/// ```
pub fn parse_window_table(text: &str, day: AdyConvention) -> Result<Vec<AnalysisWindow>, Error> {
    let at = |line: usize, e: Error| Error::InBatch {
        index: line,
        source: Box::new(e),
    };
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(Error::InvalidValue {
            field: "windows",
            value: String::new().into(),
            reason: format!(
                "a window table needs a header: {}",
                WINDOW_TABLE_COLUMNS.join(",")
            )
            .into(),
        });
    };
    let names = split_csv(header).map_err(|e| at(header_line, e))?;
    let mut position = [usize::MAX; 5];
    for (i, name) in names.iter().enumerate() {
        let name = name.trim();
        match WINDOW_TABLE_COLUMNS.iter().position(|c| *c == name) {
            Some(k) if position[k] == usize::MAX => position[k] = i,
            Some(_) => {
                return Err(at(
                    header_line,
                    Error::InvalidValue {
                        field: "windows",
                        value: name.to_owned().into(),
                        reason: "the column is given twice".to_owned().into(),
                    },
                ));
            }
            None => {
                return Err(at(
                    header_line,
                    Error::InvalidValue {
                        field: "windows",
                        value: name.to_owned().into(),
                        reason: format!(
                            "not a window table column; expected {}",
                            WINDOW_TABLE_COLUMNS.join(", ")
                        )
                        .into(),
                    },
                ));
            }
        }
    }
    if let Some(k) = position.iter().position(|&p| p == usize::MAX) {
        return Err(at(
            header_line,
            Error::InvalidValue {
                field: "windows",
                value: header.to_owned().into(),
                reason: format!("the column {} is missing", WINDOW_TABLE_COLUMNS[k]).into(),
            },
        ));
    }
    let mut out = Vec::new();
    for (line, text) in lines {
        let fields = split_csv(text).map_err(|e| at(line, e))?;
        if fields.len() != names.len() {
            return Err(at(
                line,
                Error::InvalidValue {
                    field: "windows",
                    value: text.to_owned().into(),
                    reason: format!("{} fields, the header has {}", fields.len(), names.len())
                        .into(),
                },
            ));
        }
        let get = |k: usize| fields[position[k]].as_str();
        let int = |k: usize| {
            let v = get(k).trim();
            v.parse::<i32>().map_err(|_| {
                at(
                    line,
                    Error::InvalidValue {
                        field: WINDOW_TABLE_COLUMNS[k],
                        value: get(k).to_owned().into(),
                        reason: "expected an integer".to_owned().into(),
                    },
                )
            })
        };
        let w = AnalysisWindow::from_ady(get(0), int(1)?, int(2)?, int(3)?, int(4)?, day)
            .map_err(|e| at(line, e))?;
        out.push(w);
    }
    if out.is_empty() {
        return Err(Error::InvalidValue {
            field: "windows",
            value: header.to_owned().into(),
            reason: "the window table has no analysis visits".to_owned().into(),
        });
    }
    Ok(out)
}

/// The fields of one CSV line (RFC 4180 quoting; no line breaks in fields).
fn split_csv(line: &str) -> Result<Vec<String>, Error> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut start = true;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (false, '"') if start => quoted = true,
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => {
                quoted = false;
                if !matches!(chars.peek(), None | Some(',')) {
                    return Err(Error::InvalidValue {
                        field: "windows",
                        value: line.to_owned().into(),
                        reason: "text after a closing quote".to_owned().into(),
                    });
                }
            }
            (false, ',') => {
                fields.push(std::mem::take(&mut field));
                start = true;
                continue;
            }
            (_, c) => field.push(c),
        }
        start = false;
    }
    if quoted {
        return Err(Error::InvalidValue {
            field: "windows",
            value: line.to_owned().into(),
            reason: "a quoted field is not closed".to_owned().into(),
        });
    }
    fields.push(field);
    Ok(fields)
}

/// The options of [`evaluate`](super::evaluate).
///
/// Defaults: no analysis windows (every record is written, only the
/// baseline is an analysis visit), [`AdyConvention::Adam`],
/// [`AnalysisSelection::Closest`], the default parameter codes.
///
/// ```
/// use sledai::adam::{AdamOptions, AdyConvention, AnalysisSelection, AnalysisWindow, Parameter};
/// use sledai::timeline::Window;
/// let o = AdamOptions::default()
///     .with_windows(AnalysisWindow::days([Window::new(90, 14)]))
///     .with_ady(AdyConvention::DayZero)
///     .with_selection(AnalysisSelection::LastInWindow)
///     .with_parameter_code(Parameter::Sledai2k, "SLEDAI2K");
/// assert_eq!(o.windows().len(), 1);
/// assert_eq!(o.parameter_code(Parameter::Sledai2k), "SLEDAI2K");
/// assert_eq!(AdamOptions::from(AnalysisSelection::LastInWindow).selection(), AnalysisSelection::LastInWindow);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct AdamOptions {
    windows: Vec<AnalysisWindow>,
    ady: AdyConvention,
    selection: AnalysisSelection,
    codes: Vec<(Parameter, String)>,
}

options_from_policies! {
    AdamOptions, "adam" {
        AdyConvention => with_ady,
        AnalysisSelection => with_selection,
    }
}

impl AdamOptions {
    /// Sets the analysis windows (replacing any), in the order given.
    ///
    /// ```
    /// use sledai::adam::{AdamOptions, AnalysisWindow};
    /// use sledai::timeline::Window;
    /// let o = AdamOptions::default().with_windows([AnalysisWindow::new("Day 90", 1, Window::new(90, 14))]);
    /// assert_eq!(o.windows()[0].avisit(), "Day 90");
    /// ```
    #[must_use]
    pub fn with_windows<I: IntoIterator<Item = AnalysisWindow>>(mut self, windows: I) -> Self {
        self.windows = windows.into_iter().collect();
        self
    }

    /// Sets the `ADY` convention.
    ///
    /// ```
    /// use sledai::adam::{AdamOptions, AdyConvention};
    /// assert_eq!(AdamOptions::default().with_ady(AdyConvention::DayZero).ady(), AdyConvention::DayZero);
    /// ```
    #[must_use]
    pub fn with_ady(mut self, convention: AdyConvention) -> Self {
        self.ady = convention;
        self
    }

    /// Sets the `ANL01FL` rule.
    ///
    /// ```
    /// use sledai::adam::{AdamOptions, AnalysisSelection};
    /// let o = AdamOptions::default().with_selection(AnalysisSelection::LastInWindow);
    /// assert_eq!(o.selection(), AnalysisSelection::LastInWindow);
    /// ```
    #[must_use]
    pub fn with_selection(mut self, rule: AnalysisSelection) -> Self {
        self.selection = rule;
        self
    }

    /// Renames a parameter's `PARAMCD` (the last rename of a parameter
    /// wins). The code is checked by [`evaluate`](super::evaluate): 1 to 8
    /// characters, a letter or `_` first, then letters, digits or `_`, and
    /// distinct from every other parameter's.
    ///
    /// ```
    /// use sledai::adam::{AdamOptions, Parameter};
    /// let o = AdamOptions::default().with_parameter_code(Parameter::Pga, "PHYSGA");
    /// assert_eq!(o.parameter_code(Parameter::Pga), "PHYSGA");
    /// ```
    #[must_use]
    pub fn with_parameter_code(mut self, parameter: Parameter, code: impl Into<String>) -> Self {
        let code = code.into();
        match self.codes.iter_mut().find(|(p, _)| *p == parameter) {
            Some(entry) => entry.1 = code,
            None => self.codes.push((parameter, code)),
        }
        self
    }

    /// The analysis windows.
    ///
    /// ```
    /// assert!(sledai::adam::AdamOptions::default().windows().is_empty());
    /// ```
    pub fn windows(&self) -> &[AnalysisWindow] {
        &self.windows
    }

    /// The `ADY` convention.
    ///
    /// ```
    /// use sledai::adam::{AdamOptions, AdyConvention};
    /// assert_eq!(AdamOptions::default().ady(), AdyConvention::Adam);
    /// ```
    pub fn ady(&self) -> AdyConvention {
        self.ady
    }

    /// The `ANL01FL` rule.
    ///
    /// ```
    /// use sledai::adam::{AdamOptions, AnalysisSelection};
    /// assert_eq!(AdamOptions::default().selection(), AnalysisSelection::Closest);
    /// ```
    pub fn selection(&self) -> AnalysisSelection {
        self.selection
    }

    /// The `PARAMCD` of a parameter: the rename, else the default.
    ///
    /// ```
    /// use sledai::adam::{AdamOptions, Parameter};
    /// assert_eq!(AdamOptions::default().parameter_code(Parameter::Lldas), "LLDAS");
    /// ```
    pub fn parameter_code(&self, parameter: Parameter) -> String {
        self.codes
            .iter()
            .find(|(p, _)| *p == parameter)
            .map_or_else(|| parameter.default_code(), |(_, c)| c.clone())
    }
}
