/*!
Interactive mode (`alipay-explain -i`, or no message on a terminal): paste one message after
another, each explained when the paste ends.

rustyline reads lines, so a paste ends at an empty line: lines are gathered until then (a
bracketed paste of several lines comes as one, empty lines and all). The arrow keys recall
earlier lines; Ctrl-C drops what was gathered (and leaves when nothing was); Ctrl-D explains
what was gathered and leaves. Leaving this way is a success: exit status 0.
*/

use std::io::Write;

use rustyline::error::ReadlineError;

use crate::args::Common;
use crate::render::{self, Style, Wrap};
use crate::{Fail, Outcome};

const PROMPT: &str = "alipay> ";
const MORE: &str = "    ... ";

pub(crate) fn run(common: &Common, style: Style) -> Result<Outcome, Fail> {
    let explainer = crate::builder(common).build()?;
    let config = rustyline::Config::builder().auto_add_history(false).build();
    let mut editor: rustyline::DefaultEditor = rustyline::Editor::with_config(config)
        .map_err(|e| Fail::Message(format!("cannot start the line editor: {e}")))?;
    {
        let mut out = crate::stdout(common);
        writeln!(
            out,
            "Paste an Alipay message, then press Enter on an empty line to have it explained.\n\
             The arrow keys recall earlier lines; Ctrl-D leaves."
        )?;
    }
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() { PROMPT } else { MORE };
        match editor.readline(prompt) {
            Ok(line) if line.trim().is_empty() => {
                if !pending.trim().is_empty() {
                    explain(common, style, &explainer, &pending)?;
                }
                pending.clear();
            }
            Ok(line) => {
                // history is kept only for this session: nothing pasted is written to disk
                let _ = editor.add_history_entry(line.as_str());
                pending.push_str(&line);
                pending.push('\n');
            }
            Err(ReadlineError::Eof) => {
                if !pending.trim().is_empty() {
                    explain(common, style, &explainer, &pending)?;
                }
                return Ok(Outcome::Found);
            }
            Err(ReadlineError::Interrupted) if !pending.is_empty() => pending.clear(),
            Err(ReadlineError::Interrupted) => return Ok(Outcome::Found),
            Err(e) => return Err(Fail::Message(format!("cannot read the terminal: {e}"))),
        }
    }
}

fn explain(
    common: &Common,
    style: Style,
    explainer: &alipay_explain::Explainer,
    text: &str,
) -> Result<(), Fail> {
    let explanation = explainer.explain(text);
    let mut out = crate::stdout(common);
    render::any(&mut out, style, Wrap::for_stdout(common), &explanation)?;
    if style == Style::Brief && explanation.matches.is_empty() {
        writeln!(out, "no known Alipay message found")?;
    }
    writeln!(out)?;
    out.flush()?;
    Ok(())
}
