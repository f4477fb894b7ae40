//! The metadata fields a user filters and counts by, each declared once.
//!
//! One entry gives a field its name (the query language's `name:`, the CLI's
//! `--name`, the API's `name=`, the facet `--by name`), the tantivy field
//! that holds it, how a document or passage gives its values, and how a typed
//! value is read. The schema, the writer, the query language, the CLI flags,
//! the API parameters, the facets and the page's sidebar are all made from
//! [`FIELDS`]: a new field is its reader, one entry here, its test and its
//! README row.

use crate::document::{DocumentMeta, Grade, Passage, PassageKind, SendOutcome, VisitType};
use crate::gazetteer::Gazetteer;

/// A typed value that names nothing the field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// Where a field's values come from.
#[derive(Clone, Copy)]
pub enum Values {
    /// The document's: every passage of it carries them.
    Document(fn(&DocumentMeta) -> Vec<String>),
    /// Each passage's own.
    Passage(fn(&Passage) -> Vec<String>),
}

/// One metadata field.
pub struct MetaField {
    /// Its name: `name:` in queries, `--name` on the command line, `name=`
    /// in URLs, `--by name` for facets.
    pub name: &'static str,
    /// Other names accepted in queries and URLs.
    pub aliases: &'static [&'static str],
    /// What the command-line flag does (its help line).
    pub help: &'static str,
    /// The flag's value in help (`NAME`, `GRADE`…).
    pub value_name: &'static str,
    /// Its heading in the web page's sidebar.
    pub label: &'static str,
    /// The tantivy field holding it (an untokenized keyword, also a fast field).
    pub index: &'static str,
    /// Where its values come from, as shown (facets) and stored ([`MetaField::stored`]).
    pub values: Values,
    /// Values are stored lower case (names typed in any case).
    pub folded: bool,
    /// The stored value a typed one stands for; corrections go to the notes.
    pub resolve: fn(&str, &mut Vec<String>) -> Result<String, FieldError>,
    /// Counted by `facets --by` and shown in the page's sidebar.
    pub facet: bool,
    /// How output shows it: `None` when the output contract's own fields
    /// already do (`authority`, `visit_type`, `inspectors` …), else the JSON
    /// key and CSV column it is printed under, when a document has it.
    pub printed_as: Option<&'static str>,
}

impl MetaField {
    /// A value as the index stores it.
    pub fn stored(&self, value: &str) -> String {
        if self.folded {
            value.to_lowercase()
        } else {
            value.to_string()
        }
    }

    /// Whether a query or URL may call the field `name`.
    pub fn is_named(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }
}

/// The fields printed beside the contract's own, with a document's value of
/// each (those it has: one value, or several joined by `; `).
pub fn printed_extras(meta: &DocumentMeta) -> impl Iterator<Item = (&'static str, String)> + '_ {
    FIELDS.iter().filter_map(move |f| {
        let key = f.printed_as?;
        let Values::Document(of) = f.values else {
            return None;
        };
        let values = of(meta);
        (!values.is_empty()).then(|| (key, values.join("; ")))
    })
}

/// Every key [`printed_extras`] may print, in order: CSV columns.
pub fn printed_keys() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().filter_map(|f| f.printed_as)
}

/// A field's place in [`FIELDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(usize);

impl FieldId {
    /// Its declaration.
    pub fn spec(self) -> &'static MetaField {
        &FIELDS[self.0]
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Every field, in declaration order.
    pub fn all() -> impl Iterator<Item = FieldId> {
        (0..FIELDS.len()).map(FieldId)
    }

    /// The field a query or URL names (its name or an alias, any case).
    pub fn named(name: &str) -> Option<FieldId> {
        FieldId::all().find(|f| f.spec().is_named(name))
    }

    /// Its place, for tables kept beside [`FIELDS`].
    pub fn index(self) -> usize {
        self.0
    }
}

// The fields code names, in [`FIELDS`]' order (a test holds them to it).
/// `authority`.
pub const AUTHORITY: FieldId = FieldId(0);
/// `kind` (a passage's).
pub const KIND: FieldId = FieldId(1);
/// `type` (visit type).
pub const TYPE: FieldId = FieldId(2);
/// `judgement` (overall effectiveness).
pub const JUDGEMENT: FieldId = FieldId(3);
/// `outcome` (an area SEND inspection's).
pub const OUTCOME: FieldId = FieldId(4);
/// `theme` (a JTAI's).
pub const THEME: FieldId = FieldId(5);
/// `inspector`.
pub const INSPECTOR: FieldId = FieldId(6);
/// `source`.
pub const SOURCE: FieldId = FieldId(7);

