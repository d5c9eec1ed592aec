/*!
From raw JSON to checked entries: every rule of `data/README.md` that a file can break.

Each check points at the entry (and, where it can, the very template or code) with
`file:line:column`, so a contributor can jump straight to the defect.
*/

use std::collections::{BTreeSet, HashMap};

use super::builtin::BuiltinEntry;
use super::position::{self, EntryPos, Pos};
use super::raw::{RawCatalog, RawEntry};
use super::{Audience, Catalog, Category, Contact, Entry, Handling, Texts};
use crate::error::{CatalogError, CatalogErrorKind};
use crate::prepare::signature;
use crate::slot::SlotKind;
use crate::template::{placeholders, Template};

/// Parses and checks one catalog file: its entries and its contact routes.
pub(super) fn catalog(
    origin: &str,
    json: &str,
) -> Result<(Vec<Entry>, Vec<Contact>), CatalogError> {
    let raw: RawCatalog = serde_json::from_str(json).map_err(|e| json_error(origin, &e))?;
    let contacts = contacts(origin, raw.contacts)?;
    let positions = position::entries(json);
    let mut out: Vec<Entry> = Vec::with_capacity(raw.entries.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, r) in raw.entries.into_iter().enumerate() {
        let pos = positions.get(i).cloned().unwrap_or_default();
        let entry = entry(origin, r, &pos)?;
        if let Some(&first) = seen.get(&entry.id) {
            return Err(CatalogError::new(
                origin,
                entry.pos,
                Some(&entry.id),
                CatalogErrorKind::DuplicateId {
                    first: out[first].location(),
                },
            ));
        }
        seen.insert(entry.id.clone(), out.len());
        out.push(entry);
    }
    consistency_of(&out)?;
    Ok((out, contacts))
}

/// A file's contact routes: ids unique, texts and sources not empty.
fn contacts(origin: &str, contacts: Vec<Contact>) -> Result<Vec<Contact>, CatalogError> {
    let mut seen = BTreeSet::new();
    for c in &contacts {
        let err = |kind| CatalogError::new(origin, (1, 1), None, kind);
        if !seen.insert(c.id.as_str()) {
            return Err(err(CatalogErrorKind::DuplicateContact {
                contact: c.id.clone(),
            }));
        }
        let empty = |s: &str| s.trim().is_empty();
        if [&c.id, &c.name, &c.how].iter().any(|s| empty(s))
            || c.sources.is_empty()
            || c.sources.iter().any(|s| empty(s))
        {
            return Err(err(CatalogErrorKind::Empty {
                field: "contacts[].id, .name, .how and .sources",
            }));
        }
        if let Some(r) = c.reported.as_deref().filter(|d| !is_year_month(d)) {
            return Err(err(CatalogErrorKind::BadReported {
                value: r.to_owned(),
            }));
        }
    }
    Ok(contacts)
}

/// A serde_json error as a catalog error at serde's position.
pub(crate) fn json_error(origin: &str, e: &serde_json::Error) -> CatalogError {
    let full = e.to_string();
    // serde_json appends " at line L column C"; we print the position ourselves
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    };
    CatalogError::new(
        origin,
        (e.line().max(1), e.column().max(1)),
        None,
        CatalogErrorKind::Json { message },
    )
}

/// Every check of one entry, then the entry.
fn entry(origin: &str, r: RawEntry, pos: &EntryPos) -> Result<Entry, CatalogError> {
    let id_pos = pos.of("id", 0);
    let err = |at: Pos, kind| CatalogError::new(origin, at, Some(&r.id), kind);
    check_id(&r).map_err(|kind| err(id_pos, kind))?;
    let templates = parse_templates(&r, pos).map_err(|(at, kind)| err(at, kind))?;
    check_texts(&r, pos, &templates).map_err(|(at, kind)| err(at, kind))?;
    Ok(Entry {
        id: r.id,
        category: r.category,
        zh: r.zh,
        en: Texts {
            translation: r.en.translation,
            cause: r.en.cause,
            fixes: r.en.fixes,
            before_retry: r.en.before_retry,
            cause_basis: r.en.cause_basis,
            other_causes: r.en.other_causes,
        },
        codes: r.codes,
        handling: Handling {
            actor: r.actor,
            retry: r.retry,
            ask: r.ask,
        },
        sources: r.sources,
        audience: r.audience.unwrap_or(if r.category == Category::Api {
            Audience::Developer
        } else {
            Audience::User
        }),
        en_ui: r.en_ui,
        reported: r.reported,
        situation: r.situation,
        contacts: r.contacts,
        origin: origin.to_owned(),
        templates,
        pos: id_pos,
    })
}

