/*!
The colours of the command line's text output, one definition each.

They are written through `anstream` (see `crate::stdout`), which drops them when the output
is not a terminal, when `NO_COLOR` is set, or with `--color never`.
*/

use anstyle::{AnsiColor, Style};

/// A heading: the matched message's title.
pub(crate) const TITLE: Style = Style::new().bold();
/// An entry id.
pub(crate) const ID: Style = AnsiColor::Cyan.on_default();
/// What matters less: translations in lists, arrows, how sure a match is.
pub(crate) const DIM: Style = Style::new().dimmed();
/// A label, and the `ok` of `catalog check`.
pub(crate) const LABEL: Style = AnsiColor::Green.on_default().bold();
/// A warning.
pub(crate) const WARN: Style = AnsiColor::Yellow.on_default().bold();
/// Where a scan found a match: `file:line:`.
pub(crate) const LOC: Style = AnsiColor::Magenta.on_default();
