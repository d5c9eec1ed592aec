/*!
The explainer: a catalog prepared for matching, and what it says about a text.
*/

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::catalog::{Audience, Catalog, Entry};
use crate::describe;
use crate::error::Error;
use crate::fuzzy;
use crate::matcher::{self, Found, Index, MatchKind};
use crate::normalize::Normalized;
use crate::screen;
use crate::template::fill;

mod answer;
mod judge;
mod leftover;

pub use self::answer::{Explanation, Match, Suggestion, Unmatched};
use self::leftover::unmatched;

use self::judge::Reader;

/// Fuzzy alignments below this confidence are suggestions, not matches.
pub const MATCH_THRESHOLD: f64 = 0.5;
/// Texts with more key characters than this get no fuzzy matching (it is quadratic per
/// region); exact and normalised matching still run on every byte.
const FUZZY_LIMIT: usize = 20_000;
/// `find_matches` (scans) leaves out `contained` matches of templates this short (in key
/// characters): inside a log field's sentence they are far more often a word than a message.
const SHORT_CONTAINED: usize = 8;
/// Unmatched text beyond this many bytes (in total) is reported but not glossed.
const GLOSS_LIMIT: usize = 64 * 1024;

/// Explains Alipay messages, from the embedded catalog and any catalog files you add.
///
/// Build it once and call [`explain`](Explainer::explain) as often as you like, from any
/// thread: it is `Send + Sync`, and `explain` never panics, whatever the input.
///
/// # Examples
///
/// ```
/// use alipay_explain::{Explainer, MatchKind};
///
/// let explainer = Explainer::new()?;
/// let out = explainer.explain("你的银行卡信息认证失败，请更换银行卡重新认证或撤销认证7天后（2016年3月2日）使用原银行卡重新认证");
/// let m = &out.matches[0];
/// assert_eq!(m.kind, MatchKind::Exact);
/// assert_eq!(m.slots["days"], "7");
/// assert_eq!(m.slots["date"], "2016年3月2日");
/// assert!(m.translation.contains("7 days"));
/// # Ok::<(), alipay_explain::Error>(())
/// ```
#[derive(Debug)]
pub struct Explainer {
    catalog: Catalog,
    index: Index,
    fuzzy: bool,
    replaced: Vec<String>,
    /// Whom to answer; `None`: decided by each paste (see [`Explanation::reader`]).
    reader: Option<Audience>,
    /// The entries' English, indexed for descriptions on first use.
    described: OnceLock<describe::Index>,
}

/// Builds an [`Explainer`] with other catalogs or settings.
///
/// # Examples
///
/// ```
/// use alipay_explain::Explainer;
///
/// let json = r#"{"entries": [{"id": "payment.my_shop_closed", "category": "payment",
///   "zh": ["本店已打烊"], "en": {"translation": "This shop is closed.",
///   "cause": "The shop has stopped taking orders.", "cause_basis": "one_report", "fixes": ["Come back tomorrow."]},
///   "sources": ["https://example.com/shop"]}]}"#;
/// let explainer = Explainer::builder().catalog_json("shop.json", json).build()?;
/// let out = explainer.explain("提示：本店已打烊");
/// assert_eq!(out.matches[0].id, "payment.my_shop_closed");
/// # Ok::<(), alipay_explain::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ExplainerBuilder {
    builtin: bool,
    paths: Vec<PathBuf>,
    jsons: Vec<(String, String)>,
    fuzzy: bool,
    reader: Option<Audience>,
}

impl Default for ExplainerBuilder {
    fn default() -> ExplainerBuilder {
        ExplainerBuilder::new()
    }
}

impl ExplainerBuilder {
    /// A builder with the embedded catalog and fuzzy matching on.
    pub fn new() -> ExplainerBuilder {
        ExplainerBuilder {
            builtin: true,
            paths: Vec::new(),
            jsons: Vec::new(),
            fuzzy: true,
            reader: None,
        }
    }

    /// Whether to start from the embedded catalog (default: yes).
    pub fn builtin(&mut self, yes: bool) -> &mut ExplainerBuilder {
        self.builtin = yes;
        self
    }

    /// Adds a catalog file, or a folder of `*.json` catalog files. Repeatable; entries
    /// replace embedded ones with the same id.
    pub fn catalog_path<P: AsRef<Path>>(&mut self, path: P) -> &mut ExplainerBuilder {
        self.paths.push(path.as_ref().to_owned());
        self
    }

