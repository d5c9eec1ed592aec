//! Reading text off screenshots (issue 13), offline and in-process.
//!
//! ```no_run
//! # use alipay_explain::ocr::{OcrEngine, OcrError};
//! # fn main() -> Result<(), OcrError> {
//! let engine = OcrEngine::load(OcrEngine::default_model_dir())?; // once
//! let bytes = std::fs::read("screen.png").unwrap();
//! let text = engine.read(&bytes)?;
//! if text.is_empty() {
//!     eprintln!("no text found");
//! }
//! println!("{} ({}, {:.2})", text.text(), text.engine, text.confidence);
//! # Ok(()) }
//! ```
//!
//! Only with the cargo feature `image`. The engine was chosen by measurement against
//! Tesseract 5 (89/89 dev screenshots explained against 76/89; README, "Screenshots"):
//! PaddleOCR PP-OCRv4 text detection (DB) and
//!   recognition (SVTR/CTC) ONNX models, as shipped in the PyPI wheel
//!   `rapidocr-onnxruntime` 1.4.4 (Apache-2.0), run in-process by `rten` (pure Rust) through
//! the `pure-onnx-ocr` crate (vendored). Needs two model files in a directory
//! (`scripts/fetch-ocr-models.sh`, see [`OcrEngine::default_model_dir`]).
//!
//! Every input goes through [`decode`] first: the format is sniffed from the bytes (PNG, JPEG,
//! WebP), the header's dimensions are checked against [`MAX_SIDE`]/[`MAX_PIXELS`] *before*
//! any pixel buffer is allocated, and the decoder runs under `image::Limits`, so memory stays
//! bounded whatever the file claims.

use std::fmt;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

mod onnx_meta;
mod paddle;

pub use onnx_meta::metadata_value as onnx_metadata_value;

/// Largest accepted width or height, in pixels (a long scrolling screenshot fits).
pub const MAX_SIDE: u32 = 16_384;
/// Largest accepted pixel count (about 4 phone screens at 1440x3200).
pub const MAX_PIXELS: u64 = 20_000_000;
/// Largest allocation the image decoder may make, in bytes.
pub const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;

/// Names of the model files the `paddle` engine loads from its model directory.
pub const DET_MODEL_FILE: &str = "ch_PP-OCRv4_det_infer.onnx";
/// Recognition model; its character list is read from the ONNX metadata key `character`.
pub const REC_MODEL_FILE: &str = "ch_PP-OCRv4_rec_infer.onnx";

/// What to tell a person when the models are missing.
pub const INSTALL_HINT: &str =
    "run `scripts/fetch-ocr-models.sh` (downloads the PP-OCRv4 models from \
     the PyPI package rapidocr-onnxruntime 1.4.4, 15 MB) or set ALIPAY_EXPLAIN_MODELS to a \
     directory holding ch_PP-OCRv4_det_infer.onnx and ch_PP-OCRv4_rec_infer.onnx";

/// An axis-aligned box in the input image's pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BBox {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
}

impl BBox {
    fn bottom(&self) -> u32 {
        self.y + self.h
    }
    fn right(&self) -> u32 {
        self.x + self.w
    }
    fn union(&self, o: &BBox) -> BBox {
        let (x, y) = (self.x.min(o.x), self.y.min(o.y));
        BBox {
            x,
            y,
            w: self.right().max(o.right()) - x,
            h: self.bottom().max(o.bottom()) - y,
        }
    }
    /// Vertical overlap divided by the smaller height.
    fn v_overlap(&self, o: &BBox) -> f32 {
        let top = self.y.max(o.y);
        let bottom = self.bottom().min(o.bottom());
        let min_h = self.h.min(o.h).max(1);
        bottom.saturating_sub(top) as f32 / min_h as f32
    }
}

/// One visual line of text: the segments found on one row, left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrLine {
    /// The line's text; segments on one row are joined by a space.
    pub text: String,
    /// Mean per-character probability in 0..=1.
    pub confidence: f32,
    /// The union of the line's segments.
    pub bbox: BBox,
}

