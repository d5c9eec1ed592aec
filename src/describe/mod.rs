/*!
Search by description: English text ("the test deposit never arrived", a machine translation
of a message, a question) against what the entries say in English, ranked with BM25.

Each entry is one document made of its fields, weighted by how directly they say what the
problem is: the descriptions people wrote (`situation.describes`, ×3), the English interface's
wordings and the translation (×2), then the cause, the other causes and the fixes (×1). The
Chinese screen labels of a situation (添加银行卡) are terms of their own, found in the text as
written. Words are folded to terms by [`words`].

A description is an answer of its own kind, [`MatchKind::Described`](crate::MatchKind), and
never a certain one: its confidence is the share of the text's meaning (the inverse document
frequencies of its terms) that the entry accounts for, scaled to stay below 0.8, and lowered
for a runner-up by its score behind the best. A text with
no term of Alipay's world ([`words::in_domain`]) gets nothing, however well its words match.
*/

mod words;

use std::collections::HashMap;

use crate::catalog::{Audience, Catalog, Entry};

/// BM25's term-frequency saturation.
const K1: f32 = 1.2;
/// BM25's length normalisation.
const B: f32 = 0.75;
/// At most this many answers.
const MAX_ANSWERS: usize = 3;
/// An answer must account for this share of the text's meaning…
const MIN_COVERAGE: f32 = 0.35;
/// …with at least this many distinct terms.
const MIN_TERMS: usize = 2;
/// Later answers must score at least this share of the best one.
const RUNNER_UP: f32 = 0.6;

/// The described entries' index.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// term → (document, weighted frequency)
    postings: HashMap<String, Vec<(u32, f32)>>,
    /// Per document: the entry's position in the catalog, its audience, its weighted length.
    docs: Vec<Doc>,
    avg_len: f32,
    /// Chinese screen labels (`labels_zh`) → their term.
    labels: Vec<(String, String)>,
}

#[derive(Debug)]
struct Doc {
    entry: usize,
    audience: Audience,
    len: f32,
}

/// An entry that matches a description.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Described {
    /// The entry's position in the catalog.
    pub(crate) entry: usize,
    /// From 0 to 0.75.
    pub(crate) confidence: f64,
}

impl Index {
    /// Indexes every entry of `catalog`.
    pub(crate) fn new(catalog: &Catalog) -> Index {
        let mut index = Index::default();
        let mut total = 0.0;
        for (i, e) in catalog.iter().enumerate() {
            let mut tf: HashMap<String, f32> = HashMap::new();
            let mut add = |text: &str, weight: f32| {
                for t in words::terms(text) {
                    *tf.entry(t).or_default() += weight;
                }
            };
            fields(e, &mut add);
            if let Some(s) = &e.situation {
                for label in &s.labels_zh {
                    let term = format!("zh:{label}");
                    *tf.entry(term.clone()).or_default() += 2.0;
                    if !index.labels.iter().any(|(l, _)| l == label) {
                        index.labels.push((label.clone(), term));
                    }
                }
            }
            let doc = index.docs.len() as u32;
            let len: f32 = tf.values().sum();
            total += len;
            for (t, f) in tf {
                index.postings.entry(t).or_default().push((doc, f));
            }
            index.docs.push(Doc {
                entry: i,
                audience: e.audience,
                len,
            });
        }
        index.avg_len = total / index.docs.len().max(1) as f32;
        index
    }

