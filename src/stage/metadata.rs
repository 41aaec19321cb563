//! Metadata: title, date, author, site, language and tags, read from the lines around the body.
//!
//! The classifier has already found the article; metadata lives in its margins. The title is a
//! headline-like line above the body (a line repeated there, as pages print the headline in both
//! `<title>` and `<h1>`, wins); the date and the author come from the byline block just above or
//! just below the body, never from the body itself and never from a headline list further away,
//! whose timestamps belong to other articles. Lines used for metadata are relabelled (`title`,
//! `date`, `author`) so a diff shows where they went.

use rustc_hash::FxHashMap;

use crate::document::{Document, Line, Metadata, Reason, Verdict};
use crate::patterns::{kinds, phrase_key, Patterns};
use crate::stage::classify::{rule, Classification};
use crate::stage::html::HtmlMeta;
use crate::stage::{features, language};

/// Puts what an HTML page's markup declares over what its text shows: the markup's title
/// (`og:title`), date, author, site name and tags are what the publisher says; the text's are
/// guesses. The language stays the one detected from the body, since templates often declare
/// the site's main language on pages in another; `lang` is used when none was detected.
pub fn declared(meta: &mut Metadata, html: &HtmlMeta, patterns: &Patterns) {
    let or_keep = |slot: &mut Option<String>, value: Option<String>| {
        if value.is_some() {
            *slot = value;
        }
    };
    or_keep(&mut meta.title, html.title.clone());
    if meta.title.is_none() {
        meta.title = html.head_title.as_deref().map(|t| split_title_site(t).map_or_else(|| t.to_string(), |(t, _)| t));
    }
    or_keep(&mut meta.date, html.date.as_deref().and_then(|date| iso_date(date, patterns)));
    or_keep(&mut meta.author, html.author.clone());
    or_keep(&mut meta.site, html.site.clone());
    if meta.lang.is_none() {
        meta.lang = html.lang.as_deref().and_then(primary_language);
    }
    meta.url = html.url.clone();
    if !html.tags.is_empty() {
        meta.tags = html.tags.clone();
    }
}

/// `YYYY-MM-DD` of a declared date: an ISO 8601 date or date-time, or a date the patterns read.
fn iso_date(date: &str, patterns: &Patterns) -> Option<String> {
    let b = date.as_bytes();
    let iso = b.len() >= 10
        && b[..4].iter().chain(&b[5..7]).chain(&b[8..10]).all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-';
    if iso {
        Some(date[..10].to_string())
    } else {
        patterns.find_date(date)
    }
}

/// `en` of `en-US`: the primary subtag of a language tag, when it is a two-letter code.
fn primary_language(tag: &str) -> Option<String> {
    let primary = tag.split(['-', '_']).next()?.trim();
    (primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_alphabetic())).then(|| primary.to_ascii_lowercase())
}

/// How far above the body a byline block may start, in non-blank lines.
const HEADER_REACH: usize = 12;
/// How far below the body the metadata search looks, in non-blank lines.
const FOOTER_REACH: usize = 4;

