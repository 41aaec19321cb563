//! Why a line is kept or removed: the features, the pattern hits (with the file and line that
//! define them) and the decision, for one line alone or for a line in its page. The decision is
//! the classifier's own (`Line::reason`, `classify::describe`), never decided here again.

use std::fmt::Write as _;

use crate::document::{Document, Line, Reason, Verdict};
use crate::pipeline::Cleaner;
use crate::stage::classify::{self, decisive_rule};
use crate::stage::features::{self, content_score, Features, Shape};
use crate::stage::html::{mark, LineStructure};
use crate::stage::model::{self, LineModel, Vector};
use crate::stage::normalize;

/// Explains `text` as a line on its own, with the stopwords of `lang`.
pub fn explain_line(cleaner: &Cleaner, text: &str, lang: &str) -> String {
    let text = normalize::normalize(text, cleaner.config().form);
    let text = text.lines().next().unwrap_or("").to_string();
    let stopwords = cleaner.patterns().stopwords(lang);
    let features = features::line_features(&text, cleaner.patterns(), stopwords);
    let mut out = String::new();
    let _ = writeln!(out, "line:      {text:?}");
    let _ = writeln!(
        out,
        "language:  {lang}{}",
        if stopwords.is_some() { "" } else { " (no stopword list: stopword share not used)" }
    );
    let settings = &cleaner.config().classify;
    let alone = [Line { number: 1, text: text.clone(), verdict: Verdict::Pending, reason: Reason::Unclassified }];
    let score = line_score(cleaner, &alone, std::slice::from_ref(&Some(features.clone())), 0);
    describe_features(cleaner, &text, &features, score, &mut out);
    // Alone, a line has no region: only a rule that decides whatever the context can decide it.
    let decision = match decisive_rule(&features, settings) {
        Some(rule) => classify::describe(Verdict::Removed(rule), Reason::Decisive, settings),
        None => format!(
            "no rule removes it outright; with content score {:.1} it is {} inside the article region \
             (the page decides the region: use --file and --line to see it)",
            score,
            if score >= settings.keep_threshold {
                "kept"
            } else {
                "removed unless it sits between paragraphs as a subheading"
            }
        ),
    };
    let _ = writeln!(out, "decision:  {decision}");
    out
}

/// Explains line `number` (1-based) of a page.
pub fn explain_in_page(cleaner: &Cleaner, source: &str, bytes: &[u8], number: usize) -> Result<String, String> {
    let doc = cleaner.clean_bytes(source, source, bytes).map_err(|e| e.to_string())?;
    let Some(index) = doc.lines.iter().position(|l| l.number == number) else {
        if (1..doc.lines_in()).contains(&number) {
            // Inside a run of blank lines, which is one `Line` numbered as its last.
            return Err(format!("{source}:{number} is blank (a paragraph break, neither kept nor removed)"));
        }
        return Err(format!("{source} has {} lines, no line {number}", doc.lines_in()));
    };
    let line = &doc.lines[index];
    if line.is_blank() {
        return Err(format!("{source}:{number} is blank (a paragraph break, neither kept nor removed)"));
    }
    let lines = page_lines(&doc);
    let (lang, features) = features::page_features(&lines, cleaner.patterns());
    let Some(f) = &features[index] else { return Err(format!("{source}:{number} is blank")) };
    let mut out = String::new();
    let _ = writeln!(out, "line:      {source}:{number}: {:?}", line.text);
    let _ = writeln!(
        out,
        "language:  page {}, body {}",
        lang.unwrap_or("unknown"),
        doc.metadata.lang.as_deref().unwrap_or("unknown")
    );
    let model = cleaner.config().classify.model_for(&doc.structure);
    let vector = model::vectors(&lines, &features, &doc.structure)[index];
    describe_features(cleaner, &line.text, f, vector.as_ref().map_or(0.0, |v| model.score(v)), &mut out);
    if let Some(vector) = &vector {
        let _ = writeln!(out, "weighing:  {}", weighing(model, vector));
    }
    if let Some(structure) = doc.structure.get(index) {
        let _ = writeln!(out, "markup:    {}", describe_structure(structure));
    }
    let _ = writeln!(
        out,
        "region:    {}",
        match doc.region {
            Some((first, last)) => format!(
                "lines {first}-{last}; this line is {}",
                if (first..=last).contains(&number) { "inside" } else { "outside" }
            ),
            None => "none (no stretch of the page reads like an article)".to_string(),
        }
    );
    let decision = classify::describe(line.verdict, line.reason, &cleaner.config().classify);
    let _ = writeln!(out, "decision:  {decision}");
    Ok(out)
}

