/*!
Finding known messages in a text: exact and normalised matches, and codes.

Every template is anchored on its first literal piece. An Aho-Corasick automaton over all
anchors (in key space, see [`crate::normalize`]) finds where templates may start; each
candidate is then verified piece by piece: the next literal is looked for within the bounded
reach of the slot before it, and the original text between the two literals must be a value
of the slot's type. Fuzzy matching (see [`crate::fuzzy`]) handles what this cannot.

Candidates from all layers compete for the text: the one that explains more of it wins
(leftmost-longest across entries), and overlapping losers are dropped ([`select`]).

The files of this folder:

- `mod.rs`: the [`Index`] (the catalog's tables, embedded and user, as two [`Part`]s), the
  candidate type [`Found`], fuzzy candidates by shared bigrams, and [`select`].
- `anchors.rs`: where templates may start: the anchor automaton for long texts and scans, a
  sorted-table lookup for short pastes, and [`Index::find_exact`].
- `verify.rs`: a template checked piece by piece from its anchor, slot values read and typed,
  the match graded exact or normalised.
- `codes.rs`: codes as whole tokens (`ALIN10146`, `ACQ.TRADE_NOT_EXIST`), in one pass over
  the bytes of a text, with cheap filters before any hashing.
- `gate.rs`: the gate to the English templates: their most distinctive word pairs, checked
  in the same pass as the codes, so that log lines skip the English search.
*/

mod anchors;
mod codes;
mod gate;
mod verify;

pub(crate) use verify::{extend_end, extend_start};

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use alipay_explain_prep::tables::{EntryParts, Tables, TemplateRow};

use self::anchors::Automaton;
use self::codes::Shapes;
use self::gate::{length_bit, Gate};
use crate::catalog::{Catalog, BUILTIN_TABLES};

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
    /// The message is there, but inside a longer sentence that says more than it (a short
    /// template such as 账户存在风险 inside 对方账户存在风险，暂时无法转账): the confidence
    /// says how much of the sentence it explains.
    Contained,
    /// Not a message: English text that describes the problem an entry is about ("the test
    /// deposit never arrived"). Never certain; the confidence says how much of the text the
    /// entry accounts for.
    Described,
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

/// One source of templates: the embedded catalog (tables prepared at build time) or the
/// user's catalogs (tables prepared at load), in one representation.
#[derive(Debug)]
pub(crate) struct Part {
    tables: Cow<'static, Tables>,
    /// Entries whose templates and codes in this part are switched off (embedded entries a
    /// user entry replaced).
    disabled: Vec<bool>,
}

impl Part {
    /// Template `ti`.
    fn template(&self, ti: u32) -> Option<&TemplateRow> {
        self.tables.templates.get(ti as usize)
    }

    fn live(&self, entry: u32) -> bool {
        !self.disabled.get(entry as usize).copied().unwrap_or(false)
    }

    fn live_template(&self, ti: u32) -> bool {
        self.template(ti).is_some_and(|t| self.live(t.entry))
    }
}

/// A template that fuzzy matching should align with a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// The entry's position in the catalog.
    pub(crate) entry: usize,
    /// Which of its templates.
    pub(crate) template: usize,
}

/// The most templates fuzzy matching aligns with one region of text.
const MAX_FUZZY_CANDIDATES: usize = 24;

/// Texts with keys longer than this are searched with the automaton.
const SHORT_KEY: usize = 2048;

/// The catalog prepared for matching.
#[derive(Debug)]
pub(crate) struct Index {
    /// The embedded part, then the user part.
    pub(crate) parts: [Part; 2],
    /// Built on first use, for long texts and scans: a paste never pays for it.
    automaton: OnceLock<Result<Automaton, String>>,
    /// The shapes of the gate words of the templates whose anchor is all ASCII (English
    /// messages): a text holds such a template only if it has one of these words. Built on
    /// first use.
    english_gate: OnceLock<Gate>,
    /// Code key → the entries of every live code; built on first use.
    codes: OnceLock<HashMap<String, Vec<u32>>>,
    /// The lengths and first three letters of all code keys, to rule out most tokens before
    /// their key is built and looked up.
    code_shapes: Shapes,
    /// By first letter (lower case): the lengths of the code keys, as bits (see
    /// [`length_bit`]); the first, cheapest test of a token.
    code_first: [u64; 128],
}

