/*!
Normalisation: the text as the matcher sees it, with a map back to the input.

A paste and a catalog template are compared on their *keys*: only letters, digits and
Chinese characters, with

- full-width forms folded to ASCII and ASCII letters lower-cased,
- punctuation, symbols and whitespace dropped (pastes swap `，` and `,`, drop punctuation,
  and break lines anywhere),
- traditional characters mapped to simplified ones (one character for one, by `fast2s`),
- common OCR look-alikes mapped to one representative of their group (see
  [`lookalike`]).

The last two are looked up in a table that `build.rs` computes (`src/key_table.rs`).

Each key character remembers the byte range of the input character it came from, so every
match is reported as a span of the caller's own text. Normalising a key again gives the same
key (the process is idempotent).
*/

pub mod lookalike;

/// One character of a key and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyChar {
    /// Byte offset of this character in the key.
    pub key_byte: u32,
    /// Byte range of the input character it came from.
    pub start: u32,
    /// One past the last byte of the input character.
    pub end: u32,
    /// The input character after width and case folding only: comparing it with the
    /// template's tells an exact match from one that needed conversion.
    pub folded: char,
    /// How the character was changed beyond width/case folding.
    pub change: Change,
}

/// What normalisation did to one character, beyond width and case folding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Change {
    /// Nothing.
    None,
    /// A traditional character became its simplified form.
    Simplified,
    /// An OCR look-alike became the representative of its group.
    LookAlike,
}

/// A text reduced to its key, with a map back to the original bytes.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The key.
    pub key: String,
    /// Each key character and where it came from.
    pub chars: Vec<KeyChar>,
}

impl Normalized {
    /// Normalises `text`.
    pub fn new(text: &str) -> Normalized {
        let mut n = Normalized::default();
        n.reset(text);
        n
    }

    /// Normalises `text` into this value, reusing its buffers.
    pub fn reset(&mut self, text: &str) {
        self.key.clear();
        self.chars.clear();
        self.key.reserve(text.len());
        self.chars.reserve(text.len() / 2);
        for (i, c) in text.char_indices() {
            let Some((folded, k, change)) = map_char(c) else {
                continue;
            };
            self.chars.push(KeyChar {
                key_byte: self.key.len() as u32,
                start: i as u32,
                end: (i + c.len_utf8()) as u32,
                folded,
                change,
            });
            self.key.push(k);
        }
    }

    /// Only the key of `text`, into `key`: the cheap first look at a line of a scan.
    pub fn key_only(text: &str, key: &mut String) {
        key.clear();
        key.reserve(text.len());
        // characters that are their own key (most of a Chinese text, lower-case letters,
        // digits) are copied a run at a time
        let mut run = 0;
        for (i, c) in text.char_indices() {
            let k = if c.is_ascii() {
                if c.is_ascii_lowercase() || c.is_ascii_digit() {
                    continue;
                }
                c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
            } else {
                match crate::key_table::dense_key(c) {
                    Some(k) => k,
                    None => map_char(c).map(|(_, k, _)| k),
                }
            };
            if k == Some(c) {
                continue;
            }
            key.push_str(&text[run..i]);
            if let Some(k) = k {
                key.push(k);
            }
            run = i + c.len_utf8();
        }
        key.push_str(&text[run..]);
    }

    /// Number of key characters.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether the key is empty.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The index of the key character at key byte offset `byte` (which must start a char).
    pub fn char_at_byte(&self, byte: usize) -> usize {
        self.chars
            .partition_point(|kc| (kc.key_byte as usize) < byte)
    }

    /// The key byte offset where key character `i` starts (`key.len()` for `i == len()`).
    pub fn byte_of_char(&self, i: usize) -> usize {
        self.chars
            .get(i)
            .map_or(self.key.len(), |kc| kc.key_byte as usize)
    }

    /// Byte offset in the input where key character `i` starts.
    pub fn start_of(&self, i: usize) -> usize {
        self.chars[i].start as usize
    }

    /// Byte offset in the input where key character `i` ends.
    pub fn end_of(&self, i: usize) -> usize {
        self.chars[i].end as usize
    }
}

