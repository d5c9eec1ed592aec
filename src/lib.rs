/*!
Explains Chinese Alipay (支付宝) messages in English: what a message says, why it most
likely happened, and what to do now, offline, from a catalog of known messages.

# Overview

- [`Explainer`] holds a catalog prepared for matching. Build it once
  ([`Explainer::new`] for the embedded catalog, [`Explainer::builder`] to add your own
  catalog files) and call [`Explainer::explain`] as often as you like, from any thread.
- [`Explanation`] is what `explain` returns: the [`Match`]es found, each with its byte span
  in your text, the template and slot values, the English translation, cause and fixes; the
  [`Unmatched`] rest of the text glossed word by word ([`Gloss`]); and [`Suggestion`]s when
  something only resembles a known message. Every type serialises to the JSON that the
  command line prints with `--json`.
- [`Catalog`] and [`Entry`] are the known messages; the file format is in `data/README.md`.
  Loading is all or nothing, and a defect is a [`CatalogError`] with `file:line:column`.

Matching is layered, and each match says which layer found it ([`MatchKind`]): *exact*;
*normalized*, once punctuation, spacing, full-width forms, traditional characters and OCR
look-alikes are set aside; and *fuzzy*, when most of a message is there with characters
wrong, missing or cut off. A paste may hold several messages and the screen text around them.

# Example: explain a message

```
use alipay_explain::Explainer;

let explainer = Explainer::new()?;
let out = explainer.explain("抱歉，暂时无法操作。失败原因 系统出错啦。");
let m = &out.matches[0];
assert_eq!(m.id, "verification.system_error");
assert_eq!(&out.input[m.start..m.end], m.text);
println!("{}\n{}\n- {}", m.translation, m.cause, m.fixes.join("\n- "));
# Ok::<(), alipay_explain::Error>(())
```

# Example: noisy pastes and several messages

```
use alipay_explain::{Explainer, MatchKind};

let explainer = Explainer::new()?;
// traditional characters, ASCII punctuation, and UI text around two messages
let out = explainer.explain("提示\n系統繁忙,請稍後再試(ALIN10146)\n知道了\n交易存在风险");
assert_eq!(out.matches.len(), 2);
assert_eq!(out.matches[0].kind, MatchKind::Normalized);
assert_eq!(out.matches[0].slots["code"], "ALIN10146");
// the screen text is glossed word by word
assert!(out.unmatched.iter().any(|u| u.text == "知道了"));
# Ok::<(), alipay_explain::Error>(())
```

# Example: JSON

```
let explainer = alipay_explain::Explainer::new()?;
let json = serde_json::to_string(&explainer.explain("ACQ.TRADE_NOT_EXIST")).unwrap();
assert!(json.contains("\"kind\":\"exact\""));
# Ok::<(), alipay_explain::Error>(())
```
*/

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
#![warn(clippy::print_stdout)]
#![warn(clippy::print_stderr)]

mod catalog;
mod describe;
#[cfg(feature = "dictionary")]
mod dictionary;
mod error;
mod explain;
mod fuzzy;
mod glossary;
mod input;
mod matcher;
// Reading the text off screenshots (PNG, JPEG, WebP), offline: feature `image`. Its doc is
// the module's own (an outer doc here would make rustdoc resolve its links from this file).
#[cfg(feature = "image")]
pub mod ocr;
mod screen;
mod segment;
mod triage;

// templates, slots and normalisation live in a crate of their own, shared with build.rs
pub(crate) use alipay_explain_prep::{normalize, prepare, slot, template};

pub use crate::catalog::{
    Actor, Ask, Audience, Catalog, Category, CauseBasis, Contact, Entry, Handling, OtherCause,
    Retry, Situation, Texts,
};
pub use crate::error::{CatalogError, CatalogErrorKind, Error};
pub use crate::explain::{
    Explainer, ExplainerBuilder, Explanation, Match, Suggestion, Unmatched, MATCH_THRESHOLD,
};
pub use crate::input::{decode, DecodeError, Encoding};
pub use crate::matcher::MatchKind;
pub use crate::segment::Gloss;
pub use crate::triage::Triage;
pub use alipay_explain_prep::slot::SlotKind;

/// The README's Rust examples, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

#[doc(hidden)]
pub mod __private {
    //! Internals exposed for the crate's own tests, benchmarks and fuzz targets. Not part
    //! of the API: anything here may change in any release.

    /// The key of a text (see `src/normalize.rs`).
    pub fn normalize_key(text: &str) -> String {
        crate::normalize::key(text)
    }

    /// The embedded catalog files: (name, contents).
    pub fn builtin_catalog_files() -> &'static [(&'static str, &'static str)] {
        crate::catalog::BUILTIN_CATALOG
    }

    /// The embedded contact routes (`data/contacts.json`).
    pub static BUILTIN_CONTACTS: &str = crate::catalog::BUILTIN_CONTACTS;

    /// The embedded glossary files: (name, contents).
    pub fn builtin_glossary_files() -> &'static [(&'static str, &'static str)] {
        crate::catalog::BUILTIN_GLOSSARY
    }

    /// Number of words in the embedded glossary files, read by the run-time loader with all
    /// its checks (`file:line:column` for a defect), or the first defect.
    pub fn glossary_len() -> Result<usize, crate::CatalogError> {
        crate::glossary::Glossary::from_files(
            crate::catalog::BUILTIN_GLOSSARY
                .iter()
                .map(|(name, json)| (format!("builtin:{name}"), *json)),
        )
        .map(|g| g.len())
    }

    /// The template rendered with sample slot values, for each template of `entry`.
    pub fn render_samples(entry: &crate::Entry) -> Vec<String> {
        entry
            .templates
            .iter()
            .map(|t| t.render(&std::collections::BTreeMap::new()))
            .collect()
    }

    /// The pinyin of a word, one syllable per character.
    pub fn pinyin_of(word: &str) -> String {
        crate::segment::pinyin_of(word)
    }
}
