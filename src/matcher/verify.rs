/*!
A template verified piece by piece from where its anchor was found: the next literal is looked
for within the bounded reach of the slot before it, and the original text between two literals
must be a value of the slot's type. Then the match is graded: exact when every literal is in
the input byte for byte, normalised otherwise.
*/

use std::collections::BTreeMap;

use super::{Found, MatchKind};
use crate::normalize::{fold_width, Change, Normalized};
use crate::slot::{is_slot_gap, trim_slot, SlotKind};
use crate::template::{Lit, Piece, Template};

/// Verifies template `t` whose first literal piece was found at key char `at`.
pub(super) fn verify(t: &Template, text: &str, norm: &Normalized, at: usize) -> Option<Found> {
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
                let (q, value) = after_slot(slot.kind, next, text, norm, cur)?;
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
    let first_key = norm.chars[at].folded;
    let last_key = norm.chars[lits.last().map_or(at, |&(_, b)| b - 1)].folded;
    if (first == 0 && glued(text[..start].chars().next_back(), first_key))
        || (matches!(t.pieces.last(), Some(Piece::Lit(_)))
            && glued(text[end..].chars().next(), last_key))
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

/// The literal `next` after a slot of `kind` that starts at key char `cur`: the first place
/// within the slot's reach where the original text between is a value of the slot, as its key
/// char index and the value.
fn after_slot<'t>(
    kind: SlotKind,
    next: &Lit,
    text: &'t str,
    norm: &Normalized,
    cur: usize,
) -> Option<(usize, &'t str)> {
    let from = norm.end_of(cur - 1);
    let reach = (cur + kind.max_chars() + next.chars.len()).min(norm.len());
    let base = norm.byte_of_char(cur);
    let hay = &norm.key[base..norm.byte_of_char(reach)];
    for (off, _) in hay.match_indices(next.key.as_str()) {
        let q = norm.char_at_byte(base + off);
        if q == cur {
            continue;
        }
        let value = trim_slot(&text[from..norm.start_of(q)]);
        if kind.accepts(value) {
            return Some((q, value));
        }
    }
    None
}

/// Whether a Latin letter or digit `key` at a template's edge runs on into a letter or digit
/// of the text (`edge`, the text's character beyond it).
fn glued(edge: Option<char>, key: char) -> bool {
    key.is_ascii_alphanumeric()
        && edge
            .map(fold_width)
            .is_some_and(|c| c.is_ascii_alphanumeric())
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
}
