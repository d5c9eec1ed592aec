/*!
Fuzzy matching: most of a template present, in order, with a few characters wrong, missing
or cut off.

Runs on the parts of a text that exact and normalised matching left unexplained. A template
is a candidate when its character pairs (bigrams) turn up in the text; each candidate is then
aligned with the text by edit distance (a substitution, a missing or an extra character each
cost one; a slot absorbs characters of its type for free), with the start and end of the
match free. The confidence is the share of the template found, lowered for short templates,
where one wrong character weighs more, and never as high as a normalised match.
*/

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::matcher::{extend_end, extend_start, Found, Index, MatchKind};
use crate::normalize::Normalized;
use crate::prepare::bigram;
use crate::slot::{trim_slot, SlotKind};
use crate::template::{Piece, Template};

/// The highest confidence a fuzzy match can have.
const MAX_CONFIDENCE: f64 = 0.9;
/// The most a resemblance too weak to be a match may claim: below
/// [`crate::MATCH_THRESHOLD`], so it is offered as "did you mean", never as an answer.
const SUGGESTION_CONFIDENCE: f64 = 0.45;
/// Below this a fuzzy alignment is not even a suggestion.
pub(crate) const MIN_CONFIDENCE: f64 = 0.3;
/// Regions longer than this (in key characters) are aligned in overlapping windows.
const WINDOW: usize = 600;
const OVERLAP: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Char(char),
    Slot(SlotKind, u16),
}

/// How many of a template's literal characters are not ASCII letters or digits (Chinese,
/// mostly). Fuzzy matching weighs only these: a template with fewer than three of them (an
/// English message, an SDK exception) is matched exactly or not at all.
fn wide_len(t: &Template) -> usize {
    t.pieces
        .iter()
        .map(|p| match p {
            Piece::Lit(l) => l.chars.iter().filter(|c| !c.is_ascii()).count(),
            Piece::Slot(_) => 0,
        })
        .sum()
}

/// The template as a sequence of key characters and slot gaps.
fn tokens(t: &Template) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut n = 0u16;
    for p in &t.pieces {
        match p {
            Piece::Lit(l) => toks.extend(l.chars.iter().map(|&c| Tok::Char(c))),
            Piece::Slot(s) => {
                toks.push(Tok::Slot(s.kind, n));
                n += 1;
            }
        }
    }
    toks
}

/// Fuzzy candidates in the key characters `region` of `norm` (a range of char indices).
pub(crate) fn find(
    index: &Index,
    catalog: &Catalog,
    text: &str,
    norm: &Normalized,
    region: (usize, usize),
    out: &mut Vec<Found>,
) {
    let (a, b) = region;
    if b - a > WINDOW {
        let mut s = a;
        while s < b {
            let e = (s + WINDOW).min(b);
            find(index, catalog, text, norm, (s, e), out);
            if e == b {
                break;
            }
            s = e - OVERLAP;
        }
        return;
    }
    let chars: Vec<char> = norm.key[norm.byte_of_char(a)..norm.byte_of_char(b)]
        .chars()
        .collect();
    if chars.len() < 3 {
        return;
    }
    let mut have: Vec<u64> = chars.windows(2).map(|w| bigram(w[0], w[1])).collect();
    have.sort_unstable();
    have.dedup();
    for c in index.fuzzy_candidates(&have) {
        let (entry, nth) = (c.entry, c.template);
        let Some(t) = catalog.entry_at(entry).and_then(|e| e.templates.get(nth)) else {
            continue;
        };
        if chars.len() * 2 < t.literal_len || wide_len(t) < 3 {
            continue;
        }
        align_all(t, entry, nth, text, norm, a, &chars, out);
    }
}

/// Aligns template `t` with `chars` (which start at key char `offset`), then with what is
/// left on either side, to find a message that is pasted more than once.
#[allow(clippy::too_many_arguments)]
fn align_all(
    t: &Template,
    entry: usize,
    nth: usize,
    text: &str,
    norm: &Normalized,
    offset: usize,
    chars: &[char],
    out: &mut Vec<Found>,
) {
    let toks = tokens(t);
    let names: Vec<&str> = t.slots().map(|s| s.name.as_str()).collect();
    let mut todo = vec![(0usize, chars.len())];
    let mut rounds = 0;
    while let Some((s, e)) = todo.pop() {
        rounds += 1;
        if rounds > 8 || (e - s) * 2 < t.literal_len || e - s < 3 {
            continue;
        }
        let Some(al) = align(&toks, &chars[s..e]) else {
            continue;
        };
        let Some(found) = to_found(t, &names, entry, nth, text, norm, offset + s, &al) else {
            continue;
        };
        out.push(found);
        todo.push((s, s + al.start));
        todo.push((s + al.end, e));
    }
}