/// The id: `<category>.<name>`, lower-case letters, digits and `_`.
fn check_id(r: &RawEntry) -> Result<(), CatalogErrorKind> {
    let cat = r.category.name();
    let good_id =
        r.id.strip_prefix(cat)
            .and_then(|s| s.strip_prefix('.'))
            .is_some_and(|rest| {
                !rest.is_empty()
                    && rest.split('.').all(|part| {
                        !part.is_empty()
                            && part
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                    })
            });
    if !good_id {
        return Err(CatalogErrorKind::BadId {
            expected: format!(
                "{cat}.<name> (the category, a dot, then lower-case letters, digits and _)"
            ),
        });
    }
    Ok(())
}

/// The templates: the Chinese ones, then the English interface's wordings.
fn parse_templates(r: &RawEntry, pos: &EntryPos) -> Result<Vec<Template>, (Pos, CatalogErrorKind)> {
    let err = |at: Pos, kind| (at, kind);
    // a situation has no message text of its own; everything else has
    if r.zh.is_empty() && r.situation.is_none() {
        return Err(err(
            pos.of("zh", 0),
            CatalogErrorKind::Empty { field: "zh" },
        ));
    }
    if let Some(s) = &r.situation {
        if s.describes.is_empty()
            || s.describes
                .iter()
                .chain(&s.labels_zh)
                .any(|d| d.trim().is_empty())
        {
            return Err(err(
                pos.of("situation", 0),
                CatalogErrorKind::Empty {
                    field: "situation.describes",
                },
            ));
        }
    }
    let mut templates = Vec::with_capacity(r.zh.len() + r.en_ui.len());
    // the English interface's wordings are matched like templates, after the Chinese ones
    let wordings =
        r.zh.iter()
            .map(|t| ("zh", t))
            .chain(r.en_ui.iter().map(|t| ("en_ui", t)));
    for (n, (field, text)) in wordings.enumerate() {
        let n = if field == "zh" { n } else { n - r.zh.len() };
        let t = Template::parse(text).map_err(|problem| {
            err(
                pos.of(field, n),
                CatalogErrorKind::Template {
                    template: text.clone(),
                    problem: problem.to_string(),
                },
            )
        })?;
        templates.push(t);
    }
    Ok(templates)
}

/// The English texts, codes, staff sentence and sources.
fn check_texts(
    r: &RawEntry,
    pos: &EntryPos,
    templates: &[Template],
) -> Result<(), (Pos, CatalogErrorKind)> {
    check_english(r, pos)?;
    check_placeholders(r, pos, templates)?;
    check_codes_ask_sources(r, pos)
}

/// The English texts are there: translation, cause, fixes, other causes; `reported` is a date.
fn check_english(r: &RawEntry, pos: &EntryPos) -> Result<(), (Pos, CatalogErrorKind)> {
    let err = |at: Pos, kind| (at, kind);
    let empty = |s: &str| s.trim().is_empty();
    if r.en
        .other_causes
        .iter()
        .any(|o| empty(&o.cause) || empty(&o.tell))
    {
        return Err(err(
            pos.of("en", 0),
            CatalogErrorKind::Empty {
                field: "en.other_causes[].cause and .tell",
            },
        ));
    }
    if let Some(r) = r.reported.as_deref().filter(|d| !is_year_month(d)) {
        return Err(err(
            pos.of("reported", 0),
            CatalogErrorKind::BadReported {
                value: r.to_owned(),
            },
        ));
    }
    for (field, text) in [
        ("en.translation", &r.en.translation),
        ("en.cause", &r.en.cause),
    ] {
        if empty(text) {
            return Err(err(pos.of("en", 0), CatalogErrorKind::Empty { field }));
        }
    }
    if r.en.fixes.is_empty() || r.en.fixes.iter().any(|f| empty(f)) {
        return Err(err(
            pos.of("en", 0),
            CatalogErrorKind::Empty { field: "en.fixes" },
        ));
    }
    if r.en.before_retry.as_deref().is_some_and(empty) {
        return Err(err(
            pos.of("en", 0),
            CatalogErrorKind::Empty {
                field: "en.before_retry",
            },
        ));
    }
    Ok(())
}

