//! Library benchmarks (criterion): building an explainer, explaining one message of each
//! kind, a line of a log, and the same with a catalog ten times the size.
//!
//!     cargo bench --bench explain
//!
//! The whole-process figures (start-up included) and the scan throughput are measured by
//! `scripts/bench.sh`.

#![allow(clippy::unwrap_used, missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use alipay_explain::{Catalog, Explainer};

const KNOWN: &str = "抱歉，暂时无法操作。失败原因 系统出错啦。";
const NOISY: &str = "提示\n系統繁忙,請稍後再試(ALIN10146)\n知道了";
const OCR: &str = "调试错误，清回到请求来源地，重新发起请求。";
const UNKNOWN: &str = "今天天气很好，我们去公园散步";
const LOG_LINE: &str =
    "2026-11-05 07:51:32.214 [WARN] trace=07c1a9 svc=pay-gw msg=系统繁忙，请稍后再试（ALIN10146）";
const LOG_PROSE: &str = "2026-11-05 07:51:33.001 [INFO] trace=07c1b0 svc=order msg=用户反馈页面加载有点慢，客服已回复用户的问题";

/// A synthetic catalog of `n` entries, with templates made of glossary-like words in an order
/// no real message has: the size of a catalog, not its content.
fn synthetic(n: usize) -> String {
    let words = [
        "账户",
        "银行卡",
        "支付",
        "认证",
        "失败",
        "请",
        "稍后",
        "重试",
        "系统",
        "繁忙",
        "余额",
        "不足",
        "订单",
        "异常",
        "交易",
        "风险",
        "护照",
        "签证",
        "实名",
        "手机号",
        "验证码",
        "错误",
        "已",
        "超过",
        "限额",
        "当日",
        "收款",
        "付款",
        "暂不支持",
        "该",
        "商户",
        "用户",
        "信息",
        "不符",
        "重新",
        "提交",
        "审核",
        "未通过",
        "冻结",
        "解除",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut entries = Vec::with_capacity(n);
    for i in 0..n {
        let len = 4 + (next() % 8) as usize;
        let mut zh: String = (0..len)
            .map(|_| words[(next() % words.len() as u64) as usize])
            .collect();
        zh.push_str(&format!("（合成{i}）"));
        entries.push(format!(
            r#"{{"id": "system.synthetic_{i}", "category": "system", "zh": [{zh:?}], "en": {{"translation": "t", "cause": "c", "cause_basis": "one_report", "fixes": ["f"]}}, "sources": ["https://example.com/synthetic"]}}"#
        ));
    }
    format!("{{\"entries\": [{}]}}", entries.join(",\n"))
}

fn benches(c: &mut Criterion) {
    c.bench_function("Explainer::new (embedded catalog)", |b| {
        b.iter(|| Explainer::new().unwrap())
    });
    let explainer = Explainer::new().unwrap();
    for (name, text) in [
        ("known", KNOWN),
        ("noisy", NOISY),
        ("ocr slip", OCR),
        ("unknown", UNKNOWN),
    ] {
        c.bench_function(&format!("explain {name}"), |b| {
            b.iter(|| explainer.explain(black_box(text)))
        });
    }
    let scan = Explainer::builder().fuzzy(false).build().unwrap();
    scan.prepare().unwrap();
    c.bench_function("find_matches log line with a message", |b| {
        b.iter(|| scan.find_matches(black_box(LOG_LINE)))
    });
    c.bench_function("find_matches log line without", |b| {
        b.iter(|| scan.find_matches(black_box(LOG_PROSE)))
    });

    // catalog growth: the embedded catalog plus nine times as many synthetic entries
    let n = Catalog::builtin().unwrap().len();
    let big = Explainer::builder()
        .catalog_json("synthetic.json", &synthetic(9 * n))
        .build()
        .unwrap();
    assert_eq!(big.catalog().len(), 10 * n);
    for (name, text) in [("known", KNOWN), ("noisy", NOISY)] {
        c.bench_function(&format!("explain {name}, catalog x10"), |b| {
            b.iter(|| big.explain(black_box(text)))
        });
    }
}

criterion_group!(group, benches);
criterion_main!(group);
