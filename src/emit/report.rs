//! The HTML run report: one self-contained page (inline CSS, JS and SVG; nothing fetched) that
//! summarises a run and lets a reader search every document's diff.
//!
//! Charts and tables are rendered here as static HTML/SVG, so they show even with scripts off;
//! the per-document diffs are embedded as JSON and drawn by a small script when a document is
//! opened, which keeps the page light for runs of thousands of pages.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Seek, Write};

use serde::Serialize;

use crate::document::{Document, Verdict};

/// What the report keeps of one document: the figures the page's tables and charts add up, and
/// its diff, already in the JSON the page embeds. Made in the worker that cleaned the document,
/// so that the run's thread only adds figures and appends bytes.
#[derive(Debug, Clone)]
pub struct ReportEntry {
    summary: Summary,
    /// The document as the page's script reads it, `</` escaped for a `<script>` element.
    json: String,
}

/// A document's figures.
#[derive(Debug, Clone, Serialize)]
struct Summary {
    source: String,
    lang: Option<String>,
    encoding: String,
    title: Option<String>,
    bytes_in: usize,
    bytes_out: usize,
    lines_total: usize,
    lines_kept: usize,
    removed_by_rule: BTreeMap<String, usize>,
}

/// A document as the page's script reads it: its figures and its non-blank lines as (line
/// number, text, rule; `None` when kept).
#[derive(Serialize)]
struct EntryJson<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    lines: Vec<(usize, &'a str, Option<&'static str>)>,
}

impl ReportEntry {
    pub fn from_document(doc: &Document) -> Self {
        let lines: Vec<(usize, &str, Option<&'static str>)> = doc
            .lines
            .iter()
            .filter(|l| !l.is_blank())
            .map(|l| {
                let rule = match l.verdict {
                    Verdict::Removed(rule) => Some(rule),
                    _ => None,
                };
                (l.number, l.text.as_str(), rule)
            })
            .collect();
        let summary = Summary {
            source: doc.source.clone(),
            lang: doc.metadata.lang.clone(),
            encoding: doc.encoding.to_string(),
            title: doc.metadata.title.clone(),
            bytes_in: doc.bytes_in,
            bytes_out: doc.text().len(),
            lines_total: lines.len(),
            lines_kept: doc.lines_kept(),
            removed_by_rule: doc.removed_by_rule().into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        };
        // JSON inside <script> must not contain "</": escape the slash.
        let json = serde_json::to_string(&EntryJson { summary: &summary, lines })
            .unwrap_or_else(|_| "{}".into())
            .replace("</", "<\\/");
        ReportEntry { summary, json }
    }
}

impl Summary {
    /// Share of non-blank lines removed, 0..=1.
    fn removed_share(&self) -> f64 {
        if self.lines_total == 0 {
            0.0
        } else {
            1.0 - self.lines_kept as f64 / self.lines_total as f64
        }
    }
}

/// Documents listed in "Where the most was removed".
const MOST_REMOVED: usize = 20;
/// Failed inputs listed by name; the rest are counted.
const FAILURES_LISTED: usize = 1000;

/// A run's report, built as documents come: the figures are summed at once, and each
/// document's diff goes to a temporary file, so memory stays flat whatever the run's size.
#[derive(Debug)]
pub struct Report {
    documents: usize,
    bytes_in: u64,
    bytes_out: u64,
    lines_total: usize,
    lines_kept: usize,
    /// Documents by tenth of their lines removed.
    histogram: [usize; 10],
    removed_by_rule: BTreeMap<String, usize>,
    languages: BTreeMap<String, usize>,
    encodings: BTreeMap<String, usize>,
    /// (position in the run, figures) of the documents with the largest share removed, most
    /// first, earlier first among equals.
    most_removed: Vec<(usize, Summary)>,
    /// (source, error message) of the first inputs that failed, and how many failed in all.
    failures: Vec<(String, String)>,
    failed: usize,
    /// Every document's JSON, comma-separated, in order.
    diffs: BufWriter<std::fs::File>,
}

impl Report {
    /// An empty report; its diffs go to an anonymous temporary file.
    pub fn new() -> io::Result<Self> {
        Ok(Self {
            documents: 0,
            bytes_in: 0,
            bytes_out: 0,
            lines_total: 0,
            lines_kept: 0,
            histogram: [0; 10],
            removed_by_rule: BTreeMap::new(),
            languages: BTreeMap::new(),
            encodings: BTreeMap::new(),
            most_removed: Vec::new(),
            failures: Vec::new(),
            failed: 0,
            diffs: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
        })
    }

