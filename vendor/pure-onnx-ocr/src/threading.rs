//! Thread settings of the pipeline.
//!
//! Changed by alipay-explain: upstream ran tract's matrix multiplications on its own rayon
//! pool. rten parallelises inside each operator on its global pool (one thread per physical
//! core), so the pipeline's stages run one after another and the setting is kept only for
//! upstream's API: a value of 1 is still accepted and changes nothing.

/// How stages run. Kept for upstream's API; every variant runs stages in turn.
#[derive(Debug, Clone, Default)]
pub(crate) enum Executor {
    /// One stage at a time (rten still uses its own threads inside each operator).
    #[default]
    SingleThread,
}

/// True: rten runs operators on several threads on native targets.
pub const MULTITHREAD_SUPPORTED: bool = cfg!(not(target_arch = "wasm32"));

/// The number of threads available (informational; rten sizes its own pool).
pub fn default_inference_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 16)
}

pub(crate) fn max_inference_threads() -> usize {
    usize::MAX
}

pub(crate) fn executor_for(threads: usize) -> Executor {
    let _ = threads;
    Executor::SingleThread
}

pub(crate) fn run_with<R>(executor: &Executor, f: impl FnOnce() -> R) -> R {
    let _ = executor;
    f()
}

pub(crate) fn parallel_map<T, R, F>(executor: &Executor, items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync + Send,
{
    let _ = executor;
    items.iter().map(f).collect()
}
