//! The Python module `boilerstrip._boilerstrip`: a `Cleaner` built once, cleaning pages (one, or
//! a batch in parallel without the GIL) to the JSON record the command line writes, JSONL record
//! lines as `clean --jsonl` does, and counting line statistics as `learn` does.
//! `boilerstrip/__init__.py` wraps it in the Python-facing API.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use boilerstrip::compress::{decompressing, Compression};
use boilerstrip::emit::Record;
use boilerstrip::jsonl::{clean_record, JsonlOptions};
use boilerstrip::learn::{decoded_page_stats, page_stats, record_stats};
use boilerstrip::site_stats::LineStats;
use boilerstrip::stage::decode::Charset;
use boilerstrip::stage::html::InputFormat;
use boilerstrip::stage::normalize::Form;
use boilerstrip::{Cleaner, Config, InputError, PatternsBuilder};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyBytes, PyTuple};
use rayon::prelude::*;

// Pages and lines are borrowed from their Python objects, not copied: extracted as a `Vec<u8>`,
// bytes were taken one item at a time.

/// A page as Python hands it over: text, or bytes to decode as files are.
#[derive(FromPyObject)]
enum Page {
    Text(PyBackedStr),
    Bytes(PyBackedBytes),
}

/// A JSONL record line, as text or as the bytes read from a file.
#[derive(FromPyObject)]
enum RecordLine {
    Text(PyBackedStr),
    Bytes(PyBackedBytes),
}

impl RecordLine {
    fn bytes(&self) -> &[u8] {
        match self {
            RecordLine::Text(text) => text.as_bytes(),
            RecordLine::Bytes(bytes) => bytes.as_ref(),
        }
    }
}

/// Line statistics: loaded from a file `boilerstrip learn` wrote, or counted here.
#[derive(FromPyObject)]
enum StatsArg<'py> {
    Stats(PyRef<'py, PyLineStats>),
    Path(PathBuf),
}

/// Per-site document frequencies of lines (`boilerstrip learn`). `merge` gives new statistics
/// (for a tree reduction); `update` adds to these in place, without copying them, as a
/// partition's counts grow. A cleaner built with them keeps the counts it was given.
#[pyclass(module = "boilerstrip._boilerstrip", name = "LineStats", eq)]
#[derive(PartialEq)]
struct PyLineStats {
    stats: Arc<LineStats>,
}

impl PyLineStats {
    fn wrap(stats: LineStats) -> Self {
        PyLineStats { stats: Arc::new(stats) }
    }
}

#[pymethods]
impl PyLineStats {
    #[new]
    fn new() -> Self {
        Self::wrap(LineStats::new())
    }

    /// Statistics from the bytes `to_bytes` (or a `learn` file) holds; damaged bytes are refused.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        LineStats::read_from(&mut &data[..])
            .map(Self::wrap)
            .map_err(|e| PyValueError::new_err(format!("line statistics: {e}")))
    }

    /// The statistics in the file format of `boilerstrip learn`.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let mut out = Vec::new();
        self.stats.write_to(&mut out)?;
        Ok(PyBytes::new(py, &out))
    }

    #[staticmethod]
    fn load(path: PathBuf) -> PyResult<Self> {
        read_stats(&path).map(Self::wrap)
    }

    /// Writes the statistics to `path` (for `boilerstrip clean --line-stats`), through a
    /// temporary file renamed at the end, so a failed write leaves no half file.
    fn save(&self, path: PathBuf) -> PyResult<()> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temporary = path.with_file_name(format!(".boilerstrip-{name}.{}.tmp", std::process::id()));
        let written = std::fs::File::create(&temporary).and_then(|file| {
            let mut out = std::io::BufWriter::new(file);
            self.stats.write_to(&mut out)?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()
        });
        let renamed = written.and_then(|()| std::fs::rename(&temporary, &path));
        if let Err(error) = renamed {
            let _ = std::fs::remove_file(&temporary);
            return Err(PyOSError::new_err(format!("{}: {error}", path.display())));
        }
        Ok(())
    }

    /// These counts and `other`'s added up: exact in any order or grouping, since counts only add.
    fn merge(&self, other: &PyLineStats) -> Self {
        let mut merged = (*self.stats).clone();
        merged.merge(&other.stats);
        Self::wrap(merged)
    }

    /// Adds `other`'s counts to these, in place.
    fn update(&mut self, other: &PyLineStats) {
        Arc::make_mut(&mut self.stats).merge(&other.stats);
    }

    /// Documents counted for `site`.
    fn documents(&self, site: &str) -> u32 {
        self.stats.site_documents(site)
    }

    /// Documents of `site` that contain `line`.
    fn count(&self, site: &str, line: &str) -> u32 {
        self.stats.count(site, line)
    }

    /// Pickled as its bytes, so Spark and multiprocessing can ship it.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let from_bytes = py.get_type::<PyLineStats>().getattr("from_bytes")?;
        Ok((from_bytes, PyTuple::new(py, [self.to_bytes(py)?])?))
    }
}

