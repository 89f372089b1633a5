//! `sledai descriptors`: the 24-descriptor table, read from
//! [`sledai::Descriptor`] (never retyped here), as an aligned text table,
//! JSON or CSV.

use std::io::{self, Write};

use sledai::Descriptor;

/// Output format of `sledai descriptors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum TableFormat {
    /// Aligned text for reading.
    Table,
    /// A JSON array of objects.
    Json,
    /// CSV with a header line.
    Csv,
}

/// The CSV columns and JSON keys, in order.
pub(crate) const COLUMNS: [&str; 8] = [
    "position",
    "identifier",
    "name",
    "weight",
    "organ_system",
    "definition",
    "threshold",
    "exclusions",
];

#[derive(serde::Serialize)]
struct Row {
    position: u8,
    identifier: &'static str,
    name: &'static str,
    weight: u8,
    organ_system: &'static str,
    definition: &'static str,
    threshold: Option<&'static str>,
    exclusions: Option<&'static str>,
}

fn rows() -> impl Iterator<Item = Row> {
    Descriptor::ALL.into_iter().map(|d| Row {
        position: d.position(),
        identifier: d.id(),
        name: d.name(),
        weight: d.weight(),
        organ_system: d.organ_system().id(),
        definition: d.definition(),
        threshold: d.threshold(),
        exclusions: d.exclusions(),
    })
}

/// Writes the table.
///
/// # Errors
///
/// When writing fails.
pub(crate) fn write(format: TableFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        TableFormat::Json => {
            let all: Vec<Row> = rows().collect();
            serde_json::to_writer_pretty(&mut *out, &all)?;
            writeln!(out)
        }
        TableFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(COLUMNS)?;
            for r in rows() {
                w.write_record([
                    r.position.to_string().as_str(),
                    r.identifier,
                    r.name,
                    &r.weight.to_string(),
                    r.organ_system,
                    r.definition,
                    r.threshold.unwrap_or(""),
                    r.exclusions.unwrap_or(""),
                ])?;
            }
            w.flush()
        }
        TableFormat::Table => {
            let id_w = rows()
                .map(|r| r.identifier.len())
                .max()
                .unwrap_or(10)
                .max(10);
            let sys_w = rows()
                .map(|r| r.organ_system.len())
                .max()
                .unwrap_or(12)
                .max(12);
            writeln!(
                out,
                "{:>2}  {:<id_w$}  {:>6}  {:<sys_w$}  definition",
                "#", "identifier", "weight", "organ_system"
            )?;
            for r in rows() {
                let mut def = r.definition.to_owned();
                if let Some(t) = r.threshold {
                    def.push_str(&format!(" [{t}]"));
                }
                if let Some(x) = r.exclusions {
                    def.push_str(&format!(" (exclude: {x})"));
                }
                writeln!(
                    out,
                    "{:>2}  {:<id_w$}  {:>6}  {:<sys_w$}  {}",
                    r.position, r.identifier, r.weight, r.organ_system, def
                )?;
            }
            Ok(())
        }
    }
}
