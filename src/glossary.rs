/*!
The glossary: words a user meets on Alipay screens, with pinyin and a short English gloss.

It serves the word-by-word gloss of text that no catalog entry explains (see
[`crate::segment`]). The embedded glossary is a sorted table that `build.rs` prepares, so
loading it costs nothing; words are looked up whole, and a word the segmenter produced that
the glossary does not hold is split into the longest glossary words it contains.
*/

use std::collections::HashMap;

use once_cell::sync::Lazy;

use crate::catalog::position::{self, Pos};
use crate::catalog::{builtin_text, RawGlossary, GLOSSARY, GLOSSARY_LONGEST};
use crate::error::{CatalogError, CatalogErrorKind};

/// One glossary word: its pinyin and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    pub(crate) pinyin: &'a str,
    pub(crate) en: &'a str,
}

/// The words, by their Chinese form.
#[derive(Debug, Default)]
pub(crate) struct Glossary {
    words: Store,
    /// The longest word, in chars: the reach of the longest-match split.
    longest: usize,
}

/// Where the words are.
#[derive(Debug, Default)]
enum Store {
    /// The embedded glossary as `build.rs` prepared it: a sorted table, nothing to parse.
    #[default]
    Embedded,
    /// Words loaded from files at run time: word -> (pinyin, English).
    Loaded(HashMap<String, (String, String)>),
}

/// The embedded glossary: the table `build.rs` prepared (it checked the files; the tests
/// check them again with [`Glossary::from_files`]).
pub(crate) static BUILTIN: Lazy<Result<Glossary, CatalogError>> = Lazy::new(|| {
    Ok(Glossary {
        words: Store::Embedded,
        longest: GLOSSARY_LONGEST,
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
        let mut map: HashMap<String, (String, String)> = HashMap::new();
        let mut longest = 0;
        // word -> (file, index) where it was defined first
        let mut first: HashMap<String, (usize, usize)> = HashMap::new();
        for (f, (origin, json)) in files.iter().enumerate() {
            let raw: RawGlossary =
                serde_json::from_str(json).map_err(|e| crate::catalog::json_error(origin, &e))?;
            for (i, w) in raw.words.into_iter().enumerate() {
                let err = |kind| CatalogError::new(origin, pos(f, i), Some(&w.zh), kind);
                for (field, text) in [("zh", &w.zh), ("pinyin", &w.pinyin), ("en", &w.en)] {
                    if text.trim().is_empty() {
                        return Err(err(CatalogErrorKind::Empty { field }));
                    }
                }
                if let Some(&(pf, pi)) = first.get(&w.zh) {
                    let (line, column) = pos(pf, pi);
                    return Err(err(CatalogErrorKind::DuplicateWord {
                        word: w.zh.clone(),
                        first: format!("{}:{line}:{column}", files[pf].0),
                    }));
                }
                first.insert(w.zh.clone(), (f, i));
                longest = longest.max(w.zh.chars().count());
                map.insert(w.zh, (w.pinyin, w.en));
            }
        }
        Ok(Glossary {
            words: Store::Loaded(map),
            longest,
        })
    }

    /// The word, if the glossary has it.
    pub(crate) fn get(&self, word: &str) -> Option<Word<'_>> {
        match &self.words {
            Store::Embedded => {
                let i = GLOSSARY
                    .binary_search_by(|w| builtin_text(w.zh).cmp(word))
                    .ok()?;
                Some(Word {
                    pinyin: builtin_text(GLOSSARY[i].pinyin),
                    en: builtin_text(GLOSSARY[i].en),
                })
            }
            Store::Loaded(map) => map.get(word).map(|(pinyin, en)| Word { pinyin, en }),
        }
    }

    /// All words (in no particular order).
    pub(crate) fn words(&self) -> Vec<&str> {
        match &self.words {
            Store::Embedded => GLOSSARY.iter().map(|w| builtin_text(w.zh)).collect(),
            Store::Loaded(map) => map.keys().map(String::as_str).collect(),
        }
    }

    /// Number of words.
    pub(crate) fn len(&self) -> usize {
        match &self.words {
            Store::Embedded => GLOSSARY.len(),
            Store::Loaded(map) => map.len(),
        }
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
            let reach = (i + self.longest).min(bounds.len() - 1);
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
        assert_eq!(embedded.longest, loaded.longest);
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
