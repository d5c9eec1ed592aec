/*!
Codes in a text (`ALIN10146`, `ACQ.TRADE_NOT_EXIST`, `40004`), any case and width.

A code stands as a whole token: a run of letters, digits, `_`, `.` and `-`. One pass over the
bytes, classified by a table, finds the tokens; a token goes on to a hash lookup only if some
code has its first letter and length, and its first three letters (the cheap filters below).
The same pass holds the words of the text against the English gate (`gate.rs`).
*/

use std::collections::BTreeMap;
use std::collections::HashMap;

use super::gate::{length_bit, Words};
use super::{Found, Index, MatchKind};
use crate::catalog::Catalog;
use crate::normalize::fold_width;

/// The shapes of code keys: (length, first three letters) hashed into 2^16 bits. With a few
/// hundred codes, about one token in a hundred that is not a code gets past it.
#[derive(Debug, Default)]
pub(super) struct Shapes {
    bits: Vec<u64>,
}

impl Shapes {
    /// The first three bytes of a key, packed (0 where the key is shorter).
    fn prefix_of(key: &str) -> u32 {
        key.bytes()
            .take(3)
            .chain(std::iter::repeat(0))
            .take(3)
            .fold(0, |p, b| p << 8 | u32::from(b))
    }

    fn slot(len: usize, prefix: u32) -> usize {
        let h = (u64::from(prefix) | (len as u64) << 24).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 48) as usize
    }

    pub(super) fn insert(&mut self, key: &str) {
        if self.bits.is_empty() {
            self.bits = vec![0; (1 << 16) / 64];
        }
        let i = Shapes::slot(key.len(), Shapes::prefix_of(key));
        self.bits[i / 64] |= 1 << (i % 64);
    }

    fn may_hold(&self, len: usize, prefix: u32) -> bool {
        let i = Shapes::slot(len, prefix);
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
}

const NOT_CODE: u8 = 0;
const ALNUM: u8 = 1;
const EDGE: u8 = 2;
/// A 0xEF byte: may start a full-width letter, digit, `＿`, `．` or `－`.
const MAYBE_WIDE: u8 = 3;

/// What each byte can be in a code.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [NOT_CODE; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = ALNUM;
        } else if c == b'_' || c == b'.' || c == b'-' {
            t[b] = EDGE;
        }
        b += 1;
    }
    t[0xEF] = MAYBE_WIDE;
    t
};