    /// Adds a catalog from JSON text; `origin` names it in errors.
    pub fn catalog_json(&mut self, origin: &str, json: &str) -> &mut ExplainerBuilder {
        self.jsons.push((origin.to_owned(), json.to_owned()));
        self
    }

    /// Whether to look for messages with characters wrong, missing or cut off (default: yes).
    /// Turn it off for bulk scans, where only messages that are really there should count.
    pub fn fuzzy(&mut self, yes: bool) -> &mut ExplainerBuilder {
        self.fuzzy = yes;
        self
    }

    /// Whom to answer: `Audience::User` (someone using the app) or `Audience::Developer`
    /// (someone integrating Alipay). By default each paste decides: JSON, an open-platform
    /// response, a log line or a bare code is a developer's; a screen, a sentence or an
    /// e-mail an app user's. When entries of both audiences explain the same text, the
    /// reader's wins.
    pub fn reader(&mut self, reader: Option<Audience>) -> &mut ExplainerBuilder {
        self.reader = reader.filter(|r| *r != Audience::Both);
        self
    }

    /// Builds the explainer. All or nothing: one bad catalog file fails the build.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] for a path that cannot be read, [`Error::Catalog`] for the first
    /// defect in a catalog file (or a conflict between two of them).
    pub fn build(&self) -> Result<Explainer, Error> {
        let mut user = Catalog::new();
        for path in &self.paths {
            user.extend(Catalog::load(path)?)?;
        }
        for (origin, json) in &self.jsons {
            user.extend(Catalog::from_json(origin, json)?)?;
        }
        let has_user = !user.is_empty();
        let mut catalog = if self.builtin {
            Catalog::builtin()?
        } else {
            Catalog::new()
        };
        let replaced = catalog.merge(user);
        if has_user {
            catalog.check_consistency()?;
        }
        let index = Index::new(&catalog);
        Ok(Explainer {
            catalog,
            index,
            fuzzy: self.fuzzy,
            replaced,
            reader: self.reader,
            described: OnceLock::new(),
        })
    }
}

impl Explainer {
    /// An explainer over the embedded catalog.
    ///
    /// # Errors
    ///
    /// Only if the embedded catalog were broken, which the crate's tests rule out.
    pub fn new() -> Result<Explainer, Error> {
        ExplainerBuilder::new().build()
    }

    /// A builder, to add catalog files or change settings.
    pub fn builder() -> ExplainerBuilder {
        ExplainerBuilder::new()
    }

    /// The catalog in use.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The ids of embedded entries that added catalogs replaced.
    pub fn replaced(&self) -> &[String] {
        &self.replaced
    }

    /// Builds everything that is otherwise built on first use, so that the first
    /// [`explain`](Explainer::explain) is as fast as the others.
    ///
    /// # Errors
    ///
    /// If the matching automaton cannot be built (the catalog would be far too large).
    pub fn prepare(&self) -> Result<(), Error> {
        self.index.prepare().map_err(Error::Index)?;
        Ok(())
    }

    /// Explains `input`: every known message in it, and a gloss of the rest.
    ///
    /// Never panics. Very long inputs are matched throughout, but fuzzy matching and
    /// glossing stop at a bounded size.
    pub fn explain(&self, input: &str) -> Explanation {
        let reader = Reader::new(self.reader, input);
        let (found, suggestions) = self.find(input, true, &reader);
        let mut matches: Vec<Match> = found
            .iter()
            .filter_map(|f| self.to_match(input, f))
            .collect();
        let unmatched = unmatched(input, &found);
        let described = self.described(input, &unmatched, &found, &reader);
        matches.extend(described.iter().filter_map(|f| self.to_match(input, f)));
        let suggestions = suggestions
            .iter()
            .filter_map(|f| {
                let e = self.entry(f.entry)?;
                Some(Suggestion {
                    id: e.id.clone(),
                    confidence: f.confidence,
                    start: f.start,
                    end: f.end,
                    template: template_text(e, f.template),
                    translation: fill(&e.en.translation, &f.slots),
                })
            })
            .collect();
        let (triage, suggestions) = self.triage(input, &matches, suggestions);
        Explanation {
            input: input.to_owned(),
            reader: reader.get(),
            matches,
            unmatched,
            suggestions,
            triage,
        }
    }

    /// Explains bytes: UTF-8, else GB18030, else UTF-8 with the bad bytes replaced.
    ///
    /// ```
    /// let explainer = alipay_explain::Explainer::new().unwrap();
    /// let out = explainer.explain_bytes(b"\xff\xfe junk \x00");
    /// assert!(out.matches.is_empty());
    /// ```
    pub fn explain_bytes(&self, input: &[u8]) -> Explanation {
        self.explain(&crate::input::decode_lossy(input))
    }

