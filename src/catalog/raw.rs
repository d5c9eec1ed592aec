/*!
Serde structs that mirror the catalog and glossary JSON one to one.

They are kept apart from the domain types ([`Entry`](super::Entry)) so that the file format
can be strict (`deny_unknown_fields`: a misspelt field is an error, never silently ignored)
while the types the matcher uses hold parsed, checked values.
*/

use serde::Deserialize;

use super::{Actor, Ask, Audience, Category, CauseBasis, Contact, OtherCause, Retry, Situation};

/// A catalog file: `{"entries": [...], "contacts": [...]}` (either may be left out).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCatalog {
    #[serde(default)]
    pub(crate) entries: Vec<RawEntry>,
    #[serde(default)]
    pub(crate) contacts: Vec<Contact>,
}

/// One entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEntry {
    pub(crate) id: String,
    pub(crate) category: Category,
    pub(crate) zh: Vec<String>,
    pub(crate) en: RawTexts,
    #[serde(default)]
    pub(crate) codes: Vec<String>,
    pub(crate) actor: Option<Actor>,
    pub(crate) retry: Option<Retry>,
    pub(crate) ask: Option<Ask>,
    pub(crate) sources: Vec<String>,
    pub(crate) audience: Option<Audience>,
    #[serde(default)]
    pub(crate) en_ui: Vec<String>,
    pub(crate) reported: Option<String>,
    pub(crate) situation: Option<Situation>,
    #[serde(default)]
    pub(crate) contacts: Vec<String>,
}

/// The English texts of an entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTexts {
    pub(crate) translation: String,
    pub(crate) cause: String,
    pub(crate) fixes: Vec<String>,
    pub(crate) before_retry: Option<String>,
    pub(crate) cause_basis: CauseBasis,
    #[serde(default)]
    pub(crate) other_causes: Vec<OtherCause>,
}

/// A glossary file: `{"words": [...]}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGlossary {
    pub(crate) words: Vec<RawWord>,
}

/// One glossary word.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWord {
    pub(crate) zh: String,
    pub(crate) pinyin: String,
    pub(crate) en: String,
}
