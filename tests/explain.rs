//! Real pastes (fixtures/pastes/*.json) through the library: every case's matches, in order,
//! with their slot values.

use serde::Deserialize;

use crate::util::{ids_and_slots, repo, EXPLAINER};
use alipay_explain::MatchKind;

#[derive(Deserialize)]
struct File {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    source: String,
    paste: String,
    expect: Vec<Expect>,
}

#[derive(Deserialize)]
struct Expect {
    id: String,
    #[serde(default)]
    slots: std::collections::BTreeMap<String, String>,
}

#[test]
fn fixture_pastes() {
    let mut files: Vec<_> = std::fs::read_dir(repo("fixtures/pastes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut n = 0;
    let mut failures = Vec::new();
    for path in files {
        let file: File = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for case in file.cases {
            assert!(
                !case.source.is_empty(),
                "{}: case {} has no source",
                path.display(),
                case.name
            );
            let want: Vec<(String, Vec<(String, String)>)> = case
                .expect
                .into_iter()
                .map(|e| (e.id, e.slots.into_iter().collect()))
                .collect();
            let got = ids_and_slots(&case.paste);
            if got != want {
                failures.push(format!(
                    "{} / {}: {:?}\n  want {want:?}\n  got  {got:?}",
                    path.display(),
                    case.name,
                    case.paste
                ));
            }
            n += 1;
        }
    }
    assert!(n >= 20, "only {n} fixture cases");
    assert!(
        failures.is_empty(),
        "{} of {n} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// The issue's acceptance example (issue 2): another date and day count flow into the slots
// and into the English advice.
#[test]
fn issue_2_other_dates_fill_the_advice() {
    let out = EXPLAINER.explain("你的银行卡信息认证失败，请更换银行卡重新认证或撤销认证7天后（2016年3月2日）使用原银行卡重新认证");
    let m = &out.matches[0];
    assert_eq!(m.id, "bank_card.verification_failed_wait");
    assert_eq!(m.kind, MatchKind::Exact);
    assert_eq!(
        (m.slots["days"].as_str(), m.slots["date"].as_str()),
        ("7", "2016年3月2日")
    );
    let advice = format!("{} {}", m.translation, m.fixes.join(" "));
    assert!(
        advice.contains('7') && advice.contains("2016年3月2日"),
        "{advice}"
    );
    assert!(!advice.contains("{days}") && !advice.contains("{date}"));
}

#[test]
fn spans_index_the_input() {
    let input = "提示\n系統繁忙,請稍後再試(ALIN10146)\n知道了";
    let out = EXPLAINER.explain(input);
    assert_eq!(out.matches.len(), 1);
    let m = &out.matches[0];
    assert_eq!(&input[m.start..m.end], m.text);
    assert_eq!(m.text, "系統繁忙,請稍後再試(ALIN10146)");
    assert_eq!(m.kind, MatchKind::Normalized);
    let rest: Vec<&str> = out.unmatched.iter().map(|u| u.text.as_str()).collect();
    assert_eq!(rest, ["提示", "知道了"]);
    for u in &out.unmatched {
        assert_eq!(&input[u.start..u.end], u.text);
    }
}

#[test]
fn unknown_text_is_glossed_with_pinyin() {
    let out = EXPLAINER.explain("请联系客服确认银行卡");
    assert!(out.matches.is_empty());
    let gloss = &out.unmatched[0].gloss;
    let words: String = gloss.iter().map(|g| g.word.as_str()).collect();
    assert_eq!(words, "请联系客服确认银行卡");
    let card = gloss
        .iter()
        .find(|g| g.word == "银行卡")
        .expect("银行卡 is one word");
    assert_eq!(card.en.as_deref(), Some("bank card"));
    assert!(gloss.iter().all(|g| !g.pinyin.is_empty()));
}

#[test]
fn bare_codes_any_case() {
    for (code, id) in [
        ("ACQ.TRADE_NOT_EXIST", "api.acq_trade_not_exist"),
        ("acq.trade_not_exist", "api.acq_trade_not_exist"),
        ("alin10146", "system.busy_try_later"),
        ("sys_1000", "system.network_exception_try_later"),
        ("40004", "api.gateway_business_failed"),
        ("  40004\n", "api.gateway_business_failed"),
    ] {
        let out = EXPLAINER.explain(code);
        assert_eq!(out.matches.len(), 1, "{code}: {:?}", out.matches);
        assert_eq!(out.matches[0].id, id, "{code}");
    }
    // a number inside a sentence is not a code; after a code word it is
    assert!(EXPLAINER.explain("我付了40004元").matches.is_empty());
    let out = EXPLAINER.explain(r#"{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}"#);
    let ids: Vec<&str> = out.matches.iter().map(|m| m.id.as_str()).collect();
    assert!(ids.contains(&"api.gateway_business_failed"), "{ids:?}");
    assert!(ids.contains(&"api.acq_trade_not_exist"), "{ids:?}");
}

#[test]
fn fuzzy_matches_say_they_are_unsure() {
    // an OCR slip no look-alike table knows (请 read as 清), and a cut-off message
    for text in [
        "调试错误，清回到请求来源地，重新发起请求。",
        "调试错误，请回到请求来源地，重新",
    ] {
        let out = EXPLAINER.explain(text);
        let m = &out.matches[0];
        assert_eq!(m.id, "payment.debug_error_return_to_source", "{text}");
        assert!(m.confidence < 1.0);
    }
    let out = EXPLAINER.explain("调试错误，请回到请求来源地，重新");
    assert_eq!(out.matches[0].kind, MatchKind::Fuzzy);
    assert!(out.matches[0].confidence < 0.8);
}

#[test]
fn status_entries_say_they_are_not_errors() {
    let out = EXPLAINER.explain("当前订单状态: 您已付款到支付宝,等待卖家发货");
    let m = &out.matches[0];
    assert_eq!(m.category, alipay_explain::Category::Status);
    let text = format!("{} {}", m.translation, m.cause).to_lowercase();
    assert!(text.contains("not an error"), "{text}");
}

#[test]
fn a_weak_resemblance_is_a_suggestion_not_an_answer() {
    // a page title: part of two messages, neither of them
    let out = EXPLAINER.explain("实名认证");
    assert!(out.matches.is_empty(), "{:?}", out.matches);
    let ids: Vec<&str> = out.suggestions.iter().map(|s| s.id.as_str()).collect();
    assert!(ids.contains(&"verification.real_name_failed"), "{ids:?}");
    assert!(out
        .suggestions
        .iter()
        .all(|s| s.confidence < alipay_explain::MATCH_THRESHOLD));
    assert!(out.suggestions.len() <= 3);
}

/// English messages match whole words, and are never matched fuzzily: letters carry little,
/// and any English text shares most of them.
#[test]
fn english_templates_are_exact_and_whole_words() {
    assert_eq!(
        EXPLAINER.explain("fail cancel").matches[0].id,
        "api.contact_add_fail_cancel"
    );
    assert!(EXPLAINER
        .explain("the test will fail cancelled runs")
        .matches
        .is_empty());
    let response = r#"{"alipay_trade_pay_response":{"code":"10000","msg":"Success","out_trade_no":"6823789339978248"},"sign":"ERITJKEIJKJHKKKKKKKHJERE"}"#;
    let out = EXPLAINER.explain(response);
    assert!(
        out.matches.iter().all(|m| m.kind != MatchKind::Fuzzy),
        "{:?}",
        out.matches.iter().map(|m| &m.id).collect::<Vec<_>>()
    );
    assert!(out.suggestions.is_empty());
}

/// A user catalog's English message passes the same gate, in a scan's long texts too.
#[test]
fn english_templates_of_a_user_catalog() {
    let json = r#"{"entries": [{"id": "system.test_english", "category": "system",
        "zh": ["widget frobnication failed"], "en": {"translation": "A test message.",
        "cause": "Only the test suite shows it.", "cause_basis": "one_report", "fixes": ["Nothing to do."]},
        "actor": "you", "retry": "safe", "sources": ["https://example.com/test-fixture"]}]}"#;
    let explainer = alipay_explain::Explainer::builder()
        .catalog_json("english.json", json)
        .build()
        .unwrap();
    explainer.prepare().unwrap();
    let line = "2026-11-05 07:00:01 [ERROR] trace=ab12 Widget  FROBNICATION-failed!";
    let ids: Vec<String> = explainer
        .find_matches(line)
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids, ["system.test_english"]);
    assert!(explainer
        .find_matches("widget frob nication failed")
        .is_empty());
}

/// An English message is found in any case, width and spacing, in a log line of ASCII only or
/// among Chinese, as long as its words are whole; `sta tus` is another word.
#[test]
fn english_templates_any_case_and_spacing() {
    for text in [
        "2026-11-05 [WARN] request failed: HTTP  Status-Error",
        "2026-11-05 [WARN] 请求失败：http status error，请重试",
        "ｈｔｔｐ ｓｔａｔｕｓ ｅｒｒｏｒ",
        "spawn failed, Error: spawn EPERM",
    ] {
        let ids: Vec<String> = EXPLAINER
            .find_matches(text)
            .into_iter()
            .map(|m| m.id)
            .collect();
        assert!(
            ids.iter()
                .any(|id| id == "api.mini_request_http_status" || id == "api.ide_spawn_eperm"),
            "{text}: {ids:?}"
        );
    }
    assert!(EXPLAINER
        .find_matches("http sta tus error")
        .iter()
        .all(|m| m.id != "api.mini_request_http_status"));
}
