/*!
The command line, as clap parses it. The doc comments here are the `--help` text.

Each command takes only the options that apply to it, so its `--help` lists only those. For
compatibility with the first release, options that the explain command takes may still stand
before a subcommand (`alipay-explain --no-builtin catalog check FILE`) when the subcommand
takes them too; [`Common::resolve`] merges the two places and refuses the rest.
*/

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::Fail;

/// `--version`: the version, and with the `dictionary` feature the credit that CC-CEDICT's
/// licence asks of every copy that ships it (data/dictionary/NOTICE.md).
const LONG_VERSION: &str = if cfg!(feature = "dictionary") {
    concat!(
        env!("CARGO_PKG_VERSION"),
        "\nWord glosses use CC-CEDICT (MDBG, release 2023-11-07), adapted, under CC BY-SA 4.0:",
        "\nhttps://creativecommons.org/licenses/by-sa/4.0/ (see data/dictionary/NOTICE.md)"
    )
} else {
    env!("CARGO_PKG_VERSION")
};

/// Explain Chinese Alipay (支付宝) messages in English: what the message says, why it most
/// likely happened, and what to do now.
///
/// Paste the message as arguments, or pipe it in; with neither, on a terminal, messages are
/// read one after another (as with -i). Exit status: 0 a known message was explained, 1
/// nothing known was found, 2 a usage or input error.
#[derive(Debug, Parser)]
#[command(
    name = "alipay-explain",
    version,
    long_version = LONG_VERSION,
    rename_all = "kebab-case",
    help_expected = true,
    after_help = "Examples:\n  alipay-explain '抱歉，暂时无法操作。失败原因 系统出错啦。'\n  pbpaste | alipay-explain --json\n  alipay-explain -i\n  alipay-explain scan app.log.gz --stats\n  alipay-explain catalog show system.busy_try_later\n  alipay-explain catalog new '请联系客服确认银行卡'"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    /// The message to explain (several words are joined with spaces). Without TEXT, or
    /// with "-", the message is read from standard input.
    #[arg(value_name = "TEXT")]
    pub(crate) text: Vec<String>,

    /// Read messages one after another at a prompt: paste one, then press Enter on an
    /// empty line to have it explained; arrow keys recall earlier lines; Ctrl-D leaves.
    #[arg(short, long, conflicts_with = "text")]
    pub(crate) interactive: bool,

    /// Read the message off a screenshot: PNG, JPEG or WebP (repeatable). An image piped in
    /// is recognised by its first bytes. Needs a build with `--features image` and the OCR
    /// models (scripts/fetch-ocr-models.sh).
    #[arg(long = "image", value_name = "PATH", conflicts_with_all = ["text", "interactive"])]
    pub(crate) images: Vec<PathBuf>,

    /// One line per match: id, how sure (percent), translation (tab-separated).
    #[arg(long, conflicts_with = "json")]
    pub(crate) brief: bool,

    /// Whom to answer: user (someone using the Alipay app) or developer (someone
    /// integrating Alipay). Default: the paste decides (JSON, an API response, a log line or
    /// a bare code: developer; a screen, a sentence or an e-mail: user).
    #[arg(long = "for", value_enum, value_name = "WHO")]
    pub(crate) reader: Option<ReaderArg>,

    #[command(flatten)]
    pub(crate) wrap: WrapOpts,

    #[command(flatten)]
    pub(crate) shared: SharedOpts,
}

/// The options of the explain command that `scan` takes too: `--json`, `--color`,
/// `--catalog`, `--no-builtin`, `--encoding`.
#[derive(Debug, Args)]
pub(crate) struct SharedOpts {
    #[command(flatten)]
    pub(crate) output: OutputOpts,

    #[command(flatten)]
    pub(crate) catalogs: CatalogOpts,

    #[command(flatten)]
    pub(crate) input: InputOpts,
}

/// `--for`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReaderArg {
    /// Someone using the Alipay app or website.
    User,
    /// Someone integrating Alipay.
    Developer,
}

/// `--json` and `--color`.
#[derive(Debug, Args)]
pub(crate) struct OutputOpts {
    /// Print JSON for scripts instead of text for people.
    #[arg(long)]
    pub(crate) json: bool,

    /// When to use colour: auto (only on a terminal, and not when NO_COLOR is set),
    /// always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub(crate) color: ColorWhen,
}

/// `--width`, for text that is wrapped.
#[derive(Debug, Args)]
pub(crate) struct WrapOpts {
    /// Wrap text at N columns (Chinese characters count two). Default: the terminal's
    /// width on a terminal; no wrapping when the output is a pipe or a file. 0: never wrap.
    #[arg(long, value_name = "N")]
    pub(crate) width: Option<usize>,
}

