//! The serde shapes of measurements (input and output) and of derivation
//! results (output only). Documented in `docs/formats.md`, "Measurements".

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};

use crate::date::Date;
use crate::error::Error;

use super::derive::{Derivation, Evidence, LabItem, Merged};
use super::value::{Analyte, Attribution, Complement, LabValue, Measurement};
use crate::units::{
    AntibodyUnit, ComplementUnit, CountUnit, FieldUnit, ProteinUnit, TemperatureUnit, UpcrUnit,
};

/// A list of dated measurements: the input of [`derive`](crate::labs::derive)
/// and its serde form.
///
/// Serialized as a JSON array of entries, each a date and one or more
/// analytes; see `docs/formats.md`, "Measurements". A number without its
/// unit, an unknown unit, an unknown key, an entry with no analyte and every
/// invalid value is an error naming the entry, the field, the value and the
/// unit. Serialization writes one analyte per entry, so the round trip is
/// lossless.
///
/// # Example
///
/// ```
/// use sledai::labs::{DeriveOptions, Measurements};
/// use sledai::{Descriptor, Finding};
///
/// let json = r#"[
///   {"date": "2024-07-01",
///    "urine_protein_24h": {"value": 0.62, "unit": "g/24h"},
///    "platelets": {"value": 87000, "unit": "/mm3", "attributed_to": "drug"},
///    "c3": {"value": 0.71, "lower_limit": 0.90, "unit": "g/L"},
///    "urinary_casts": {"present": false}}
/// ]"#;
/// let ms: Measurements = serde_json::from_str(json)?;
/// assert_eq!(ms.len(), 4);
/// let d = sledai::labs::derive(ms.as_slice(), "2024-07-05".parse()?, DeriveOptions::new());
/// assert_eq!(d.finding(Descriptor::Proteinuria), Finding::Present);
/// assert_eq!(d.finding(Descriptor::Thrombocytopenia), Finding::Absent); // attributed to a drug
/// assert_eq!(d.finding(Descriptor::LowComplement), Finding::Present);
/// assert_eq!(d.finding(Descriptor::UrinaryCasts), Finding::Absent);
///
/// // A bare number is rejected.
/// assert!(serde_json::from_str::<Measurements>(r#"[{"date": "2024-07-01", "platelets": 87000}]"#).is_err());
///
/// // Round trip.
/// let back: Measurements = serde_json::from_str(&serde_json::to_string(&ms)?)?;
/// assert_eq!(back, ms);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Measurements(Vec<Measurement>);

impl Measurements {
    /// A list from measurements.
    ///
    /// ```
    /// use sledai::labs::{LabValue, Measurement, Measurements};
    /// let ms = Measurements::new(vec![Measurement::new("2024-07-01".parse()?, LabValue::urinary_casts_present(true))]);
    /// assert_eq!(ms.len(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub const fn new(measurements: Vec<Measurement>) -> Measurements {
        Measurements(measurements)
    }

    /// The measurements, in order.
    ///
    /// ```
    /// assert!(sledai::labs::Measurements::default().as_slice().is_empty());
    /// ```
    pub fn as_slice(&self) -> &[Measurement] {
        &self.0
    }

    /// The number of measurements.
    ///
    /// ```
    /// assert_eq!(sledai::labs::Measurements::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    ///
    /// ```
    /// assert!(sledai::labs::Measurements::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends a measurement.
    ///
    /// ```
    /// use sledai::labs::{LabValue, Measurement, Measurements};
    /// let mut ms = Measurements::default();
    /// ms.push(Measurement::new("2024-07-01".parse()?, LabValue::urinary_casts_present(true)));
    /// assert_eq!(ms.len(), 1);
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn push(&mut self, measurement: Measurement) {
        self.0.push(measurement);
    }
}

impl From<Vec<Measurement>> for Measurements {
    fn from(v: Vec<Measurement>) -> Measurements {
        Measurements(v)
    }
}

impl FromIterator<Measurement> for Measurements {
    fn from_iter<I: IntoIterator<Item = Measurement>>(iter: I) -> Measurements {
        Measurements(iter.into_iter().collect())
    }
}

// ---------------------------------------------------------------- input --

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(
    expecting = "an object {\"value\": number, \"unit\": string}; a number without its unit is not accepted"
)]
struct RawSimple {
    value: f64,
    unit: String,
    #[serde(default)]
    attributed_to: Option<Attribution>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "an object {\"value\": number, \"lower_limit\": number, \"unit\": string}")]
struct RawComplement {
    value: f64,
    lower_limit: f64,
    #[serde(default)]
    upper_limit: Option<f64>,
    unit: String,
    #[serde(default)]
    attributed_to: Option<Attribution>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "an object {\"value\": number, \"upper_limit\": number, \"unit\": string}")]