impl Index {
    pub(crate) fn new(catalog: &Catalog) -> Index {
        let n_builtin = catalog.builtin_len();
        let builtin = Part {
            tables: if n_builtin > 0 {
                Cow::Borrowed(&BUILTIN_TABLES)
            } else {
                Cow::Owned(Tables::default())
            },
            disabled: (0..n_builtin).map(|i| catalog.is_user(i)).collect(),
        };
        // the user's entries, numbered by their place in the catalog (the embedded ones
        // before them count as entries without templates or codes)
        let user = Part {
            tables: Cow::Owned(Tables::build((0..catalog.len()).map(|i| {
                match catalog.entry_at(i).filter(|_| catalog.is_user(i)) {
                    Some(e) => EntryParts {
                        codes: &e.codes,
                        templates: &e.templates,
                    },
                    None => EntryParts {
                        codes: &[],
                        templates: &[],
                    },
                }
            }))),
            disabled: Vec::new(),
        };
        let parts = [builtin, user];
        let mut code_shapes = Shapes::default();
        let mut code_first = [0; 128];
        for p in &parts {
            for i in 0..p.tables.codes.len() {
                let key = p.tables.code(i).0;
                code_shapes.insert(key);
                if let Some(&first) = key.as_bytes().first() {
                    code_first[usize::from(first & 0x7F)] |= length_bit(key.len());
                }
            }
        }
        Index {
            parts,
            automaton: OnceLock::new(),
            english_gate: OnceLock::new(),
            codes: OnceLock::new(),
            code_shapes,
            code_first,
        }
    }

    /// Builds the automaton now (it is otherwise built for the first long text).
    pub(crate) fn prepare(&self) -> Result<(), String> {
        match self.automaton() {
            Ok(_) => Ok(()),
            Err(e) => Err(e.clone()),
        }
    }

    /// The templates that share enough bigrams with `have` (sorted, distinct) to be worth
    /// aligning: (entry, template number), at most [`MAX_FUZZY_CANDIDATES`] of them, those
    /// that share the largest part of their bigrams first. The cap keeps the cost of a noisy
    /// paste flat however large the catalog grows.
    pub(crate) fn fuzzy_candidates(&self, have: &[u64]) -> Vec<Candidate> {
        let mut out: Vec<(f64, usize, usize)> = Vec::new();
        for part in &self.parts {
            // counts by template, and the templates touched: no hashing in the inner loop
            let mut counts: Vec<u32> = Vec::new();
            let mut touched: Vec<u32> = Vec::new();
            let grams = &part.tables.bigrams;
            for &g in have {
                let lo = grams.partition_point(|b| b.gram < g);
                for ti in grams[lo..]
                    .iter()
                    .take_while(|b| b.gram == g)
                    .map(|b| b.template)
                {
                    let i = ti as usize;
                    if i >= counts.len() {
                        counts.resize(i + 1, 0);
                    }
                    if counts[i] == 0 {
                        touched.push(ti);
                    }
                    counts[i] += 1;
                }
            }
            for ti in touched {
                let shared = counts[ti as usize];
                let Some(&TemplateRow {
                    entry,
                    nth,
                    bigrams: n,
                    ..
                }) = part.template(ti)
                else {
                    continue;
                };
                // a third of the pairs (one pair of a very short template)
                if part.live(entry) && shared * 3 >= n {
                    out.push((
                        f64::from(shared) / f64::from(n.max(1)),
                        entry as usize,
                        nth as usize,
                    ));
                }
            }
        }
        out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        out.truncate(MAX_FUZZY_CANDIDATES);
        out.into_iter()
            .map(|(_, entry, template)| Candidate { entry, template })
            .collect()
    }
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