/// The lines as the classifier saw them (verdicts reset), so features are recomputed alike.
fn page_lines(doc: &Document) -> Vec<Line> {
    doc.lines
        .iter()
        .map(|l| Line {
            verdict: if l.is_blank() { Verdict::Blank } else { Verdict::Pending },
            reason: Reason::Unclassified,
            ..l.clone()
        })
        .collect()
}

/// The line model's score of line `index` of a text page, which also weighs the lines around it.
fn line_score(cleaner: &Cleaner, lines: &[Line], features: &[Option<Features>], index: usize) -> f32 {
    model::vectors(lines, features, &[])[index].as_ref().map_or(0.0, |v| cleaner.config().classify.model.score(v))
}

/// The features that move `model`'s score of a line with `vector` most, with what each adds.
fn weighing(model: &LineModel, vector: &Vector) -> String {
    let mut terms: Vec<(&str, f32)> =
        model.features.iter().zip(&model.weights).zip(vector).map(|((name, w), x)| (name.as_str(), w * x)).collect();
    terms.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    let mut parts: Vec<String> = terms.iter().take(6).map(|(name, term)| format!("{name} {term:+.2}")).collect();
    parts.push(format!("bias {:+.2}", model.bias));
    parts.join(", ")
}

fn describe_features(cleaner: &Cleaner, text: &str, f: &Features, score: f32, out: &mut String) {
    let matches = cleaner.patterns().matches(text);
    if matches.is_empty() {
        let _ = writeln!(out, "patterns:  none match");
    }
    for (i, listed) in matches.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}{} ({}) {}  {}",
            if i == 0 { "patterns:  " } else { "           " },
            listed.kind,
            listed.lang,
            listed.origin,
            listed.pattern
        );
    }
    let percent = |share: Option<f32>| share.map_or("n/a".to_string(), |s| format!("{:.0}%", 100.0 * s));
    let _ = writeln!(
        out,
        "features:  {} words, {} chars, sentence end {}, stopwords {}, capitalised {}, url {}, \
         occurs {}x in page, shape {}, in a run of short lines {}",
        f.words,
        f.chars,
        yes_no(f.terminal),
        percent(f.stopword_share),
        percent(Some(f.capitalised_share)),
        yes_no(f.has_url),
        f.occurrences,
        match f.shape {
            Shape::Text => "text",
            Shape::Counter => "counter (numbers only)",
            Shape::Timestamp => "timestamp (date/time only)",
        },
        yes_no(f.in_headline_run)
    );
    let _ = writeln!(
        out,
        "score:     {score:.1} from the line model, {:.1} from the hand-set rules alone (a line counts as \
         content at 0 or above)",
        content_score(f)
    );
}

/// What an HTML page's markup says of a line, as `explain` shows it.
fn describe_structure(s: &LineStructure) -> String {
    const NAMES: &[(u32, &str)] = &[
        (mark::LIST_ITEM, "list item"),
        (mark::TABLE_CELL, "table cell"),
        (mark::PARAGRAPH, "paragraph"),
        (mark::CAPTION, "figure or caption"),
        (mark::ARTICLE, "in <article>/<main>"),
        (mark::NAV, "in <nav>"),
        (mark::HEADER, "in <header>"),
        (mark::FOOTER, "in <footer>"),
        (mark::ASIDE, "in <aside>"),
        (mark::FORM, "in a form"),
        (mark::BUTTON, "in a button"),
        (mark::CLASS_NAV, "class/id: navigation"),
        (mark::CLASS_FOOTER, "class/id: footer"),
        (mark::CLASS_RELATED, "class/id: related"),
        (mark::CLASS_SHARE, "class/id: share"),
        (mark::CLASS_COMMENT, "class/id: comment"),
        (mark::CLASS_SIDEBAR, "class/id: sidebar"),
        (mark::CLASS_PROMO, "class/id: promotion"),
        (mark::CLASS_COOKIE, "class/id: cookie"),
        (mark::CLASS_CONTENT, "class/id: content"),
        (mark::CLASS_BYLINE, "class/id: byline"),
        (mark::CLASS_CAPTION, "class/id: caption"),
        (mark::CLASS_HIDDEN, "hidden"),
        (mark::MAIN_CONTAINER, "in the main container"),
    ];
    let mut parts: Vec<String> = Vec::new();
    if s.heading > 0 {
        parts.push(format!("heading h{}", s.heading));
    }
    parts.extend(NAMES.iter().filter(|(bits, _)| s.has(*bits)).map(|(_, name)| name.to_string()));
    parts.push(format!("link density {:.2}", s.link_density()));
    parts.push(format!("container score {}% of the page's best", s.container));
    parts.join(", ")
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}
