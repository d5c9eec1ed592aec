//! Catalog parsing on arbitrary text: an error or a catalog, never a panic; a catalog that
//! loads can be explained with.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match alipay_explain::Catalog::from_json("fuzz.json", text) {
        Ok(catalog) => {
            for e in catalog.iter() {
                assert!(!e.id.is_empty());
            }
            if let Ok(explainer) = alipay_explain::Explainer::builder()
                .builtin(false)
                .catalog_json("fuzz.json", text)
                .build()
            {
                for e in explainer.catalog().iter() {
                    for t in &e.zh {
                        let _ = explainer.explain(t);
                    }
                }
            }
        }
        Err(e) => {
            assert!(e.line() >= 1 && e.column() >= 1, "{e}");
            assert!(e.to_string().starts_with("fuzz.json:"), "{e}");
        }
    }
});
