/*!
`alipay-explain catalog list|show|search|check`: look at the catalog, and check catalog
files before they are used.
*/

use std::io::Write;
use std::path::PathBuf;

use alipay_explain::{Category, Entry, Explainer};

use crate::args::{CatalogAction, Common};
use crate::render;
use crate::{Fail, Outcome};

const ID: anstyle::Style = anstyle::AnsiColor::Cyan.on_default();
const DIM: anstyle::Style = anstyle::Style::new().dimmed();
const OK: anstyle::Style = anstyle::AnsiColor::Green.on_default().bold();

pub(crate) fn run(common: &Common, action: &CatalogAction) -> Result<Outcome, Fail> {
    match action {
        CatalogAction::Check { paths } => check(common, paths),
        CatalogAction::List { category } => {
            let explainer = crate::builder(common).build()?;
            let category = match category {
                Some(c) => Some(c.parse::<Category>().map_err(|e| {
                    Fail::Message(format!(
                        "{e}: see `alipay-explain catalog list --help` for the categories"
                    ))
                })?),
                None => None,
            };
            let entries: Vec<&Entry> = explainer
                .catalog()
                .iter()
                .filter(|e| category.is_none_or(|c| e.category == c))
                .collect();
            list(common, &entries)?;
            Ok(Outcome::Found)
        }
        CatalogAction::Show { id } => {
            let explainer = crate::builder(common).build()?;
            let Some(entry) = explainer.catalog().get(id) else {
                let near: Vec<&str> = explainer
                    .catalog()
                    .iter()
                    .filter(|e| {
                        let tail = id.rsplit('.').next().unwrap_or(id).to_ascii_lowercase();
                        !tail.is_empty() && e.id.contains(&tail)
                    })
                    .map(|e| e.id.as_str())
                    .take(5)
                    .collect();
                let hint = if near.is_empty() {
                    "try `alipay-explain catalog search WORD`".to_owned()
                } else {
                    format!("did you mean {}?", near.join(", "))
                };
                eprintln!("alipay-explain: no entry with id {id}: {hint}");
                return Ok(Outcome::NothingFound);
            };
            let mut out = crate::stdout(common);
            if common.json {
                render::json_line(&mut out, entry)?;
            } else {
                render::entry(&mut out, entry)?;
            }
            Ok(Outcome::Found)
        }
        CatalogAction::Search { word } => {
            let explainer = crate::builder(common).build()?;
            let hits = explainer.catalog().search(word);
            if hits.is_empty() {
                eprintln!("alipay-explain: no entry mentions {word:?}");
                return Ok(Outcome::NothingFound);
            }
            list(common, &hits)?;
            Ok(Outcome::Found)
        }
    }
}

fn list(common: &Common, entries: &[&Entry]) -> Result<(), Fail> {
    let mut out = crate::stdout(common);
    for e in entries {
        if common.json {
            render::json_line(&mut out, e)?;
        } else {
            let zh = e.zh.first().map_or("", String::as_str);
            writeln!(
                out,
                "{ID}{}{ID:#}\t{}\t{}\t{DIM}{}{DIM:#}",
                e.id,
                e.category,
                render::one_line(zh),
                render::one_line(&e.en.translation)
            )?;
        }
    }
    Ok(())
}

/// Loads `paths` exactly as `--catalog` would, over the embedded catalog, and reports.
fn check(common: &Common, paths: &[PathBuf]) -> Result<Outcome, Fail> {
    let mut b = Explainer::builder();
    b.builtin(!common.no_builtin);
    for p in paths {
        b.catalog_path(p);
    }
    let explainer = b.build()?;
    let added: Vec<&Entry> = explainer
        .catalog()
        .iter()
        .filter(|e| !e.origin.starts_with("builtin:"))
        .collect();
    let mut out = crate::stdout(common);
    if common.json {
        let report = serde_json::json!({
            "ok": true,
            "entries": added.len(),
            "replaced": explainer.replaced(),
        });
        render::json_line(&mut out, &report)?;
        return Ok(Outcome::Found);
    }
    for id in explainer.replaced() {
        let at = explainer
            .catalog()
            .get(id)
            .map(Entry::location)
            .unwrap_or_default();
        writeln!(
            out,
            "{at}: entry {id} replaces the embedded entry with that id"
        )?;
    }
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    writeln!(
        out,
        "{OK}ok{OK:#}: {} entries in {}, {} of them replacing embedded entries",
        added.len(),
        names.join(", "),
        explainer.replaced().len()
    )?;
    Ok(Outcome::Found)
}
