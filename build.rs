//! Prepares the embedded catalog at build time.
//!
//! Parsing and indexing the whole catalog at start-up cost 8 ms for 450 entries (JSON 0.9 ms,
//! template parsing 2.4 ms, positions 3.5 ms), against 0.9 ms for spawning `/bin/true`. So
//! this script does that work once: it reads `data/catalog/*.json` and writes the matching
//! data (anchors, bigrams, signatures, codes, and where each entry's JSON is) as Rust
//! statics. At run time an entry's English texts are parsed only when it matches.
//!
//! It uses the crate's own template and normalisation code (`#[path]` modules below), so the
//! prepared keys are exactly the keys the matcher computes for user catalogs. The full
//! validation of every entry runs in the test suite (`tests/catalog.rs`); a defect that
//! stops preparation stops the build with the file and entry named.

#![allow(dead_code, unreachable_pub, missing_docs)]

#[path = "src/normalize/lookalike.rs"]
mod lookalike;
#[path = "src/normalize.rs"]
mod normalize;
#[path = "src/prepare.rs"]
mod prepare;
#[path = "src/slot.rs"]
mod slot;
#[path = "src/template.rs"]
mod template;

/// The build-time twin of `src/key_table.rs`: it computes what the library looks up.
mod key_table {
    use crate::normalize::Change;

    /// The key form of a non-ASCII character: `fast2s` one character at a time, then the
    /// look-alike groups; `None` when the character has no key form.
    pub(crate) fn key_of(c: char) -> Option<(char, Change)> {
        if !c.is_alphanumeric() {
            return None;
        }
        let mut buf = [0u8; 4];
        let t = if c.len_utf8() == 3 {
            fast2s::convert(c.encode_utf8(&mut buf))
                .chars()
                .next()
                .unwrap_or(c)
        } else {
            c
        };
        let k = crate::lookalike::representative(t);
        let change = if k != t {
            Change::LookAlike
        } else if t != c {
            Change::Simplified
        } else {
            Change::None
        };
        Some((k, change))
    }

    /// No dense table at build time: every character goes through [`key_of`].
    pub(crate) fn dense_key(_: char) -> Option<Option<char>> {
        None
    }
}

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
struct File<'a> {
    #[serde(borrow)]
    entries: Vec<&'a RawValue>,
}

/// The fields preparation needs; the others are checked by the tests.
#[derive(Deserialize)]
struct MiniEntry {
    id: String,
    zh: Vec<String>,
    #[serde(default)]
    codes: Vec<String>,
}

/// A glossary file.
#[derive(Deserialize)]
struct MiniGlossary {
    words: Vec<MiniWord>,
}

#[derive(Deserialize)]
struct MiniWord {
    zh: String,
    pinyin: String,
    en: String,
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn main() {
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let catalog_dir = root.join("data/catalog");
    let glossary_dir = root.join("data/glossary");
    println!("cargo:rerun-if-changed=data/catalog");
    println!("cargo:rerun-if-changed=data/glossary");
    for f in [
        "normalize.rs",
        "normalize/lookalike.rs",
        "prepare.rs",
        "slot.rs",
        "template.rs",
        "key_table.rs",
    ] {
        println!("cargo:rerun-if-changed=src/{f}");
    }

    let mut files = String::new();
    let mut entries = String::new();
    let mut templates = String::new();
    let mut anchors: Vec<(String, usize)> = Vec::new();
    let mut codes: Vec<(String, usize)> = Vec::new();
    let mut bigrams: Vec<(u64, usize)> = Vec::new();
    let mut n_entries = 0usize;
    let mut n_templates = 0usize;
    // every string goes into one blob, referred to by offsets: pointers in statics would
    // each need a relocation at start-up (10k of them cost ~0.4 ms of page faults)
    let mut blob = String::new();
    let mut put = |s: &str| -> (usize, usize) {
        let start = blob.len();
        blob.push_str(s);
        (start, blob.len())
    };
    for (fi, path) in json_files(&catalog_dir).iter().enumerate() {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let _ = writeln!(
            files,
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/data/catalog/{name}\"))),"
        );
        let file: File = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("data/catalog/{name}: {e} (run `cargo test --test integration catalog` for details)"));
        for raw in file.entries {
            let json = raw.get();
            let start = json.as_ptr() as usize - text.as_ptr() as usize;
            let end = start + json.len();
            let e: MiniEntry = serde_json::from_str(json)
                .unwrap_or_else(|err| panic!("data/catalog/{name}: entry at byte {start}: {err}"));
            let (a, b) = put(&e.id);
            // where the entry starts, as `position::line_col` says it (a test checks)
            let before = &text[..start];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let _ = writeln!(
                entries,
                "    BuiltinEntry {{ id: ({a}, {b}), file: {fi}, start: {start}, end: {end}, line: {line}, column: {column} }},"
            );
            for code in &e.codes {
                let key = normalize::key(code);
                codes.push((key, n_entries));
            }
            for (nth, zh) in e.zh.iter().enumerate() {
                let t = template::Template::parse(zh).unwrap_or_else(|err| {
                    panic!(
                        "data/catalog/{name}: entry {}: template {zh:?}: {err}",
                        e.id
                    )
                });
                let grams = prepare::bigrams(&t);
                let (a, b) = put(&prepare::signature(&t));
                let gate = if prepare::anchor(&t).is_ascii() {
                    prepare::gate_words(&t).join(" ")
                } else {
                    String::new()
                };
                let (ga, gb) = put(&gate);
                let _ = writeln!(
                    templates,
                    "    BuiltinTemplate {{ entry: {n_entries}, nth: {nth}, signature: ({a}, {b}), bigrams: {}, gate: ({ga}, {gb}) }},",
                    grams.len()
                );
                anchors.push((prepare::anchor(&t).to_owned(), n_templates));
                bigrams.extend(grams.into_iter().map(|g| (g, n_templates)));
                n_templates += 1;
            }
            n_entries += 1;
        }
    }
    anchors.sort();
    codes.sort();
    bigrams.sort_unstable();
    let anchors: Vec<((usize, usize), usize)> = anchors.iter().map(|(k, t)| (put(k), *t)).collect();
    let codes: Vec<((usize, usize), usize)> = codes.iter().map(|(k, e)| (put(k), *e)).collect();

