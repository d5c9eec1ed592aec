//! "Tidy" for the embedded data (rustc's tidy, bat's data-invariant tests): the files are in
//! their normal form and every entry keeps the rules of data/README.md.

use std::collections::{BTreeSet, HashSet};

use alipay_explain::__private::{
    builtin_catalog_files, builtin_glossary_files, glossary_len, pinyin_of, render_samples,
};
use alipay_explain::{Catalog, Category, MatchKind};

use crate::util::{repo, EXPLAINER};

fn files_in(dir: &str) -> BTreeSet<String> {
    std::fs::read_dir(repo(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect()
}

#[test]
fn embedded_files_are_the_data_folder() {
    let embedded: BTreeSet<String> = builtin_catalog_files()
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    assert_eq!(embedded, files_in("data/catalog"));
    let embedded: BTreeSet<String> = builtin_glossary_files()
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    assert_eq!(embedded, files_in("data/glossary"));
}

/// Every file passes the strict loader users' files go through, and the lazily parsed
/// embedded catalog holds exactly those entries.
#[test]
fn every_file_loads_strictly() {
    let mut strict = Catalog::new();
    for (name, json) in builtin_catalog_files() {
        let c = Catalog::from_json(name, json).unwrap_or_else(|e| panic!("{e}"));
        strict.extend(c).unwrap_or_else(|e| panic!("{e}"));
    }
    let builtin = Catalog::builtin().unwrap();
    assert_eq!(strict.len(), builtin.len());
    let a: Vec<&str> = strict.iter().map(|e| e.id.as_str()).collect();
    let b: Vec<&str> = builtin.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(a, b, "an embedded entry failed to parse lazily");
    // and the whole catalog is consistent (codes and templates unique across files)
    let mut over = Catalog::builtin().unwrap();
    over.merge(strict);
    alipay_explain::Explainer::builder()
        .catalog_json("empty.json", r#"{"entries": []}"#)
        .build()
        .unwrap();
}

#[test]
fn files_are_named_after_their_category_and_sorted() {
    for (name, json) in builtin_catalog_files() {
        let c = Catalog::from_json(name, json).unwrap();
        let ids: Vec<&str> = c.iter().map(|e| e.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted, "{name}: entries are not sorted by id");
        for e in c.iter() {
            assert_eq!(format!("{}.json", e.category), *name, "{}", e.id);
        }
    }
}

#[test]
fn entries_keep_the_quality_rules() {
    let catalog = Catalog::builtin().unwrap();
    let mut consumer = 0;
    let mut with_ask = 0;
    for e in catalog.iter() {
        assert!(!e.sources.is_empty(), "{}: no source", e.id);
        for s in &e.sources {
            assert!(
                s.starts_with("seeds/") || s.starts_with("http://") || s.starts_with("https://"),
                "{}: source {s:?} is neither a seed file nor a URL",
                e.id
            );
            if let Some(seed) = s.strip_prefix("seeds/") {
                let file = seed.split_whitespace().next().unwrap();
                assert!(
                    repo(&format!("../shared/seeds/{file}")).exists()
                        || !repo("../shared/seeds").exists(),
                    "{}: no seed {file}",
                    e.id
                );
            }
        }
        if e.category != Category::Api {
            consumer += 1;
            assert!(e.actor.is_some(), "{}: consumer entry without actor", e.id);
            assert!(e.retry.is_some(), "{}: consumer entry without retry", e.id);
            with_ask += usize::from(e.ask.is_some());
        }
    }
    // issue 3: 200 entries, 120 consumer and 80 developer; ask on at least half of consumer
    assert!(catalog.len() >= 200, "{}", catalog.len());
    assert!(consumer >= 120, "{consumer} consumer entries");
    assert!(catalog.len() - consumer >= 80);
    assert!(with_ask * 2 >= consumer, "ask on {with_ask} of {consumer}");
}

/// Fails with every template that failed, one a line.
fn assert_none_failed(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} templates:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// No template is swallowed: rendered with sample slot values, each is explained by its own
/// entry, exactly.
#[test]
fn every_template_is_found_by_its_own_entry() {
    let catalog = Catalog::builtin().unwrap();
    let mut failures = Vec::new();
    for e in catalog.iter() {
        for (t, sample) in e.zh.iter().zip(render_samples(e)) {
            let out = EXPLAINER.explain(&sample);
            let own = out
                .matches
                .iter()
                .find(|m| m.id == e.id && m.kind == MatchKind::Exact);
            let others: Vec<&str> = out
                .matches
                .iter()
                .filter(|m| m.id != e.id)
                .map(|m| m.id.as_str())
                .collect();
            if own.is_none() || !others.is_empty() {
                failures.push(format!(
                    "{}: {t:?} -> {:?}",
                    e.id,
                    out.matches
                        .iter()
                        .map(|m| (&m.id, m.kind))
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    assert_none_failed(&failures);
}

/// The same through the automaton of scans: each template, behind a log line's fields, is
/// found by its own entry (anchors that start with ASCII, `original_order_id错误…`, too).
#[test]
fn every_template_is_found_in_a_log_line() {
    let catalog = Catalog::builtin().unwrap();
    let scan = alipay_explain::Explainer::builder()
        .fuzzy(false)
        .build()
        .unwrap();
    scan.prepare().unwrap();
    let mut failures = Vec::new();
    for e in catalog.iter() {
        for (t, sample) in e.zh.iter().zip(render_samples(e)) {
            let line =
                format!("2026-11-05 07:00:01.001 [WARN] trace=0a1b2c svc=pay-gw msg={sample}");
            let ids: Vec<String> = scan.find_matches(&line).into_iter().map(|m| m.id).collect();
            if !ids.contains(&e.id) || ids.iter().any(|id| *id != e.id) {
                failures.push(format!("{}: {t:?} -> {ids:?}", e.id));
            }
        }
    }
    assert_none_failed(&failures);
}

#[test]
fn every_code_finds_its_entry() {
    let catalog = Catalog::builtin().unwrap();
    let mut seen = HashSet::new();
    for e in catalog.iter() {
        for code in &e.codes {
            assert!(seen.insert(code.to_ascii_lowercase()), "code {code} twice");
            for paste in [code.clone(), code.to_ascii_lowercase()] {
                let out = EXPLAINER.explain(&paste);
                assert_eq!(
                    out.matches.len(),
                    1,
                    "{paste}: {:?}",
                    out.matches.iter().map(|m| &m.id).collect::<Vec<_>>()
                );
                assert_eq!(out.matches[0].id, e.id, "{paste}");
            }
        }
    }
}

#[test]
fn english_texts_fill_every_placeholder() {
    let catalog = Catalog::builtin().unwrap();
    for e in catalog.iter() {
        for sample in render_samples(e) {
            let out = EXPLAINER.explain(&sample);
            let m = out.matches.iter().find(|m| m.id == e.id).unwrap();
            for text in [&m.translation, &m.cause].into_iter().chain(&m.fixes) {
                assert!(!has_placeholder(text), "{}: {text}", e.id);
            }
        }
    }
}

/// Whether `text` still holds a `{name}` placeholder.
fn has_placeholder(text: &str) -> bool {
    text.split('{').skip(1).any(|rest| {
        let name: String = rest.chars().take_while(|c| *c != '}').collect();
        rest.len() > name.len()
            && !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
    })
}

/// The seeds' word lists and the UI labels they name are glossed as whole words (issue 2).
#[test]
fn seed_words_are_in_the_glossary() {
    for w in [
        "注册",
        "充值",
        "护照号码",
        "真实姓名",
        "使用邮箱注册",
        "立即认证",
        "输入打款金额",
        "还款",
        "捐款",
        "彩票",
        "学费",
        "确定",
        "账户",
        "护照",
        "海外",
        "支付密码",
        "登录密码",
        "性别",
        "外籍用户",
        "支付宝实名认证",
        "账户设置",
        "基本信息",
        "下一步",
        "申请认证",
        "选择其他认证方式",
        "开通账户",
        "未认证",
    ] {
        let out = EXPLAINER.explain(&format!("{w}？"));
        let glossed = out
            .unmatched
            .iter()
            .flat_map(|u| &u.gloss)
            .any(|g| g.word == w && g.en.is_some())
            || out.matches.iter().any(|m| m.text.starts_with(w));
        assert!(glossed, "{w}: {:?}", out.unmatched);
    }
}

#[test]
fn glossary_is_large_and_consistent() {
    let n = glossary_len().unwrap_or_else(|e| panic!("{e}"));
    assert!(n >= 400, "{n} words");
    // every glossary word has pinyin with tone marks or neutral syllables, one group per
    // character at most
    for (name, json) in builtin_glossary_files() {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        for w in v["words"].as_array().unwrap() {
            let zh = w["zh"].as_str().unwrap();
            let py = w["pinyin"].as_str().unwrap();
            assert!(
                !py.is_empty() && py.chars().all(|c| c.is_alphabetic() || " '·-".contains(c)),
                "{name}: {zh} {py:?}"
            );
            assert!(
                !pinyin_of(zh).is_empty()
                    || !zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
        }
    }
}
