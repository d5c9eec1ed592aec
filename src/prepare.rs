/*!
What the matcher needs to know about a template without parsing it again: its anchor (the
key of its first literal piece), its bigrams (for fuzzy candidates) and its signature (two
templates with one signature match the same texts).

The same functions prepare the embedded catalog at build time (`build.rs` includes this file)
and user catalogs at run time, so the two can never disagree.
*/

use crate::template::{Piece, Template};

/// The key of the template's first literal piece: where a match is looked for first.
pub(crate) fn anchor(t: &Template) -> &str {
    match &t.pieces[t.first_lit()] {
        Piece::Lit(l) => &l.key,
        Piece::Slot(_) => "",
    }
}

/// A pair of key characters as one number.
pub(crate) fn bigram(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

/// The distinct bigrams inside the template's literal pieces, sorted.
pub(crate) fn bigrams(t: &Template) -> Vec<u64> {
    let mut out: Vec<u64> = t
        .pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Lit(l) => Some(l.chars.windows(2).map(|w| bigram(w[0], w[1]))),
            Piece::Slot(_) => None,
        })
        .flatten()
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The shape of a template for matching: literal keys and slot kinds.
pub(crate) fn signature(t: &Template) -> String {
    let mut s = String::new();
    for p in &t.pieces {
        match p {
            Piece::Lit(l) => s.push_str(&l.key),
            Piece::Slot(slot) => {
                s.push('{');
                s.push_str(slot.kind.name());
                s.push('}');
            }
        }
    }
    s
}
