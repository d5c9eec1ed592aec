//! DBNet inference: normalized NCHW image to a two-dimensional text score map.
//!
//! Models are loaded once and run by rten on any image size (no per-shape plans).
//! Contour extraction and coordinate restoration live in postprocessing.

use std::path::Path;

use crate::onnx_model::{ModelResult, run_f32};
use crate::preprocessing::PreprocessedDetInput;

/// Kept for upstream's API: rten compiles no plans, so there is nothing to cache.
pub const DEFAULT_DET_PLAN_CACHE: usize = 4;
use anyhow::anyhow;
use ndarray::{Array2, ArrayD, Axis};

/// Result of running DBNet detection inference.
#[derive(Debug, Clone)]
pub struct DetInferenceOutput {
    /// Text probabilities indexed by `[y, x]` in the model output coordinates.
    pub probability_map: Array2<f32>,
}

/// Runnable inference session for DBNet detection model.
#[derive(Debug)]
pub struct DetInferenceSession {
    model: rten::Model,
    executor: crate::threading::Executor,
}

impl DetInferenceSession {
    /// Loads an ONNX graph.
    pub fn load(model_path: impl AsRef<Path>) -> ModelResult<Self> {
        let model_path = model_path.as_ref();
        log::info!("[DetInfer] Loading detection model from {:?}", model_path);

        Self::from_model(crate::onnx_model::load_paddle_onnx(model_path)?)
    }

    /// Loads a DBNet detection model from ONNX bytes held in memory.
    pub fn from_bytes(model_bytes: &[u8]) -> ModelResult<Self> {
        log::info!(
            "[DetInfer] Loading detection model from memory ({} bytes)",
            model_bytes.len()
        );
        Self::from_model(crate::onnx_model::load_paddle_onnx_from_bytes(model_bytes)?)
    }

    fn from_model(model: rten::Model) -> ModelResult<Self> {
        log::debug!("[DetInfer] Detection model prepared");
        Ok(Self {
            model,
            executor: crate::threading::Executor::SingleThread,
        })
    }

    /// Runs a preprocessed `[1, 3, height, width]` input and extracts the score
    /// map from the first model output, required to be `[1, 1, H, W]` with
    /// positive spatial dimensions.
    /// `resized_dims` must agree with the tensor's width and height.
    /// Model compilation, execution and output conversion errors propagate.
    pub fn run(&self, input: &PreprocessedDetInput) -> ModelResult<DetInferenceOutput> {
        self.run_on(input, &self.executor)
    }

    /// Runs one image single-threaded. Used when several images already run
    /// in parallel (see `RecInferenceSession::run_single_threaded` for why
    /// nesting tract's parallel matrix multiplication there is unsafe).
    pub(crate) fn run_single_threaded(
        &self,
        input: &PreprocessedDetInput,
    ) -> ModelResult<DetInferenceOutput> {
        self.run_on(input, &crate::threading::Executor::SingleThread)
    }

    fn run_on(
        &self,
        input: &PreprocessedDetInput,
        executor: &crate::threading::Executor,
    ) -> ModelResult<DetInferenceOutput> {
        log::debug!(
            "[DetInfer] Running inference with input dims {:?}",
            input.tensor.shape()
        );

        let output_tensor =
            crate::threading::run_with(executor, || run_f32(&self.model, &input.tensor))?;

        let probability_map = probability_map_from_tensor(&output_tensor)?;

        log::debug!(
            "[DetInfer] Inference complete, output dims {:?}",
            probability_map.raw_dim()
        );

        Ok(DetInferenceOutput { probability_map })
    }

    /// Runs inference on a pool of `threads` worker threads (`1` runs
    /// single-threaded). Has no effect without the `multithread` feature or
    /// on WebAssembly builds without the `atomics` target feature.
    pub fn set_inference_threads(&mut self, threads: usize) {
        self.executor = crate::threading::executor_for(threads);
    }

    pub(crate) fn set_executor(&mut self, executor: crate::threading::Executor) {
        self.executor = executor;
    }

    /// Kept for upstream's API: rten compiles no plans.
    pub fn set_plan_cache_capacity(&self, _capacity: usize) {}

    /// Nothing to prepare: rten runs any input shape without compiling a plan.
    pub(crate) fn prepare_plan(&self, _width: u32, _height: u32) -> ModelResult<()> {
        Ok(())
    }

    /// Always 0: rten compiles no plans.
    pub fn cached_plan_count(&self) -> usize {
        0
    }
}

