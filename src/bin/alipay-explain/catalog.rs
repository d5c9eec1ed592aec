/*!
`alipay-explain catalog list|show|search|check|new`: look at the catalog, check catalog files
before they are used, and draft new entries.
*/

use std::io::Write;
use std::path::PathBuf;

use alipay_explain::{Category, Entry, Explainer};

use crate::args::{CatalogAction, CatalogOpts, Cli, Common, OutputOpts, Takes, WrapOpts};
use crate::render::{self, Wrap};
use crate::styles::{DIM, ID, LABEL};
use crate::{Fail, Outcome};

pub(crate) fn run(cli: &Cli, action: &CatalogAction) -> Result<Outcome, Fail> {
    match action {
        CatalogAction::Check {
            paths,
            no_builtin,
            output,
        } => {
            let takes = Takes {
                output: Some(output),
                no_builtin: Some(*no_builtin),
                ..Takes::default()
            };
            check(&Common::resolve(cli, "catalog check", takes)?, paths)
        }
        CatalogAction::New { text, catalogs } => {
            let takes = Takes {
                catalogs: Some(catalogs),
                ..Takes::default()
            };
            crate::draft::run(
                &Common::resolve(cli, "catalog new", takes)?,
                &text.join(" "),
            )
        }
        CatalogAction::List {
            category,
            output,
            catalogs,
        } => {
            let (common, explainer) = load(cli, "catalog list", output, catalogs, None)?;
            list_category(&common, &explainer, category.as_deref())
        }
        CatalogAction::Show {
            id,
            wrap,
            output,
            catalogs,
        } => {
            let (common, explainer) = load(cli, "catalog show", output, catalogs, Some(wrap))?;
            show(&common, &explainer, id)
        }
        CatalogAction::Search {
            word,
            output,
            catalogs,
        } => {
            let (common, explainer) = load(cli, "catalog search", output, catalogs, None)?;
            let hits = explainer.catalog().search(word);
            if hits.is_empty() {
                eprintln!("alipay-explain: no entry mentions {word:?}");
                return Ok(Outcome::NothingFound);
            }
            list(&common, &hits)?;
            Ok(Outcome::Found)
        }
    }
}

/// The options of a `catalog` action that reads the catalog, and the explainer they give.
fn load(
    cli: &Cli,
    name: &str,
    output: &OutputOpts,
    catalogs: &CatalogOpts,
    wrap: Option<&WrapOpts>,
) -> Result<(Common, Explainer), Fail> {
    let takes = Takes {
        output: Some(output),
        catalogs: Some(catalogs),
        wrap,
        ..Takes::default()
    };
    let common = Common::resolve(cli, name, takes)?;
    let explainer = crate::builder(&common).build()?;
    Ok((common, explainer))
}

/// `catalog list [CATEGORY]`.
fn list_category(
    common: &Common,
    explainer: &Explainer,
    category: Option<&str>,
) -> Result<Outcome, Fail> {
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

/// `catalog show ID`: the entry, or the ids like `id` when there is none.
fn show(common: &Common, explainer: &Explainer, id: &str) -> Result<Outcome, Fail> {
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
        render::entry(&mut out, Wrap::for_stdout(common), entry)?;
    }
    Ok(Outcome::Found)
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
    if let Some(at) = unfilled_draft(paths) {
        return Err(Fail::Message(format!(
            "{at}: a \"TODO\" left by `alipay-explain catalog new` is still to be filled in (see data/README.md)"
        )));
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
    let replacing = match explainer.replaced().len() {
        0 => "none of them replacing an embedded entry".to_owned(),
        1 if added.len() == 1 => "replacing an embedded entry".to_owned(),
        1 => "1 of them replacing an embedded entry".to_owned(),
        n => format!("{n} of them replacing embedded entries"),
    };
    writeln!(
        out,
        "{LABEL}ok{LABEL:#}: {} in {}, {replacing}",
        render::count(added.len(), "entry", "entries"),
        names.join(", "),
    )?;
    Ok(Outcome::Found)
}

/// Where the first `"TODO` left by `catalog new` stands in the catalog files at `paths`
/// (files, or folders of *.json files), as `file:line:column`.
fn unfilled_draft(paths: &[PathBuf]) -> Option<String> {
    let mut files: Vec<PathBuf> = Vec::new();
    for p in paths {
        match std::fs::read_dir(p) {
            Ok(dir) => {
                let mut inside: Vec<PathBuf> = dir
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|f| f.extension().is_some_and(|x| x == "json"))
                    .collect();
                inside.sort();
                files.extend(inside);
            }
            Err(_) => files.push(p.clone()),
        }
    }
    for file in files {
        // a file that cannot be read is reported by the load that follows
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if let Some(at) = text.find("\"TODO") {
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 2;
            return Some(format!("{}:{line}:{column}", file.display()));
        }
    }
    None
}
