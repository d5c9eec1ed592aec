//! PP-OCRv4 detection + recognition run by rten, through the (vendored) `pure-onnx-ocr` crate.
//!
//! Pipeline (all in `pure-onnx-ocr`, mirroring PaddleOCR/RapidOCR): the image is resized for
//! the DB detector (longest side at most [`PaddleOptions::det_max_side`], multiple of 32),
//! the probability map is thresholded (0.3), boxes are taken from its contours (min-area
//! rectangles, score ≥ 0.5, unclipped by 1.6), each box is cropped from the *original* image
//! with a perspective warp (so slightly tilted photos are straightened), resized to height 48
//! and recognised; CTC greedy decoding uses the character list stored in the recognition
//! model's ONNX metadata. Segments whose mean character probability is below
//! [`PaddleOptions::min_score`] are dropped (RapidOCR's `text_score`).

use std::path::Path;

use image::DynamicImage;
use pure_onnx_ocr::{DetLimitType, OcrEngine as PureEngine, OcrEngineBuilder};

use super::{onnx_meta, BBox, OcrError, PaddleOptions, Segment, DET_MODEL_FILE, REC_MODEL_FILE};

pub(crate) const ENGINE_NAME: &str = "pp-ocrv4";

pub(crate) struct PaddleEngine {
    engine: PureEngine,
    options: PaddleOptions,
}

impl PaddleEngine {
    pub(crate) fn load(dir: &Path, options: PaddleOptions) -> Result<Self, OcrError> {
        let missing: Vec<String> = [DET_MODEL_FILE, REC_MODEL_FILE]
            .iter()
            .filter(|f| !dir.join(f).is_file())
            .map(|f| f.to_string())
            .collect();
        if !missing.is_empty() {
            return Err(OcrError::ModelsMissing {
                dir: dir.to_path_buf(),
                missing,
            });
        }
        let rec = std::fs::read(dir.join(REC_MODEL_FILE))
            .map_err(|e| OcrError::ModelLoad(format!("{}: {e}", REC_MODEL_FILE)))?;
        let dict = onnx_meta::metadata_value(&rec, "character").ok_or_else(|| {
            OcrError::ModelLoad(format!(
                "{REC_MODEL_FILE} has no `character` metadata (wrong file?)"
            ))
        })?;
        let engine = OcrEngineBuilder::new()
            // narrower text lines are padded (with zeros, as PaddleOCR pads a batch) to
            // this width; wider ones round up to a step
            .rec_min_width(options.rec_min_width)
            .rec_width_alignment(options.rec_width_step)
            .det_model_path(dir.join(DET_MODEL_FILE))
            .rec_model_bytes(rec)
            .dictionary_text(dict)
            .det_limit_type(DetLimitType::Max)
            .det_limit_side_len(options.det_max_side)
            .rec_batch_size(options.rec_batch.max(1))
            .build()
            .map_err(|e| OcrError::ModelLoad(e.to_string()))?;
        Ok(Self { engine, options })
    }

    pub(crate) fn segments(&self, image: &DynamicImage) -> Result<Vec<Segment>, OcrError> {
        let upscaled;
        let (input, scale) = match upscale_factor(image, self.options.det_min_side) {
            Some(f) => {
                let (w, h) = (
                    (image.width() as f32 * f) as u32,
                    (image.height() as f32 * f) as u32,
                );
                upscaled = image.resize_exact(w, h, image::imageops::FilterType::Triangle);
                (&upscaled, f)
            }
            None => (image, 1.0),
        };
        let results = self
            .engine
            .run_from_image(input)
            .map_err(|e| OcrError::Engine(e.to_string()))?;
        Ok(results
            .into_iter()
            .filter(|r| r.confidence >= self.options.min_score)
            .map(|r| {
                let pts = r.bounding_box.exterior().points();
                let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
                for p in pts {
                    x0 = x0.min(p.x());
                    y0 = y0.min(p.y());
                    x1 = x1.max(p.x());
                    y1 = y1.max(p.y());
                }
                let s = f64::from(scale);
                let clamp = |v: f64| (v / s).max(0.0) as u32;
                let bbox = BBox {
                    x: clamp(x0),
                    y: clamp(y0),
                    w: clamp(x1).saturating_sub(clamp(x0)),
                    h: clamp(y1).saturating_sub(clamp(y0)),
                };
                Segment {
                    text: r.text,
                    confidence: r.confidence,
                    bbox,
                }
            })
            .collect())
    }
}

fn upscale_factor(image: &DynamicImage, min_side: u32) -> Option<f32> {
    let short = image.width().min(image.height());
    if min_side == 0 || short >= min_side {
        return None;
    }
    Some((min_side as f32 / short as f32).min(4.0))
}
