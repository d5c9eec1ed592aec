/*!
What is left when the messages are found: English prose searched as a description, a
triage of a message-like text that nothing matched, and the gloss of the rest.
*/

use std::collections::BTreeMap;

use super::judge::Reader;
use super::Match;
use super::{template_text, Explainer, Suggestion, Unmatched, GLOSS_LIMIT};
use crate::catalog::Category;
use crate::describe;
use crate::matcher::{Found, MatchKind};
use crate::segment;
use crate::triage::{self, Triage};

impl Explainer {
    /// The entries that the English prose of the unmatched text describes, after the
    /// messages found (a description never outranks a message), and not of a category a
    /// message found is of.
    pub(super) fn described(
        &self,
        input: &str,
        unmatched: &[Unmatched],
        found: &[Found],
        reader: &Reader<'_>,
    ) -> Vec<Found> {
        let prose: Vec<&Unmatched> = unmatched
            .iter()
            .filter(|u| describe::is_prose(&u.text))
            .collect();
        let (Some(first), Some(last)) = (prose.first(), prose.last()) else {
            return Vec::new();
        };
        let text = &input[first.start..last.end];
        let index = self
            .described
            .get_or_init(|| describe::Index::new(&self.catalog));
        // a description of the same area as a message found is taken to be about that message
        let areas: Vec<Category> = found
            .iter()
            .filter_map(|f| Some(self.entry(f.entry)?.category))
            .collect();
        index
            .search(text, reader.get())
            .into_iter()
            .filter(|d| {
                self.entry(d.entry)
                    .is_some_and(|e| !areas.contains(&e.category))
            })
            .map(|d| Found {
                entry: d.entry,
                template: None,
                start: first.start,
                end: last.end,
                slots: BTreeMap::new(),
                kind: MatchKind::Described,
                confidence: d.confidence,
                found_chars: 0,
            })
            .collect()
    }

    /// When nothing matched: the triage of a message-like text, and as "did you mean" the
    /// entries of its area closest to the text when fuzzy matching suggested none.
    pub(super) fn triage(
        &self,
        input: &str,
        matches: &[Match],
        suggestions: Vec<Suggestion>,
    ) -> (Option<Triage>, Vec<Suggestion>) {
        if !matches.is_empty() {
            return (None, suggestions);
        }
        let head = input
            .get(..input.floor_char_boundary(GLOSS_LIMIT))
            .unwrap_or(input);
        let Some(t) = triage::triage(head) else {
            return (None, suggestions);
        };
        if !suggestions.is_empty() {
            return (Some(t), suggestions);
        }
        let closest = triage::closest(&self.catalog, t.category, head)
            .into_iter()
            .filter_map(|(i, nth, alike)| {
                let e = self.entry(i)?;
                Some(Suggestion {
                    id: e.id.clone(),
                    confidence: alike,
                    start: 0,
                    end: head.len(),
                    template: template_text(e, Some(nth)),
                    translation: e.en.translation.clone(),
                })
            })
            .collect();
        (Some(t), closest)
    }
}

/// The input outside the matches, line by line, trimmed, glossed.
pub(super) fn unmatched(input: &str, found: &[Found]) -> Vec<Unmatched> {
    let mut out = Vec::new();
    let mut glossed = 0usize;
    let mut pos = 0;
    let mut gaps: Vec<(usize, usize)> = Vec::new();
    for f in found {
        if f.start > pos {
            gaps.push((pos, f.start));
        }
        pos = pos.max(f.end);
    }
    if pos < input.len() {
        gaps.push((pos, input.len()));
    }
    for (a, b) in gaps {
        let mut line_start = a;
        for line in input[a..b].split_inclusive('\n') {
            // spaces and stray punctuation at the ends are not worth a line of their own
            let edge = |c: char| !c.is_alphanumeric();
            let lead = line.len() - line.trim_start_matches(edge).len();
            let text = line.trim_matches(edge);
            let start = line_start + lead;
            line_start += line.len();
            if !text.chars().any(char::is_alphabetic) {
                continue;
            }
            let gloss = if glossed < GLOSS_LIMIT {
                glossed += text.len();
                segment::gloss(text)
            } else {
                Vec::new()
            };
            out.push(Unmatched {
                text: text.to_owned(),
                start,
                end: start + text.len(),
                gloss,
            });
        }
    }
    out
}
