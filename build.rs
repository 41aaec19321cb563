//! Embeds every file under `patterns/` into the binary, so the defaults need no files at run time
//! and adding a pattern file needs no code change.

use std::{env, fs, path::Path};

/// The kinds the classifier gives a meaning (`src/patterns/kinds.rs`).
#[allow(dead_code)]
mod kinds {
    include!("src/patterns/kinds.rs");
}

fn main() {
    let root = Path::new("patterns");
    println!("cargo:rerun-if-changed=patterns");
    println!("cargo:rerun-if-changed=src/patterns/kinds.rs");
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();
    // A kind the code depends on without a pattern file would silently never fire.
    for kind in kinds::MEANINGFUL_KINDS {
        let file = format!("{kind}.txt");
        if !files.iter().any(|path| path.file_name().is_some_and(|name| name == file.as_str())) {
            panic!("src/patterns/kinds.rs names the kind {kind:?}, but no patterns/<lang>/{file} exists");
        }
    }
    let mut out = String::from("/// (path relative to `patterns/`, contents) of every default data file.\n");
    out.push_str("pub const EMBEDDED: &[(&str, &str)] = &[\n");
    for path in &files {
        let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        let abs = fs::canonicalize(path).unwrap();
        out.push_str(&format!("    ({:?}, include_str!({:?})),\n", rel, abs.to_string_lossy()));
        println!("cargo:rerun-if-changed={}", path.display());
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("embedded_patterns.rs");
    fs::write(dest, out).unwrap();
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "txt" || e == "json") {
            files.push(path);
        }
    }
}