/// The folded form, the key form and the change of one character, or `None` when the
/// character is dropped (punctuation, symbols, whitespace).
#[inline]
fn map_char(c: char) -> Option<(char, char, Change)> {
    if c.is_ascii() {
        return c
            .is_ascii_alphanumeric()
            .then(|| (c.to_ascii_lowercase(), c.to_ascii_lowercase(), Change::None));
    }
    let f = fold_width(c);
    if f.is_ascii() {
        return f
            .is_ascii_alphanumeric()
            .then(|| (f.to_ascii_lowercase(), f.to_ascii_lowercase(), Change::None));
    }
    // CJK ideographs, kana, letters of other scripts, Chinese numerals; not punctuation
    crate::key_table::key_of(f).map(|(k, change)| (f, k, change))
}

/// Full-width ASCII forms (`０`, `Ａ`, `，`) as their ASCII twins, the ideographic space as a space.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '￥' => '¥',
        _ => c,
    }
}

/// The key of `text` as a plain string (tests, templates, glossary checks).
pub fn key(text: &str) -> String {
    Normalized::new(text).key
}

/// Whether `c` is a Chinese character (CJK unified ideographs, their extension A, and the
/// compatibility ideographs; the blocks are those of the key table, `crates/prep/build.rs`).
pub fn is_han(c: char) -> bool {
    use crate::key_table::{HAN, HAN_COMPAT, HAN_EXT_A};
    let cp = c as u32;
    [HAN, HAN_EXT_A, HAN_COMPAT]
        .iter()
        .any(|&(first, last)| (first..=last).contains(&cp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_drops_and_maps_back() {
        let input = "抱歉，暫時 無法操作。(ALI10)";
        let n = Normalized::new(input);
        assert_eq!(n.key, "抱歉暂时无法操作ali10");
        // every key char points at a real input char
        for (i, kc) in n.chars.iter().enumerate() {
            let orig = &input[kc.start as usize..kc.end as usize];
            assert_eq!(orig.chars().count(), 1);
            assert_eq!(n.char_at_byte(kc.key_byte as usize), i);
        }
        assert_eq!(n.chars[2].change, Change::Simplified);
        assert_eq!(n.chars[0].change, Change::None);
    }

    #[test]
    fn full_width_and_case() {
        assert_eq!(key("ＡＬＩＮ１０１４６"), "alin10146");
        assert_eq!(key("sys_1000"), "sys1000");
        assert_eq!(key("  \n\t "), "");
    }

    #[test]
    fn look_alikes_share_a_key() {
        assert_eq!(key("系统"), key("糸充"));
        assert_eq!(key("已"), key("己"));
        assert_eq!(key("账户"), key("帐户"));
        assert_eq!(key("未认证"), key("末认证"));
        let n = Normalized::new("末认证");
        assert_eq!(n.chars[0].change, Change::LookAlike);
    }

    #[test]
    fn idempotent() {
        for s in [
            "抱歉,暫時無法操作。失敗原因 系統出錯啦。",
            "糸充繁忙(ALIN10146)",
            "這是什麼意思？",
        ] {
            let k = key(s);
            assert_eq!(key(&k), k, "{s}");
        }
    }

    #[test]
    fn key_only_is_the_same_key() {
        let mut k = String::new();
        for s in [
            "",
            "ＡＢｃ１２３，系統繁忙(ALIN10146)\n知道了",
            "a\u{0}\u{7f}é𝄞中文・·",
            "已己巳末未帳账",
        ] {
            Normalized::key_only(s, &mut k);
            assert_eq!(k, Normalized::new(s).key, "{s:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            // a fixed seed: `cargo test` is deterministic (change it to explore other inputs)
            rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_129),
            ..proptest::test_runner::Config::default()
        })]

        #[test]
        fn key_only_agrees_with_the_full_map(
            text in "[a-zA-Z0-9 ,.:_\\-ＡＢｃ１２，。（）系統统繁忙已己巳末未帳账é𝄞\u{3000}\u{0}]{0,40}"
        ) {
            let mut k = String::new();
            Normalized::key_only(&text, &mut k);
            proptest::prop_assert_eq!(&k, &Normalized::new(&text).key);
        }
    }

    #[test]
    fn han_blocks() {
        for c in ['一', '鿿', '㐀', '䶿', '豈', '\u{FAFF}'] {
            assert!(is_han(c), "{c}");
        }
        // the Yijing symbols between extension A and the unified ideographs are not
        for c in ['䷀', '\u{4DFF}', 'a', '，', 'ｱ', '\u{2E80}'] {
            assert!(!is_han(c), "{c}");
        }
    }

    #[test]
    fn simplified_text_is_left_alone() {
        // character_converter maps 么 to 幺 (ARCHITECTURE.md, "Measured reasons"); fast2s must not.
        assert_eq!(key("这是什么意思"), "这是什么意思");
    }
}
