/*!
CC-CEDICT behind the word gloss: pinyin and an English sense for the words the glossary does
not hold, traditional characters included (feature `dictionary`, on by default; the web page
builds without it).

The data is `data/dictionary/cedict.tsv.zst`, made by `scripts/make_dictionary.py` from
CC-CEDICT (MDBG, CC BY-SA 4.0, see `data/dictionary/NOTICE.md`): one line per simplified word
and reading, `word<TAB>pinyin<TAB>english`, sorted by the word's bytes, after two header lines
(`#cc-cedict<TAB>date<TAB>entries` and `#t2s<TAB>` traditional/simplified character pairs). It
is embedded compressed (about 2 MB) and decompressed on the first gloss that needs it (about
6 MB in memory), never for a paste that a catalog entry or glossary words explain whole.
Lookups bisect the sorted lines: there is no index to build.
*/

use std::sync::LazyLock;

use pinyin::ToPinyin;

/// The most the decompressed dictionary may take (it takes about 6 MB).
const LIMIT: usize = 32 << 20;

/// The compressed dictionary, as `scripts/make_dictionary.py` wrote it.
static DATA: &[u8] = include_bytes!("../data/dictionary/cedict.tsv.zst");

/// The dictionary, decompressed on first use; `None` if the embedded data is damaged (then
/// the gloss goes on without it, as with the feature off).
static DICTIONARY: LazyLock<Option<Dictionary>> =
    LazyLock::new(|| Dictionary::from_compressed(DATA).ok());

/// The embedded dictionary, loaded on the first call.
pub(crate) fn get() -> Option<&'static Dictionary> {
    DICTIONARY.as_ref()
}