    let mut out = String::from(
        "// @generated by build.rs from data/catalog/*.json and data/glossary/*.json\n\n",
    );
    let _ = writeln!(out, "/// (file name, contents) of every catalog file.\npub(crate) static FILES: &[(&str, &str)] = &[\n{files}];\n");
    let _ = writeln!(out, "/// Every embedded entry, in file order.\npub(crate) static ENTRIES: &[BuiltinEntry] = &[\n{entries}];\n");
    let _ = writeln!(out, "/// Every embedded template.\npub(crate) static TEMPLATES: &[BuiltinTemplate] = &[\n{templates}];\n");
    out.push_str("/// (anchor key as a span of [`BLOB`], template), sorted by key.\npub(crate) static ANCHORS: &[(u32, u32, u32)] = &[\n");
    for ((a, b), t) in &anchors {
        let _ = writeln!(out, "    ({a}, {b}, {t}),");
    }
    out.push_str("];\n\n/// (code key as a span of [`BLOB`], entry), sorted by key.\npub(crate) static CODES: &[(u32, u32, u32)] = &[\n");
    for ((a, b), e) in &codes {
        let _ = writeln!(out, "    ({a}, {b}, {e}),");
    }
    out.push_str(
        "];\n\n/// (bigram, template), sorted.\npub(crate) static BIGRAMS: &[(u64, u32)] = &[\n",
    );
    for (g, t) in &bigrams {
        let _ = writeln!(out, "    ({g}, {t}),");
    }
    // the glossary's words as a sorted table: no parsing or hashing at run time (the files
    // are still embedded, and the tests check them with the run-time loader)
    let mut words: Vec<(String, String, String, String)> = Vec::new();
    for path in json_files(&glossary_dir) {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let g: MiniGlossary = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{name}: {e} (run `cargo test glossary` for details)"));
        for w in g.words {
            for (field, value) in [("zh", &w.zh), ("pinyin", &w.pinyin), ("en", &w.en)] {
                assert!(
                    !value.trim().is_empty(),
                    "{name}: word {:?}: empty {field}",
                    w.zh
                );
            }
            words.push((w.zh, w.pinyin, w.en, name.clone()));
        }
    }
    words.sort();
    for pair in words.windows(2) {
        assert!(
            pair[0].0 != pair[1].0,
            "glossary word {:?} is defined twice ({} and {}): keep one definition",
            pair[0].0,
            pair[0].3,
            pair[1].3
        );
    }
    let longest = words.iter().map(|w| w.0.chars().count()).max().unwrap_or(0);
    out.push_str(
        "];\n\n/// The glossary's words, sorted: (word, pinyin, English), spans of [`BLOB`].\n",
    );
    out.push_str("pub(crate) static GLOSSARY: &[BuiltinWord] = &[\n");
    for (zh, pinyin, en, _) in &words {
        let (a, b) = put(zh);
        let (c, d) = put(pinyin);
        let (e, f) = put(en);
        let _ = writeln!(
            out,
            "    BuiltinWord {{ zh: ({a}, {b}), pinyin: ({c}, {d}), en: ({e}, {f}) }},"
        );
    }
    let _ = write!(
        out,
        "];\n\n/// The longest glossary word, in characters.\npub(crate) static GLOSSARY_LONGEST: usize = {longest};\n"
    );
    out.push_str("\n/// (file name, contents) of every glossary file.\npub(crate) static GLOSSARY_FILES: &[(&str, &str)] = &[\n");
    for path in json_files(&glossary_dir) {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/data/glossary/{name}\"))),"
        );
    }
    out.push_str("];\n");
    let _ = writeln!(
        out,
        "\n/// The strings the tables above refer to.\npub(crate) static BLOB: &str = {blob:?};"
    );
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let dest = out_dir.join("prepared.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));

    // every character of the BMP's CJK blocks (and the compatibility ideographs) whose key
    // form differs from it
    let mut table = String::from("// @generated by build.rs\n\n/// (character, key character | change << 24) for every character whose key differs, sorted.\npub(crate) static KEY_TABLE: &[(u32, u32)] = &[\n");
    for cp in (0x2E80..=0x9FFFu32).chain(0xF900..=0xFAFF) {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        if let Some((k, change)) = key_table::key_of(c) {
            if k != c {
                let _ = writeln!(table, "    ({cp}, {}),", k as u32 | ((change as u32) << 24));
            }
        }
    }
    table.push_str("];\n");
    let dest = out_dir.join("key_table.rs");
    std::fs::write(&dest, table).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}
