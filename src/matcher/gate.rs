/*!
The gate to the English templates. English messages are matched, like codes, on whole words;
a text is searched for them only if it holds one of their gate words (the most distinctive
pair of neighbouring words of each, see `prepare::gate_words`). The words of a text are
held against the gate in the same pass that reads its codes (`codes.rs`), so most log lines
never build a lower-case key or run the English automaton.
*/

use super::Index;

/// The gate to the English templates: the shapes (length, first three letters) of their gate
/// words, alone or in pairs (see [`gate_words`]), hashed into 2^16 bits.
#[derive(Debug)]
pub(super) struct Gate {
    bits: Vec<u64>,
    /// By a word's first byte: the bit `len` (at most 63) is set when a gate word of that
    /// length starts with it. Most words are ruled out by this one test.
    by_first: [u64; 128],
}

impl Default for Gate {
    fn default() -> Gate {
        Gate {
            bits: Vec::new(),
            by_first: [0; 128],
        }
    }
}

impl Gate {
    /// The shape of a word of `len` characters whose first (up to three) characters were
    /// packed into `prefix` without padding; never 0.
    fn shape(len: usize, prefix: u32) -> u32 {
        let prefix = if len < 3 {
            prefix << (8 * (3 - len))
        } else {
            prefix
        };
        (len.min(255) as u32) << 24 | prefix
    }

    fn shape_of(word: &str) -> u32 {
        let prefix = word.bytes().take(3).fold(0, |p, b| p << 8 | u32::from(b));
        Gate::shape(word.len(), prefix)
    }

    /// The bit of the word `shape` after the word `before` (0 for none).
    fn slot(before: u32, shape: u32) -> usize {
        let h = (u64::from(before) << 32 | u64::from(shape)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 48) as usize
    }

    fn insert(&mut self, words: &[&str]) {
        if self.bits.is_empty() {
            self.bits = vec![0; (1 << 16) / 64];
        }
        let (before, word) = match words {
            [word] => (0, word),
            [before, word] => (Gate::shape_of(before), word),
            _ => return,
        };
        let i = Gate::slot(before, Gate::shape_of(word));
        self.bits[i / 64] |= 1 << (i % 64);
        if let Some(&first) = word.as_bytes().first() {
            self.by_first[usize::from(first & 0x7F)] |= length_bit(word.len());
        }
    }

    /// Whether a gate word of `len` bytes may start with `first` (any case).
    fn may_start(&self, first: u8, len: usize) -> bool {
        self.by_first[usize::from(first.to_ascii_lowercase() & 0x7F)] & length_bit(len) != 0
    }

    /// Whether the word `shape`, after the word `before`, may open the gate.
    fn may_open(&self, before: u32, shape: u32) -> bool {
        let test = |i: usize| {
            self.bits
                .get(i / 64)
                .is_some_and(|w| w & (1 << (i % 64)) != 0)
        };
        test(Gate::slot(0, shape)) || test(Gate::slot(before, shape))
    }
}

/// The bit for a length in a set of lengths (lengths of 63 and more share one bit).
pub(super) fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// The words of a text, one after the other, held against the English gate.
pub(super) struct Words<'a> {
    pub(super) gate: &'a Gate,
    /// The text's bytes.
    pub(super) b: &'a [u8],
    /// The word before, in one register: a shape (with [`Words::SHAPE`] set), or where a word
    /// of ASCII letters and digits is (its start, and its length up to 255, in the low
    /// byte), whose shape is worked out only if needed.
    pub(super) before: u64,
    /// Whether some word may open the gate.
    pub(super) english: bool,
}

impl Words<'_> {
    pub(super) const SHAPE: u64 = 1 << 63;

    /// The shape of the word before.
    fn before_shape(&self) -> u32 {
        if self.before & Words::SHAPE != 0 {
            return self.before as u32;
        }
        let (start, len) = ((self.before >> 8) as usize, (self.before & 0xFF) as usize);
        let word = self.b.get(start..start + len.min(3)).unwrap_or_default();
        Gate::shape(len, pack_lower(word))
    }

    /// A word of ASCII letters and digits at `b[start..start + len]`.
    pub(super) fn ascii_word(&mut self, start: usize, len: usize) {
        if self.gate.may_start(self.b[start], len) {
            let shape = Gate::shape(len, pack_lower(&self.b[start..start + len]));
            self.english |= self.gate.may_open(self.before_shape(), shape);
        }
        self.before = (start as u64) << 8 | len.min(255) as u64;
    }

    /// A word of `len` letters and digits ends; `prefix` holds its first three, lower case.
    pub(super) fn end(&mut self, len: usize, prefix: u32) {
        let shape = Gate::shape(len, prefix);
        let first = (shape >> 16) as u8;
        if self.gate.may_start(first, len) {
            self.english |= self.gate.may_open(self.before_shape(), shape);
        }
        self.before = Words::SHAPE | u64::from(shape);
    }
}

/// The first (up to) three bytes of `word`, lower case, packed.
pub(super) fn pack_lower(word: &[u8]) -> u32 {
    word.iter()
        .take(3)
        .fold(0, |p, &c| p << 8 | u32::from(c.to_ascii_lowercase()))
}

impl Index {
    /// The gate words of all live English templates (see [`gate_words`]).
    pub(super) fn english_gate(&self) -> &Gate {
        self.english_gate.get_or_init(|| {
            let mut gate = Gate::default();
            for part in &self.parts {
                for i in 0..part.tables.anchors.len() {
                    let (key, ti) = part.tables.anchor(i);
                    if !key.is_ascii() || !part.live_template(ti) {
                        continue;
                    }
                    let mut words: Vec<&str> = part.tables.gate_words(ti).collect();
                    // without its words, the anchor itself keeps the gate open for it
                    if words.is_empty() {
                        words.push(key);
                    }
                    gate.insert(&words);
                }
            }
            gate
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn english_gate_opens_on_the_gate_words_only() {
        let catalog = Catalog::builtin().unwrap();
        let index = Index::new(&catalog);
        let gate = |text: &str| index.find_codes(&catalog, text, &mut Vec::new());
        for open in [
            "xx HTTP_status error",
            "ｈｔｔｐ　ｓｔａｔｕｓ",
            "http ＳＴＡＴＵＳ error",
            "请求失败：http status error",
            "Error: spawn EPERM",
        ] {
            assert!(gate(open), "{open}");
        }
        for shut in [
            "http GET /api/v1/orders/1 status=200",
            "status http",
            "系统繁忙",
        ] {
            assert!(!gate(shut), "{shut}");
        }
    }
}