/// Every placeholder of the English texts is a slot of every Chinese template.
fn check_placeholders(
    r: &RawEntry,
    pos: &EntryPos,
    templates: &[Template],
) -> Result<(), (Pos, CatalogErrorKind)> {
    let err = |at: Pos, kind| (at, kind);
    // every placeholder must be a slot of every template (the English wordings have none)
    let common: BTreeSet<&str> = templates[..r.zh.len()]
        .iter()
        .map(|t| t.slots().map(|s| s.name.as_str()).collect::<BTreeSet<_>>())
        .reduce(|a, b| a.intersection(&b).copied().collect())
        .unwrap_or_default();
    let texts = [&r.en.translation, &r.en.cause]
        .into_iter()
        .chain(r.en.fixes.iter())
        .chain(r.en.before_retry.iter());
    for text in texts {
        if let Some(name) = placeholders(text).into_iter().find(|n| !common.contains(n)) {
            return Err(err(
                pos.of("en", 0),
                CatalogErrorKind::UnknownPlaceholder {
                    name: name.to_owned(),
                },
            ));
        }
    }
    Ok(())
}

/// Codes are codes, the staff sentence is complete, and there are sources.
fn check_codes_ask_sources(r: &RawEntry, pos: &EntryPos) -> Result<(), (Pos, CatalogErrorKind)> {
    let err = |at: Pos, kind| (at, kind);
    let empty = |s: &str| s.trim().is_empty();
    for (n, code) in r.codes.iter().enumerate() {
        if code.chars().any(char::is_whitespace) || !SlotKind::Code.accepts(code) {
            return Err(err(
                pos.of("codes", n),
                CatalogErrorKind::BadCode { code: code.clone() },
            ));
        }
    }
    if let Some(ask) = &r.ask {
        if empty(&ask.zh) || empty(&ask.pinyin) {
            return Err(err(
                pos.of("ask", 0),
                CatalogErrorKind::Empty {
                    field: "ask.zh and ask.pinyin",
                },
            ));
        }
    }
    if r.sources.is_empty() || r.sources.iter().any(|s| empty(s)) {
        return Err(err(
            pos.of("sources", 0),
            CatalogErrorKind::Empty { field: "sources" },
        ));
    }
    Ok(())
}

/// `YYYY` or `YYYY-MM`.
fn is_year_month(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        _ => false,
    }
}

/// Parses an embedded entry (the files were checked when the crate was built and tested).
pub(super) fn embedded(b: &BuiltinEntry) -> Option<Entry> {
    let raw: RawEntry = serde_json::from_str(b.json()?).ok()?;
    let pos = EntryPos {
        start: (b.line, b.column),
        fields: Vec::new(),
    };
    entry(&format!("builtin:{}", b.file_name()), raw, &pos).ok()
}

/// Who claims what: codes (by key) and template signatures.
#[derive(Default)]
struct Claims {
    codes: HashMap<String, usize>,
    signatures: HashMap<String, usize>,
}

impl Claims {
    /// Records that `owner` claims `what`; the owner that claimed it first, if another.
    fn claim(map: &mut HashMap<String, usize>, what: String, owner: usize) -> Option<usize> {
        match map.get(&what) {
            Some(&first) if first != owner => Some(first),
            Some(_) => None,
            None => {
                map.insert(what, owner);
                None
            }
        }
    }
}

/// Codes and templates are unique across the entries of one file.
fn consistency_of(entries: &[Entry]) -> Result<(), CatalogError> {
    let mut claims = Claims::default();
    for (i, e) in entries.iter().enumerate() {
        check_entry(&mut claims, i, e, |j| entries[j].id.clone())?;
    }
    Ok(())
}