#[allow(clippy::too_many_arguments)]
fn to_found(
    t: &Template,
    names: &[&str],
    entry: usize,
    nth: usize,
    text: &str,
    norm: &Normalized,
    offset: usize,
    al: &Alignment,
) -> Option<Found> {
    // the evidence is the template's Chinese characters: a letter carries far less, and any
    // English text shares most letters with a template's English words
    let len = wide_len(t);
    let matches = al.wide_matches;
    // a short template may miss one character at most: "实名认证" (a page title) is not
    // "实名认证失败"; a long one needs eight characters and two fifths of its length (a
    // message cut off by the edge of a screenshot keeps a long, telling beginning)
    let enough = if len <= 8 {
        len.saturating_sub(1).max(3)
    } else {
        (len * 2).div_ceil(5).max(8)
    };
    let share = matches as f64 / (len + al.extra) as f64;
    let short = 1.0 - 1.2 / len as f64;
    let mut confidence = (share * short).min(MAX_CONFIDENCE);
    if matches < enough {
        // too little for a match; four characters and three fifths of the template are
        // still worth a "did you mean" (a common word like 银行卡 alone is not)
        if matches < 4 || matches * 5 < len * 3 {
            return None;
        }
        // between MIN_CONFIDENCE and SUGGESTION_CONFIDENCE, in the order of the resemblance
        confidence = MIN_CONFIDENCE + (SUGGESTION_CONFIDENCE - MIN_CONFIDENCE) * confidence;
    }
    if confidence < MIN_CONFIDENCE {
        return None;
    }
    let mut slots = BTreeMap::new();
    for &(name, kind, s, e) in &al.slots {
        if s == e {
            continue;
        }
        let raw = &text[norm.start_of(offset + s)..norm.end_of(offset + e - 1)];
        let value = trim_slot(raw);
        if kind.accepts(value) {
            if let Some(n) = names.get(name as usize) {
                slots.insert((*n).to_owned(), kind.clean(value));
            }
        }
    }
    // like an exact match, take in the template's own leading and trailing punctuation
    let (mut start, mut end) = (
        norm.start_of(offset + al.start),
        norm.end_of(offset + al.end - 1),
    );
    if matches!(t.pieces.first(), Some(Piece::Lit(_))) {
        start = extend_start(text, start, &t.lead);
    }
    if matches!(t.pieces.last(), Some(Piece::Lit(_))) {
        end = extend_end(text, end, &t.trail);
    }
    Some(Found {
        entry,
        template: Some(nth),
        start,
        end,
        slots,
        kind: MatchKind::Fuzzy,
        confidence: (confidence * 100.0).round() / 100.0,
        found_chars: matches,
    })
}

/// The result of aligning a template with a run of key characters.
#[derive(Debug, Clone, PartialEq)]
struct Alignment {
    /// Range of input characters covered.
    start: usize,
    end: usize,
    /// Template characters found as they are.
    matches: usize,
    /// Of those, characters other than ASCII letters and digits (Chinese, mostly).
    wide_matches: usize,
    /// Input characters inside the match that the template does not have.
    extra: usize,
    /// (slot name index, kind, input range) for each slot.
    slots: Vec<(u16, SlotKind, usize, usize)>,
}

const DIAG: u8 = 0;
const UP: u8 = 1;
const LEFT: u8 = 2;

/// Semi-global alignment: the whole template against any substring of `input`.
fn align(toks: &[Tok], input: &[char]) -> Option<Alignment> {
    let (m, n) = (toks.len(), input.len());
    if m == 0 || n == 0 {
        return None;
    }
    let (cost, back) = edit_table(toks, input);
    let w = n + 1;
    let last = &cost[m * w..(m + 1) * w];
    let (end, _) = last.iter().enumerate().min_by_key(|&(c, &v)| (v, c))?;
    Some(trace_back(toks, input, &back, end))
}