/// Why the dictionary could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DictionaryError {
    /// The compressed data is damaged.
    #[error("the dictionary data cannot be decompressed: {0}")]
    Decompress(#[from] std::io::Error),
    /// The text is not UTF-8.
    #[error("the dictionary is not UTF-8")]
    Utf8(#[from] std::string::FromUtf8Error),
    /// A header line is missing or wrong.
    #[error("the dictionary has no {0} header")]
    Header(&'static str),
}

/// One reading of a word: its pinyin (tone marks) and a short English sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sense<'a> {
    /// The headword as the dictionary writes it (simplified).
    pub(crate) word: &'a str,
    pub(crate) pinyin: &'a str,
    pub(crate) en: &'a str,
}

/// The decompressed dictionary.
#[derive(Debug)]
pub(crate) struct Dictionary {
    text: String,
    /// Where the sorted word lines begin.
    body: usize,
    /// Traditional character → simplified, sorted by the traditional one.
    t2s: Vec<(char, char)>,
}

impl Dictionary {
    /// Reads zstd-compressed dictionary text.
    pub(crate) fn from_compressed(data: &[u8]) -> Result<Dictionary, DictionaryError> {
        // the frame header gives the size (scripts/make_dictionary.py writes it): one call,
        // one buffer of that size; a header that claims more than LIMIT is refused
        let text = String::from_utf8(zstd::bulk::decompress(data, LIMIT)?)?;
        Dictionary::from_text(text)
    }

    /// Reads dictionary text: the two header lines, then sorted `word\tpinyin\ten` lines.
    ///
    /// Lines need not be sorted for this to succeed, but lookups find only what is in order;
    /// the tests check the embedded data.
    pub(crate) fn from_text(text: String) -> Result<Dictionary, DictionaryError> {
        let mut lines = text.split_inclusive('\n');
        let head = lines.next().ok_or(DictionaryError::Header("#cc-cedict"))?;
        if !head.starts_with("#cc-cedict\t") {
            return Err(DictionaryError::Header("#cc-cedict"));
        }
        let pairs = lines.next().ok_or(DictionaryError::Header("#t2s"))?;
        let body = head.len() + pairs.len();
        let chars: Vec<char> = pairs
            .strip_prefix("#t2s\t")
            .ok_or(DictionaryError::Header("#t2s"))?
            .trim_end()
            .chars()
            .collect();
        let mut t2s: Vec<(char, char)> = chars.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        t2s.sort_unstable();
        Ok(Dictionary { text, body, t2s })
    }

    /// The simplified form of a traditional character, if it is one.
    pub(crate) fn simplified_char(&self, c: char) -> char {
        match self.t2s.binary_search_by_key(&c, |p| p.0) {
            Ok(i) => self.t2s[i].1,
            Err(_) => c,
        }
    }

    /// `word` with each traditional character simplified (the same number of characters).
    pub(crate) fn simplified(&self, word: &str) -> String {
        word.chars().map(|c| self.simplified_char(c)).collect()
    }

    /// The byte offset of the first line whose word is `>= key`.
    fn lower_bound(&self, key: &str) -> usize {
        let text = self.text.as_bytes();
        let (mut lo, mut hi) = (self.body, text.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let start = memchr::memrchr(b'\n', &text[lo..mid]).map_or(lo, |p| lo + p + 1);
            let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |p| start + p);
            if line_word(&text[start..end]) < key.as_bytes() {
                lo = end + 1;
            } else {
                hi = start;
            }
        }
        lo.min(text.len())
    }

    /// The lines from byte offset `at` on, as (word, pinyin, en).
    fn lines_from(&self, at: usize) -> impl Iterator<Item = Sense<'_>> {
        self.text
            .get(at..)
            .unwrap_or("")
            .lines()
            .filter_map(|line| {
                let mut f = line.splitn(3, '\t');
                Some(Sense {
                    word: f.next()?,
                    pinyin: f.next()?,
                    en: f.next()?,
                })
            })
    }

    /// The readings of `word` exactly as written, most common first.
    fn readings<'a, 'w>(&'a self, word: &'w str) -> impl Iterator<Item = Sense<'a>> + use<'a, 'w> {
        self.lines_from(self.lower_bound(word))
            .take_while(move |s| s.word == word)
    }

    /// The sense of `word`: as written, else with its traditional characters simplified.
    /// Of several readings, a single character takes the one the `pinyin` crate gives as its
    /// most common (行 `xíng`, not `háng`); a longer word takes the dictionary's first.
    ///
    /// The `pinyin` crate's reading is a frequency-ordered heteronym list, CEDICT's order is
    /// alphabetical, hence the check.
    pub(crate) fn lookup(&self, word: &str) -> Option<Sense<'_>> {
        self.pick(word).or_else(|| {
            let simple = self.simplified(word);
            (simple != word).then(|| self.pick(&simple)).flatten()
        })
    }

    fn pick(&self, word: &str) -> Option<Sense<'_>> {
        let mut readings = self.readings(word);
        let first = readings.next()?;
        let mut chars = word.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return Some(first);
        };
        let Some(common) = c.to_pinyin().map(|p| p.with_tone()) else {
            return Some(first);
        };
        if first.pinyin == common {
            return Some(first);
        }
        Some(readings.find(|s| s.pinyin == common).unwrap_or(first))
    }

    /// The lengths (in characters, at most `max`) of the dictionary words that `text` starts
    /// with as written, and those that `simple` (`text` simplified) starts with.
    pub(crate) fn prefixes(&self, text: &str, simple: &str, max: usize) -> Vec<usize> {
        let mut found = self.prefixes_of(text, max);
        if simple != text {
            found.extend(self.prefixes_of(simple, max));
            found.sort_unstable();
            found.dedup();
        }
        found
    }

    fn prefixes_of(&self, text: &str, max: usize) -> Vec<usize> {
        let mut found = Vec::new();
        let ends = text.char_indices().map(|(i, c)| i + c.len_utf8()).take(max);
        for (n, end) in ends.enumerate() {
            let prefix = &text[..end];
            match self.lines_from(self.lower_bound(prefix)).next() {
                Some(s) if s.word == prefix => found.push(n + 1),
                Some(s) if s.word.starts_with(prefix) => {}
                _ => break,
            }
        }
        found
    }

    /// Number of word lines (for tests and the docs).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.text[self.body..].lines().count()
    }
}

