/*!
Output: text for people, JSON for scripts.

Text output leads with what a stuck person needs: what the message says, why, and what to do
now, then who must act and a sentence to show staff. Uncertain matches say so in words, not
only in a number. Colour is a hint, never the only carrier of meaning.
*/

use std::io::{self, IsTerminal, Write};

use alipay_explain::{CauseBasis, Entry, Explanation, Match, MatchKind, Triage, Unmatched};

use crate::args::Common;
use crate::styles::{DIM, ID, LABEL, TITLE, WARN};

/// How an explanation is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// The full text report, for people.
    Full,
    /// One line per match (`--brief`).
    Brief,
    /// One line of JSON (`--json`).
    Json,
}

/// Where text for people is wrapped: at a number of columns, or not at all.
///
/// On a terminal, at its width; into a pipe or a file, not at all (each paragraph stays one
/// line, as scripts and `grep` expect), unless `--width` says otherwise. Widths are display
/// columns: a Chinese character counts two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wrap(Option<usize>);

impl Wrap {
    /// As `--width` and standard output decide.
    pub(crate) fn for_stdout(common: &Common) -> Wrap {
        match common.width {
            Some(0) => Wrap(None),
            Some(n) => Wrap(Some(n)),
            None if io::stdout().is_terminal() => Wrap(
                terminal_size::terminal_size_of(io::stdout())
                    .map(|(w, _)| usize::from(w.0))
                    .filter(|&w| w >= 20),
            ),
            None => Wrap(None),
        }
    }

    /// Writes `text` after `first` (which may hold colour codes: they take no room), its
    /// further lines indented by `indent` spaces.
    fn para<W: Write>(self, out: &mut W, first: &str, indent: usize, text: &str) -> io::Result<()> {
        let Some(width) = self.0 else {
            return writeln!(out, "{first}{text}");
        };
        let rest = " ".repeat(indent);
        let options = textwrap::Options::new(width)
            .initial_indent(first)
            .subsequent_indent(&rest)
            .word_separator(textwrap::WordSeparator::Custom(words));
        for line in textwrap::wrap(text, options) {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

/// The words of a line for wrapping: runs of text ended by spaces, and each Chinese (or other
/// wide) character on its own, so that a line may break between two of them; closing
/// punctuation (，。）」 …) stays with the character before it, opening punctuation with the
/// one after.
fn words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut starts = vec![0];
    let mut prev: Option<char> = None;
    for (i, c) in line.char_indices() {
        if let Some(p) = prev {
            let after_space = p == ' ' && c != ' ';
            let before_wide = is_wide(c) && !is_closing(c) && !is_opening(p);
            let after_wide = is_wide(p) && !is_opening(p) && c != ' ' && !is_closing(c);
            if after_space || before_wide || after_wide {
                starts.push(i);
            }
        }
        prev = Some(c);
    }
    starts.push(line.len());
    let words: Vec<textwrap::core::Word<'_>> = starts
        .windows(2)
        .map(|w| textwrap::core::Word::from(&line[w[0]..w[1]]))
        .collect();
    Box::new(words.into_iter())
}

/// A character that takes two columns and may stand at the start or end of a line: CJK
/// ideographs, kana, hangul, full-width forms and CJK punctuation.
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}' | '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}' | '\u{20000}'..='\u{3FFFD}')
}

/// Punctuation that must not start a line.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '」'
            | '』'
            | '】'
            | '》'
            | '〉'
            | '”'
            | '’'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '…'
    )
}

/// Punctuation that must not end a line.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '【' | '《' | '〈' | '“' | '‘' | '(' | '['
    )
}

/// An explanation in the chosen style.
pub(crate) fn any<W: Write>(
    out: &mut W,
    style: Style,
    wrap: Wrap,
    e: &Explanation,
) -> io::Result<()> {
    match style {
        Style::Full => explanation(out, wrap, e),
        Style::Brief => brief(out, e),
        Style::Json => json_line(out, e),
    }
}

/// One line per match: id, confidence, translation, separated by tabs.
pub(crate) fn brief<W: Write>(out: &mut W, e: &Explanation) -> io::Result<()> {
    for m in &e.matches {
        writeln!(
            out,
            "{ID}{}{ID:#}\t{:.0}%\t{}",
            m.id,
            m.confidence * 100.0,
            one_line(&m.translation)
        )?;
    }
    Ok(())
}

/// Writes one value as a line of JSON.
///
/// A failed write keeps its kind (serde_json would wrap it as its own error), so a closed pipe
/// is still seen as one and ends the program quietly.
pub(crate) fn json_line<W: Write, T: serde::Serialize>(out: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| match e.io_error_kind() {
        Some(kind) => io::Error::new(kind, e),
        None => io::Error::other(e),
    })?;
    writeln!(out)
}

