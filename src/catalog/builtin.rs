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
    /// Index into [`FILES`] and [`FILE_NAMES`].
    pub(crate) file: usize,
    /// Where the entry starts in its file (1-based), for messages about it.
    pub(crate) line: usize,
    pub(crate) column: usize,
    /// Byte range of the entry's minified JSON in [`ENTRY_JSON`].
    pub(crate) json: (u32, u32),
}

impl BuiltinEntry {
    /// The entry's id.
    pub(crate) fn id(&self) -> &'static str {
        IDS.get(self.id.0 as usize..self.id.1 as usize)
            .unwrap_or("")
    }

    /// The entry's JSON, minified: what [`validate::embedded`](super::validate) parses.
    pub(crate) fn json(&self) -> Option<&'static str> {
        entry_json().get(self.json.0 as usize..self.json.1 as usize)
    }

    /// The name of the entry's file in `data/catalog`.
    pub(crate) fn file_name(&self) -> &'static str {
        FILE_NAMES.get(self.file).copied().unwrap_or("")
    }
}

/// [`ENTRY_JSON`] as written.
#[cfg(not(feature = "deflate-catalog"))]
fn entry_json() -> &'static str {
    ENTRY_JSON
}

/// The entries' JSON deflate-compressed (the `deflate-catalog` feature, for the web page's
/// `.wasm`: 743 kB of text in about 170 kB).
#[cfg(feature = "deflate-catalog")]
pub(crate) struct Deflated {
    /// Length of the text.
    len: usize,
    bytes: &'static [u8],
}

/// [`ENTRY_JSON`], inflated on first use (a few milliseconds, once); empty if it does not
/// inflate to the text `build.rs` compressed, which the tests rule out.
#[cfg(feature = "deflate-catalog")]
fn entry_json() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        miniz_oxide::inflate::decompress_to_vec_with_limit(ENTRY_JSON.bytes, ENTRY_JSON.len)
            .ok()
            .filter(|b| b.len() == ENTRY_JSON.len)
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default()
    })
}

include!(concat!(env!("OUT_DIR"), "/prepared.rs"));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::position;

    /// Each file's entries, in order, as the embedded entries of that file.
    fn by_file() -> Vec<Vec<&'static BuiltinEntry>> {
        let mut out = vec![Vec::new(); FILES.len()];
        for b in ENTRIES {
            out[b.file].push(b);
        }
        out
    }

    #[test]
    fn embedded_entries_know_where_they_start() {
        for (entries, (name, text)) in by_file().iter().zip(FILES) {
            let starts: Vec<_> = position::entries(text).iter().map(|p| p.start).collect();
            let built: Vec<_> = entries.iter().map(|b| (b.line, b.column)).collect();
            assert_eq!(built, starts, "{name}");
            assert!(entries.iter().all(|b| b.file_name() == *name), "{name}");
        }
    }

    /// What the library parses is what the files say: the same JSON values, entry by entry.
    #[test]
    fn entry_json_is_the_files() {
        let mut n = 0;
        for (entries, (name, text)) in by_file().iter().zip(FILES) {
            let file: serde_json::Value = serde_json::from_str(text).unwrap();
            let in_file = file["entries"].as_array().unwrap();
            assert_eq!(in_file.len(), entries.len(), "{name}");
            for (b, want) in entries.iter().zip(in_file) {
                let json = b.json().unwrap();
                assert!(!json.contains("\n"), "{name}: {} is not minified", b.id());
                let got: serde_json::Value = serde_json::from_str(json).unwrap();
                assert_eq!(&got, want, "{name}: {}", b.id());
                n += 1;
            }
        }
        assert_eq!(n, ENTRIES.len());
    }
}
