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

use std::collections::{BTreeMap, HashMap};

use aho_corasick::{AhoCorasick, MatchKind as AcMatchKind};
use once_cell::sync::OnceCell;

use crate::catalog::Catalog;
use crate::normalize::{Change, Normalized};
use crate::slot::{fold_width, is_slot_trim, trim_slot, SlotKind};
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
    pub(crate) entry: usize,
    pub(crate) template: usize,
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

/// A template of the catalog, with the entry it belongs to.
#[derive(Debug)]
pub(crate) struct IndexedTemplate {
    pub(crate) entry: usize,
    pub(crate) template: Template,
}

/// The catalog prepared for matching.
#[derive(Debug)]
pub(crate) struct Index {
    pub(crate) templates: Vec<IndexedTemplate>,
    /// Distinct anchor keys, and the templates anchored on each.
    anchors: Vec<String>,
    anchored: Vec<Vec<u32>>,
    /// Built on first use: a paste that never needs it never pays for it.
    automaton: OnceCell<Result<AhoCorasick, aho_corasick::BuildError>>,
    /// Lower-case code → (entry, the code as the catalog spells it).
    codes: HashMap<String, (usize, String)>,
}

impl Index {
    pub(crate) fn new(catalog: &Catalog) -> Index {
        let mut templates = Vec::new();
        let mut anchor_ids: HashMap<String, usize> = HashMap::new();
        let mut anchors: Vec<String> = Vec::new();
        let mut anchored: Vec<Vec<u32>> = Vec::new();
        let mut codes = HashMap::new();
        for (ei, e) in catalog.iter().enumerate() {
            for code in &e.codes {
                codes.insert(code.to_ascii_lowercase(), (ei, code.clone()));
            }
            for t in &e.templates {
                let ti = templates.len() as u32;
                if let Piece::Lit(lit) = &t.pieces[t.first_lit()] {
                    let a = *anchor_ids.entry(lit.key.clone()).or_insert_with(|| {
                        anchors.push(lit.key.clone());
                        anchored.push(Vec::new());
                        anchors.len() - 1
                    });
                    anchored[a].push(ti);
                }
                templates.push(IndexedTemplate {
                    entry: ei,
                    template: t.clone(),
                });
            }
        }
        Index {
            templates,
            anchors,
            anchored,
            automaton: OnceCell::new(),
            codes,
        }
    }

    /// Builds the automaton now (it is otherwise built on first use).
    pub(crate) fn prepare(&self) -> Result<(), aho_corasick::BuildError> {
        match self.automaton() {
            Ok(_) => Ok(()),
            Err(e) => Err(e.clone()),
        }
    }

    fn automaton(&self) -> &Result<AhoCorasick, aho_corasick::BuildError> {
        self.automaton.get_or_init(|| {
            AhoCorasick::builder()
                .match_kind(AcMatchKind::Standard)
                .build(&self.anchors)
        })
    }

    /// Exact and normalised matches of every template in `text`.
    pub(crate) fn find_exact(&self, text: &str, norm: &Normalized, out: &mut Vec<Found>) {
        let Ok(ac) = self.automaton() else {
            return;
        };
        for m in ac.find_overlapping_iter(&norm.key) {
            let at = norm.char_at_byte(m.start());
            for &ti in &self.anchored[m.pattern().as_usize()] {
                let it = &self.templates[ti as usize];
                if let Some(f) = verify(&it.template, text, norm, at) {
                    out.push(Found {
                        entry: it.entry,
                        template: ti as usize,
                        ..f
                    });
                }
            }
        }
    }

