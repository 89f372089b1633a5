//! The documentation cannot drift from the code: the descriptor table in
//! docs/definitions.md is rendered from `Descriptor::ALL` and compared here.
//! Regenerate with `SLEDAI_BLESS=1 cargo test --test docs`.

use sledai::Descriptor;

const BEGIN: &str = "<!-- BEGIN GENERATED: descriptor table -->";
const END: &str = "<!-- END GENERATED: descriptor table -->";

fn render() -> String {
    let mut s = String::from(
        "| # | identifier | weight | organ system | definition | threshold | excluded causes |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for d in Descriptor::ALL {
        s.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} | {} |\n",
            d.position(),
            d.id(),
            d.weight(),
            d.organ_system().id(),
            d.definition(),
            d.threshold().unwrap_or(""),
            d.exclusions().unwrap_or(""),
        ));
    }
    s
}

#[test]
fn definitions_md_matches_the_descriptor_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/definitions.md");
    let doc = std::fs::read_to_string(path).expect("docs/definitions.md exists");
    let start = doc.find(BEGIN).expect("begin marker") + BEGIN.len();
    let end = doc.find(END).expect("end marker");
    let expected = format!("\n{}", render());
    if std::env::var_os("SLEDAI_BLESS").is_some() {
        let updated = format!("{}{}{}", &doc[..start], expected, &doc[end..]);
        std::fs::write(path, updated).expect("write docs/definitions.md");
        return;
    }
    assert_eq!(
        &doc[start..end],
        expected,
        "docs/definitions.md is stale: run SLEDAI_BLESS=1 cargo test --test docs"
    );
}