    /// Adds the next document of the run.
    pub fn add(&mut self, entry: ReportEntry) -> io::Result<()> {
        let ReportEntry { summary, json } = entry;
        if self.documents > 0 {
            self.diffs.write_all(b",")?;
        }
        self.diffs.write_all(json.as_bytes())?;
        self.bytes_in += summary.bytes_in as u64;
        self.bytes_out += summary.bytes_out as u64;
        self.lines_total += summary.lines_total;
        self.lines_kept += summary.lines_kept;
        self.histogram[((summary.removed_share() * 10.0) as usize).min(9)] += 1;
        for (rule, n) in &summary.removed_by_rule {
            *self.removed_by_rule.entry(rule.clone()).or_default() += n;
        }
        *self.languages.entry(summary.lang.clone().unwrap_or_else(|| "unknown".into())).or_default() += 1;
        *self.encodings.entry(summary.encoding.clone()).or_default() += 1;
        let share = summary.removed_share();
        let at = self.most_removed.partition_point(|(_, other)| other.removed_share() >= share);
        if at < MOST_REMOVED {
            self.most_removed.insert(at, (self.documents, summary));
            self.most_removed.truncate(MOST_REMOVED);
        }
        self.documents += 1;
        Ok(())
    }

    /// Adds an input that failed.
    pub fn add_failure(&mut self, source: String, error: String) {
        if self.failures.len() < FAILURES_LISTED {
            self.failures.push((source, error));
        }
        self.failed += 1;
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

const STYLE: &str = r#"
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d232a;background:#f6f7f9}
header{background:#1d2b3a;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.8}
main{padding:20px 28px;max-width:1200px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border-radius:8px;padding:12px 16px;min-width:140px;box-shadow:0 1px 2px #0002}
.card b{display:block;font-size:22px}.card span{color:#5b6670;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
section{background:#fff;border-radius:8px;padding:14px 18px;margin:16px 0;box-shadow:0 1px 2px #0002}
h2{font-size:16px;margin:0 0 10px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
table{border-collapse:collapse;width:100%}td,th{padding:3px 8px;border-bottom:1px solid #eceff2;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
#search{width:100%;padding:8px;font-size:14px;border:1px solid #c9d0d6;border-radius:6px;margin-bottom:10px;box-sizing:border-box}
details{border-bottom:1px solid #eceff2;padding:4px 0}summary{cursor:pointer}summary small{color:#5b6670}
.diff{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;margin:6px 0 10px;border-left:3px solid #d6dde3;padding-left:8px}
.diff .rm{color:#a3262b;background:#fdf0f0}.diff .kp{color:#1d232a}.diff .rule{color:#8a6d00;font-weight:600}
.diff .num{color:#8c98a4;display:inline-block;width:4.5em}
svg text{font:11px system-ui,sans-serif;fill:#39424a}.failures li{font-family:ui-monospace,monospace;font-size:12px}
"#;

const SCRIPT: &str = r#"
window.addEventListener('error', function (e) { document.body.dataset.error = String(e.message); });
(function () {
  var docs = JSON.parse(document.getElementById('docs').textContent);
  var list = document.getElementById('doclist');
  var search = document.getElementById('search');
  var count = document.getElementById('shown');
  function esc(s) { return s.replace(/[&<>"]/g, function (c) { return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]; }); }
  function diffHtml(d) {
    return d.lines.map(function (l) {
      var cls = l[2] ? 'rm' : 'kp';
      var rule = l[2] ? ' <span class="rule">[' + esc(l[2]) + ']</span>' : '';
      return '<div class="' + cls + '"><span class="num">' + (l[2] ? '-' : ' ') + l[0] + '</span>' + esc(l[1]) + rule + '</div>';
    }).join('');
  }
  docs.forEach(function (d, i) {
    var el = document.createElement('details');
    el.id = 'doc-' + i;
    var pct = d.lines_total ? Math.round(100 * (1 - d.lines_kept / d.lines_total)) : 0;
    el.innerHTML = '<summary>' + esc(d.source) + ' <small>' + (d.lang || '?') + ', ' + d.encoding + ', kept ' +
      d.lines_kept + ' of ' + d.lines_total + ' lines (' + pct + '% removed)</small></summary><div class="diff"></div>';
    el.addEventListener('toggle', function () {
      var box = el.querySelector('.diff');
      if (el.open && !box.dataset.filled) { box.innerHTML = diffHtml(d); box.dataset.filled = '1'; }
    });
    d.haystack = (d.source + '\n' + (d.title || '') + '\n' + d.lines.map(function (l) { return l[1]; }).join('\n')).toLowerCase();
    d.el = el;
    list.appendChild(el);
  });
  function filter() {
    var q = search.value.trim().toLowerCase(), n = 0;
    docs.forEach(function (d) { var hit = !q || d.haystack.indexOf(q) >= 0; d.el.style.display = hit ? '' : 'none'; if (hit) n++; });
    count.textContent = n + ' of ' + docs.length;
  }
  search.addEventListener('input', filter);
  filter();
  if (location.hash) { var t = document.getElementById(location.hash.slice(1)); if (t) t.open = true; }
  document.body.dataset.rendered = 'yes';
})();
"#;

impl Report {
    /// Writes the whole report as one HTML page.
    pub fn write_html(self, out: &mut dyn Write) -> io::Result<()> {
        let removed_pct =
            if self.lines_total == 0 { 0.0 } else { 100.0 * (1.0 - self.lines_kept as f64 / self.lines_total as f64) };
        let mut html = String::with_capacity(64 * 1024);
        html.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.push_str("<title>boilerstrip report</title><style>");
        html.push_str(STYLE);
        html.push_str("</style></head><body>");
        let _ = write!(
            html,
            "<header><h1>boilerstrip report</h1><p>{} documents cleaned, {} failed</p></header><main>",
            self.documents, self.failed
        );
        html.push_str("<div class=\"cards\">");
        for (value, label) in [
            (self.documents.to_string(), "documents"),
            (self.failed.to_string(), "failed"),
            (human_bytes(self.bytes_in), "bytes in"),
            (human_bytes(self.bytes_out), "bytes out"),
            (format!("{removed_pct:.1}%"), "lines removed"),
            (self.lines_kept.to_string(), "lines kept"),
        ] {
            let _ = write!(html, "<div class=\"card\"><b>{}</b><span>{label}</span></div>", escape(&value));
        }
        html.push_str("</div>");

        html.push_str("<div class=\"grid\"><section><h2>Share of lines removed per document</h2>");
        html.push_str(&histogram(&self.histogram));
        html.push_str("</section><section><h2>Removals by rule</h2>");
        html.push_str(&rule_bars(&self.removed_by_rule));
        html.push_str("</section></div>");

        html.push_str("<div class=\"grid\"><section><h2>Languages</h2>");
        html.push_str(&count_table(&self.languages));
        html.push_str("</section><section><h2>Encodings</h2>");
        html.push_str(&count_table(&self.encodings));
        html.push_str("</section></div>");

        html.push_str("<section><h2>Where the most was removed</h2><table><tr><th>document</th><th>lines kept</th><th>removed</th><th>bytes in</th><th>bytes out</th></tr>");
        for (i, d) in &self.most_removed {
            let _ = write!(
                html,
                "<tr><td><a href=\"#doc-{i}\" onclick=\"document.getElementById('doc-{i}').open=true\">{}</a></td><td class=\"n\">{} / {}</td><td class=\"n\">{:.0}%</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&d.source),
                d.lines_kept,
                d.lines_total,
                100.0 * d.removed_share(),
                d.bytes_in,
                d.bytes_out
            );
        }
        html.push_str("</table></section>");

        if !self.failures.is_empty() {
            html.push_str("<section><h2>Failed inputs</h2><ul class=\"failures\">");
            for (source, error) in &self.failures {
                let _ = write!(html, "<li>{}: {}</li>", escape(source), escape(error));
            }
            if self.failed > self.failures.len() {
                let _ = write!(html, "<li>and {} more (see --errors)</li>", self.failed - self.failures.len());
            }
            html.push_str("</ul></section>");
        }

        html.push_str("<section><h2>Documents <small id=\"shown\"></small></h2>");
        html.push_str("<input id=\"search\" type=\"search\" placeholder=\"Search sources, titles and lines\">");
        html.push_str("<div id=\"doclist\"></div></section></main>");
        html.push_str("<script type=\"application/json\" id=\"docs\">[");
        out.write_all(html.as_bytes())?;
        let mut diffs = self.diffs.into_inner().map_err(io::IntoInnerError::into_error)?;
        diffs.rewind()?;
        io::copy(&mut diffs, out)?;
        out.write_all(b"]</script><script>")?;
        out.write_all(SCRIPT.as_bytes())?;
        out.write_all(b"</script></body></html>\n")
    }
}

fn histogram(bins: &[usize; 10]) -> String {
    let max = bins.iter().copied().max().unwrap_or(0).max(1);
    let (width, height, bar) = (420.0, 160.0, 38.0);
    let mut svg =
        format!("<svg viewBox=\"0 0 {width} {}\" width=\"100%\" role=\"img\" aria-label=\"histogram\">", height + 30.0);
    for (i, &n) in bins.iter().enumerate() {
        let h = height * n as f64 / max as f64;
        let x = 6.0 + i as f64 * (bar + 4.0);
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h}\" fill=\"#4c78a8\"><title>{}-{}%: {n} documents</title></rect>",
            height - h,
            i * 10,
            i * 10 + 10
        );
        if n > 0 {
            let _ = write!(
                svg,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{n}</text>",
                x + bar / 2.0,
                (height - h - 3.0).max(10.0)
            );
        }
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}%</text>",
            x + bar / 2.0,
            height + 14.0,
            i * 10
        );
    }
    svg.push_str("</svg>");
    svg
}

fn rule_bars(totals: &BTreeMap<String, usize>) -> String {
    let mut rows: Vec<(&str, usize)> = totals.iter().map(|(rule, &n)| (rule.as_str(), n)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let max = rows.first().map_or(1, |r| r.1.max(1));
    let row_h = 18.0;
    let mut svg = format!(
        "<svg viewBox=\"0 0 420 {}\" width=\"100%\" role=\"img\" aria-label=\"removals by rule\">",
        row_h * rows.len().max(1) as f64 + 4.0
    );
    for (i, (rule, n)) in rows.iter().enumerate() {
        let y = i as f64 * row_h;
        let w = 250.0 * *n as f64 / max as f64;
        let _ = write!(
            svg,
            "<text x=\"110\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"116\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"#e45756\"/><text x=\"{}\" y=\"{}\">{n}</text>",
            y + 13.0,
            escape(rule),
            y + 3.0,
            row_h - 5.0,
            120.0 + w,
            y + 13.0
        );
    }
    svg.push_str("</svg>");
    svg
}

fn count_table(counts: &BTreeMap<String, usize>) -> String {
    let mut rows: Vec<(&String, usize)> = counts.iter().map(|(value, &n)| (value, n)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut html = String::from("<table>");
    for (value, n) in rows {
        let _ = write!(html, "<tr><td>{}</td><td class=\"n\">{n}</td></tr>", escape(value));
    }
    html.push_str("</table>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Line, Reason};

    /// A document of `kept` kept lines out of 10.
    fn entry(source: &str, kept: usize) -> ReportEntry {
        let lines = (0..10)
            .map(|i| Line {
                number: i + 1,
                text: format!("line {i}"),
                verdict: if i < kept { Verdict::Content } else { Verdict::Removed("nav") },
                reason: Reason::Unclassified,
            })
            .collect();
        ReportEntry::from_document(&Document { source: source.into(), encoding: "UTF-8", lines, ..Document::default() })
    }

    #[test]
    fn the_most_removed_are_the_top_twenty_by_share_earlier_first_among_equals() {
        let mut report = Report::new().unwrap();
        let kept: Vec<usize> = (0..60).map(|i| (i * 7) % 11 % 10).collect();
        for (i, &k) in kept.iter().enumerate() {
            report.add(entry(&format!("d{i}"), k)).unwrap();
        }
        let mut expected: Vec<usize> = (0..kept.len()).collect();
        expected.sort_by(|&a, &b| kept[a].cmp(&kept[b]).then(a.cmp(&b)));
        let found: Vec<usize> = report.most_removed.iter().map(|(i, _)| *i).collect();
        assert_eq!(found, expected[..MOST_REMOVED]);
        let mut html = Vec::new();
        report.write_html(&mut html).unwrap();
        let html = String::from_utf8(html).unwrap();
        // Every document's diff is in the page, in order, from the temporary file.
        let data = &html[html.find("id=\"docs\">").unwrap()..];
        let json: serde_json::Value = serde_json::from_str(&data[10..data.find("</script>").unwrap()]).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 60);
        assert_eq!(json[59]["source"], "d59");
    }

    #[test]
    fn report_is_self_contained_and_escapes_text() {
        let doc = Document {
            source: "a<b>.txt".into(),
            encoding: "UTF-8",
            lines: vec![
                Line {
                    number: 1,
                    text: "</script><script>alert(1)</script>".into(),
                    verdict: Verdict::Removed("nav"),
                    reason: Reason::Decisive,
                },
                Line { number: 2, text: "Body & soul.".into(), verdict: Verdict::Content, reason: Reason::Prose },
            ],
            ..Document::default()
        };
        let mut report = Report::new().unwrap();
        report.add(ReportEntry::from_document(&doc)).unwrap();
        report.add_failure("x.png".into(), "binary".into());
        let mut html = Vec::new();
        report.write_html(&mut html).unwrap();
        let html = String::from_utf8(html).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(!html.contains("http://") && !html.contains("https://"), "no network fetches");
        assert!(!html.contains("</script><script>alert"));
        assert!(html.contains("a&lt;b&gt;.txt"));
        assert!(html.contains("Removals by rule"));
        assert!(html.contains("x.png: binary"));
    }
}