fn one(v: Option<&str>) -> Vec<String> {
    v.map(str::to_string).into_iter().collect()
}

/// A value of a closed set, by its name or an alias.
fn closed<T: Copy>(
    what: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
    name: fn(T) -> &'static str,
    all: &[T],
) -> Result<String, FieldError> {
    parse(value)
        .map(|v| name(v).to_string())
        .ok_or_else(|| FieldError {
            message: format!("unknown {what} '{value}'"),
            hint: format!(
                "use one of: {}",
                all.iter().map(|v| name(*v)).collect::<Vec<_>>().join(", ")
            ),
        })
}

fn authority(value: &str, notes: &mut Vec<String>) -> Result<String, FieldError> {
    let g = Gazetteer::get();
    if let Some(a) = g.resolve(value) {
        return Ok(a.to_string());
    }
    let suggestions = g.suggest(value, 3);
    if let Some(best) = suggestions.first() {
        notes.push(format!(
            "authority '{value}' is not a known name: taken as '{best}'{}",
            if suggestions.len() > 1 {
                format!(" (others close: {})", suggestions[1..].join(", "))
            } else {
                String::new()
            }
        ));
        return Ok(best.to_string());
    }
    Err(FieldError {
        message: format!("unknown authority '{value}'"),
        hint: if suggestions.is_empty() {
            "use an English children's services authority, e.g. \"South Gloucestershire\"".into()
        } else {
            format!("did you mean {}?", suggestions.join(", "))
        },
    })
}

/// A name typed in any case and spacing, as stored: lower case, one space.
fn folded_name(value: &str, _: &mut Vec<String>) -> Result<String, FieldError> {
    Ok(value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase())
}

fn theme(value: &str, _: &mut Vec<String>) -> Result<String, FieldError> {
    let typed = value.trim().to_lowercase();
    let themes = crate::document::JTAI_THEMES;
    if let Some(t) = themes.iter().find(|t| **t == typed) {
        return Ok(t.to_string());
    }
    // A word of one theme alone names it ("exploitation" is not enough: two have it).
    let matching: Vec<&&str> = themes.iter().filter(|t| t.contains(&typed)).collect();
    match matching.as_slice() {
        [one] => Ok(one.to_string()),
        _ => Err(FieldError {
            message: format!("unknown JTAI theme '{value}'"),
            hint: format!("use one of: {}", themes.join(", ")),
        }),
    }
}

/// Every metadata field, in the order flags, columns and sidebars list them.
pub static FIELDS: &[MetaField] = &[
    MetaField {
        name: "authority",
        aliases: &["la"],
        help: "Only documents about this authority (aliases accepted; repeatable)",
        value_name: "NAME",
        label: "Authority",
        index: "authority",
        values: Values::Document(|m| one(m.authority.as_deref())),
        folded: false,
        resolve: authority,
        facet: true,
        printed_as: None,
    },
    MetaField {
        name: "kind",
        aliases: &["passage_kind"],
        help: "Only passages of this kind: finding, improvement, recommendation, judgement, statistic, context or news (repeatable)",
        value_name: "KIND",
        label: "Passage kind",
        index: "passage_kind",
        values: Values::Passage(|p| vec![p.kind.name().to_string()]),
        folded: false,
        resolve: |v, _| closed("passage kind", v, PassageKind::parse, PassageKind::name, PassageKind::ALL),
        facet: true,
        printed_as: None,
    },
    MetaField {
        name: "type",
        aliases: &["visit_type"],
        help: "Only this visit type (focused, monitoring, standard, short, single, jtai, send…; repeatable)",
        value_name: "TYPE",
        label: "Visit type",
        index: "visit_type",
        values: Values::Document(|m| one(m.visit_type.map(|v| v.name()))),
        folded: false,
        resolve: |v, _| closed("visit type", v, VisitType::parse, VisitType::name, VisitType::ALL),
        facet: true,
        printed_as: None,
    },
    MetaField {
        name: "judgement",
        aliases: &["judgment"],
        help: "Only documents with this overall judgement (`ri` for requires improvement; repeatable)",
        value_name: "GRADE",
        label: "Judgement",
        index: "judgement",
        values: Values::Document(|m| one(m.judgements.overall_effectiveness.map(|g| g.name()))),
        folded: false,
        resolve: |v, _| {
            Grade::parse(v).map(|g| g.name().to_string()).ok_or_else(|| FieldError {
                message: format!("unknown judgement '{v}'"),
                hint: "use outstanding, good, requires improvement or inadequate".into(),
            })
        },
        facet: true,
        printed_as: None,
    },
    MetaField {
        name: "outcome",
        aliases: &["send_outcome"],
        help: "Only area SEND inspections with this outcome (positive, inconsistent, systemic failings; repeatable)",
        value_name: "OUTCOME",
        label: "Area SEND outcome",
        index: "send_outcome",
        values: Values::Document(|m| one(m.send_outcome.map(|o| o.name()))),
        folded: false,
        resolve: |v, _| closed("area SEND outcome", v, SendOutcome::parse, SendOutcome::name, SendOutcome::ALL),
        facet: true,
        printed_as: Some("send_outcome"),
    },
    MetaField {
        name: "theme",
        aliases: &["jtai_theme"],
        help: "Only joint targeted area inspections of this theme (domestic abuse, neglect…; repeatable)",
        value_name: "THEME",
        label: "JTAI theme",
        index: "theme",
        values: Values::Document(|m| one(m.theme.as_deref())),
        folded: false,
        resolve: theme,
        facet: true,
        printed_as: Some("theme"),
    },
    MetaField {
        name: "inspector",
        aliases: &[],
        help: "Only documents naming this inspector (repeatable)",
        value_name: "NAME",
        label: "Inspector",
        index: "inspector",
        values: Values::Document(|m| m.inspectors.clone()),
        folded: true,
        resolve: folded_name,
        facet: true,
        printed_as: None,
    },
    MetaField {
        name: "source",
        aliases: &[],
        help: "Only documents from this source (`ofsted` or a publisher; repeatable)",
        value_name: "SOURCE",
        label: "Source",
        index: "source",
        values: Values::Document(|m| one(m.source.as_deref())),
        folded: true,
        resolve: folded_name,
        facet: false,
        printed_as: None,
    },
];

