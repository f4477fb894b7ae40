//! Children's-services acronyms and what they stand for: a search for either
//! form finds both.

/// One acronym and its expansions (lower case; matched on stems, so plurals count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acronym {
    /// The acronym, lower case.
    pub short: &'static str,
    /// The phrases it stands for, lower case.
    pub long: &'static [&'static str],
}

/// The built-in table.
pub const ACRONYMS: &[Acronym] = &[
    Acronym {
        short: "iro",
        long: &["independent reviewing officer"],
    },
    Acronym {
        short: "cse",
        long: &["child sexual exploitation"],
    },
    Acronym {
        short: "cce",
        long: &["child criminal exploitation"],
    },
    Acronym {
        short: "lado",
        long: &["local authority designated officer"],
    },
    Acronym {
        short: "plo",
        long: &["public law outline"],
    },
    Acronym {
        short: "mash",
        long: &["multi-agency safeguarding hub"],
    },
    Acronym {
        short: "uasc",
        long: &[
            "unaccompanied asylum-seeking children",
            "unaccompanied asylum-seeking child",
        ],
    },
    Acronym {
        short: "sgo",
        long: &["special guardianship order"],
    },
    Acronym {
        short: "ehcp",
        long: &["education, health and care plan"],
    },
    Acronym {
        short: "cin",
        long: &["children in need", "child in need"],
    },
    Acronym {
        short: "cp",
        long: &["child protection"],
    },
    Acronym {
        short: "cic",
        long: &["children in care", "child in care"],
    },
    Acronym {
        short: "lac",
        long: &[
            "looked after children",
            "looked-after children",
            "looked after child",
        ],
    },
    Acronym {
        short: "pep",
        long: &["personal education plan"],
    },
    Acronym {
        short: "dols",
        long: &["deprivation of liberty safeguards"],
    },
    Acronym {
        short: "jtai",
        long: &["joint targeted area inspection"],
    },
    Acronym {
        short: "ilacs",
        long: &["inspection of local authority children's services"],
    },
];

/// The entry for a word typed as an acronym (any case, plural `s` allowed).
pub fn by_short(word: &str) -> Option<&'static Acronym> {
    let w = word.to_lowercase();
    let singular = w.strip_suffix('s').unwrap_or(&w);
    ACRONYMS
        .iter()
        .find(|a| a.short == w || (a.short == singular && !a.short.ends_with('s')))
}

/// The entry whose expansion, split into tokens by `tokens_of` (e.g. stems),
/// equals these words. `tokens_of` must make one token of each run of
/// letters and digits, as the index's analyzers do: only expansions with as
/// many runs as there are words are tokenized (stemming every expansion was
/// 2 % of a top-10 query).
pub fn by_long<F>(words: &[String], mut tokens_of: F) -> Option<&'static Acronym>
where
    F: FnMut(&str) -> Vec<String>,
{
    let runs = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count()
    };
    ACRONYMS.iter().find(|a| {
        a.long
            .iter()
            .any(|l| runs(l) == words.len() && tokens_of(l) == words)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_either_form() {
        assert_eq!(by_short("IROs").map(|a| a.short), Some("iro"));
        assert_eq!(by_short("DoLS").map(|a| a.short), Some("dols"));
        assert_eq!(by_short("care"), None);
        let split = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let words = split("public law outline");
        assert_eq!(by_long(&words, split).map(|a| a.short), Some("plo"));
    }

    /// `by_long` skips expansions by their runs of letters and digits: the
    /// index's stemming analyzer must make exactly one token of each.
    #[test]
    fn every_expansion_has_a_token_per_run() {
        let analyzer = std::cell::RefCell::new(crate::index::tokenize::stemmed_analyzer());
        let tokens = |text: &str| {
            let mut analyzer = analyzer.borrow_mut();
            let mut stream = analyzer.token_stream(text);
            let mut out = Vec::new();
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        for a in ACRONYMS {
            for long in a.long {
                let found = by_long(&tokens(long), tokens).map(|found| found.short);
                assert_eq!(found, Some(a.short), "{long}");
            }
        }
    }
}
