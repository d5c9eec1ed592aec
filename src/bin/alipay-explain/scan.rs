/*!
`alipay-explain scan`: find every known message in logs and tickets, line by line.

The work is a pipeline with bounded queues, so memory stays flat whatever the size of the
files or of their lines:

1. the reader (this thread) reads each file in 1 MiB chunks and cuts them into batches of
   whole lines; a line longer than [`MAX_LINE`] is cut into overlapping pieces, so a message
   that straddles a cut is still seen whole in one piece;
2. workers (one per core by default) decode each line (UTF-8, else GB18030) and match it;
3. the printer puts the batches back in order, drops a match seen twice in the overlap of
   two pieces, prints, and counts.
*/

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

use alipay_explain::{Encoding, Explainer, Match, MatchKind};
use serde::Serialize;

use crate::args::{Common, ScanArgs};
use crate::render::{self, one_line};
use crate::{Fail, Outcome};

/// Bytes read at a time.
const CHUNK: usize = 1 << 20;
/// Longest piece of a line matched at once; longer lines are cut with [`OVERLAP`].
const MAX_LINE: usize = 1 << 20;
/// Bytes two pieces of a long line share: more than any message is long.
const OVERLAP: usize = 8 << 10;
/// Target size of a batch of lines handed to a worker.
const BATCH: usize = 256 << 10;

/// A run of lines (or pieces of one long line) from one file.
struct Batch {
    seq: u64,
    file: usize,
    data: Vec<u8>,
    /// (start, end) in `data`, line number, byte offset of the piece in its line
    lines: Vec<(usize, usize, u64, usize)>,
}

/// What a worker found in a batch.
struct Done {
    seq: u64,
    file: usize,
    lines: usize,
    bytes: usize,
    /// line number, piece offset, the line's text, its matches
    hits: Vec<(u64, usize, String, Vec<Match>)>,
}

#[derive(Serialize)]
struct JsonLine<'a> {
    file: &'a str,
    line: u64,
    input: &'a str,
    matches: &'a [Match],
    unmatched: [(); 0],
}

#[derive(Default, Serialize)]
struct Stats {
    files: usize,
    lines: usize,
    bytes: usize,
    matched_lines: usize,
    matches: usize,
    by_id: BTreeMap<String, usize>,
    seconds: f64,
}

