/*!
Output: text for people, JSON for scripts.

Text output leads with what a stuck person needs: what the message says, why, and what to do
now, then who must act and a sentence to show staff. Uncertain matches say so in words, not
only in a number. Colour is a hint, never the only carrier of meaning.
*/

use std::io::{self, Write};

use alipay_explain::{Entry, Explanation, Match, MatchKind, Unmatched};
use anstyle::{AnsiColor, Style};

const TITLE: Style = Style::new().bold();
const ID: Style = AnsiColor::Cyan.on_default();
const DIM: Style = Style::new().dimmed();
const LABEL: Style = AnsiColor::Green.on_default().bold();
const WARN: Style = AnsiColor::Yellow.on_default().bold();

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
pub(crate) fn explanation<W: Write>(out: &mut W, e: &Explanation) -> io::Result<()> {
    if e.matches.is_empty() {
        writeln!(out, "{WARN}No known Alipay message found.{WARN:#}")?;
        if !e.suggestions.is_empty() {
            writeln!(
                out,
                "\n{TITLE}Did you mean{TITLE:#} (the text only resembles these):"
            )?;
            for s in &e.suggestions {
                writeln!(
                    out,
                    "  {ID}{}{ID:#} {DIM}({:.0}% alike){DIM:#}\n    {}\n    {}",
                    s.id,
                    s.confidence * 100.0,
                    s.template,
                    s.translation
                )?;
            }
        }
    }
    for (i, m) in e.matches.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        one_match(out, m)?;
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
                gloss(out, u)?;
            }
        }
    }
    if e.matches.is_empty() {
        writeln!(
            out,
            "\n{DIM}If this is an Alipay message we should know, please report it with where you saw it.{DIM:#}"
        )?;
    }
    Ok(())
}

fn one_match<W: Write>(out: &mut W, m: &Match) -> io::Result<()> {
    writeln!(out, "{TITLE}● {}{TITLE:#}", one_line(&m.text))?;
    if m.confidence < 0.8 {
        writeln!(
            out,
            "  {WARN}Probably this message ({:.0}% sure){WARN:#}: your text differs from it in places.",
            m.confidence * 100.0
        )?;
        writeln!(out, "  {DIM}Known text:{DIM:#} {}", m.template)?;
    }
    writeln!(out, "  {LABEL}It says:{LABEL:#} {}", m.translation)?;
    writeln!(out, "  {LABEL}Why:{LABEL:#} {}", m.cause)?;
    writeln!(out, "  {LABEL}What to do:{LABEL:#}")?;
    for (i, f) in m.fixes.iter().enumerate() {
        writeln!(out, "    {}. {f}", i + 1)?;
    }
    if let Some(b) = &m.before_retry {
        writeln!(out, "  {WARN}Before you retry:{WARN:#} {b}")?;
    }
    let mut who = Vec::new();
    if let Some(a) = m.actor {
        who.push(format!("who acts: {}", a.name()));
    }
    if let Some(r) = m.retry {
        who.push(format!("retry: {}", retry_words(r)));
    }
    if !who.is_empty() {
        writeln!(out, "  {}", who.join(" · "))?;
    }
    if let Some(ask) = &m.ask {
        writeln!(out, "  {LABEL}Show staff:{LABEL:#} {}", ask.zh)?;
        writeln!(out, "              {}", ask.pinyin)?;
        if let Some(en) = &ask.en {
            writeln!(out, "              {DIM}({en}){DIM:#}")?;
        }
    }
    let sure = match m.kind {
        MatchKind::Exact => "exact match".to_owned(),
        MatchKind::Normalized => format!("normalized match, {:.0}%", m.confidence * 100.0),
        MatchKind::Fuzzy => format!("fuzzy match, {:.0}%", m.confidence * 100.0),
        _ => format!("{:.0}%", m.confidence * 100.0),
    };
    writeln!(out, "  {DIM}{} · {} · {sure}{DIM:#}", m.id, m.category)
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

fn gloss<W: Write>(out: &mut W, u: &Unmatched) -> io::Result<()> {
    if u.gloss.is_empty() {
        return Ok(());
    }
    writeln!(out, "  {}", one_line(&u.text))?;
    for g in &u.gloss {
        match &g.en {
            Some(en) => writeln!(out, "    {}  {DIM}{}{DIM:#}  {en}", g.word, g.pinyin)?,
            None => writeln!(
                out,
                "    {}  {DIM}{}{DIM:#}  {DIM}?{DIM:#}",
                g.word, g.pinyin
            )?,
        }
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
pub(crate) fn entry<W: Write>(out: &mut W, e: &Entry) -> io::Result<()> {
    writeln!(out, "{ID}{}{ID:#} {DIM}[{}]{DIM:#}", e.id, e.category)?;
    for z in &e.zh {
        writeln!(out, "  {z}")?;
    }
    if !e.codes.is_empty() {
        writeln!(out, "{LABEL}Codes:{LABEL:#} {}", e.codes.join(", "))?;
    }
    writeln!(out, "{LABEL}It says:{LABEL:#} {}", e.en.translation)?;
    writeln!(out, "{LABEL}Why:{LABEL:#} {}", e.en.cause)?;
    writeln!(out, "{LABEL}What to do:{LABEL:#}")?;
    for (i, f) in e.en.fixes.iter().enumerate() {
        writeln!(out, "  {}. {f}", i + 1)?;
    }
    if let Some(b) = &e.en.before_retry {
        writeln!(out, "{WARN}Before you retry:{WARN:#} {b}")?;
    }
    if let Some(a) = e.actor {
        writeln!(out, "{DIM}who acts: {}{DIM:#}", a.name())?;
    }
    if let Some(r) = e.retry {
        writeln!(out, "{DIM}retry: {}{DIM:#}", retry_words(r))?;
    }
    if let Some(ask) = &e.ask {
        writeln!(
            out,
            "{LABEL}Show staff:{LABEL:#} {}\n  {}",
            ask.zh, ask.pinyin
        )?;
        if let Some(en) = &ask.en {
            writeln!(out, "  {DIM}({en}){DIM:#}")?;
        }
    }
    writeln!(out, "{LABEL}Seen in:{LABEL:#}")?;
    for s in &e.sources {
        writeln!(out, "  {s}")?;
    }
    writeln!(out, "{DIM}defined at {}{DIM:#}", e.location())
}
