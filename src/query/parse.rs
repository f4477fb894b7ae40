//! The query language: words, "phrases", "phrase"~N, OR, NOT/-, (groups),
//! prefix*, and field filters such as authority:"South Glos" or date:[2019 TO 2021].

/// A field a query may filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    /// A metadata field of the registry ([`crate::fields::FIELDS`]).
    Meta(FieldId),
    /// Section heading words.
    Section,
    /// Document date or range.
    Date,
    /// Title words.
    Title,
    /// Passages that name an authority.
    Mentions,
}

/// Names accepted before `:` in a query for the fields outside the
/// registry; the registry's own names and aliases are accepted too.
pub const FIELD_NAMES: &[(&str, FilterField)] = &[
    ("section", FilterField::Section),
    ("date", FilterField::Date),
    ("year", FilterField::Date),
    ("title", FilterField::Title),
    ("mentions", FilterField::Mentions),
];

impl FilterField {
    /// The field a query calls `name`.
    pub fn named(name: &str) -> Option<FilterField> {
        FIELD_NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, f)| *f)
            .or_else(|| FieldId::named(name).map(FilterField::Meta))
    }

    /// Every name a query may use, registry fields first.
    pub fn names() -> Vec<&'static str> {
        FieldId::all()
            .map(FieldId::name)
            .chain(FIELD_NAMES.iter().map(|(n, _)| *n))
            .collect()
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A bare word; `prefix` when written `word*`.
    Word {
        /// The word as typed.
        text: String,
        /// Written with a trailing `*`.
        prefix: bool,
    },
    /// A quoted phrase, matched exactly, with optional `~N` slop.
    Phrase {
        /// Words of the phrase as typed.
        text: String,
        /// Words allowed between the phrase's words.
        slop: u32,
    },
    /// A field filter.
    Filter {
        /// Which field.
        field: FilterField,
        /// The value as typed (a range is `FROM TO`).
        value: FilterValue,
    },
    /// All must match.
    And(Vec<Expr>),
    /// Any may match.
    Or(Vec<Expr>),
    /// Must not match.
    Not(Box<Expr>),
}

/// A filter's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterValue {
    /// One value.
    One(String),
    /// An inclusive range; `*` or empty for open ends.
    Range(String, String),
}

use crate::fields::FieldId;
use crate::index::tokenize::MAX_SLOP;

