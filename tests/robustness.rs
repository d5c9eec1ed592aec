//! Hostile input and broken catalogs: never a panic, never a half-loaded catalog, and every
//! error says what, where, and what to do.

use std::path::Path;

use alipay_explain::{decode, Catalog, CatalogErrorKind, Encoding, Error, Explainer};

use crate::util::{repo, EXPLAINER};

#[test]
fn empty_and_blank_input() {
    for text in ["", " ", "\n\n\t", "\u{3000}\u{3000}", "。，、"] {
        let out = EXPLAINER.explain(text);
        assert!(out.matches.is_empty(), "{text:?}");
        assert!(out.unmatched.iter().all(|u| u.gloss.is_empty()));
    }
}

#[test]
fn control_characters_and_binary_junk() {
    let junk: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let out = EXPLAINER.explain_bytes(&junk);
    assert!(out.matches.is_empty());
    let out = EXPLAINER.explain("\0系统繁忙，请稍后再试（ALIN10146）\u{7f}\u{1b}[31m");
    assert_eq!(out.matches[0].id, "system.busy_try_later");
    // invalid UTF-8 in the middle of a message: the rest still matches
    let mut bytes = "系统繁忙，请稍后再试".as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff\xfe");
    bytes.extend_from_slice("（ALIN10146）".as_bytes());
    let out = EXPLAINER.explain_bytes(&bytes);
    assert_eq!(out.matches[0].id, "system.busy_try_later");
}

#[test]
fn encodings() {
    let gb = std::fs::read(repo("fixtures/encodings/gb18030.txt")).unwrap();
    let text = decode(&gb, Encoding::Auto).unwrap();
    assert_eq!(
        EXPLAINER.explain(&text).matches[0].id,
        "system.busy_try_later"
    );
    assert_eq!(
        EXPLAINER.explain_bytes(&gb).matches[0].id,
        "system.busy_try_later"
    );
    let bad = std::fs::read(repo("fixtures/encodings/invalid-utf8.bin")).unwrap();
    let err = decode(&bad, Encoding::Auto).unwrap_err();
    assert!(err.to_string().contains("offset"), "{err}");
    assert!(decode(&bad[2..], Encoding::Utf8).is_err());
}

#[test]
fn a_five_megabyte_line() {
    let unit = "用户反馈页面加载有点慢，";
    let mut line = unit.repeat(5_000_000 / unit.len());
    line.push_str("系统繁忙，请稍后再试（ALIN10146）");
    line.push_str(&unit.repeat(1000));
    let out = EXPLAINER.explain(&line);
    assert_eq!(out.matches.len(), 1);
    assert_eq!(
        &line[out.matches[0].start..out.matches[0].end],
        out.matches[0].text
    );
    // and with no message at all
    let out = EXPLAINER.explain(&"啊".repeat(2_000_000));
    assert!(out.matches.is_empty());
}

#[test]
fn pathological_repetition() {
    // many near-misses of one template in one paste
    let text = "系统繁忙，请稍后".repeat(5_000);
    let out = EXPLAINER.explain(&text);
    for m in &out.matches {
        assert_eq!(&text[m.start..m.end], m.text);
    }
    let out = EXPLAINER.explain(&"{code}{{}}".repeat(10_000));
    assert!(out.matches.is_empty());
}