/// The edit-distance table of `toks` against `input` (rows: template tokens, columns: input
/// characters, a free start anywhere in the input), and the step that reached each cell.
fn edit_table(toks: &[Tok], input: &[char]) -> (Vec<u32>, Vec<u8>) {
    let (m, n) = (toks.len(), input.len());
    let w = n + 1;
    let mut cost = vec![0u32; (m + 1) * w];
    let mut back = vec![LEFT; (m + 1) * w];
    for r in 1..=m {
        let del = match toks[r - 1] {
            Tok::Char(_) => 1,
            Tok::Slot(..) => 0,
        };
        cost[r * w] = cost[(r - 1) * w] + del;
        back[r * w] = UP;
        for c in 1..=n {
            let x = input[c - 1];
            let (best, how) = match toks[r - 1] {
                Tok::Char(t) => {
                    let diag = cost[(r - 1) * w + c - 1] + u32::from(t != x);
                    let up = cost[(r - 1) * w + c] + 1;
                    let left = cost[r * w + c - 1] + 1;
                    min3(diag, up, left)
                }
                Tok::Slot(kind, _) => {
                    let up = cost[(r - 1) * w + c];
                    let left = cost[r * w + c - 1] + u32::from(!kind.may_contain(x));
                    if up <= left {
                        (up, UP)
                    } else {
                        (left, LEFT)
                    }
                }
            };
            cost[r * w + c] = best;
            back[r * w + c] = how;
        }
    }
    (cost, back)
}

/// The alignment that ends at input column `end`, read back through the table's steps.
fn trace_back(toks: &[Tok], input: &[char], back: &[u8], end: usize) -> Alignment {
    let w = input.len() + 1;
    let (mut r, mut c) = (toks.len(), end);
    let mut al = Alignment {
        start: 0,
        end,
        matches: 0,
        wide_matches: 0,
        extra: 0,
        slots: Vec::new(),
    };
    let mut slot_end: Option<usize> = None;
    while r > 0 {
        let how = if c == 0 { UP } else { back[r * w + c] };
        match (toks[r - 1], how) {
            (Tok::Char(t), DIAG) => {
                if t == input[c - 1] {
                    al.matches += 1;
                    if !t.is_ascii() {
                        al.wide_matches += 1;
                    }
                }
                r -= 1;
                c -= 1;
            }
            (Tok::Char(_), UP) => r -= 1,
            (Tok::Char(_), _) => {
                al.extra += 1;
                c -= 1;
            }
            (Tok::Slot(..), LEFT) => {
                slot_end.get_or_insert(c);
                c -= 1;
            }
            (Tok::Slot(kind, name), _) => {
                let e = slot_end.take().unwrap_or(c);
                al.slots.push((name, kind, c, e));
                r -= 1;
            }
        }
    }
    al.start = c;
    al
}

fn min3(diag: u32, up: u32, left: u32) -> (u32, u8) {
    if diag <= up && diag <= left {
        (diag, DIAG)
    } else if up <= left {
        (up, UP)
    } else {
        (left, LEFT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        s.chars()
            .map(|c| {
                if c == '#' {
                    Tok::Slot(SlotKind::Days, 0)
                } else {
                    Tok::Char(c)
                }
            })
            .collect()
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn finds_the_template_inside_noise() {
        let al = align(&toks("交易存在风险"), &chars("提示交易存在凤险知道了")).unwrap();
        assert_eq!((al.start, al.end, al.matches, al.extra), (2, 8, 5, 0));
    }

    #[test]
    fn truncated_and_missing() {
        let al = align(
            &toks("调试错误请回到请求来源地重新发起请求"),
            &chars("调试错误请回到请求来源地重新"),
        )
        .unwrap();
        assert_eq!((al.start, al.end, al.matches), (0, 14, 14));
        let al = align(&toks("暂无法添加此卡"), &chars("暂无添加此卡")).unwrap();
        assert_eq!(al.matches, 6);
    }

    #[test]
    fn slots_absorb_their_values() {
        let al = align(&toks("撤销认证#天后"), &chars("撤销认证15天后")).unwrap();
        assert_eq!(al.matches, 6);
        assert_eq!(al.slots, vec![(0, SlotKind::Days, 4, 6)]);
        assert_eq!(al.extra, 0);
    }
}
