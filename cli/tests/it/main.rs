//! The integration tests of the `sledai` command-line tool, compiled as one
//! binary. Each module is one subcommand or one property of the tool.

mod adam;
mod adversarial;
mod cells;
mod classify;
mod cohort;
mod common;
mod csv_reader;
mod descriptors;
mod docs;
mod fuzz;
mod help;
mod mapping;
mod memory;
mod score;
mod table;
