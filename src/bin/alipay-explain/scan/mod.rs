/*!
`alipay-explain scan`: find every known message in logs and tickets, line by line.

The work is a pipeline with bounded queues, so memory stays flat whatever the size of the
files or of their lines:

1. the reader (this thread) reads each file in chunks and hands them on whole, cut after
   their last line break (no line is copied); a line longer than [`MAX_LINE`] is cut into
   overlapping pieces, so a message that straddles a cut is still seen whole in one piece;
2. workers (one per core by default) split a chunk into lines, decode them (UTF-8, else
   GB18030; a chunk of valid UTF-8 is checked once) and match each;
3. the printer puts the batches back in order, numbers the lines, drops a match seen twice
   in the overlap of two pieces, prints, and counts.

Files compressed with gzip or zstd are told apart by their first bytes (not their names, so
standard input and rotated logs such as `app.log.1.gz` work too) and read decompressed.
`--id` and `--category` keep only the matches asked for; the line is matched in full all
the same, so a filter never changes which entry wins a stretch of text.
*/

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

use alipay_explain::{Category, Encoding, Explainer, Match, MatchKind};
use serde::Serialize;

use crate::args::{Common, ScanArgs};
use crate::render::{self, count, one_line};
use crate::{Fail, Outcome};

/// Bytes read at a time: about one batch for a worker.
const CHUNK: usize = 256 << 10;
/// Longest piece of a line matched at once; longer lines are cut with [`OVERLAP`].
const MAX_LINE: usize = 1 << 20;
/// Bytes two pieces of a long line share: more than any message is long.
const OVERLAP: usize = 8 << 10;
/// Whole lines from one file, or one piece of a long line.
struct Batch {
    seq: u64,
    file: usize,
    /// Lines, each ended by a line break but perhaps the last one of the file; or a piece.
    data: Vec<u8>,
    /// For a piece of a long line: its byte offset in the line.
    piece: Option<usize>,
    /// Bytes at the start of `data` that the piece before held too.
    repeated: usize,
}

/// What a worker found in a batch.
struct Done {
    seq: u64,
    file: usize,
    piece: Option<usize>,
    /// Lines that start in the batch.
    lines: usize,
    bytes: usize,
    /// line (0 for the batch's first), piece offset, the line's text, its matches
    hits: Vec<(usize, usize, String, Vec<Match>)>,
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
    /// Files that were gzip- or zstd-compressed (read decompressed; `bytes` counts those).
    gzip_files: usize,
    zstd_files: usize,
}

/// How a file is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

/// The matches `--id` and `--category` ask for (all when neither is given).
#[derive(Default)]
struct Filter {
    ids: HashSet<String>,
    categories: Vec<Category>,
}

impl Filter {
    fn new(explainer: &Explainer, args: &ScanArgs) -> Result<Filter, Fail> {
        let mut ids = HashSet::new();
        for id in &args.ids {
            let Some(entry) = explainer.catalog().get(id) else {
                return Err(Fail::Message(format!(
                    "--id {id}: no entry has this id: try `alipay-explain catalog search WORD`"
                )));
            };
            ids.insert(entry.id.clone());
        }
        let categories = args
            .categories
            .iter()
            .map(|c| {
                c.parse::<Category>().map_err(|e| {
                    Fail::Message(format!(
                        "--category {c}: {e}: see `alipay-explain scan --help` for the categories"
                    ))
                })
            })
            .collect::<Result<Vec<_>, Fail>>()?;
        Ok(Filter { ids, categories })
    }

    fn keeps(&self, m: &Match) -> bool {
        (self.ids.is_empty() || self.ids.contains(&m.id))
            && (self.categories.is_empty() || self.categories.contains(&m.category))
    }

    fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.categories.is_empty()
    }
}