/// The code character at byte `i` of `b` (letters, digits, `_ . -`, full-width forms folded
/// to ASCII) and its length in bytes.
fn code_char_at(b: &[u8], i: usize) -> Option<(u8, usize)> {
    let c = *b.get(i)?;
    if c < 0x80 {
        return (c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')).then_some((c, 1));
    }
    // full-width forms U+FF01..U+FF5E are EF BC 81..EF BD 9E
    if c == 0xEF && i + 2 < b.len() && (b[i + 1] == 0xBC || b[i + 1] == 0xBD) {
        let cp = 0xF000 | (u32::from(b[i + 1] & 0x3F) << 6) | u32::from(b[i + 2] & 0x3F);
        let ascii = char::from_u32(cp).map(fold_width).filter(char::is_ascii)? as u8;
        return (ascii.is_ascii_alphanumeric() || matches!(ascii, b'_' | b'.' | b'-'))
            .then_some((ascii, 3));
    }
    None
}

impl Index {
    /// Codes in `text` (`ALIN10146`, `ACQ.TRADE_NOT_EXIST`, `40004`), any case and width,
    /// into `out`; returns whether `text` has a word that may open the gate to an English
    /// template (see [`gate_word`]).
    ///
    /// A code stands as a whole token: a run of letters, digits, `_`, `.` and `-`. A code of
    /// digits only counts when it is the whole text or follows a word such as `code` or
    /// `错误码`: elsewhere a number is an amount, a date or a time.
    pub(crate) fn find_codes(&self, catalog: &Catalog, text: &str, out: &mut Vec<Found>) -> bool {
        let gate = self.english_gate();
        let mut key = String::new();
        let mut check = |start: usize, from: usize, end: usize, out: &mut Vec<Found>| {
            self.lookup(catalog, text, &mut key, (start, from, end), out)
        };
        // one pass over the bytes, classified by a table; a token goes on to the lookup only
        // if a code has its length and its first three letters. The words inside a token
        // (its runs of letters and digits) are held against the English gate the same way.
        let b = text.as_bytes();
        let mut i = 0;
        let mut words = Words {
            gate,
            b,
            before: Words::SHAPE,
            english: false,
        };
        while i < b.len() {
            // skip what cannot start a code: most bytes of a Chinese text
            while i < b.len() && BYTE_CLASS[usize::from(b[i])] == NOT_CODE {
                i += 1;
            }
            if i == b.len() {
                break;
            }
            let start = i;
            let before = words.before;
            // the common case first: words of ASCII letters and digits joined by `_ . -`,
            // each word read by a tight loop and looked at only through its first letter and
            // its length, most of the time
            let (mut first, mut last, mut n) = ascii_token(b, &mut i, &mut words);
            // the first letter (lower case) of the token, or its first three when read slowly
            let mut wide_prefix = None;
            if i < b.len() && BYTE_CLASS[usize::from(b[i])] == MAYBE_WIDE {
                // a full-width character may go on with the token: read it again, slowly
                words.before = before;
                let t = wide_token(b, start, &mut words);
                (i, first, last, n) = (t.end, t.first, t.last, t.n);
                wide_prefix = Some(t.prefix);
            }
            if n == 0 {
                // only `_ . -`, or a 0xEF byte that starts no full-width code character
                i = i.max(start + 1);
                continue;
            }
            let first_letter = match wide_prefix {
                Some(p) => (p >> (8 * (n.min(3) - 1))) as u8,
                None => b[first].to_ascii_lowercase(),
            };
            let prefix = || wide_prefix.unwrap_or_else(|| ascii_prefix(&b[first..last]));
            let found = self.may_be_code(first_letter, n, prefix) && check(first, first, last, out);
            // (a namespace is a word: numbers such as times and versions have none)
            // (`last - first > n`: the token has more than one word; most have one)
            if !found
                && last - first > n
                && b[first].is_ascii_alphabetic()
                && b[first..last].contains(&b'.')
                && b[first..last].is_ascii()
            {
                // a code behind a namespace: `aop.ACQ.SYSTEM_ERROR`, `alipay.ACQ.…`
                for from in first + 1..last {
                    if b[from - 1] == b'.'
                        && b[from].is_ascii_alphabetic()
                        && self.ascii_may_be_code(&b[from..last])
                        && check(first, from, last, out)
                    {
                        break;
                    }
                }
            }
        }
        words.english
    }

    /// `text[from..end]` looked up as a code (`key` is a buffer); found, it stands for
    /// `text[start..end]` (a namespace such as `aop.` before `from` is part of what the
    /// paste spelled). Whether some entry's code it is.
    fn lookup(
        &self,
        catalog: &Catalog,
        text: &str,
        key: &mut String,
        (start, from, end): (usize, usize, usize),
        out: &mut Vec<Found>,
    ) -> bool {
        let token = &text[from..end];
        key.clear();
        key.extend(
            token
                .chars()
                .map(fold_width)
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase()),
        );
        // a number counts as a code only in a few places
        if key.bytes().all(|b| b.is_ascii_digit())
            && text.trim() != token
            && !after_code_word(&text[..start])
        {
            return false;
        }
        let codes = self.codes.get_or_init(|| self.code_map());
        let mut any = false;
        for &e in codes.get(key.as_str()).into_iter().flatten() {
            if let Some(mut f) = code_found(catalog, e as usize, text, from, end) {
                if from != start {
                    f.start = start;
                    f.kind = MatchKind::Normalized;
                    f.confidence = PREFIXED_CODE;
                    f.found_chars = text[start..end].chars().count();
                }
                out.push(f);
                any = true;
            }
        }
        any
    }

    /// Whether a code of `n` characters starting with `first_letter` and the three letters
    /// `prefix` may exist: the first-letter table, then the shapes.
    fn may_be_code(&self, first_letter: u8, n: usize, prefix: impl FnOnce() -> u32) -> bool {
        if self.code_first[usize::from(first_letter & 0x7F)] & length_bit(n) == 0 {
            return false;
        }
        let mut prefix = prefix();
        if n < 3 {
            prefix <<= 8 * (3 - n);
        }
        self.code_shapes.may_hold(n, prefix)
    }

    /// [`Self::may_be_code`] for a token of ASCII bytes.
    fn ascii_may_be_code(&self, token: &[u8]) -> bool {
        let Some(&first) = token.iter().find(|c| c.is_ascii_alphanumeric()) else {
            return false;
        };
        let n = token.iter().filter(|c| c.is_ascii_alphanumeric()).count();
        self.may_be_code(first.to_ascii_lowercase(), n, || ascii_prefix(token))
    }

    fn code_map(&self) -> HashMap<String, Vec<u32>> {
        let mut map: HashMap<String, Vec<u32>> = HashMap::new();
        for part in &self.parts {
            for i in 0..part.tables.codes.len() {
                let (key, e) = part.tables.code(i);
                if part.live(e) {
                    map.entry(key.to_owned()).or_default().push(e);
                }
            }
        }
        map
    }
}

