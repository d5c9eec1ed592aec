//! "Tidy" for the embedded data (rustc's tidy, bat's data-invariant tests): the files are in
//! their normal form and every entry keeps the rules of data/README.md.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

use alipay_explain::__private::{
    builtin_catalog_files, builtin_glossary_files, glossary_len, pinyin_of, render_samples,
};
use alipay_explain::{Catalog, CatalogErrorKind, Category, Error, Explainer, MatchKind};
use serde_json::Value;

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
}

/// An explainer over the embedded files loaded as a user's catalogs (every entry parsed and
/// checked at load, the whole catalog checked for consistency), plus `extra` files.
fn files_as_user_catalogs(extra: &[(&str, String)]) -> Result<Explainer, Error> {
    let mut b = Explainer::builder();
    b.builtin(false).fuzzy(false);
    for (name, json) in builtin_catalog_files() {
        b.catalog_json(name, json);
    }
    b.catalog_json("contacts.json", alipay_explain::__private::BUILTIN_CONTACTS);
    for (name, json) in extra {
        b.catalog_json(name, json);
    }
    b.build()
}

/// The entries of a catalog file's JSON.
fn entries_of(json: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(json).unwrap();
    v["entries"].as_array().unwrap().clone()
}

/// Whether a catalog entry's JSON has codes.
fn has_codes(entry: &Value) -> bool {
    entry["codes"].as_array().is_some_and(|c| !c.is_empty())
}

/// A catalog file holding a copy of `entry` under another id.
fn copy_under_new_id(entry: &Value) -> (String, String) {
    let mut copy = entry.clone();
    let id = format!(
        "{}.zz_copy_of_an_entry",
        entry["category"].as_str().unwrap()
    );
    copy["id"] = Value::String(id.clone());
    (id, serde_json::json!({ "entries": [copy] }).to_string())
}

/// Asserts that `result`, the build of an explainer with a copy of `original` under the id
/// `id` in `probe.json`, failed on that copy for its first code (or, without codes, for its
/// templates), naming `original` as the entry that has them.
fn assert_copy_rejected(how: &str, original: &Value, id: &str, result: Result<Explainer, Error>) {
    let original_id = original["id"].as_str().unwrap();
    let err = match result {
        Err(Error::Catalog(e)) => e,
        Err(e) => panic!("a copy of {original_id} ({how}): {e}"),
        Ok(_) => panic!("a copy of {original_id} was accepted ({how})"),
    };
    assert_eq!(err.origin(), "probe.json", "{how}: {err}");
    assert_eq!(err.entry_id(), Some(id), "{how}: {err}");
    let other = match err.kind() {
        CatalogErrorKind::DuplicateCode { other, .. } if has_codes(original) => other,
        CatalogErrorKind::DuplicateTemplate { other, .. } if !has_codes(original) => other,
        _ => panic!("a copy of {original_id} ({how}): {err}"),
    };
    assert_eq!(other, original_id, "{how}: {err}");
}

