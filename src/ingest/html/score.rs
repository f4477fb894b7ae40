//! Block segmentation, container scoring and boilerplate filtering.

use super::dom::{Arena, Tag, NONE};
use super::text;
use super::BlockKind;

/// A text block found anywhere in the document.
#[derive(Debug, Clone)]
pub(super) struct RawBlock {
    /// Heading or paragraph.
    pub kind: BlockKind,
    /// Whether the block comes from an `<h1>`.
    pub is_h1: bool,
    /// Normalised text.
    pub text: String,
    /// Visible characters.
    pub chars: u32,
    /// Visible characters inside links.
    pub link_chars: u32,
    /// Nearest block-level ancestor (arena index).
    pub container: u32,
}

struct Segmenter<'a> {
    arena: &'a Arena,
    buf: String,
    chars: u32,
    link_chars: u32,
    out: Vec<RawBlock>,
}

impl Segmenter<'_> {
    fn flush(&mut self, container: u32, heading: u8) {
        let t = text::normalize(&self.buf);
        if !t.is_empty() && self.chars > 0 {
            self.out.push(RawBlock {
                kind: if heading > 0 {
                    BlockKind::Heading
                } else {
                    BlockKind::Paragraph
                },
                is_h1: heading == 1,
                text: t,
                chars: self.chars,
                link_chars: self.link_chars.min(self.chars),
                container,
            });
        }
        self.buf.clear();
        self.chars = 0;
        self.link_chars = 0;
    }

    /// Split the whole arena into text blocks, iteratively.
    fn run(mut self) -> Vec<RawBlock> {
        let nodes = &self.arena.nodes;
        // (index, exiting)
        let mut stack: Vec<(u32, bool)> = vec![(0, false)];
        // Open block elements: (index, heading level in effect).
        let mut blocks: Vec<(u32, u8)> = Vec::new();
        let mut link_depth = 0u32;
        while let Some((i, exiting)) = stack.pop() {
            let Some(n) = nodes.get(i as usize) else {
                continue;
            };
            let (cur, heading) = blocks.last().copied().unwrap_or((0, 0));
            if exiting {
                match n.tag {
                    Tag::A => link_depth = link_depth.saturating_sub(1),
                    t if t.is_block() => {
                        self.flush(cur, heading);
                        blocks.pop();
                    }
                    _ => {}
                }
                continue;
            }
            match n.tag {
                Tag::Text => {
                    let before = self.buf.len();
                    text::push_normalized(&mut self.buf, &n.text);
                    let added = self.buf.get(before..).map(text::visible_len).unwrap_or(0) as u32;
                    self.chars += added;
                    if link_depth > 0 {
                        self.link_chars += added;
                    }
                    continue;
                }
                Tag::Br => {
                    self.flush(cur, heading);
                    continue;
                }
                Tag::Cell if !self.buf.is_empty() && !self.buf.ends_with(' ') => {
                    self.buf.push(' ');
                }
                Tag::A => link_depth += 1,
                t if t.is_block() => {
                    self.flush(cur, heading);
                    let h = match t {
                        Tag::H(l) => l,
                        _ => heading,
                    };
                    blocks.push((i, h));
                }
                _ => {}
            }
            stack.push((i, true));
            // Children are the direct-child chain within (i+1 .. end).
            let end = n.end;
            let mut children = Vec::new();
            let mut c = i + 1;
            while c < end {
                children.push(c);
                c = nodes
                    .get(c as usize)
                    .map(|x| x.end.max(c + 1))
                    .unwrap_or(end);
            }
            for c in children.into_iter().rev() {
                stack.push((c, false));
            }
        }
        let (cur, heading) = blocks.last().copied().unwrap_or((0, 0));
        self.flush(cur, heading);
        self.out
    }
}

/// Content value of a block for container scoring (0 for non-paragraphs).
fn block_value(b: &RawBlock) -> f64 {
    if b.kind == BlockKind::Heading || b.chars < 25 {
        return 0.0;
    }
    if b.link_chars * 2 >= b.chars {
        return 0.0;
    }
    let l = f64::from(b.chars);
    1.0 + (text::commas(&b.text).min(10) as f64) + (l / 100.0).min(3.0)
}

