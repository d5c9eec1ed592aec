/*!
Screenshots: `--image PATH` and an image piped in (issue 13). The text is read off the image
by the library's OCR engine (feature `image`) and explained like a paste.

Without the feature the option is still there (the `--help` and the README stay one), and
using it exits with 2 and says how to build with it.
*/

use std::path::PathBuf;

use crate::args::Common;
use crate::render::Style;
use crate::{Fail, Outcome};

/// Most bytes read from one image file.
#[cfg(feature = "image")]
const MAX_IMAGE_FILE: u64 = 64 * 1024 * 1024;

/// What to do to read images, for the error when they cannot be read.
#[cfg(not(feature = "image"))]
const BUILD_HINT: &str = "reading screenshots needs a build with the OCR engine: \
     `cargo build --release --features image` (or `cargo install --locked --path . --features image`), \
     then fetch its models once with scripts/fetch-ocr-models.sh";

/// An image to read, and how to name it in messages.
#[derive(Debug)]
pub(crate) struct Source {
    pub(crate) name: String,
    #[cfg_attr(not(feature = "image"), allow(dead_code))]
    pub(crate) bytes: Vec<u8>,
}

/// PNG, JPEG or WebP, by its first bytes (the formats the OCR engine reads).
pub(crate) fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || (bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP")
}

/// The files given with `--image`, read (a file that cannot be read is a usage error).
pub(crate) fn from_files(paths: &[PathBuf]) -> Result<Vec<Source>, Fail> {
    #[cfg(not(feature = "image"))]
    {
        let _ = paths;
        Err(Fail::Message(format!("--image: {BUILD_HINT}")))
    }
    #[cfg(feature = "image")]
    {
        use std::io::Read;
        paths
            .iter()
            .map(|p| {
                let name = p.display().to_string();
                let fail = |e: std::io::Error| Fail::Message(format!("{name}: cannot read: {e}"));
                let file = std::fs::File::open(p).map_err(fail)?;
                let mut bytes = Vec::new();
                file.take(MAX_IMAGE_FILE + 1)
                    .read_to_end(&mut bytes)
                    .map_err(fail)?;
                if bytes.len() as u64 > MAX_IMAGE_FILE {
                    return Err(Fail::Message(format!(
                        "{name}: the file is over {} MB: too large for a screenshot",
                        MAX_IMAGE_FILE / (1024 * 1024)
                    )));
                }
                Ok(Source { name, bytes })
            })
            .collect()
    }
}

/// Reads each image and explains its text. An image that is not one, or is corrupt or too
/// large, is a usage error (2); an image without text is "nothing found" (1).
#[cfg(not(feature = "image"))]
pub(crate) fn run(_common: &Common, sources: Vec<Source>, _style: Style) -> Result<Outcome, Fail> {
    let name = sources
        .first()
        .map_or("the input", |s| s.name.as_str())
        .to_owned();
    Err(Fail::Message(format!("{name} is an image: {BUILD_HINT}")))
}

/// Reads each image and explains its text. An image that is not one, or is corrupt or too
/// large, is a usage error (2); an image without text is "nothing found" (1).
#[cfg(feature = "image")]
pub(crate) fn run(common: &Common, sources: Vec<Source>, style: Style) -> Result<Outcome, Fail> {
    use alipay_explain::ocr::{OcrEngine, PaddleOptions};

    use crate::render;

    // the explainer first: a bad --catalog is reported before the slow model load
    let explainer = crate::builder(common).build()?;
    // every image is checked before the models are loaded: a wrong file fails fast
    for s in &sources {
        alipay_explain::ocr::decode_header(&s.bytes)
            .map_err(|e| Fail::Message(format!("{}: {e}", s.name)))?;
    }
    let mut options = PaddleOptions::default();
    if let Some(spec) = std::env::var_os("ALIPAY_EXPLAIN_OCR_OPTIONS") {
        options
            .apply(&spec.to_string_lossy())
            .map_err(|e| Fail::Message(format!("ALIPAY_EXPLAIN_OCR_OPTIONS: {e}")))?;
    }
    let engine = OcrEngine::load_with(OcrEngine::default_model_dir(), options)
        .map_err(|e| Fail::Message(e.to_string()))?;
    let mut found = false;
    let mut empty: Vec<String> = Vec::new();
    for s in &sources {
        let read = engine
            .read(&s.bytes)
            .map_err(|e| Fail::Message(format!("{}: {e}", s.name)))?;
        if read.is_empty() {
            eprintln!("alipay-explain: no text found in {}", s.name);
            empty.push(s.name.clone());
            continue;
        }
        let text = read.text();
        let explanation = explainer.explain(&text);
        found |= explanation.is_match();
        let mut out = crate::stdout(common);
        match style {
            Style::Json => {
                let mut value = serde_json::to_value(&explanation)
                    .map_err(|e| Fail::Message(format!("cannot write JSON: {e}")))?;
                if let Some(object) = value.as_object_mut() {
                    let confidence = (f64::from(read.confidence) * 1000.0).round() / 1000.0;
                    object.insert(
                        "ocr".to_owned(),
                        serde_json::json!({
                            "text": text,
                            "engine": read.engine,
                            "confidence": confidence,
                        }),
                    );
                }
                render::json_line(&mut out, &value)?;
            }
            Style::Full | Style::Brief => {
                // the full style shows what was read, so a person can check it
                if style == Style::Full {
                    render::ocr_text(&mut out, &s.name, &text)?;
                }
                let wrap = render::Wrap::for_stdout(common);
                render::any(&mut out, style, wrap, &explanation)?;
            }
        }
    }
    Ok(if found {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}
