//! HTML: a page's markup turned into lines of text, so that the text stages apply to it.
//!
//! html5ever builds the tree as a browser would, broken markup included (docs/html-parsers.md
//! says why this parser), into a flat arena of nodes linked by index. Each block element
//! (`p`, `div`, `li`, `h1`-`h6`, `td`, `br`...) ends a line. `script`, `style`, `noscript`,
//! `template`, `svg`, `iframe`, `math` and the head (but its title) are left out; entities come
//! out decoded, and runs of white space as one space.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::interface::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, LocalName, Namespace, QualName};

pub use crate::document::{mark, LineStructure};

/// Whether a page is read as text or as HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// HTML by its file name (`.html`, `.htm`, `.xhtml`) or by how it starts (`starts_like_html`).
    #[default]
    Auto,
    Text,
    Html,
}

impl InputFormat {
    /// Whether the page named `name` that starts with `start` (its bytes, or its decoded text)
    /// is read as HTML.
    pub fn reads_as_html(self, name: &str, start: &[u8]) -> bool {
        match self {
            InputFormat::Text => false,
            InputFormat::Html => true,
            InputFormat::Auto => has_html_extension(name) || starts_like_html(start),
        }
    }
}

fn has_html_extension(name: &str) -> bool {
    let extension = name.rsplit_once('.').map_or("", |(_, extension)| extension);
    ["html", "htm", "xhtml"].iter().any(|html| extension.eq_ignore_ascii_case(html))
}

/// A document that starts, after a UTF-8 byte order mark and white space, with `<!doctype html`,
/// `<html` or `<head` (in any case).
fn starts_like_html(start: &[u8]) -> bool {
    let start = start.strip_prefix("\u{feff}".as_bytes()).unwrap_or(start).trim_ascii_start();
    ["<!doctype html", "<html", "<head"]
        .iter()
        .any(|opening| start.get(..opening.len()).is_some_and(|head| head.eq_ignore_ascii_case(opening.as_bytes())))
}

/// Elements that end a line where they start and where they end.
pub const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "title",
    "tr",
    "ul",
];

/// Elements whose text is set apart from the text beside it, on the same line: a table row is
/// one line, its cells separated by spaces, as scrapers write it.
pub const CELLS: &[&str] = &["td", "th"];

/// Elements whose content is no text a reader sees.
pub const SKIPPED: &[&str] = &["script", "style", "noscript", "template", "svg", "iframe", "math", "head"];

/// What an HTML page gives the text stages: its text, and what its markup says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// A line per block, each line ending in a line feed.
    pub text: String,
    pub markup: Markup,
}

/// What a page's markup says beside its text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Markup {
    /// The structure of each line of the text, in order.
    pub structure: Vec<LineStructure>,
    pub meta: HtmlMeta,
}

/// Metadata a page's markup declares; each absent unless the page has it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlMeta {
    /// `og:title`, else `twitter:title`.
    pub title: Option<String>,
    /// `<title>`.
    pub head_title: Option<String>,
    /// `article:published_time`, JSON-LD `datePublished`, `<meta name=date>` and kin, as given.
    pub date: Option<String>,
    /// JSON-LD `author`, `<meta name=author>`.
    pub author: Option<String>,
    /// `og:site_name`.
    pub site: Option<String>,
    /// `<html lang>`, as given (`en-US`).
    pub lang: Option<String>,
    /// `<link rel=canonical>`, else `og:url`.
    pub url: Option<String>,
    /// `article:tag`.
    pub tags: Vec<String>,
}

/// The text of an HTML page, a line per block, lines separated by line feeds.
pub fn to_text(html: &str) -> String {
    to_page(html).text
}

/// The page's text, the structure of its lines and its declared metadata.
pub fn to_page(html: &str) -> Page {
    let tree = html5ever::parse_document(Tree::new(), Default::default()).one(html);
    tree.page()
}

type Id = usize;
const DOCUMENT: Id = 0;

enum Kind {
    /// The document, template contents, comments and processing instructions.
    Container,
    Element {
        name: QualName,
        template_contents: Option<Id>,
        /// `mark::*` bits the element itself sets (its tag, role, class and id).
        marks: u32,
        /// The attributes, kept only for the elements metadata is read from.
        attributes: Box<[Attribute]>,
    },
    Text(String),
}

struct Node {
    kind: Kind,
    parent: Option<Id>,
    first_child: Option<Id>,
    last_child: Option<Id>,
    previous: Option<Id>,
    next: Option<Id>,
}

impl Node {
    fn new(kind: Kind) -> Self {
        Node { kind, parent: None, first_child: None, last_child: None, previous: None, next: None }
    }
}

/// The parsed page: html5ever's `TreeSink`, nodes in one vector (a node is its index), which
/// allocates far less than a reference-counted node each.
struct Tree {
    nodes: RefCell<Vec<Node>>,
}

/// An element's name, as html5ever asks for it while it builds the tree.
#[derive(Debug)]
struct Name<'a>(Ref<'a, QualName>);