pub(crate) fn run(common: &Common, args: &ScanArgs) -> Result<Outcome, Fail> {
    let mut b = crate::builder(common);
    b.fuzzy(args.fuzzy);
    let explainer = b.build()?;
    explainer.prepare()?;
    let files: Vec<PathBuf> = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    let names: Vec<String> = files
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                "<stdin>".to_owned()
            } else {
                p.display().to_string()
            }
        })
        .collect();
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let encoding = common.encoding.to_lib();
    let started = Instant::now();
    let progress = progress_bar(&files, args.no_progress);

    let (batch_tx, batch_rx) = mpsc::sync_channel::<Batch>(threads * 2);
    // shared by the workers only: when they all stop (the printer went away, say on a closed
    // pipe), the receiver is dropped and the reader's next send fails instead of blocking
    let batch_rx = std::sync::Arc::new(std::sync::Mutex::new(batch_rx));
    let (done_tx, done_rx) = mpsc::sync_channel::<Done>(threads * 2);

    let mut read_errors = 0usize;
    let printed: Result<Stats, Fail> = std::thread::scope(|s| {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let batch_rx = std::sync::Arc::clone(&batch_rx);
            let explainer = &explainer;
            s.spawn(move || loop {
                let next = match batch_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok(batch) = next else { return };
                if done_tx.send(work(explainer, batch, encoding)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        drop(batch_rx);
        let printer = s.spawn(|| print(common, args, &names, done_rx));
        let mut seq = 0u64;
        for (i, path) in files.iter().enumerate() {
            if let Err(e) = read_file(i, path, &batch_tx, &progress, &mut seq) {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    break;
                }
                read_errors += 1;
                eprintln!("alipay-explain: {}: {}", names[i], describe(path, &e));
            }
        }
        drop(batch_tx);
        printer
            .join()
            .unwrap_or_else(|_| Err(Fail::Message("the printer thread failed".to_owned())))
    });
    progress.finish_and_clear();
    let mut stats = printed?;
    stats.files = files.len();
    stats.seconds = started.elapsed().as_secs_f64();
    if args.stats || args.stats_only {
        let mut out = crate::stdout(common);
        print_stats(common, &mut out, &stats)?;
    }
    Ok(if read_errors > 0 {
        Outcome::Errors
    } else if stats.matches > 0 {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

fn describe(path: &Path, e: &io::Error) -> String {
    if path.is_dir() {
        return "is a folder: scan takes files (e.g. `alipay-explain scan DIR/*.log`)".to_owned();
    }
    match e.kind() {
        io::ErrorKind::NotFound => "no such file: check the path".to_owned(),
        io::ErrorKind::PermissionDenied => {
            "permission denied: check the file's permissions".to_owned()
        }
        _ => format!("cannot read: {e}"),
    }
}

fn progress_bar(files: &[PathBuf], off: bool) -> indicatif::ProgressBar {
    if off || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let total: u64 = files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    if total < 32 << 20 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

/// Reads one file (or standard input for "-") and sends its lines in batches.
fn read_file(
    file: usize,
    path: &Path,
    tx: &mpsc::SyncSender<Batch>,
    progress: &indicatif::ProgressBar,
    seq: &mut u64,
) -> io::Result<()> {
    let mut reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        if path.is_dir() {
            return Err(io::Error::other("is a directory"));
        }
        Box::new(File::open(path)?)
    };
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + OVERLAP);
    let mut line_no: u64 = 1;
    // byte offset in the current line of buf[0], when buf starts inside a long line
    let mut piece_offset = 0usize;
    let mut batch = new_batch(file);
    // sequence numbers are given out only as batches are sent, so the printer never waits
    // for one that a read error kept back
    let mut send = |mut batch: Batch| {
        batch.seq = *seq;
        *seq += 1;
        tx.send(batch)
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    };
    loop {
        let filled = buf.len();
        buf.resize(filled + CHUNK, 0);
        let n = read_full(&mut reader, &mut buf[filled..])?;
        buf.truncate(filled + n);
        progress.inc(n as u64);
        let eof = n == 0;
        let mut pos = 0;
        while let Some(nl) = memchr::memchr(b'\n', &buf[pos..]) {
            let end = pos + nl;
            push_line(&mut batch, &buf[pos..end], line_no, piece_offset);
            piece_offset = 0;
            line_no += 1;
            pos = end + 1;
            if batch.data.len() >= BATCH {
                send(std::mem::replace(&mut batch, new_batch(file)))?;
            }
        }
        buf.drain(..pos);
        if eof {
            if !buf.is_empty() {
                push_line(&mut batch, &buf, line_no, piece_offset);
            }
            break;
        }
        if buf.len() > MAX_LINE {
            // a long line: match what we have, keep an overlap for the next piece
            push_line(&mut batch, &buf, line_no, piece_offset);
            let keep = buf.len() - OVERLAP;
            piece_offset += keep;
            buf.drain(..keep);
            send(std::mem::replace(&mut batch, new_batch(file)))?;
        }
    }
    if !batch.lines.is_empty() {
        send(batch)?;
    }
    Ok(())
}

fn new_batch(file: usize) -> Batch {
    Batch {
        seq: 0,
        file,
        data: Vec::with_capacity(BATCH + 4096),
        lines: Vec::new(),
    }
}

fn push_line(batch: &mut Batch, line: &[u8], line_no: u64, piece_offset: usize) {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let start = batch.data.len();
    batch.data.extend_from_slice(line);
    batch
        .lines
        .push((start, batch.data.len(), line_no, piece_offset));
}

fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn work(explainer: &Explainer, batch: Batch, encoding: Encoding) -> Done {
    let mut hits = Vec::new();
    for &(s, e, line_no, offset) in &batch.lines {
        let bytes = &batch.data[s..e];
        let text = match alipay_explain::decode(bytes, encoding) {
            Ok(t) => t,
            Err(_) => String::from_utf8_lossy(bytes),
        };
        let found = explainer.find_matches(&text);
        if !found.is_empty() {
            hits.push((line_no, offset, text.into_owned(), found));
        }
    }
    Done {
        seq: batch.seq,
        file: batch.file,
        lines: batch.lines.iter().filter(|l| l.3 == 0).count(),
        // a piece of a long line repeats the end of the piece before it
        bytes: batch
            .lines
            .iter()
            .map(|&(s, e, _, offset)| (e - s).saturating_sub(if offset > 0 { OVERLAP } else { 0 }))
            .sum(),
        hits,
    }
}

/// Prints results in batch order and counts them.
fn print(
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
    for done in rx {
        pending.insert(done.seq, done);
        while let Some(done) = pending.remove(&next) {
            next += 1;
            stats.lines += done.lines;
            stats.bytes += done.bytes;
            for (line_no, offset, text, matches) in done.hits {
                if (seen_in_line.0, seen_in_line.1) != (done.file, line_no) {
                    seen_in_line = (done.file, line_no, HashSet::new());
                }
                let fresh: Vec<Match> = matches
                    .into_iter()
                    .filter(|m| seen_in_line.2.insert((m.id.clone(), offset + m.start)))
                    .collect();
                if fresh.is_empty() {
                    continue;
                }
                stats.matched_lines += 1;
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

const LOC: anstyle::Style = anstyle::AnsiColor::Magenta.on_default();
const ID: anstyle::Style = anstyle::AnsiColor::Cyan.on_default();
const DIM: anstyle::Style = anstyle::Style::new().dimmed();

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

fn print_stats<W: Write>(common: &Common, out: &mut W, s: &Stats) -> Result<(), Fail> {
    if common.json {
        render::json_line(out, &serde_json::json!({ "stats": s }))?;
        return Ok(());
    }
    let mut by: Vec<(&String, &usize)> = s.by_id.iter().collect();
    by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    writeln!(
        out,
        "\n{} matches on {} of {} lines ({:.1} MB in {} file(s), {:.2} s)",
        s.matches,
        s.matched_lines,
        s.lines,
        s.bytes as f64 / 1e6,
        s.files,
        s.seconds
    )?;
    for (id, n) in by {
        writeln!(out, "{n:>10}  {ID}{id}{ID:#}")?;
    }
    Ok(())
}
