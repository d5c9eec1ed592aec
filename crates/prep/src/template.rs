/*!
A catalog template: literal pieces and typed slots.

`请更换银行卡重新认证或撤销认证{days}天后({date})使用原银行卡重新认证` is parsed into
the literal `…撤销认证`, the slot `days`, the literal `天后(`, the slot `date` and the literal
`)使用原银行卡重新认证`. Matching works on the literal pieces' keys (see
[`crate::normalize`]), so a literal made only of punctuation carries no weight: it becomes
the template's leading or trailing punctuation, and between two slots it is an error (the
matcher could not tell where one slot ends and the next begins).
*/

use std::collections::BTreeMap;
use std::fmt;

use crate::normalize::Normalized;
use crate::slot::SlotKind;

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    /// The template as written in the catalog.
    pub text: String,
    /// Alternating literal and slot pieces; literals have non-empty keys, no two slots touch.
    pub pieces: Vec<Piece>,
    /// Punctuation before the first piece, and after the last (`）` in `（{code}）`).
    pub lead: String,
    /// Punctuation after the last piece.
    pub trail: String,
    /// Number of key characters in all literal pieces.
    pub literal_len: usize,
}

/// One piece of a template.
#[derive(Debug, Clone)]
pub enum Piece {
    /// Text written out.
    Lit(Lit),
    /// A typed slot.
    Slot(Slot),
}

/// A literal piece.
#[derive(Debug, Clone)]
pub struct Lit {
    /// The key of the piece.
    pub key: String,
    /// The key's characters.
    pub chars: Vec<char>,
    /// The piece's characters after width/case folding only, one per key char.
    pub folded: Vec<char>,
    /// The piece from its first to its last key character, as written: an input whose text
    /// there is byte-for-byte the same is an exact match.
    pub inner: String,
}

/// A slot piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Its name (the type's name unless written `{name:type}`).
    pub name: String,
    /// Its type.
    pub kind: SlotKind,
}

/// What is wrong with a template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)] // each variant's message is its `Display` below
pub enum TemplateError {
    Empty,
    Unbalanced { at: usize },
    BadSlotName { slot: String },
    UnknownSlotType { slot: String },
    DuplicateSlot { name: String },
    AdjacentSlots { first: String, second: String },
    TooShort,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateError::Empty => f.write_str("empty template: write the message as Alipay shows it"),
            TemplateError::Unbalanced { at } => write!(
                f,
                "unbalanced brace at character {at}: slots are written {{type}} or {{name:type}}, and a literal brace as {{{{ or }}}}"
            ),
            TemplateError::BadSlotName { slot } => write!(
                f,
                "bad slot {{{slot}}}: a slot name is lower-case letters, digits and _, starting with a letter"
            ),
            TemplateError::UnknownSlotType { slot } => write!(
                f,
                "unknown slot type in {{{slot}}}: use one of {}",
                crate::slot::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
            ),
            TemplateError::DuplicateSlot { name } => write!(
                f,
                "slot name {name} is used twice: name them apart, e.g. {{start:date}} and {{end:date}}"
            ),
            TemplateError::AdjacentSlots { first, second } => write!(
                f,
                "slots {{{first}}} and {{{second}}} have no words between them: the matcher could not tell where one ends"
            ),
            TemplateError::TooShort => f.write_str(
                "template is all slots or shorter than two characters outside its slots: it would match almost anything",
            ),
        }
    }
}

enum RawPiece {
    Lit(String),
    Slot(Slot),
}

