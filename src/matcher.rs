/*!
Finding known messages in a text: exact and normalised matches, and codes.

Every template is anchored on its first literal piece. An Aho-Corasick automaton over all
anchors (in key space, see [`crate::normalize`]) finds where templates may start; each
candidate is then verified piece by piece: the next literal is looked for within the bounded
reach of the slot before it, and the original text between the two literals must be a value
of the slot's type. Fuzzy matching (see [`crate::fuzzy`]) handles what this cannot.

Candidates from all layers compete for the text: the one that explains more of it wins
(leftmost-longest across entries), and overlapping losers are dropped.
*/

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use aho_corasick::{AhoCorasick, MatchKind as AcMatchKind};
use daachorse::CharwiseDoubleArrayAhoCorasick;
use std::sync::OnceLock;

use alipay_explain_prep::tables::{EntryParts, Tables, TemplateRow};

use crate::catalog::{Catalog, BUILTIN_TABLES};
use crate::normalize::fold_width;
use crate::normalize::{Change, Normalized};
use crate::prepare;
use crate::slot::{is_slot_gap, trim_slot};
use crate::template::{Piece, Template};

/// How a match was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MatchKind {
    /// The message is in the input as the catalog writes it.
    Exact,
    /// The message is there once punctuation, spacing, width, case, traditional characters
    /// or OCR look-alikes are set aside.
    Normalized,
    /// Most of the message is there, in order, with some characters wrong, missing or cut off.
    Fuzzy,
}

/// A candidate match, before the English texts are filled in.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// The entry's position in the catalog.
    pub(crate) entry: usize,
    /// Which of the entry's templates matched; `None` for a bare code.
    pub(crate) template: Option<usize>,
    /// Byte range in the input.
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) slots: BTreeMap<String, String>,
    pub(crate) kind: MatchKind,
    pub(crate) confidence: f64,
    /// How many template characters were found: the weight of the evidence.
    pub(crate) found_chars: usize,
}

impl Found {
    /// How strongly this candidate claims its span.
    pub(crate) fn score(&self) -> f64 {
        self.found_chars as f64 * self.confidence
    }
}

/// One source of templates: the embedded catalog (tables prepared at build time) or the
/// user's catalogs (tables prepared at load), in one representation.
#[derive(Debug)]
pub(crate) struct Part {
    tables: Cow<'static, Tables>,
    /// Entries whose templates and codes in this part are switched off (embedded entries a
    /// user entry replaced).
    disabled: Vec<bool>,
}

impl Part {
    /// Template `ti`.
    fn template(&self, ti: u32) -> Option<&TemplateRow> {
        self.tables.templates.get(ti as usize)
    }

    fn live(&self, entry: u32) -> bool {
        !self.disabled.get(entry as usize).copied().unwrap_or(false)
    }

    fn live_template(&self, ti: u32) -> bool {
        self.template(ti).is_some_and(|t| self.live(t.entry))
    }
}

/// The most templates fuzzy matching aligns with one region of text.
const MAX_FUZZY_CANDIDATES: usize = 24;

/// Texts with keys longer than this are searched with the automaton.
const SHORT_KEY: usize = 2048;

/// The catalog prepared for matching.
#[derive(Debug)]
pub(crate) struct Index {
    /// The embedded part, then the user part.
    pub(crate) parts: [Part; 2],
    /// Built on first use, for long texts and scans: a paste never pays for it.
    automaton: OnceLock<Result<Automaton, String>>,
    /// The shapes of the gate words of the templates whose anchor is all ASCII (English
    /// messages): a text holds such a template only if it has one of these words. Built on
    /// first use.
    english_gate: OnceLock<Gate>,
    /// Code key → (part, entry) of every live code; built on first use.
    codes: OnceLock<HashMap<String, Vec<(u8, u32)>>>,
    /// The hashes of all code keys, to rule out most tokens cheaply.
    code_bloom: Bloom,
    /// The lengths and first three letters of all code keys, to rule out most tokens before
    /// they are hashed.
    code_shapes: Shapes,
    /// By first letter (lower case): the lengths of the code keys, as bits (see
    /// [`length_bit`]); the first, cheapest test of a token.
    code_first: [u64; 128],
}

