//! Inputs: which documents a run cleans, in a stable order.
//!
//! Folders are walked recursively and sorted by name, so the output order does not depend on the
//! file system; hidden files are skipped unless asked for; `--glob` filters by path. A path that
//! does not exist, or a folder entry that cannot be read (permissions, a symlink loop), becomes an
//! input that fails with that error: it is reported in order with the others, never silently
//! dropped and never fatal to the run.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::InputError;

/// One document to clean.
#[derive(Debug)]
pub enum Input {
    File(PathBuf),
    Stdin,
    /// Known to fail before reading: the path and why.
    Failed(String, InputError),
}

impl Input {
    /// What the output's `source` field and error messages call this input.
    pub fn source(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "-".to_string(),
            Input::Failed(source, _) => source.clone(),
        }
    }

    /// The document id: the file name without its extension.
    pub fn id(&self) -> String {
        match self {
            Input::File(path) => {
                path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
            }
            Input::Stdin => "stdin".to_string(),
            Input::Failed(source, _) => source.clone(),
        }
    }

    /// The site a page belongs to, for site-level statistics: the name of its folder (scrapers
    /// save a site's pages together).
    pub fn site(&self) -> Option<String> {
        match self {
            Input::File(path) => path.parent()?.file_name().map(|n| n.to_string_lossy().into_owned()),
            _ => None,
        }
    }

    /// Size on disk, for the progress bar; 0 when unknown.
    pub fn size_hint(&self) -> u64 {
        match self {
            Input::File(path) => std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
            _ => 0,
        }
    }
}

/// How folders are walked.
#[derive(Debug, Default, Clone)]
pub struct WalkOptions {
    pub hidden: bool,
    pub globs: Vec<String>,
}

/// Where a page's site (for site statistics) comes from.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum SiteFrom {
    /// The name of the page's folder.
    #[default]
    Folder,
    /// The site name found in the page itself (title suffix, brand line, copyright holder).
    Detected,
}

/// Expands the command-line paths into inputs, in order.
pub fn collect(paths: &[PathBuf], options: &WalkOptions) -> Result<Vec<Input>, globset::Error> {
    let globs = build_globs(&options.globs)?;
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            walk(path, options.hidden, globs.as_ref(), &mut inputs);
        } else if path.exists() || path.symlink_metadata().is_ok() {
            // Named explicitly: cleaned even if hidden or outside the globs.
            inputs.push(Input::File(path.clone()));
        } else {
            inputs.push(Input::Failed(path.display().to_string(), InputError::NotFound));
        }
    }
    Ok(inputs)
}

fn build_globs(patterns: &[String]) -> Result<Option<GlobSet>, globset::Error> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(Glob::new(pattern)?);
    }
    builder.build().map(Some)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// How the names of boilerstrip's own temporary outputs and output locks start: such a file
/// beside an output (left by a killed run, or being written by another) is never a page.
pub const OWN_FILE_PREFIX: &str = ".boilerstrip-";

/// Whether a file name is one of boilerstrip's temporary outputs or output locks.
pub fn is_own_file(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with(OWN_FILE_PREFIX) && (name.ends_with(".tmp") || name.ends_with(".lock"))
}

fn walk(root: &Path, hidden: bool, globs: Option<&GlobSet>, inputs: &mut Vec<Input>) {
    let walker = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter().filter_entry(|entry| {
        entry.depth() == 0 || !is_own_file(entry.file_name()) && (hidden || !is_hidden(entry.file_name()))
    });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                let matched = globs.is_none_or(|g| g.is_match(relative) || g.is_match(entry.file_name()));
                if matched {
                    inputs.push(Input::File(entry.into_path()));
                }
            }
            // A FIFO, socket or device found in a folder: reading it could block or never end.
            // (Named on the command line, a FIFO is read like `-`.)
            Ok(entry) if !entry.file_type().is_dir() => {
                let source = entry.path().display().to_string();
                inputs.push(Input::Failed(source, InputError::Walk("not a regular file".into())));
            }
            Ok(_) => {}
            Err(err) => {
                let source = err.path().unwrap_or(root).display().to_string();
                let message = if err.loop_ancestor().is_some() {
                    "symlink loop".to_string()
                } else {
                    err.io_error().map_or_else(|| err.to_string(), |e| format!("cannot read: {e}"))
                };
                inputs.push(Input::Failed(source, InputError::Walk(message)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_skips_hidden_and_filters_globs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["b.txt", "a.txt", ".hidden.txt", "sub/c.txt", "sub/d.html"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let ids = |inputs: Vec<Input>| inputs.iter().map(Input::id).collect::<Vec<_>>();
        let all = collect(&[dir.path().to_path_buf()], &WalkOptions::default()).unwrap();
        assert_eq!(ids(all), ["a", "b", "c", "d"]);
        let with_hidden = collect(&[dir.path().to_path_buf()], &WalkOptions { hidden: true, globs: vec![] }).unwrap();
        assert_eq!(with_hidden.len(), 5);
        let txt =
            collect(&[dir.path().to_path_buf()], &WalkOptions { hidden: false, globs: vec!["*.txt".into()] }).unwrap();
        assert_eq!(ids(txt), ["a", "b", "c"]);
    }

    #[test]
    fn own_temporary_outputs_and_locks_are_never_pages_even_with_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.txt", ".boilerstrip-123-x1Yz.tmp", ".boilerstrip-out.jsonl.lock", ".boilerstrip-notes.txt"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let options = WalkOptions { hidden: true, globs: vec![] };
        let names: Vec<String> = collect(&[dir.path().to_path_buf()], &options)
            .unwrap()
            .iter()
            .map(|input| input.source().rsplit('/').next().unwrap().to_string())
            .collect();
        assert_eq!(names, [".boilerstrip-notes.txt", "a.txt"]);
    }

    #[test]
    fn missing_path_is_a_failed_input() {
        let inputs = collect(&[PathBuf::from("/no/such/path")], &WalkOptions::default()).unwrap();
        assert!(matches!(inputs[0], Input::Failed(_, InputError::NotFound)));
    }
}
