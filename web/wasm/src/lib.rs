//! The alipay-explain library for the web page: `explain(text)` returns the same JSON as
//! `alipay-explain --json TEXT` prints (`serde_json::to_string` of the `Explanation`).

use alipay_explain::Explainer;
use std::sync::OnceLock;
use wasm_bindgen::prelude::*;

static EXPLAINER: OnceLock<Option<Explainer>> = OnceLock::new();

fn explainer() -> Option<&'static Explainer> {
    EXPLAINER
        .get_or_init(|| {
            let e = Explainer::new().ok()?;
            // build the matcher now, so that the first answer is as fast as the others
            let _ = e.prepare();
            Some(e)
        })
        .as_ref()
}

/// Builds the explainer (the embedded catalog, the matcher). Call once after loading;
/// `explain` does it on first use otherwise. Returns false when the catalog failed to load.
#[wasm_bindgen]
pub fn prepare() -> bool {
    explainer().is_some()
}

/// Explains `text`: the JSON object that `alipay-explain --json` prints for it.
/// Never throws; when the explainer cannot be built, returns `{"error": "…"}`.
#[wasm_bindgen]
pub fn explain(text: &str) -> String {
    match explainer() {
        Some(e) => serde_json::to_string(&e.explain(text))
            .unwrap_or_else(|err| error_json(&format!("cannot write the answer: {err}"))),
        None => error_json(&match Explainer::new() {
            Err(err) => format!("the catalog did not load: {err}"),
            Ok(_) => "the catalog did not load".to_owned(),
        }),
    }
}

fn error_json(message: &str) -> String {
    serde_json::json!({ "error": message }).to_string()
}
