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
use crate::prepare::{self, Target};
use crate::slot::{fold_width, is_slot_gap, trim_slot, SlotKind};
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

/// One source of templates: the embedded catalog (prepared at build time) or the user's
/// catalogs (prepared at load).
#[derive(Debug)]
pub(crate) struct Part {
    store: Store,
    /// Entries whose templates and codes in this part are switched off (embedded entries a
    /// user entry replaced).
    disabled: Vec<bool>,
}

#[derive(Debug)]
enum Store {
    /// The tables `build.rs` wrote.
    Builtin,
    /// Tables built at load time from user catalogs.
    User {
        /// (entry, template number, bigram count)
        templates: Vec<(u32, u32, u32)>,
        /// (key, target), sorted by key.
        anchors: Vec<(String, Target)>,
        /// (bigram, template), sorted.
        bigrams: Vec<(u64, u32)>,
    },
}

impl Part {
    fn empty() -> Part {
        Part {
            store: Store::User {
                templates: Vec::new(),
                anchors: Vec::new(),
                bigrams: Vec::new(),
            },
            disabled: Vec::new(),
        }
    }

    /// (entry, template number, bigram count) of template `ti`.
    fn template(&self, ti: u32) -> Option<(u32, u32, u32)> {
        match &self.store {
            Store::Builtin => crate::catalog::BUILTIN_TEMPLATES
                .get(ti as usize)
                .map(|t| (t.entry, t.nth, t.bigrams)),
            Store::User { templates, .. } => templates.get(ti as usize).copied(),
        }
    }

    fn n_anchors(&self) -> usize {
        match &self.store {
            Store::Builtin => crate::catalog::BUILTIN_ANCHORS.len(),
            Store::User { anchors, .. } => anchors.len(),
        }
    }

    fn anchor(&self, i: usize) -> (&str, Target) {
        match &self.store {
            Store::Builtin => {
                let (a, b, t) = crate::catalog::BUILTIN_ANCHORS[i];
                (crate::catalog::builtin_text((a, b)), t)
            }
            Store::User { anchors, .. } => (anchors[i].0.as_str(), anchors[i].1),
        }
    }

    fn bigrams(&self) -> &[(u64, u32)] {
        match &self.store {
            Store::Builtin => crate::catalog::BUILTIN_BIGRAMS,
            Store::User { bigrams, .. } => bigrams,
        }
    }

    /// The anchors whose key starts with `first`, as a range of anchor indices.
    fn anchors_starting_with(&self, first: &str) -> std::ops::Range<usize> {
        let (mut lo, mut hi) = (0, self.n_anchors());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.anchor(mid).0 < first {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut end = lo;
        while end < self.n_anchors() && self.anchor(end).0.starts_with(first) {
            end += 1;
        }
        lo..end
    }

    fn live(&self, entry: u32) -> bool {
        !self.disabled.get(entry as usize).copied().unwrap_or(false)
    }

    fn live_target(&self, t: Target) -> bool {
        match t {
            Target::Template(ti) => self.template(ti).is_some_and(|(e, _, _)| self.live(e)),
            Target::Code(e) => self.live(e),
        }
    }
}

/// Texts with keys longer than this are searched with the automaton.
const SHORT_KEY: usize = 2048;

/// The catalog prepared for matching.
#[derive(Debug)]
pub(crate) struct Index {
    /// The embedded part, then the user part.
    pub(crate) parts: [Part; 2],
    /// Built on first use, for long texts and scans: a paste never pays for it.
    automaton: OnceCell<Result<Automaton, aho_corasick::BuildError>>,
}

#[derive(Debug)]
struct Automaton {
    ac: AhoCorasick,
    /// For each pattern: (part, target) of every anchor with that key.
    targets: Vec<Vec<(u8, Target)>>,
}

impl Index {
    pub(crate) fn new(catalog: &Catalog) -> Index {
        let n_builtin = catalog.builtin_len();
        let builtin = if n_builtin > 0 {
            Part {
                store: Store::Builtin,
                disabled: (0..n_builtin).map(|i| catalog.is_user(i)).collect(),
            }
        } else {
            Part::empty()
        };
        let (mut templates, mut anchors, mut bigrams) = (Vec::new(), Vec::new(), Vec::new());
        for i in (0..catalog.len()).filter(|&i| catalog.is_user(i)) {
            let Some(e) = catalog.entry_at(i) else {
                continue;
            };
            for code in &e.codes {
                anchors.push((crate::normalize::key(code), Target::Code(i as u32)));
            }
            for (nth, t) in e.templates.iter().enumerate() {
                let ti = templates.len() as u32;
                let grams = prepare::bigrams(t);
                templates.push((i as u32, nth as u32, grams.len() as u32));
                anchors.push((prepare::anchor(t).to_owned(), Target::Template(ti)));
                bigrams.extend(grams.into_iter().map(|g| (g, ti)));
            }
        }
        anchors.sort();
        bigrams.sort_unstable();
        let user = Part {
            store: Store::User {
                templates,
                anchors,
                bigrams,
            },
            disabled: Vec::new(),
        };
        Index {
            parts: [builtin, user],
            automaton: OnceCell::new(),
        }
    }

    /// Builds the automaton now (it is otherwise built for the first long text).
    pub(crate) fn prepare(&self) -> Result<(), aho_corasick::BuildError> {
        match self.automaton() {
            Ok(_) => Ok(()),
            Err(e) => Err(e.clone()),
        }
    }