/// A query that cannot be parsed: what is wrong, and a hint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad query: {message} (hint: {hint})")]
pub struct QueryError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl QueryError {
    /// A new error.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> QueryError {
        QueryError {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Phrase(String, u32),
    Field(String),
    Range(String, String),
    LParen,
    RParen,
    Minus,
    Plus,
}

/// Longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 10_000;
/// Deepest nesting of parentheses accepted.
const MAX_DEPTH: usize = 64;

fn lex(input: &str) -> Result<Vec<Token>, QueryError> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c.is_control() {
            i += 1;
        } else if c == '(' {
            tokens.push(Token::LParen);
            i += 1;
        } else if c == ')' {
            tokens.push(Token::RParen);
            i += 1;
        } else if (c == '-' || c == '+') && chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
            tokens.push(if c == '-' { Token::Minus } else { Token::Plus });
            i += 1;
        } else if c == '"' || c == '“' || c == '”' {
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && !matches!(chars[end], '"' | '“' | '”') {
                end += 1;
            }
            if end >= chars.len() {
                return Err(QueryError::new(
                    "unbalanced quote",
                    "close the phrase with a second \" (or remove the quote)",
                ));
            }
            let phrase: String = chars[start..end].iter().collect();
            i = end + 1;
            let mut slop = 0;
            if chars.get(i) == Some(&'~') {
                let digits_start = i + 1;
                let mut j = digits_start;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
                let digits: String = chars[digits_start..j].iter().collect();
                slop = digits.parse::<u32>().map_err(|_| {
                    QueryError::new(
                        format!("bad proximity after \"{phrase}\""),
                        "write a number of words after ~, e.g. \"management oversight\"~3",
                    )
                })?;
                if slop > MAX_SLOP {
                    return Err(QueryError::new(
                        format!("proximity ~{slop} is too large"),
                        format!("use at most ~{MAX_SLOP}: proximity stays inside a sentence"),
                    ));
                }
                i = j;
            }
            tokens.push(Token::Phrase(phrase, slop));
        } else if c == '[' {
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && chars[end] != ']' {
                end += 1;
            }
            if end >= chars.len() {
                return Err(QueryError::new(
                    "unclosed range",
                    "write a range as [2019 TO 2021]",
                ));
            }
            let inner: String = chars[start..end].iter().collect();
            let parts: Vec<&str> = inner.split_whitespace().collect();
            match parts.as_slice() {
                [from, to_kw, to] if to_kw.eq_ignore_ascii_case("to") => {
                    tokens.push(Token::Range(from.to_string(), to.to_string()))
                }
                _ => {
                    return Err(QueryError::new(
                        format!("bad range [{inner}]"),
                        "write a range as [2019 TO 2021] (use * for an open end)",
                    ))
                }
            }
            i = end + 1;
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')' | '"' | '“' | '”' | '[')
            {
                if chars[i] == ':' {
                    break;
                }
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if chars.get(i) == Some(&':') {
                i += 1;
                if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic() || c == '_') {
                    tokens.push(Token::Field(word));
                } else if !word.is_empty() {
                    tokens.push(Token::Word(word));
                }
            } else if !word.is_empty() {
                tokens.push(Token::Word(word));
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn is_keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w == kw)
    }

    fn or_expr(&mut self) -> Result<Expr, QueryError> {
        let mut parts = vec![self.and_expr()?];
        while self.is_keyword("OR") {
            self.pos += 1;
            if self.at_end_of_group() {
                return Err(QueryError::new(
                    "OR with nothing after it",
                    "write OR between two terms, e.g. IRO OR \"reviewing officer\"",
                ));
            }
            parts.push(self.and_expr()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn at_end_of_group(&self) -> bool {
        matches!(self.peek(), None | Some(Token::RParen))
    }

    fn and_expr(&mut self) -> Result<Expr, QueryError> {
        let mut parts = Vec::new();
        while !self.at_end_of_group() && !self.is_keyword("OR") {
            if self.is_keyword("AND") {
                self.pos += 1;
                continue;
            }
            parts.push(self.unary()?);
        }
        match parts.len() {
            0 => Err(QueryError::new(
                "empty query or group",
                "type at least one word, e.g. ofsearch search \"management oversight\"",
            )),
            1 => Ok(parts.remove(0)),
            _ => Ok(Expr::And(parts)),
        }
    }

    /// Go one level deeper, failing with this message past [`MAX_DEPTH`].
    fn enter(&mut self, what: &str, hint: &str) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(QueryError::new(what, hint));
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        if self.is_keyword("NOT") || matches!(self.peek(), Some(Token::Minus)) {
            self.pos += 1;
            if self.at_end_of_group() {
                return Err(QueryError::new(
                    "NOT with nothing after it",
                    "write NOT before a term, e.g. oversight NOT management",
                ));
            }
            // Each NOT nests like a group: bound it, or "- - - … a" overflows the stack.
            self.enter(
                "too many NOT or - in a row",
                "one NOT (or -) before a term is enough",
            )?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        if matches!(self.peek(), Some(Token::Plus)) {
            self.pos += 1;
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        match self.next() {
            Some(Token::LParen) => {
                self.enter("parentheses nested too deeply", "simplify the query")?;
                let inner = self.or_expr()?;
                self.depth -= 1;
                match self.next() {
                    Some(Token::RParen) => Ok(inner),
                    _ => Err(QueryError::new(
                        "unbalanced parenthesis: missing )",
                        "close every ( with a )",
                    )),
                }
            }
            Some(Token::RParen) => Err(QueryError::new(
                "unbalanced parenthesis: ) without (",
                "remove the ) or add a (",
            )),
            Some(Token::Phrase(text, slop)) => Ok(Expr::Phrase { text, slop }),
            Some(Token::Word(w)) => {
                let prefix = w.ends_with('*') && w.len() > 1;
                let text = w.trim_end_matches('*').to_string();
                if text.is_empty() {
                    return Err(QueryError::new(
                        "a lone * matches everything",
                        "put at least one letter before *, e.g. supervis*",
                    ));
                }
                Ok(Expr::Word { text, prefix })
            }
            Some(Token::Field(name)) => {
                let field = FilterField::named(&name).ok_or_else(|| {
                    let names = FilterField::names();
                    QueryError::new(
                        format!("unknown field '{name}:'"),
                        format!(
                            "fields are {}; to search for the text, quote it: \"{name}:\"",
                            names.join(", ")
                        ),
                    )
                })?;
                let value = match self.next() {
                    Some(Token::Word(w)) => FilterValue::One(w),
                    Some(Token::Phrase(p, _)) => FilterValue::One(p),
                    Some(Token::Range(a, b)) => FilterValue::Range(a, b),
                    _ => {
                        return Err(QueryError::new(
                            format!("'{name}:' has no value"),
                            format!("write a value after it, e.g. {name}:\"value\""),
                        ))
                    }
                };
                Ok(Expr::Filter { field, value })
            }
            Some(Token::Range(a, b)) => Err(QueryError::new(
                format!("range [{a} TO {b}] without a field"),
                "write it after a field, e.g. date:[2019 TO 2021]",
            )),
            Some(Token::Minus | Token::Plus) | None => Err(QueryError::new(
                "unexpected end of query",
                "finish the query with a word or phrase",
            )),
        }
    }
}

/// Parse a query string.
pub fn parse(input: &str) -> Result<Expr, QueryError> {
    if input.len() > MAX_QUERY_BYTES {
        return Err(QueryError::new(
            format!("query is {} bytes long", input.len()),
            format!("keep queries under {MAX_QUERY_BYTES} bytes"),
        ));
    }
    let tokens = lex(input)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let expr = parser.or_expr()?;
    if parser.pos < parser.tokens.len() {
        return Err(QueryError::new(
            "unbalanced parenthesis: ) without (",
            "remove the ) or add a (",
        ));
    }
    Ok(expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(t: &str) -> Expr {
        Expr::Word {
            text: t.into(),
            prefix: false,
        }
    }

    #[test]
    fn words_phrases_and_operators() {
        assert_eq!(
            parse("management oversight").unwrap(),
            Expr::And(vec![word("management"), word("oversight")])
        );
        assert_eq!(
            parse("\"management oversight\"~3").unwrap(),
            Expr::Phrase {
                text: "management oversight".into(),
                slop: 3
            }
        );
        assert_eq!(
            parse("a OR b -c").unwrap(),
            Expr::Or(vec![
                word("a"),
                Expr::And(vec![word("b"), Expr::Not(Box::new(word("c")))])
            ])
        );
        assert_eq!(
            parse("supervis*").unwrap(),
            Expr::Word {
                text: "supervis".into(),
                prefix: true
            }
        );
        assert_eq!(
            parse("(a OR b) c").unwrap(),
            Expr::And(vec![Expr::Or(vec![word("a"), word("b")]), word("c")])
        );
        assert_eq!(parse("decision-making").unwrap(), word("decision-making"));
    }

    #[test]
    fn filters() {
        assert_eq!(
            parse("authority:\"South Glos\"").unwrap(),
            Expr::Filter {
                field: FilterField::Meta(crate::fields::AUTHORITY),
                value: FilterValue::One("South Glos".into())
            }
        );
        assert_eq!(
            parse("date:[2019 TO 2021]").unwrap(),
            Expr::Filter {
                field: FilterField::Date,
                value: FilterValue::Range("2019".into(), "2021".into())
            }
        );
    }

    #[test]
    fn errors_are_explained() {
        for bad in [
            "\"open", "(a b", "a b)", "OR", "a OR", "NOT", "foo:bar", "type:", "[1 TO 2]", "*",
            "\"x\"~y", "",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(!err.message.is_empty() && !err.hint.is_empty(), "{bad}");
        }
        let deep = "(".repeat(1000) + "a" + &")".repeat(1000);
        assert!(parse(&deep).is_err());
        // Regression: thousands of NOT / - recursed until the stack overflowed.
        assert!(parse(&("-".repeat(9_000) + "a")).is_err());
        assert!(parse(&("NOT ".repeat(2_400) + "a")).is_err());
        assert!(parse("NOT NOT a").is_ok());
    }
}