/// Codes and templates are unique across the whole embedded catalog, not only within a file:
/// loaded together as a user's files, the files pass the consistency check. And the check
/// bites: a copy of an entry under another id, in a file of its own, is rejected (for its
/// first code, or else for its templates) naming the entry it copies; over the embedded
/// catalog (prepared signatures and code keys) for the first entry of each file and its first
/// entry with codes, and among the files loaded as user catalogs (every entry parsed, slower)
/// for one of each kind.
#[test]
fn codes_and_templates_are_unique_across_files() {
    let all = files_as_user_catalogs(&[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.catalog().len(), Catalog::builtin().unwrap().len());
    let mut originals = Vec::new();
    for (_, json) in builtin_catalog_files() {
        let entries = entries_of(json);
        originals.push(entries[0].clone());
        originals.extend(entries.iter().find(|e| has_codes(e)).cloned());
    }
    originals.dedup_by_key(|e| e["id"].clone());
    for original in &originals {
        let (id, probe) = copy_under_new_id(original);
        let over_embedded = Explainer::builder()
            .fuzzy(false)
            .catalog_json("probe.json", &probe)
            .build();
        assert_copy_rejected("over the embedded catalog", original, &id, over_embedded);
    }
    let one_of_each = [
        originals
            .iter()
            .find(|e| !has_codes(e))
            .expect("an entry without codes"),
        originals
            .iter()
            .find(|e| has_codes(e))
            .expect("an entry with codes"),
    ];
    for original in one_of_each {
        let (id, probe) = copy_under_new_id(original);
        let among_files = files_as_user_catalogs(&[("probe.json", probe)]);
        assert_copy_rejected("among the files", original, &id, among_files);
    }
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
        }
        if e.category != Category::Api {
            consumer += 1;
            assert!(
                e.handling.actor.is_some(),
                "{}: consumer entry without actor",
                e.id
            );
            assert!(
                e.handling.retry.is_some(),
                "{}: consumer entry without retry",
                e.id
            );
            with_ask += usize::from(e.handling.ask.is_some());
        }
    }
    // issue 3: 200 entries, 120 consumer and 80 developer; ask on at least half of consumer
    assert!(catalog.len() >= 200, "{}", catalog.len());
    assert!(consumer >= 120, "{consumer} consumer entries");
    assert!(catalog.len() - consumer >= 80);
    assert!(with_ask * 2 >= consumer, "ask on {with_ask} of {consumer}");
}

/// The project's seed articles (`../shared/seeds/`, beside the clone; their README says what
/// each holds): the only files a `seeds/…` source may name.
const SEED_FILES: [&str; 5] = [
    "000_04d16fff68701514.txt",
    "001_4567e8d286d5324f.txt",
    "002_1060fac3ea718ba5.txt",
    "003_a4d48313e2c9c8c4.txt",
    "004_3ceb8a15ac7cf544.txt",
];

/// Every source string anywhere in an entry (its own `sources` and any nested ones).
fn sources_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "sources" {
                    out.extend(
                        v.as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(|s| s.as_str())
                            .map(str::to_owned),
                    );
                } else {
                    sources_in(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| sources_in(v, out)),
        _ => {}
    }
}

/// A seed file an entry cites.
struct SeedCitation {
    id: String,
    file: String,
    /// In the entry's own `sources` (the message was seen there), not a nested list such as
    /// the sources of another cause.
    own: bool,
    /// The entry describes a situation: its seeds may give the advice rather than the
    /// message (a situation has no message; an entry with both needs its message in one).
    situation: bool,
}

/// Every `seeds/<file> …` source of the embedded catalog.
fn seed_citations() -> Vec<SeedCitation> {
    let mut out = Vec::new();
    for (_, json) in builtin_catalog_files() {
        for e in entries_of(json) {
            let mut all = Vec::new();
            sources_in(&e, &mut all);
            let mut own = Vec::new();
            sources_in(&serde_json::json!({ "sources": e["sources"] }), &mut own);
            for s in all {
                if let Some(seed) = s.strip_prefix("seeds/") {
                    out.push(SeedCitation {
                        id: e["id"].as_str().unwrap().to_owned(),
                        file: seed.split_whitespace().next().unwrap_or("").to_owned(),
                        own: own.contains(&s),
                        situation: e.get("situation").is_some(),
                    });
                }
            }
        }
    }
    out
}

/// A `seeds/…` source names one of the seed files (a misspelt name fails here, with or
/// without the files at hand).
#[test]
fn seed_sources_name_a_seed_file() {
    let cited = seed_citations();
    assert!(!cited.is_empty(), "no entry cites a seed file any more");
    for c in &cited {
        assert!(
            SEED_FILES.contains(&c.file.as_str()),
            "{}: seeds/{} is not a seed file",
            c.id,
            c.file
        );
    }
}