/// Each broken catalog: rejected with file:line:column, the entry id when there is one, and
/// a message that says what is wrong.
#[test]
fn broken_catalogs_are_rejected_with_their_place() {
    let cases: &[(&str, Option<&str>, usize, &str)] = &[
        // (file, entry id, line, what the message says)
        ("bad-json.json", None, 3, "EOF while parsing"),
        ("unknown-field.json", None, 2, "unknown field `transaltion`"),
        (
            "duplicate-id.json",
            Some("system.test_fixture"),
            3,
            "duplicate id",
        ),
        (
            "unknown-slot.json",
            Some("system.test_fixture"),
            2,
            "unknown slot type",
        ),
        (
            "unbalanced-brace.json",
            Some("system.test_fixture"),
            2,
            "unbalanced brace",
        ),
        (
            "empty-template.json",
            Some("system.test_fixture"),
            2,
            "empty template",
        ),
        (
            "all-slots.json",
            Some("system.test_fixture"),
            2,
            "all slots",
        ),
        (
            "no-source.json",
            Some("system.test_fixture"),
            2,
            "sources must not be empty",
        ),
        (
            "wrong-category.json",
            Some("system.test_fixture"),
            2,
            "bad id: expected payment.",
        ),
        (
            "unknown-category.json",
            None,
            2,
            "unknown variant `paymnet`",
        ),
        (
            "unknown-placeholder.json",
            Some("system.test_fixture"),
            2,
            "{days}",
        ),
        (
            "duplicate-code.json",
            Some("system.test_fixture_three"),
            4,
            "code test_code is already claimed by entry system.test_fixture_two",
        ),
        ("not-utf8.json", None, 2, "not UTF-8"),
    ];
    for (file, id, line, says) in cases {
        let path = repo(&format!("fixtures/catalogs/broken/{file}"));
        let err = match Catalog::load(&path) {
            Err(Error::Catalog(e)) => e,
            other => panic!("{file}: expected a catalog error, got {other:?}"),
        };
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("{}:{line}:", path.display())),
            "{file}: {text}"
        );
        assert_eq!(err.line(), *line, "{file}: {text}");
        assert!(err.column() >= 1);
        assert_eq!(err.entry_id(), *id, "{file}: {text}");
        assert!(text.contains(says), "{file}: {text}");
        // all or nothing: the explainer is not built
        assert!(Explainer::builder().catalog_path(&path).build().is_err());
    }
}

#[test]
fn duplicate_ids_across_files() {
    let dir = repo("fixtures/catalogs/broken-across");
    let err = Explainer::builder().catalog_path(&dir).build().unwrap_err();
    let Error::Catalog(e) = &err else {
        panic!("{err}")
    };
    assert!(
        matches!(e.kind(), CatalogErrorKind::DuplicateId { first } if first.contains("a.json:2:")),
        "{err}"
    );
    assert!(e.origin().ends_with("b.json"), "{err}");
}

#[test]
fn a_user_template_may_not_shadow_an_embedded_one() {
    let path = repo("fixtures/catalogs/broken/builtin-template-clash.json");
    // on its own the file is fine; over the embedded catalog it clashes
    assert!(Catalog::load(&path).is_ok());
    let err = Explainer::builder()
        .catalog_path(&path)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("system.busy_try_later"), "{err}");
    assert!(
        err.to_string().contains("builtin-template-clash.json:2:"),
        "{err}"
    );
}

#[test]
fn user_catalogs_replace_and_add() {
    let path = repo("fixtures/catalogs/user/override.json");
    let explainer = Explainer::builder().catalog_path(&path).build().unwrap();
    assert_eq!(explainer.replaced(), ["system.busy_try_later"]);
    let out = explainer.explain("系统繁忙，请稍后再试（ALIN10146）");
    assert!(
        out.matches[0].translation.starts_with("OUR OWN WORDING"),
        "{:?}",
        out.matches[0]
    );
    assert_eq!(
        explainer.explain("测试用的消息X1").matches[0].id,
        "system.test_fixture"
    );
    // the replaced entry's other embedded templates are gone with it
    let n = explainer.catalog().len();
    assert_eq!(n, Catalog::builtin().unwrap().len() + 1);
}

#[test]
fn missing_paths_say_so() {
    let err = Explainer::builder()
        .catalog_path(Path::new("/no/such/file.json"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
    assert!(err.to_string().contains("/no/such/file.json"));
}

fn hex_lines(name: &str) -> Vec<Vec<u8>> {
    std::fs::read_to_string(repo(&format!("fixtures/fuzz/{name}")))
        .unwrap()
        .lines()
        .map(|l| {
            (0..l.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&l[i..i + 2], 16).unwrap())
                .collect()
        })
        .collect()
}

/// The inputs the fuzzers found interesting (fuzz/, minimised, one hex line each): the
/// library never panics on them, spans stay valid, and broken catalogs fail with a place.
#[test]
fn fuzz_corpus_replays() {
    let inputs = hex_lines("explain.hex");
    assert!(inputs.len() > 1000);
    for bytes in &inputs {
        let out = EXPLAINER.explain_bytes(bytes);
        for m in &out.matches {
            assert_eq!(&out.input[m.start..m.end], m.text);
        }
        // the same text as &str, and the scan path
        let _ = EXPLAINER.find_matches(&out.input);
    }
    let catalogs = hex_lines("catalog.hex");
    assert!(catalogs.len() >= 400);
    for bytes in &catalogs {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if let Err(e) = Catalog::from_json("fuzz.json", text) {
            assert!(e.line() >= 1 && e.column() >= 1, "{e}");
        }
    }
}