fn read_stats(path: &Path) -> PyResult<LineStats> {
    let file = std::fs::File::open(path).map_err(|e| PyOSError::new_err(format!("{}: {e}", path.display())))?;
    LineStats::read_from(&mut std::io::BufReader::new(file))
        .map_err(|e| PyValueError::new_err(format!("{}: {e}", path.display())))
}

/// How many threads a batch runs on.
enum Threads {
    /// Rayon's global pool: every core.
    All,
    /// The calling thread only, as a Spark task or a `datasets` worker wants.
    One,
    Pool(rayon::ThreadPool),
}

#[pyclass(module = "boilerstrip._boilerstrip", frozen)]
struct RustCleaner {
    cleaner: Cleaner,
    records: JsonlOptions,
    threads: Threads,
}

#[pymethods]
impl RustCleaner {
    #[new]
    #[pyo3(signature = (
        patterns=Vec::new(), line_stats=None, normalize="nfc", input_format="auto", encoding=None,
        min_docs=3, max_bytes=None, text_field="text", html_field=None, id_field="id",
        site_field="site", url_field="url", output_key="boilerstrip", threads=None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        patterns: Vec<PathBuf>,
        line_stats: Option<StatsArg>,
        normalize: &str,
        input_format: &str,
        encoding: Option<String>,
        min_docs: u32,
        max_bytes: Option<u64>,
        text_field: &str,
        html_field: Option<String>,
        id_field: &str,
        site_field: &str,
        url_field: &str,
        output_key: &str,
        threads: Option<usize>,
    ) -> PyResult<Self> {
        let mut builder = PatternsBuilder::defaults();
        for dir in &patterns {
            builder = builder.add_dir(dir).map_err(|e| PyValueError::new_err(format!("{}: {e:#}", dir.display())))?;
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
            Some(StatsArg::Stats(stats)) => Some(Arc::clone(&stats.stats)),
            Some(StatsArg::Path(path)) => Some(Arc::new(read_stats(&path)?)),
        };
        let defaults = Config::default();
        let max_bytes = max_bytes.unwrap_or(defaults.max_bytes);
        let config = Config { form, encoding, site_stats, min_docs, input_format, max_bytes, ..defaults };
        let records = JsonlOptions {
            text_is_html: html_field.is_some(),
            text_field: html_field.unwrap_or_else(|| text_field.to_owned()),
            id_field: id_field.to_owned(),
            site_field: site_field.to_owned(),
            url_field: url_field.to_owned(),
            output_key: output_key.to_owned(),
            max_record_bytes: max_bytes,
            ..JsonlOptions::default()
        };
        let threads = match threads {
            None | Some(0) => Threads::All,
            Some(1) => Threads::One,
            Some(n) => Threads::Pool(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| PyOSError::new_err(e.to_string()))?,
            ),
        };
        Ok(RustCleaner { cleaner: Cleaner::new(patterns, config), records, threads })
    }

    /// The record of one page as JSON, or the kind of failure and the reason.
    #[pyo3(signature = (page, site=None, name="", removed=false))]
    fn clean_json(&self, py: Python<'_>, page: Page, site: Option<String>, name: &str, removed: bool) -> Outcome {
        py.allow_threads(|| outcome(clean_page(&self.cleaner, &page, site.as_deref(), name, removed)))
    }

    /// The records of many pages, cleaned without the GIL, in order: for each page its JSON
    /// record, or the kind of failure and the reason.
    #[pyo3(signature = (pages, sites=None, names=None, removed=false))]
    fn clean_batch_json(
        &self,
        py: Python<'_>,
        pages: Vec<Page>,
        sites: Option<Vec<Option<String>>>,
        names: Option<Vec<String>>,
        removed: bool,
    ) -> PyResult<Vec<Outcome>> {
        let batch = Batch::new(pages, sites, names)?;
        Ok(py.allow_threads(|| {
            self.map(batch.len(), |i| {
                let (page, site, name) = batch.page(i);
                outcome(clean_page(&self.cleaner, page, site, name, removed))
            })
        }))
    }

    /// JSONL record lines cleaned as `clean --jsonl` cleans them, in order: each record's output
    /// line (without its newline), or the kind of failure and the reason. `first_line` numbers
    /// the lines for records without an id.
    #[pyo3(signature = (lines, source="-", first_line=1, removed=false))]
    fn clean_records(
        &self,
        py: Python<'_>,
        lines: Vec<RecordLine>,
        source: &str,
        first_line: usize,
        removed: bool,
    ) -> Vec<Outcome> {
        let options = JsonlOptions { include_removed: removed, ..self.records.clone() };
        py.allow_threads(|| {
            self.map(lines.len(), |i| {
                outcome(clean_record(&self.cleaner, lines[i].bytes(), first_line + i, source, &options).map(
                    |mut out| {
                        out.pop();
                        // Rendered from JSON strings and UTF-8 input, the line is UTF-8.
                        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
                    },
                ))
            })
        })
    }

    /// The line statistics of pages, counted as `learn` counts them; a page's site is given, or
    /// the name it shows. Pages that cannot be decoded count for nothing (`clean` reports them).
    #[pyo3(signature = (pages, sites=None, names=None))]
    fn learn(
        &self,
        py: Python<'_>,
        pages: Vec<Page>,
        sites: Option<Vec<Option<String>>>,
        names: Option<Vec<String>>,
    ) -> PyResult<PyLineStats> {
        let batch = Batch::new(pages, sites, names)?;
        let counted = py.allow_threads(|| {
            self.map(batch.len(), |i| {
                let (page, site, name) = batch.page(i);
                match page {
                    Page::Bytes(bytes) => page_stats(&self.cleaner, name, bytes, site).ok(),
                    Page::Text(text) => Some(decoded_page_stats(&self.cleaner, name, text, site)),
                }
            })
        });
        Ok(PyLineStats::wrap(sum(counted)))
    }

    /// The line statistics of JSONL record lines, as `learn --jsonl` counts them; records that
    /// cannot be read count for nothing (`clean_records` reports them).
    fn learn_records(&self, py: Python<'_>, lines: Vec<RecordLine>) -> PyLineStats {
        let counted = py.allow_threads(|| {
            self.map(lines.len(), |i| record_stats(&self.cleaner, lines[i].bytes(), &self.records).ok())
        });
        PyLineStats::wrap(sum(counted))
    }
}