fn is_markup_text(t: &str) -> bool {
    t.starts_with('<') && t.ends_with('>')
}

/// Per-node accumulated statistics.
struct Stats {
    /// Visible characters in the subtree.
    chars: Vec<f64>,
    /// Visible link characters in the subtree.
    links: Vec<f64>,
    /// Readability-style content score.
    score: Vec<f64>,
    /// Nearest negative-hinted ancestor-or-self.
    nearest_neg: Vec<u32>,
}

impl Stats {
    fn link_density(&self, i: usize) -> f64 {
        let c = self.chars.get(i).copied().unwrap_or(0.0);
        if c <= 0.0 {
            return 0.0;
        }
        self.links.get(i).copied().unwrap_or(0.0) / c
    }
}

fn compute_stats(arena: &Arena, blocks: &[RawBlock]) -> Stats {
    let nodes = &arena.nodes;
    let n = nodes.len();
    let mut chars = vec![0f64; n];
    let mut links = vec![0f64; n];
    let mut score = vec![0f64; n];
    let parent_of = |i: u32| nodes.get(i as usize).map(|x| x.parent).unwrap_or(NONE);
    for b in blocks {
        let c = b.container as usize;
        if let Some(x) = chars.get_mut(c) {
            *x += f64::from(b.chars);
        }
        if let Some(x) = links.get_mut(c) {
            *x += f64::from(b.link_chars);
        }
        let v = block_value(b);
        if v <= 0.0 {
            continue;
        }
        let tag = nodes.get(c).map(|x| x.tag).unwrap_or(Tag::Root);
        let mut target = match tag {
            Tag::Block | Tag::Root => b.container,
            _ => parent_of(b.container),
        };
        let mut level = 0u32;
        while target != NONE && level < 5 {
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => f64::from(l) * 3.0,
            };
            if let Some(x) = score.get_mut(target as usize) {
                *x += v / div;
            }
            target = parent_of(target);
            level += 1;
        }
    }
    for i in (1..n).rev() {
        let p = parent_of(i as u32) as usize;
        let (c, l) = (
            chars.get(i).copied().unwrap_or(0.0),
            links.get(i).copied().unwrap_or(0.0),
        );
        if let Some(x) = chars.get_mut(p) {
            *x += c;
        }
        if let Some(x) = links.get_mut(p) {
            *x += l;
        }
    }
    let mut nearest_neg = vec![NONE; n];
    for i in 0..n {
        let Some(node) = nodes.get(i) else { continue };
        let inherited = nearest_neg
            .get(node.parent as usize)
            .copied()
            .unwrap_or(NONE);
        if let Some(x) = nearest_neg.get_mut(i) {
            *x = if node.hint < 0 { i as u32 } else { inherited };
        }
    }
    Stats {
        chars,
        links,
        score,
        nearest_neg,
    }
}

fn hint_factor(h: i8) -> f64 {
    match h {
        h if h < 0 => 0.5,
        0 => 1.0,
        1 => 1.15,
        2 => 1.3,
        _ => 1.5,
    }
}

/// Final candidate score of a node.
fn candidate_score(arena: &Arena, st: &Stats, i: usize) -> f64 {
    let Some(node) = arena.nodes.get(i) else {
        return 0.0;
    };
    let s = st.score.get(i).copied().unwrap_or(0.0);
    if s <= 0.0 {
        return 0.0;
    }
    let mut f = hint_factor(node.hint);
    let anc_neg = st
        .nearest_neg
        .get(node.parent as usize)
        .copied()
        .unwrap_or(NONE);
    if anc_neg != NONE && anc_neg != 0 {
        f *= 0.35;
    }
    s * f * (1.0 - st.link_density(i))
}

