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
///
/// With the `dictionary` feature (on by default), words the glossary lacks take pinyin and
/// a sense from CC-CEDICT, traditional characters too:
///
/// ```
/// # #[cfg(feature = "dictionary")] {
/// let out = alipay_explain::Explainer::new().unwrap().explain("請致電客服");
/// let gloss = &out.unmatched[0].gloss;
/// assert_eq!(gloss[1].word, "致電");
/// assert_eq!(gloss[1].pinyin, "zhìdiàn");
/// assert!(gloss.iter().all(|g| g.en.is_some()));
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Gloss {
    /// The word as it stands in the input.
    pub word: String,
    /// Its pinyin, with tone marks.
    pub pinyin: String,
    /// A short English gloss, when the glossary (or, with the `dictionary` feature,
    /// CC-CEDICT) has the word.
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

/// At most this many chunks (64 KB) of one text are glossed: `explain` stops glossing past
/// 64 KB of unmatched text in all, but a single line longer than that came here whole (a
/// 5 MB line took 5 s to gloss, 20 s with the dictionary; nobody reads such a gloss).
const MAX_CHUNKS: usize = 16;

/// The gloss of `text`: every Chinese word, with pinyin, and English where known.
pub(crate) fn gloss(text: &str) -> Vec<Gloss> {
    let Ok(g) = glossary::BUILTIN.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for chunk in chunks(text, CHUNK).take(MAX_CHUNKS) {
        if let Some(words) = whole_words(chunk, g) {
            out.extend(words);
            continue;
        }
        #[cfg(feature = "dictionary")]
        if let Some(d) = crate::dictionary::get() {
            dictionary_gloss(chunk, g, d, &mut out);
            continue;
        }
        jieba_gloss(chunk, g, &mut out);
    }
    out
}

/// The gloss of `chunk` with jieba over the glossary's words (the build without the
/// dictionary): words the glossary lacks get pinyin only.
fn jieba_gloss(chunk: &str, g: &glossary::Glossary, out: &mut Vec<Gloss>) {
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

/// Longest dictionary word tried when segmenting, in characters (CC-CEDICT's longest
/// entries are set phrases and names of 10–19 characters, made of shorter words it also has).
#[cfg(feature = "dictionary")]
const LONGEST_WORD: usize = 12;

/// The gloss of `chunk` with the glossary and the dictionary: each run of Chinese characters
/// is cut into the fewest words that the glossary or the dictionary knows (then the fewest
/// single characters, then the most glossary words), and each word takes the glossary's
/// sense if the glossary has it (also for its traditional form), else the dictionary's.
#[cfg(feature = "dictionary")]
fn dictionary_gloss(
    chunk: &str,
    g: &glossary::Glossary,
    d: &crate::dictionary::Dictionary,
    out: &mut Vec<Gloss>,
) {
    for run in chunk.split(|c: char| !is_han(c)).filter(|r| !r.is_empty()) {
        if let Some(w) = g.get(run) {
            out.push(word(run, w.pinyin, Some(w.en)));
            continue;
        }
        let simple = d.simplified(run);
        let at: Vec<usize> = bounds(run);
        let sat: Vec<usize> = bounds(&simple);
        let n = at.len() - 1;
        let cuts = fewest_words(run, &simple, (&at, &sat), g, d);
        let mut unknown_from: Option<usize> = None;
        for (k, &from) in cuts.iter().enumerate() {
            let to = cuts.get(k + 1).copied().unwrap_or(n);
            let piece = &run[at[from]..at[to]];
            let simple_piece = &simple[sat[from]..sat[to]];
            let sense = g
                .get(piece)
                .or_else(|| g.get(simple_piece))
                .map(|w| (w.pinyin, w.en))
                .or_else(|| {
                    d.lookup(piece).map(|s| match g.get(s.word) {
                        Some(w) => (w.pinyin, w.en),
                        None => (s.pinyin, s.en),
                    })
                });
            match sense {
                Some((pinyin, en)) => {
                    out.push(word(piece, pinyin, Some(en)));
                    unknown_from = None;
                }
                None => match (unknown_from, out.last_mut()) {
                    // characters no one knows, side by side, stay one word
                    (Some(start), Some(last)) => {
                        last.word = run[at[start]..at[to]].to_owned();
                        last.pinyin = pinyin_of(&last.word);
                    }
                    _ => {
                        out.push(word(piece, &pinyin_of(piece), None));
                        unknown_from = Some(from);
                    }
                },
            }
        }
    }
}

/// Where to cut a run of Chinese characters (`at`: its character boundaries; `sat`: those of
/// its simplified form) into the fewest words the glossary or the dictionary knows; a
/// glossary word beats a dictionary word of the same length, and a lone character nobody
/// knows costs most. The start of each word, in characters.
#[cfg(feature = "dictionary")]
fn fewest_words(
    run: &str,
    simple: &str,
    (at, sat): (&[usize], &[usize]),
    g: &glossary::Glossary,
    d: &crate::dictionary::Dictionary,
) -> Vec<usize> {
    let n = at.len() - 1;
    // best[i]: the cost of the best cut of the first i characters, and its last word's length
    const WORD: u64 = 1 << 32;
    const SINGLE: u64 = 1 << 16;
    let mut best: Vec<(u64, usize)> = vec![(u64::MAX, 0); n + 1];
    best[0] = (0, 0);
    for i in 0..n {
        let (base, _) = best[i];
        if base == u64::MAX {
            continue;
        }
        let known = d.prefixes(&run[at[i]..], &simple[sat[i]..], LONGEST_WORD);
        let mut ours = Vec::new();
        sorted_prefixes(&GLOSSARY_WORDS, &run[at[i]..], g.longest(), &mut ours);
        if simple != run {
            sorted_prefixes(&GLOSSARY_WORDS, &simple[sat[i]..], g.longest(), &mut ours);
        }
        let mut lens: Vec<usize> = known.iter().chain(&ours).copied().collect();
        lens.push(1);
        lens.sort_unstable_by(|a, b| b.cmp(a));
        lens.dedup();
        for len in lens {
            let in_glossary = ours.contains(&len);
            let in_dictionary = known.contains(&len);
            let mut cost = base + WORD;
            if len == 1 {
                cost += SINGLE;
                if !in_glossary && !in_dictionary {
                    cost += SINGLE; // a character nobody knows
                }
            }
            if !in_glossary {
                cost += 1;
            }
            if cost < best[i + len].0 {
                best[i + len] = (cost, len);
            }
        }
    }
    let mut cuts = Vec::new();
    let mut i = n;
    while i > 0 {
        let len = best[i].1.max(1);
        cuts.push(i - len);
        i -= len;
    }
    cuts.reverse();
    cuts
}

/// The embedded glossary's words, sorted (for prefix searches).
#[cfg(feature = "dictionary")]
static GLOSSARY_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    glossary::BUILTIN
        .as_ref()
        .map(|g| g.words())
        .unwrap_or_default()
});

