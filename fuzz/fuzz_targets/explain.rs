//! `explain` on arbitrary bytes: never a panic, spans always index the input, and the
//! result is the same twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use once_cell::sync::Lazy;

static EXPLAINER: Lazy<alipay_explain::Explainer> =
    Lazy::new(|| alipay_explain::Explainer::new().expect("embedded catalog"));

/// As `scan` uses it: no fuzzy matching, the automaton built (short texts take it too).
static SCAN: Lazy<alipay_explain::Explainer> = Lazy::new(|| {
    let e = alipay_explain::Explainer::builder()
        .fuzzy(false)
        .build()
        .expect("embedded catalog");
    e.prepare().expect("automaton");
    e
});

fuzz_target!(|data: &[u8]| {
    let out = EXPLAINER.explain_bytes(data);
    for m in &out.matches {
        assert!(out.input.is_char_boundary(m.start) && out.input.is_char_boundary(m.end));
        assert_eq!(&out.input[m.start..m.end], m.text);
        assert!((0.0..=1.0).contains(&m.confidence));
    }
    for u in &out.unmatched {
        assert_eq!(&out.input[u.start..u.end], u.text);
    }
    let again = EXPLAINER.explain(&out.input);
    assert_eq!(again.matches.len(), out.matches.len());
    // the scan path too
    let _ = EXPLAINER.find_matches(&out.input);
    for m in SCAN.find_matches(&out.input) {
        assert!(out.input.is_char_boundary(m.start) && out.input.is_char_boundary(m.end));
        assert_eq!(&out.input[m.start..m.end], m.text);
    }
});