pub(crate) fn run(common: &Common, args: &ScanArgs) -> Result<Outcome, Fail> {
    let mut b = crate::builder(common);
    b.fuzzy(args.fuzzy);
    let explainer = b.build()?;
    explainer.prepare()?;
    let filter = Filter::new(&explainer, args)?;
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
    let mut compressed = (0usize, 0usize);
    let printed: Result<Stats, Fail> = std::thread::scope(|s| {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let batch_rx = std::sync::Arc::clone(&batch_rx);
            let explainer = &explainer;
            let filter = &filter;
            s.spawn(move || loop {
                let next = match batch_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok(batch) = next else { return };
                if done_tx
                    .send(work(explainer, filter, batch, encoding))
                    .is_err()
                {
                    return;
                }
            });
        }
        drop(done_tx);
        drop(batch_rx);
        let printer = s.spawn(|| print(common, args, &names, done_rx));
        let mut seq = 0u64;
        for (i, path) in files.iter().enumerate() {
            let mut how = Compression::None;
            if let Err(e) = read_file(i, path, &batch_tx, &progress, &mut seq, &mut how) {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    break;
                }
                read_errors += 1;
                eprintln!("alipay-explain: {}: {}", names[i], describe(path, how, &e));
            }
            match how {
                Compression::Gzip => compressed.0 += 1,
                Compression::Zstd => compressed.1 += 1,
                Compression::None => {}
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
    (stats.gzip_files, stats.zstd_files) = compressed;
    stats.seconds = started.elapsed().as_secs_f64();
    if args.stats || args.stats_only {
        let mut out = crate::stdout(common);
        // a blank line parts the summary from the matches above it, when there are some
        let after_matches = !args.stats_only && stats.matches > 0;
        print_stats(common, &mut out, &stats, after_matches)?;
    }
    Ok(if read_errors > 0 {
        Outcome::Errors
    } else if stats.matches > 0 {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

fn describe(path: &Path, how: Compression, e: &io::Error) -> String {
    if path.is_dir() {
        return "is a folder: scan takes files (e.g. `alipay-explain scan DIR/*.log`)".to_owned();
    }
    let format = match how {
        Compression::Gzip => "gzip",
        Compression::Zstd => "zstd",
        Compression::None => "",
    };
    if !format.is_empty() {
        return format!("cannot decompress ({format}): {e}: is the file whole?");
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

/// A reader that moves the progress bar by the bytes it reads (compressed bytes, for a
/// compressed file, as the bar's total is the size of the files).
struct Counted<R> {
    inner: R,
    progress: indicatif::ProgressBar,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.inc(n as u64);
        Ok(n)
    }
}

/// `raw`, decompressed if its first bytes are those of a gzip or zstd stream.
fn decompressed<'a>(mut raw: Box<dyn Read + 'a>) -> io::Result<(Box<dyn Read + 'a>, Compression)> {
    let mut head = [0u8; 4];
    let mut got = 0;
    while got < head.len() {
        match raw.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let whole = io::Cursor::new(head[..got].to_vec()).chain(raw);
    Ok(match &head[..got] {
        [0x1f, 0x8b, ..] => (
            Box::new(flate2::read::MultiGzDecoder::new(whole)),
            Compression::Gzip,
        ),
        [0x28, 0xb5, 0x2f, 0xfd] => (
            Box::new(zstd::stream::read::Decoder::new(whole)?),
            Compression::Zstd,
        ),
        _ => (Box::new(whole), Compression::None),
    })
}

/// Reads one file (or standard input for "-") and sends its lines in batches; `how` is set
/// to how the file was stored as soon as that is known.
fn read_file(
    file: usize,
    path: &Path,
    tx: &mpsc::SyncSender<Batch>,
    progress: &indicatif::ProgressBar,
    seq: &mut u64,
    how: &mut Compression,
) -> io::Result<()> {
    let raw: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        if path.is_dir() {
            return Err(io::Error::other("is a directory"));
        }
        Box::new(Counted {
            inner: File::open(path)?,
            progress: progress.clone(),
        })
    };
    let (mut reader, compression) = decompressed(raw)?;
    *how = compression;
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + OVERLAP);
    // byte offset in the current line of buf[0], when buf starts inside a long line
    let mut piece_offset = 0usize;
    // bytes the next piece repeats from the one before
    let mut repeated = 0usize;
    // sequence numbers are given out only as batches are sent, so the printer never waits
    // for one that a read error kept back
    let mut send = |data: Vec<u8>, piece: Option<usize>, repeated: usize| {
        let batch = Batch {
            seq: *seq,
            file,
            data,
            piece,
            repeated,
        };
        *seq += 1;
        tx.send(batch)
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    };
    loop {
        // appends up to CHUNK bytes (fewer only at the end), with no zeroing first
        let n = (&mut reader).take(CHUNK as u64).read_to_end(&mut buf)?;
        let eof = n == 0;
        if piece_offset > 0 {
            // the end of a long line, once its line break comes
            match memchr::memchr(b'\n', &buf) {
                Some(nl) => {
                    send(
                        split_front(&mut buf, nl + 1, nl + 1),
                        Some(piece_offset),
                        repeated,
                    )?;
                    (piece_offset, repeated) = (0, 0);
                }
                None if eof => {
                    send(std::mem::take(&mut buf), Some(piece_offset), repeated)?;
                    break;
                }
                None => {}
            }
        }
        if piece_offset == 0 {
            if let Some(last) = memchr::memrchr(b'\n', &buf) {
                // hand on the whole lines as they are; keep the start of the next one
                send(split_front(&mut buf, last + 1, last + 1), None, 0)?;
            }
        }
        if eof {
            // a last line with no line break (the end of a long line was sent above)
            if !buf.is_empty() {
                send(std::mem::take(&mut buf), None, 0)?;
            }
            break;
        }
        if buf.len() > MAX_LINE {
            // a long line: match what we have, keep an overlap for the next piece; both cuts
            // fall between two UTF-8 characters, so that each piece decodes
            let cut = char_start(&buf, buf.len() - 1);
            let keep = char_start(&buf, cut - OVERLAP);
            send(
                split_front(&mut buf, cut, keep),
                Some(piece_offset),
                repeated,
            )?;
            piece_offset += keep;
            repeated = cut - keep;
        }
    }
    Ok(())
}

/// `buf[..end]` to hand on; `buf` goes on from `from` (at most `end`: pieces of a long line
/// overlap) in a new buffer with room for the next read.
fn split_front(buf: &mut Vec<u8>, end: usize, from: usize) -> Vec<u8> {
    let mut rest = Vec::with_capacity(CHUNK + OVERLAP);
    rest.extend_from_slice(&buf[from..]);
    buf.truncate(end);
    std::mem::replace(buf, rest)
}

/// The start of the UTF-8 character at byte `i` of `b` (`i` itself when it is not inside
/// one: in other encodings a cut may still split a character).
fn char_start(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j > 0 && i - j < 3 && b.get(j).is_some_and(|&x| x & 0xC0 == 0x80) {
        j -= 1;
    }
    j
}

fn work(explainer: &Explainer, filter: &Filter, batch: Batch, encoding: Encoding) -> Done {
    let data = &batch.data[..];
    let mut hits = Vec::new();
    // one check of the whole batch spares one per line, in the common case
    let utf8 = (encoding != Encoding::Gb18030 && memchr::memchr(0, data).is_none())
        .then(|| std::str::from_utf8(data).ok())
        .flatten();
    // whole lines, each ended by a line break but perhaps the last; or a piece of one line
    // (only the last piece of a long line ends with its line break)
    let body = data.strip_suffix(b"\n").unwrap_or(data);
    let mut lines = 0;
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', body).chain(std::iter::once(body.len())) {
        let line = &body[start..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let text = match utf8 {
            Some(all) => {
                let text = &all[start..start + line.len()];
                Cow::Borrowed(text.strip_prefix('\u{FEFF}').unwrap_or(text))
            }
            None => match alipay_explain::decode(line, encoding) {
                Ok(t) => t,
                Err(_) => String::from_utf8_lossy(line),
            },
        };
        let mut found = explainer.find_matches(&text);
        if !filter.is_empty() {
            found.retain(|m| filter.keeps(m));
        }
        if !found.is_empty() {
            hits.push((lines, batch.piece.unwrap_or(0), text.into_owned(), found));
        }
        lines += 1;
        start = end + 1;
    }
    Done {
        seq: batch.seq,
        file: batch.file,
        piece: batch.piece,
        // a piece of a long line starts a line only if it is the first
        lines: match batch.piece {
            Some(offset) => usize::from(offset == 0),
            None => lines,
        },
        // a piece of a long line repeats the end of the piece before it
        bytes: data.len().saturating_sub(batch.repeated),
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

fn print_stats<W: Write>(
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
