//! What the command line says about itself: the README's command-line section against
//! `--help`, shell completions, the man page, and `catalog new` drafts (issue 15).

use std::collections::BTreeSet;
use std::process::{Command, Output, Stdio};

use crate::util::repo;

/// The leaf commands, as the README's option table names them, and their arguments.
const COMMANDS: &[(&str, &[&str])] = &[
    ("explain", &[]),
    ("scan", &["scan"]),
    ("catalog list", &["catalog", "list"]),
    ("catalog show", &["catalog", "show"]),
    ("catalog search", &["catalog", "search"]),
    ("catalog check", &["catalog", "check"]),
    ("catalog new", &["catalog", "new"]),
    ("completions", &["completions"]),
    ("man", &["man"]),
];

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alipay-explain"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "alipay-explain {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn help(args: &[&str]) -> String {
    let mut with_help = args.to_vec();
    with_help.push("--help");
    stdout(&with_help)
}

/// The long options a `--help` lists, `--help` and `--version` aside.
fn options_in_help(help: &str) -> BTreeSet<String> {
    help.lines()
        .map(str::trim_start)
        .filter_map(|l| {
            // "-i, --interactive" or "--json"
            if !l.starts_with('-') {
                return None;
            }
            let l = l.split_once("--").map(|(_, rest)| rest)?;
            let name: String = l
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            (!name.is_empty() && name != "help" && name != "version").then_some(name)
        })
        .collect()
}

/// The README's "## Command line" section.
fn readme_section() -> String {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let start = readme
        .find("## Command line")
        .expect("a Command line section");
    let rest = &readme[start + 3..];
    let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
    rest[..end].to_owned()
}

/// (command, option) for every row of the README's option table.
fn options_in_readme(section: &str) -> BTreeSet<(String, String)> {
    let mut pairs = BTreeSet::new();
    for row in section.lines().filter(|l| l.starts_with("| `-")) {
        let cells: Vec<&str> = row.split(" | ").collect();
        let names: Vec<String> = cells[0]
            .split('`')
            .filter_map(|piece| piece.split_once("--").map(|(_, rest)| rest))
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect()
            })
            .collect();
        let mut commands = Vec::new();
        for token in cells[1].split(", ") {
            match token.strip_prefix("catalog ") {
                Some(subs) => commands.extend(subs.split('/').map(|s| format!("catalog {s}"))),
                None => commands.push(token.to_owned()),
            }
        }
        for c in &commands {
            assert!(
                COMMANDS.iter().any(|(name, _)| name == c),
                "README names an unknown command {c:?} in: {row}"
            );
            for n in &names {
                pairs.insert((c.clone(), n.clone()));
            }
        }
    }
    pairs
}

/// The README's command-line section says what `--help` says: the same options for each
/// command, each command's usage line, and every example the help gives.
#[test]
fn readme_command_line_matches_help() {
    let section = readme_section();
    let readme = options_in_readme(&section);
    for (name, args) in COMMANDS {
        let help = help(args);
        let in_help = options_in_help(&help);
        let in_readme: BTreeSet<String> = readme
            .iter()
            .filter(|(c, _)| c == name)
            .map(|(_, o)| o.clone())
            .collect();
        assert_eq!(
            in_readme, in_help,
            "options of `{name}`: README's table (left) and --help (right)"
        );
        let usage = help
            .lines()
            .find_map(|l| l.strip_prefix("Usage: "))
            .unwrap()
            .trim_end_matches(" [COMMAND]");
        assert!(
            section.contains(usage),
            "README's command-line section lacks the usage `{usage}`"
        );
        let readme_all = std::fs::read_to_string(repo("README.md")).unwrap();
        if let Some((_, examples)) = help.split_once("Examples:\n") {
            for example in examples.lines().map(str::trim).filter(|l| !l.is_empty()) {
                assert!(
                    readme_all.contains(example),
                    "the example `{example}` of `{name} --help` is not in the README"
                );
            }
        }
    }
}

/// Each subcommand's help lists its own options only.
#[test]
fn options_only_where_they_apply() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["catalog", "check"],
            &["encoding", "catalog", "width", "brief"],
        ),
        (
            &["catalog", "list"],
            &["encoding", "width", "stats", "fuzzy"],
        ),
        (&["catalog", "new"], &["json", "encoding", "color"]),
        (&["scan"], &["brief", "interactive", "width"]),
        (&["completions"], &["json", "color", "catalog"]),
        (&["man"], &["json", "color", "catalog"]),
    ];
    for (args, absent) in cases {
        let options = options_in_help(&help(args));
        for a in *absent {
            assert!(
                !options.contains(*a),
                "`{} --help` lists --{a}",
                args.join(" ")
            );
        }
    }
}

