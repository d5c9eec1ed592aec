/*!
The command line, as clap parses it. The doc comments here are the `--help` text.
*/

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Explain Chinese Alipay (支付宝) messages in English: what the message says, why it most
/// likely happened, and what to do now.
///
/// Paste the message as arguments, or pipe it in. Exit status: 0 a known message was
/// explained, 1 nothing known was found, 2 a usage or input error.
#[derive(Debug, Parser)]
#[command(
    name = "alipay-explain",
    version,
    rename_all = "kebab-case",
    help_expected = true,
    after_help = "Examples:\n  alipay-explain '抱歉，暂时无法操作。失败原因 系统出错啦。'\n  pbpaste | alipay-explain --json\n  alipay-explain scan app.log --stats\n  alipay-explain catalog show system.busy_try_later"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    /// The message to explain (several words are joined with spaces). Without TEXT, or
    /// with "-", the message is read from standard input.
    #[arg(value_name = "TEXT")]
    pub(crate) text: Vec<String>,

    #[command(flatten)]
    pub(crate) common: Common,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub(crate) struct Common {
    /// Print JSON for scripts instead of text for people (JSON Lines for `scan`).
    #[arg(long, global = true)]
    pub(crate) json: bool,

    /// Add a catalog file, or a folder of *.json catalog files, over the embedded catalog.
    /// Repeatable. ALIPAY_EXPLAIN_CATALOG adds more (paths separated by ':').
    #[arg(long = "catalog", value_name = "PATH", global = true)]
    pub(crate) catalogs: Vec<PathBuf>,

    /// Use only the catalogs given with --catalog, not the embedded one.
    #[arg(long, global = true)]
    pub(crate) no_builtin: bool,

    /// When to use colour: auto (only on a terminal, and not when NO_COLOR is set),
    /// always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    pub(crate) color: ColorWhen,

    /// Encoding of the input: auto (UTF-8, else GB18030), utf-8, gb18030.
    #[arg(long, value_enum, value_name = "ENCODING", default_value_t = EncodingArg::Auto, global = true)]
    pub(crate) encoding: EncodingArg,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Find every known message in logs or tickets, line by line.
    Scan(ScanArgs),
    /// List, show, search or check catalog entries.
    Catalog {
        #[command(subcommand)]
        action: CatalogAction,
    },
}

/// `scan` options.
#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Files to scan; "-" or none reads standard input.
    #[arg(value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,

    /// After the matches, print how often each message was found.
    #[arg(long)]
    pub(crate) stats: bool,

    /// Print only the summary (implies --stats).
    #[arg(long)]
    pub(crate) stats_only: bool,

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
}

/// `catalog` actions.
#[derive(Debug, Subcommand)]
pub(crate) enum CatalogAction {
    /// List entries: id, category and English translation.
    List {
        /// Only this category (registration, login, verification, bank_card, payment,
        /// risk_control, account, transfer, topup, international, system, api, status).
        #[arg(long, value_name = "CATEGORY")]
        category: Option<String>,
    },
    /// Show one entry in full (any letter case).
    Show {
        /// The entry's id, e.g. system.busy_try_later.
        id: String,
    },
    /// Find entries whose id, Chinese text, code or English mentions WORD.
    Search {
        /// A word: Chinese, English, or a code.
        word: String,
    },
    /// Check catalog files (or folders) for defects, as they would load over the
    /// embedded catalog.
    Check {
        /// Files or folders to check.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
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

impl EncodingArg {
    pub(crate) fn to_lib(self) -> alipay_explain::Encoding {
        match self {
            EncodingArg::Auto => alipay_explain::Encoding::Auto,
            EncodingArg::Utf8 => alipay_explain::Encoding::Utf8,
            EncodingArg::Gb18030 => alipay_explain::Encoding::Gb18030,
        }
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
