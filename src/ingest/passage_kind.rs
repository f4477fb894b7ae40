//! What kind of text each passage is, from its section heading and its own
//! shape: never from the file, nor from a word of a query.
//!
//! An analyst reading a letter skims past the list of "what needs to
//! improve", the grade lines, the counts and the paragraphs about the visit
//! itself, and reads the findings. Ranking does the same with these kinds.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{DocumentMeta, Passage, PassageKind};

/// A pattern written in this file; a typo in one is caught by the unit tests.
fn re(pattern: &str) -> Regex {
    #[allow(clippy::expect_used)]
    Regex::new(pattern).expect("passage kind patterns are valid")
}

/// Headings of lists of what must get better.
static IMPROVEMENT_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(what needs to improve|needs? to improve|areas? (for|of|requiring|that require|which require|needing) (improvement|priority action|development|further development|action)|priority actions?|areas? for priority|what (the local authority|leaders|the partnership|the local area partnership|the council) (needs? to|should) (do|improve)|next steps|areas? (to|that) (improve|develop)|improvements? (needed|required))\b",
    )
});

static RECOMMENDATION_SECTION: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\brecommendations?\b"));

/// Headings of parts about the inspection or the authority rather than practice.
static CONTEXT_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(information about (this|the) (inspection|local authority|visit)|about this (inspection|visit|local authority)|(the )?inspection team|local area partnership details|other ofsted inspections|previous (ofsted )?inspections?|contents|the local area partnership|local authority information|inspection methodology|what inspectors (looked at|did)|the scope of the inspection)\b",
    )
});

/// Headings of parts that are counts about the area.
static STATISTIC_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(information about this local authority area|(children|child protection|children looked after|children in care) in this area|children and young people in this area)\b",
    )
});

/// Sentences about the visit or the letter itself, not about practice.
static CONTEXT_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(inspection dates?:|this letter (summarises|sets out)|this (visit|inspection) (was|took place|is)|the (visit|inspection) (was|took place)|ofsted will take|inspectors (looked at|evaluated|considered|reviewed|spoke|met|visited|carried out|sampled)|during (this|the) (visit|inspection),? inspectors|this was the (first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\w+) monitoring visit|we (carried out|looked at|evaluated|undertook)|(his|her) majesty'?s inspectors|if you have any questions|yours sincerely|i am copying this letter|a copy of this letter|the lead inspector was|the inspection team|the areas covered by|this report (is|was)|the local authority (was|has been) (last )?(judged|inspected)|the previous (ilacs |sif )?inspection|the last inspection of|at (its|the) (last|previous) inspection|ofsted (and|, ) ?the care quality commission|this joint (inspection|targeted area inspection)|the inspection (evaluated|considered|looked at))",
    )
});

/// An item that tells the authority what to do: it opens with a verb in
/// the imperative, as recommendations and lists of improvements are written.
static IMPERATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(improve|ensure|strengthen|develop|increase|reduce|review|establish|address|embed|implement|continue|make sure|provide|undertake|consider|extend|monitor|evaluate|secure|raise|build|prioriti[sz]e|clarify|agree|complete|take action|act|enable|work with|promote|sustain|refine|use)\b",
    )
});

/// A grade word as judgements are written.
static GRADE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(outstanding|good|requires? improvement( to be good)?|inadequate|positive experiences and outcomes|inconsistent experiences and outcomes|(widespread|systemic)( and/or systemic)? failings)\b",
    )
});

/// What a judgement is about.
static JUDGED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(overall effectiveness|experiences and progress|impact of leaders|leadership,? management and governance|children who need help and protection|adoption performance|children looked after and achieving permanence|judgement|judged|(local (area )?partnership'?s? )?(send )?arrangements (typically )?lead to|outcome)\b",
    )
});

/// A passage that starts with a count or a share of something.
static COUNT_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(\W*(approximately|about|around|nearly|almost|over|fewer than|more than|some|just over|just under)?\s*[\d,.]+\s*(%|per ?cent|\b))",
    )
});

/// A passage that starts with a date.
static DATE_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\W*\d{1,2}(st|nd|rd|th)? (january|february|march|april|may|june|july|august|september|october|november|december)",
    )
});

/// The kind of every passage of a document, read from its metadata (news or
/// not) and each passage's section and text.
pub fn classify_all(meta: &DocumentMeta, passages: &mut [Passage]) {
    let news = meta.source.as_deref() != Some("ofsted");
    for p in passages {
        p.kind = if news {
            PassageKind::News
        } else {
            classify(p.section.as_deref(), &p.text)
        };
    }
}