/// A token read character by character (see [`wide_token`]).
struct WideToken {
    /// Where the token ends.
    end: usize,
    /// The first byte of its letters and digits, and one past the last.
    first: usize,
    last: usize,
    /// How many letters and digits it has.
    n: usize,
    /// Its first three letters or digits, lower case, packed, unpadded.
    prefix: u32,
}

/// Reads the token at `b[i..]` character by character, full-width forms folded.
fn wide_token(b: &[u8], mut i: usize, words: &mut Words<'_>) -> WideToken {
    let (mut first, mut last, mut n, mut prefix) = (usize::MAX, 0, 0usize, 0u32);
    let (mut word_n, mut word_prefix) = (0usize, 0u32);
    let mut end_word = |word_n: &mut usize, word_prefix: u32| {
        if *word_n > 0 {
            words.end(*word_n, word_prefix);
            *word_n = 0;
        }
    };
    while i < b.len() {
        let (c, len) = match BYTE_CLASS[usize::from(b[i])] {
            ALNUM => (b[i], 1),
            EDGE => {
                end_word(&mut word_n, word_prefix);
                i += 1;
                continue;
            }
            MAYBE_WIDE => match code_char_at(b, i) {
                Some((c, len)) if c.is_ascii_alphanumeric() => (c, len),
                Some((_, len)) => {
                    end_word(&mut word_n, word_prefix);
                    i += len;
                    continue;
                }
                None => break,
            },
            _ => break,
        };
        let lower = u32::from(c.to_ascii_lowercase());
        if n < 3 {
            prefix = prefix << 8 | lower;
        }
        if word_n == 0 {
            word_prefix = 0;
        }
        if word_n < 3 {
            word_prefix = word_prefix << 8 | lower;
        }
        first = first.min(i);
        last = i + len;
        n += 1;
        word_n += 1;
        i += len;
    }
    end_word(&mut word_n, word_prefix);
    WideToken {
        end: i,
        first,
        last,
        n,
        prefix,
    }
}

/// Words after which a number may be a code (`code: 40004`, `错误码：6001`), lower case.
const CODE_WORDS: &[&str] = &[
    "code",
    "错误码",
    "错误代码",
    "代码",
    "状态码",
    "返回码",
    "结果码",
    "resultstatus",
    "status",
    "errno",
    "err",
];

/// The ASCII words of a token from `*i` on: runs of letters and digits joined by `_ . -`,
/// each read by a tight loop and held against the English gate. Returns where its first word
/// starts, where its last ends, and how many letters and digits it has (0: none).
#[inline(always)]
fn ascii_token(b: &[u8], i: &mut usize, words: &mut Words<'_>) -> (usize, usize, usize) {
    let (mut first, mut last, mut n) = (0, 0, 0usize);
    loop {
        while *i < b.len() && BYTE_CLASS[usize::from(b[*i])] == EDGE {
            *i += 1;
        }
        let word = *i;
        while *i < b.len() && BYTE_CLASS[usize::from(b[*i])] == ALNUM {
            *i += 1;
        }
        if *i == word {
            return (first, last, n);
        }
        words.ascii_word(word, *i - word);
        if n == 0 {
            first = word;
        }
        last = *i;
        n += *i - word;
    }
}