/// Fill `doc.metadata` from the classified lines. `kinds` holds, per line, the kind of the
/// pattern that matched it (as the classifier found), so no line is matched twice.
pub fn extract(doc: &mut Document, classification: &Classification, patterns: &Patterns) {
    let kinds = &classification.pattern_kinds;
    let page_lang = classification.lang;
    let kept: Vec<usize> = (0..doc.lines.len()).filter(|&i| doc.lines[i].is_kept()).collect();
    // The body's language, from a sample of the kept lines; when that sample is the one the
    // page's language came from, the answer is known.
    let (body_sample, taken) = language::sample_of(kept.iter().map(|&i| doc.lines[i].text.as_str()));
    let body_lang = if body_sample == classification.lang_sample {
        page_lang
    } else {
        let index = patterns.stopword_index();
        let counts: Vec<_> = taken.iter().map(|&k| features::line_words(&doc.lines[kept[k]], index)).collect();
        language::detect_sample_counted(&body_sample, counts.iter().map(Option::as_ref), index).or(page_lang)
    };
    let mut meta = Metadata { lang: body_lang.map(str::to_string), ..Metadata::default() };
    let (header, footer) = match (kept.first(), kept.last()) {
        (Some(&first), Some(&last)) => (
            non_blank(&doc.lines, (0..first).rev()).take(HEADER_REACH).collect::<Vec<_>>(),
            non_blank(&doc.lines, last + 1..doc.lines.len()).take(FOOTER_REACH).collect::<Vec<_>>(),
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let body_script = kept.first().map(|&i| dominant_script(&doc.lines[i].text));

    let (title_site, title) =
        title(&doc.lines, kept.first().copied().unwrap_or(doc.lines.len()), body_script, kinds, patterns);
    if let Some((title_text, indices)) = title {
        for i in indices {
            relabel(&mut doc.lines[i], rule::TITLE);
        }
        meta.title = Some(title_text);
    }

    meta.date = doc.scraper_date.clone();
    if meta.date.is_none() {
        for &i in header.iter().chain(&footer) {
            let line = &doc.lines[i];
            if line.text.split_whitespace().count() > 25 {
                continue;
            }
            if let Some(date) = patterns.find_date(&line.text) {
                meta.date = Some(date);
                relabel(&mut doc.lines[i], rule::DATE);
                break;
            }
        }
    }

    if let Some((author, indices)) = author(&doc.lines, &header, &footer, kinds) {
        for i in indices {
            relabel(&mut doc.lines[i], rule::AUTHOR);
        }
        meta.author = Some(author);
    }

    meta.site = title_site
        .or_else(|| {
            let (index, brand) = brand_line(&doc.lines, kinds)?;
            relabel(&mut doc.lines[index], rule::SITE);
            Some(brand)
        })
        .or_else(|| copyright_holder(&doc.lines, kinds));
    meta.tags = tags(&doc.lines, kinds);
    doc.metadata = meta;
}

fn non_blank<'a>(lines: &'a [Line], range: impl Iterator<Item = usize> + 'a) -> impl Iterator<Item = usize> + 'a {
    range.filter(move |&i| !lines[i].is_blank())
}

fn relabel(line: &mut Line, rule: &'static str) {
    if matches!(line.verdict, Verdict::Removed(_)) {
        line.verdict = Verdict::Removed(rule);
        line.reason = Reason::Metadata;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Other,
}

fn script_of(c: char) -> Option<Script> {
    if !crate::text::is_letter(c) {
        None
    } else if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
        Some(Script::Latin)
    } else if ('\u{0400}'..='\u{04FF}').contains(&c) {
        Some(Script::Cyrillic)
    } else {
        Some(Script::Other)
    }
}

fn dominant_script(text: &str) -> Script {
    let (mut latin, mut cyrillic, mut other) = (0, 0, 0);
    for s in text.chars().filter_map(script_of) {
        match s {
            Script::Latin => latin += 1,
            Script::Cyrillic => cyrillic += 1,
            Script::Other => other += 1,
        }
    }
    if latin >= cyrillic && latin >= other {
        Script::Latin
    } else if cyrillic >= other {
        Script::Cyrillic
    } else {
        Script::Other
    }
}

/// Separators between a page title and the site name in a `<title>`-like line.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · ", " • "];

/// A headline-like line: a few words, not a sentence, not a menu item.
fn is_headline(line: &Line, kind: Option<&str>, patterns: &Patterns) -> bool {
    let words = line.text.split_whitespace().count();
    (3..=30).contains(&words) && !line.text.ends_with('.') && kind.is_none() && patterns.find_date(&line.text).is_none()
}

/// Splits "Headline - Site" into (headline, site) when one side is short enough to be a name.
fn split_title_site(text: &str) -> Option<(String, String)> {
    // Most lines hold no separator: one pass over the bytes for the characters they are made
    // of ('|', '-', ':', and the leads of '–', '—', '•', '·') tells, rather than a search each.
    if !text.bytes().any(|b| matches!(b, b'|' | b'-' | b':' | 0xE2 | 0xC2)) {
        return None;
    }
    for sep in TITLE_SEPARATORS {
        if let Some((left, right)) = text.rsplit_once(sep) {
            let (lw, rw) = (left.split_whitespace().count(), right.split_whitespace().count());
            if rw <= 4 && lw >= 3 {
                return Some((left.trim().to_string(), right.trim().to_string()));
            }
            if lw <= 4 && rw >= 3 {
                return Some((right.trim().to_string(), left.trim().to_string()));
            }
        }
    }
    None
}

type TitleResult = (Option<String>, Option<(String, Vec<usize>)>);

/// The title (with the indices of the lines that show it) and a site name found beside it.
fn title(
    lines: &[Line],
    body_start: usize,
    body_script: Option<Script>,
    kinds: &[Option<&'static str>],
    patterns: &Patterns,
) -> TitleResult {
    let candidates: Vec<usize> = (0..body_start)
        .filter(|&i| !lines[i].is_kept() && is_headline(&lines[i], kinds[i], patterns))
        .filter(|&i| body_script.is_none_or(|s| dominant_script(&lines[i].text) == s))
        .collect();
    let first_non_blank = lines.iter().position(|l| !l.is_blank());
    // A headline printed twice is likelier the title: how often each key occurs, counted once
    // (comparing every candidate with every other took minutes on a page of 80,000 headlines).
    let keys: Vec<String> = candidates.iter().map(|&i| phrase_key(&lines[i].text)).collect();
    let mut occurrences: FxHashMap<&str, usize> = FxHashMap::default();
    for key in &keys {
        *occurrences.entry(key.as_str()).or_default() += 1;
    }
    let mut best: Option<(f32, String, Option<String>)> = None;
    for (n, &i) in candidates.iter().enumerate() {
        let text = &lines[i].text;
        let split = if first_non_blank == Some(i) { split_title_site(text) } else { None };
        let (headline, site) = match split {
            Some((h, s)) => (h, Some(s)),
            None => (text.clone(), None),
        };
        let key = phrase_key(&headline);
        let repeats = occurrences.get(key.as_str()).copied().unwrap_or(0) - usize::from(keys[n] == key);
        let words = headline.split_whitespace().count() as f32;
        let score =
            3.0 * (repeats.min(1) as f32) + words.min(15.0) / 5.0 + if first_non_blank == Some(i) { 1.0 } else { 0.0 };
        if best.as_ref().is_none_or(|(b, _, _)| score > *b) {
            best = Some((score, headline, site));
        }
    }
    let Some((_, headline, site)) = best else { return (None, None) };
    let key = phrase_key(&headline);
    let indices = candidates
        .iter()
        .zip(&keys)
        .filter(|&(&i, k)| *k == key || split_title_site(&lines[i].text).is_some_and(|(h, _)| phrase_key(&h) == key))
        .map(|(&i, _)| i)
        .collect();
    (site, Some((headline, indices)))
}

/// A personal name: two to four capitalised words of letters (initials allowed), nothing else.
fn is_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && text.chars().count() <= 40
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\''))
                && w.chars().filter(|c| c.is_alphabetic()).count() >= 1
        })
        && words.iter().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2).count() >= 1
}

