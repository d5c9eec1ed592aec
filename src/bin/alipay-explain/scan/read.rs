/*!
The reader of a scan: each file (or standard input) in chunks of whole lines, decompressed
when it is gzip or zstd, with long lines cut into overlapping pieces.
*/

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use super::{Batch, CHUNK, MAX_LINE, OVERLAP};

/// How a file is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Compression {
    None,
    Gzip,
    Zstd,
}

/// What to tell the user about a file that could not be read.
pub(super) fn describe(path: &Path, how: Compression, e: &io::Error) -> String {
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

/// A progress bar on a terminal for files of 32 MB or more together; else a hidden one.
pub(super) fn progress_bar(files: &[PathBuf], off: bool) -> indicatif::ProgressBar {
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
pub(super) fn read_file(
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
    let (reader, compression) = decompressed(raw)?;
    *how = compression;
    send_chunks(reader, &mut Sender { tx, file, seq })
}

/// Hands one file's batches to the workers.
struct Sender<'a> {
    tx: &'a mpsc::SyncSender<Batch>,
    file: usize,
    /// The sequence number of the next batch, over all files: given out only as batches are
    /// sent, so the printer never waits for one that a read error kept back.
    seq: &'a mut u64,
}

impl Sender<'_> {
    fn send(&mut self, data: Vec<u8>, piece: Option<usize>, repeated: usize) -> io::Result<()> {
        let batch = Batch {
            seq: *self.seq,
            file: self.file,
            data,
            piece,
            repeated,
        };
        *self.seq += 1;
        self.tx
            .send(batch)
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

/// Reads `reader` to its end in chunks, sending whole lines as they are and long lines in
/// overlapping pieces.
fn send_chunks(mut reader: impl Read, out: &mut Sender<'_>) -> io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + OVERLAP);
    // byte offset in the current line of buf[0], when buf starts inside a long line
    let mut piece_offset = 0usize;
    // bytes the next piece repeats from the one before
    let mut repeated = 0usize;
    loop {
        // appends up to CHUNK bytes (fewer only at the end), with no zeroing first
        let n = (&mut reader).take(CHUNK as u64).read_to_end(&mut buf)?;
        let eof = n == 0;
        if piece_offset > 0 {
            // the end of a long line, once its line break comes
            match memchr::memchr(b'\n', &buf) {
                Some(nl) => {
                    out.send(
                        split_front(&mut buf, nl + 1, nl + 1),
                        Some(piece_offset),
                        repeated,
                    )?;
                    (piece_offset, repeated) = (0, 0);
                }
                None if eof => {
                    return out.send(std::mem::take(&mut buf), Some(piece_offset), repeated)
                }
                None => {}
            }
        }
        if piece_offset == 0 {
            if let Some(last) = memchr::memrchr(b'\n', &buf) {
                // hand on the whole lines as they are; keep the start of the next one
                out.send(split_front(&mut buf, last + 1, last + 1), None, 0)?;
            }
        }
        if eof {
            // a last line with no line break (the end of a long line was sent above)
            if !buf.is_empty() {
                out.send(std::mem::take(&mut buf), None, 0)?;
            }
            return Ok(());
        }
        if buf.len() > MAX_LINE {
            // a long line: match what we have, keep an overlap for the next piece; both cuts
            // fall between two UTF-8 characters, so that each piece decodes
            let cut = char_start(&buf, buf.len() - 1);
            let keep = char_start(&buf, cut - OVERLAP);
            out.send(
                split_front(&mut buf, cut, keep),
                Some(piece_offset),
                repeated,
            )?;
            piece_offset += keep;
            repeated = cut - keep;
        }
    }
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
