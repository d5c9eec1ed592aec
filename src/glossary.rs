/*!
The glossary: words a user meets on Alipay screens, with pinyin and a short English gloss.

It serves the word-by-word gloss of text that no catalog entry explains (see
[`crate::segment`]). The embedded glossary is a sorted table that `build.rs` prepares, so
loading it costs nothing; words are looked up whole, and a word the segmenter produced that
the glossary does not hold is split into the longest glossary words it contains.
*/

use std::sync::LazyLock;

use alipay_explain_prep::tables::WordTable;

use crate::catalog::position::{self, Pos};
use crate::catalog::{RawGlossary, BUILTIN_WORDS};
use crate::error::{CatalogError, CatalogErrorKind};

/// One glossary word: its pinyin and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    pub(crate) pinyin: &'a str,
    pub(crate) en: &'a str,
}

/// The words, by their Chinese form: the table `build.rs` prepared for the embedded
/// glossary, or one built the same way ([`WordTable::build`]) from files.
#[derive(Debug, Default)]
pub(crate) struct Glossary {
    table: std::borrow::Cow<'static, WordTable>,
}

/// The embedded glossary: the table `build.rs` prepared (it checked the files; the tests
/// check them again with [`Glossary::from_files`]).
pub(crate) static BUILTIN: LazyLock<Result<Glossary, CatalogError>> = LazyLock::new(|| {
    Ok(Glossary {
        table: std::borrow::Cow::Borrowed(&BUILTIN_WORDS),
    })
});

impl Glossary {
    /// The glossary of these files, (origin, JSON) each; a word may be defined only once.
    ///
    /// Where each word stands in its file (for error messages) is worked out only when
    /// something is wrong: for a paste that needs the glossary, that was a fifth of the run.
    pub(crate) fn from_files<'a>(
        files: impl IntoIterator<Item = (String, &'a str)>,
    ) -> Result<Glossary, CatalogError> {
        let files: Vec<(String, &str)> = files.into_iter().collect();
        let pos = |file: usize, i: usize| -> Pos {
            files
                .get(file)
                .and_then(|(_, json)| position::entries(json).get(i).map(|p| p.of("zh", 0)))
                .unwrap_or((1, 1))
        };
        // (word, file, index in its file)
        let mut words = Vec::new();
        for (f, (origin, json)) in files.iter().enumerate() {
            let raw: RawGlossary =
                serde_json::from_str(json).map_err(|e| crate::catalog::json_error(origin, &e))?;
            for (i, w) in raw.words.into_iter().enumerate() {
                for (field, text) in [("zh", &w.zh), ("pinyin", &w.pinyin), ("en", &w.en)] {
                    if text.trim().is_empty() {
                        let kind = CatalogErrorKind::Empty { field };
                        return Err(CatalogError::new(origin, pos(f, i), Some(&w.zh), kind));
                    }
                }
                words.push((w, f, i));
            }
        }
        let table = WordTable::build(
            words
                .iter()
                .map(|(w, _, _)| (w.zh.as_str(), w.pinyin.as_str(), w.en.as_str())),
        )
        .map_err(|d| {
            let (w, f, i) = &words[d.again];
            let (_, pf, pi) = &words[d.first];
            let (line, column) = pos(*pf, *pi);
            let kind = CatalogErrorKind::DuplicateWord {
                word: w.zh.clone(),
                first: format!("{}:{line}:{column}", files[*pf].0),
            };
            CatalogError::new(&files[*f].0, pos(*f, *i), Some(&w.zh), kind)
        })?;
        Ok(Glossary {
            table: std::borrow::Cow::Owned(table),
        })
    }

    /// The word, if the glossary has it.
    pub(crate) fn get(&self, word: &str) -> Option<Word<'_>> {
        self.table.get(word).map(|(pinyin, en)| Word { pinyin, en })
    }

    /// All words, sorted.
    pub(crate) fn words(&self) -> Vec<&str> {
        self.table.words().collect()
    }

    /// Number of words.
    pub(crate) fn len(&self) -> usize {
        self.table.words.len()
    }

    /// The longest word, in characters.
    #[cfg(feature = "dictionary")]
    pub(crate) fn longest(&self) -> usize {
        self.table.longest
    }

    /// Splits `text` into the longest glossary words, left to right; characters no word
    /// covers come out one by one with `None`.
    pub(crate) fn split<'t>(&self, text: &'t str) -> Vec<(&'t str, Option<Word<'_>>)> {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i + 1 < bounds.len() {
            let reach = (i + self.table.longest).min(bounds.len() - 1);
            let hit = (i + 1..=reach)
                .rev()
                .find_map(|j| self.get(&text[bounds[i]..bounds[j]]).map(|w| (j, w)));
            match hit {
                Some((j, w)) => {
                    out.push((&text[bounds[i]..bounds[j]], Some(w)));
                    i = j;
                }
                None => {
                    out.push((&text[bounds[i]..bounds[i + 1]], None));
                    i += 1;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_loads_and_splits() {
        let g = BUILTIN.as_ref().unwrap();
        assert!(g.len() >= 400, "{}", g.len());
        let parts: Vec<&str> = g.split("银行卡").into_iter().map(|(w, _)| w).collect();
        assert_eq!(parts, ["银行卡"]);
    }

    /// The table build.rs prepared holds what the files say, as the run-time loader reads them.
    #[test]
    fn embedded_table_is_the_files() {
        let loaded = Glossary::from_files(
            crate::catalog::BUILTIN_GLOSSARY
                .iter()
                .map(|(name, json)| (format!("builtin:{name}"), *json)),
        )
        .unwrap();
        let embedded = BUILTIN.as_ref().unwrap();
        assert_eq!(embedded.len(), loaded.len());
        assert_eq!(embedded.table.longest, loaded.table.longest);
        for zh in loaded.words() {
            assert_eq!(embedded.get(zh), loaded.get(zh), "{zh}");
        }
        assert_eq!(embedded.get("不是一个词吧"), None);
    }

    #[test]
    fn duplicates_are_rejected_with_both_places() {
        let json = "{\"words\": [\n {\"zh\": \"确定\", \"pinyin\": \"quèdìng\", \"en\": \"OK\"},\n {\"zh\": \"确定\", \"pinyin\": \"quèdìng\", \"en\": \"confirm\"}\n]}";
        let e = Glossary::from_files([("g.json".to_owned(), json)]).unwrap_err();
        assert_eq!((e.line(), e.column()), (3, 9));
        assert!(e.to_string().contains("first at g.json:2:9"), "{e}");
        // and across files
        let one = "{\"words\": [\n {\"zh\": \"确定\", \"pinyin\": \"quèdìng\", \"en\": \"OK\"}\n]}";
        let e = Glossary::from_files([("a.json".to_owned(), one), ("b.json".to_owned(), one)])
            .unwrap_err();
        assert!(e.to_string().starts_with("b.json:2:9"), "{e}");
        assert!(e.to_string().contains("first at a.json:2:9"), "{e}");
    }
}