    /// Only the known messages in `input`, without glossing the rest: the fast path for
    /// scanning logs.
    ///
    /// ```
    /// let explainer = alipay_explain::Explainer::builder().fuzzy(false).build().unwrap();
    /// let found = explainer.find_matches("2026-11-05 [WARN] msg=系统繁忙，请稍后再试（ALIN10146）");
    /// assert_eq!(found.len(), 1);
    /// assert_eq!(found[0].slots["code"], "ALIN10146");
    /// ```
    pub fn find_matches(&self, input: &str) -> Vec<Match> {
        let reader = Reader::new(self.reader, input);
        let (found, _) = self.find(input, false, &reader);
        found
            .iter()
            // a short message inside a log field's longer sentence is not worth a report
            .filter(|f| f.kind != MatchKind::Contained || f.found_chars > SHORT_CONTAINED)
            .filter_map(|f| self.to_match(input, f))
            .collect()
    }

    fn entry(&self, i: usize) -> Option<&Entry> {
        self.catalog.entry_at(i)
    }

    /// The selected matches, and suggestions when asked for, judged for the reader (see
    /// [`Explainer::judge`]). Status bars and button rows of a screen are blanked first.
    fn find(&self, input: &str, suggest: bool, reader: &Reader<'_>) -> (Vec<Found>, Vec<Found>) {
        let masked = screen::mask(input);
        let (found, mut suggestions) = self.find_raw(&masked, suggest, reader);
        let (kept, demoted) = self.judge(&masked, found, reader);
        if suggest {
            suggestions.extend(demoted);
            suggestions = best_suggestions(suggestions, &kept);
        }
        (kept, suggestions)
    }

    /// [`Explainer::find`] before judging.
    fn find_raw(
        &self,
        input: &str,
        suggest: bool,
        reader: &Reader<'_>,
    ) -> (Vec<Found>, Vec<Found>) {
        // per-thread buffers: scans call this for every line
        thread_local! {
            static SCRATCH: RefCell<(String, Normalized)> = RefCell::default();
        }
        let mut cands = Vec::new();
        let english = self.index.find_codes(&self.catalog, input, &mut cands);
        if !self.fuzzy && !english && input.is_ascii() {
            // a text of ASCII only can hold codes, and an English template only if it has
            // one of their gate words: nothing else
            self.prefer_reader(&mut cands, reader);
            return (matcher::select(cands), Vec::new());
        }
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => {
                let (key, norm) = &mut *scratch;
                self.find_in(input, key, norm, cands, english, suggest, reader)
            }
            Err(_) => self.find_in(
                input,
                &mut String::new(),
                &mut Normalized::default(),
                cands,
                english,
                suggest,
                reader,
            ),
        })
    }

    /// [`Explainer::find`] after the codes: `cands` holds them, and `english` says whether
    /// the text passed the gate of English templates.
    #[allow(clippy::too_many_arguments)]
    fn find_in(
        &self,
        input: &str,
        key: &mut String,
        norm: &mut Normalized,
        mut cands: Vec<Found>,
        english: bool,
        suggest: bool,
        reader: &Reader<'_>,
    ) -> (Vec<Found>, Vec<Found>) {
        // a first look at the key alone: most lines of a log hold no anchor at all, and
        // never need the full map back to the input
        let mut hits = Vec::new();
        if english || !self.index.chinese_anchor_hits(input, key, &mut hits) {
            Normalized::key_only(input, key);
            self.index.anchor_hits(key, english, &mut hits);
        }
        if hits.is_empty() && cands.is_empty() && !self.fuzzy {
            return (Vec::new(), Vec::new());
        }
        norm.reset(input);
        let norm = &*norm;
        self.index
            .find_exact(&self.catalog, input, norm, &hits, &mut cands);
        self.prefer_reader(&mut cands, reader);
        // the candidates are needed again only if fuzzy matching runs (scans: never)
        let mut chosen = if self.fuzzy {
            matcher::select(cands.clone())
        } else {
            matcher::select(std::mem::take(&mut cands))
        };
        let mut suggestions = Vec::new();
        // Fuzzy matching runs when exact matching left text unexplained, and then over the
        // whole text: a slip inside a long message often leaves a shorter message exact
        // (系统繁忙 inside 系统繁忙，请梢后再试), and the long one must be able to win.
        if self.fuzzy && norm.len() <= FUZZY_LIMIT && !uncovered(norm, &chosen).is_empty() {
            let mut fuzzy = Vec::new();
            fuzzy::find(
                &self.index,
                &self.catalog,
                input,
                norm,
                (0, norm.len()),
                &mut fuzzy,
            );
            if !fuzzy.is_empty() {
                temper_ambiguous(&mut fuzzy);
                let (strong, weak): (Vec<Found>, Vec<Found>) = fuzzy
                    .into_iter()
                    .partition(|f| f.confidence >= MATCH_THRESHOLD);
                cands.extend(strong);
                self.prefer_reader(&mut cands, reader);
                chosen = matcher::select(cands);
                if suggest {
                    suggestions = best_suggestions(weak, &chosen);
                }
            }
        }
        // a bare code adds nothing when its entry is already explained by its text
        let by_text: Vec<usize> = chosen
            .iter()
            .filter(|f| f.template.is_some())
            .map(|f| f.entry)
            .collect();
        chosen.retain(|f| f.template.is_some() || !by_text.contains(&f.entry));
        (chosen, suggestions)
    }

    fn to_match(&self, input: &str, f: &Found) -> Option<Match> {
        let e = self.entry(f.entry)?;
        let template = template_text(e, f.template);
        Some(Match {
            id: e.id.clone(),
            category: e.category,
            kind: f.kind,
            confidence: f.confidence,
            start: f.start,
            end: f.end,
            text: input[f.start..f.end].to_owned(),
            template,
            slots: f.slots.clone(),
            translation: fill(&e.en.translation, &f.slots),
            cause: fill(&e.en.cause, &f.slots),
            cause_basis: e.en.cause_basis,
            other_causes: e.en.other_causes.clone(),
            fixes: e.en.fixes.iter().map(|x| fill(x, &f.slots)).collect(),
            before_retry: e.en.before_retry.as_ref().map(|x| fill(x, &f.slots)),
            audience: e.audience,
            reported: e.reported.clone(),
            handling: e.handling.clone(),
            codes: e.codes.clone(),
            sources: e.sources.clone(),
            contacts: e
                .contacts
                .iter()
                .filter_map(|c| self.catalog.contact(c).cloned())
                .collect(),
        })
    }
}