/// Adds to `found` the lengths (in characters, at most `max`) of the words of `words`
/// (sorted) that `text` starts with; stops at the first length no word begins with.
#[cfg(feature = "dictionary")]
fn sorted_prefixes(words: &[&str], text: &str, max: usize, found: &mut Vec<usize>) {
    let ends = text.char_indices().map(|(i, c)| i + c.len_utf8()).take(max);
    for (n, end) in ends.enumerate() {
        let prefix = &text[..end];
        match words.get(words.partition_point(|w| *w < prefix)) {
            Some(w) if *w == prefix => found.push(n + 1),
            Some(w) if w.starts_with(prefix) => {}
            _ => break,
        }
    }
}

/// The byte offset of each character of `s`, and its length.
#[cfg(feature = "dictionary")]
fn bounds(s: &str) -> Vec<usize> {
    s.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect()
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
        // a character neither the glossary nor the dictionary knows: pinyin only, and two of
        // them side by side stay one word
        let g = gloss("㐀㐀");
        assert_eq!(g.len(), 1, "{g:?}");
        assert_eq!(g[0].word, "㐀㐀");
        assert_eq!(g[0].en, None);
        assert!(!g[0].pinyin.is_empty());
    }

    /// With the dictionary: the words the glossary lacked get a sense and the dictionary's
    /// pinyin for the word (银行 háng, not the character's common xíng).
    #[cfg(feature = "dictionary")]
    #[test]
    fn dictionary_fills_the_holes() {
        let g = gloss("请致电中国移动，下午拦截");
        let words: Vec<&str> = g.iter().map(|w| w.word.as_str()).collect();
        assert_eq!(words, ["请", "致电", "中国移动", "下午", "拦截"]);
        assert!(g.iter().all(|w| w.en.is_some()), "{g:?}");
        assert_eq!(g[1].pinyin, "zhìdiàn");
        assert_eq!(g[4].en.as_deref(), Some("to intercept"));
        // the glossary's sense first: 确定 is the OK button, not "definite"
        assert_eq!(gloss("确定")[0].en.as_deref(), Some("OK; confirm"));
        // also for a traditional form the glossary has in simplified form
        let g = gloss("請確定帳戶");
        assert!(g
            .iter()
            .any(|w| w.word == "確定" && w.en.as_deref() == Some("OK; confirm")));
        assert!(g.iter().all(|w| w.en.is_some()), "{g:?}");
        // words are cut as the dictionary knows them, not character by character
        let g = gloss("您的银行卡余额不足以支付本次交易");
        assert!(g.iter().all(|w| w.en.is_some()), "{g:?}");
        assert!(
            g.iter().filter(|w| w.word.chars().count() == 1).count() <= 3,
            "{g:?}"
        );
    }

    /// Without the dictionary (the web page's build) a word the glossary lacks has no sense.
    #[cfg(not(feature = "dictionary"))]
    #[test]
    fn without_the_dictionary_unknown_words_have_pinyin_only() {
        let g = gloss("拦截");
        assert!(
            g.iter().all(|w| w.en.is_none() && !w.pinyin.is_empty()),
            "{g:?}"
        );
    }

    #[test]
    fn a_long_text_is_glossed_only_up_to_the_cap() {
        let g = gloss(&"银行卡".repeat(50_000)); // 450 KB
        let bytes: usize = g.iter().map(|w| w.word.len()).sum();
        assert!(bytes > CHUNK && bytes <= MAX_CHUNKS * CHUNK, "{bytes}");
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
