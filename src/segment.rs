/*!
Segmentation and the word-by-word gloss of text that no catalog entry explains.

jieba-rs cuts the text. It starts from an empty dictionary plus the glossary's words
(`Jieba::empty()` + `add_word`: well under a millisecond, against about 100 ms for jieba's
full 349k-word dictionary, see ARCHITECTURE.md, "Measured reasons"), and its compiled-in HMM groups characters
the glossary does not know into words. Each word is glossed from the glossary; one it does
not hold is split into the glossary words inside it, and what is left gets pinyin from the
`pinyin` crate and no English.
*/

use jieba_rs::Jieba;
use pinyin::ToPinyin;
use serde::Serialize;
use std::sync::LazyLock;

use crate::glossary;
use crate::normalize::is_han;

/// One word of a gloss.
///
/// ```
/// use alipay_explain::Explainer;
///
/// let explainer = Explainer::new().unwrap();
/// let out = explainer.explain("请联系客服");
/// let gloss = &out.unmatched[0].gloss;
/// assert_eq!(gloss.iter().map(|g| g.word.as_str()).collect::<String>(), "请联系客服");
/// assert!(gloss.iter().all(|g| g.en.is_some()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Gloss {
    /// The word as it stands in the input.
    pub word: String,
    /// Its pinyin, with tone marks.
    pub pinyin: String,
    /// A short English gloss, when the glossary has the word.
    pub en: Option<String>,
}

/// The segmenter: built on first use, once per process.
static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut j = Jieba::empty();
    if let Ok(g) = glossary::BUILTIN.as_ref() {
        for word in g.words() {
            j.add_word(word, Some(100), None);
        }
    }
    j
});

/// Longest run of text glossed in one piece; longer text is glossed in chunks of this size.
const CHUNK: usize = 4096;

/// The gloss of `text`: every Chinese word, with pinyin, and English where known.
pub(crate) fn gloss(text: &str) -> Vec<Gloss> {
    let Ok(g) = glossary::BUILTIN.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for chunk in chunks(text, CHUNK) {
        if let Some(words) = whole_words(chunk, g) {
            out.extend(words);
            continue;
        }
        for token in JIEBA.cut(chunk, true) {
            if !token.word.chars().any(is_han) {
                continue;
            }
            if let Some(w) = g.get(token.word) {
                out.push(word(token.word, w.pinyin, Some(w.en)));
                continue;
            }
            for (part, w) in g.split(token.word) {
                match w {
                    Some(w) => out.push(word(part, w.pinyin, Some(w.en))),
                    None if part.chars().any(is_han) => {
                        // merge runs of unknown characters back into one word
                        match out.last_mut() {
                            Some(last)
                                if last.en.is_none()
                                    && token.word.contains(&format!("{}{part}", last.word)) =>
                            {
                                last.word.push_str(part);
                                last.pinyin = pinyin_of(&last.word);
                            }
                            _ => out.push(word(part, &pinyin_of(part), None)),
                        }
                    }
                    None => {}
                }
            }
        }
    }
    out
}

/// The gloss of `chunk` when each of its runs of letters and digits is either free of Chinese
/// characters or exactly one glossary word (the `提示` and `知道了` around a pasted message):
/// what jieba would give, since a word of its dictionary beats any split of it, without
/// building jieba (about half a millisecond). `None` for anything else.
fn whole_words(chunk: &str, g: &glossary::Glossary) -> Option<Vec<Gloss>> {
    // a superset of what jieba keeps together: letters and digits of any script, `+#&._%-`
    let joined = |c: char| c.is_alphanumeric() || "+#&._%-".contains(c);
    let mut out = Vec::new();
    for run in chunk.split(|c: char| !joined(c)) {
        if !run.chars().any(is_han) {
            continue;
        }
        if !run.chars().all(is_han) {
            return None;
        }
        let w = g.get(run)?;
        out.push(word(run, w.pinyin, Some(w.en)));
    }
    Some(out)
}

fn word(w: &str, pinyin: &str, en: Option<&str>) -> Gloss {
    Gloss {
        word: w.to_owned(),
        pinyin: pinyin.to_owned(),
        en: en.map(str::to_owned),
    }
}

/// Pinyin with tone marks, one syllable per character, joined with spaces.
pub(crate) fn pinyin_of(word: &str) -> String {
    word.to_pinyin()
        .flatten()
        .map(|p| p.with_tone())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` cut into pieces of at most `max` bytes, at char boundaries.
fn chunks(text: &str, max: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut cut = rest.len().min(max);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (head, tail) = rest.split_at(cut);
        rest = tail;
        Some(head)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_glossary_words_need_no_segmenter() {
        let g = glossary::BUILTIN.as_ref().unwrap();
        for text in [
            " 提示 ",
            "知道了",
            "提示：确定 / 取消",
            "提示 ALIN10146 知道了",
        ] {
            let quick = whole_words(text, g).expect(text);
            // the same as jieba's cut
            let mut slow = Vec::new();
            for token in JIEBA.cut(text, true) {
                if token.word.chars().any(is_han) {
                    let w = g.get(token.word).unwrap();
                    slow.push(word(token.word, w.pinyin, Some(w.en)));
                }
            }
            assert_eq!(quick, slow, "{text}");
        }
        assert!(whole_words("请联系客服人员", g).is_none());
        assert!(whole_words("2FA验证", g).is_none());
    }

    #[test]
    fn glosses_known_words_and_gives_pinyin_for_the_rest() {
        let g = gloss("请联系客服");
        assert!(g.iter().all(|w| !w.pinyin.is_empty()));
        assert!(g.iter().any(|w| w.en.is_some()));
        let g = gloss("犇");
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].en, None);
        assert_eq!(g[0].pinyin, "bēn");
    }

    #[test]
    fn skips_non_chinese() {
        assert!(gloss("OK 12:45 !!").is_empty());
    }

    #[test]
    fn chunks_respect_char_boundaries() {
        let s = "银".repeat(5);
        let parts: Vec<&str> = chunks(&s, 4).collect();
        assert_eq!(parts.concat(), s);
        assert!(parts.iter().all(|p| p.len() <= 4));
    }
}