/// `--catalog` and `--no-builtin`.
#[derive(Debug, Args)]
pub(crate) struct CatalogOpts {
    /// Add a catalog file, or a folder of *.json catalog files, over the embedded catalog.
    /// Repeatable. ALIPAY_EXPLAIN_CATALOG adds more (paths separated by ':').
    #[arg(long = "catalog", value_name = "PATH")]
    pub(crate) catalogs: Vec<PathBuf>,

    /// Use only the catalogs given with --catalog, not the embedded one.
    #[arg(long)]
    pub(crate) no_builtin: bool,
}

/// `--encoding`.
#[derive(Debug, Args)]
pub(crate) struct InputOpts {
    /// Encoding of the input: auto (UTF-8, else GB18030), utf-8, gb18030.
    #[arg(long, value_enum, value_name = "ENCODING", default_value_t = EncodingArg::Auto)]
    pub(crate) encoding: EncodingArg,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Find every known message in logs or tickets, line by line.
    Scan(ScanArgs),
    /// List, show, search or check catalog entries, or draft a new one.
    Catalog {
        #[command(subcommand)]
        action: CatalogAction,
    },
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    #[command(
        after_help = "Examples:\n  alipay-explain completions bash > ~/.local/share/bash-completion/completions/alipay-explain\n  alipay-explain completions zsh > ~/.zfunc/_alipay-explain\n  alipay-explain completions fish > ~/.config/fish/completions/alipay-explain.fish"
    )]
    Completions {
        /// The shell to write the script for.
        #[arg(value_enum, value_name = "SHELL")]
        shell: Shell,
    },
    /// Print the manual page (roff), e.g. for `alipay-explain man | man -l -`.
    Man,
}

/// `scan` options.
#[derive(Debug, Args)]
#[command(
    after_help = "With --json, one JSON object for each line that holds a message (JSON Lines). Compressed\nfiles (gzip, zstd) are read as they are, told apart by their first bytes.\n\nExamples:\n  alipay-explain scan app.log.gz --stats\n  alipay-explain scan --id system.busy_try_later --json logs/*.log\n  journalctl -u pay-gw | alipay-explain scan --category api"
)]
pub(crate) struct ScanArgs {
    /// Files to scan (plain, gzip or zstd); "-" or none reads standard input.
    #[arg(value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,

    /// After the matches, print how often each message was found.
    #[arg(long)]
    pub(crate) stats: bool,

    /// Print only the summary (implies --stats).
    #[arg(long)]
    pub(crate) stats_only: bool,

    /// Report only the entry with this id (any case). Repeatable.
    #[arg(long = "id", value_name = "ID")]
    pub(crate) ids: Vec<String>,

    /// Report only entries of this category (registration, login, verification, bank_card,
    /// payment, risk_control, account, transfer, topup, international, system, api, status).
    /// Repeatable.
    #[arg(long = "category", value_name = "CATEGORY")]
    pub(crate) categories: Vec<String>,

    /// Also report messages with characters wrong or missing (slower; exact and
    /// normalised matches only by default).
    #[arg(long)]
    pub(crate) fuzzy: bool,

    /// Worker threads (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub(crate) threads: Option<usize>,

    /// Never show a progress bar (it is shown only on a terminal anyway).
    #[arg(long)]
    pub(crate) no_progress: bool,

    #[command(flatten)]
    pub(crate) shared: SharedOpts,
}

