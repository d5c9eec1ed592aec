/*!
The embedded catalog and glossary: the files of `data/`, compiled into the binary so the
tool runs with no files beside it, with the matching data `build.rs` prepared from them.

Strings in the prepared tables are spans of one blob ([`BLOB`]) rather than `&str`s, so the
tables need no relocations when the program starts.
*/

/// An embedded entry: its id, and where its JSON is.
#[derive(Debug)]
pub(crate) struct BuiltinEntry {
    /// Span of [`BLOB`].
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

/// An embedded template.
#[derive(Debug)]
pub(crate) struct BuiltinTemplate {
    /// The entry's position in [`ENTRIES`].
    pub(crate) entry: u32,
    /// Which of the entry's templates.
    pub(crate) nth: u32,
    /// Span of [`BLOB`]: see [`crate::prepare::signature`].
    pub(crate) signature: (u32, u32),
    /// How many distinct bigrams the template has.
    pub(crate) bigrams: u32,
    /// Span of [`BLOB`]: the gate words of an English template, space-separated (see
    /// [`crate::prepare::gate_words`]); empty for the others.
    pub(crate) gate: (u32, u32),
}

/// An embedded glossary word: spans of [`BLOB`].
#[derive(Debug)]
pub(crate) struct BuiltinWord {
    pub(crate) zh: (u32, u32),
    pub(crate) pinyin: (u32, u32),
    pub(crate) en: (u32, u32),
}

/// The text of a span of [`BLOB`].
pub(crate) fn text((start, end): (u32, u32)) -> &'static str {
    BLOB.get(start as usize..end as usize).unwrap_or("")
}

include!(concat!(env!("OUT_DIR"), "/prepared.rs"));
