/*!
What an explanation holds: the matches, the text left over with its gloss, the suggestions
and the triage. These are the types the JSON output serialises.
*/

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{Audience, Category, CauseBasis, Contact, Handling, OtherCause};
use crate::matcher::MatchKind;
use crate::segment::Gloss;
use crate::triage::Triage;

/// What the explainer found in a text.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Explanation {
    /// The text, as given.
    pub input: String,
    /// Whom the answer is for: `user` (someone using the app) or `developer`.
    #[serde(rename = "for")]
    pub reader: Audience,
    /// The known messages found, in the order they appear and never overlapping; then, if
    /// any, the entries that match an English description in the text (kind `described`,
    /// best first), each spanning the whole description.
    pub matches: Vec<Match>,
    /// The rest of the text, line by line, glossed word by word.
    pub unmatched: Vec<Unmatched>,
    /// "Did you mean": messages that resemble parts of the text not explained by a match,
    /// too loosely to be called a match.
    pub suggestions: Vec<Suggestion>,
    /// When nothing matched but the text reads like a message: a guess at its area, what
    /// such messages mean and the first steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub triage: Option<Triage>,
}

impl Explanation {
    /// Whether anything known was found.
    pub fn is_match(&self) -> bool {
        !self.matches.is_empty()
    }
}

/// A known message found in the text.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Match {
    /// The catalog entry's id.
    pub id: String,
    /// Its category.
    pub category: Category,
    /// How it was found.
    pub kind: MatchKind,
    /// How sure the match is, from 0 to 1. Exact matches are 1; fuzzy ones below 0.8
    /// should be read as "probably".
    pub confidence: f64,
    /// Byte offsets of the match in the input: `input[start..end] == text`.
    pub start: usize,
    /// End of the match (exclusive).
    pub end: usize,
    /// The part of the input that matched.
    pub text: String,
    /// The catalog template that matched (`""` for a match on a bare code).
    pub template: String,
    /// The values of the template's slots, by name.
    pub slots: BTreeMap<String, String>,
    /// What the message says.
    pub translation: String,
    /// Why it most likely happened.
    pub cause: String,
    /// How well that cause is known: `documented`, `reported`, or `one_report` (a single
    /// reported case, never to be read as the answer).
    pub cause_basis: CauseBasis,
    /// Less likely causes, each with how to tell that it is this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_causes: Vec<OtherCause>,
    /// What to do, most useful first.
    pub fixes: Vec<String>,
    /// What to check before trying again, where money may already have moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before_retry: Option<String>,
    /// Who the entry speaks to.
    pub audience: Audience,
    /// When the advice was reported, where the source is dated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<String>,
    /// Who acts, whether trying again helps, the sentence for staff (the entry's; in JSON,
    /// three fields of the match's own).
    #[serde(flatten)]
    pub handling: Handling,
    /// The entry's codes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    /// Where the message was seen.
    pub sources: Vec<String>,
    /// How to reach the people the fixes mention (hotline, online service, the bank).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
}

/// A part of the text that no known message explains.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Unmatched {
    /// The text.
    pub text: String,
    /// Byte offsets in the input.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// Its Chinese words, with pinyin and English where the glossary knows them.
    pub gloss: Vec<Gloss>,
}

/// A message that resembles part of the text too loosely to be a match.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Suggestion {
    /// The catalog entry's id.
    pub id: String,
    /// How close it is, from 0 to 1.
    pub confidence: f64,
    /// Byte offsets of the resembling part of the input.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// The template it resembles.
    pub template: String,
    /// What that message says.
    pub translation: String,
}