const AUTHOR_LABELS: &[&str] = &["by", "author", "authors", "posted by", "written by", "автор", "авторы", "текст"];

/// The author: from a byline label (`By X`, `Автор: X`, or the label alone with the name on the
/// next line), else a bare name right after the body.
fn author(
    lines: &[Line],
    header: &[usize],
    footer: &[usize],
    kinds: &[Option<&'static str>],
) -> Option<(String, Vec<usize>)> {
    let mut ordered: Vec<usize> = header.to_vec();
    ordered.sort_unstable();
    ordered.extend(footer);
    for (pos, &i) in ordered.iter().enumerate() {
        let text = &lines[i].text;
        for label in AUTHOR_LABELS {
            let Some(rest_start) = after_lowercase_prefix(text, label) else { continue };
            let rest = text[rest_start..].trim_start_matches([':', ' ']).trim();
            if !rest.is_empty()
                && !rest.starts_with(char::is_lowercase)
                && rest_start > 0
                && (text.as_bytes().get(rest_start).is_some_and(|b| *b == b' ' || *b == b':'))
            {
                let name = rest.split(&[',', '|', '–', '—'][..]).next().unwrap_or(rest);
                let name = name.split(" - ").next().unwrap_or(name).trim();
                if is_name(name) || name.split_whitespace().count() == 1 {
                    return Some((name.to_string(), vec![i]));
                }
            }
            if rest.is_empty() && phrase_key(text) == *label {
                if let Some(&next) = ordered.get(pos + 1) {
                    if is_name(&lines[next].text) {
                        return Some((lines[next].text.clone(), vec![i, next]));
                    }
                }
            }
        }
    }
    let &first_after = footer.first()?;
    let line = &lines[first_after];
    (is_name(&line.text) && kinds[first_after].is_none()).then(|| (line.text.clone(), vec![first_after]))
}

/// A site name printed as a short brand line at the very top ("Казинформ", "Qazaq TV
/// Телерадиокомпания ...": the brand is the run of words before the script changes).
fn brand_line(lines: &[Line], kinds: &[Option<&'static str>]) -> Option<(usize, String)> {
    for (index, line) in lines.iter().enumerate().filter(|(_, l)| !l.is_blank()).take(3) {
        if line.is_kept() {
            return None;
        }
        if kinds[index].is_some() {
            continue;
        }
        let words: Vec<&str> = line.text.split_whitespace().collect();
        let first_script = line.text.chars().find_map(script_of);
        let brand: Vec<&str> =
            words.iter().take_while(|w| w.chars().find_map(script_of) == first_script).copied().collect();
        let all_capitalised = !brand.is_empty()
            && brand.iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()));
        if all_capitalised
            && brand.len() <= 3
            && (brand.len() == words.len() || brand.len() < words.len())
            && !line.text.ends_with('.')
        {
            if brand.len() == words.len() && words.len() > 3 {
                continue;
            }
            return Some((index, brand.join(" ")));
        }
        return None;
    }
    None
}

