/*!
The catalog: known Alipay messages and what to say about them.

A [`Catalog`] is built from JSON files (the format is in `data/README.md`): the embedded
ones ([`Catalog::builtin`]) and any the user adds ([`Catalog::load`],
[`Catalog::from_json`]). Loading is all or nothing: the first defect rejects the file with a
[`CatalogError`] that names `file:line:column` and the entry. [`Catalog::merge`] lays one
catalog over another: an entry with an id that already exists replaces it.
*/

mod builtin;
pub(crate) mod position;
mod raw;
mod validate;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

use crate::error::{CatalogError, CatalogErrorKind, Error};
use crate::template::Template;

pub(crate) use builtin::{
    FILES as BUILTIN_CATALOG, GLOSSARY as BUILTIN_WORDS, GLOSSARY_FILES as BUILTIN_GLOSSARY,
    TABLES as BUILTIN_TABLES,
};
pub(crate) use raw::RawGlossary;
pub(crate) use validate::json_error;

/// The area of Alipay a message belongs to: a closed set.
///
/// ```
/// use alipay_explain::Category;
/// assert_eq!(Category::BankCard.to_string(), "bank_card");
/// assert_eq!("bank_card".parse::<Category>(), Ok(Category::BankCard));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Category {
    /// Signing up: phone or e-mail, region, ID fields.
    Registration,
    /// Logging in: locked or restricted accounts, too many attempts.
    Login,
    /// Real-name verification: passport, visa, photos, names.
    Verification,
    /// Binding and verifying bank cards.
    BankCard,
    /// Paying: cashier, balance, limits, payment password.
    Payment,
    /// Risk control: payments or accounts stopped for safety.
    RiskControl,
    /// Account status and restrictions.
    Account,
    /// Transfers between accounts.
    Transfer,
    /// Top-ups: phone credit, balance, mini-programs.
    Topup,
    /// Foreign cards and visitor services.
    International,
    /// System-busy and network messages.
    System,
    /// Developer messages: open-platform codes, SDK results.
    Api,
    /// Not an error: order and transaction states.
    Status,
}

/// Every category, in the documented order.
pub(crate) const CATEGORIES: [Category; 13] = [
    Category::Registration,
    Category::Login,
    Category::Verification,
    Category::BankCard,
    Category::Payment,
    Category::RiskControl,
    Category::Account,
    Category::Transfer,
    Category::Topup,
    Category::International,
    Category::System,
    Category::Api,
    Category::Status,
];

impl Category {
    /// The name used in catalog files and ids (`bank_card`).
    pub fn name(self) -> &'static str {
        match self {
            Category::Registration => "registration",
            Category::Login => "login",
            Category::Verification => "verification",
            Category::BankCard => "bank_card",
            Category::Payment => "payment",
            Category::RiskControl => "risk_control",
            Category::Account => "account",
            Category::Transfer => "transfer",
            Category::Topup => "topup",
            Category::International => "international",
            Category::System => "system",
            Category::Api => "api",
            Category::Status => "status",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Category {
    type Err = String;

    fn from_str(s: &str) -> Result<Category, String> {
        CATEGORIES
            .iter()
            .copied()
            .find(|c| c.name() == s)
            .ok_or_else(|| format!("unknown category {s:?}"))
    }
}

/// Who must act to get past a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Actor {
    /// The person who sees the message.
    You,
    /// Alipay (its hotline, its review team, its systems).
    Alipay,
    /// The bank that issued the card.
    Bank,
    /// The shop or seller.
    Merchant,
    /// The developer of the app or site that calls Alipay.
    Developer,
    /// The network connection.
    Network,
}

impl Actor {
    /// The name used in catalog files (`you`, `bank`, …).
    pub fn name(self) -> &'static str {
        match self {
            Actor::You => "you",
            Actor::Alipay => "alipay",
            Actor::Bank => "bank",
            Actor::Merchant => "merchant",
            Actor::Developer => "developer",
            Actor::Network => "network",
        }
    }
}

/// Whether trying again helps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Retry {
    /// Trying again now is fine.
    Safe,
    /// Wait a while, then try again.
    Later,
    /// Try again after the date or the number of days in the message.
    AfterWait,
    /// Trying the same thing again will not help.
    No,
}

impl Retry {
    /// The name used in catalog files (`safe`, `after_wait`, …).
    pub fn name(self) -> &'static str {
        match self {
            Retry::Safe => "safe",
            Retry::Later => "later",
            Retry::AfterWait => "after_wait",
            Retry::No => "no",
        }
    }
}

/// A sentence to show a bank teller, a cashier or the 95188 hotline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Ask {
    /// The sentence in Chinese.
    pub zh: String,
    /// Its pinyin, with tone marks.
    pub pinyin: String,
    /// What it says, in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

