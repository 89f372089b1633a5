//! The documentation cannot drift from the code: the descriptor table in
//! docs/definitions.md is rendered from `Descriptor::ALL` and compared here.
//! Regenerate with `SLEDAI_BLESS=1 cargo test --test it docs`.

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
        "docs/definitions.md is stale: run SLEDAI_BLESS=1 cargo test --test it docs"
    );
}

/// Every example in docs/formats.md marked `json assessment`, `json visit` or
/// `json measurements` parses as that type.
#[test]
fn formats_md_examples_parse() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/formats.md");
    let doc = std::fs::read_to_string(path).expect("docs/formats.md exists");
    let mut checked = 0;
    let mut rest = doc.as_str();
    while let Some(start) = rest.find("```json ") {
        let after = &rest[start + "```json ".len()..];
        let (tag, body) = after.split_once('\n').expect("code block");
        let end = body.find("```").expect("closing fence");
        let json = &body[..end];
        let result = match tag.trim() {
            "assessment" => serde_json::from_str::<sledai::Assessment>(json).map(|_| ()),
            "visit" => serde_json::from_str::<sledai::visit::VisitInput>(json).map(|_| ()),
            "measurements" => serde_json::from_str::<sledai::labs::Measurements>(json).map(|_| ()),
            other => panic!("unknown example tag `{other}`"),
        };
        assert!(
            result.is_ok(),
            "{tag} example does not parse: {result:?}\n{json}"
        );
        checked += 1;
        rest = &body[end..];
    }
    assert!(checked >= 5, "only {checked} examples found");
}
