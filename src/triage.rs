/*!
When no known message matches: a guess at the area a message-like text belongs to, what such
messages usually mean, and the first steps for that area.

A text looks like a message when one of its short sentences (at most [`MAX_SENTENCE`] key
characters) holds a word of trouble (失败, 无法, 冻结, 风险 … the `signals` of
`data/triage.json`) and, within [`NEAR`] characters of it, a word of some area (付款, 转账,
银行卡, 刷脸, 登录 …). Each area's words
count by their length, double when the word itself says what went wrong (风险, 冻结); the
area with the most wins, earlier areas of the file on a tie (the actions — transfer, top-up,
payment — before the states they affect). The confidence is the winner's share of all the
areas' weight, at most [`MAX_CONFIDENCE`]: a triage is a guess, never an answer.
*/

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Category};
use crate::template::replace_slots;

/// A triage is a guess: never more sure than this.
const MAX_CONFIDENCE: f64 = 0.6;
/// Longer sentences are prose, not a message…
const MAX_SENTENCE: usize = 40;
/// …and so are longer lines (in characters other than spaces).
const MAX_LINE: usize = 60;
/// An area word counts within this many characters of a word of trouble.
const NEAR: usize = 6;

/// Where `word` occurs in `key`, as character ranges.
fn char_spans<'a>(key: &'a str, word: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    let n = word.chars().count();
    key.match_indices(word).map(move |(at, _)| {
        let start = key[..at].chars().count();
        (start, start + n)
    })
}