/// Converts the first DBNet output to the score map consumed by postprocessing.
fn probability_map_from_tensor(tensor: &ArrayD<f32>) -> ModelResult<Array2<f32>> {
    let shape = tensor.shape();
    // Validate before indexing: ndarray panics when index 0 meets an empty axis.
    if shape.len() != 4 || shape[0] != 1 || shape[1] != 1 || shape[2] == 0 || shape[3] == 0 {
        return Err(anyhow!(
            "expected DBNet output shape [1, 1, H, W] with positive H and W, got {:?}",
            shape
        ));
    }
    let view = tensor.view().into_dimensionality::<ndarray::Ix4>()?;
    Ok(view
        .index_axis(Axis(0), 0)
        .index_axis(Axis(0), 0)
        .to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preprocessing::{DetPreProcessor, DetPreProcessorConfig};
    use image::{ImageBuffer, Rgb};
    use std::env;
    use std::path::{Path, PathBuf};

    #[test]
    fn detection_output_empty_batch_is_error() {
        let tensor = ndarray::Array4::<f32>::zeros((0, 1, 2, 3)).into_dyn();
        assert!(probability_map_from_tensor(&tensor).is_err());
    }

    #[test]
    fn detection_output_empty_channel_is_error() {
        let tensor = ndarray::Array4::<f32>::zeros((1, 0, 2, 3)).into_dyn();
        assert!(probability_map_from_tensor(&tensor).is_err());
    }

    #[test]
    fn detection_output_incompatible_shapes_are_errors() {
        for shape in [
            vec![1, 2, 3],
            vec![2, 1, 2, 3],
            vec![1, 2, 2, 3],
            vec![1, 1, 0, 3],
            vec![1, 1, 2, 0],
        ] {
            let tensor = ndarray::ArrayD::<f32>::zeros(shape.clone());
            let error = probability_map_from_tensor(&tensor).unwrap_err();
            assert!(error.to_string().contains(&format!("{:?}", shape)));
        }
    }

    #[test]
    fn detection_output_preserves_spatial_axes_and_scores() {
        let tensor = ndarray::Array4::<f32>::from_shape_vec(
            (1, 1, 2, 3),
            vec![0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
        )
        .unwrap()
        .into_dyn();
        let map = probability_map_from_tensor(&tensor).unwrap();
        assert_eq!(map.dim(), (2, 3));
        assert_eq!(map[[0, 2]], 0.3);
        assert_eq!(map[[1, 0]], 0.4);
    }

    fn dummy_image(width: u32, height: u32) -> image::DynamicImage {
        let pixel = Rgb([128, 64, 200]);
        let buffer = ImageBuffer::from_pixel(width, height, pixel);
        image::DynamicImage::ImageRgb8(buffer)
    }

    fn locate_ppocrv5_asset(file_name: &str) -> Option<PathBuf> {
        let mut bases: Vec<PathBuf> = Vec::new();
        if let Some(dir) = env::var_os("PURE_ONNX_OCR_FIXTURE_DIR") {
            let env_path = PathBuf::from(dir);
            bases.push(env_path.clone());
            bases.push(env_path.join("models"));
        }

        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        bases.push(manifest.join("tests").join("fixtures").join("models"));
        bases.push(manifest.join("tests").join("fixtures"));
        bases.push(manifest.join("models"));

        for base in bases {
            let ppocr_dir = base.join("ppocrv5");
            let candidate = ppocr_dir.join(file_name);
            if candidate.exists() {
                return Some(candidate);
            }

            let alt = base.join(file_name);
            if alt.exists() {
                return Some(alt);
            }
        }

        None
    }

    #[test]
    fn detection_inference_runs() -> ModelResult<()> {
        let model_path =
            locate_ppocrv5_asset("det.onnx").expect("expected DBNet model under models/ppocrv5/");

        let session = DetInferenceSession::load(model_path)?;

        let image = dummy_image(320, 320);
        let preprocessor = DetPreProcessor::new(DetPreProcessorConfig {
            limit_side_len: 320,
            ..DetPreProcessorConfig::default()
        });
        let preprocessed = preprocessor
            .process(&image)
            .expect("preprocessing should succeed");

        let output = session.run(&preprocessed)?;
        assert_eq!(
            output.probability_map.dim(),
            (
                preprocessed.resized_dims.1 as usize,
                preprocessed.resized_dims.0 as usize
            )
        );

        Ok(())
    }
}