/// `catalog` actions.
#[derive(Debug, Subcommand)]
pub(crate) enum CatalogAction {
    /// List entries: id, category, Chinese text and English translation.
    List {
        /// Only this category (registration, login, verification, bank_card, payment,
        /// risk_control, account, transfer, topup, international, system, api, status).
        #[arg(long, value_name = "CATEGORY")]
        category: Option<String>,

        #[command(flatten)]
        output: OutputOpts,

        #[command(flatten)]
        catalogs: CatalogOpts,
    },
    /// Show one entry in full (any letter case).
    Show {
        /// The entry's id, e.g. system.busy_try_later.
        id: String,

        #[command(flatten)]
        wrap: WrapOpts,

        #[command(flatten)]
        output: OutputOpts,

        #[command(flatten)]
        catalogs: CatalogOpts,
    },
    /// Find entries whose id, Chinese text, code or English mentions WORD.
    Search {
        /// A word: Chinese, English, or a code.
        word: String,

        #[command(flatten)]
        output: OutputOpts,

        #[command(flatten)]
        catalogs: CatalogOpts,
    },
    /// Check catalog files (or folders) for defects, as they would load over the
    /// embedded catalog.
    Check {
        /// Files or folders to check.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,

        /// Check them alone, not over the embedded catalog.
        #[arg(long)]
        no_builtin: bool,

        #[command(flatten)]
        output: OutputOpts,
    },
    /// Draft a catalog entry for a message that nothing matched: a JSON entry on standard
    /// output with its varying parts already made slots, the rules for filling it in on
    /// standard error.
    #[command(
        after_help = "Fill in every \"TODO\", then check the file with `alipay-explain catalog check`.\n\nExamples:\n  alipay-explain catalog new '请联系客服确认银行卡' > mine.json\n  alipay-explain catalog check mine.json"
    )]
    New {
        /// The message, verbatim as Alipay shows it.
        #[arg(required = true, value_name = "TEXT")]
        text: Vec<String>,

        #[command(flatten)]
        catalogs: CatalogOpts,
    },
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--encoding` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum EncodingArg {
    /// UTF-8, else GB18030.
    Auto,
    /// UTF-8 only.
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030 (also reads GBK and GB2312).
    #[value(alias = "gbk")]
    Gb18030,
}

/// `completions` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Shell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
    /// Elvish.
    Elvish,
}

impl EncodingArg {
    pub(crate) fn to_lib(self) -> alipay_explain::Encoding {
        match self {
            EncodingArg::Auto => alipay_explain::Encoding::Auto,
            EncodingArg::Utf8 => alipay_explain::Encoding::Utf8,
            EncodingArg::Gb18030 => alipay_explain::Encoding::Gb18030,
        }
    }
}

/// The options of one run, wherever on the command line they stood.
#[derive(Debug)]
pub(crate) struct Common {
    pub(crate) json: bool,
    pub(crate) catalogs: Vec<PathBuf>,
    pub(crate) no_builtin: bool,
    pub(crate) color: ColorWhen,
    pub(crate) encoding: EncodingArg,
    /// `Some(0)`: never wrap; `None`: as the output decides (see `render::Wrap`).
    pub(crate) width: Option<usize>,
    /// `--for`: whom to answer; `None`, each paste decides.
    pub(crate) reader: Option<ReaderArg>,
}

/// What a subcommand takes of the options that may also stand before it.
#[derive(Default)]
pub(crate) struct Takes<'a> {
    pub(crate) output: Option<&'a OutputOpts>,
    pub(crate) catalogs: Option<&'a CatalogOpts>,
    /// `catalog check` takes `--no-builtin` without `--catalog`.
    pub(crate) no_builtin: Option<bool>,
    pub(crate) input: Option<&'a InputOpts>,
    pub(crate) wrap: Option<&'a WrapOpts>,
}

impl Common {
    /// The options of the explain command itself.
    pub(crate) fn of_explain(cli: &Cli) -> Common {
        Common {
            json: cli.shared.output.json,
            catalogs: cli.shared.catalogs.catalogs.clone(),
            no_builtin: cli.shared.catalogs.no_builtin,
            color: cli.shared.output.color,
            encoding: cli.shared.input.encoding,
            width: cli.wrap.width,
            reader: cli.reader,
        }
    }

    /// The options of subcommand `name`: its own, and those given before it that it takes
    /// too. An option before it that it does not take is a usage error.
    pub(crate) fn resolve(cli: &Cli, name: &str, takes: Takes<'_>) -> Result<Common, Fail> {
        let before = Common::of_explain(cli);
        let mut stray: Vec<&str> = Vec::new();
        if cli.interactive {
            stray.push("--interactive");
        }
        if cli.brief {
            stray.push("--brief");
        }
        if cli.reader.is_some() {
            stray.push("--for");
        }
        if !cli.images.is_empty() {
            stray.push("--image");
        }
        if before.width.is_some() && takes.wrap.is_none() {
            stray.push("--width");
        }
        if before.json && takes.output.is_none() {
            stray.push("--json");
        }
        if before.color != ColorWhen::Auto && takes.output.is_none() {
            stray.push("--color");
        }
        if !before.catalogs.is_empty() && takes.catalogs.is_none() {
            stray.push("--catalog");
        }
        if before.no_builtin && takes.catalogs.is_none() && takes.no_builtin.is_none() {
            stray.push("--no-builtin");
        }
        if before.encoding != EncodingArg::Auto && takes.input.is_none() {
            stray.push("--encoding");
        }
        if let Some(first) = stray.first() {
            return Err(Fail::Message(format!(
                "{first} does not apply to `alipay-explain {name}`: see `alipay-explain {name} --help` for its options"
            )));
        }
        let mut catalogs = before.catalogs;
        let mut no_builtin = before.no_builtin || takes.no_builtin.unwrap_or(false);
        if let Some(c) = takes.catalogs {
            catalogs.extend(c.catalogs.iter().cloned());
            no_builtin |= c.no_builtin;
        }
        let (json, color) = match takes.output {
            Some(o) if o.color != ColorWhen::Auto => (before.json || o.json, o.color),
            Some(o) => (before.json || o.json, before.color),
            None => (false, ColorWhen::Auto),
        };
        let encoding = match takes.input {
            Some(i) if i.encoding != EncodingArg::Auto => i.encoding,
            _ => before.encoding,
        };
        let width = takes.wrap.and_then(|w| w.width).or(before.width);
        Ok(Common {
            json,
            catalogs,
            no_builtin,
            color,
            encoding,
            width,
            reader: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