impl ElemName for Name<'_> {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }

    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl Tree {
    fn new() -> Self {
        Tree { nodes: RefCell::new(vec![Node::new(Kind::Container)]) }
    }

    fn add(&self, kind: Kind) -> Id {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node::new(kind));
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], id: Id) {
        let Node { parent, previous, next, .. } = nodes[id];
        let Some(parent) = parent else { return };
        match previous {
            Some(previous) => nodes[previous].next = next,
            None => nodes[parent].first_child = next,
        }
        match next {
            Some(next) => nodes[next].previous = previous,
            None => nodes[parent].last_child = previous,
        }
        let node = &mut nodes[id];
        (node.parent, node.previous, node.next) = (None, None, None);
    }

    /// Moves `id` into `parent`, before `before` or last.
    fn insert(nodes: &mut [Node], parent: Id, id: Id, before: Option<Id>) {
        Self::detach(nodes, id);
        let previous = before.map_or(nodes[parent].last_child, |before| nodes[before].previous);
        match previous {
            Some(previous) => nodes[previous].next = Some(id),
            None => nodes[parent].first_child = Some(id),
        }
        match before {
            Some(before) => nodes[before].previous = Some(id),
            None => nodes[parent].last_child = Some(id),
        }
        let node = &mut nodes[id];
        (node.parent, node.previous, node.next) = (Some(parent), previous, before);
    }

    /// Puts `child` into `parent`, before `before` or last; text joins a text node beside it.
    fn put(&self, parent: Id, child: NodeOrText<Id>, before: Option<Id>) {
        let id = match child {
            NodeOrText::AppendNode(id) => id,
            NodeOrText::AppendText(text) => {
                let mut nodes = self.nodes.borrow_mut();
                let beside = before.map_or(nodes[parent].last_child, |before| nodes[before].previous);
                if let Some(Kind::Text(existing)) = beside.map(|beside| &mut nodes[beside].kind) {
                    existing.push_str(&text);
                    return;
                }
                drop(nodes);
                self.add(Kind::Text(text.to_string()))
            }
        };
        Self::insert(&mut self.nodes.borrow_mut(), parent, id, before);
    }

    /// The page's lines, their structure and its metadata, the tree walked depth first with a
    /// stack (broken pages nest thousands of elements deep).
    fn page(&self) -> Page {
        enum Step {
            Enter(Id, Context),
            /// The end of a block element.
            Leave,
            /// The end of a table cell.
            Gap,
        }
        let nodes = self.nodes.borrow();
        let mut lines = Lines::default();
        let mut meta = MetaFinder::default();
        let mut stack = vec![Step::Enter(DOCUMENT, Context::default())];
        while let Some(step) = stack.pop() {
            let (id, context) = match step {
                Step::Leave => {
                    lines.end_line();
                    continue;
                }
                Step::Gap => {
                    lines.space = true;
                    continue;
                }
                Step::Enter(id, context) => (id, context),
            };
            let (tag, marks, attributes): (&str, u32, &[Attribute]) = match &nodes[id].kind {
                Kind::Text(text) => {
                    lines.push(text, &context);
                    continue;
                }
                Kind::Container if id == DOCUMENT => ("", 0, &[]),
                Kind::Container => continue,
                Kind::Element { name, marks, attributes, .. } => (&name.local, *marks, attributes),
            };
            match tag {
                "meta" | "link" | "html" => meta.element(tag, attributes),
                "script"
                    if attribute(attributes, "type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
                {
                    meta.json_ld(&child_text(&nodes, id));
                }
                "title" if meta.found.head_title.is_none() => {
                    meta.found.head_title =
                        Some(child_text(&nodes, id).split_whitespace().collect::<Vec<_>>().join(" "))
                            .filter(|title| !title.is_empty());
                }
                _ => {}
            }
            if context.in_head && tag != "title" || tag != "head" && SKIPPED.contains(&tag) {
                continue;
            }
            let is_block = BLOCKS.contains(&tag);
            if is_block {
                lines.end_line();
                stack.push(Step::Leave);
            } else if CELLS.contains(&tag) {
                lines.space = true;
                stack.push(Step::Gap);
            }
            let inner = Context {
                in_head: context.in_head || tag == "head",
                marks: context.marks | marks,
                heading: match tag.as_bytes() {
                    [b'h', level @ b'1'..=b'6'] => level - b'0',
                    _ => context.heading,
                },
                in_link: context.in_link || tag == "a",
                block: if is_block { id } else { context.block },
            };
            let mut child = nodes[id].last_child;
            while let Some(c) = child {
                stack.push(Step::Enter(c, inner));
                child = nodes[c].previous;
            }
        }
        lines.end_line();
        let chars = text_below(&nodes, &lines.structure, &lines.blocks);
        unmark_page_sized_parts(&nodes, &chars, &mut lines.structure, &lines.blocks);
        mark_main_container(&nodes, &lines.text, &chars, &mut lines.structure, &lines.blocks);
        Page { text: lines.text, markup: Markup { structure: lines.structure, meta: meta.finish() } }
    }
}

/// How far up the tree a line's paragraph counts, and how far up a container is looked for.
const MAX_CLIMB: usize = 64;

/// A node and the elements above it, up to `MAX_CLIMB`.
fn ancestors(nodes: &[Node], id: Id) -> impl Iterator<Item = Id> + '_ {
    std::iter::successors(Some(id), |&a| nodes[a].parent).take(MAX_CLIMB)
}

/// The characters of the lines below each node, and of those the ones inside links.
struct TextBelow {
    chars: Vec<u32>,
    link_chars: Vec<u32>,
}