/// The word of a line: the bytes before the first tab.
fn line_word(line: &[u8]) -> &[u8] {
    memchr::memchr(b'\t', line).map_or(line, |t| &line[..t])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict() -> &'static Dictionary {
        get().expect("the embedded dictionary loads")
    }

    #[test]
    fn embedded_data_loads_and_is_sorted() {
        let d = dict();
        assert!(d.text.starts_with("#cc-cedict\t2023-11-07\t122143\n"));
        assert!(d.len() > 100_000, "{}", d.len());
        let words: Vec<&str> = d.lines_from(d.body).map(|s| s.word).collect();
        assert_eq!(words.len(), d.len(), "every line has three fields");
        assert!(words.windows(2).all(|w| w[0] <= w[1]), "sorted by bytes");
    }

    #[test]
    fn finds_the_words_the_glossary_lacked() {
        let d = dict();
        for (word, pinyin, en) in [
            ("致电", "zhìdiàn", "to phone"),
            ("下午", "xiàwǔ", "afternoon"),
            ("拦截", "lánjié", "to intercept"),
            ("移动", "yídòng", "to move"),
            ("西安", "Xī'ān", "Xi'an"),
        ] {
            let s = d.lookup(word).expect(word);
            assert_eq!(s.pinyin, pinyin, "{word}");
            assert!(s.en.contains(en), "{word}: {}", s.en);
        }
        assert_eq!(d.lookup("不是一个词吧"), None);
        assert_eq!(d.lookup(""), None);
    }

    #[test]
    fn traditional_words_and_characters() {
        let d = dict();
        assert_eq!(d.simplified("攔截電話"), "拦截电话");
        // 么 is a simplified character in its own right: it is not turned into 幺
        assert_eq!(d.simplified("什么"), "什么");
        let s = d.lookup("致電").unwrap();
        assert_eq!((s.word, s.pinyin), ("致电", "zhìdiàn"));
        assert_eq!(d.lookup("確").unwrap().word, "确");
    }

    #[test]
    fn a_single_character_takes_its_common_reading() {
        let d = dict();
        assert_eq!(d.lookup("行").unwrap().pinyin, "xíng");
        assert_eq!(d.lookup("了").unwrap().pinyin, "le");
        // a word takes its own reading
        assert_eq!(d.lookup("银行").unwrap().pinyin, "yínháng");
    }

    #[test]
    fn prefixes_as_written_and_simplified() {
        let d = dict();
        assert_eq!(
            d.prefixes("中华人民共和国万岁", "中华人民共和国万岁", 12),
            [1, 2, 7]
        );
        assert_eq!(d.prefixes("中华人民共和国", "中华人民共和国", 6), [1, 2]);
        assert_eq!(d.prefixes("攔截", "拦截", 8), [1, 2]);
        assert!(d.prefixes("犇犇犇犇", "犇犇犇犇", 8).len() <= 1);
        assert_eq!(d.prefixes("", "", 8), Vec::<usize>::new());
    }

    #[test]
    fn damaged_data_is_an_error_not_a_panic() {
        assert!(Dictionary::from_compressed(b"not zstd").is_err());
        assert!(Dictionary::from_text(String::new()).is_err());
        assert!(Dictionary::from_text("#cc-cedict\tx\t1\n".to_owned()).is_err());
        let d = Dictionary::from_text("#cc-cedict\t2023\t1\n#t2s\t\n".to_owned()).unwrap();
        assert_eq!(d.lookup("a"), None);
        assert!(d.prefixes("a", "a", 4).is_empty());
        let d =
            Dictionary::from_text("#cc-cedict\t2023\t1\n#t2s\t電电\n电\tdiàn\telectric".to_owned())
                .unwrap();
        assert_eq!(d.lookup("電").map(|s| s.en), Some("electric"));
    }
}
