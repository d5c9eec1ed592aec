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

mod print;
mod read;

use std::borrow::Cow;
use std::collections::HashSet;
use std::io;
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Instant;

use alipay_explain::{Category, Encoding, Explainer, Match};

use crate::args::{Common, ScanArgs};
use crate::{Fail, Outcome};
use print::{print, print_stats, Stats};
use read::{describe, progress_bar, read_file, Compression};

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
    let started = Instant::now();
    let scan = Scan {
        common,
        args,
        explainer: &explainer,
        filter: &filter,
        names: files.iter().map(|p| display_name(p)).collect(),
        files,
    };
    let (printed, read) = scan.pipeline();
    let mut stats = printed?;
    stats.files = scan.files.len();
    (stats.gzip_files, stats.zstd_files) = (read.gzip, read.zstd);
    stats.seconds = started.elapsed().as_secs_f64();
    if args.stats || args.stats_only {
        let mut out = crate::stdout(common);
        // a blank line parts the summary from the matches above it, when there are some
        let after_matches = !args.stats_only && stats.matches > 0;
        print_stats(common, &mut out, &stats, after_matches)?;
    }
    Ok(if read.errors > 0 {
        Outcome::Errors
    } else if stats.matches > 0 {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

/// A file's name in messages and output: `<stdin>` for "-".
fn display_name(path: &std::path::Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

/// One scan: what to read and how to match and print it.
struct Scan<'a> {
    common: &'a Common,
    args: &'a ScanArgs,
    explainer: &'a Explainer,
    filter: &'a Filter,
    files: Vec<PathBuf>,
    /// The files as messages and output name them.
    names: Vec<String>,
}

/// What the reader met: files it could not read, and compressed files.
#[derive(Default)]
struct ReadCounts {
    errors: usize,
    gzip: usize,
    zstd: usize,
}

impl Scan<'_> {
    /// Runs the reader on this thread, the workers and the printer on their own, and returns
    /// what the printer counted and what the reader met.
    fn pipeline(&self) -> (Result<Stats, Fail>, ReadCounts) {
        let threads = self
            .args
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
            .max(1);
        let progress = progress_bar(&self.files, self.args.no_progress);
        let (batch_tx, batch_rx) = mpsc::sync_channel::<Batch>(threads * 2);
        // shared by the workers only: when they all stop (the printer went away, say on a
        // closed pipe), the receiver is dropped and the reader's next send fails instead of
        // blocking
        let batch_rx = Arc::new(Mutex::new(batch_rx));
        let (done_tx, done_rx) = mpsc::sync_channel::<Done>(threads * 2);
        let mut read = ReadCounts::default();
        let printed = std::thread::scope(|s| {
            for _ in 0..threads {
                let (done_tx, batch_rx) = (done_tx.clone(), Arc::clone(&batch_rx));
                s.spawn(move || self.worker(&batch_rx, &done_tx));
            }
            drop(done_tx);
            drop(batch_rx);
            let printer = s.spawn(|| print(self.common, self.args, &self.names, done_rx));
            read = self.read_all(&batch_tx, &progress);
            drop(batch_tx);
            printer
                .join()
                .unwrap_or_else(|_| Err(Fail::Message("the printer thread failed".to_owned())))
        });
        progress.finish_and_clear();
        (printed, read)
    }

    /// A worker: matches batches until the reader or the printer is gone.
    fn worker(&self, batch_rx: &Mutex<mpsc::Receiver<Batch>>, done_tx: &mpsc::SyncSender<Done>) {
        let encoding = self.common.encoding.to_lib();
        loop {
            let next = match batch_rx.lock() {
                Ok(rx) => rx.recv(),
                Err(_) => return,
            };
            let Ok(batch) = next else { return };
            if done_tx
                .send(work(self.explainer, self.filter, batch, encoding))
                .is_err()
            {
                return;
            }
        }
    }

    /// Reads every file in turn, reporting those it cannot read; stops when the workers
    /// are gone.
    fn read_all(
        &self,
        batch_tx: &mpsc::SyncSender<Batch>,
        progress: &indicatif::ProgressBar,
    ) -> ReadCounts {
        let mut read = ReadCounts::default();
        let mut seq = 0u64;
        for (i, path) in self.files.iter().enumerate() {
            let mut how = Compression::None;
            if let Err(e) = read_file(i, path, batch_tx, progress, &mut seq, &mut how) {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    break;
                }
                read.errors += 1;
                eprintln!(
                    "alipay-explain: {}: {}",
                    self.names[i],
                    describe(path, how, &e)
                );
            }
            match how {
                Compression::Gzip => read.gzip += 1,
                Compression::Zstd => read.zstd += 1,
                Compression::None => {}
            }
        }
        read
    }
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