/// The text read off one image, lines in reading order (top to bottom, left to right).
#[derive(Debug, Clone, PartialEq)]
pub struct OcrText {
    /// Lines in reading order.
    pub lines: Vec<OcrLine>,
    /// `"pp-ocrv4"`.
    pub engine: &'static str,
    /// Character-weighted mean of the lines' confidences (0 when there is no text).
    pub confidence: f32,
}

impl OcrText {
    /// The lines joined by `'\n'`.
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
    /// True when no text was found ("no text found", exit 1 in the CLI).
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.text.trim().is_empty())
    }
}

/// Why an image could not be read. `Display` gives one line meant for a person.
#[derive(Debug)]
pub enum OcrError {
    /// The model files are not where they should be (exit 2 in the CLI).
    ModelsMissing {
        /// The directory looked in.
        dir: PathBuf,
        /// The file names not found there.
        missing: Vec<String>,
    },
    /// The model files exist but could not be loaded.
    ModelLoad(String),
    /// The engine is not compiled in or its system library is missing.
    EngineUnavailable(String),
    /// The bytes are not a PNG, JPEG or WebP image.
    NotAnImage,
    /// The image header claims a 0-pixel width or height.
    EmptyImage,
    /// The image is larger than [`MAX_SIDE`] / [`MAX_PIXELS`].
    TooLarge {
        /// Width from the header.
        width: u32,
        /// Height from the header.
        height: u32,
    },
    /// The image is truncated or corrupt.
    Corrupt(String),
    /// The engine failed while running.
    Engine(String),
    /// A tuning option ([`PaddleOptions::apply`]) is not `key=value` with a known key and a
    /// value of its type.
    BadOption(String),
}

impl fmt::Display for OcrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OcrError::ModelsMissing { dir, missing } => write!(
                f,
                "OCR models not found in {} (missing {}): {}",
                dir.display(),
                missing.join(", "),
                INSTALL_HINT
            ),
            OcrError::ModelLoad(m) => write!(f, "could not load the OCR models: {m}; {INSTALL_HINT}"),
            OcrError::EngineUnavailable(m) => write!(f, "OCR engine unavailable: {m}"),
            OcrError::NotAnImage => write!(f, "not an image (expected PNG, JPEG or WebP)"),
            OcrError::EmptyImage => write!(f, "the image is empty (0 pixels wide or high)"),
            OcrError::TooLarge { width, height } => write!(
                f,
                "the image is too large ({width}x{height}; at most {MAX_SIDE} pixels a side and {} megapixels)",
                MAX_PIXELS / 1_000_000
            ),
            OcrError::Corrupt(m) => write!(f, "the image is truncated or corrupt ({m})"),
            OcrError::Engine(m) => write!(f, "OCR failed: {m}"),
            OcrError::BadOption(m) => write!(
                f,
                "bad OCR option `{m}` (expected key=value with key one of det_max_side, \
                 det_min_side, min_score, rec_batch, rec_min_width, rec_width_step)"
            ),
        }
    }
}

impl std::error::Error for OcrError {}

/// Checks an image's format and size from its header only, without decoding pixels:
/// `(width, height)`, or the error [`decode`] would give for them.
pub fn decode_header(bytes: &[u8]) -> Result<(u32, u32), OcrError> {
    let format = image_format(bytes)?;
    // The header alone, without the size limits of `reader`: a decoder refusing 30000x30000
    // by its limits would not tell the size, and the message should. Nothing is allocated
    // for pixels here; the limits apply when `decode` decodes.
    let mut header = ImageReader::with_format(Cursor::new(bytes), format);
    header.limits(Limits::default());
    let (width, height) = header.into_dimensions().map_err(|e| classify(e, 0, 0))?;
    if width == 0 || height == 0 {
        return Err(OcrError::EmptyImage);
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(OcrError::TooLarge { width, height });
    }
    Ok((width, height))
}

/// Decodes PNG/JPEG/WebP bytes with the size checked before any pixel is allocated.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, OcrError> {
    let (width, height) = decode_header(bytes)?;
    reader(bytes, image_format(bytes)?)
        .decode()
        .map_err(|e| classify(e, width, height))
}