    fn automaton(&self) -> &Result<Automaton, aho_corasick::BuildError> {
        self.automaton.get_or_init(|| {
            let mut ids: HashMap<&str, usize> = HashMap::new();
            let mut patterns: Vec<&str> = Vec::new();
            let mut targets: Vec<Vec<(u8, Target)>> = Vec::new();
            for (pi, part) in self.parts.iter().enumerate() {
                for i in 0..part.n_anchors() {
                    let (key, target) = part.anchor(i);
                    if key.is_empty() || !part.live_target(target) {
                        continue;
                    }
                    let id = *ids.entry(key).or_insert_with(|| {
                        patterns.push(key);
                        targets.push(Vec::new());
                        patterns.len() - 1
                    });
                    targets[id].push((pi as u8, target));
                }
            }
            let ac = AhoCorasick::builder()
                .match_kind(AcMatchKind::Standard)
                .build(&patterns)?;
            Ok(Automaton { ac, targets })
        })
    }

    /// Every (key char position, part, target) where an anchor occurs in `norm`'s key.
    fn anchor_hits(&self, norm: &Normalized, out: &mut Vec<(usize, u8, Target)>) {
        let use_automaton = norm.key.len() > SHORT_KEY || self.automaton.get().is_some();
        if use_automaton {
            if let Ok(a) = self.automaton() {
                for m in a.ac.find_overlapping_iter(&norm.key) {
                    let at = norm.char_at_byte(m.start());
                    for &(p, t) in &a.targets[m.pattern().as_usize()] {
                        out.push((at, p, t));
                    }
                }
                return;
            }
        }
        // a short text: look up the anchors that start with each of its characters
        let mut buf = [0u8; 4];
        for (ci, (b, c)) in norm.key.char_indices().enumerate() {
            let rest = &norm.key[b..];
            let first: &str = c.encode_utf8(&mut buf);
            for (pi, part) in self.parts.iter().enumerate() {
                for i in part.anchors_starting_with(first) {
                    let (key, target) = part.anchor(i);
                    if rest.starts_with(key) && part.live_target(target) {
                        out.push((ci, pi as u8, target));
                    }
                }
            }
        }
    }

    /// Exact and normalised matches of templates and codes in `text`.
    pub(crate) fn find_exact(
        &self,
        catalog: &Catalog,
        text: &str,
        norm: &Normalized,
        out: &mut Vec<Found>,
    ) {
        let mut hits = Vec::new();
        self.anchor_hits(norm, &mut hits);
        for (at, pi, target) in hits {
            let part = &self.parts[pi as usize];
            match target {
                Target::Template(ti) => {
                    let Some((entry, nth, _)) = part.template(ti) else {
                        continue;
                    };
                    let Some(t) = catalog
                        .entry_at(entry as usize)
                        .and_then(|e| e.templates.get(nth as usize))
                    else {
                        continue;
                    };
                    if let Some(f) = verify(t, text, norm, at) {
                        out.push(Found {
                            entry: entry as usize,
                            template: Some(nth as usize),
                            ..f
                        });
                    }
                }
                Target::Code(e) => {
                    if let Some(f) = verify_code(catalog, e as usize, text, norm, at) {
                        out.push(f);
                    }
                }
            }
        }
    }

    /// The templates that share enough bigrams with `have` (sorted, distinct) to be worth
    /// aligning: (entry, template number).
    pub(crate) fn fuzzy_candidates(&self, have: &[u64]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for part in &self.parts {
            let mut counts: HashMap<u32, u32> = HashMap::new();
            let grams = part.bigrams();
            for g in have {
                let lo = grams.partition_point(|(b, _)| b < g);
                for (_, ti) in grams[lo..].iter().take_while(|(b, _)| b == g) {
                    *counts.entry(*ti).or_default() += 1;
                }
            }
            for (ti, shared) in counts {
                let Some((entry, nth, n)) = part.template(ti) else {
                    continue;
                };
                // a third of the pairs (one pair of a very short template)
                if part.live(entry) && shared * 3 >= n {
                    out.push((entry as usize, nth as usize));
                }
            }
        }
        out.sort_unstable();
        out
    }
}

/// Whether `c` can be part of a code (`ACQ.TRADE_NOT_EXIST`, `sys_1000`).
fn is_code_char(c: char) -> bool {
    let c = fold_width(c);
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Verifies a code of entry `entry` whose key was found at key char `at`: it must stand as a
/// whole token; a code of digits only must be the whole text or follow a word such as `code`
/// or `错误码` (a number in a message is usually an amount or a date).
fn verify_code(
    catalog: &Catalog,
    entry: usize,
    text: &str,
    norm: &Normalized,
    at: usize,
) -> Option<Found> {
    let e = catalog.entry_at(entry)?;
    let rest = &norm.key[norm.byte_of_char(at)..];
    let code = e
        .codes
        .iter()
        .find(|c| rest.starts_with(&crate::normalize::key(c)))?;
    let n = crate::normalize::key(code).chars().count();
    let (start, end) = (norm.start_of(at), norm.end_of(at + n - 1));
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    if before.is_some_and(is_code_char) || after.is_some_and(is_code_char) {
        return None;
    }
    let spelled = &text[start..end];
    if spelled.chars().all(|c| fold_width(c).is_ascii_digit())
        && text.trim() != spelled
        && !after_code_word(&text[..start])
    {
        return None;
    }
    let exact = spelled == code;
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
        found_chars: n,
    })
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
        assert!(after_code_word("错误码："));
        assert!(after_code_word("{\"code\":\""));
        assert!(!after_code_word("付款"));
    }
}