    /// The entries for `reader` that `text` describes, best first: at most three.
    pub(crate) fn search(&self, text: &str, reader: Audience) -> Vec<Described> {
        let mut query: Vec<String> = words::terms(text);
        query.extend(words::chinese_terms(text));
        query.extend(
            self.labels
                .iter()
                .filter(|(label, _)| text.contains(label.as_str()))
                .map(|(_, term)| term.clone()),
        );
        query.sort();
        query.dedup();
        if !words::in_domain(&query) {
            return Vec::new();
        }
        let n = self.docs.len() as f32;
        // a word the catalog never uses still carries meaning the answer does not explain
        let unknown_idf = (1.0 + n).ln() * 0.5;
        let idf = |t: &str| {
            self.postings.get(t).map_or(unknown_idf, |p| {
                let df = p.len() as f32;
                (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
            })
        };
        let meaning: f32 = query.iter().map(|t| idf(t)).sum();
        let mut scores: HashMap<u32, (f32, f32, usize)> = HashMap::new();
        for t in &query {
            let Some(postings) = self.postings.get(t) else {
                continue;
            };
            let w = idf(t);
            for &(doc, f) in postings {
                let d = &self.docs[doc as usize];
                if !d.audience.serves(reader) {
                    continue;
                }
                let norm = K1 * (1.0 - B + B * d.len / self.avg_len);
                let s = scores.entry(doc).or_default();
                s.0 += w * f * (K1 + 1.0) / (f + norm);
                s.1 += w;
                s.2 += 1;
            }
        }
        let mut ranked: Vec<(u32, f32, f32)> = scores
            .into_iter()
            .filter(|&(_, (_, _, terms))| terms >= MIN_TERMS.min(query.len()))
            .map(|(doc, (score, covered, _))| (doc, score, covered / meaning.max(f32::EPSILON)))
            .filter(|&(_, _, coverage)| coverage >= MIN_COVERAGE)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let best = ranked.first().map_or(0.0, |r| r.1);
        ranked
            .into_iter()
            .filter(|r| r.1 >= best * RUNNER_UP)
            .take(MAX_ANSWERS)
            // the share of the text explained, lowered for a runner-up by how far behind it is
            .map(|(doc, score, coverage)| Described {
                entry: self.docs[doc as usize].entry,
                confidence: f64::from(
                    (0.3 + 0.45 * coverage.min(1.0)) * (0.5 + 0.5 * score / best.max(f32::EPSILON)),
                ),
            })
            .collect()
    }
}

/// The English of an entry, field by field, with each field's weight.
fn fields(e: &Entry, add: &mut impl FnMut(&str, f32)) {
    if let Some(s) = &e.situation {
        for d in &s.describes {
            add(d, 3.0);
        }
    }
    for w in &e.en_ui {
        add(w, 2.0);
    }
    add(&e.en.translation, 2.0);
    add(&e.en.cause, 1.0);
    for o in &e.en.other_causes {
        add(&o.cause, 1.0);
    }
    for f in &e.en.fixes {
        add(f, 1.0);
    }
}

/// Whether `text` reads as English prose worth a search: a few words of letters, not a
/// code, a JSON object or a log line.
pub(crate) fn is_prose(text: &str) -> bool {
    let mut letters = 0usize;
    let mut other = 0usize;
    let mut han = 0usize;
    // words, and words of two letters or more (stray letters in Chinese text are no prose)
    let (mut words, mut long_words) = (0usize, 0usize);
    let mut word_len = 0usize;
    for c in text.chars().take(20_000) {
        if c.is_ascii_alphabetic() {
            letters += 1;
            word_len += 1;
            if word_len == 1 {
                words += 1;
            } else if word_len == 2 {
                long_words += 1;
            }
            continue;
        }
        // an apostrophe goes on with the word (can't, Alipay's)
        if !(c == '\'' || c == '’') {
            word_len = 0;
        }
        if c.is_ascii_punctuation() && !matches!(c, '.' | ',' | '?' | '!' | '\'' | '-' | '(' | ')')
        {
            other += 1;
        } else if crate::normalize::is_han(c) {
            han += 1;
        }
    }
    words >= 3 && long_words >= 2 && other * 10 <= letters && han <= letters
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_letters_in_chinese_are_no_prose() {
        // found by tests/properties.rs: three one-letter "words" made a Chinese paste prose
        assert!(!is_prose("你的银行卡信息认证失败Dꡀa®A"));
        assert!(!is_prose("银行卡信息认证失败 OK 请 try 稍后再试再试再试"));
        assert!(is_prose("I tapped 添加银行卡 and nothing happened"));
        assert!(is_prose("I can't add my card"));
    }

    #[test]
    fn prose_is_words_not_json_or_codes() {
        assert!(is_prose("the test deposit never arrived"));
        assert!(!is_prose("ACQ.TRADE_NOT_EXIST"));
        assert!(!is_prose(
            r#"{"code":"40004","msg":"Business Failed","sub_code":"x"}"#
        ));
        assert!(!is_prose("hi"));
    }

    #[test]
    fn a_description_finds_its_situation_and_prose_finds_nothing() {
        let c = Catalog::builtin().unwrap();
        let index = Index::new(&c);
        let found = index.search(
            "the field only allows for up to 16 digits and my bank card has 19",
            Audience::User,
        );
        let ids: Vec<&str> = found
            .iter()
            .map(|d| c.iter().nth(d.entry).unwrap().id.as_str())
            .collect();
        assert_eq!(
            ids.first(),
            Some(&"bank_card.situation_card_number_too_long")
        );
        assert!(found.iter().all(|d| d.confidence < 0.8));
        assert!(index
            .search(
                "the weather was lovely and we walked along the river",
                Audience::User
            )
            .is_empty());
    }
}