/// The folder of the seed files: `ALIPAY_EXPLAIN_SEEDS`, else `../shared/seeds` beside the
/// clone. `None` only when `ALIPAY_EXPLAIN_NO_SEEDS=1` says to do without them (and no folder
/// was named).
fn seeds_dir() -> Option<PathBuf> {
    let given = std::env::var_os("ALIPAY_EXPLAIN_SEEDS").map(PathBuf::from);
    let dir = given.clone().unwrap_or_else(|| repo("../shared/seeds"));
    if dir.is_dir() {
        return Some(dir);
    }
    let skip = std::env::var_os("ALIPAY_EXPLAIN_NO_SEEDS").is_some_and(|v| v == "1");
    if skip && given.is_none() {
        eprintln!("ALIPAY_EXPLAIN_NO_SEEDS=1: the seed files' contents are not checked");
        return None;
    }
    panic!(
        "the seed files are not in {}: put the project's shared folder beside the clone, set \
         ALIPAY_EXPLAIN_SEEDS to their folder, or set ALIPAY_EXPLAIN_NO_SEEDS=1 to skip this check",
        dir.display()
    );
}

/// The seed files are the ones [`SEED_FILES`] lists, and an entry that cites one as the
/// source of its message is found in it, on a line, exactly or once normalised: the message
/// really is in its source. An entry that also describes a situation (whose seeds may give
/// only the advice) is found in at least one of the seeds it cites.
#[test]
fn cited_seeds_hold_their_messages() {
    let Some(dir) = seeds_dir() else { return };
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    let listed: BTreeSet<String> = SEED_FILES.iter().map(|s| s.to_string()).collect();
    assert_eq!(on_disk, listed, "the seed files in {}", dir.display());
    // an explainer of its own: the shared one must not change paths for other tests
    let explainer = Explainer::builder().fuzzy(false).build().unwrap();
    let citations = seed_citations();
    assert!(citations.iter().any(|c| c.own), "no message cites a seed");
    let mut missing = Vec::new();
    for file in SEED_FILES {
        let cited: BTreeSet<&str> = citations
            .iter()
            .filter(|c| c.own && c.file == file)
            .map(|c| c.id.as_str())
            .collect();
        if cited.is_empty() {
            continue;
        }
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let found: BTreeSet<String> = text
            .lines()
            .flat_map(|line| explainer.find_matches(line))
            .map(|m| m.id)
            .collect();
        missing.extend(
            cited
                .iter()
                .filter(|id| !found.contains(**id))
                .map(|id| (id.to_string(), file)),
        );
    }
    let situations: BTreeSet<&str> = citations
        .iter()
        .filter(|c| c.situation)
        .map(|c| c.id.as_str())
        .collect();
    let mut failures = Vec::new();
    for (id, file) in &missing {
        let zh = builtin_entry_has_templates(id);
        let found_elsewhere = citations
            .iter()
            .any(|c| c.own && c.id == *id && !missing.iter().any(|(i, f)| i == id && *f == c.file));
        let excused = situations.contains(id.as_str()) && (!zh || found_elsewhere);
        if !excused {
            failures.push(format!("{id}: not found in seeds/{file}"));
        }
    }
    assert_none_failed(&failures);
}

/// Whether the embedded entry `id` has message templates (a situation may have none).
fn builtin_entry_has_templates(id: &str) -> bool {
    let c = Catalog::builtin().unwrap();
    c.get(id)
        .is_some_and(|e| !e.zh.is_empty() || !e.en_ui.is_empty())
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
            let m = out
                .matches
                .iter()
                .find(|m| m.id == e.id)
                .unwrap_or_else(|| panic!("{}: {sample:?} is not explained by it", e.id));
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
            let han = zh
                .chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .count();
            let groups = py
                .split(|c: char| " '·-".contains(c))
                .filter(|g| !g.is_empty())
                .count();
            assert!(
                han == 0 || groups <= han,
                "{name}: {zh} {py:?}: more pinyin groups than characters"
            );
            assert!(
                !pinyin_of(zh).is_empty()
                    || !zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
        }
    }
}
