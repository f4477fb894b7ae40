//! A compact, pre-order arena copy of the parsed document body with the
//! non-content elements removed and class/id hints precomputed.

use scraper::node::Element;
use scraper::{Html, Node};

/// Sentinel "no node" index.
pub(super) const NONE: u32 = u32::MAX;

/// Element categories the extractor cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    /// A text node.
    Text,
    /// The synthetic root.
    Root,
    /// Generic block container (div, section, ...).
    Block,
    /// Paragraph.
    P,
    /// Heading level 1..=6.
    H(u8),
    /// List item, `dt`, `dd`.
    Li,
    /// List container.
    List,
    /// Block quotation.
    Quote,
    /// Preformatted text.
    Pre,
    /// Table row.
    Tr,
    /// Table cell.
    Cell,
    /// Line break.
    Br,
    /// Link.
    A,
    /// Any inline element.
    Inline,
}

impl Tag {
    /// Whether the element starts a new text block.
    pub(super) fn is_block(self) -> bool {
        !matches!(self, Tag::Text | Tag::A | Tag::Inline | Tag::Cell | Tag::Br)
    }
}

/// One arena node.
#[derive(Debug, Clone)]
pub(super) struct ANode {
    /// Category.
    pub tag: Tag,
    /// Parent index (`NONE` for the root).
    pub parent: u32,
    /// One past the last pre-order index of the subtree.
    pub end: u32,
    /// Class/id/role/semantic-tag hint: negative = boilerplate, positive = content.
    pub hint: i8,
    /// Text content for text nodes.
    pub text: String,
}

/// The arena.
pub(super) struct Arena {
    /// Nodes in document pre-order; index 0 is the root.
    pub nodes: Vec<ANode>,
}

const DROP: [&str; 28] = [
    "script", "style", "noscript", "template", "svg", "iframe", "button", "select", "input",
    "textarea", "object", "embed", "canvas", "head", "math", "audio", "video", "map", "link",
    "meta", "title", "dialog", "label", "option", "datalist", "picture", "source", "nav",
];

fn classify(name: &str) -> Tag {
    match name {
        "p" => Tag::P,
        "h1" => Tag::H(1),
        "h2" => Tag::H(2),
        "h3" => Tag::H(3),
        "h4" => Tag::H(4),
        "h5" => Tag::H(5),
        "h6" => Tag::H(6),
        "li" | "dt" | "dd" => Tag::Li,
        "ul" | "ol" | "dl" | "menu" => Tag::List,
        "blockquote" => Tag::Quote,
        "pre" => Tag::Pre,
        "tr" => Tag::Tr,
        "td" | "th" => Tag::Cell,
        "br" => Tag::Br,
        "a" => Tag::A,
        "span" | "em" | "strong" | "b" | "i" | "u" | "s" | "small" | "big" | "sup" | "sub"
        | "font" | "time" | "abbr" | "cite" | "code" | "mark" | "q" | "img" | "del" | "ins"
        | "kbd" | "var" | "bdi" | "bdo" | "data" | "wbr" | "tt" | "strike" | "acronym" | "dfn"
        | "samp" | "ruby" | "rt" | "rp" | "output" | "nobr" => Tag::Inline,
        _ => Tag::Block,
    }
}

fn is_hidden(el: &Element) -> bool {
    if el.attr("hidden").is_some() {
        return true;
    }
    if el
        .attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

const NEG_SUB: [&str; 46] = [
    "comment",
    "related",
    "share",
    "sharing",
    "photo",
    "footer",
    "sidebar",
    "newsletter",
    "subscri",
    "promo",
    "advert",
    "cookie",
    "breadcrumb",
    "author-bio",
    "authorbio",
    "modal",
    "popup",
    "masthead",
    "outbrain",
    "taboola",
    "recommend",
    "signup",
    "sign-up",
    "disqus",
    "pagination",
    "pager",
    "toolbar",
    "widget",
    "sponsor",
    "byline",
    "caption",
    "credit",
    "banner",
    "tags",
    "menu",
    "skip",
    "rating",
    "more-from",
    "popular",
    "trending",
    "login",
    "consent",
    "gdpr",
    "teaser",
    "follow",
    "sr-only",
];
const NEG_TOKEN: [&str; 18] = [
    "ad",
    "ads",
    "nav",
    "navbar",
    "navigation",
    "meta",
    "tag",
    "topics",
    "cta",
    "aside",
    "author",
    "dateline",
    "date",
    "timestamp",
    "bio",
    "print",
    "header",
    "figure",
];
const POS_SUB: [&str; 12] = [
    "article", "content", "post", "entry", "body", "story", "main", "text", "blog", "prose",
    "news", "detail",
];
const STRONG_POS: [&str; 10] = [
    "articlebody",
    "article-body",
    "article_body",
    "entry-content",
    "post-content",
    "post-body",
    "story-body",
    "storybody",
    "article-content",
    "articlecontent",
];

fn token_hint(tok: &str) -> i8 {
    if tok.is_empty() {
        return 0;
    }
    if matches!(
        tok,
        "hidden"
            | "element-hidden"
            | "visually-hidden"
            | "visuallyhidden"
            | "screen-reader-text"
            | "is-hidden"
            | "d-none"
            | "hide"
    ) {
        return -1;
    }
    let neg = NEG_SUB.iter().any(|n| tok.contains(n))
        || tok
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|p| NEG_TOKEN.contains(&p));
    if neg {
        return -1;
    }
    if STRONG_POS.iter().any(|p| tok.contains(p)) {
        return 2;
    }
    if POS_SUB.iter().any(|p| tok.contains(p)) {
        return 1;
    }
    0
}