/// A guess at what kind of problem an unknown message is about.
///
/// ```
/// let explainer = alipay_explain::Explainer::new().unwrap();
/// let out = explainer.explain("充值失败了怎么办");
/// if out.matches.is_empty() {
///     let t = out.triage.expect("a message-like text gets a triage");
///     assert_eq!(t.category, alipay_explain::Category::Topup);
///     assert!(t.confidence <= 0.6 && !t.advice.is_empty());
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Triage {
    /// The likely area.
    pub category: Category,
    /// How sure the guess is, from 0 to 0.6.
    pub confidence: f64,
    /// What messages of that area usually mean.
    pub means: String,
    /// General first steps for the area, most useful first.
    pub advice: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Areas {
    signals: Vec<String>,
    areas: Vec<Area>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Area {
    category: Category,
    words: Vec<String>,
    means: String,
    advice: Vec<String>,
}

/// `data/triage.json`: the words of trouble, and each area's words, meaning and first steps.
static TRIAGE_JSON: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/triage.json"));

/// The areas, parsed on first use (the file is checked by the tests; broken, it guesses
/// nothing).
fn areas() -> Option<&'static Areas> {
    static AREAS: OnceLock<Option<Areas>> = OnceLock::new();
    AREAS
        .get_or_init(|| {
            let mut a: Areas = serde_json::from_str(TRIAGE_JSON).ok()?;
            // compared with keys: lower case, simplified, no punctuation
            for w in a.signals.iter_mut() {
                *w = crate::normalize::key(w);
            }
            for area in a.areas.iter_mut() {
                for w in area.words.iter_mut() {
                    *w = crate::normalize::key(w);
                }
            }
            Some(a)
        })
        .as_ref()
}

/// The triage of `text`, if some sentence of it reads as a message of some area.
pub(crate) fn triage(text: &str) -> Option<Triage> {
    let areas = areas()?;
    let mut weight = vec![0.0f64; areas.areas.len()];
    // a message stands on a short line of its own (a screen's lines, a pasted dialog); a long
    // line is prose that may mention trouble in passing
    let sentences = text
        .lines()
        .take(200)
        .filter(|line| line.chars().filter(|c| !c.is_whitespace()).count() <= MAX_LINE)
        .flat_map(|line| line.split(['。', '！', '？', '!', '?', '；', ';']))
        // 支付宝 names the app, not an area (and holds 支付)
        .map(|s| crate::normalize::key(s).replace("支付宝", ""))
        .filter(|k| !k.is_empty() && k.chars().count() <= MAX_SENTENCE);
    for key in sentences {
        // where the words of trouble are, in characters
        let signals: Vec<(usize, usize)> = areas
            .signals
            .iter()
            .flat_map(|s| char_spans(&key, s))
            .collect();
        if signals.is_empty() {
            continue;
        }
        for (i, area) in areas.areas.iter().enumerate() {
            for w in &area.words {
                // an area word counts next to a word of trouble (or being one)
                let near = char_spans(&key, w)
                    .any(|(a, b)| signals.iter().any(|&(s, e)| s <= b + NEAR && a <= e + NEAR));
                if !near {
                    continue;
                }
                let says_what_went_wrong = areas.signals.iter().any(|s| w.contains(s.as_str()));
                let n = w.chars().count() as f64;
                weight[i] += if says_what_went_wrong { 2.0 * n } else { n };
            }
        }
    }
    let total: f64 = weight.iter().sum();
    // the first of the heaviest
    let (best, &w) = weight
        .iter()
        .enumerate()
        .reduce(|a, b| if b.1 > a.1 { b } else { a })?;
    if w <= 0.0 {
        return None;
    }
    let area = &areas.areas[best];
    Some(Triage {
        category: area.category,
        confidence: (MAX_CONFIDENCE * w / total * 100.0).round() / 100.0,
        means: area.means.clone(),
        advice: area.advice.clone(),
    })
}

/// Entries of `category` whose Chinese templates share the most character pairs with
/// `text` (Dice's coefficient of the keys' bigrams, at least [`MIN_ALIKE`]): at most three, as
/// (entry position, template, how alike).
pub(crate) fn closest(
    catalog: &Catalog,
    category: Category,
    text: &str,
) -> Vec<(usize, usize, f64)> {
    let key: Vec<char> = crate::normalize::key(text).chars().take(400).collect();
    let pairs =
        |k: &[char]| -> BTreeSet<(char, char)> { k.windows(2).map(|w| (w[0], w[1])).collect() };
    let mine = pairs(&key);
    if mine.is_empty() {
        return Vec::new();
    }
    let mut best: Vec<(usize, usize, f64)> = Vec::new();
    for (i, e) in catalog
        .iter()
        .enumerate()
        .filter(|(_, e)| e.category == category)
    {
        let alike =
            e.zh.iter()
                .enumerate()
                .map(|(n, t)| {
                    let theirs: Vec<char> = crate::normalize::key(&replace_slots(t, |_, _| {}))
                        .chars()
                        .collect();
                    let theirs = pairs(&theirs);
                    let common = mine.intersection(&theirs).count();
                    (
                        n,
                        2.0 * common as f64 / (mine.len() + theirs.len()).max(1) as f64,
                    )
                })
                .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((n, alike)) = alike.filter(|a| a.1 >= MIN_ALIKE) {
            best.push((i, n, (alike * 100.0).round() / 100.0));
        }
    }
    best.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    best.truncate(3);
    best
}

/// Closest entries share at least this much (Dice's coefficient of character pairs).
const MIN_ALIKE: f64 = 0.25;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_triage_file_parses_and_covers_every_category() {
        let a: Areas = serde_json::from_str(TRIAGE_JSON).unwrap();
        for c in [
            "registration",
            "login",
            "verification",
            "bank_card",
            "payment",
        ]
        .iter()
        .chain(&[
            "risk_control",
            "account",
            "transfer",
            "topup",
            "international",
        ])
        .chain(&["system", "status", "api"])
        {
            let c: Category = c.parse().unwrap();
            assert!(a.areas.iter().any(|x| x.category == c), "{c}");
        }
        assert!(a
            .areas
            .iter()
            .all(|x| !x.advice.is_empty() && !x.words.is_empty()));
    }

    #[test]
    fn guesses_the_area_of_a_short_message() {
        let t = triage("转账失败退回").unwrap();
        assert_eq!(t.category, Category::Transfer);
        assert!(t.confidence <= MAX_CONFIDENCE);
        assert_eq!(
            triage("支付宝被风控").unwrap().category,
            Category::RiskControl
        );
        // no trouble word: nothing; a long sentence of news: nothing
        assert!(triage("转账到银行卡").is_none());
        assert!(triage(
            &"据统计今年全国银行卡支付业务量增长较快但也存在一定风险，监管部门将加强限制和规范管理"
                .repeat(2)
        )
        .is_none());
    }
}
