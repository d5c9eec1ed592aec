//! The public types are safe to share and to use across a panic boundary (aho-corasick's
//! `testoibits`).

use std::panic::{RefUnwindSafe, UnwindSafe};

use alipay_explain::*;

fn assert_all<T: Send + Sync + UnwindSafe + RefUnwindSafe>() {}
fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_sync_unwind_safe() {
    assert_all::<Explainer>();
    assert_all::<ExplainerBuilder>();
    assert_all::<Explanation>();
    assert_all::<Match>();
    assert_all::<MatchKind>();
    assert_all::<Unmatched>();
    assert_all::<Suggestion>();
    assert_all::<Gloss>();
    assert_all::<Catalog>();
    assert_all::<Entry>();
    assert_all::<Category>();
    assert_all::<Actor>();
    assert_all::<Retry>();
    assert_all::<Ask>();
    assert_all::<Texts>();
    assert_all::<CatalogError>();
    assert_all::<CatalogErrorKind>();
    assert_all::<Encoding>();
    assert_all::<DecodeError>();
    assert_all::<SlotKind>();
    // `Error` holds a `std::io::Error`, which is not unwind-safe
    assert_send_sync::<Error>();
}

#[test]
fn one_explainer_serves_many_threads() {
    let explainer = Explainer::new().unwrap();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    explainer
                        .explain("系统繁忙，请稍后再试（ALIN10146）")
                        .matches
                        .len()
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), 1);
        }
    });
}
