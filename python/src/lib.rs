//! The Python module `boilerstrip._boilerstrip`: a `Cleaner` built once, cleaning one page or a
//! batch (in parallel, without the GIL), each page to the JSON record the command line writes.
//! `boilerstrip/__init__.py` turns the records into dicts.

use std::sync::Arc;

use boilerstrip::emit::Record;
use boilerstrip::site_stats::LineStats;
use boilerstrip::stage::decode::Charset;
use boilerstrip::stage::html::InputFormat;
use boilerstrip::stage::normalize::Form;
use boilerstrip::{Cleaner, Config, PatternsBuilder};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use rayon::prelude::*;

/// A page as Python hands it over: text, or bytes to decode as files are.
#[derive(FromPyObject)]
enum Page {
    Text(String),
    Bytes(Vec<u8>),
}

#[pyclass(module = "boilerstrip._boilerstrip", frozen)]
struct RustCleaner {
    cleaner: Cleaner,
}

#[pymethods]
impl RustCleaner {
    #[new]
    #[pyo3(signature = (patterns=Vec::new(), line_stats=None, normalize="nfc", input_format="auto", encoding=None, min_docs=3))]
    fn new(
        patterns: Vec<String>,
        line_stats: Option<String>,
        normalize: &str,
        input_format: &str,
        encoding: Option<String>,
        min_docs: u32,
    ) -> PyResult<Self> {
        let mut builder = PatternsBuilder::defaults();
        for dir in &patterns {
            builder = builder
                .add_dir(std::path::Path::new(dir))
                .map_err(|e| PyValueError::new_err(format!("{dir}: {e:#}")))?;
        }
        let patterns = builder.build().map_err(|e| PyValueError::new_err(format!("{e:#}")))?;
        let form = match normalize {
            "nfc" => Form::Nfc,
            "nfkc" => Form::Nfkc,
            "none" => Form::None,
            other => return Err(PyValueError::new_err(format!("normalize={other:?}: nfc, nfkc or none"))),
        };
        let input_format = match input_format {
            "auto" => InputFormat::Auto,
            "text" => InputFormat::Text,
            "html" => InputFormat::Html,
            other => return Err(PyValueError::new_err(format!("input_format={other:?}: auto, text or html"))),
        };
        let encoding = match encoding {
            None => None,
            Some(label) => Some(
                Charset::for_label(&label)
                    .ok_or_else(|| PyValueError::new_err(format!("unknown encoding {label:?}")))?,
            ),
        };
        let site_stats = match line_stats {
            None => None,
            Some(path) => {
                let file = std::fs::File::open(&path).map_err(|e| PyOSError::new_err(format!("{path}: {e}")))?;
                let stats = LineStats::read_from(&mut std::io::BufReader::new(file))
                    .map_err(|e| PyValueError::new_err(format!("{path}: {e}")))?;
                Some(Arc::new(stats))
            }
        };
        let config = Config { form, encoding, site_stats, min_docs, input_format, ..Config::default() };
        Ok(RustCleaner { cleaner: Cleaner::new(patterns, config) })
    }

    /// The record of one page as JSON; a page that cannot be cleaned raises `ValueError`.
    #[pyo3(signature = (page, site=None, name="", removed=false))]
    fn clean_json(
        &self,
        py: Python<'_>,
        page: Page,
        site: Option<String>,
        name: &str,
        removed: bool,
    ) -> PyResult<String> {
        py.allow_threads(|| clean_one(&self.cleaner, &page, site.as_deref(), name, removed))
            .map_err(PyValueError::new_err)
    }

    /// The records of many pages, cleaned in parallel without the GIL, in order: for each page its
    /// JSON record, or the reason it could not be cleaned.
    #[pyo3(signature = (pages, sites=None, names=None, removed=false))]
    fn clean_batch_json(
        &self,
        py: Python<'_>,
        pages: Vec<Page>,
        sites: Option<Vec<Option<String>>>,
        names: Option<Vec<String>>,
        removed: bool,
    ) -> PyResult<Vec<(bool, String)>> {
        for (what, len) in [("sites", sites.as_ref().map(Vec::len)), ("names", names.as_ref().map(Vec::len))] {
            if len.is_some_and(|len| len != pages.len()) {
                return Err(PyValueError::new_err(format!("{what} must have one entry per page")));
            }
        }
        Ok(py.allow_threads(|| {
            pages
                .par_iter()
                .enumerate()
                .map(|(i, page)| {
                    let site = sites.as_ref().and_then(|s| s[i].as_deref());
                    let name = names.as_ref().map_or("", |n| n[i].as_str());
                    match clean_one(&self.cleaner, page, site, name, removed) {
                        Ok(json) => (true, json),
                        Err(reason) => (false, reason),
                    }
                })
                .collect()
        }))
    }
}

fn clean_one(cleaner: &Cleaner, page: &Page, site: Option<&str>, name: &str, removed: bool) -> Result<String, String> {
    let id = std::path::Path::new(name).file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let doc = match page {
        Page::Bytes(bytes) => cleaner.clean_bytes_in_site(&id, name, bytes, site).map_err(|e| e.to_string())?,
        Page::Text(text) => {
            let mut doc = cleaner.clean_decoded_in_site(&id, name, text, site).map_err(|e| e.to_string())?;
            doc.bytes_in = text.len();
            doc
        }
    };
    let mut json = Vec::new();
    Record::from_document(&doc, removed).write_json(&mut json).map_err(|e| e.to_string())?;
    String::from_utf8(json).map_err(|e| e.to_string())
}

#[pymodule]
fn _boilerstrip(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<RustCleaner>()?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
