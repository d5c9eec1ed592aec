/*!
alipay-explain, the command-line tool: explain a pasted Alipay message, scan logs for known
messages, and look after catalog files.

`main` stays thin: it parses the arguments, runs the command and turns the outcome into the
exit status (0 something was explained, 1 nothing known was found, 2 a usage or input
error). A closed output pipe (`alipay-explain … | head`) ends the program quietly with 0.
*/

mod args;
mod catalog;
mod docs;
mod draft;
mod image;
mod interactive;
mod render;
mod scan;
mod styles;

use std::io::{self, IsTerminal, Read};
use std::process::ExitCode;

use alipay_explain::{Audience, Explainer, ExplainerBuilder};
use clap::Parser;

use crate::args::{Cli, ColorWhen, Command, Common, ReaderArg, Takes};

/// Most bytes `explain` reads from standard input: a paste, not a log (use `scan`).
const MAX_PASTE: u64 = 8 * 1024 * 1024;

/// What ended a command early: a message for the user, or a closed output pipe.
#[derive(Debug)]
pub(crate) enum Fail {
    /// Print this (one line: what, where, what to do) and exit with 2.
    Message(String),
    /// The reader went away: stop quietly.
    BrokenPipe,
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Fail {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Fail::BrokenPipe
        } else {
            Fail::Message(format!("cannot write output: {e}"))
        }
    }
}

impl From<alipay_explain::Error> for Fail {
    fn from(e: alipay_explain::Error) -> Fail {
        Fail::Message(e.to_string())
    }
}

/// The outcome of a command that ran to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Found,
    NothingFound,
    /// Ran to the end, but some input could not be read (reported as it happened).
    Errors,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(Outcome::Found) => ExitCode::SUCCESS,
        Ok(Outcome::NothingFound) => ExitCode::from(1),
        Ok(Outcome::Errors) => ExitCode::from(2),
        Err(Fail::BrokenPipe) => ExitCode::SUCCESS,
        Err(Fail::Message(m)) => {
            eprintln!("alipay-explain: {m}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<Outcome, Fail> {
    match &cli.command {
        Some(Command::Scan(args)) => {
            let takes = Takes {
                output: Some(&args.shared.output),
                catalogs: Some(&args.shared.catalogs),
                input: Some(&args.shared.input),
                ..Takes::default()
            };
            scan::run(&Common::resolve(&cli, "scan", takes)?, args)
        }
        Some(Command::Catalog { action }) => catalog::run(&cli, action),
        Some(Command::Completions { shell }) => {
            Common::resolve(&cli, "completions", Takes::default())?;
            docs::completions(*shell)
        }
        Some(Command::Man) => {
            Common::resolve(&cli, "man", Takes::default())?;
            docs::man()
        }
        None => {
            let common = Common::of_explain(&cli);
            let style = if cli.brief {
                render::Style::Brief
            } else if common.json {
                render::Style::Json
            } else {
                render::Style::Full
            };
            if !cli.images.is_empty() {
                return image::run(&common, image::from_files(&cli.images)?, style);
            }
            // no message and a person at the keyboard: ask for one
            if cli.interactive || (cli.text.is_empty() && io::stdin().is_terminal()) {
                interactive::run(&common, style)
            } else {
                explain(&common, &cli.text, style)
            }
        }
    }
}

/// A builder with the catalogs named by `--catalog`, `ALIPAY_EXPLAIN_CATALOG` and
/// `--no-builtin`.
pub(crate) fn builder(common: &Common) -> ExplainerBuilder {
    let mut b = Explainer::builder();
    b.builtin(!common.no_builtin);
    b.reader(common.reader.map(|r| match r {
        ReaderArg::User => Audience::User,
        ReaderArg::Developer => Audience::Developer,
    }));
    if let Some(paths) = std::env::var_os("ALIPAY_EXPLAIN_CATALOG") {
        for p in std::env::split_paths(&paths).filter(|p| !p.as_os_str().is_empty()) {
            b.catalog_path(p);
        }
    }
    for p in &common.catalogs {
        b.catalog_path(p);
    }
    b
}

/// Standard output, with colour as `--color` and the environment say.
pub(crate) fn stdout(common: &Common) -> anstream::AutoStream<io::StdoutLock<'static>> {
    let choice = match common.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    anstream::AutoStream::new(io::stdout().lock(), choice)
}

fn explain(common: &Common, text: &[String], style: render::Style) -> Result<Outcome, Fail> {
    let input = if text.is_empty() || text == ["-"] {
        let bytes = read_stdin()?;
        // a screenshot piped in: read the text off it
        if image::is_image(&bytes) {
            let source = image::Source {
                name: "standard input".to_owned(),
                bytes,
            };
            return image::run(common, vec![source], style);
        }
        alipay_explain::decode(&bytes, common.encoding.to_lib())
            .map(|s| s.into_owned())
            .map_err(|e| Fail::Message(format!("standard input: {e}")))?
    } else {
        text.join(" ")
    };
    if input.trim().is_empty() {
        return Err(Fail::Message(
            "the input is empty: give the message as an argument, or pipe it in".to_owned(),
        ));
    }
    let explainer = builder(common).build()?;
    let explanation = explainer.explain(&input);
    let mut out = stdout(common);
    render::any(
        &mut out,
        style,
        render::Wrap::for_stdout(common),
        &explanation,
    )?;
    Ok(if explanation.is_match() {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

/// Standard input's bytes, at most [`MAX_PASTE`].
fn read_stdin() -> Result<Vec<u8>, Fail> {
    let stdin = io::stdin();
    let mut bytes = Vec::new();
    stdin
        .lock()
        .take(MAX_PASTE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Fail::Message(format!("cannot read standard input: {e}")))?;
    if bytes.len() as u64 > MAX_PASTE {
        return Err(Fail::Message(format!(
            "standard input is over {} MB: that is a log, not a paste; use `alipay-explain scan` to search it line by line",
            MAX_PASTE / (1024 * 1024)
        )));
    }
    Ok(bytes)
}