fn image_format(bytes: &[u8]) -> Result<ImageFormat, OcrError> {
    let format = image::guess_format(bytes).map_err(|_| OcrError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP
    ) {
        return Err(OcrError::NotAnImage);
    }
    Ok(format)
}

/// A decoder for `bytes` under the size limits.
fn reader(bytes: &[u8], format: ImageFormat) -> ImageReader<Cursor<&[u8]>> {
    let mut r = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    r.limits(limits);
    r
}

fn classify(e: image::ImageError, width: u32, height: u32) -> OcrError {
    match e {
        image::ImageError::Limits(_) => OcrError::TooLarge { width, height },
        image::ImageError::Unsupported(_) => OcrError::NotAnImage,
        other => {
            let msg = other.to_string();
            // Some decoders report a zero dimension as a format error.
            if msg.contains("zero") || msg.contains("0x0") {
                OcrError::EmptyImage
            } else {
                OcrError::Corrupt(msg)
            }
        }
    }
}

/// Tuning knobs for the PP-OCR engine; the defaults are the measured ones.
#[derive(Debug, Clone, Copy)]
pub struct PaddleOptions {
    /// Longest side of the detector's input, in pixels. Smaller is faster: on the 89 dev
    /// screenshots 512 explains as many as 736 (89) for 0.25 s less CPU per image.
    pub det_max_side: u32,
    /// Images whose shorter side is below this are upscaled for detection (small chat copies).
    pub det_min_side: u32,
    /// Segments whose mean character probability is below this are dropped.
    pub min_score: f32,
    /// Crops recognised per batch (padded to the widest of the batch). One at a time is the
    /// fastest on the dev screenshots (0.67 s CPU per image, against 0.88 s at 6).
    pub rec_batch: usize,
    /// Width, in pixels at the recogniser's height of 48, that narrower text lines are padded
    /// to. PaddleOCR pads to 320; rten needs no fixed shape, so 0 (no padding) reads the 89 dev
    /// screenshots as exactly and saves a quarter of the CPU time (0.93 → 0.67 s per image).
    pub rec_min_width: u32,
    /// Lines are padded on the right to a multiple of this many pixels.
    pub rec_width_step: u32,
}

impl Default for PaddleOptions {
    fn default() -> Self {
        Self {
            det_max_side: 512,
            det_min_side: 0,
            min_score: 0.5,
            rec_batch: 1,
            rec_min_width: 0,
            rec_width_step: 8,
        }
    }
}

impl PaddleOptions {
    /// Sets options from `key=value` pairs separated by commas, as in
    /// `det_max_side=512,rec_batch=4` (the keys are the field names): how the CLI's
    /// `ALIPAY_EXPLAIN_OCR_OPTIONS` tunes the engine for measuring.
    pub fn apply(&mut self, spec: &str) -> Result<(), OcrError> {
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || OcrError::BadOption(pair.to_owned());
            let (key, value) = pair.split_once('=').ok_or_else(bad)?;
            let (key, value) = (key.trim(), value.trim());
            match key {
                "det_max_side" => self.det_max_side = value.parse().map_err(|_| bad())?,
                "det_min_side" => self.det_min_side = value.parse().map_err(|_| bad())?,
                "min_score" => self.min_score = value.parse().map_err(|_| bad())?,
                "rec_batch" => self.rec_batch = value.parse().map_err(|_| bad())?,
                "rec_min_width" => self.rec_min_width = value.parse().map_err(|_| bad())?,
                "rec_width_step" => self.rec_width_step = value.parse().map_err(|_| bad())?,
                _ => return Err(bad()),
            }
        }
        Ok(())
    }
}

/// A loaded OCR engine. Load it once and call [`OcrEngine::read`] per image; it is `Send + Sync`.
pub struct OcrEngine {
    engine: Box<paddle::PaddleEngine>,
}

impl std::fmt::Debug for OcrEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OcrEngine")
            .field("engine", &paddle::ENGINE_NAME)
            .finish_non_exhaustive()
    }
}

