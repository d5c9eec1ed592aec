//! Shared helpers for the integration tests.

use std::path::PathBuf;

use alipay_explain::Explainer;
use std::sync::LazyLock;

/// One explainer for all tests (it is `Send + Sync`).
pub(crate) static EXPLAINER: LazyLock<Explainer> =
    LazyLock::new(|| Explainer::new().expect("the embedded catalog loads"));

/// A path inside the repository.
pub(crate) fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The (id, slots) of the matches for `text`, in order.
pub(crate) fn ids_and_slots(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    EXPLAINER
        .explain(text)
        .matches
        .into_iter()
        .map(|m| (m.id, m.slots.into_iter().collect()))
        .collect()
}