fn text_below(nodes: &[Node], structure: &[LineStructure], blocks: &[Id]) -> TextBelow {
    let mut below = TextBelow { chars: vec![0; nodes.len()], link_chars: vec![0; nodes.len()] };
    for (s, &block) in structure.iter().zip(blocks) {
        for a in ancestors(nodes, block) {
            below.chars[a] += s.chars;
            below.link_chars[a] += s.link_chars;
        }
    }
    below
}

/// Marks that name a part of a page beside the article.
const PART_MARKS: u32 = mark::NAV
    | mark::HEADER
    | mark::FOOTER
    | mark::ASIDE
    | mark::FORM
    | mark::CLASS_NAV
    | mark::CLASS_FOOTER
    | mark::CLASS_RELATED
    | mark::CLASS_SHARE
    | mark::CLASS_COMMENT
    | mark::CLASS_SIDEBAR
    | mark::CLASS_PROMO
    | mark::CLASS_COOKIE
    | mark::CLASS_BYLINE
    | mark::CLASS_CAPTION
    | mark::CLASS_HIDDEN;

/// Takes back the part an element names from the lines below it when it holds most of the
/// page's text: a menu, a footer or a sidebar is a small part of a page, and a wrapper that
/// holds the article too (`<div class="sub-nav__container">` left open around the page) names
/// none of it.
fn unmark_page_sized_parts(nodes: &[Node], below: &TextBelow, structure: &mut [LineStructure], blocks: &[Id]) {
    let page: u32 = structure.iter().map(|s| s.chars).sum();
    for (s, &block) in structure.iter_mut().zip(blocks) {
        let (mut of_page_sized, mut of_smaller) = (0, 0);
        for a in ancestors(nodes, block) {
            let Kind::Element { marks, .. } = &nodes[a].kind else { continue };
            if below.chars[a] * 2 > page {
                of_page_sized |= marks & PART_MARKS;
            } else {
                of_smaller |= marks;
            }
        }
        s.marks &= !(of_page_sized & !of_smaller);
    }
}

/// Finds the element that holds the article's paragraphs as Readability does, and marks the
/// lines inside it: each line of 25 characters or more scores 1, plus one per comma, plus one
/// per 100 characters (up to 3), for the element around its block and half that for the one
/// above; an element's score shrinks with the share of its text inside links. Each line then
/// carries the best score of the elements around it, as a share of the best of the page.
fn mark_main_container(
    nodes: &[Node],
    text: &str,
    TextBelow { chars, link_chars }: &TextBelow,
    structure: &mut [LineStructure],
    blocks: &[Id],
) {
    let mut score = vec![0.0f32; nodes.len()];
    for ((line, s), &block) in text.lines().zip(structure.iter()).zip(blocks) {
        if s.chars < 25 {
            continue;
        }
        let commas = line.chars().filter(|c| matches!(c, ',' | '，' | '、' | '،')).count() as f32;
        let points = 1.0 + commas + (s.chars as f32 / 100.0).min(3.0);
        let mut above = ancestors(nodes, block).skip(1);
        if let Some(parent) = above.next() {
            score[parent] += points;
        }
        if let Some(grandparent) = above.next() {
            score[grandparent] += points / 2.0;
        }
    }
    for (id, score) in score.iter_mut().enumerate() {
        *score *= 1.0 - link_chars[id] as f32 / chars[id].max(1) as f32;
    }
    let Some((top, &best)) = score.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0))) else {
        return;
    };
    if best <= 0.0 {
        return;
    }
    for (s, &block) in structure.iter_mut().zip(blocks) {
        let mut share = 0.0f32;
        for a in ancestors(nodes, block) {
            share = share.max(score[a] / best);
            if a == top {
                s.marks |= mark::MAIN_CONTAINER;
            }
        }
        s.container = (share * 100.0).round() as u8;
    }
}

/// What the elements around a node say, handed down the tree.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    /// Inside the head, where only the title is read.
    in_head: bool,
    marks: u32,
    heading: u8,
    in_link: bool,
    /// The innermost block element around the node.
    block: Id,
}

/// The text of a node's text children (a title's, a script's).
fn child_text(nodes: &[Node], id: Id) -> String {
    let mut text = String::new();
    let mut child = nodes[id].first_child;
    while let Some(c) = child {
        if let Kind::Text(t) = &nodes[c].kind {
            text.push_str(t);
        }
        child = nodes[c].next;
    }
    text
}

fn attribute<'a>(attributes: &'a [Attribute], name: &str) -> Option<&'a str> {
    attributes.iter().find(|a| &*a.name.local == name).map(|a| &*a.value)
}