/// The text of template `nth` of `e`, or `""` for a match on a bare code.
fn template_text(e: &Entry, nth: Option<usize>) -> String {
    nth.and_then(|n| e.zh.iter().chain(&e.en_ui).nth(n))
        .cloned()
        .unwrap_or_default()
}

/// Runs of three or more key characters that no chosen match covers, as char index ranges.
fn uncovered(norm: &Normalized, chosen: &[Found]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut run: Option<usize> = None;
    for (i, kc) in norm.chars.iter().enumerate() {
        let covered = chosen
            .iter()
            .any(|f| (kc.start as usize) >= f.start && (kc.end as usize) <= f.end);
        match (covered, run) {
            (false, None) => run = Some(i),
            (true, Some(s)) => {
                out.push((s, i));
                run = None;
            }
            _ => {}
        }
    }
    if let Some(s) = run {
        out.push((s, norm.len()));
    }
    out.retain(|(a, b)| b - a >= 3);
    out
}

/// When two different entries fit the same words about equally well, neither is sure.
/// A rival explains about as much of the same words (a template that only covers part of
/// them, such as a shorter message inside a longer one, is no rival).
fn temper_ambiguous(fuzzy: &mut [Found]) {
    let snapshot: Vec<(usize, usize, usize, f64, usize)> = fuzzy
        .iter()
        .map(|f| (f.entry, f.start, f.end, f.confidence, f.found_chars))
        .collect();
    for f in fuzzy.iter_mut() {
        let rival = snapshot.iter().any(|&(e, s, end, c, found)| {
            e != f.entry
                && s < f.end
                && f.start < end
                && c >= f.confidence - 0.05
                && found + 1 >= f.found_chars
        });
        if rival {
            f.confidence = f.confidence.min(0.7);
        }
    }
}

/// Up to three weak candidates, one per entry, outside the chosen matches, best first.
fn best_suggestions(mut weak: Vec<Found>, chosen: &[Found]) -> Vec<Found> {
    weak.retain(|w| chosen.iter().all(|c| w.end <= c.start || w.start >= c.end));
    weak.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.start.cmp(&b.start))
    });
    let mut out: Vec<Found> = Vec::new();
    for w in weak {
        if out.len() < 3 && out.iter().all(|o| o.entry != w.entry) {
            out.push(w);
        }
    }
    out
}