/// The text report of an explanation.
pub(crate) fn explanation<W: Write>(out: &mut W, wrap: Wrap, e: &Explanation) -> io::Result<()> {
    if e.matches.is_empty() {
        writeln!(out, "{WARN}No known Alipay message found.{WARN:#}")?;
        if let Some(t) = &e.triage {
            triage(out, wrap, t)?;
        }
        if !e.suggestions.is_empty() {
            writeln!(
                out,
                "\n{TITLE}Did you mean{TITLE:#} (the text only resembles these):"
            )?;
            for s in &e.suggestions {
                writeln!(
                    out,
                    "  {ID}{}{ID:#} {DIM}({:.0}% alike){DIM:#}",
                    s.id,
                    s.confidence * 100.0,
                )?;
                wrap.para(out, "    ", 4, &s.template)?;
                wrap.para(out, "    ", 4, &s.translation)?;
            }
        }
    }
    for (i, m) in e.matches.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        one_match(out, wrap, m)?;
    }
    if !e.unmatched.is_empty() {
        let words: usize = e.unmatched.iter().map(|u| u.gloss.len()).sum();
        if words > 0 {
            let title = if e.matches.is_empty() {
                "Word by word"
            } else {
                "Other text, word by word"
            };
            writeln!(out, "\n{TITLE}{title}:{TITLE:#}")?;
            for u in &e.unmatched {
                gloss(out, wrap, u)?;
            }
        }
    }
    if e.matches.is_empty() {
        // the longest line is most likely the message; one that is long or spans lines is
        // better pasted by hand than shown here
        let line = e
            .input
            .lines()
            .map(str::trim)
            .max_by_key(|l| l.chars().count())
            .filter(|l| l.chars().count() <= 80)
            .map_or_else(|| "'…'".to_owned(), shell_quote);
        writeln!(out)?;
        wrap.para(
            out,
            &format!("{DIM}"),
            0,
            "If this is an Alipay message we should know, draft a catalog entry for it (see data/README.md):",
        )?;
        // the command on a line of its own, never wrapped, so that it can be copied
        writeln!(out, "  alipay-explain catalog new {line}")?;
        wrap.para(
            out,
            "",
            0,
            &format!("or report it with where you saw it.{DIM:#}"),
        )?;
    }
    Ok(())
}

/// The guess at the area of an unknown message, worded as a guess.
fn triage<W: Write>(out: &mut W, wrap: Wrap, t: &Triage) -> io::Result<()> {
    let area = match t.category.to_string().as_str() {
        "topup" => "top-up".to_owned(),
        "api" => "developer (open platform)".to_owned(),
        other => other.replace('_', " "),
    };
    writeln!(out)?;
    wrap.para(
        out,
        "",
        0,
        &format!(
            "{TITLE}It looks like a {area} problem{TITLE:#} {DIM}(a guess from its words, {:.0}% sure){DIM:#}. {}",
            t.confidence * 100.0,
            t.means
        ),
    )?;
    writeln!(out, "{LABEL}First steps:{LABEL:#}")?;
    for (i, a) in t.advice.iter().enumerate() {
        let n = format!("  {}. ", i + 1);
        wrap.para(out, &n, n.len(), a)?;
    }
    Ok(())
}

fn one_match<W: Write>(out: &mut W, wrap: Wrap, m: &Match) -> io::Result<()> {
    heading(out, wrap, m)?;
    causes(out, wrap, m)?;
    if m.kind == MatchKind::Contained {
        wrap.para(
            out,
            "  ",
            4,
            &format!(
                "{WARN}Your text says more than this message ({:.0}% of it is the message):{WARN:#} read the rest of the sentence too.",
                m.confidence * 100.0
            ),
        )?;
    }
    what_to_do(out, wrap, m)?;
    footer(out, wrap, m)
}

