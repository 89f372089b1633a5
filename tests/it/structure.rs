//! The module structure of the crate, read from its source text: the
//! graph of dependencies between the top-level modules of `src/` has no
//! cycle, and `error`, the crate's bottom type, depends on no other module.
//!
//! A dependency is every `crate::module` path in code (a `use` declaration,
//! a `use crate::{a, b::c}` group or a path written inline) and every
//! `super::module` that leaves a top-level file; comments are ignored.
//! `lib.rs` (which declares every module) and the `guide` are not modules
//! of the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Cycles that exist today between modules other owners are changing; each
/// must be a real cycle of the graph (so the list can only shrink). The
/// `target` machinery and its clients are not here: they must stay acyclic.
const KNOWN_CYCLES: &[&[&str]] = &[];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text without `//` and `/* */` comments (string literals are kept;
/// a `//` inside one only hides the rest of its line, which can hide a
/// dependency but never invent one).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("/*") {
            rest = r.find("*/").map_or("", |i| &r[i + 2..]);
        } else if rest.starts_with("//") {
            rest = rest.find('\n').map_or("", |i| &rest[i..]);
        } else {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The first path segment of every item of a `{...}` group starting at
/// `s` (just after the `{`), at any nesting depth 0.
fn group_heads(s: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut start = true;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => start = true,
            c if start && !c.is_whitespace() => {
                start = false;
                if depth == 0 {
                    heads.push(ident(&s[i..]).to_owned());
                }
            }
            _ => {}
        }
    }
    heads
}

/// The module names that `code` reaches through `prefix` (`crate::` or
/// `super::`).
fn referenced(code: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (i, _) in code.match_indices(prefix) {
        // Only a path that starts here (`crate::`, not `my_crate::`).
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let after = &code[i + prefix.len()..];
        if let Some(group) = after.strip_prefix('{') {
            names.extend(group_heads(group));
        } else {
            names.push(ident(after).to_owned());
        }
    }
    names
}

/// The graph of the crate's top-level modules.
fn module_graph(root: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(root, &mut files);
    let top = |p: &Path| -> String {
        let rel = p.strip_prefix(root).expect("under src/");
        let first = rel.components().next().expect("a component");
        let name = first.as_os_str().to_string_lossy();
        name.strip_suffix(".rs").unwrap_or(&name).to_owned()
    };
    let modules: BTreeSet<String> = files
        .iter()
        .map(|p| top(p))
        .filter(|m| m != "lib" && m != "guide")
        .collect();
    let mut graph: Graph = modules
        .iter()
        .map(|m| (m.clone(), BTreeSet::new()))
        .collect();
    for file in &files {
        let from = top(file);
        if !modules.contains(&from) {
            continue;
        }
        let code = strip_comments(&std::fs::read_to_string(file).expect("a source file"));
        let mut to = referenced(&code, "crate::");
        // `super::` leaves the top-level module only from a file directly
        // in src/ (src/x.rs); inside src/x/ it stays in x.
        if file.parent() == Some(root) {
            to.extend(referenced(&code, "super::"));
        }
        let deps = graph.get_mut(&from).expect("a module");
        deps.extend(to.into_iter().filter(|m| *m != from && modules.contains(m)));
    }
    graph
}

/// The strongly connected components with more than one module (the
/// cycles), each sorted, by Tarjan's algorithm.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct Tarjan<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, v: &'a str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                loop {
                    let w = self.stack.pop().expect("v is on the stack");
                    self.on_stack.remove(w);
                    component.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.out.push(component);
                }
            }
        }
    }
    let mut t = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    t.out.sort();
    t.out
}

fn graph_of(edges: &[(&str, &str)]) -> Graph {
    let mut g = Graph::new();
    for (a, b) in edges {
        g.entry((*a).to_owned())
            .or_default()
            .insert((*b).to_owned());
        g.entry((*b).to_owned()).or_default();
    }
    g
}

#[test]
fn the_cycle_finder_finds_hand_made_cycles() {
    let owned = |c: &[&str]| c.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert!(cycles(&graph_of(&[("a", "b"), ("b", "c"), ("a", "c")])).is_empty());
    assert_eq!(
        cycles(&graph_of(&[("a", "b"), ("b", "a"), ("b", "c")])),
        [owned(&["a", "b"])]
    );
    assert_eq!(
        cycles(&graph_of(&[
            ("a", "b"),
            ("b", "c"),
            ("c", "a"),
            ("d", "e"),
            ("e", "d"),
            ("c", "d"),
        ])),
        [owned(&["a", "b", "c"]), owned(&["d", "e"])]
    );
}

#[test]
fn the_reader_sees_use_groups_inline_paths_and_super() {
    let code = strip_comments(
        "use crate::a::X;\nuse crate::{b::{Y, Z}, c};\n// use crate::hidden;\n\
         /* crate::block */ fn f() { crate::d::g(); other_crate::e::h(); }\nuse super::s;",
    );
    assert_eq!(referenced(&code, "crate::"), ["a", "b", "c", "d"]);
    assert_eq!(referenced(&code, "super::"), ["s"]);
}

#[test]
fn the_module_graph_has_no_cycle_but_the_known_ones() {
    let graph = module_graph(&src());
    // The reader sees the crate: the facts this test relies on hold.
    for (from, to) in [
        ("lldas", "target"),
        ("remission", "target"),
        ("remission_2017", "target"),
        ("bilag", "target"),
        ("target", "assessment"),
    ] {
        assert!(
            graph[from].contains(to),
            "{from} -> {to} not found: {graph:?}"
        );
    }
    for client in ["lldas", "remission", "remission_2017", "bilag", "change"] {
        assert!(
            !graph["target"].contains(client),
            "the criterion machinery (target) must not depend on its client {client}"
        );
    }
    let known: Vec<Vec<String>> = KNOWN_CYCLES
        .iter()
        .map(|c| c.iter().map(|s| (*s).to_owned()).collect())
        .collect();
    let found = cycles(&graph);
    for cycle in &found {
        assert!(
            known.contains(cycle),
            "a cycle between top-level modules: {cycle:?} (dependencies: {:?})",
            cycle.iter().map(|m| (m, &graph[m])).collect::<Vec<_>>()
        );
    }
    for cycle in &known {
        assert!(
            found.contains(cycle),
            "{cycle:?} is no longer a cycle: remove it from KNOWN_CYCLES"
        );
    }
}

#[test]
fn the_error_depends_on_no_domain_module() {
    let graph = module_graph(&src());
    assert!(graph.contains_key("error"));
    assert!(
        graph["error"].is_empty(),
        "error depends on {:?}",
        graph["error"]
    );
}