/// Who an entry speaks to: the person in front of the app, a developer, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Audience {
    /// Someone using the Alipay app or website.
    User,
    /// Someone integrating Alipay: open-platform responses, SDK results, logs.
    Developer,
    /// Both see the same words.
    Both,
}

impl Audience {
    /// The name used in catalog files and JSON (`user`, `developer`, `both`).
    pub fn name(self) -> &'static str {
        match self {
            Audience::User => "user",
            Audience::Developer => "developer",
            Audience::Both => "both",
        }
    }

    /// Whether an entry for `self` speaks to `reader` (`User` or `Developer`).
    pub fn serves(self, reader: Audience) -> bool {
        self == Audience::Both || self == reader
    }
}

/// How well the cause of a message is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CauseBasis {
    /// Alipay's own documentation or tables say so.
    Documented,
    /// Several independent reports agree.
    Reported,
    /// A single report: shown as "one reported case", never as the answer.
    OneReport,
}

impl CauseBasis {
    /// The name used in catalog files and JSON.
    pub fn name(self) -> &'static str {
        match self {
            CauseBasis::Documented => "documented",
            CauseBasis::Reported => "reported",
            CauseBasis::OneReport => "one_report",
        }
    }
}

/// A less likely cause of a message, and how to tell that it is this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OtherCause {
    /// The cause.
    pub cause: String,
    /// How a person can tell that it is this cause.
    pub tell: String,
    /// What to do in that case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<String>,
    /// Where this cause was reported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// The English texts of an entry. They may use the templates' slot names: `{days}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Texts {
    /// A faithful translation of the message.
    pub translation: String,
    /// Why it most likely happened.
    pub cause: String,
    /// What to do, most useful first.
    pub fixes: Vec<String>,
    /// What to check before trying again, where money may already have moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before_retry: Option<String>,
    /// How well the cause is known.
    pub cause_basis: CauseBasis,
    /// Less likely causes, each with how to tell it is this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_causes: Vec<OtherCause>,
}

/// One known message: its templates and what to say about it.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Entry {
    /// Stable, unique, dotted id: `bank_card.verification_failed_wait`.
    pub id: String,
    /// The area it belongs to.
    pub category: Category,
    /// The templates, as written in the catalog.
    pub zh: Vec<String>,
    /// The English texts.
    pub en: Texts,
    /// Codes Alipay prints with or instead of the text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    /// Who must act.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    /// Whether trying again helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<Retry>,
    /// A sentence to show staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ask: Option<Ask>,
    /// Where the message was seen.
    pub sources: Vec<String>,
    /// Who the entry speaks to (from the file, or by default `developer` for category
    /// `api` and `user` otherwise).
    pub audience: Audience,
    /// The wordings Alipay's English interface shows for the same message, as seen in a
    /// source; a paste of one finds the entry.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub en_ui: Vec<String>,
    /// When the advice was reported, where the source is dated (`2015`, `2019-06`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<String>,
    /// The file the entry came from (`builtin:payment.json` for the embedded catalog).
    pub origin: String,
    #[serde(skip)]
    pub(crate) templates: Vec<Template>,
    /// Where the entry's id is in its file, for errors found after loading.
    #[serde(skip)]
    pub(crate) pos: position::Pos,
}

impl Entry {
    /// Where the entry is defined: `file:line:column`.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.origin, self.pos.0, self.pos.1)
    }
}

/// A set of entries with unique ids.
///
/// The embedded entries are parsed lazily: building the catalog costs next to nothing, and
/// an entry's texts are read when it is first used.
///
/// # Examples
///
/// ```
/// use alipay_explain::Catalog;
///
/// let catalog = Catalog::builtin().unwrap();
/// assert!(catalog.len() > 0);
/// let entry = catalog.iter().next().unwrap();
/// // lookups ignore ASCII case
/// assert!(catalog.get(&entry.id.to_uppercase()).is_some());
/// ```
#[derive(Debug, Default)]
pub struct Catalog {
    slots: Vec<Slot>,
    /// Lower-case id → position; built on first lookup.
    by_id: OnceLock<HashMap<String, usize>>,
    /// `slots[..builtin]` are the embedded entries, in the order `build.rs` prepared them.
    builtin: usize,
}

#[derive(Debug)]
struct Slot {
    id: Cow<'static, str>,
    /// An embedded entry not parsed yet: where its JSON is.
    embedded: Option<&'static builtin::BuiltinEntry>,
    /// Boxed: most embedded entries are never parsed, and an empty slot stays small.
    entry: OnceLock<Box<Entry>>,
    /// The entry came from a user's file (possibly replacing an embedded one here).
    user: bool,
}