/// The shapes of code keys: (length, first three letters) hashed into 2^16 bits. With a few
/// hundred codes, about one token in a hundred that is not a code gets past it.
#[derive(Debug, Default)]
struct Shapes {
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

    fn insert(&mut self, key: &str) {
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

/// The gate to the English templates: the shapes (length, first three letters) of their gate
/// words, alone or in pairs (see [`gate_words`]), hashed into 2^16 bits.
#[derive(Debug)]
struct Gate {
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
fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// A one-hash Bloom filter over 4096 bits: with a few hundred codes, nine tokens in ten that
/// are not codes are ruled out by one bit test.
#[derive(Debug, Default)]
struct Bloom {
    bits: Vec<u64>,
}

impl Bloom {
    const BITS: u64 = 4096;

    fn insert(&mut self, h: u64) {
        if self.bits.is_empty() {
            self.bits = vec![0; (Bloom::BITS / 64) as usize];
        }
        let i = h % Bloom::BITS;
        self.bits[(i / 64) as usize] |= 1 << (i % 64);
    }

    fn may_hold(&self, h: u64) -> bool {
        let i = h % Bloom::BITS;
        self.bits
            .get((i / 64) as usize)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
}

/// FNV-1a of a token's key (its letters and digits, lower case, full width folded), computed
/// without building the key.
fn token_key_hash(token: &str) -> u64 {
    token
        .chars()
        .map(fold_width)
        .filter(char::is_ascii_alphanumeric)
        .fold(FNV_OFFSET, |h, c| fnv(h, c.to_ascii_lowercase() as u8))
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

/// For each pattern of an automaton: (part, template, lead) of every anchor it stands for;
/// `lead` is the number of ASCII characters the anchor has before the pattern.
type Targets = Vec<Vec<(u8, u32, u32)>>;

struct Automaton {
    /// Anchors with a character other than ASCII (nearly all of them), from that character
    /// on (`original_order_id错误` is looked for as `错误`, then checked whole), in a
    /// character-wise double-array automaton: about three times the speed of a byte-wise one
    /// on Chinese (BASELINES.md §2). The value of each pattern is its number in `targets`.
    /// So the ASCII part of a log line (timestamp, fields) is never searched.
    ac: CharwiseDoubleArrayAhoCorasick<u32>,
    targets: Targets,
    /// Anchors of ASCII only (English messages, a handful): searched on their own, over the
    /// whole key, when the text passes their gate (see [`Index::find_codes`]).
    ascii: Option<(AhoCorasick, Targets)>,
}

impl std::fmt::Debug for Automaton {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Automaton")
            .field("patterns", &self.targets.len())
            .field("ascii_patterns", &self.ascii.as_ref().map(|(_, t)| t.len()))
            .finish_non_exhaustive()
    }
}

impl Index {
    pub(crate) fn new(catalog: &Catalog) -> Index {
        let n_builtin = catalog.builtin_len();
        let builtin = Part {
            tables: if n_builtin > 0 {
                Cow::Borrowed(&BUILTIN_TABLES)
            } else {
                Cow::Owned(Tables::default())
            },
            disabled: (0..n_builtin).map(|i| catalog.is_user(i)).collect(),
        };
        // the user's entries, numbered by their place in the catalog (the embedded ones
        // before them count as entries without templates or codes)
        let user = Part {
            tables: Cow::Owned(Tables::build((0..catalog.len()).map(|i| {
                match catalog.entry_at(i).filter(|_| catalog.is_user(i)) {
                    Some(e) => EntryParts {
                        codes: &e.codes,
                        templates: &e.templates,
                    },
                    None => EntryParts {
                        codes: &[],
                        templates: &[],
                    },
                }
            }))),
            disabled: Vec::new(),
        };
        let parts = [builtin, user];
        let mut code_bloom = Bloom::default();
        let mut code_shapes = Shapes::default();
        let mut code_first = [0; 128];
        for p in &parts {
            for i in 0..p.tables.codes.len() {
                let key = p.tables.code(i).0;
                code_bloom.insert(token_key_hash(key));
                code_shapes.insert(key);
                if let Some(&first) = key.as_bytes().first() {
                    code_first[usize::from(first & 0x7F)] |= length_bit(key.len());
                }
            }
        }
        Index {
            parts,
            automaton: OnceLock::new(),
            english_gate: OnceLock::new(),
            codes: OnceLock::new(),
            code_bloom,
            code_shapes,
            code_first,
        }
    }

    /// The gate words of all live English templates (see [`gate_words`]).
    fn english_gate(&self) -> &Gate {
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

    /// Builds the automaton now (it is otherwise built for the first long text).
    pub(crate) fn prepare(&self) -> Result<(), String> {
        match self.automaton() {
            Ok(_) => Ok(()),
            Err(e) => Err(e.clone()),
        }
    }

    fn automaton(&self) -> &Result<Automaton, String> {
        self.automaton.get_or_init(|| {
            // (patterns, targets) for the anchors with a non-ASCII character, and for the rest
            let mut sets: [(Vec<&str>, Targets, HashMap<&str, usize>); 2] = Default::default();
            for (pi, part) in self.parts.iter().enumerate() {
                for i in 0..part.tables.anchors.len() {
                    let (key, ti) = part.tables.anchor(i);
                    if key.is_empty() || !part.live_template(ti) {
                        continue;
                    }
                    // the ASCII characters of a key are one byte each
                    let lead = key.bytes().take_while(u8::is_ascii).count();
                    let (pattern, lead) = if lead < key.len() {
                        (&key[lead..], lead)
                    } else {
                        (key, 0)
                    };
                    let (patterns, targets, ids) = &mut sets[usize::from(key.is_ascii())];
                    let id = *ids.entry(pattern).or_insert_with(|| {
                        patterns.push(pattern);
                        targets.push(Vec::new());
                        patterns.len() - 1
                    });
                    targets[id].push((pi as u8, ti, lead as u32));
                }
            }
            let [(patterns, targets, _), (ascii_patterns, ascii_targets, _)] = sets;
            let ascii = if ascii_patterns.is_empty() {
                None
            } else {
                let ac = AhoCorasick::builder()
                    .match_kind(AcMatchKind::Standard)
                    .build(&ascii_patterns)
                    .map_err(|e| e.to_string())?;
                Some((ac, ascii_targets))
            };
            // daachorse takes no empty pattern, so an empty set is one that never matches
            let ac = if patterns.is_empty() {
                CharwiseDoubleArrayAhoCorasick::new(["\u{0}"])
            } else {
                CharwiseDoubleArrayAhoCorasick::new(&patterns)
            }
            .map_err(|e| e.to_string())?;
            Ok(Automaton { ac, targets, ascii })
        })
    }

    /// Every (key byte offset, part, template) where an anchor with a Chinese character may
    /// occur in the key of `text` (the ASCII characters it starts with are checked by
    /// [`Index::find_exact`]). Only the key of `text` from its first character other than
    /// ASCII is built (into `key`); the ASCII before is only counted. Returns `false` (and
    /// finds nothing) when the automaton is not built yet: short texts are cheaper through
    /// [`Index::anchor_hits`].
    pub(crate) fn chinese_anchor_hits(
        &self,
        text: &str,
        key: &mut String,
        out: &mut Vec<(usize, u8, u32)>,
    ) -> bool {
        let Some(Ok(a)) = self.automaton.get() else {
            return false;
        };
        let b = text.as_bytes();
        let Some(first) = b.iter().position(|b| !b.is_ascii()) else {
            // every pattern has a character other than ASCII
            return true;
        };
        let base = b[..first]
            .iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .count();
        Normalized::key_only(&text[first..], key);
        for m in a.ac.find_overlapping_iter(key.as_str()) {
            let targets = a.targets.get(m.value() as usize).into_iter().flatten();
            for &(p, t, lead) in targets {
                if let Some(at) = (base + m.start()).checked_sub(lead as usize) {
                    out.push((at, p, t));
                }
            }
        }
        true
    }

    /// Every (key byte offset, part, template) where an anchor occurs in `key`; anchors of
    /// ASCII only (English messages) only if `english` (see [`Index::find_codes`]).
    pub(crate) fn anchor_hits(&self, key: &str, english: bool, out: &mut Vec<(usize, u8, u32)>) {
        let use_automaton = key.len() > SHORT_KEY || self.automaton.get().is_some();
        if use_automaton {
            if let Ok(a) = self.automaton() {
                // every pattern starts with a character other than ASCII, so the ASCII
                // before (a log line's timestamp and fields) need not be searched
                let from = key.bytes().position(|b| !b.is_ascii()).unwrap_or(key.len());
                for m in a.ac.find_overlapping_iter(&key[from..]) {
                    let targets = a.targets.get(m.value() as usize).into_iter().flatten();
                    for &(p, t, lead) in targets {
                        if let Some(at) = (from + m.start()).checked_sub(lead as usize) {
                            out.push((at, p, t));
                        }
                    }
                }
                if let Some((ascii, targets)) = a.ascii.as_ref().filter(|_| english) {
                    for m in ascii.find_overlapping_iter(key) {
                        for &(p, t, _) in &targets[m.pattern().as_usize()] {
                            out.push((m.start(), p, t));
                        }
                    }
                }
                return;
            }
        }
        // a short text: look up the anchors that start with each pair of key characters
        // (a pair narrows the search far more than one character, in a catalog of any size),
        // and the one-character anchors
        let mut chars = key.char_indices().peekable();
        while let Some((b, c)) = chars.next() {
            let rest = &key[b..];
            let one = &rest[..c.len_utf8()];
            let two = match chars.peek() {
                Some(&(next, d)) => &key[b..next + d.len_utf8()],
                None => one,
            };
            for (pi, part) in self.parts.iter().enumerate() {
                let t = &part.tables;
                let lo = t.anchors.partition_point(|a| t.text(a.key) < one);
                if lo < t.anchors.len() {
                    let (anchor, ti) = t.anchor(lo);
                    if anchor == one && (english || !anchor.is_ascii()) && part.live_template(ti) {
                        out.push((b, pi as u8, ti));
                    }
                }
                if two.len() == one.len() {
                    continue;
                }
                for i in t.anchors_starting_with(two) {
                    let (anchor, ti) = t.anchor(i);
                    if rest.starts_with(anchor)
                        && (english || !anchor.is_ascii())
                        && part.live_template(ti)
                    {
                        out.push((b, pi as u8, ti));
                    }
                }
            }
        }
    }

    /// Exact and normalised matches of templates in `text`, from the anchor hits that
    /// [`Index::anchor_hits`] found in `norm.key`.
    pub(crate) fn find_exact(
        &self,
        catalog: &Catalog,
        text: &str,
        norm: &Normalized,
        hits: &[(usize, u8, u32)],
        out: &mut Vec<Found>,
    ) {
        for &(byte, pi, ti) in hits {
            let at = norm.char_at_byte(byte);
            let Some(&TemplateRow { entry, nth, .. }) = self.parts[pi as usize].template(ti) else {
                continue;
            };
            let Some(t) = catalog
                .entry_at(entry as usize)
                .and_then(|e| e.templates.get(nth as usize))
            else {
                continue;
            };
            // an anchor found from its first Chinese character: is its ASCII start there too?
            let anchor = prepare::anchor(t);
            if !norm.key.get(byte..).is_some_and(|k| k.starts_with(anchor)) {
                continue;
            }
            if let Some(f) = verify(t, text, norm, at) {
                out.push(Found {
                    entry: entry as usize,
                    template: Some(nth as usize),
                    ..f
                });
            }
        }
    }

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
        // `hash` is the FNV-1a hash of the token's key: most tokens are ruled out by it,
        // with no allocation
        let mut check = |start: usize, end: usize, hash: u64, out: &mut Vec<Found>| {
            if !self.code_bloom.may_hold(hash) {
                return;
            }
            let token = &text[start..end];
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
                return;
            }
            let codes = self.codes.get_or_init(|| self.code_map());
            for &(_, e) in codes.get(key.as_str()).into_iter().flatten() {
                if let Some(f) = code_found(catalog, e as usize, text, start, end) {
                    out.push(f);
                }
            }
        };
        // one pass over the bytes, classified by a table; a token goes on to the hash only
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
            let (mut first, mut last, mut n) = (0, 0, 0usize);
            loop {
                while i < b.len() && BYTE_CLASS[usize::from(b[i])] == EDGE {
                    i += 1;
                }
                let word = i;
                while i < b.len() && BYTE_CLASS[usize::from(b[i])] == ALNUM {
                    i += 1;
                }
                if i == word {
                    break;
                }
                words.ascii_word(word, i - word);
                if n == 0 {
                    first = word;
                }
                last = i;
                n += i - word;
            }
            // the first letter (lower case) of the token, or its first three when read slowly
            let mut wide_prefix = None;
            if i < b.len() && BYTE_CLASS[usize::from(b[i])] == MAYBE_WIDE {
                // a full-width character may go on with the token: read it again, slowly
                words.before = before;
                let prefix;
                (i, first, last, n, prefix) = wide_token(b, start, &mut words);
                wide_prefix = Some(prefix);
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
            if self.code_first[usize::from(first_letter & 0x7F)] & length_bit(n) == 0 {
                continue;
            }
            let mut prefix = wide_prefix.unwrap_or_else(|| {
                b[first..last]
                    .iter()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .take(3)
                    .fold(0, |p, &c| p << 8 | u32::from(c.to_ascii_lowercase()))
            });
            if n < 3 {
                prefix <<= 8 * (3 - n);
            }
            if self.code_shapes.may_hold(n, prefix) {
                check(first, last, token_key_hash(&text[first..last]), out);
            }
        }
        words.english
    }

    fn code_map(&self) -> HashMap<String, Vec<(u8, u32)>> {
        let mut map: HashMap<String, Vec<(u8, u32)>> = HashMap::new();
        for (pi, part) in self.parts.iter().enumerate() {
            for i in 0..part.tables.codes.len() {
                let (key, e) = part.tables.code(i);
                if part.live(e) {
                    map.entry(key.to_owned()).or_default().push((pi as u8, e));
                }
            }
        }
        map
    }

    /// The templates that share enough bigrams with `have` (sorted, distinct) to be worth
    /// aligning: (entry, template number), at most [`MAX_FUZZY_CANDIDATES`] of them, those
    /// that share the largest part of their bigrams first. The cap keeps the cost of a noisy
    /// paste flat however large the catalog grows.
    pub(crate) fn fuzzy_candidates(&self, have: &[u64]) -> Vec<(usize, usize)> {
        let mut out: Vec<(f64, usize, usize)> = Vec::new();
        for part in &self.parts {
            // counts by template, and the templates touched: no hashing in the inner loop
            let mut counts: Vec<u32> = Vec::new();
            let mut touched: Vec<u32> = Vec::new();
            let grams = &part.tables.bigrams;
            for &g in have {
                let lo = grams.partition_point(|b| b.gram < g);
                for ti in grams[lo..]
                    .iter()
                    .take_while(|b| b.gram == g)
                    .map(|b| b.template)
                {
                    let i = ti as usize;
                    if i >= counts.len() {
                        counts.resize(i + 1, 0);
                    }
                    if counts[i] == 0 {
                        touched.push(ti);
                    }
                    counts[i] += 1;
                }
            }
            for ti in touched {
                let shared = counts[ti as usize];
                let Some(&TemplateRow {
                    entry,
                    nth,
                    bigrams: n,
                    ..
                }) = part.template(ti)
                else {
                    continue;
                };
                // a third of the pairs (one pair of a very short template)
                if part.live(entry) && shared * 3 >= n {
                    out.push((
                        f64::from(shared) / f64::from(n.max(1)),
                        entry as usize,
                        nth as usize,
                    ));
                }
            }
        }
        out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        out.truncate(MAX_FUZZY_CANDIDATES);
        out.into_iter().map(|(_, e, t)| (e, t)).collect()
    }
}

/// The words of a text, one after the other, held against the English gate.
struct Words<'a> {
    gate: &'a Gate,
    /// The text's bytes.
    b: &'a [u8],
    /// The word before, in one register: a shape (with [`Words::SHAPE`] set), or where a word
    /// of ASCII letters and digits is (its start, and its length up to 255, in the low
    /// byte), whose shape is worked out only if needed.
    before: u64,
    /// Whether some word may open the gate.
    english: bool,
}

impl Words<'_> {
    const SHAPE: u64 = 1 << 63;

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
    fn ascii_word(&mut self, start: usize, len: usize) {
        if self.gate.may_start(self.b[start], len) {
            let shape = Gate::shape(len, pack_lower(&self.b[start..start + len]));
            self.english |= self.gate.may_open(self.before_shape(), shape);
        }
        self.before = (start as u64) << 8 | len.min(255) as u64;
    }

    /// A word of `len` letters and digits ends; `prefix` holds its first three, lower case.
    fn end(&mut self, len: usize, prefix: u32) {
        let shape = Gate::shape(len, prefix);
        let first = (shape >> 16) as u8;
        if self.gate.may_start(first, len) {
            self.english |= self.gate.may_open(self.before_shape(), shape);
        }
        self.before = Words::SHAPE | u64::from(shape);
    }
}

/// The first (up to) three bytes of `word`, lower case, packed.
fn pack_lower(word: &[u8]) -> u32 {
    word.iter()
        .take(3)
        .fold(0, |p, &c| p << 8 | u32::from(c.to_ascii_lowercase()))
}

/// Reads the token at `b[i..]` character by character, full-width forms folded: returns the
/// end, the first and last byte of its letters and digits, their number and their first
/// three (lower case, packed, unpadded).
fn wide_token(b: &[u8], mut i: usize, words: &mut Words<'_>) -> (usize, usize, usize, usize, u32) {
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
    (i, first, last, n, prefix)
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

/// Verifies template `t` whose first literal piece was found at key char `at`.
fn verify(t: &Template, text: &str, norm: &Normalized, at: usize) -> Option<Found> {
    let first = t.first_lit();
    let Piece::Lit(lit0) = &t.pieces[first] else {
        return None;
    };
    let mut lits: Vec<(usize, usize)> = vec![(at, at + lit0.chars.len())];
    let mut slots = BTreeMap::new();
    let mut cur = at + lit0.chars.len();
    let mut end = norm.end_of(cur - 1);
    let mut i = first + 1;
    while i < t.pieces.len() {
        let Piece::Slot(slot) = &t.pieces[i] else {
            return None;
        };
        let from = norm.end_of(cur - 1);
        match t.pieces.get(i + 1) {
            None => {
                // a trailing slot: the longest value right after the last literal
                let rest = &text[from..];
                let skip = rest.len() - rest.trim_start_matches(is_slot_gap).len();
                let n = slot.kind.longest_prefix(&rest[skip..])?;
                slots.insert(slot.name.clone(), slot.kind.clean(&rest[skip..skip + n]));
                end = from + skip + n;
                i += 1;
            }
            Some(Piece::Lit(next)) => {
                let reach = (cur + slot.kind.max_chars() + next.chars.len()).min(norm.len());
                let hay = &norm.key[norm.byte_of_char(cur)..norm.byte_of_char(reach)];
                let base = norm.byte_of_char(cur);
                let mut hit = None;
                for (off, _) in hay.match_indices(next.key.as_str()) {
                    let q = norm.char_at_byte(base + off);
                    if q == cur {
                        continue;
                    }
                    let value = trim_slot(&text[from..norm.start_of(q)]);
                    if slot.kind.accepts(value) {
                        hit = Some((q, value));
                        break;
                    }
                }
                let (q, value) = hit?;
                slots.insert(slot.name.clone(), slot.kind.clean(value));
                cur = q + next.chars.len();
                lits.push((q, cur));
                end = norm.end_of(cur - 1);
                i += 2;
            }
            Some(Piece::Slot(_)) => return None,
        }
    }
    let mut start = norm.start_of(at);
    if first == 1 {
        let Piece::Slot(slot) = &t.pieces[0] else {
            return None;
        };
        let before = text[..start].trim_end_matches(is_slot_gap);
        let s = slot.kind.longest_suffix(before)?;
        slots.insert(slot.name.clone(), slot.kind.clean(&before[s..]));
        start = s;
    }
    // a template that begins or ends with a Latin letter or digit matches whole words only:
    // "fail cancel" is not in "fail cancelled"
    let before = text[..start].chars().next_back().map(fold_width);
    let after = text[end..].chars().next().map(fold_width);
    let first_key = norm.chars[at].folded;
    let last_key = norm.chars[lits.last().map_or(at, |&(_, b)| b - 1)].folded;
    let glued = |edge: Option<char>, key: char| {
        key.is_ascii_alphanumeric() && edge.is_some_and(|c| c.is_ascii_alphanumeric())
    };
    if (first == 0 && glued(before, first_key))
        || (matches!(t.pieces.last(), Some(Piece::Lit(_))) && glued(after, last_key))
    {
        return None;
    }
    let (kind, confidence) = grade(t, text, norm, &lits);
    // the evidence is every key character the template accounts for, slots included, so
    // that of two templates of one message the one that explains more of the text wins
    let found_chars = norm.chars.partition_point(|kc| (kc.start as usize) < end)
        - norm.chars.partition_point(|kc| (kc.start as usize) < start);
    let start = extend_start(text, start, &t.lead);
    let end = extend_end(text, end, &t.trail);
    Some(Found {
        entry: 0,
        template: None,
        start,
        end,
        slots,
        kind,
        confidence,
        found_chars,
    })
}

/// Exact when every literal is in the input byte for byte; otherwise normalised, with a
/// confidence that falls with the share of characters that needed a look-alike mapping.
fn grade(t: &Template, text: &str, norm: &Normalized, lits: &[(usize, usize)]) -> (MatchKind, f64) {
    let mut exact = true;
    let (mut simplified, mut look_alike) = (0usize, 0usize);
    let pieces = t.pieces.iter().filter_map(|p| match p {
        Piece::Lit(l) => Some(l),
        Piece::Slot(_) => None,
    });
    for (lit, &(a, b)) in pieces.zip(lits) {
        if text[norm.start_of(a)..norm.end_of(b - 1)] != lit.inner {
            exact = false;
        }
        for (k, kc) in norm.chars[a..b].iter().enumerate() {
            if kc.folded != lit.folded[k] {
                match kc.change {
                    Change::Simplified => simplified += 1,
                    Change::LookAlike | Change::None => look_alike += 1,
                }
            }
        }
    }
    if exact {
        (MatchKind::Exact, 1.0)
    } else if look_alike > 0 {
        let share = look_alike as f64 / t.literal_len as f64;
        (MatchKind::Normalized, (0.93 - 0.5 * share).max(0.6))
    } else if simplified > 0 {
        (MatchKind::Normalized, 0.96)
    } else {
        (MatchKind::Normalized, 0.98)
    }
}

/// Widens a match over the template's own leading punctuation, when the input has it.
pub(crate) fn extend_start(text: &str, start: usize, lead: &str) -> usize {
    if lead.is_empty() {
        return start;
    }
    let want: Vec<char> = lead.chars().rev().map(fold_width).collect();
    let mut s = start;
    for (w, (i, c)) in want.iter().zip(text[..start].char_indices().rev()) {
        if fold_width(c) != *w {
            return start;
        }
        s = i;
    }
    if text[..start].chars().count() < want.len() {
        return start;
    }
    s
}

/// Widens a match over the template's own trailing punctuation, when the input has it.
pub(crate) fn extend_end(text: &str, end: usize, trail: &str) -> usize {
    let rest = &text[end..];
    let mut e = end;
    let mut chars = rest.char_indices();
    for w in trail.chars().map(fold_width) {
        match chars.next() {
            Some((i, c)) if fold_width(c) == w => e = end + i + c.len_utf8(),
            // a trailing 。 or ） the input lacks: keep what matched so far
            _ => return e,
        }
    }
    e
}

/// Keeps the strongest candidates that do not overlap, in input order.
pub(crate) fn select(mut cands: Vec<Found>) -> Vec<Found> {
    cands.sort_by(|a, b| {
        b.score()
            .total_cmp(&a.score())
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
            .then(a.kind.cmp(&b.kind))
            .then(a.entry.cmp(&b.entry))
    });
    let mut chosen: Vec<Found> = Vec::new();
    for c in cands {
        if chosen.iter().all(|k| c.end <= k.start || c.start >= k.end) {
            chosen.push(c);
        }
    }
    chosen.sort_by_key(|f| f.start);
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(template: &str, text: &str) -> Option<Found> {
        let t = Template::parse(template).unwrap();
        let norm = Normalized::new(text);
        let Piece::Lit(lit) = &t.pieces[t.first_lit()] else {
            unreachable!()
        };
        let at = norm.key.find(&lit.key)?;
        verify(&t, text, &norm, norm.char_at_byte(at))
    }

    #[test]
    fn exact_with_slots() {
        let text = "你的银行卡信息认证失败，请更换银行卡重新认证或撤销认证7天后（2016年3月2日）使用原银行卡重新认证";
        let f = one("你的银行卡信息认证失败，请更换银行卡重新认证或撤销认证{days}天后（{date}）使用原银行卡重新认证", text).unwrap();
        assert_eq!(f.kind, MatchKind::Exact);
        assert_eq!(f.slots["days"], "7");
        assert_eq!(f.slots["date"], "2016年3月2日");
        assert_eq!((f.start, f.end), (0, text.len()));
    }

    #[test]
    fn normalised_forms() {
        let t = "系统繁忙，请稍后再试（{code}）";
        let f = one(t, "系统繁忙,请稍后再试(ALIN10146)").unwrap();
        assert_eq!((f.kind, f.confidence), (MatchKind::Normalized, 0.98));
        assert_eq!(f.slots["code"], "ALIN10146");
        let f = one(t, "系統繁忙 請稍後再試 (ali10) 知道了").unwrap();
        assert_eq!((f.kind, f.confidence), (MatchKind::Normalized, 0.96));
        assert_eq!(f.slots["code"], "ali10");
        let f = one(t, "糸充繁忙,请稍后再试(AL  I10)").unwrap();
        assert_eq!(f.kind, MatchKind::Normalized);
        assert!(
            f.confidence < 0.93 && f.confidence > 0.8,
            "{}",
            f.confidence
        );
        assert_eq!(f.slots["code"], "ALI10");
        // the trailing ） of the template extends the span
        let text = "提示 系统繁忙，请稍后再试（ALI64） OK";
        let f = one(t, text).unwrap();
        assert_eq!(&text[f.start..f.end], "系统繁忙，请稍后再试（ALI64）");
        assert_eq!(f.kind, MatchKind::Exact);
    }

    #[test]
    fn slots_must_hold_their_type() {
        let t = "撤销认证{days}天后";
        assert!(one(t, "撤销认证五天后").is_some());
        assert!(one(t, "撤销认证很多天后").is_none());
        assert!(one(t, "撤销认证天后").is_none());
        // a leading slot
        let f = one("{amount}元已到账", "您的¥1,000.00元已到账").unwrap();
        assert_eq!(f.slots["amount"], "¥1,000.00");
    }

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
            for &(_, e) in codes.get(key.as_str()).into_iter().flatten() {
                if let Some(f) = code_found(catalog, e as usize, text, first, last) {
                    out.push((f.entry, f.start, f.end));
                }
            }
        }
        out.sort_unstable();
        out
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

    proptest::proptest! {
        #[test]
        fn codes_fast_and_slow_agree(parts in proptest::collection::vec(proptest::sample::select(vec![
            "ACQ.TRADE_NOT_EXIST", "ALIN10146", "isv.invalid-signature", "ＡＬＩＮ１０１４６",
            "ACQ", ".", "_", "-", "－", "＿", "．", " ", "，", "中", "x", "9", "code:", "40004",
            "错误码：", "Ｘ", "\u{FF5E}", "\u{EF}", "é", "status=", "TRADE", "_NOT_EXIST",
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
