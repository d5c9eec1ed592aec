//! # Pure ONNX OCR
//!
//! A Pure Rust OCR pipeline that mirrors the PaddleOCR DBNet + CTC recognition
//! stack and runs the PP-OCRv5 and PP-OCRv6 ONNX exports (vendored by alipay-explain:
//! run by `rten` instead of `tract-onnx`).
//! The crate exposes ergonomic builders and processing stages that let you
//! load ONNX models, prepare image batches, and decode recognition logits
//! without any C/C++ dependencies.
//!
//! Most consumers interact with [`OcrEngineBuilder`] to construct an
//! [`OcrEngine`], then call [`OcrEngine::run_from_path`] or
//! [`OcrEngine::run_from_image`].  Lower-level modules remain available
//! when you need to plug specific stages into an existing pipeline.

pub mod crop;
pub mod ctc;
pub mod detection;
pub mod dictionary;
pub mod engine;
pub mod imgproc;
mod onnx_model;
pub mod orientation;
pub mod paddle_config;
pub mod postprocessing;
pub mod preprocessing;
pub mod recognition;
mod threading;
mod time;

/// Rotation-aware crop geometry and crop mode selection.
pub use crop::{crop_quad, min_area_quad, Quad, RecCropMode};
/// CTC decoding utilities for custom recognition postprocessing.
pub use ctc::{CtcGreedyDecoder, CtcGreedyDecoderConfig, CtcGreedyDecoderError, DecodedSequence};
/// Re-export of detection inference helpers for direct DBNet integration.
pub use detection::{DetInferenceOutput, DetInferenceSession};
pub use dictionary::{DictionaryError, RecDictionary};
/// High-level façade providing an ergonomic OCR API.
pub use engine::{
    OcrEngine, OcrEngineBuilder, OcrEngineConfig, OcrError, OcrResult, OcrRunWithMetrics,
    OcrTimings, StageTimings, PADDLE_CONFIG_FILE, PADDLE_MODEL_FILE,
};
/// Geometry primitives surfaced at the crate root for convenience.
pub use geo_types::{Point, Polygon};
/// Optional page and text-line orientation classification.
pub use orientation::{OrientationClassifier, OrientationError, OrientationPrediction};
/// PaddleOCR `inference.yml` reader used for PP-OCRv5 / PP-OCRv6 model directories.
pub use paddle_config::{ColorOrder, PaddleConfigError, PaddleInferenceConfig};
pub use postprocessing::{
    DetPolygonScaler, DetPolygonScalerConfig, DetPolygonUnclipper, DetPolygonUnclipperConfig,
    DetPostProcessor, DetPostProcessorConfig, DetPostProcessorError, DetScaleRounding,
    DetUnclipLineJoin,
};
pub use preprocessing::{
    DetLimitType, DetPreProcessor, DetPreProcessorConfig, DetPreProcessorError,
    PreprocessedDetInput, PreprocessedRecBatch, RecPreProcessor, RecPreProcessorConfig,
    RecPreProcessorError, RecTextRegion, IMAGENET_MEAN, IMAGENET_STD,
};
pub use recognition::{
    RecInferenceOutput, RecInferenceSession, RecPostProcessor, RecPostProcessorConfig,
    RecPostProcessorError,
};
/// Inference thread settings (see [`OcrEngineBuilder::inference_threads`]).
pub use threading::{default_inference_threads, MULTITHREAD_SUPPORTED};

/// Errors and results of loading or running a model (rten, through `anyhow`).
pub use onnx_model::{ModelError, ModelResult};
