/*!
Where things are in a JSON source: the line and column of each entry and of its fields.

serde_json reports positions for syntax and shape errors itself; the checks that come after
parsing (a duplicate id, a bad template) use this map to point at the entry. It is a small
lexer that only tracks strings, nesting and line breaks.
*/

/// A 1-based line and column (columns count characters).
pub(crate) type Pos = (usize, usize);

/// The positions of one entry: where it starts, and where each field's values start.
#[derive(Debug, Clone, Default)]
pub(crate) struct EntryPos {
    pub(crate) start: Pos,
    /// (field name, position of its value, positions of the strings inside the value)
    pub(crate) fields: Vec<(String, Pos, Vec<Pos>)>,
}

impl EntryPos {
    /// Position of the `n`-th string inside `field`'s value (a list), else of the value,
    /// else of the entry.
    pub(crate) fn of(&self, field: &str, n: usize) -> Pos {
        self.fields
            .iter()
            .find(|(k, _, _)| k == field)
            .map_or(self.start, |(_, at, inside)| {
                inside.get(n).copied().unwrap_or(*at)
            })
    }
}

/// Positions of the objects inside the top-level object's list (`entries` or `words`),
/// in order.
pub(crate) fn entries(src: &str) -> Vec<EntryPos> {
    let mut out: Vec<EntryPos> = Vec::new();
    let (mut line, mut col) = (1usize, 0usize);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut string = String::new();
    let mut string_pos = (0, 0);
    // the last string read at entry level, while we wait to see if it is a key
    let mut pending_key: Option<String> = None;
    let mut current_key: Option<String> = None;
    for c in src.chars() {
        if c == '\n' {
            line += 1;
            col = 0;
        } else {
            col += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
                string.push(c);
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
                if depth == 3 && pending_key.is_none() && current_key.is_none() {
                    pending_key = Some(std::mem::take(&mut string));
                    // a key: remember where its value will be, once we know
                    continue;
                }
                record_value(&mut out, depth, &current_key, string_pos);
                if depth == 3 {
                    current_key = None;
                }
            } else {
                string.push(c);
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                string.clear();
                string_pos = (line, col);
            }
            ':' if depth == 3 => {
                current_key = pending_key.take();
            }
            ',' if depth == 3 => {
                current_key = None;
                pending_key = None;
            }
            '{' | '[' => {
                if depth == 2 && c == '{' {
                    out.push(EntryPos {
                        start: (line, col),
                        fields: Vec::new(),
                    });
                } else if depth == 3 {
                    record_value(&mut out, depth, &current_key, (line, col));
                }
                depth += 1;
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                if depth == 3 {
                    current_key = None;
                }
            }
            // a number, true, false or null value
            c if !c.is_whitespace() && depth == 3 && current_key.is_some() => {
                record_value(&mut out, depth, &current_key, (line, col));
                current_key = None;
            }
            _ => {}
        }
    }
    out
}

fn record_value(out: &mut [EntryPos], depth: usize, key: &Option<String>, pos: Pos) {
    let (Some(entry), Some(key)) = (out.last_mut(), key) else {
        return;
    };
    if !(depth == 3 || depth == 4) {
        return;
    }
    match entry.fields.iter_mut().find(|(k, _, _)| k == key) {
        Some((_, _, inside)) => {
            if depth == 4 {
                inside.push(pos);
            }
        }
        None => entry.fields.push((key.clone(), pos, Vec::new())),
    }
}

/// 1-based line and column of byte offset `at` in `src`.
pub(crate) fn line_col(src: &str, at: usize) -> Pos {
    let mut at = at.min(src.len());
    while !src.is_char_boundary(at) {
        at -= 1;
    }
    let before = &src[..at];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_entries_and_fields() {
        let src = r#"{"entries": [
  {"id": "a.b", "zh": ["x{y}", "z\"w"],
   "en": {"translation": "t"}, "n": 3},
  {"id": "c.d",
   "zh": ["q"]}
]}"#;
        let e = entries(src);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].start, (2, 3));
        assert_eq!(e[0].of("id", 0), (2, 10));
        assert_eq!(e[0].of("zh", 1), (2, 32));
        assert_eq!(e[0].of("zh", 0), (2, 24));
        assert_eq!(e[0].of("en", 0), (3, 11));
        assert_eq!(e[0].of("n", 0), (3, 37));
        assert_eq!(e[1].of("id", 0), (4, 10));
        assert_eq!(e[1].of("zh", 0), (5, 11));
        assert_eq!(e[1].of("missing", 0), (4, 3));
    }

    #[test]
    fn line_and_column() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("", 0), (1, 1));
    }
}