/// The rights holder named in a copyright line: "© 2019 CBS Interactive Inc." or
/// "Права на данный материал принадлежат Казинформ".
fn copyright_holder(lines: &[Line], kinds: &[Option<&'static str>]) -> Option<String> {
    for (line, _) in lines
        .iter()
        .zip(kinds)
        .rev()
        .filter(|(l, kind)| matches!(l.verdict, Verdict::Removed(_)) && **kind == Some(kinds::COPYRIGHT))
    {
        let text = line.text.as_str();
        let owner =
            text.char_indices().find_map(|(at, _)| Some(at + after_lowercase_prefix(&text[at..], "принадлежат")?));
        let holder = if let Some(end) = owner {
            text[end..].trim()
        } else if let Some(pos) = text.find('©') {
            text[pos + '©'.len_utf8()..].trim()
        } else if let Some(end) = after_lowercase_prefix(text, "copyright") {
            text[end..].trim()
        } else {
            continue;
        };
        let holder = holder.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '-' | '–' | ' ' | ','));
        let holder = holder.split(['.', '|']).next().unwrap_or("").trim();
        let holder = holder.trim_end_matches(|c: char| !c.is_alphanumeric());
        let words = holder.split_whitespace().count();
        if (1..=5).contains(&words) && !holder.to_lowercase().starts_with("all rights") {
            return Some(holder.to_string());
        }
    }
    None
}

