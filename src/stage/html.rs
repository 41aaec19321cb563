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
    /// Whether the page named `name`, whose decoded text is `text`, is read as HTML.
    pub fn reads_as_html(self, name: &str, text: &str) -> bool {
        match self {
            InputFormat::Text => false,
            InputFormat::Html => true,
            InputFormat::Auto => has_html_extension(name) || starts_like_html(text),
        }
    }
}

fn has_html_extension(name: &str) -> bool {
    let extension = name.rsplit_once('.').map_or("", |(_, extension)| extension);
    ["html", "htm", "xhtml"].iter().any(|html| extension.eq_ignore_ascii_case(html))
}

/// A document that starts, after a byte order mark and white space, with `<!doctype html`,
/// `<html` or `<head` (in any case).
fn starts_like_html(text: &str) -> bool {
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\n', '\r', '\u{c}']).as_bytes();
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
    "td",
    "th",
    "title",
    "tr",
    "ul",
];

/// Elements whose content is no text a reader sees.
pub const SKIPPED: &[&str] = &["script", "style", "noscript", "template", "svg", "iframe", "math", "head"];

/// The text of an HTML page, a line per block, lines separated by line feeds.
pub fn to_text(html: &str) -> String {
    let tree = html5ever::parse_document(Tree::new(), Default::default()).one(html);
    tree.lines()
}

type Id = usize;
const DOCUMENT: Id = 0;

enum Kind {
    /// The document, template contents, comments and processing instructions.
    Container,
    Element {
        name: QualName,
        template_contents: Option<Id>,
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

    /// The lines of the tree, walked depth first with a stack (broken pages nest thousands of
    /// elements deep).
    fn lines(&self) -> String {
        enum Step {
            /// A node, and whether it is inside the head, where only the title is read.
            Enter(Id, bool),
            /// The end of a block element.
            Leave,
        }
        let nodes = self.nodes.borrow();
        let mut lines = Lines::default();
        let mut stack = vec![Step::Enter(DOCUMENT, false)];
        while let Some(step) = stack.pop() {
            let (id, in_head) = match step {
                Step::Leave => {
                    lines.end_line();
                    continue;
                }
                Step::Enter(id, in_head) => (id, in_head),
            };
            let tag: &str = match &nodes[id].kind {
                Kind::Text(text) => {
                    lines.push(text);
                    continue;
                }
                Kind::Container if id == DOCUMENT => "",
                Kind::Container => continue,
                Kind::Element { name, .. } => &name.local,
            };
            if in_head && tag != "title" || tag != "head" && SKIPPED.contains(&tag) {
                continue;
            }
            if BLOCKS.contains(&tag) {
                lines.end_line();
                stack.push(Step::Leave);
            }
            let mut child = nodes[id].last_child;
            while let Some(c) = child {
                stack.push(Step::Enter(c, in_head || tag == "head"));
                child = nodes[c].previous;
            }
        }
        lines.end_line();
        lines.text
    }
}

/// The text being made: words joined by single spaces, a line feed where a block ends.
#[derive(Default)]
struct Lines {
    text: String,
    /// Whether the current line has a word yet.
    in_line: bool,
    /// White space seen since the last word.
    space: bool,
}

impl Lines {
    fn push(&mut self, text: &str) {
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

    fn create_element(&self, name: QualName, _attrs: Vec<Attribute>, flags: ElementFlags) -> Id {
        let template_contents = flags.template.then(|| self.add(Kind::Container));
        self.add(Kind::Element { name, template_contents })
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
        assert_eq!(lines("<table><tr><td>a<td>b<tr><td>c</table>"), ["a", "b", "c"]);
        assert_eq!(lines("</div></p><p>a</span></li>b</p>"), ["ab"]);
        assert_eq!(lines("<p>x</p><!-- never closed <p>hidden</p>"), ["x"]);
        assert_eq!(lines("<table>stray<tr><td>cell</td></tr></table>"), ["stray", "cell"]);
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
        assert!(auto.reads_as_html("site/page.HTML", "plain"));
        assert!(auto.reads_as_html("page.htm", ""));
        assert!(auto.reads_as_html("page.txt", "\u{feff}\n  <!DOCTYPE html><p>x"));
        assert!(auto.reads_as_html("-", "<html lang=en>"));
        assert!(auto.reads_as_html("page", "<HEAD><title>x"));
        assert!(!auto.reads_as_html("page.txt", "Text that mentions <html> later."));
        assert!(!auto.reads_as_html("page.txt", "<p>a fragment is text unless named .html</p>"));
        assert!(!InputFormat::Text.reads_as_html("page.html", "<html>"));
        assert!(InputFormat::Html.reads_as_html("page.txt", "plain"));
    }

    proptest::proptest! {
        #[test]
        fn any_markup_gives_lines_without_tags_or_blank_lines(
            html in "(<(p|div|b|i|li|table|td|tr|script|style|title|br|svg|template|a)>|</(p|div|b|i|li|table|td|tr|script|style|title|svg|template|a)>|[a-z ]{1,6}|&amp;|<!--|-->|\n){0,40}",
        ) {
            let text = to_text(&html);
            proptest::prop_assert!(text.is_empty() || text.ends_with('\n'));
            for line in text.lines() {
                proptest::prop_assert!(!line.trim().is_empty() && line.trim() == line, "{:?}", line);
                proptest::prop_assert!(!line.contains("  "), "{:?}", line);
            }
        }
    }
}