/// The `mark::*` bits an element sets by its tag, its ARIA role, and the words of its class
/// and id. The root's and the body's classes are left out: they describe the whole page
/// (`single-post has-sidebar`), not a part of it.
fn element_marks(tag: &str, attributes: &[Attribute]) -> u32 {
    let mut marks = match tag {
        "li" | "dd" | "dt" => mark::LIST_ITEM,
        "td" | "th" => mark::TABLE_CELL,
        "p" => mark::PARAGRAPH,
        "nav" => mark::NAV,
        "header" => mark::HEADER,
        "footer" => mark::FOOTER,
        "aside" => mark::ASIDE,
        "form" => mark::FORM,
        "button" | "select" | "option" | "label" | "textarea" => mark::BUTTON,
        "article" | "main" => mark::ARTICLE,
        "figure" | "figcaption" | "caption" => mark::CAPTION,
        _ => 0,
    };
    if attributes.is_empty() || tag == "html" || tag == "body" {
        return marks;
    }
    for attribute in attributes {
        let value = &*attribute.value;
        match &*attribute.name.local {
            "class" | "id" => marks |= word_marks(value),
            "role" => {
                marks |= match value.trim().to_ascii_lowercase().as_str() {
                    "navigation" | "menu" | "menubar" => mark::NAV,
                    "banner" => mark::HEADER,
                    "contentinfo" => mark::FOOTER,
                    "complementary" => mark::ASIDE,
                    "main" | "article" => mark::ARTICLE,
                    "button" => mark::BUTTON,
                    _ => 0,
                }
            }
            "hidden" => marks |= mark::CLASS_HIDDEN,
            "aria-hidden" if value.trim() == "true" => marks |= mark::CLASS_HIDDEN,
            _ => {}
        }
    }
    marks
}

/// Words of class and id values that name a part of a page. A word matches itself, and, when
/// longer than four letters, any word it begins (`comment` matches `comments`; `ad` only `ad`).
const CLASS_WORDS: &[(&str, u32)] = &[
    ("nav", mark::CLASS_NAV),
    ("navbar", mark::CLASS_NAV),
    ("navig", mark::CLASS_NAV),
    ("menu", mark::CLASS_NAV),
    ("menus", mark::CLASS_NAV),
    ("breadcrumb", mark::CLASS_NAV),
    ("crumbs", mark::CLASS_NAV),
    ("topbar", mark::CLASS_NAV),
    ("pagination", mark::CLASS_NAV),
    ("pager", mark::CLASS_NAV),
    ("footer", mark::CLASS_FOOTER),
    ("foot", mark::CLASS_FOOTER),
    ("copyright", mark::CLASS_FOOTER),
    ("colophon", mark::CLASS_FOOTER),
    ("related", mark::CLASS_RELATED),
    ("recommend", mark::CLASS_RELATED),
    ("popular", mark::CLASS_RELATED),
    ("trending", mark::CLASS_RELATED),
    ("teaser", mark::CLASS_RELATED),
    ("suggest", mark::CLASS_RELATED),
    ("latest", mark::CLASS_RELATED),
    ("headlines", mark::CLASS_RELATED),
    ("share", mark::CLASS_SHARE),
    ("sharing", mark::CLASS_SHARE),
    ("social", mark::CLASS_SHARE),
    ("addthis", mark::CLASS_SHARE),
    ("sociable", mark::CLASS_SHARE),
    ("follow", mark::CLASS_SHARE),
    ("comment", mark::CLASS_COMMENT),
    ("disqus", mark::CLASS_COMMENT),
    ("respond", mark::CLASS_COMMENT),
    ("reply", mark::CLASS_COMMENT),
    ("replies", mark::CLASS_COMMENT),
    ("discussion", mark::CLASS_COMMENT),
    ("sidebar", mark::CLASS_SIDEBAR),
    ("widget", mark::CLASS_SIDEBAR),
    ("aside", mark::CLASS_SIDEBAR),
    ("rail", mark::CLASS_SIDEBAR),
    ("ad", mark::CLASS_PROMO),
    ("ads", mark::CLASS_PROMO),
    ("advert", mark::CLASS_PROMO),
    ("promo", mark::CLASS_PROMO),
    ("banner", mark::CLASS_PROMO),
    ("sponsor", mark::CLASS_PROMO),
    ("newsletter", mark::CLASS_PROMO),
    ("subscri", mark::CLASS_PROMO),
    ("signup", mark::CLASS_PROMO),
    ("cookie", mark::CLASS_COOKIE),
    ("consent", mark::CLASS_COOKIE),
    ("gdpr", mark::CLASS_COOKIE),
    ("article", mark::CLASS_CONTENT),
    ("content", mark::CLASS_CONTENT),
    ("post", mark::CLASS_CONTENT),
    ("entry", mark::CLASS_CONTENT),
    ("story", mark::CLASS_CONTENT),
    ("body", mark::CLASS_CONTENT),
    ("text", mark::CLASS_CONTENT),
    ("main", mark::CLASS_CONTENT),
    ("byline", mark::CLASS_BYLINE),
    ("author", mark::CLASS_BYLINE),
    ("date", mark::CLASS_BYLINE),
    ("dateline", mark::CLASS_BYLINE),
    ("time", mark::CLASS_BYLINE),
    ("meta", mark::CLASS_BYLINE),
    ("published", mark::CLASS_BYLINE),
    ("timestamp", mark::CLASS_BYLINE),
    ("tag", mark::CLASS_BYLINE),
    ("tags", mark::CLASS_BYLINE),
    ("caption", mark::CLASS_CAPTION),
    ("credit", mark::CLASS_CAPTION),
    ("hidden", mark::CLASS_HIDDEN),
    ("hide", mark::CLASS_HIDDEN),
    ("invisible", mark::CLASS_HIDDEN),
];