/// A code behind a namespace (`aop.ACQ.SYSTEM_ERROR`) is the code, a little less surely.
const PREFIXED_CODE: f64 = 0.95;

/// The first three letters and digits of an ASCII token, lower-cased, one a byte.
fn ascii_prefix(token: &[u8]) -> u32 {
    token
        .iter()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(3)
        .fold(0, |p, &c| p << 8 | u32::from(c.to_ascii_lowercase()))
}

/// A code of entry `entry` spelled as `text[start..end]`, if it counts there.
fn code_found(
    catalog: &Catalog,
    entry: usize,
    text: &str,
    start: usize,
    end: usize,
) -> Option<Found> {
    let e = catalog.entry_at(entry)?;
    let spelled = &text[start..end];
    let numeric = spelled.chars().all(|c| fold_width(c).is_ascii_digit());
    if numeric && text.trim() != spelled && !after_code_word(&text[..start]) {
        return None;
    }
    let exact = e.codes.iter().any(|c| c == spelled);
    Some(Found {
        entry,
        template: None,
        start,
        end,
        slots: BTreeMap::new(),
        kind: if exact {
            MatchKind::Exact
        } else {
            MatchKind::Normalized
        },
        confidence: if exact { 1.0 } else { 0.98 },
        found_chars: spelled.chars().count(),
    })
}