impl RustCleaner {
    /// `work` for 0..count, in order, on the threads asked for.
    fn map<T: Send>(&self, count: usize, work: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
        match &self.threads {
            Threads::All => (0..count).into_par_iter().map(work).collect(),
            Threads::One => (0..count).map(work).collect(),
            Threads::Pool(pool) => pool.install(|| (0..count).into_par_iter().map(work).collect()),
        }
    }
}

/// A cleaned page or record (`ok`, its JSON), or a failure (`ok` false, its kind and reason).
type Outcome = (bool, String, &'static str);

fn outcome(result: Result<String, InputError>) -> Outcome {
    match result {
        Ok(json) => (true, json, ""),
        Err(error) => (false, error.to_string(), error.kind()),
    }
}

fn sum(counted: Vec<Option<LineStats>>) -> LineStats {
    let mut total = LineStats::new();
    for one in counted.iter().flatten() {
        total.merge(one);
    }
    total
}

/// Pages with, optionally, each one's site and file name.
struct Batch {
    pages: Vec<Page>,
    sites: Option<Vec<Option<String>>>,
    names: Option<Vec<String>>,
}

impl Batch {
    fn new(pages: Vec<Page>, sites: Option<Vec<Option<String>>>, names: Option<Vec<String>>) -> PyResult<Self> {
        for (what, len) in [("sites", sites.as_ref().map(Vec::len)), ("names", names.as_ref().map(Vec::len))] {
            if len.is_some_and(|len| len != pages.len()) {
                return Err(PyValueError::new_err(format!("{what} must have one entry per page")));
            }
        }
        Ok(Batch { pages, sites, names })
    }

    fn len(&self) -> usize {
        self.pages.len()
    }

    /// Page `i`, its site (if given) and its name ("" if not).
    fn page(&self, i: usize) -> (&Page, Option<&str>, &str) {
        let site = self.sites.as_ref().and_then(|s| s[i].as_deref());
        let name = self.names.as_ref().map_or("", |n| n[i].as_str());
        (&self.pages[i], site, name)
    }
}

fn clean_page(
    cleaner: &Cleaner,
    page: &Page,
    site: Option<&str>,
    name: &str,
    removed: bool,
) -> Result<String, InputError> {
    let id = Path::new(name).file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let doc = match page {
        Page::Bytes(bytes) => cleaner.clean_bytes_in_site(&id, name, bytes, site)?,
        Page::Text(text) => {
            let mut doc = cleaner.clean_decoded_in_site(&id, name, text, site)?;
            doc.bytes_in = text.len();
            doc
        }
    };
    let mut json = Vec::new();
    Record::from_document(&doc, removed).write_json(&mut json).map_err(|e| InputError::Internal(e.to_string()))?;
    String::from_utf8(json).map_err(|e| InputError::Internal(e.to_string()))
}

/// The lines of a JSONL file's bytes, decompressed as its name's extension says (`.gz`, `.zst`),
/// one at a time: for compressed files that a reader (Spark without native zstd) cannot open.
#[pyclass(module = "boilerstrip._boilerstrip", name = "RecordLines")]
struct PyRecordLines {
    // Behind a lock only to be `Sync`, as Python objects must be: one thread iterates.
    reader: std::sync::Mutex<Box<dyn BufRead + Send>>,
    name: String,
}

#[pymethods]
impl PyRecordLines {
    #[new]
    fn new(data: PyBackedBytes, name: String) -> PyResult<Self> {
        let compression = Compression::of(Path::new(&name));
        let reader = decompressing(std::io::Cursor::new(data), compression)
            .map_err(|e| PyOSError::new_err(format!("{name}: {e}")))?;
        Ok(PyRecordLines { reader: std::sync::Mutex::new(reader), name })
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// The next line, without its newline; a stream that breaks off (a truncated file) raises
    /// `OSError` naming the file.
    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let mut line = Vec::new();
        let mut reader = self.reader.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => Ok(None),
            Ok(_) => {
                if line.last() == Some(&b'\n') {
                    line.pop();
                }
                Ok(Some(PyBytes::new(py, &line)))
            }
            Err(e) => Err(PyOSError::new_err(format!("{}: {e}", self.name))),
        }
    }
}

/// The site a URL names, as JSONL records without a site field are grouped for line statistics:
/// its host in lower case, without `www.`.
#[pyfunction]
fn site_of_url(url: &str) -> Option<String> {
    boilerstrip::site_stats::site_of_url(url)
}

#[pymodule]
fn _boilerstrip(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<RustCleaner>()?;
    module.add_class::<PyLineStats>()?;
    module.add_class::<PyRecordLines>()?;
    module.add_function(wrap_pyfunction!(site_of_url, module)?)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