/// The marks of the words of a class or id value, split at anything not a letter or digit
/// and where a lower-case letter meets a capital (`relatedPosts`). Every element with a class
/// comes here, so a word is kept in a small buffer, not a `String` (the known words are ASCII).
fn word_marks(value: &str) -> u32 {
    const LONGEST: usize = 24;
    let mut marks = 0;
    let mut word = [0u8; LONGEST];
    let (mut len, mut previous_lower) = (0, false);
    for c in value.chars().chain(std::iter::once(' ')) {
        let letter = c.is_alphanumeric();
        if (!letter || previous_lower && c.is_uppercase()) && len > 0 {
            // A longer word is matched by its start: `relatedarticleslistcontainer`.
            marks |= known_word_marks(&word[..len.min(LONGEST)]);
            len = 0;
        }
        if letter {
            if len < LONGEST {
                // Another letter is a byte no known word has: `shareé` begins with `share`.
                word[len] = if c.is_ascii() { c.to_ascii_lowercase() as u8 } else { 0xFF };
            }
            len += 1;
        }
        previous_lower = c.is_lowercase();
    }
    marks
}

/// The marks of one lower-case word: `CLASS_WORDS` entries that it is, or (for entries longer
/// than four letters) that it begins with. Entries are looked up by their first letter.
fn known_word_marks(word: &[u8]) -> u32 {
    type ByFirstLetter = [Vec<(&'static [u8], u32)>; 26];
    static BY_FIRST_LETTER: std::sync::OnceLock<ByFirstLetter> = std::sync::OnceLock::new();
    let table = BY_FIRST_LETTER.get_or_init(|| {
        let mut table = ByFirstLetter::default();
        for &(known, bits) in CLASS_WORDS {
            table[usize::from(known.as_bytes()[0] - b'a')].push((known.as_bytes(), bits));
        }
        table
    });
    let Some(entries) = word.first().filter(|b| b.is_ascii_lowercase()).map(|b| &table[usize::from(b - b'a')]) else {
        return 0;
    };
    entries
        .iter()
        .filter(|(known, _)| word == *known || known.len() > 4 && word.starts_with(known))
        .fold(0, |m, (_, bits)| m | bits)
}

/// Gathers the metadata of `<meta>`, `<link>`, `<html>` and JSON-LD scripts, in document order.
#[derive(Default)]
struct MetaFinder {
    found: HtmlMeta,
    twitter_title: Option<String>,
    og_url: Option<String>,
    /// `article:published_time` beats JSON-LD, which beats the other date `<meta>`s.
    published_time: Option<String>,
    json_ld_date: Option<String>,
    other_date: Option<String>,
    json_ld_author: Option<String>,
    meta_author: Option<String>,
}

impl MetaFinder {
    fn element(&mut self, tag: &str, attributes: &[Attribute]) {
        let value = |name| attribute(attributes, name).map(str::trim).filter(|v| !v.is_empty());
        match tag {
            "html" => set_once(&mut self.found.lang, value("lang")),
            "link" => {
                let canonical =
                    value("rel").is_some_and(|rel| rel.split_whitespace().any(|r| r.eq_ignore_ascii_case("canonical")));
                if canonical {
                    set_once(&mut self.found.url, value("href"));
                }
            }
            _ => {
                let Some(content) = value("content") else { return };
                let key = value("property").or(value("name")).or(value("itemprop")).unwrap_or("").to_ascii_lowercase();
                let content = Some(content);
                match key.as_str() {
                    "og:title" => set_once(&mut self.found.title, content),
                    "twitter:title" => set_once(&mut self.twitter_title, content),
                    "og:site_name" => set_once(&mut self.found.site, content),
                    "og:url" => set_once(&mut self.og_url, content),
                    "article:published_time" => set_once(&mut self.published_time, content),
                    "datepublished" | "date" | "pubdate" | "publishdate" | "publish-date" | "dc.date"
                    | "dc.date.issued" | "dcterms.date" | "dcterms.created" | "sailthru.date" | "parsely-pub-date"
                    | "og:published_time" => set_once(&mut self.other_date, content),
                    "author" | "dc.creator" | "sailthru.author" | "parsely-author" => {
                        set_once(&mut self.meta_author, content)
                    }
                    "article:author" if !content.is_some_and(|c| c.contains("://")) => {
                        set_once(&mut self.meta_author, content)
                    }
                    "article:tag" => self.found.tags.extend(content.map(str::to_string)),
                    _ => {}
                }
            }
        }
    }

    /// The date and author of the first JSON-LD object that gives a `datePublished`.
    fn json_ld(&mut self, script: &str) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(script.trim()) else { return };
        let mut pending = vec![&value];
        // Breadth first, so the page's own article comes before the ones it mentions.
        let mut at = 0;
        while let Some(&value) = pending.get(at) {
            at += 1;
            match value {
                serde_json::Value::Array(items) => pending.extend(items),
                serde_json::Value::Object(object) => {
                    if let Some(date) = object.get("datePublished").and_then(|d| d.as_str()) {
                        if self.json_ld_date.is_none() {
                            self.json_ld_date = Some(date.trim().to_string()).filter(|d| !d.is_empty());
                            self.json_ld_author = object.get("author").and_then(author_names);
                        }
                        return;
                    }
                    pending.extend(object.values().filter(|v| v.is_array() || v.is_object()));
                }
                _ => {}
            }
            if pending.len() > 10_000 {
                return;
            }
        }
    }

    fn finish(mut self) -> HtmlMeta {
        let found = &mut self.found;
        found.title = found.title.take().or(self.twitter_title);
        found.url = found.url.take().or(self.og_url);
        found.date = self.published_time.or(self.json_ld_date).or(self.other_date);
        found.author = self.json_ld_author.or(self.meta_author);
        self.found
    }
}

fn set_once(slot: &mut Option<String>, value: Option<&str>) {
    if slot.is_none() {
        *slot = value.map(|v| v.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|v| !v.is_empty());
    }
}

/// The names a JSON-LD `author` gives: a name, a person or organisation, or a list of them.
fn author_names(author: &serde_json::Value) -> Option<String> {
    let name = |value: &serde_json::Value| match value {
        serde_json::Value::String(name) => Some(name.trim().to_string()),
        serde_json::Value::Object(object) => object.get("name").and_then(|n| n.as_str()).map(|n| n.trim().to_string()),
        _ => None,
    };
    let names: Vec<String> = match author {
        serde_json::Value::Array(items) => items.iter().filter_map(name).collect(),
        other => name(other).into_iter().collect(),
    };
    let names: Vec<String> = names.into_iter().filter(|n| !n.is_empty() && !n.contains("://")).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// The text being made: words joined by single spaces, a line feed where a block ends.
#[derive(Default)]
struct Lines {
    text: String,
    structure: Vec<LineStructure>,
    /// The block element of each line's first words.
    blocks: Vec<Id>,
    /// The structure of the line being made.
    line: LineStructure,
    /// Whether the current line has a word yet.
    in_line: bool,
    /// White space seen since the last word.
    space: bool,
}

impl Lines {
    fn push(&mut self, text: &str, context: &Context) {
        let before = self.text.len();
        self.push_words(text);
        if self.text.len() > before {
            let line = &mut self.line;
            let chars = self.text[before..].chars().filter(|c| *c != ' ').count() as u32;
            line.chars += chars;
            if context.in_link {
                line.link_chars += chars;
            }
            line.marks |= context.marks;
            if self.blocks.len() == self.structure.len() {
                self.blocks.push(context.block);
            }
            if context.heading != 0 && (line.heading == 0 || context.heading < line.heading) {
                line.heading = context.heading;
            }
        }
    }

    fn push_words(&mut self, text: &str) {
        let mut rest = text;
        loop {
            let word = rest.trim_start();
            self.space |= word.len() < rest.len();
            if word.is_empty() {
                return;
            }
            let end = word.find(char::is_whitespace).unwrap_or(word.len());
            if self.in_line && self.space {
                self.text.push(' ');
            }
            self.text.push_str(&word[..end]);
            (self.in_line, self.space) = (true, false);
            rest = &word[end..];
        }
    }

    fn end_line(&mut self) {
        if self.in_line {
            self.text.push('\n');
            self.structure.push(std::mem::take(&mut self.line));
        }
        self.in_line = false;
        self.space = false;
    }
}

impl TreeSink for Tree {
    type Handle = Id;
    type Output = Self;
    type ElemName<'a> = Name<'a>;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _message: Cow<'static, str>) {}

    fn get_document(&self) -> Id {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a Id) -> Name<'a> {
        Name(Ref::map(self.nodes.borrow(), |nodes| match &nodes[*target].kind {
            Kind::Element { name, .. } => name,
            // html5ever asks only for elements' names.
            _ => unreachable!("html5ever asked for the name of a node that is no element"),
        }))
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Id {
        let template_contents = flags.template.then(|| self.add(Kind::Container));
        let marks = element_marks(&name.local, &attrs);
        let attributes = match &*name.local {
            "meta" | "link" | "html" | "script" => attrs.into_boxed_slice(),
            _ => Box::default(),
        };
        self.add(Kind::Element { name, template_contents, marks, attributes })
    }

    fn create_comment(&self, _text: StrTendril) -> Id {
        self.add(Kind::Container)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Id {
        self.add(Kind::Container)
    }

    fn append(&self, parent: &Id, child: NodeOrText<Id>) {
        self.put(*parent, child, None);
    }

    fn append_based_on_parent_node(&self, element: &Id, previous: &Id, child: NodeOrText<Id>) {
        let parent = self.nodes.borrow()[*element].parent;
        match parent {
            Some(parent) => self.put(parent, child, Some(*element)),
            None => self.put(*previous, child, None),
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {}

    fn get_template_contents(&self, target: &Id) -> Id {
        match &self.nodes.borrow()[*target].kind {
            Kind::Element { template_contents: Some(contents), .. } => *contents,
            // html5ever asks only for the contents of templates, which were made with them.
            _ => unreachable!("html5ever asked for the contents of a node that is no template"),
        }
    }

    fn same_node(&self, x: &Id, y: &Id) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Id, new_node: NodeOrText<Id>) {
        let parent = self.nodes.borrow()[*sibling].parent;
        // html5ever inserts before a node only where it has a parent (foster parenting).
        if let Some(parent) = parent {
            self.put(parent, new_node, Some(*sibling));
        }
    }

    fn add_attrs_if_missing(&self, _target: &Id, _attrs: Vec<Attribute>) {}

    fn remove_from_parent(&self, target: &Id) {
        Self::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &Id, new_parent: &Id) {
        let mut nodes = self.nodes.borrow_mut();
        while let Some(child) = nodes[*node].first_child {
            Self::insert(&mut nodes, *new_parent, child, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(html: &str) -> Vec<String> {
        to_text(html).lines().map(str::to_string).collect()
    }

    #[test]
    fn blocks_end_lines_and_inline_elements_do_not() {
        assert_eq!(
            lines("<title>T</title><p>One <b>bold</b>\n word.<p>Two<br>three</p><ul><li>a<li>b</ul>"),
            ["T", "One bold word.", "Two", "three", "a", "b"]
        );
    }

    #[test]
    fn scripts_styles_and_the_head_but_its_title_are_left_out() {
        let html = "<html><head><title>Title</title><meta name=x><style>p{}</style></head>\
                    <body><script>var a = '<p>no</p>';</script><noscript>enable</noscript><p>yes</p><svg><text>no</text></svg></body>";
        assert_eq!(lines(html), ["Title", "yes"]);
    }

    #[test]
    fn broken_markup_is_read_as_a_browser_reads_it() {
        // Misnested formatting (the adoption agency), a table without tbody, stray end tags, a
        // comment never closed.
        assert_eq!(lines("<b><p>one</b>two</p>"), ["onetwo"]);
        assert_eq!(lines("<table><tr><td>a<td>b<tr><td>c</table>"), ["a b", "c"]);
        assert_eq!(lines("</div></p><p>a</span></li>b</p>"), ["ab"]);
        assert_eq!(lines("<p>x</p><!-- never closed <p>hidden</p>"), ["x"]);
        assert_eq!(lines("<table>stray<tr><td>cell</td></tr></table>"), ["stray", "cell"]);
        assert_eq!(
            lines("<table><tr><th>Pos.<th>Name</tr><tr><td>1</td><td>Kyle <b>Busch</b></td></tr></table>"),
            ["Pos. Name", "1 Kyle Busch"]
        );
        assert_eq!(
            lines("<table><tr><td><p>menu</p></td><td>text<p>more</p></td></tr></table>"),
            ["menu", "text", "more"]
        );
    }

    #[test]
    fn entities_are_decoded_and_white_space_collapses() {
        assert_eq!(lines("<p>Tom &amp; Jerry&nbsp;&mdash; &laquo;ok&raquo;\n\t  end</p>"), ["Tom & Jerry — «ok» end"]);
        assert_eq!(lines("<p>a<i> b </i>c</p>"), ["a b c"]);
        assert_eq!(lines("<p>a<i>b</i>c</p>"), ["abc"]);
    }

    #[test]
    fn html_is_told_by_its_name_or_its_start() {
        let auto = InputFormat::Auto;
        assert!(auto.reads_as_html("site/page.HTML", "plain".as_bytes()));
        assert!(auto.reads_as_html("page.htm", "".as_bytes()));
        assert!(auto.reads_as_html("page.txt", "\u{feff}\n  <!DOCTYPE html><p>x".as_bytes()));
        assert!(auto.reads_as_html("-", "<html lang=en>".as_bytes()));
        assert!(auto.reads_as_html("page", "<HEAD><title>x".as_bytes()));
        assert!(!auto.reads_as_html("page.txt", "Text that mentions <html> later.".as_bytes()));
        assert!(!auto.reads_as_html("page.txt", "<p>a fragment is text unless named .html</p>".as_bytes()));
        assert!(!InputFormat::Text.reads_as_html("page.html", "<html>".as_bytes()));
        assert!(InputFormat::Html.reads_as_html("page.txt", "plain".as_bytes()));
    }

    fn structure(html: &str) -> Vec<(String, LineStructure)> {
        let page = to_page(html);
        assert_eq!(page.text.lines().count(), page.markup.structure.len());
        page.text.lines().map(str::to_string).zip(page.markup.structure).collect()
    }

    #[test]
    fn each_line_carries_what_its_elements_say() {
        let lines = structure(
            "<nav class=x><a href=/>Home</a></nav><main><h2>Sub</h2><p>Text with <a href=#>a link</a>.</p>\
             <ul><li>item</ul><table><tr><td>cell</table></main><footer><button>Go</button></footer>",
        );
        let of = |text: &str| lines.iter().find(|(t, _)| t == text).unwrap().1;
        assert!(of("Home").has(mark::NAV) && of("Home").link_density() == 1.0);
        assert_eq!(of("Sub").heading, 2);
        let text = of("Text with a link.");
        assert!(text.has(mark::PARAGRAPH | mark::ARTICLE) && !text.has(mark::NAV));
        assert!((text.link_density() - 5.0 / 14.0).abs() < 1e-6, "{}", text.link_density());
        assert!(of("item").has(mark::LIST_ITEM) && of("cell").has(mark::TABLE_CELL));
        assert!(of("Go").has(mark::FOOTER) && of("Go").has(mark::BUTTON));
    }

    #[test]
    fn class_and_id_words_name_page_parts() {
        assert_eq!(word_marks("relatedPosts widget"), mark::CLASS_RELATED | mark::CLASS_SIDEBAR);
        assert_eq!(word_marks("comments-area"), mark::CLASS_COMMENT);
        assert_eq!(word_marks("site-footer__copyright"), mark::CLASS_FOOTER);
        assert_eq!(word_marks("main-navigation"), mark::CLASS_NAV | mark::CLASS_CONTENT);
        // A short word matches itself only: `ad` is not `add` or `admin`, `nav` not `navy`.
        assert_eq!(word_marks("add-to-cart admin navy"), 0);
        assert_eq!(word_marks("ad"), mark::CLASS_PROMO);
    }

    #[test]
    fn a_wrapper_holding_most_of_the_page_names_no_part_of_it() {
        let paragraph = "A sentence of the article that is long enough to count as a paragraph here.";
        let html = format!(
            "<div class='sub-nav__container'><ul class=menu><li>Home<li>News</ul>\
             <div class=story><p>{paragraph}</p><p>{paragraph}</p></div></div>"
        );
        let lines = structure(&html);
        let of = |text: &str| lines.iter().find(|(t, _)| t == text).unwrap().1;
        assert!(of("Home").has(mark::CLASS_NAV), "the menu is still a menu");
        assert!(!of(paragraph).has(mark::CLASS_NAV), "{:?}", of(paragraph));
        assert!(of(paragraph).has(mark::MAIN_CONTAINER | mark::CLASS_CONTENT));
        assert_eq!(of(paragraph).container, 100);
    }

    #[test]
    fn the_main_container_is_the_one_holding_the_paragraphs() {
        let long = "One sentence of the story, with commas, clauses, and more than enough characters.";
        let html = format!(
            "<div id=a><p>{long}</p><p>{long}</p><p>{long}</p></div>\
             <div id=b><p><a href=#>{long}</a></p></div><div id=c><p>Short.</p></div>"
        );
        let lines = structure(&html);
        assert!(lines[..3].iter().all(|(_, s)| s.has(mark::MAIN_CONTAINER) && s.container == 100));
        // A paragraph that is all link scores nothing for its container; only the body above
        // it holds some of the article's paragraphs' score.
        assert!(!lines[3].1.has(mark::MAIN_CONTAINER) && lines[3].1.container <= 50, "{:?}", lines[3]);
        assert!(!lines[4].1.has(mark::MAIN_CONTAINER));
    }

    #[test]
    fn metadata_sources_in_order_of_trust() {
        let meta = |head: &str| to_page(&format!("<html lang=kk-KZ><head>{head}</head><body><p>x</p>")).markup.meta;
        let found = meta(
            "<title> Head  title </title><meta name=twitter:title content='Twitter title'>\
             <meta name=author content='Meta Author'><meta name=date content=2020-01-01>\
             <meta property=og:url content=https://a.example/og><link rel='canonical alternate' href=https://a.example/c>\
             <script type=application/ld+json>[{\"@type\":\"Article\",\"datePublished\":\"2021-02-03T10:00\",\
             \"author\":{\"name\":\"Ld Author\"}}]</script>",
        );
        assert_eq!(found.head_title.as_deref(), Some("Head title"));
        assert_eq!(found.title.as_deref(), Some("Twitter title"));
        assert_eq!(found.date.as_deref(), Some("2021-02-03T10:00"), "JSON-LD beats <meta name=date>");
        assert_eq!(found.author.as_deref(), Some("Ld Author"));
        assert_eq!(found.url.as_deref(), Some("https://a.example/c"));
        assert_eq!(found.lang.as_deref(), Some("kk-KZ"));
        let found = meta(
            "<meta property=article:published_time content=2019-08-27><meta property=og:title content=OG>\
             <meta name=twitter:title content=T><meta property=article:author content=https://fb.example/x>\
             <script type=application/ld+json>{broken</script>",
        );
        assert_eq!((found.title.as_deref(), found.date.as_deref()), (Some("OG"), Some("2019-08-27")));
        assert_eq!(found.author, None, "a profile URL is no name");
    }

    /// `word_marks` as first written, with a `String` per word: the byte walk must agree.
    fn word_marks_by_chars(value: &str) -> u32 {
        let mut marks = 0;
        let mut word = String::new();
        let mut previous_lower = false;
        for c in value.chars().chain(std::iter::once(' ')) {
            if (!c.is_alphanumeric() || previous_lower && c.is_uppercase()) && !word.is_empty() {
                marks |= CLASS_WORDS
                    .iter()
                    .filter(|(known, _)| word == *known || known.len() > 4 && word.starts_with(known))
                    .fold(0, |m, (_, bits)| m | bits);
                word.clear();
            }
            if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
            }
            previous_lower = c.is_lowercase();
        }
        marks
    }

    proptest::proptest! {
        #[test]
        fn class_words_are_read_alike_byte_by_byte(
            value in "((nav|Nav|menu|related|Related|comments|ad|Ad|share|footer|é|ü|Ж|x|[a-zA-Z0-9]{1,30})[ _\\-]?){0,6}",
        ) {
            proptest::prop_assert_eq!(word_marks(&value), word_marks_by_chars(&value), "{:?}", value);
        }

        #[test]
        fn any_markup_gives_lines_without_tags_or_blank_lines(
            html in "(<(p|div|b|i|li|table|td|tr|script|style|title|br|svg|template|a)>|</(p|div|b|i|li|table|td|tr|script|style|title|svg|template|a)>|[a-z ]{1,6}|&amp;|<!--|-->|\n){0,40}",
        ) {
            let page = to_page(&html);
            proptest::prop_assert_eq!(page.text.lines().count(), page.markup.structure.len());
            let text = page.text;
            proptest::prop_assert!(text.is_empty() || text.ends_with('\n'));
            for line in text.lines() {
                proptest::prop_assert!(!line.trim().is_empty() && line.trim() == line, "{:?}", line);
                proptest::prop_assert!(!line.contains("  "), "{:?}", line);
            }
        }
    }
}