fn check_entry(
    claims: &mut Claims,
    i: usize,
    e: &Entry,
    id_of: impl Fn(usize) -> String,
) -> Result<(), CatalogError> {
    let err = |kind| CatalogError::new(&e.origin, e.pos, Some(&e.id), kind);
    for code in &e.codes {
        if let Some(j) = Claims::claim(&mut claims.codes, crate::normalize::key(code), i) {
            return Err(err(CatalogErrorKind::DuplicateCode {
                code: code.clone(),
                other: id_of(j),
            }));
        }
    }
    for t in &e.templates {
        if let Some(j) = Claims::claim(&mut claims.signatures, signature(t), i) {
            return Err(err(CatalogErrorKind::DuplicateTemplate {
                template: t.text.clone(),
                other: id_of(j),
            }));
        }
    }
    Ok(())
}

/// Codes and templates are unique across a whole catalog. Embedded entries that no user
/// entry replaced are compared through the signatures prepared at build time.
pub(super) fn consistency(catalog: &Catalog) -> Result<(), CatalogError> {
    let mut claims = Claims::default();
    let id_of = |j: usize| {
        catalog
            .slots
            .get(j)
            .map_or_else(String::new, |s| s.id.to_string())
    };
    let tables = &super::BUILTIN_TABLES;
    for t in tables.templates.iter() {
        let e = t.entry as usize;
        if e < catalog.builtin_len() && !catalog.is_user(e) {
            Claims::claim(
                &mut claims.signatures,
                tables.text(t.signature).to_owned(),
                e,
            );
        }
    }
    for i in 0..tables.codes.len() {
        let (key, e) = tables.code(i);
        let e = e as usize;
        if e < catalog.builtin_len() && !catalog.is_user(e) {
            Claims::claim(&mut claims.codes, key.to_owned(), e);
        }
    }
    for i in (0..catalog.len()).filter(|&i| catalog.is_user(i)) {
        if let Some(e) = catalog.entry_at(i) {
            check_entry(&mut claims, i, e, id_of)?;
            if let Some(c) = e.contacts.iter().find(|c| catalog.contact(c).is_none()) {
                return Err(CatalogError::new(
                    &e.origin,
                    e.pos,
                    Some(&e.id),
                    CatalogErrorKind::UnknownContact { contact: c.clone() },
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(entry: &str) -> String {
        format!("{{\"entries\": [\n{entry}\n]}}")
    }

    const GOOD: &str = r#"{"id": "system.busy", "category": "system", "zh": ["系统繁忙，请稍后再试（{code}）"],
 "en": {"translation": "The system is busy ({code}).", "cause": "c", "cause_basis": "one_report", "fixes": ["f"]},
 "codes": ["ALI10"], "actor": "alipay", "retry": "later", "sources": ["seeds/x.txt"]}"#;

    #[test]
    fn accepts_a_good_entry() {
        let (e, _) = catalog("t.json", &one(GOOD)).unwrap();
        assert_eq!(e[0].id, "system.busy");
        assert_eq!(e[0].pos, (2, 8));
    }

    #[test]
    fn rejects_each_defect_with_a_place() {
        let cases: &[(&str, &str, (usize, usize))] = &[
            // (what to change in GOOD, the error text it must give, where)
            ("\"system.busy\"", "bad id", (2, 8)),
            ("\"ALI10\"", "bad code", (4, 12)),
            ("{code}）\"]", "unknown slot type", (2, 52)),
            (
                "(\"translation\": \"The system is busy ({code}).\"",
                "uses {days}",
                (3, 9),
            ),
            (
                "\"sources\": [\"seeds/x.txt\"]",
                "sources must not be empty",
                (4, 70),
            ),
            (
                "\"cause_basis\": \"one_report\", \"fixes\": [\"f\"]",
                "en.fixes must not be empty",
                (3, 9),
            ),
        ];
        let replacements = [
            "\"system.Busy\"",
            "\"ALI 10\"",
            "{colour}）\"]",
            "(\"translation\": \"The system is busy ({days}).\"",
            "\"sources\": []",
            "\"cause_basis\": \"one_report\", \"fixes\": []",
        ];
        for ((from, want, at), to) in cases.iter().zip(replacements) {
            let from = from.trim_start_matches('(');
            let to = to.trim_start_matches('(');
            let src = one(&GOOD.replace(from, to));
            let e = catalog("t.json", &src).unwrap_err();
            assert!(e.to_string().contains(want), "{e}");
            assert_eq!((e.line(), e.column()), *at, "{e}");
            assert_eq!(
                e.entry_id(),
                Some(if from.contains("system.busy") {
                    "system.Busy"
                } else {
                    "system.busy"
                })
            );
        }
    }

    #[test]
    fn duplicate_ids_and_templates() {
        let two = format!("{{\"entries\": [\n{GOOD},\n{GOOD}\n]}}");
        let e = catalog("t.json", &two).unwrap_err();
        assert!(
            matches!(e.kind(), CatalogErrorKind::DuplicateId { first } if first == "t.json:2:8"),
            "{e}"
        );
        assert_eq!(e.line(), 5);
        let other = GOOD
            .replace("system.busy", "system.busy2")
            .replace("ALI10", "ALI11");
        let two = format!("{{\"entries\": [\n{GOOD},\n{other}\n]}}");
        let e = catalog("t.json", &two).unwrap_err();
        assert!(
            matches!(e.kind(), CatalogErrorKind::DuplicateTemplate { .. }),
            "{e}"
        );
    }

    #[test]
    fn shape_errors_come_from_serde_with_positions() {
        let e = catalog("t.json", &one(&GOOD.replace("\"retry\"", "\"retyr\""))).unwrap_err();
        assert!(e.to_string().contains("unknown field `retyr`"), "{e}");
        assert_eq!(e.line(), 4);
        let e = catalog("t.json", &one(&GOOD.replace("\"system\",", "\"systems\","))).unwrap_err();
        assert!(e.to_string().contains("unknown variant `systems`"), "{e}");
    }

    #[test]
    fn a_situation_needs_no_message_but_a_description() {
        let situation = GOOD.replace(
            r#""zh": ["系统繁忙，请稍后再试（{code}）"],"#,
            r#""zh": [], "situation": {"describes": ["the app says the system is busy"], "labels_zh": ["系统"]},"#,
        )
        .replace("({code})", "");
        let (e, _) = catalog("t.json", &one(&situation)).unwrap();
        assert!(e[0].templates.is_empty());
        assert_eq!(e[0].situation.as_ref().unwrap().labels_zh, ["系统"]);
        // no message and no situation: an empty zh is an error
        let bare = GOOD
            .replace(r#"["系统繁忙，请稍后再试（{code}）"]"#, "[]")
            .replace("({code})", "");
        let err = catalog("t.json", &one(&bare)).unwrap_err();
        assert!(err.to_string().contains("zh must not be empty"), "{err}");
        // a situation with no description is an error too
        let empty = situation.replace(r#"["the app says the system is busy"]"#, "[]");
        let err = catalog("t.json", &one(&empty)).unwrap_err();
        assert!(err.to_string().contains("situation.describes"), "{err}");
    }

    #[test]
    fn contacts_are_checked_where_they_are_defined_and_used() {
        let json = r#"{"contacts": [{"id": "desk", "name": "Our desk", "how": "Ring 1234.", "sources": ["https://example.com"]},
            {"id": "desk", "name": "Again", "how": "x", "sources": ["https://example.com"]}]}"#;
        let err = catalog("t.json", json).unwrap_err();
        assert!(err.to_string().contains("defined twice"), "{err}");
        // a user's entry, over the embedded catalog (its own code and text)
        let mine = GOOD
            .replace(r#""codes": ["ALI10"], "#, "")
            .replace("系统繁忙，请稍后再试", "我们的测试消息");
        let unknown = mine.replace(
            r#""retry": "later","#,
            r#""retry": "later", "contacts": ["nobody"],"#,
        );
        let mut b = crate::Explainer::builder();
        b.catalog_json("t.json", &one(&unknown));
        let err = b.build().unwrap_err();
        assert!(
            err.to_string()
                .contains(r#"contact "nobody" is not defined"#),
            "{err}"
        );
        let known = mine.replace(
            r#""retry": "later","#,
            r#""retry": "later", "contacts": ["alipay_hotline"],"#,
        );
        let mut b = crate::Explainer::builder();
        b.catalog_json("t.json", &one(&known));
        assert!(b.build().is_ok());
    }
}