struct RawAntibody {
    value: f64,
    upper_limit: f64,
    unit: String,
    #[serde(default)]
    attributed_to: Option<Attribution>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "an object {\"value\": number, \"unit\": string} or {\"present\": bool}")]
struct RawCasts {
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    present: Option<bool>,
    #[serde(default)]
    attributed_to: Option<Attribution>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a measurement entry: an object with `date` and analyte keys")]
struct RawEntry {
    date: Date,
    #[serde(default)]
    urine_protein_24h: Option<RawSimple>,
    #[serde(default)]
    upcr: Option<RawSimple>,
    #[serde(default)]
    urine_rbc: Option<RawSimple>,
    #[serde(default)]
    urine_wbc: Option<RawSimple>,
    #[serde(default)]
    urinary_casts: Option<RawCasts>,
    #[serde(default)]
    platelets: Option<RawSimple>,
    #[serde(default)]
    white_cells: Option<RawSimple>,
    #[serde(default)]
    temperature: Option<RawSimple>,
    #[serde(default)]
    c3: Option<RawComplement>,
    #[serde(default)]
    c4: Option<RawComplement>,
    #[serde(default)]
    ch50: Option<RawComplement>,
    #[serde(default)]
    anti_dsdna: Option<RawAntibody>,
}

fn simple(
    analyte: Analyte,
    raw: RawSimple,
    date: Date,
    out: &mut Vec<Measurement>,
) -> Result<(), Error> {
    let f = analyte.unit_field();
    let u = raw.unit.as_str();
    let v = raw.value;
    let value = match analyte {
        Analyte::UrineProtein24h => LabValue::urine_protein_24h(v, ProteinUnit::parse_for(u, f)?),
        Analyte::Upcr => LabValue::upcr(v, UpcrUnit::parse_for(u, f)?),
        Analyte::UrineRbc => LabValue::urine_rbc(v, FieldUnit::parse_for(u, f)?),
        Analyte::UrineWbc => LabValue::urine_wbc(v, FieldUnit::parse_for(u, f)?),
        Analyte::Platelets => LabValue::platelets(v, CountUnit::parse_for(u, f)?),
        Analyte::WhiteCells => LabValue::white_cells(v, CountUnit::parse_for(u, f)?),
        _ => LabValue::temperature(v, TemperatureUnit::parse_for(u, f)?),
    }?;
    push(out, date, value, raw.attributed_to);
    Ok(())
}

fn push(out: &mut Vec<Measurement>, date: Date, value: LabValue, cause: Option<Attribution>) {
    out.push(Measurement {
        date,
        value,
        attribution: cause,
    });
}

fn complement(
    component: Complement,
    analyte: Analyte,
    raw: RawComplement,
    date: Date,
    out: &mut Vec<Measurement>,
) -> Result<(), Error> {
    let unit = ComplementUnit::parse_for(&raw.unit, analyte.unit_field())?;
    let value = match raw.upper_limit {
        Some(upper) => {
            LabValue::complement_with_range(component, raw.value, raw.lower_limit, upper, unit)?
        }
        None => LabValue::complement(component, raw.value, raw.lower_limit, unit)?,
    };
    push(out, date, value, raw.attributed_to);
    Ok(())
}

impl RawEntry {
    fn into_measurements(self, out: &mut Vec<Measurement>) -> Result<(), Error> {
        let date = self.date;
        let before = out.len();
        let simple_fields = [
            (Analyte::UrineProtein24h, self.urine_protein_24h),
            (Analyte::Upcr, self.upcr),
            (Analyte::UrineRbc, self.urine_rbc),
            (Analyte::UrineWbc, self.urine_wbc),
        ];
        for (a, raw) in simple_fields {
            if let Some(raw) = raw {
                simple(a, raw, date, out)?;
            }
        }
        if let Some(raw) = self.urinary_casts {
            let value = match (raw.value, raw.unit, raw.present) {
                (Some(v), Some(u), None) => LabValue::urinary_casts(
                    v,
                    FieldUnit::parse_for(&u, Analyte::UrinaryCasts.unit_field())?,
                )?,
                (None, None, Some(p)) => LabValue::urinary_casts_present(p),
                (Some(v), None, None) => {
                    return Err(Error::InvalidValue {
                        field: "urinary_casts.unit",
                        value: v.to_string().into(),
                        reason: "a cast count needs its unit (/lpf or /hpf)".into(),
                    })
                }
                _ => {
                    return Err(Error::InvalidValue {
                        field: "urinary_casts",
                        value: "object".into(),
                        reason: "give either a count with its unit ({\"value\", \"unit\"}) or {\"present\": true|false}, not both".into(),
                    })
                }
            };
            push(out, date, value, raw.attributed_to);
        }
        for (a, raw) in [
            (Analyte::Platelets, self.platelets),
            (Analyte::WhiteCells, self.white_cells),
            (Analyte::Temperature, self.temperature),
        ] {
            if let Some(raw) = raw {
                simple(a, raw, date, out)?;
            }
        }
        for (c, a, raw) in [
            (Complement::C3, Analyte::C3, self.c3),
            (Complement::C4, Analyte::C4, self.c4),
            (Complement::Ch50, Analyte::Ch50, self.ch50),
        ] {
            if let Some(raw) = raw {
                complement(c, a, raw, date, out)?;
            }
        }
        if let Some(raw) = self.anti_dsdna {
            let unit = AntibodyUnit::parse_for(&raw.unit, Analyte::AntiDsDna.unit_field())?;
            let value = LabValue::anti_dsdna(raw.value, raw.upper_limit, unit)?;
            push(out, date, value, raw.attributed_to);
        }
        if out.len() == before {
            return Err(Error::InvalidValue {
                field: "measurements",
                value: date.to_string().into(),
                reason: "an entry has a date but no measurement".into(),
            });
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Measurements {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let entries = Vec::<RawEntry>::deserialize(d)?;
        let mut out = Vec::with_capacity(entries.len());
        for (index, e) in entries.into_iter().enumerate() {
            e.into_measurements(&mut out).map_err(|source| {
                serde::de::Error::custom(Error::InBatch {
                    index,
                    source: Box::new(source),
                })
            })?;
        }
        Ok(Measurements(out))
    }
}

impl<'de> Deserialize<'de> for Measurement {
    /// One entry with exactly one analyte.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let e = RawEntry::deserialize(d)?;
        let mut out = Vec::with_capacity(1);
        e.into_measurements(&mut out)
            .map_err(serde::de::Error::custom)?;
        match out.as_slice() {
            [m] => Ok(*m),
            _ => Err(serde::de::Error::custom(
                "a single measurement must have exactly one analyte; use a list of measurements for several",
            )),
        }
    }
}

// --------------------------------------------------------------- output --

/// The analyte object of a measurement.
struct Body<'a>(&'a Measurement);

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let v = &m.value;
        let mut map = s.serialize_map(None)?;
        if let Some(p) = v.present() {
            map.serialize_entry("present", &p)?;
        } else {
            map.serialize_entry("value", &v.value.raw)?;
            if let Some(l) = v.lower {
                map.serialize_entry("lower_limit", &l.raw)?;
            }
            if let Some(u) = v.upper {
                map.serialize_entry("upper_limit", &u.raw)?;
            }
            map.serialize_entry("unit", v.unit.id())?;
        }
        if let Some(a) = m.attribution {
            map.serialize_entry("attributed_to", &a)?;
        }
        map.end()
    }
}