impl OcrEngine {
    /// Where the models are looked for by default: `$ALIPAY_EXPLAIN_MODELS`, else
    /// `$XDG_DATA_HOME/alipay-explain/models`, else `~/.local/share/alipay-explain/models`.
    pub fn default_model_dir() -> PathBuf {
        if let Some(d) = std::env::var_os("ALIPAY_EXPLAIN_MODELS") {
            return PathBuf::from(d);
        }
        let base = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .unwrap_or_else(|| PathBuf::from("."));
        base.join("alipay-explain/models")
    }

    /// Loads the engine (PP-OCRv4) from `model_dir`.
    pub fn load(model_dir: impl AsRef<Path>) -> Result<Self, OcrError> {
        Self::load_with(model_dir, PaddleOptions::default())
    }

    /// Loads the engine with non-default options (used for measuring).
    pub fn load_with(
        model_dir: impl AsRef<Path>,
        options: PaddleOptions,
    ) -> Result<Self, OcrError> {
        Ok(Self {
            engine: Box::new(paddle::PaddleEngine::load(model_dir.as_ref(), options)?),
        })
    }

    /// The engine's name as it appears in [`OcrText::engine`].
    pub fn name(&self) -> &'static str {
        paddle::ENGINE_NAME
    }

    /// Reads the text off an encoded image (PNG, JPEG or WebP bytes).
    ///
    /// An image without text gives `Ok` with no lines ([`OcrText::is_empty`]).
    pub fn read(&self, bytes: &[u8]) -> Result<OcrText, OcrError> {
        let image = decode(bytes)?;
        self.read_image(&image)
    }

    /// Reads the text off an already decoded image.
    pub fn read_image(&self, image: &DynamicImage) -> Result<OcrText, OcrError> {
        if image.width() == 0 || image.height() == 0 {
            return Err(OcrError::EmptyImage);
        }
        let segments = self.engine.segments(image)?;
        Ok(assemble(segments, paddle::ENGINE_NAME))
    }
}

/// A piece of text found by the engine (a detected box).
#[derive(Debug, Clone)]
pub(crate) struct Segment {
    pub(crate) text: String,
    pub(crate) confidence: f32,
    /// The union of the line's segments.
    pub(crate) bbox: BBox,
}

/// Groups segments into visual lines and orders them for reading.
///
/// Two segments are on one line when they overlap vertically by more than half of the
/// smaller one's height. Lines go top to bottom; segments in a line left to right, joined by a
/// space (they are separate UI elements, e.g. two buttons).
pub(crate) fn assemble(mut segments: Vec<Segment>, engine: &'static str) -> OcrText {
    segments.retain(|s| !s.text.trim().is_empty());
    segments.sort_by_key(|s| (s.bbox.y + s.bbox.h / 2, s.bbox.x));
    let mut rows: Vec<(BBox, Vec<Segment>)> = Vec::new();
    for seg in segments {
        // Compare with the last few rows only: reading order is mostly monotonic.
        let hit = rows
            .iter_mut()
            .rev()
            .take(3)
            .find(|(b, _)| b.v_overlap(&seg.bbox) > 0.5);
        match hit {
            Some((b, segs)) => {
                *b = b.union(&seg.bbox);
                segs.push(seg);
            }
            None => rows.push((seg.bbox, vec![seg])),
        }
    }
    rows.sort_by_key(|(b, _)| (b.y + b.h / 2, b.x));
    let mut total_chars = 0usize;
    let mut weighted = 0f32;
    let lines: Vec<OcrLine> = rows
        .into_iter()
        .map(|(bbox, mut segs)| {
            segs.sort_by_key(|s| s.bbox.x);
            let chars: usize = segs.iter().map(|s| s.text.chars().count()).sum();
            let conf = segs
                .iter()
                .map(|s| s.confidence * s.text.chars().count() as f32)
                .sum::<f32>()
                / chars.max(1) as f32;
            total_chars += chars;
            weighted += conf * chars as f32;
            let text = segs
                .iter()
                .map(|s| s.text.trim())
                .collect::<Vec<_>>()
                .join(" ");
            OcrLine {
                text,
                confidence: conf,
                bbox,
            }
        })
        .collect();
    let confidence = if total_chars == 0 {
        0.0
    } else {
        weighted / total_chars as f32
    };
    OcrText {
        lines,
        engine,
        confidence,
    }
}

#[cfg(test)]
mod tests;