/// The matched text, how sure the match is, and what the message says.
fn heading<W: Write>(out: &mut W, wrap: Wrap, m: &Match) -> io::Result<()> {
    wrap.para(
        out,
        &format!("{TITLE}● "),
        2,
        &format!("{}{TITLE:#}", one_line(&m.text)),
    )?;
    if m.kind == MatchKind::Described {
        wrap.para(
            out,
            "  ",
            2,
            &format!(
                "{WARN}Matches your description ({:.0}% sure){WARN:#}: a problem people describe this way, not a message you pasted.",
                m.confidence * 100.0
            ),
        )?;
        return wrap.para(
            out,
            &format!("  {LABEL}The problem:{LABEL:#} "),
            4,
            &m.translation,
        );
    }
    if m.confidence < 0.8 {
        wrap.para(
            out,
            "  ",
            2,
            &format!(
                "{WARN}Probably this message ({:.0}% sure){WARN:#}: your text differs from it in places.",
                m.confidence * 100.0
            ),
        )?;
        wrap.para(out, &format!("  {DIM}Known text:{DIM:#} "), 4, &m.template)?;
    }
    wrap.para(
        out,
        &format!("  {LABEL}It says:{LABEL:#} "),
        4,
        &m.translation,
    )
}

/// The cause worded by how well it is known (a single report is never the answer), and the
/// other causes with how to tell them.
fn causes<W: Write>(out: &mut W, wrap: Wrap, m: &Match) -> io::Result<()> {
    let why = match m.cause_basis {
        CauseBasis::OneReport => "Why (one reported case):",
        CauseBasis::Reported => "Why (as reported):",
        _ => "Why:",
    };
    wrap.para(out, &format!("  {LABEL}{why}{LABEL:#} "), 4, &m.cause)?;
    for o in &m.other_causes {
        wrap.para(
            out,
            &format!("  {DIM}Or:{DIM:#} "),
            6,
            &format!("{} {DIM}(you can tell: {}){DIM:#}", o.cause, o.tell),
        )?;
    }
    Ok(())
}

/// The fixes, what to check before retrying, whom to contact and how, and a word on old
/// advice.
fn what_to_do<W: Write>(out: &mut W, wrap: Wrap, m: &Match) -> io::Result<()> {
    writeln!(out, "  {LABEL}What to do:{LABEL:#}")?;
    for (i, f) in m.fixes.iter().enumerate() {
        let n = format!("    {}. ", i + 1);
        wrap.para(out, &n, n.len(), f)?;
    }
    if let Some(b) = &m.before_retry {
        wrap.para(out, &format!("  {WARN}Before you retry:{WARN:#} "), 4, b)?;
    }
    if !m.contacts.is_empty() {
        writeln!(out, "  {LABEL}Who to contact:{LABEL:#}")?;
        for c in &m.contacts {
            wrap.para(
                out,
                "    - ",
                6,
                &format!("{TITLE}{}{TITLE:#}: {}", c.name, c.how),
            )?;
        }
    }
    if let Some(year) = m.reported.as_deref().filter(|r| is_old(r)) {
        let year = year.get(..4).unwrap_or(year);
        wrap.para(
            out,
            "  ",
            4,
            &format!(
                "{WARN}Reported in {year}; screens may have changed.{WARN:#} If a step or option named here is no longer there, ask Alipay's online service (我的 → 客服) or 95188 what replaced it."
            ),
        )?;
    }
    Ok(())
}

/// Advice older than [`OLD_ADVICE_YEARS`] years, by the clock of this machine.
fn is_old(reported: &str) -> bool {
    let Some(year) = reported.get(..4).and_then(|y| y.parse::<u64>().ok()) else {
        return false;
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // years since 1970, near enough for a difference of whole years
    let this_year = 1970 + now / 31_556_952;
    this_year.saturating_sub(year) > OLD_ADVICE_YEARS
}

/// Advice reported more than this many years ago is marked as possibly out of date.
const OLD_ADVICE_YEARS: u64 = 3;

/// Who acts, whether to retry, the sentence for staff, and the id line.
fn footer<W: Write>(out: &mut W, wrap: Wrap, m: &Match) -> io::Result<()> {
    let mut who = Vec::new();
    if m.cause_basis == CauseBasis::OneReport {
        who.push("advice from one reported case".to_owned());
    }
    if let Some(a) = m.handling.actor {
        who.push(format!("who acts: {}", a.name()));
    }
    if let Some(r) = m.handling.retry {
        who.push(format!("retry: {}", retry_words(r)));
    }
    if !who.is_empty() {
        wrap.para(out, "  ", 4, &who.join(" · "))?;
    }
    if let Some(ask) = &m.handling.ask {
        wrap.para(out, &format!("  {LABEL}Show staff:{LABEL:#} "), 14, &ask.zh)?;
        wrap.para(out, "              ", 14, &ask.pinyin)?;
        if let Some(en) = &ask.en {
            wrap.para(out, "              ", 14, &format!("{DIM}({en}){DIM:#}"))?;
        }
    }
    let pct = m.confidence * 100.0;
    let sure = match m.kind {
        MatchKind::Exact => "exact match".to_owned(),
        MatchKind::Normalized => format!("normalized match, {pct:.0}%"),
        MatchKind::Fuzzy => format!("fuzzy match, {pct:.0}%"),
        MatchKind::Contained => format!("contained in a longer sentence, {pct:.0}%"),
        MatchKind::Described => format!("matches your description, {pct:.0}%"),
        _ => format!("{pct:.0}%"),
    };
    wrap.para(
        out,
        &format!("  {DIM}"),
        2,
        &format!("{} · {} · {sure}{DIM:#}", m.id, m.category),
    )
}

fn retry_words(r: alipay_explain::Retry) -> &'static str {
    match r {
        alipay_explain::Retry::Safe => "safe to try again now",
        alipay_explain::Retry::Later => "wait a while, then try again",
        alipay_explain::Retry::AfterWait => "only after the wait the message names",
        alipay_explain::Retry::No => "trying again will not help",
        _ => "see above",
    }
}