/// Whether `before` ends with a word that introduces a code (`code: `, `错误码：`, …).
fn after_code_word(before: &str) -> bool {
    let tail = before.trim_end_matches(|c: char| {
        let c = fold_width(c);
        c.is_whitespace() || "\"':=(（[【#".contains(c)
    });
    CODE_WORDS.iter().any(|w| {
        // ASCII case-insensitive "ends with", without allocating
        tail.len() >= w.len()
            && tail.is_char_boundary(tail.len() - w.len())
            && tail[tail.len() - w.len()..].eq_ignore_ascii_case(w)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_characters() {
        let b = "A_－Ｚ，".as_bytes();
        assert_eq!(code_char_at(b, 0), Some((b'A', 1)));
        assert_eq!(code_char_at(b, 1), Some((b'_', 1)));
        assert_eq!(code_char_at(b, 2), Some((b'-', 3)));
        assert_eq!(code_char_at(b, 5), Some((b'Z', 3)));
        assert_eq!(code_char_at(b, 8), None);
        assert_eq!(code_char_at(b, 11), None);
    }

    #[test]
    fn codes_need_context_when_numeric() {
        assert!(after_code_word("错误码："));
        assert!(after_code_word("{\"code\":\""));
        assert!(!after_code_word("付款"));
    }

    /// The codes a plain reading finds: split the text into maximal runs of code characters
    /// (one character at a time, full width folded), and look each run's key up.
    fn codes_the_slow_way(
        index: &Index,
        catalog: &Catalog,
        text: &str,
    ) -> Vec<(usize, usize, usize)> {
        let b = text.as_bytes();
        let codes = index.code_map();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let Some((_, len)) = code_char_at(b, i) else {
                i += 1;
                continue;
            };
            let (start, mut end) = (i, i + len);
            let mut key = String::new();
            let (mut first, mut last) = (usize::MAX, 0);
            while let Some((_, len)) = code_char_at(b, end) {
                end += len;
            }
            let mut j = start;
            while j < end {
                let (c, len) = code_char_at(b, j).unwrap();
                if c.is_ascii_alphanumeric() {
                    key.push(char::from(c.to_ascii_lowercase()));
                    first = first.min(j);
                    last = j + len;
                }
                j += len;
            }
            i = end;
            let before = out.len();
            for &e in codes.get(key.as_str()).into_iter().flatten() {
                if let Some(f) = code_found(catalog, e as usize, text, first, last) {
                    out.push((f.entry, f.start, f.end));
                }
            }
            // not a code: the part after a `.` may be one (ASCII tokens)
            if out.len() == before
                && first < last
                && b[first].is_ascii_alphabetic()
                && text[first..last].is_ascii()
            {
                for p in first + 1..last {
                    if b[p - 1] != b'.' || !b[p].is_ascii_alphabetic() {
                        continue;
                    }
                    let key: String = b[p..last]
                        .iter()
                        .filter(|c| c.is_ascii_alphanumeric())
                        .map(|c| char::from(c.to_ascii_lowercase()))
                        .collect();
                    for &e in codes.get(key.as_str()).into_iter().flatten() {
                        if code_found(catalog, e as usize, text, p, last).is_some() {
                            out.push((e as usize, first, last));
                        }
                    }
                    if out.len() > before {
                        break;
                    }
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Full-width punctuation with no letter or digit in its token (（）, ．．) left the
    /// token without a span; the namespace check once sliced by it and panicked.
    #[test]
    fn tokens_of_full_width_punctuation_alone() {
        let catalog = Catalog::builtin().unwrap();
        let index = Index::new(&catalog);
        for text in [
            "（）",
            "x（）",
            "－－（",
            "．．",
            "a.（",
            "失败（）ALIN10146",
            "ｘ．",
        ] {
            let mut found = Vec::new();
            index.find_codes(&catalog, text, &mut found);
        }
        let mut found = Vec::new();
        index.find_codes(&catalog, "失败（）ALIN10146", &mut found);
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn codes_behind_a_namespace() {
        let catalog = Catalog::builtin().unwrap();
        let index = Index::new(&catalog);
        let text = "sub_code: aop.ACQ.SYSTEM_ERROR";
        let mut found = Vec::new();
        index.find_codes(&catalog, text, &mut found);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(
            catalog.entry_at(f.entry).unwrap().id,
            "api.acq_system_error"
        );
        assert_eq!(&text[f.start..f.end], "aop.ACQ.SYSTEM_ERROR");
        assert_eq!(
            (f.kind, f.confidence),
            (MatchKind::Normalized, PREFIXED_CODE)
        );
        // a dotted word that is no code stays nothing
        found.clear();
        index.find_codes(&catalog, "see alipay.trade.pay for details", &mut found);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn codes_in_any_width() {
        let catalog = Catalog::builtin().unwrap();
        let index = Index::new(&catalog);
        let text = "ＡＬＩＮ１０１４６，ACQ.TRADE_NOT_EXIST 错误码：40004";
        let mut found = Vec::new();
        index.find_codes(&catalog, text, &mut found);
        let mut fast: Vec<_> = found.iter().map(|f| (f.entry, f.start, f.end)).collect();
        fast.sort_unstable();
        assert_eq!(fast.len(), 3, "{found:?}");
        assert_eq!(fast, codes_the_slow_way(&index, &catalog, text));
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            // a fixed seed: `cargo test` is deterministic (change it to explore other inputs)
            rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_129),
            ..proptest::test_runner::Config::default()
        })]

        #[test]
        fn codes_fast_and_slow_agree(parts in proptest::collection::vec(proptest::sample::select(vec![
            "ACQ.TRADE_NOT_EXIST", "ALIN10146", "isv.invalid-signature", "ＡＬＩＮ１０１４６",
            "ACQ", ".", "_", "-", "－", "＿", "．", " ", "，", "中", "x", "9", "code:", "40004",
            "错误码：", "Ｘ", "\u{FF5E}", "\u{EF}", "é", "status=", "TRADE", "_NOT_EXIST",
            "aop.", "x.",
        ]), 0..12)) {
            let catalog = Catalog::builtin().unwrap();
            let index = Index::new(&catalog);
            let text: String = parts.concat();
            let mut found = Vec::new();
            index.find_codes(&catalog, &text, &mut found);
            let mut fast: Vec<_> = found.iter().map(|f| (f.entry, f.start, f.end)).collect();
            fast.sort_unstable();
            proptest::prop_assert_eq!(fast, codes_the_slow_way(&index, &catalog, &text), "{:?}", text);
        }
    }
}