#[cfg(test)]
mod tests {

    #[test]
    fn the_named_constants_are_their_fields() {
        let named = [
            (AUTHORITY, "authority"),
            (KIND, "kind"),
            (TYPE, "type"),
            (JUDGEMENT, "judgement"),
            (OUTCOME, "outcome"),
            (THEME, "theme"),
            (INSPECTOR, "inspector"),
            (SOURCE, "source"),
        ];
        for (id, name) in named {
            assert_eq!(id.name(), name);
        }
    }

    use super::*;

    #[test]
    fn names_are_distinct_and_found_by_alias() {
        let mut names: Vec<&str> = FIELDS
            .iter()
            .flat_map(|f| std::iter::once(f.name).chain(f.aliases.iter().copied()))
            .collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "a name is used twice");
        assert_eq!(FieldId::named("LA").map(FieldId::name), Some("authority"));
        assert_eq!(
            FieldId::named("visit_type").map(FieldId::name),
            Some("type")
        );
        assert_eq!(FieldId::named("colour"), None);
        for f in FieldId::all() {
            assert_eq!(FieldId::named(f.name()), Some(f));
        }
    }

    #[test]
    fn typed_values_resolve_to_stored_ones() {
        let mut notes = Vec::new();
        let resolve = |name: &str, v: &str, notes: &mut Vec<String>| match FieldId::named(name) {
            Some(f) => (f.spec().resolve)(v, notes),
            None => panic!("no field {name}"),
        };
        assert_eq!(
            resolve("type", "Focused", &mut notes).unwrap(),
            "focused visit"
        );
        assert_eq!(
            resolve("type", "send", &mut notes).unwrap(),
            "area SEND inspection"
        );
        assert_eq!(
            resolve("judgement", "RI", &mut notes).unwrap(),
            "requires improvement"
        );
        assert_eq!(
            resolve("outcome", "inconsistent", &mut notes).unwrap(),
            "inconsistent experiences and outcomes"
        );
        assert_eq!(
            resolve("theme", "Domestic abuse", &mut notes).unwrap(),
            "domestic abuse"
        );
        assert!(resolve("theme", "exploitation", &mut notes).is_err());
        assert_eq!(
            resolve("kind", "improvements", &mut notes).unwrap(),
            "improvement"
        );
        assert_eq!(
            resolve("inspector", " Tom  Anthony ", &mut notes).unwrap(),
            "tom anthony"
        );
        assert_eq!(
            resolve("authority", "South Glos", &mut notes).unwrap(),
            "South Gloucestershire"
        );
        assert!(notes.is_empty());
        assert_eq!(
            resolve("authority", "Glocestershire", &mut notes).unwrap(),
            "Gloucestershire"
        );
        assert_eq!(notes.len(), 1);
        assert!(resolve("type", "party", &mut notes).is_err());
        assert!(resolve("authority", "Atlantis Metropolitan", &mut notes).is_err());
    }
}