impl Serialize for Measurement {
    /// `{"date": "YYYY-MM-DD", "<analyte>": {...}}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("date", &self.date)?;
        map.serialize_entry(self.value.analyte.id(), &Body(self))?;
        map.end()
    }
}

impl Serialize for Measurements {
    /// An array with one entry per measurement.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(&self.0)
    }
}

impl Serialize for Evidence {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Evidence", 5)?;
        st.serialize_field("measurement", self.measurement())?;
        st.serialize_field("days_before_visit", &self.days_before_visit())?;
        st.serialize_field("beyond_threshold", &self.beyond_threshold())?;
        st.serialize_field("threshold", &self.threshold())?;
        st.serialize_field("status", &self.status())?;
        st.end()
    }
}

impl Serialize for LabItem {
    /// `decisive` is the index of the deciding entry of `evidence`, or null.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let decisive = self
            .decisive()
            .and_then(|d| self.evidence().iter().position(|e| std::ptr::eq(e, d)));
        let mut st = s.serialize_struct("LabItem", 8)?;
        st.serialize_field("descriptor", &self.descriptor())?;
        st.serialize_field("finding", &self.finding())?;
        st.serialize_field("reason", &self.reason())?;
        st.serialize_field("rule", self.rule())?;
        st.serialize_field("substitute_used", &self.substitute_used())?;
        st.serialize_field("decisive", &decisive)?;
        st.serialize_field("evidence", self.evidence())?;
        st.serialize_field("missing_components", self.missing_components())?;
        st.end()
    }
}

impl Serialize for Derivation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Derivation", 3)?;
        st.serialize_field("visit", &self.visit())?;
        st.serialize_field("options", self.options())?;
        st.serialize_field("items", self.items())?;
        st.end()
    }
}

impl Serialize for Merged {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Merged", 2)?;
        st.serialize_field("assessment", &self.assessment())?;
        st.serialize_field("conflicts", self.conflicts())?;
        st.end()
    }
}