fn parse_raw(text: &str) -> Result<Vec<RawPiece>, TemplateError> {
    let mut pieces = Vec::new();
    let mut lit = String::new();
    let mut chars = text.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|&(_, c)| c) == Some('{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek().map(|&(_, c)| c) == Some('}') => {
                chars.next();
                lit.push('}');
            }
            '}' => return Err(TemplateError::Unbalanced { at: i + 1 }),
            '{' => {
                let mut spec = String::new();
                loop {
                    match chars.next() {
                        Some((_, '}')) => break,
                        Some((_, '{')) | None => {
                            return Err(TemplateError::Unbalanced { at: i + 1 })
                        }
                        Some((_, c)) => spec.push(c),
                    }
                }
                let (name, kind) = match spec.split_once(':') {
                    Some((n, k)) => (n, k),
                    None => (spec.as_str(), spec.as_str()),
                };
                let good_name = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !good_name {
                    return Err(TemplateError::BadSlotName { slot: spec });
                }
                let Some(kind) = SlotKind::from_name(kind) else {
                    return Err(TemplateError::UnknownSlotType { slot: spec });
                };
                if !lit.is_empty() {
                    pieces.push(RawPiece::Lit(std::mem::take(&mut lit)));
                }
                pieces.push(RawPiece::Slot(Slot {
                    name: name.to_owned(),
                    kind,
                }));
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        pieces.push(RawPiece::Lit(lit));
    }
    Ok(pieces)
}

impl Template {
    /// Parses and checks a template.
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        if text.trim().is_empty() {
            return Err(TemplateError::Empty);
        }
        let raw = parse_raw(text)?;
        let mut names: Vec<&str> = Vec::new();
        for p in &raw {
            if let RawPiece::Slot(s) = p {
                if names.contains(&s.name.as_str()) {
                    return Err(TemplateError::DuplicateSlot {
                        name: s.name.clone(),
                    });
                }
                names.push(&s.name);
            }
        }
        let mut t = Template {
            text: text.to_owned(),
            pieces: Vec::new(),
            lead: String::new(),
            trail: String::new(),
            literal_len: 0,
        };
        let last = raw.len() - 1;
        for (i, p) in raw.iter().enumerate() {
            match p {
                RawPiece::Slot(s) => {
                    if let Some(Piece::Slot(prev)) = t.pieces.last() {
                        return Err(TemplateError::AdjacentSlots {
                            first: prev.name.clone(),
                            second: s.name.clone(),
                        });
                    }
                    t.pieces.push(Piece::Slot(s.clone()));
                }
                RawPiece::Lit(text) => {
                    let n = Normalized::new(text);
                    if n.chars.is_empty() {
                        // punctuation only
                        if i == 0 {
                            t.lead = text.clone();
                        } else if i == last {
                            t.trail = text.clone();
                        }
                        continue;
                    }
                    let first = n.start_of(0);
                    let end = n.end_of(n.len() - 1);
                    if i == 0 {
                        t.lead = text[..first].to_owned();
                    }
                    if i == last {
                        t.trail = text[end..].to_owned();
                    }
                    t.literal_len += n.len();
                    t.pieces.push(Piece::Lit(Lit {
                        chars: n.key.chars().collect(),
                        folded: n.chars.iter().map(|kc| kc.folded).collect(),
                        key: n.key,
                        inner: text[first..end].to_owned(),
                    }));
                }
            }
        }
        if t.literal_len < 2 {
            return Err(TemplateError::TooShort);
        }
        Ok(t)
    }

    /// The slots of the template, in order.
    pub fn slots(&self) -> impl Iterator<Item = &Slot> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Slot(s) => Some(s),
            Piece::Lit(_) => None,
        })
    }

    /// Index of the first literal piece (there always is one).
    pub fn first_lit(&self) -> usize {
        usize::from(matches!(self.pieces.first(), Some(Piece::Slot(_))))
    }

    /// The template with every slot replaced by `values[name]`, or its kind's sample value.
    pub fn render(&self, values: &BTreeMap<String, String>) -> String {
        // the written text again, so punctuation between pieces is kept as written
        replace_slots(&self.text, |out, spec| {
            let (name, kind) = spec.split_once(':').unwrap_or((spec, spec));
            match values.get(name) {
                Some(v) => out.push_str(v),
                None => out.push_str(SlotKind::from_name(kind).map_or("", SlotKind::sample)),
            }
        })
    }
}