/// Segment the document, pick the main container and return its cleaned
/// blocks in reading order.
pub(super) fn extract_blocks(arena: &Arena) -> Vec<RawBlock> {
    let blocks = Segmenter {
        arena,
        buf: String::new(),
        chars: 0,
        link_chars: 0,
        out: Vec::new(),
    }
    .run();
    let nodes = &arena.nodes;
    let n = nodes.len();
    let st = compute_stats(arena, &blocks);

    // Choose the best container.
    let mut best = 0usize;
    let mut best_score = 0.0;
    for i in 0..n {
        let Some(node) = nodes.get(i) else { continue };
        if !matches!(node.tag, Tag::Block | Tag::Root | Tag::Cell | Tag::Quote) {
            continue;
        }
        let sc = candidate_score(arena, &st, i);
        if sc > best_score {
            best_score = sc;
            best = i;
        }
    }
    // Several strong candidates close together (an article split into
    // chunks): move up to their common ancestor.
    let is_anc = |a: usize, d: usize| a <= d && nodes.get(a).is_some_and(|x| (x.end as usize) > d);
    let mut others: Vec<(f64, usize)> = (0..n)
        .filter(|&i| i != best && !is_anc(i, best) && !is_anc(best, i))
        .filter(|&i| {
            nodes
                .get(i)
                .is_some_and(|x| matches!(x.tag, Tag::Block | Tag::Cell | Tag::Quote))
        })
        .map(|i| (candidate_score(arena, &st, i), i))
        .filter(|&(s, _)| s >= best_score * 0.5)
        .collect();
    others.sort_by(|a, b| b.0.total_cmp(&a.0));
    for &(_, o) in others.iter().take(4) {
        // Lowest common ancestor within a few levels of `best`.
        let mut a = nodes.get(best).map(|x| x.parent).unwrap_or(NONE);
        let mut steps = 0;
        while a != NONE && steps < 4 && !is_anc(a as usize, o) {
            a = nodes.get(a as usize).map(|x| x.parent).unwrap_or(NONE);
            steps += 1;
        }
        if a != NONE && a != 0 && is_anc(a as usize, o) && st.link_density(a as usize) < 0.25 {
            let au = a as usize;
            if nodes.get(au).is_some_and(|x| x.hint >= 0) {
                best = au;
                best_score = best_score.max(candidate_score(arena, &st, au));
            }
        }
    }
    // Include good siblings of the winner.
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    let Some(top) = nodes.get(best) else {
        return Vec::new();
    };
    let threshold = (best_score * 0.2).max(10.0);
    if top.parent != NONE && best != 0 {
        let parent = top.parent;
        let pend = nodes.get(parent as usize).map(|p| p.end).unwrap_or(0);
        let mut c = parent + 1;
        while c < pend {
            let Some(sib) = nodes.get(c as usize) else {
                break;
            };
            let next = sib.end.max(c + 1);
            let ci = c as usize;
            let include = if ci == best {
                true
            } else if sib.tag == Tag::Text || sib.hint < 0 {
                false
            } else {
                let sc = candidate_score(arena, &st, ci);
                let chars = st.chars.get(ci).copied().unwrap_or(0.0);
                let ld = st.link_density(ci);
                sc >= threshold
                    || (matches!(sib.tag, Tag::P | Tag::Quote | Tag::List | Tag::Pre)
                        && chars > 80.0
                        && ld < 0.25)
            };
            if include {
                ranges.push((c, next));
            }
            c = next;
        }
    } else {
        ranges.push((best as u32, top.end));
    }

    let mut out = Vec::new();
    let mut r = 0usize;
    for b in blocks {
        while ranges.get(r).is_some_and(|&(_, hi)| b.container >= hi) {
            r += 1;
        }
        let Some(&(lo, _)) = ranges.get(r) else { break };
        if b.container < lo {
            continue;
        }
        let neg = st
            .nearest_neg
            .get(b.container as usize)
            .copied()
            .unwrap_or(NONE);
        if neg != NONE && neg > lo {
            // A boilerplate-hinted region inside the chosen container is
            // dropped unless it holds most of the container's text.
            let nc = st.chars.get(neg as usize).copied().unwrap_or(0.0);
            let tc = st.chars.get(lo as usize).copied().unwrap_or(0.0);
            if nc < tc * 0.5 {
                continue;
            }
        }
        if (b.link_chars * 2 > b.chars && b.chars - b.link_chars < 50) || is_markup_text(&b.text) {
            continue;
        }
        out.push(b);
    }
    out
}