fn element_hint(name: &str, el: &Element) -> i8 {
    let mut pos = 0i8;
    let mut neg = false;
    match name {
        "article" | "main" => pos = 1,
        "aside" | "footer" | "header" | "figure" | "figcaption" | "address" => neg = true,
        _ => {}
    }
    if let Some(role) = el.attr("role") {
        match role.trim().to_ascii_lowercase().as_str() {
            "main" | "article" => pos = pos.max(1),
            "navigation" | "complementary" | "contentinfo" | "banner" | "search" | "dialog"
            | "alert" | "alertdialog" | "menu" | "menubar" => neg = true,
            _ => {}
        }
    }
    if let Some(ip) = el.attr("itemprop") {
        let ip = ip.to_ascii_lowercase();
        if ip.contains("articlebody") || ip == "text" || ip.contains("reviewbody") {
            return 3;
        }
    }
    let mut strong = false;
    for attr in ["class", "id"] {
        if let Some(v) = el.attr(attr) {
            for tok in v.split_whitespace() {
                let t = tok.to_ascii_lowercase();
                match token_hint(&t) {
                    -1 => neg = true,
                    2 => {
                        strong = true;
                        pos = pos.max(2)
                    }
                    1 => pos = pos.max(1),
                    _ => {}
                }
            }
        }
    }
    if strong {
        return 2;
    }
    if neg {
        return -1;
    }
    pos
}

impl Arena {
    /// Build the arena from a parsed document (iteratively; no recursion).
    pub(super) fn build(doc: &Html) -> Arena {
        let mut nodes: Vec<ANode> = Vec::new();
        nodes.push(ANode {
            tag: Tag::Root,
            parent: NONE,
            end: 1,
            hint: 0,
            text: String::new(),
        });
        let mut stack = Vec::new();
        for child in doc.tree.root().children().rev() {
            stack.push((child, 0u32));
        }
        while let Some((node, parent)) = stack.pop() {
            match node.value() {
                Node::Text(t) => {
                    let s: &str = t;
                    if !s.is_empty() {
                        // Merge adjacent text nodes.
                        if let Some(last) = nodes.last_mut() {
                            if last.tag == Tag::Text && last.parent == parent {
                                last.text.push_str(s);
                                continue;
                            }
                        }
                        nodes.push(ANode {
                            tag: Tag::Text,
                            parent,
                            end: 0,
                            hint: 0,
                            text: s.to_string(),
                        });
                    }
                }
                Node::Element(el) => {
                    let name = el.name();
                    if DROP.contains(&name) || is_hidden(el) {
                        continue;
                    }
                    let tag = if name == "html" || name == "body" {
                        Tag::Block
                    } else {
                        classify(name)
                    };
                    let hint = if name == "html" || name == "body" {
                        0
                    } else {
                        element_hint(name, el)
                    };
                    // A boilerplate-hinted inline element (caption span, share
                    // link) becomes its own block so it can be filtered.
                    let tag = if hint < 0 && matches!(tag, Tag::Inline | Tag::A) {
                        Tag::Block
                    } else {
                        tag
                    };
                    let idx = nodes.len() as u32;
                    nodes.push(ANode {
                        tag,
                        parent,
                        end: 0,
                        hint,
                        text: String::new(),
                    });
                    for child in node.children().rev() {
                        stack.push((child, idx));
                    }
                }
                Node::Document | Node::Fragment => {
                    for child in node.children().rev() {
                        stack.push((child, parent));
                    }
                }
                _ => {}
            }
        }
        for (i, n) in nodes.iter_mut().enumerate() {
            n.end = i as u32 + 1;
        }
        for i in (1..nodes.len()).rev() {
            let (end, parent) = match nodes.get(i) {
                Some(n) => (n.end, n.parent),
                None => continue,
            };
            if let Some(p) = nodes.get_mut(parent as usize) {
                if p.end < end {
                    p.end = end;
                }
            }
        }
        Arena { nodes }
    }

    /// Text of the first `<h1>` in the document, if any.
    pub(super) fn first_h1_text(&self) -> Option<String> {
        let i = self.nodes.iter().position(|n| n.tag == Tag::H(1))?;
        let end = self.nodes.get(i)?.end as usize;
        let mut out = String::new();
        for n in self.nodes.get(i + 1..end)? {
            if n.tag == Tag::Text {
                super::text::push_normalized(&mut out, &n.text);
            }
        }
        let t = out.trim().to_string();
        (!t.is_empty()).then_some(t)
    }
}