/// A written template with `{{`/`}}` as single braces and each slot `{spec}` replaced by what
/// `slot` writes for `spec` (`days`, `start:date`). For a template that may not have been
/// checked: an unclosed `{` ends the text.
pub fn replace_slots(text: &str, mut slot: impl FnMut(&mut String, &str)) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        let close = tail.find('}').unwrap_or(tail.len() - 1);
        slot(&mut out, tail.get(1..close).unwrap_or(""));
        rest = &tail[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Replaces `{name}` placeholders in an English text with slot values; a placeholder with no
/// value (a fuzzy match that could not read it) becomes `…`. `{{`/`}}` are literal braces.
pub fn fill(text: &str, values: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
            continue;
        }
        match tail.find('}') {
            Some(close) if is_name(&tail[1..close]) => {
                out.push_str(values.get(&tail[1..close]).map_or("…", String::as_str));
                rest = &tail[close + 1..];
            }
            _ => {
                out.push('{');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.replace("}}", "}")
}

/// The `{name}` placeholders used in an English text.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let tail = &rest[open..];
        if let Some(after) = tail.strip_prefix("{{") {
            rest = after;
            continue;
        }
        match tail.find('}') {
            Some(close) if is_name(&tail[1..close]) => {
                out.push(&tail[1..close]);
                rest = &tail[close + 1..];
            }
            _ => rest = &tail[1..],
        }
    }
    out
}

fn is_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pieces() {
        let t = Template::parse("撤销认证{days}天后（{date}）使用原银行卡重新认证").unwrap();
        assert_eq!(t.pieces.len(), 5);
        assert_eq!(
            t.slots().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["days", "date"]
        );
        match &t.pieces[2] {
            Piece::Lit(l) => {
                assert_eq!(l.key, crate::normalize::key("天后"));
                assert_eq!(l.inner, "天后");
            }
            Piece::Slot(_) => panic!("expected a literal"),
        }
        assert_eq!(t.literal_len, 4 + 2 + 10);
    }

    #[test]
    fn punctuation_only_ends_become_lead_and_trail() {
        let t = Template::parse("系统繁忙，请稍后再试（{code}）").unwrap();
        assert_eq!(t.trail, "）");
        assert_eq!(t.pieces.len(), 2);
        let t = Template::parse("「抱歉」").unwrap();
        assert_eq!((t.lead.as_str(), t.trail.as_str()), ("「", "」"));
    }

    #[test]
    fn named_slots_and_escapes() {
        let t = Template::parse("从{start:date}至{end:date}，{{x}}").unwrap();
        let names: Vec<_> = t.slots().map(|s| (s.name.as_str(), s.kind)).collect();
        assert_eq!(names, [("start", SlotKind::Date), ("end", SlotKind::Date)]);
        assert!(t.render(&BTreeMap::new()).ends_with("，{x}"));
    }

    #[test]
    fn errors() {
        let cases: &[(&str, TemplateError)] = &[
            ("", TemplateError::Empty),
            ("  ", TemplateError::Empty),
            ("系统{code", TemplateError::Unbalanced { at: 3 }),
            ("系统}", TemplateError::Unbalanced { at: 3 }),
            (
                "系统{Code}",
                TemplateError::BadSlotName {
                    slot: "Code".into(),
                },
            ),
            (
                "系统{colour}",
                TemplateError::UnknownSlotType {
                    slot: "colour".into(),
                },
            ),
            (
                "系统{date}{date}",
                TemplateError::DuplicateSlot {
                    name: "date".into(),
                },
            ),
            (
                "系统{date}，{code}",
                TemplateError::AdjacentSlots {
                    first: "date".into(),
                    second: "code".into(),
                },
            ),
            ("{date}", TemplateError::TooShort),
            ("错{code}", TemplateError::TooShort),
            ("。。", TemplateError::TooShort),
        ];
        for (text, want) in cases {
            assert_eq!(Template::parse(text).err().as_ref(), Some(want), "{text:?}");
        }
    }

    #[test]
    fn fills_placeholders() {
        let mut v = BTreeMap::new();
        v.insert("days".to_owned(), "7".to_owned());
        assert_eq!(
            fill("after {days} days ({date}) {{x}}", &v),
            "after 7 days (…) {x}"
        );
        assert_eq!(
            placeholders("after {days} days ({date}) {{x}} {Bad}"),
            ["days", "date"]
        );
    }
}
