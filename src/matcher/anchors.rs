/*!
Where templates may start: every template is anchored on the key of its first literal piece.

Long texts and scans look for all anchors at once with an automaton built on first use; a
short paste looks its key's character pairs up in the sorted anchor table instead (building
the automaton costs about 1.6 ms, more than a whole short paste). [`Index::find_exact`] then
verifies each hit (see `verify.rs`).
*/

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind as AcMatchKind};
use daachorse::CharwiseDoubleArrayAhoCorasick;

use super::verify::verify;
use super::{Found, Index, SHORT_KEY};
use crate::catalog::Catalog;
use crate::normalize::Normalized;
use crate::prepare;
use alipay_explain_prep::tables::TemplateRow;

/// Where an anchor occurs in a text's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AnchorHit {
    /// Byte offset in the key.
    pub(crate) key_byte: usize,
    /// Which part of the index (0 embedded, 1 user).
    pub(crate) part: u8,
    /// The template, in that part's tables.
    pub(crate) template: u32,
}

/// An anchor an automaton pattern stands for.
#[derive(Debug, Clone, Copy)]
struct Target {
    /// Which part of the index.
    part: u8,
    /// The template, in that part's tables.
    template: u32,
    /// How many ASCII characters the anchor has before the pattern.
    lead: u32,
}

/// For each pattern of an automaton: every anchor it stands for.
type Targets = Vec<Vec<Target>>;

pub(super) struct Automaton {
    /// Anchors with a character other than ASCII (nearly all of them), from that character
    /// on (`original_order_id错误` is looked for as `错误`, then checked whole), in a
    /// character-wise double-array automaton: about three times the speed of a byte-wise one
    /// on Chinese (ARCHITECTURE.md, "Measured reasons"). The value of each pattern is its number in `targets`.
    /// So the ASCII part of a log line (timestamp, fields) is never searched.
    ac: CharwiseDoubleArrayAhoCorasick<u32>,
    targets: Targets,
    /// Anchors of ASCII only (English messages, a handful): searched on their own, over the
    /// whole key, when the text passes their gate (see [`Index::find_codes`]).
    ascii: Option<(AhoCorasick, Targets)>,
}

impl Automaton {
    /// The anchors with a Chinese character found in `key`, a piece of a text's key that
    /// starts `base` bytes into it.
    fn chinese_hits(&self, key: &str, base: usize, out: &mut Vec<AnchorHit>) {
        for m in self.ac.find_overlapping_iter(key) {
            for t in self.targets.get(m.value() as usize).into_iter().flatten() {
                if let Some(key_byte) = (base + m.start()).checked_sub(t.lead as usize) {
                    out.push(AnchorHit {
                        key_byte,
                        part: t.part,
                        template: t.template,
                    });
                }
            }
        }
    }
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
    pub(super) fn automaton(&self) -> &Result<Automaton, String> {
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
                    targets[id].push(Target {
                        part: pi as u8,
                        template: ti,
                        lead: lead as u32,
                    });
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
        out: &mut Vec<AnchorHit>,
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
        a.chinese_hits(key, base, out);
        true
    }

    /// Every (key byte offset, part, template) where an anchor occurs in `key`; anchors of
    /// ASCII only (English messages) only if `english` (see [`Index::find_codes`]).
    pub(crate) fn anchor_hits(&self, key: &str, english: bool, out: &mut Vec<AnchorHit>) {
        let use_automaton = key.len() > SHORT_KEY || self.automaton.get().is_some();
        if use_automaton {
            if let Ok(a) = self.automaton() {
                // every pattern starts with a character other than ASCII, so the ASCII
                // before (a log line's timestamp and fields) need not be searched
                let from = key.bytes().position(|b| !b.is_ascii()).unwrap_or(key.len());
                a.chinese_hits(&key[from..], from, out);
                if let Some((ascii, targets)) = a.ascii.as_ref().filter(|_| english) {
                    for m in ascii.find_overlapping_iter(key) {
                        for t in &targets[m.pattern().as_usize()] {
                            out.push(AnchorHit {
                                key_byte: m.start(),
                                part: t.part,
                                template: t.template,
                            });
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
                        out.push(AnchorHit {
                            key_byte: b,
                            part: pi as u8,
                            template: ti,
                        });
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
                        out.push(AnchorHit {
                            key_byte: b,
                            part: pi as u8,
                            template: ti,
                        });
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
        hits: &[AnchorHit],
        out: &mut Vec<Found>,
    ) {
        for &AnchorHit {
            key_byte: byte,
            part: pi,
            template: ti,
        } in hits
        {
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
}
