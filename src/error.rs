/*!
Typed errors: what went wrong, where, and what to do about it.
*/

use std::fmt;
use std::path::PathBuf;

/// Any error from building an [`Explainer`](crate::Explainer) or loading a catalog.
///
/// # Examples
///
/// ```
/// use alipay_explain::{Error, Explainer};
///
/// let err = Explainer::builder()
///     .catalog_path("/no/such/catalog.json")
///     .build()
///     .unwrap_err();
/// assert!(matches!(err, Error::Io { .. }));
/// assert!(err.to_string().contains("/no/such/catalog.json"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A catalog path could not be read.
    #[error("cannot read catalog {}: {source}", path.display())]
    Io {
        /// The path given.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A catalog or glossary file is malformed or inconsistent.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// The matcher could not be built from the catalog.
    #[error("cannot index the catalog: {0}")]
    Index(String),
}

/// A defect in a catalog or glossary file, with its place: `file:line:column`, and the entry.
///
/// The file is never half-loaded: one defect rejects the whole file.
///
/// # Examples
///
/// ```
/// use alipay_explain::{Catalog, CatalogErrorKind};
///
/// let json = r#"{"entries": [
///   {"id": "system.busy", "category": "system", "zh": ["系统繁忙{colour}"],
///    "en": {"translation": "t", "cause": "c", "cause_basis": "one_report", "fixes": ["f"]},
///    "actor": "alipay", "retry": "later", "sources": ["seeds/x.txt"]}
/// ]}"#;
/// let err = Catalog::from_json("mine.json", json).unwrap_err();
/// assert_eq!((err.origin(), err.line()), ("mine.json", 2));
/// assert_eq!(err.entry_id(), Some("system.busy"));
/// assert!(matches!(err.kind(), CatalogErrorKind::Template { .. }));
/// assert!(err.to_string().starts_with("mine.json:2:"));
/// ```
#[derive(Debug, Clone)]
pub struct CatalogError {
    origin: String,
    line: usize,
    column: usize,
    entry: Option<String>,
    kind: CatalogErrorKind,
}

impl CatalogError {
    pub(crate) fn new(
        origin: &str,
        (line, column): (usize, usize),
        entry: Option<&str>,
        kind: CatalogErrorKind,
    ) -> CatalogError {
        CatalogError {
            origin: origin.to_owned(),
            line,
            column,
            entry: entry.map(str::to_owned),
            kind,
        }
    }

    /// The file (or `builtin:<name>` for the embedded catalog) that holds the defect.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The 1-based line of the defect.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The 1-based column of the defect.
    pub fn column(&self) -> usize {
        self.column
    }

    /// The id of the entry at fault, when the defect is inside an entry that has one.
    pub fn entry_id(&self) -> Option<&str> {
        self.entry.as_deref()
    }

    /// What is wrong.
    pub fn kind(&self) -> &CatalogErrorKind {
        &self.kind
    }
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.origin, self.line, self.column)?;
        if let Some(id) = &self.entry {
            write!(f, "entry {id}: ")?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for CatalogError {}

/// The kinds of catalog defects.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CatalogErrorKind {
    /// The file is not valid JSON, or does not have the catalog's shape (a missing or unknown
    /// field, a wrong type, an unknown category, actor or retry value).
    Json {
        /// serde_json's description, without its position.
        message: String,
    },
    /// The file is not UTF-8 text.
    NotUtf8,
    /// Two entries have the same id.
    DuplicateId {
        /// Where the id was first defined (`file:line:column`).
        first: String,
    },
    /// The id is not `<category>.<name>` in lower case, or does not start with the category.
    BadId {
        /// What the id should look like.
        expected: String,
    },
    /// A template is malformed.
    Template {
        /// The template.
        template: String,
        /// What is wrong with it.
        problem: String,
    },
    /// Two entries have templates that match the same text.
    DuplicateTemplate {
        /// The template.
        template: String,
        /// The other entry.
        other: String,
    },
    /// Two entries claim the same code.
    DuplicateCode {
        /// The code.
        code: String,
        /// The other entry.
        other: String,
    },
    /// A code is empty or has characters a code cannot have.
    BadCode {
        /// The code.
        code: String,
    },
    /// An English text uses a `{name}` that some template of the entry lacks.
    UnknownPlaceholder {
        /// The placeholder's name.
        name: String,
    },
    /// A required text is empty.
    Empty {
        /// The field (`zh`, `en.fixes`, `sources`, …).
        field: &'static str,
    },
    /// `reported` is not a year or a year and month.
    BadReported {
        /// What the file says.
        value: String,
    },
    /// An entry names a contact route that no catalog file defines.
    UnknownContact {
        /// The id it names.
        contact: String,
    },
    /// A contact route is defined twice.
    DuplicateContact {
        /// Its id.
        contact: String,
    },
    /// A glossary word is defined twice.
    DuplicateWord {
        /// The word.
        word: String,
        /// Where it was first defined.
        first: String,
    },
}

impl fmt::Display for CatalogErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogErrorKind::Json { message } => write!(f, "{message}"),
            CatalogErrorKind::NotUtf8 => f.write_str("the file is not UTF-8 text: save it as UTF-8"),
            CatalogErrorKind::DuplicateId { first } => write!(
                f,
                "duplicate id, first defined at {first}: ids are unique; to replace a built-in entry, use its id in one file only"
            ),
            CatalogErrorKind::BadId { expected } => write!(f, "bad id: expected {expected}"),
            CatalogErrorKind::Template { template, problem } => {
                write!(f, "template {template:?}: {problem}")
            }
            CatalogErrorKind::DuplicateTemplate { template, other } => write!(
                f,
                "template {template:?} matches the same text as one of entry {other}: merge the two entries, or reuse the id {other} to replace it"
            ),
            CatalogErrorKind::DuplicateCode { code, other } => write!(
                f,
                "code {code} is already claimed by entry {other}: a code belongs to one entry"
            ),
            CatalogErrorKind::BadCode { code } => write!(
                f,
                "bad code {code:?}: a code is letters, digits, '_', '.' and '-'"
            ),
            CatalogErrorKind::UnknownPlaceholder { name } => write!(
                f,
                "the English text uses {{{name}}}, but not every template has a slot named {name}"
            ),
            CatalogErrorKind::Empty { field } => write!(f, "{field} must not be empty"),
            CatalogErrorKind::BadReported { value } => write!(
                f,
                "reported {value:?} is not a date: write the year (\"2015\") or year and month (\"2015-10\") of the source"
            ),
            CatalogErrorKind::UnknownContact { contact } => write!(
                f,
                "contact {contact:?} is not defined: add it to the \"contacts\" of a catalog file (see data/README.md)"
            ),
            CatalogErrorKind::DuplicateContact { contact } => {
                write!(f, "contact {contact:?} is defined twice: keep one")
            }
            CatalogErrorKind::DuplicateWord { word, first } => {
                write!(f, "glossary word {word} is defined twice (first at {first})")
            }
        }
    }
}