const SUBCOMMANDS: &[&str] = &[
    "scan",
    "catalog",
    "list",
    "show",
    "search",
    "check",
    "new",
    "completions",
    "man",
];

fn has_program(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// A completion script for each shell, naming every subcommand; the bash one (and the zsh
/// and fish ones, where those shells are installed) passes the shell's syntax check.
#[test]
fn completions_for_every_shell() {
    let dir = std::env::temp_dir().join(format!("alipay-explain-compl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completions lack {sub}");
        }
        assert!(script.contains("stats-only"), "{shell}: scan's options");
        let checker = match shell {
            "bash" => Some(("bash", vec!["-n"])),
            "zsh" if has_program("zsh") => Some(("zsh", vec!["-n"])),
            "fish" if has_program("fish") => Some(("fish", vec!["--no-execute"])),
            _ => None,
        };
        if let Some((program, flags)) = checker {
            let file = dir.join(format!("completions.{shell}"));
            std::fs::write(&file, &script).unwrap();
            let out = Command::new(program)
                .args(&flags)
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{program} {flags:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `man` prints one roff page naming every subcommand; groff (where installed) renders it
/// without a warning.
#[test]
fn man_page_renders() {
    let page = stdout(&["man"]);
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{page}");
    for sub in SUBCOMMANDS {
        assert!(page.contains(sub), "the man page lacks {sub}");
    }
    if !has_program("groff") {
        return;
    }
    use std::io::Write;
    let mut groff = Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-ww"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    groff
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = groff.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "groff: {stderr}");
    let text = String::from_utf8_lossy(&out.stdout);
    // bold and underlining are overstrikes in groff's terminal output
    let plain: String = text
        .split('\u{8}')
        .enumerate()
        .map(|(i, s)| if i == 0 { s } else { s.get(1..).unwrap_or("") })
        .collect::<String>();
    for heading in ["NAME", "SYNOPSIS", "OPTIONS", "COMMANDS"] {
        assert!(plain.contains(heading), "rendered page lacks {heading}");
    }
    for usage in [
        "alipay-explain scan [OPTIONS] [FILE...]",
        "alipay-explain catalog new [OPTIONS] TEXT...",
        "alipay-explain completions SHELL",
    ] {
        assert!(
            plain.contains(usage),
            "rendered page lacks {usage}:\n{plain}"
        );
    }
}

/// A draft from `catalog new` is refused by `catalog check` while a TODO is left, and passes
/// it once the TODOs are filled in.
#[test]
fn catalog_new_draft_filled_in_passes_check() {
    let message = "您的账户于2024年5月1日被限制收款，请联系95188";
    let out = run(&["catalog", "new", message]);
    assert_eq!(out.status.code(), Some(0));
    let notes = String::from_utf8(out.stderr).unwrap();
    assert!(notes.lines().all(|l| l.starts_with("//")), "{notes}");
    assert!(notes.contains("No source, no entry"), "{notes}");
    let draft = String::from_utf8(out.stdout).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&draft).unwrap();
    let entry = &mut json["entries"][0];
    assert_eq!(entry["zh"][0], "您的账户于{date}被限制收款，请联系{phone}");

    let dir = std::env::temp_dir().join(format!("alipay-explain-draft-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("mine.json");
    std::fs::write(&file, &draft).unwrap();
    let path = file.to_str().unwrap();
    let unfilled = run(&["catalog", "check", path]);
    assert_eq!(unfilled.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unfilled.stderr).contains("TODO"));

    entry["en"]["translation"] = "Your account may not receive money since {date}.".into();
    entry["en"]["cause"] = "Most often a risk-control review.".into();
    entry["en"]["cause_basis"] = "one_report".into();
    entry["en"]["fixes"] = serde_json::json!(["Call {phone}."]);
    entry["actor"] = "alipay".into();
    entry["retry"] = "no".into();
    entry["sources"] = serde_json::json!(["https://example.com/seen-here"]);
    std::fs::write(&file, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let filled = run(&["catalog", "check", path]);
    assert_eq!(
        filled.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&filled.stderr)
    );
    assert!(String::from_utf8_lossy(&filled.stdout).contains("ok: 1 entry in"));
    // and the new entry explains its message
    let explained = run(&["--catalog", path, "--brief", message]);
    let brief = String::from_utf8_lossy(&explained.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(brief.starts_with("account."), "{brief}");
}