impl Clone for Catalog {
    fn clone(&self) -> Catalog {
        Catalog {
            slots: self
                .slots
                .iter()
                .map(|s| Slot {
                    id: s.id.clone(),
                    embedded: s.embedded,
                    entry: s.entry.clone(),
                    user: s.user,
                })
                .collect(),
            by_id: OnceLock::new(),
            builtin: self.builtin,
        }
    }
}

impl Catalog {
    /// An empty catalog.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// The catalog embedded in the library (the files of `data/catalog/`).
    ///
    /// # Errors
    ///
    /// None today: the embedded files are checked when the crate is built and tested. The
    /// `Result` leaves room for checks at load time.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        let slots = builtin::ENTRIES
            .iter()
            .map(|b| Slot {
                id: Cow::Borrowed(b.id()),
                embedded: Some(b),
                entry: OnceLock::new(),
                user: false,
            })
            .collect::<Vec<_>>();
        Ok(Catalog {
            builtin: slots.len(),
            slots,
            by_id: OnceLock::new(),
        })
    }

    /// Parses and checks one catalog file's text. `origin` names it in errors.
    ///
    /// # Errors
    ///
    /// The first defect in the file, with its line and column.
    ///
    /// ```
    /// use alipay_explain::Catalog;
    ///
    /// let c = Catalog::from_json("x.json", r#"{"entries": []}"#).unwrap();
    /// assert!(c.is_empty());
    /// let err = Catalog::from_json("x.json", "{\"entries\": [}").unwrap_err();
    /// assert_eq!((err.line(), err.origin()), (1, "x.json"));
    /// ```
    pub fn from_json(origin: &str, json: &str) -> Result<Catalog, CatalogError> {
        let entries = validate::catalog(origin, json)?;
        let mut c = Catalog::new();
        for e in entries {
            c.push(e);
        }
        Ok(c)
    }

    /// Loads a catalog file, or every `*.json` file in a folder (sorted by name).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if a path cannot be read, [`Error::Catalog`] for the first defect.
    pub fn load(path: &Path) -> Result<Catalog, Error> {
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        let files = if meta.is_dir() {
            let mut files = Vec::new();
            for item in std::fs::read_dir(path).map_err(io)? {
                let p = item.map_err(io)?.path();
                if p.extension().is_some_and(|e| e == "json") && p.is_file() {
                    files.push(p);
                }
            }
            files.sort();
            files
        } else {
            vec![path.to_owned()]
        };
        let mut catalog = Catalog::new();
        for file in files {
            let bytes = std::fs::read(&file).map_err(|source| Error::Io {
                path: file.clone(),
                source,
            })?;
            let origin = file.display().to_string();
            let text = String::from_utf8(bytes).map_err(|e| {
                let pos = position::line_col(
                    &String::from_utf8_lossy(e.as_bytes()),
                    e.utf8_error().valid_up_to(),
                );
                CatalogError::new(&origin, pos, None, CatalogErrorKind::NotUtf8)
            })?;
            catalog.extend(Catalog::from_json(&origin, &text)?)?;
        }
        Ok(catalog)
    }

    /// Adds the entries of `other`; an id that is already here is an error.
    ///
    /// # Errors
    ///
    /// [`CatalogErrorKind::DuplicateId`] at the second definition.
    pub fn extend(&mut self, other: Catalog) -> Result<(), CatalogError> {
        for e in other.into_entries() {
            if let Some(first) = self.get(&e.id) {
                return Err(CatalogError::new(
                    &e.origin,
                    e.pos,
                    Some(&e.id),
                    CatalogErrorKind::DuplicateId {
                        first: first.location(),
                    },
                ));
            }
            self.push(e);
        }
        Ok(())
    }

    /// Lays `over` over this catalog: its entries replace those with the same id, and the
    /// others are added. Returns the ids that were replaced.
    ///
    /// ```
    /// use alipay_explain::Catalog;
    ///
    /// let mut base = Catalog::builtin().unwrap();
    /// let id = base.iter().next().unwrap().id.clone();
    /// let json = format!(r#"{{"entries": [{{"id": "{id}", "category": "{cat}",
    ///   "zh": ["我自己的消息"], "en": {{"translation": "My own message.", "cause": "c",
    ///   "cause_basis": "one_report", "fixes": ["f"]}}, "sources": ["https://example.com"]}}]}}"#,
    ///   cat = base.get(&id).unwrap().category);
    /// let mine = Catalog::from_json("mine.json", &json).unwrap();
    /// let n = base.len();
    /// assert_eq!(base.merge(mine), vec![id.clone()]);
    /// assert_eq!(base.len(), n);
    /// assert_eq!(base.get(&id).unwrap().origin, "mine.json");
    /// ```
    pub fn merge(&mut self, over: Catalog) -> Vec<String> {
        let mut replaced = Vec::new();
        for e in over.into_entries() {
            match self.position(&e.id) {
                Some(i) => {
                    replaced.push(e.id.clone());
                    self.slots[i] = Slot {
                        id: Cow::Owned(e.id.clone()),
                        embedded: None,
                        entry: OnceLock::from(Box::new(e)),
                        user: true,
                    };
                }
                None => self.push(e),
            }
        }
        replaced
    }

    /// The entries, parsed, consuming the catalog.
    fn into_entries(self) -> Vec<Entry> {
        self.slots
            .into_iter()
            .filter_map(|slot| match slot.entry.into_inner() {
                Some(e) => Some(*e),
                None => slot.embedded.and_then(validate::embedded),
            })
            .collect()
    }

    fn push(&mut self, e: Entry) {
        if let Some(map) = self.by_id.get_mut() {
            map.insert(e.id.to_ascii_lowercase(), self.slots.len());
        }
        self.slots.push(Slot {
            id: Cow::Owned(e.id.clone()),
            embedded: None,
            entry: OnceLock::from(Box::new(e)),
            user: true,
        });
    }

    fn position(&self, id: &str) -> Option<usize> {
        let map = self.by_id.get_or_init(|| {
            self.slots
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.to_ascii_lowercase(), i))
                .collect()
        });
        map.get(&id.to_ascii_lowercase()).copied()
    }

    /// The entry with this id, ignoring ASCII case.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.position(id).and_then(|i| self.entry_at(i))
    }

    /// The entry at position `i` (as numbered by [`Catalog::iter`]), parsing an embedded
    /// entry on first use.
    pub(crate) fn entry_at(&self, i: usize) -> Option<&Entry> {
        let slot = self.slots.get(i)?;
        if let Some(e) = slot.entry.get() {
            return Some(e);
        }
        let b = slot.embedded?;
        // the embedded files are validated by the test suite (and the test below holds every
        // embedded entry to parsing here); one that failed would be a broken build, and is
        // left out rather than crash a caller
        let e = validate::embedded(b)?;
        Some(slot.entry.get_or_init(|| Box::new(e)))
    }

    /// Whether the entry at `i` came from a user's file.
    pub(crate) fn is_user(&self, i: usize) -> bool {
        self.slots.get(i).is_some_and(|s| s.user)
    }

    /// How many of the first entries are the embedded ones, in prepared order.
    pub(crate) fn builtin_len(&self) -> usize {
        self.builtin
    }

    /// The entries, in the order they were loaded.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> + '_ {
        (0..self.slots.len()).filter_map(|i| self.entry_at(i))
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The entries whose id, templates, codes or English texts contain `word`
    /// (ASCII case ignored; Chinese is compared after normalisation, so traditional
    /// characters find simplified entries).
    ///
    /// ```
    /// use alipay_explain::Catalog;
    /// let c = Catalog::builtin().unwrap();
    /// let e = c.iter().next().unwrap();
    /// let word: String = e.zh[0].chars().filter(|c| !c.is_ascii_punctuation()).take(2).collect();
    /// assert!(c.search(&word).iter().any(|hit| hit.id == e.id));
    /// ```
    pub fn search(&self, word: &str) -> Vec<&Entry> {
        let lower = word.to_lowercase();
        let key = crate::normalize::key(word);
        self.iter()
            .filter(|e| {
                let text_hit = e.id.contains(&lower)
                    || e.codes.iter().any(|c| c.to_lowercase().contains(&lower))
                    || e.en.translation.to_lowercase().contains(&lower)
                    || e.en.cause.to_lowercase().contains(&lower);
                let key_hit =
                    !key.is_empty() && e.zh.iter().any(|t| crate::normalize::key(t).contains(&key));
                text_hit || key_hit
            })
            .collect()
    }

    /// Checks what only the whole catalog can show: two entries claiming one code, or
    /// templates that match the same text. Embedded entries are compared through their
    /// prepared signatures, without parsing them.
    pub(crate) fn check_consistency(&self) -> Result<(), CatalogError> {
        validate::consistency(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No embedded entry can be dropped silently by [`Catalog::entry_at`]: each one parses
    /// and passes every check.
    #[test]
    fn every_embedded_entry_parses_where_it_is_used() {
        let c = Catalog::builtin().unwrap();
        assert!(c.len() > 800);
        for i in 0..c.len() {
            let e = c
                .entry_at(i)
                .unwrap_or_else(|| panic!("embedded entry {i} does not parse"));
            assert!(!e.templates.is_empty(), "{}", e.id);
        }
    }
}
