//! The library's rooms import downwards only (docs/architecture.md): a module may use its own
//! room and the rooms below it, never one above, and no two rooms use each other. Test code
//! (`#[cfg(test)]` modules, at the end of a file) may reach anywhere: a pattern test that runs the
//! line walk checks the two agree, which is no dependency of the patterns on the walk.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The rooms, bottom first; each lists the units it holds. A unit is a top-level module, or a
/// stage (`stage::classify`); a module's own submodules are part of its unit.
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &["text", "document", "error", "timings", "compress"]),
    ("words", &["words", "dates"]),
    ("patterns", &["patterns"]),
    (
        "stages",
        &[
            "stage",
            "stage::decode",
            "stage::html",
            "stage::normalize",
            "stage::segment",
            "stage::language",
            "stage::scan",
            "stage::features",
            "stage::model",
            "stage::classify",
            "stage::metadata",
        ],
    ),
    ("cleaner", &["pipeline", "site_stats", "input", "emit"]),
    ("drivers", &["batches", "run", "jsonl", "learn", "train", "explain"]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, with its module path (`stage::classify::region`).
fn modules(dir: &Path, prefix: &[String], out: &mut Vec<(Vec<String>, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            let mut inner = prefix.to_vec();
            inner.push(name);
            modules(&path, &inner, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let mut module = prefix.to_vec();
            if name != "mod" && name != "lib" {
                module.push(name);
            }
            out.push((module, path));
        }
    }
}

/// The code of a file without its test module and comments.
fn code_of(text: &str) -> String {
    let until_tests = text.find("\n#[cfg(test)]").map_or(text, |at| &text[..at]);
    until_tests.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// Every path a use-tree written after `crate::` names: `{a::b, c::{d, e}}` gives a::b, c::d, c::e.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap().trim().trim_end_matches("::self");
        return vec![path.to_string()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap()];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .flat_map(expand)
        .map(|path| if path == "self" { prefix.trim_end_matches("::").to_string() } else { format!("{prefix}{path}") })
        .collect()
}

/// The crate paths `code` names: `crate::x::y` anywhere, and whole `use crate::{...}` trees.
fn crate_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let end = after.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(after.len());
        if after[end..].starts_with('{') {
            let mut depth = 0;
            let close = after[end..]
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(after.len(), |(i, _)| end + i + 1);
            paths.extend(expand(&after[..close]));
            rest = &after[close..];
        } else {
            paths.push(after[..end].trim_end_matches(':').to_string());
            rest = &after[end..];
        }
    }
    paths
}

/// The unit of a module path: its stage for `stage::x::...`, else its top-level module.
fn unit_of(path: &[String]) -> String {
    match path {
        [first, second, ..] if first == "stage" => format!("stage::{second}"),
        [first, ..] => first.clone(),
        [] => String::new(),
    }
}

fn layer_of(unit: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, units)| units.contains(&unit))
}

/// Unit -> the units it uses, for every library file.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    modules(&src(), &[], &mut files);
    let known: BTreeSet<Vec<String>> = files.iter().map(|(module, _)| module.clone()).collect();
    let binary = binary_modules();
    // Items lib.rs re-exports at the root (`crate::Cleaner`), by the unit that defines them.
    let lib = code_of(&std::fs::read_to_string(src().join("lib.rs")).unwrap());
    let root_items: BTreeMap<String, String> = lib
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub use "))
        .flat_map(|tree| expand(tree.trim_end_matches(';')))
        .map(|path| {
            let segments: Vec<String> = path.split("::").map(str::to_string).collect();
            (segments.last().unwrap().clone(), unit_of(&segments))
        })
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, path) in &files {
        if module.first().is_some_and(|m| binary.contains(m) || m == "main") {
            continue;
        }
        let from = unit_of(module);
        let code = code_of(&std::fs::read_to_string(path).unwrap());
        let uses = graph.entry(from.clone()).or_default();
        for used in crate_paths(&code) {
            let segments: Vec<String> = used.split("::").map(str::to_string).collect();
            // The longest prefix that is a module; an item re-exported at the root (`crate::Cleaner`)
            // names no module and is looked up through lib.rs's re-exports below.
            let module = (1..=segments.len()).rev().map(|n| segments[..n].to_vec()).find(|m| known.contains(m));
            let to = match module {
                Some(module) => unit_of(&module),
                None => match root_items.get(&segments[0]) {
                    Some(unit) => unit.clone(),
                    None => continue,
                },
            };
            if to != from && !to.is_empty() {
                uses.insert(to);
            }
        }
    }
    graph
}

/// The modules `main.rs` declares: the binary's, above the whole library.
fn binary_modules() -> Vec<String> {
    let main = std::fs::read_to_string(src().join("main.rs")).unwrap();
    main.lines().filter_map(|l| l.trim().strip_prefix("mod ")).map(|m| m.trim_end_matches(';').to_string()).collect()
}

#[test]
fn every_library_module_is_in_a_room() {
    let graph = graph();
    let lost: Vec<&String> = graph.keys().filter(|unit| !unit.is_empty() && layer_of(unit).is_none()).collect();
    assert!(lost.is_empty(), "modules in no room of LAYERS (add them, and to docs/architecture.md): {lost:?}");
}

#[test]
fn no_room_imports_a_room_above_it() {
    let mut upward = Vec::new();
    for (from, uses) in graph() {
        let Some(from_layer) = layer_of(&from) else { continue };
        for to in uses {
            if layer_of(&to).is_some_and(|to_layer| to_layer > from_layer) {
                upward.push(format!(
                    "{from} ({}) uses {to} ({})",
                    LAYERS[from_layer].0,
                    LAYERS[layer_of(&to).unwrap()].0
                ));
            }
        }
    }
    assert!(upward.is_empty(), "imports against the layers:\n{}", upward.join("\n"));
}

#[test]
fn the_units_import_each_other_without_a_cycle() {
    let graph = graph();
    // Depth-first search; a unit met again while still on the path closes a cycle.
    fn visit<'a>(
        unit: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|&u| u == unit) {
            let mut cycle: Vec<String> = path[at..].iter().map(|u| u.to_string()).collect();
            cycle.push(unit.to_string());
            return Some(cycle);
        }
        if !done.insert(unit) {
            return None;
        }
        path.push(unit);
        for next in graph.get(unit).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for unit in graph.keys() {
        let cycle = visit(unit, &graph, &mut Vec::new(), &mut done);
        assert!(cycle.is_none(), "an import cycle: {}", cycle.unwrap().join(" -> "));
    }
}

#[test]
fn the_checker_reads_use_trees() {
    let code = "use crate::stage::{classify, decode::{self, Decoded}};\nlet x = crate::text::lower_hash(y);";
    assert_eq!(crate_paths(code), ["stage::classify", "stage::decode", "stage::decode::Decoded", "text::lower_hash"]);
    let mut files = Vec::new();
    modules(&src(), &[], &mut files);
    assert!(files.iter().any(|(module, _)| module == &["stage", "classify", "rules"]));
    // Edges the code is known to have: the checker sees them.
    let graph = graph();
    for (from, to) in [("stage::classify", "stage::model"), ("stage::model", "stage::features"), ("patterns", "words")]
    {
        assert!(graph[from].contains(to), "{from} -> {to}: {:?}", graph[from]);
    }
}
