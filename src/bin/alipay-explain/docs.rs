/*!
`alipay-explain completions SHELL` and `alipay-explain man`: shell completion scripts and the
manual page, both made from the clap definitions in `args.rs`, so they never fall behind.

Both are written whole into memory first: the generators panic on a failed write, and a closed
pipe (`alipay-explain man | head`) must end quietly instead.
*/

use std::io::{self, Write};

use clap::CommandFactory;

use crate::args::{Cli, Shell};
use crate::{Fail, Outcome};

pub(crate) fn completions(shell: Shell) -> Result<Outcome, Fail> {
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "alipay-explain", &mut script);
    write_all(&script)
}

/// One page: the explain command's name, synopsis, description and options, then a section
/// per subcommand with its own synopsis, description and options, then the examples.
pub(crate) fn man() -> Result<Outcome, Fail> {
    let mut cmd = Cli::command();
    cmd.build();
    let page = clap_mangen::Man::new(cmd.clone());
    let mut roff = Vec::new();
    page.render_title(&mut roff)?;
    page.render_name_section(&mut roff)?;
    page.render_synopsis_section(&mut roff)?;
    page.render_description_section(&mut roff)?;
    page.render_options_section(&mut roff)?;
    let mut commands = roff::Roff::new();
    commands.control("SH", ["COMMANDS"]);
    for sub in cmd.get_subcommands() {
        command_section(&mut commands, "alipay-explain", sub);
    }
    commands.to_writer(&mut roff)?;
    page.render_extra_section(&mut roff)?;
    page.render_version_section(&mut roff)?;
    write_all(&roff)
}

/// `.SS` for a subcommand (or, for one with subcommands of its own, for each of those).
fn command_section(roff: &mut roff::Roff, parent: &str, cmd: &clap::Command) {
    let name = format!("{parent} {}", cmd.get_name());
    if cmd.get_name() == "help" {
        return;
    }
    if cmd.has_subcommands() {
        for sub in cmd.get_subcommands() {
            command_section(roff, &name, sub);
        }
        return;
    }
    // -h/--help is on every command: the page says so once, among the main options
    let args: Vec<&clap::Arg> = cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set() && a.get_id() != "help")
        .collect();
    let mut synopsis = name.clone();
    if args.iter().any(|a| !a.is_positional()) {
        synopsis.push_str(" [OPTIONS]");
    }
    for arg in args.iter().filter(|a| a.is_positional()) {
        let value = value_name(arg);
        if arg.is_required_set() {
            synopsis.push_str(&format!(" {value}"));
        } else {
            synopsis.push_str(&format!(" [{value}]"));
        }
    }
    roff.control("SS", [synopsis.as_str()]);
    if let Some(about) = cmd.get_long_about().or(cmd.get_about()) {
        roff.text([roff::roman(about.to_string())]);
    }
    for arg in args {
        let mut flag = String::new();
        if let Some(s) = arg.get_short() {
            flag.push_str(&format!("-{s}, "));
        }
        match arg.get_long() {
            Some(l) => flag.push_str(&format!("--{l}")),
            None => flag.push_str(&value_name(arg)),
        }
        if !arg.is_positional() && arg.get_action().takes_values() {
            if let Some(v) = arg.get_value_names().and_then(|v| v.first()) {
                flag.push_str(&format!(" {v}"));
            }
        }
        roff.control("TP", []);
        roff.text([roff::bold(flag)]);
        if let Some(help) = arg.get_long_help().or(arg.get_help()) {
            roff.text([roff::roman(help.to_string())]);
        }
    }
}

/// `FILE...` for a positional argument that takes several values, `ID` for one.
fn value_name(arg: &clap::Arg) -> String {
    let value = arg.get_value_names().and_then(|v| v.first()).map_or_else(
        || arg.get_id().to_string().to_uppercase(),
        ToString::to_string,
    );
    let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
    format!("{value}{}", if many { "..." } else { "" })
}

fn write_all(bytes: &[u8]) -> Result<Outcome, Fail> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(Outcome::Found)
}
