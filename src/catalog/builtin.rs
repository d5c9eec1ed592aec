/*!
The embedded catalog and glossary: the files of `data/`, compiled into the binary so the
tool runs with no files beside it, with the matching tables `build.rs` prepared from them
(the same [`Tables`](alipay_explain_prep::tables::Tables) a user's catalog gets at load time).
*/

/// An embedded entry: its id, and where its JSON is.
#[derive(Debug)]
pub(crate) struct BuiltinEntry {
    /// Byte range of the id in [`IDS`].
    pub(crate) id: (u32, u32),
    /// Index into [`FILES`].
    pub(crate) file: usize,
    /// Byte range of the entry's JSON object in its file.
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Where the entry starts in its file (1-based), for messages about it.
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl BuiltinEntry {
    /// The entry's id.
    pub(crate) fn id(&self) -> &'static str {
        IDS.get(self.id.0 as usize..self.id.1 as usize)
            .unwrap_or("")
    }
}

include!(concat!(env!("OUT_DIR"), "/prepared.rs"));
