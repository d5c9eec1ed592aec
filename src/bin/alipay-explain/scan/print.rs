/*!
The printer of a scan: batches back in order, line numbers, a match seen twice in the overlap
of two pieces of a long line dropped, text or JSON Lines out, and the counts.
*/

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};
use std::sync::mpsc;

use alipay_explain::{Match, MatchKind};
use serde::Serialize;

use super::Done;
use crate::args::{Common, ScanArgs};
use crate::render::{self, count, one_line};
use crate::styles::{DIM, ID, LOC};
use crate::Fail;

/// One line of `scan --json`.
#[derive(Serialize)]
struct JsonLine<'a> {
    file: &'a str,
    line: u64,
    input: &'a str,
    matches: &'a [Match],
    unmatched: [(); 0],
}

/// What a scan found, for `--stats`.
#[derive(Default, Serialize)]
pub(super) struct Stats {
    pub(super) files: usize,
    lines: usize,
    bytes: usize,
    matched_lines: usize,
    pub(super) matches: usize,
    by_id: BTreeMap<String, usize>,
    pub(super) seconds: f64,
    /// Files that were gzip- or zstd-compressed (read decompressed; `bytes` counts those).
    pub(super) gzip_files: usize,
    pub(super) zstd_files: usize,
}

/// Prints results in batch order and counts them.
pub(super) fn print(
    common: &Common,
    args: &ScanArgs,
    names: &[String],
    rx: mpsc::Receiver<Done>,
) -> Result<Stats, Fail> {
    let mut out = io::BufWriter::with_capacity(64 << 10, crate::stdout(common));
    let mut stats = Stats::default();
    let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
    let mut next = 0u64;
    // matches already printed for the current long line: (id, byte offset in the line)
    let mut seen_in_line: (usize, u64, HashSet<(String, usize)>) = (usize::MAX, 0, HashSet::new());
    let quiet = args.stats_only;
    // the file of the batches so far, and how many of its lines came before this batch
    let (mut file, mut lines_before) = (usize::MAX, 0u64);
    for done in rx {
        pending.insert(done.seq, done);
        while let Some(done) = pending.remove(&next) {
            next += 1;
            if done.file != file {
                (file, lines_before) = (done.file, 0);
            }
            // the line a piece of a long line belongs to has begun in its first piece
            let first_line = match done.piece {
                Some(offset) if offset > 0 => lines_before,
                _ => lines_before + 1,
            };
            lines_before += done.lines as u64;
            stats.lines += done.lines;
            stats.bytes += done.bytes;
            for (nth, offset, text, matches) in done.hits {
                let line_no = first_line + nth as u64;
                if (seen_in_line.0, seen_in_line.1) != (done.file, line_no) {
                    seen_in_line = (done.file, line_no, HashSet::new());
                }
                // a long line comes in pieces: count it once
                let first_in_line = seen_in_line.2.is_empty();
                let fresh: Vec<Match> = matches
                    .into_iter()
                    .filter(|m| seen_in_line.2.insert((m.id.clone(), offset + m.start)))
                    .collect();
                if fresh.is_empty() {
                    continue;
                }
                stats.matched_lines += usize::from(first_in_line);
                stats.matches += fresh.len();
                for m in &fresh {
                    *stats.by_id.entry(m.id.clone()).or_default() += 1;
                }
                if quiet {
                    continue;
                }
                let file = &names[done.file];
                let written = if common.json {
                    render::json_line(
                        &mut out,
                        &JsonLine {
                            file,
                            line: line_no,
                            input: &text,
                            matches: &fresh,
                            unmatched: [],
                        },
                    )
                } else {
                    text_line(&mut out, file, line_no, &fresh)
                };
                written?;
            }
        }
    }
    out.flush()?;
    Ok(stats)
}

fn text_line<W: Write>(out: &mut W, file: &str, line: u64, matches: &[Match]) -> io::Result<()> {
    for m in matches {
        let how = match m.kind {
            MatchKind::Exact => String::new(),
            _ => {
                format!(" {DIM}({:?}, {:.0}%){DIM:#}", m.kind, m.confidence * 100.0).to_lowercase()
            }
        };
        writeln!(
            out,
            "{LOC}{file}:{line}:{LOC:#} {ID}{}{ID:#}{how}: {} {DIM}→{DIM:#} {}",
            m.id,
            one_line(&m.text),
            m.translation
        )?;
    }
    Ok(())
}

pub(super) fn print_stats<W: Write>(
    common: &Common,
    out: &mut W,
    s: &Stats,
    after_matches: bool,
) -> Result<(), Fail> {
    if common.json {
        render::json_line(out, &serde_json::json!({ "stats": s }))?;
        return Ok(());
    }
    let mut by: Vec<(&String, &usize)> = s.by_id.iter().collect();
    by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    if after_matches {
        writeln!(out)?;
    }
    let compressed = match (s.gzip_files, s.zstd_files) {
        (0, 0) => String::new(),
        (g, 0) => format!(", {g} gzip-compressed"),
        (0, z) => format!(", {z} zstd-compressed"),
        (g, z) => format!(", {g} gzip- and {z} zstd-compressed"),
    };
    writeln!(
        out,
        "{} on {} of {} ({:.1} MB in {}{compressed}, {:.2} s)",
        count(s.matches, "match", "matches"),
        s.matched_lines,
        count(s.lines, "line", "lines"),
        s.bytes as f64 / 1e6,
        count(s.files, "file", "files"),
        s.seconds
    )?;
    for (id, n) in by {
        writeln!(out, "{n:>10}  {ID}{id}{ID:#}")?;
    }
    Ok(())
}
