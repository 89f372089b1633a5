//! Endpoints at a study day within a window: [`Window`], [`Endpoint`],
//! [`EndpointVisit`].

/// A visit window around a target study day: `target - before` to
/// `target + after`, both edges inclusive.
///
/// Serde: `{"target_day": 90, "days_before": 14, "days_after": 14}`.
///
/// ```
/// use sledai::timeline::Window;
/// let w = Window::new(90, 14);
/// assert!(w.contains(76) && w.contains(104));
/// assert!(!w.contains(75) && !w.contains(105));
/// let json = serde_json::to_string(&w).unwrap();
/// assert_eq!(json, r#"{"target_day":90,"days_before":14,"days_after":14}"#);
/// assert_eq!(serde_json::from_str::<Window>(&json).unwrap(), w);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub(super) target_day: i32,
    pub(super) days_before: u16,
    pub(super) days_after: u16,
}

impl Window {
    /// A symmetric window, `target ± tolerance` days.
    ///
    /// ```
    /// assert!(sledai::timeline::Window::new(360, 30).contains(330));
    /// ```
    pub const fn new(target_day: i32, tolerance: u16) -> Window {
        Window {
            target_day,
            days_before: tolerance,
            days_after: tolerance,
        }
    }

    /// An asymmetric window, `target - before` to `target + after`.
    ///
    /// ```
    /// let w = sledai::timeline::Window::asymmetric(28, 0, 7);
    /// assert!(!w.contains(27) && w.contains(35));
    /// ```
    pub const fn asymmetric(target_day: i32, days_before: u16, days_after: u16) -> Window {
        Window {
            target_day,
            days_before,
            days_after,
        }
    }

    /// The target study day.
    ///
    /// ```
    /// assert_eq!(sledai::timeline::Window::new(90, 14).target_day(), 90);
    /// ```
    pub const fn target_day(&self) -> i32 {
        self.target_day
    }

    /// Days allowed before the target.
    ///
    /// ```
    /// assert_eq!(sledai::timeline::Window::asymmetric(90, 7, 14).days_before(), 7);
    /// ```
    pub const fn days_before(&self) -> u16 {
        self.days_before
    }

    /// Days allowed after the target.
    ///
    /// ```
    /// assert_eq!(sledai::timeline::Window::asymmetric(90, 7, 14).days_after(), 14);
    /// ```
    pub const fn days_after(&self) -> u16 {
        self.days_after
    }

    /// Whether `study_day` lies in the window (edges inclusive).
    ///
    /// ```
    /// assert!(sledai::timeline::Window::new(0, 0).contains(0));
    /// ```
    pub const fn contains(&self, study_day: i32) -> bool {
        let d = study_day as i64;
        let t = self.target_day as i64;
        t - self.days_before as i64 <= d && d <= t + self.days_after as i64
    }
}

/// The outcome of an endpoint: the visit used, or no visit in the window.
///
/// Serializes internally tagged: `{"outcome": "visit", "window", "offset_days",
/// "visit"}` or `{"outcome": "no_visit_in_window", "window"}`.
///
/// ```
/// use sledai::timeline::{Endpoint, Timeline, TimelineOptions, Window};
/// use sledai::visit::VisitInput;
/// use sledai::{Assessment, Date};
/// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
/// let t = Timeline::new([a], &TimelineOptions::default())?;
/// let e = t.endpoint(Window::new(90, 14));
/// assert_eq!(serde_json::to_value(&e).unwrap()["outcome"], "no_visit_in_window");
/// assert!(e.visit().is_none());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Endpoint {
    /// A visit lies in the window; this is the one used (boxed: a visit's
    /// result is large beside the window alone).
    Visit(Box<EndpointVisit>),
    /// No visit lies in the window: a reported outcome, not a missing row.
    NoVisitInWindow {
        /// The window searched.
        window: Window,
    },
}

impl Endpoint {
    /// The visit used, if any.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Window};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date};
    /// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// let t = Timeline::new([a], &TimelineOptions::default())?;
    /// assert_eq!(t.endpoint(Window::new(0, 0)).visit().map(|e| e.offset_days), Some(0));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn visit(&self) -> Option<&EndpointVisit> {
        match self {
            Endpoint::Visit(e) => Some(e.as_ref()),
            Endpoint::NoVisitInWindow { .. } => None,
        }
    }

    /// The window.
    ///
    /// ```
    /// use sledai::timeline::{Timeline, TimelineOptions, Window};
    /// use sledai::visit::VisitInput;
    /// use sledai::{Assessment, Date};
    /// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
    /// let t = Timeline::new([a], &TimelineOptions::default())?;
    /// assert_eq!(t.endpoint(Window::new(90, 14)).window(), Window::new(90, 14));
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn window(&self) -> Window {
        match self {
            Endpoint::Visit(e) => e.window,
            Endpoint::NoVisitInWindow { window } => *window,
        }
    }
}

/// The visit used for an endpoint.
///
/// ```
/// use sledai::timeline::{Timeline, TimelineOptions, Window};
/// use sledai::visit::VisitInput;
/// use sledai::{Assessment, Date};
/// let a = VisitInput::dated(Date::new(2024, 3, 1)?, Assessment::from_present([]));
/// let t = Timeline::new([a], &TimelineOptions::default())?;
/// let e = t.endpoint(Window::new(3, 5)).visit().cloned().unwrap();
/// assert_eq!(e.offset_days, -3);
/// assert_eq!(e.visit.study_day(), Some(0));
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct EndpointVisit {
    /// The window searched.
    pub window: Window,
    /// Study day of the visit minus the target day.
    pub offset_days: i32,
    /// The visit's result (with its study day, change from baseline and
    /// states), as [`crate::timeline::Timeline::result`] gives it.
    pub visit: crate::visit::VisitResult,
}
