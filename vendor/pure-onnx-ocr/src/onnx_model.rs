//! Loading PaddleOCR ONNX exports and running them with `rten`.
//!
//! Changed by alipay-explain: upstream runs the models with `tract-onnx`, which compiles an
//! optimised plan for every input shape (100-400 ms each, once per image size and text-line
//! width). `rten` interprets the graph with dynamic shapes, so nothing is compiled per shape
//! and loading both PP-OCRv4 models takes under 0.1 s. The plan caches of upstream are gone.

use std::path::Path;

use ndarray::ArrayD;
use rten::Model;
use rten_tensor::prelude::*;
use rten_tensor::TensorView;

/// Errors of loading or running a model (any error of the runtime, with context).
pub type ModelError = anyhow::Error;
/// Result of loading or running a model.
pub type ModelResult<T> = anyhow::Result<T>;

/// Loads an ONNX model from a file.
pub(crate) fn load_paddle_onnx(model_path: &Path) -> ModelResult<Model> {
    Model::load_file(model_path)
        .map_err(|e| anyhow::anyhow!("cannot load {}: {e}", model_path.display()))
}

/// Loads an ONNX model held in memory (for example fetched by a browser).
pub(crate) fn load_paddle_onnx_from_bytes(bytes: &[u8]) -> ModelResult<Model> {
    Model::load(bytes.to_vec()).map_err(|e| anyhow::anyhow!("cannot load the model: {e}"))
}

/// Runs a single-input, single-output `f32` model on `input` (any shape the graph accepts).
pub(crate) fn run_f32(model: &Model, input: &ArrayD<f32>) -> ModelResult<ArrayD<f32>> {
    let input = input.as_standard_layout();
    let data = input
        .as_slice()
        .ok_or_else(|| anyhow::anyhow!("input tensor is not contiguous"))?;
    let view = TensorView::from_data(input.shape(), data);
    let output = model
        .run_one(view.into(), None)
        .map_err(|e| anyhow::anyhow!("inference failed: {e}"))?;
    let output: rten_tensor::Tensor<f32> = output
        .try_into()
        .map_err(|e| anyhow::anyhow!("model output is not f32: {e:?}"))?;
    let shape = output.shape().to_vec();
    Ok(ArrayD::from_shape_vec(shape, output.to_vec())?)
}