fn gloss<W: Write>(out: &mut W, wrap: Wrap, u: &Unmatched) -> io::Result<()> {
    if u.gloss.is_empty() {
        return Ok(());
    }
    wrap.para(out, "  ", 2, &one_line(&u.text))?;
    for g in &u.gloss {
        let en = match &g.en {
            Some(en) => en.clone(),
            None => format!("{DIM}?{DIM:#}"),
        };
        wrap.para(
            out,
            "    ",
            6,
            &format!("{}  {DIM}{}{DIM:#}  {en}", g.word, g.pinyin),
        )?;
    }
    Ok(())
}

/// `text` on one line: line breaks shown as ⏎, long text cut with …
pub(crate) fn one_line(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { '⏎' } else { c })
        .collect();
    if flat.chars().count() > 200 {
        flat.chars().take(200).chain(['…']).collect()
    } else {
        flat
    }
}

/// One entry in full, for `catalog show`.
pub(crate) fn entry<W: Write>(out: &mut W, wrap: Wrap, e: &Entry) -> io::Result<()> {
    writeln!(out, "{ID}{}{ID:#} {DIM}[{}]{DIM:#}", e.id, e.category)?;
    for z in &e.zh {
        wrap.para(out, "  ", 2, z)?;
    }
    if !e.codes.is_empty() {
        wrap.para(
            out,
            &format!("{LABEL}Codes:{LABEL:#} "),
            2,
            &e.codes.join(", "),
        )?;
    }
    wrap.para(
        out,
        &format!("{LABEL}It says:{LABEL:#} "),
        2,
        &e.en.translation,
    )?;
    wrap.para(out, &format!("{LABEL}Why:{LABEL:#} "), 2, &e.en.cause)?;
    writeln!(out, "{LABEL}What to do:{LABEL:#}")?;
    for (i, f) in e.en.fixes.iter().enumerate() {
        let n = format!("  {}. ", i + 1);
        wrap.para(out, &n, n.len(), f)?;
    }
    if let Some(b) = &e.en.before_retry {
        wrap.para(out, &format!("{WARN}Before you retry:{WARN:#} "), 2, b)?;
    }
    if let Some(a) = e.handling.actor {
        writeln!(out, "{DIM}who acts: {}{DIM:#}", a.name())?;
    }
    if let Some(r) = e.handling.retry {
        writeln!(out, "{DIM}retry: {}{DIM:#}", retry_words(r))?;
    }
    if let Some(ask) = &e.handling.ask {
        wrap.para(out, &format!("{LABEL}Show staff:{LABEL:#} "), 2, &ask.zh)?;
        wrap.para(out, "  ", 2, &ask.pinyin)?;
        if let Some(en) = &ask.en {
            wrap.para(out, "  ", 2, &format!("{DIM}({en}){DIM:#}"))?;
        }
    }
    writeln!(out, "{LABEL}Seen in:{LABEL:#}")?;
    for s in &e.sources {
        writeln!(out, "  {s}")?;
    }
    writeln!(out, "{DIM}defined at {}{DIM:#}", e.location())
}

/// `text` quoted for a POSIX shell.
pub(crate) fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// `n` and the noun, singular or plural: "1 entry", "2 entries".
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The text read off a screenshot, dimmed, so a person can check it before the explanation.
#[cfg(feature = "image")]
pub(crate) fn ocr_text<W: Write>(out: &mut W, name: &str, text: &str) -> io::Result<()> {
    writeln!(out, "{DIM}Read from {name}:{DIM:#}")?;
    for line in text.lines() {
        writeln!(out, "{DIM}  {line}{DIM:#}")?;
    }
    writeln!(out)
}

#[cfg(test)]
mod tests;
