//! Properties over arbitrary text (proptest): spans are valid, `text` is the input's slice,
//! results are deterministic, and normalisation is idempotent.

use proptest::prelude::*;

use alipay_explain::__private::normalize_key;
use alipay_explain::MatchKind;

use crate::util::EXPLAINER;

/// Text built from pieces of real messages, punctuation, spaces, and arbitrary characters.
fn pastes() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "系统繁忙",
        "请稍后再试",
        "（ALIN10146）",
        "抱歉",
        "暂时无法操作",
        "失败原因",
        "系统出错啦",
        "你的银行卡信息认证失败",
        "撤销认证",
        "7天后",
        "(2016年3月2日)",
        "使用原银行卡重新认证",
        "知道了",
        "提示",
        "，",
        "。",
        " ",
        "\n",
        "係統",
        "糸充",
        "40004",
        "code=",
        "ACQ.TRADE_NOT_EXIST",
        "￥100.00",
        "{",
        "}",
        "\u{3000}",
        "🙂",
        "\u{200b}",
        "a",
        "１２",
    ]);
    let any = any::<String>();
    prop::collection::vec(
        prop_oneof![4 => pieces.prop_map(str::to_owned), 1 => any],
        0..24,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(proptest::test_runner::Config {
        // a fixed seed: `cargo test` is deterministic (change it to explore other inputs)
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_129),
        cases: 400,
        ..proptest::test_runner::Config::default()
    })]

    #[test]
    fn spans_are_valid_and_deterministic(text in pastes()) {
        let a = EXPLAINER.explain(&text);
        for m in &a.matches {
            prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            prop_assert!(m.start < m.end && m.end <= text.len());
            prop_assert_eq!(&text[m.start..m.end], m.text.as_str());
            prop_assert!((0.0..=1.0).contains(&m.confidence));
        }
        // messages in order, never overlapping; descriptions after them, sharing one span
        let messages: Vec<_> = a.matches.iter().filter(|m| m.kind != MatchKind::Described).collect();
        let described: Vec<_> = a.matches.iter().filter(|m| m.kind == MatchKind::Described).collect();
        prop_assert!(a.matches[..messages.len()].iter().all(|m| m.kind != MatchKind::Described));
        for (x, y) in messages.iter().zip(messages.iter().skip(1)) {
            prop_assert!(x.end <= y.start, "matches overlap");
        }
        for d in &described {
            prop_assert_eq!((d.start, d.end), (described[0].start, described[0].end));
        }
        for u in &a.unmatched {
            prop_assert_eq!(&text[u.start..u.end], u.text.as_str());
        }
        let b = EXPLAINER.explain(&text);
        prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    }

    #[test]
    fn normalisation_is_idempotent(text in pastes()) {
        let k = normalize_key(&text);
        prop_assert_eq!(normalize_key(&k), k);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let out = EXPLAINER.explain_bytes(&bytes);
        for m in &out.matches {
            prop_assert_eq!(&out.input[m.start..m.end], m.text.as_str());
        }
    }
}