    /// Codes in `text` that belong to an entry (`ALIN10146`, `ACQ.TRADE_NOT_EXIST`, `40004`).
    ///
    /// A code with a letter in it counts anywhere as a whole token. A code of digits only
    /// counts when it is the whole text, or follows a word such as `code` or `错误码`: a
    /// number in a message is usually an amount or a date.
    pub(crate) fn find_codes(&self, text: &str, out: &mut Vec<Found>) {
        if self.codes.is_empty() {
            return;
        }
        let whole = text.trim();
        for (start, token) in code_tokens(text) {
            let lookup: String = token
                .chars()
                .map(|c| fold_width(c).to_ascii_lowercase())
                .collect();
            let Some((entry, spelling)) = self.codes.get(&lookup) else {
                continue;
            };
            let entry = *entry;
            let numeric = token.chars().all(|c| fold_width(c).is_ascii_digit());
            if numeric && token != whole && !after_code_word(&text[..start]) {
                continue;
            }
            let exact = token == spelling;
            out.push(Found {
                entry,
                template: usize::MAX,
                start,
                end: start + token.len(),
                slots: BTreeMap::new(),
                kind: if exact {
                    MatchKind::Exact
                } else {
                    MatchKind::Normalized
                },
                confidence: if exact { 1.0 } else { 0.98 },
                found_chars: token.chars().count(),
            });
        }
    }
}

/// Maximal runs of code characters (ASCII letters, digits, `_ . -`; full-width forms too)
/// that contain a letter or digit, with their byte offsets. Trailing `.`/`-` are dropped.
fn code_tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    let is_code_char = |c: char| {
        let c = fold_width(c);
        c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
    };
    let mut push = |s: usize, e: usize| {
        let tok = text[s..e].trim_end_matches(['.', '-', '．', '－']);
        let tok_start = s + (tok.len() - tok.trim_start_matches(['.', '-', '_']).len());
        let tok = &text[tok_start..s + tok.len()];
        if tok.chars().any(|c| fold_width(c).is_ascii_alphanumeric()) {
            out.push((tok_start, tok));
        }
    };
    for (i, c) in text.char_indices() {
        match (is_code_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push(s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, text.len());
    }
    out
}

/// Whether `before` ends with a word that introduces a code (`code: `, `错误码：`, …).
fn after_code_word(before: &str) -> bool {
    let tail: String = before
        .chars()
        .rev()
        .take(24)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(|c| fold_width(c).to_ascii_lowercase())
        .collect();
    let tail = tail.trim_end_matches(|c: char| c.is_whitespace() || "\"':=：(（[【#".contains(c));
    [
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
    ]
    .iter()
    .any(|w| tail.ends_with(w))
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
                let skip = rest.len() - rest.trim_start_matches(is_slot_trim).len();
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
        let before = text[..start].trim_end_matches(is_slot_trim);
        let s = slot.kind.longest_suffix(before)?;
        slots.insert(slot.name.clone(), slot.kind.clean(&before[s..]));
        start = s;
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
        template: 0,
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
fn extend_start(text: &str, start: usize, lead: &str) -> usize {
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
fn extend_end(text: &str, end: usize, trail: &str) -> usize {
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

/// Whether a value of `kind` may contain this key character (for fuzzy slot gaps).
pub(crate) fn slot_may_contain(kind: SlotKind, c: char) -> bool {
    match kind {
        SlotKind::Text => true,
        SlotKind::Code | SlotKind::Email => c.is_ascii_alphanumeric(),
        SlotKind::Days => c.is_ascii_digit() || "零〇一二两三四五六七八九十百".contains(c),
        SlotKind::Date => c.is_ascii_digit() || "年月日号".contains(c),
        SlotKind::Time => c.is_ascii_digit() || "点时分".contains(c),
        SlotKind::Amount => c.is_ascii_digit() || c == '元' || "rmbcny".contains(c),
        SlotKind::Number | SlotKind::Phone => c.is_ascii_digit(),
    }
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
    fn codes_need_context_when_numeric() {
        let toks: Vec<_> = code_tokens("错误码：TRADE_HAS_SUCCESS，code=40004.")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(toks, ["TRADE_HAS_SUCCESS", "code", "40004"]);
        assert!(after_code_word("错误码："));
        assert!(after_code_word("{\"code\":\""));
        assert!(!after_code_word("付款"));
    }
}
