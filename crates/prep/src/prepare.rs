/*!
What the matcher needs to know about a template without parsing it again: its anchor (the
key of its first literal piece), its bigrams (for fuzzy candidates) and its signature (two
templates with one signature match the same texts).

The same functions prepare the embedded catalog at build time and user catalogs at run
time (both through [`crate::tables::Tables::build`]), so the two can never disagree.
*/

use crate::normalize::fold_width;
use crate::template::{Piece, Template};

/// The key of the template's first literal piece: where a match is looked for first.
pub fn anchor(t: &Template) -> &str {
    match &t.pieces[t.first_lit()] {
        Piece::Lit(l) => &l.key,
        Piece::Slot(_) => "",
    }
}

/// A pair of key characters as one number.
pub fn bigram(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

/// The distinct bigrams inside the template's literal pieces, sorted.
pub fn bigrams(t: &Template) -> Vec<u64> {
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
pub fn signature(t: &Template) -> String {
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

/// The words of an English template that a text must hold for the template to be looked
/// for: the most distinctive pair of neighbouring words of its first literal piece (the one
/// word of a piece of one word), lower case and width folded; long words and uncommon letters
/// weigh more. English messages are matched, like codes, on whole words: `http status error`
/// is found in any case and spacing, but not with a word broken (`sta tus`). Most log lines
/// hold none of these pairs, and skip the search.
pub fn gate_words(t: &Template) -> Vec<String> {
    let first = match t.pieces.get(t.first_lit()) {
        Some(Piece::Lit(l)) => l.inner.as_str(),
        _ => "",
    };
    let weight = |w: &str| -> usize {
        w.bytes()
            .map(|b| if b"etaoinshrdlu".contains(&b) { 1 } else { 3 })
            .sum()
    };
    let folded: String = first
        .chars()
        .map(fold_width)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 2 {
        return words.iter().map(|w| (*w).to_owned()).collect();
    }
    words
        .windows(2)
        .max_by_key(|pair| weight(pair[0]) + weight(pair[1]))
        .map(|pair| pair.iter().map(|w| (*w).to_owned()).collect())
        .unwrap_or_default()
}
