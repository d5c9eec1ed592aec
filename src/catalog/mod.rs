/*!
The catalog: known Alipay messages and what to say about them.

A [`Catalog`] is built from JSON files (the format is in `data/README.md`): the embedded
ones ([`Catalog::builtin`]) and any the user adds ([`Catalog::load`],
[`Catalog::from_json`]). Loading is all or nothing: the first defect rejects the file with a
[`CatalogError`] that names `file:line:column` and the entry. [`Catalog::merge`] lays one
catalog over another: an entry with an id that already exists replaces it.
*/

mod builtin;
mod entry;
pub(crate) mod position;
mod raw;
mod validate;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use std::sync::OnceLock;

use crate::error::{CatalogError, CatalogErrorKind, Error};

pub(crate) use builtin::{
    FILES as BUILTIN_CATALOG, GLOSSARY as BUILTIN_WORDS, GLOSSARY_FILES as BUILTIN_GLOSSARY,
    TABLES as BUILTIN_TABLES,
};
pub(crate) use raw::RawGlossary;
pub(crate) use validate::json_error;

pub use entry::{
    Actor, Ask, Audience, Category, CauseBasis, Contact, Entry, Handling, OtherCause, Retry,
    Situation, Texts,
};

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
    /// Contact routes from users' files (the embedded ones are in [`builtin_contacts`]).
    contacts: Vec<Contact>,
}

/// The embedded contact routes (`data/contacts.json`), parsed on first use.
fn builtin_contacts() -> &'static [Contact] {
    static CONTACTS: OnceLock<Vec<Contact>> = OnceLock::new();
    CONTACTS.get_or_init(|| {
        // checked by the test suite like every embedded file; a broken one has no contacts
        validate::catalog("builtin:contacts.json", BUILTIN_CONTACTS)
            .map(|(_, contacts)| contacts)
            .unwrap_or_default()
    })
}

/// `data/contacts.json`: the contact routes the embedded entries refer to.
pub(crate) static BUILTIN_CONTACTS: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/contacts.json"));

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
            contacts: self.contacts.clone(),
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
            contacts: Vec::new(),
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
        let (entries, contacts) = validate::catalog(origin, json)?;
        let mut c = Catalog::new();
        for e in entries {
            c.push(e);
        }
        c.contacts = contacts;
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
    pub fn extend(&mut self, mut other: Catalog) -> Result<(), CatalogError> {
        for c in std::mem::take(&mut other.contacts) {
            if self.contacts.iter().any(|have| have.id == c.id) {
                let origin = format!("contact {}", c.id);
                return Err(CatalogError::new(
                    &origin,
                    (1, 1),
                    None,
                    CatalogErrorKind::DuplicateContact { contact: c.id },
                ));
            }
            self.contacts.push(c);
        }
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
    pub fn merge(&mut self, mut over: Catalog) -> Vec<String> {
        let mut replaced = Vec::new();
        for c in std::mem::take(&mut over.contacts) {
            self.contacts.retain(|have| have.id != c.id);
            self.contacts.push(c);
        }
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

    /// The contact route with this id: a user's file's first, then the embedded ones.
    ///
    /// ```
    /// let c = alipay_explain::Catalog::builtin().unwrap();
    /// assert!(c.contact("alipay_hotline").unwrap().name.contains("95188"));
    /// ```
    pub fn contact(&self, id: &str) -> Option<&Contact> {
        self.contacts().find(|c| c.id == id)
    }

    /// Every contact route: the users' files', then the embedded ones not replaced.
    pub fn contacts(&self) -> impl Iterator<Item = &Contact> + '_ {
        let builtin = if self.builtin > 0 {
            builtin_contacts()
        } else {
            &[]
        };
        self.contacts.iter().chain(
            builtin
                .iter()
                .filter(|b| !self.contacts.iter().any(|c| c.id == b.id)),
        )
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
            assert!(!e.templates.is_empty() || e.situation.is_some(), "{}", e.id);
        }
    }
}