/// Where `text` goes on after `prefix` (lower case), when the lower case of `text` starts with
/// `prefix` and the prefix ends where a character of `text` does. A byte offset taken from a
/// lower-cased copy may fall inside a character of `text`: "İ" lower-cases to two characters,
/// three bytes for two.
fn after_lowercase_prefix(text: &str, prefix: &str) -> Option<usize> {
    let mut wanted = prefix.chars();
    for (at, c) in text.char_indices() {
        if wanted.as_str().is_empty() {
            return Some(at);
        }
        for lower in c.to_lowercase() {
            if wanted.next() != Some(lower) {
                return None;
            }
        }
    }
    wanted.as_str().is_empty().then_some(text.len())
}

/// Tags from a "Tags: a, b, c" line.
fn tags(lines: &[Line], kinds: &[Option<&'static str>]) -> Vec<String> {
    for (line, _) in lines.iter().zip(kinds).filter(|(_, kind)| **kind == Some(kinds::TAGS)) {
        if let Some((_, list)) = line.text.split_once(':') {
            let tags: Vec<String> = list
                .split([',', ';', '|', '#'])
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty() && t.split_whitespace().count() <= 5)
                .collect();
            if !tags.is_empty() {
                return tags;
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_site_split() {
        assert_eq!(
            split_title_site("Browns player on Mason Rudolph's role - CBSSports.com"),
            Some(("Browns player on Mason Rudolph's role".into(), "CBSSports.com".into()))
        );
        assert_eq!(split_title_site("Kazakhstan and Russia debate further cooperation"), None);
    }

    #[test]
    fn names() {
        assert!(is_name("Сара Нургалиева"));
        assert!(is_name("Zhanna Nurmaganbetova"));
        assert!(is_name("Sarah E. Needleman"));
        assert!(!is_name("Blog of the Minister"));
        assert!(!is_name("News"));
        assert!(!is_name("Minister of industry and infrastructural development of the RK"));
    }

    #[test]
    fn a_lower_case_prefix_ends_where_a_character_of_the_text_does() {
        assert_eq!(after_lowercase_prefix("Автор: X", "автор"), Some("Автор".len()));
        assert_eq!(after_lowercase_prefix("BY İlham", "by"), Some(2));
        assert_eq!(after_lowercase_prefix("By", "by"), Some(2));
        assert_eq!(after_lowercase_prefix("B", "by"), None);
        assert_eq!(after_lowercase_prefix("Bx", "by"), None);
        // "İ" lower-cases to "i" and a combining dot: a prefix "i" ends inside it.
        assert_eq!(after_lowercase_prefix("İx", "i"), None);
        assert_eq!(after_lowercase_prefix("İx", "i\u{307}"), Some("İ".len()));
    }

    #[test]
    fn a_byline_or_a_rights_line_whose_lower_case_is_longer_does_not_panic() {
        // "İ" is two bytes, its lower case three: offsets into a lower-cased copy fell inside
        // characters of the line.
        let body = "Правительство Казахстана утвердило новый план развития на ближайшие годы, сообщили в пресс-службе.";
        let cleaner =
            crate::Cleaner::new(crate::PatternsBuilder::defaults().build().unwrap(), crate::Config::default());
        let page = format!("Главная\nАвтор: İlham Əliyev\n\n{body}\n\nİİ Права на материал принадлежат Kazİnform\n");
        let doc = cleaner.clean_text("p", "p", &page);
        assert_eq!(doc.metadata.author.as_deref(), Some("İlham Əliyev"));
    }

    #[test]
    fn scripts() {
        assert_eq!(dominant_script("Россия и Казахстан"), Script::Cyrillic);
        assert_eq!(dominant_script("Russia and Kazakhstan"), Script::Latin);
    }
}