/// The kind of one passage of an Ofsted document.
pub fn classify(section: Option<&str>, text: &str) -> PassageKind {
    let words = text.split_whitespace().count();
    let section = section.unwrap_or("");
    let body = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    if words <= 30 && GRADE.is_match(text) && (JUDGED.is_match(text) || is_bare_grade(text)) {
        return PassageKind::Judgement;
    }
    if CONTEXT_TEXT.is_match(body) || is_list_of_names(text, words) {
        return PassageKind::Context;
    }
    if is_statistic(text, words)
        || (STATISTIC_SECTION.is_match(section) && digits_share(text) > 0.0)
    {
        return PassageKind::Statistic;
    }
    if RECOMMENDATION_SECTION.is_match(section) {
        return PassageKind::Recommendation;
    }
    if IMPROVEMENT_SECTION.is_match(section) {
        return PassageKind::Improvement;
    }
    if IMPERATIVE.is_match(&body.to_lowercase()) {
        return PassageKind::Recommendation;
    }
    if CONTEXT_SECTION.is_match(section) || STATISTIC_SECTION.is_match(section) {
        return PassageKind::Context;
    }
    PassageKind::Finding
}

/// A line that is only a grade ("Requires improvement to be good").
fn is_bare_grade(text: &str) -> bool {
    let rest = GRADE.replace_all(text, "");
    rest.chars().filter(|c| c.is_alphanumeric()).count() == 0
}

/// A list of people and their roles, or of organisations: most words
/// capitalised, as a sign-off or a team list is written, not a sentence.
fn is_list_of_names(text: &str, words: usize) -> bool {
    if words < 6 {
        return false;
    }
    let capitalised = text
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    capitalised * 10 >= words * 6 && text.matches(',').count() * 4 >= words / 2
}

/// Share of the words that hold a digit.
fn digits_share(text: &str) -> f32 {
    let (mut all, mut numeric) = (0usize, 0usize);
    for w in text.split_whitespace() {
        all += 1;
        if w.chars().any(|c| c.is_ascii_digit()) {
            numeric += 1;
        }
    }
    if all == 0 {
        0.0
    } else {
        numeric as f32 / all as f32
    }
}

/// A short line of counts: it opens with a number, or numbers are a good
/// share of its words.
fn is_statistic(text: &str, words: usize) -> bool {
    if words > 40 {
        return false;
    }
    let opens_with_count = COUNT_OPENING
        .captures(text)
        .and_then(|c| c.get(1))
        .is_some_and(|m| m.as_str().chars().any(|c| c.is_ascii_digit()));
    // A date is no count: "12 May 2021 ..." opens a sentence about a visit.
    let opens_with_date = DATE_OPENING.is_match(text);
    (opens_with_count && !opens_with_date && words <= 30) || digits_share(text) >= 0.2
}

#[cfg(test)]
mod tests {
    use super::*;
    use PassageKind::*;

    #[test]
    fn kinds_by_section_and_shape() {
        let cases: &[(Option<&str>, &str, PassageKind)] = &[
            (
                Some("What needs to improve?"),
                "Management oversight and supervision.",
                Improvement,
            ),
            (
                Some("Areas for priority action"),
                "The quality of assessments.",
                Improvement,
            ),
            (
                Some("Recommendations"),
                "Ensure that plans are specific.",
                Recommendation,
            ),
            (
                Some("Findings"),
                "Managers provide regular oversight, but it does not always lead to timely action for children.",
                Finding,
            ),
            (
                None,
                "The impact of leaders on social work practice with children and families: good",
                Judgement,
            ),
            (Some("Overall effectiveness"), "Requires improvement to be good", Judgement),
            (
                Some("Children in care"),
                "16 are unaccompanied asylum-seeking children.",
                Statistic,
            ),
            (
                Some("Information about this local authority area"),
                "Approximately 42,500 children and young people under the age of 18 live in the area. This is 21% of the total population.",
                Statistic,
            ),
            (
                None,
                "This letter summarises the findings of the focused visit to the authority on 3 and 4 May 2022.",
                Context,
            ),
            (
                Some("Information about this inspection"),
                "Inspectors spoke with children, families and partners.",
                Context,
            ),
            (
                Some("Assessment and care planning"),
                "Improve the quality of assessments and plans, so that they identify need.",
                Recommendation,
            ),
            (
                None,
                "Jane Doe, Head of Service, Targeted Youth Support, John Roe, Divisional Director, National Probation Service",
                Context,
            ),
            (Some("Inspection of X"), "Inspection dates: 9 to 13 October 2023", Context),
            (
                Some("Findings"),
                "Children who need help receive a good service from staff who know them well, and plans reflect their needs.",
                Finding,
            ),
        ];
        for (section, text, want) in cases {
            assert_eq!(classify(*section, text), *want, "{section:?} {text}");
        }
    }

    #[test]
    fn news_pages_are_news() {
        let meta = DocumentMeta {
            source: Some("BBC News".into()),
            ..DocumentMeta::default()
        };
        let mut ps = vec![Passage {
            page: None,
            paragraph: 0,
            section: Some("What needs to improve".into()),
            text: "Ofsted said leaders must improve.".into(),
            authorities_mentioned: vec![],
            kind: Finding,
        }];
        classify_all(&meta, &mut ps);
        assert_eq!(ps[0].kind, News);
    }
}
