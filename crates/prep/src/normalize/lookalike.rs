/*!
Characters that OCR (screenshots turned into text) and hurried typing confuse.

Each group lists characters that are read as one another: the same shape with a stroke
more or less (己/已/巳, 未/末, 天/夭), or with a part lost (统 read as 充, 件 as 牛, 法 as 去),
plus variant forms (帐/账). Both a paste and a template map every character to the first
member of its group, so a look-alike slip still finds its message; the match is then labelled
`normalized` with a lower confidence than an exact one.

Groups are kept small on purpose: two characters that merely share a radical are not
look-alikes. Slips this table does not know are left to fuzzy matching.

The groups live in `lookalike.txt` beside this file. `build.rs` folds them into the key
table (`src/key_table.rs`), so nothing here runs when text is normalised.
*/

/// The groups file: one group a line, its first character the representative.
pub const GROUPS_FILE: &str = include_str!("lookalike.txt");

/// The groups of [`GROUPS_FILE`], comments and blank lines skipped.
pub fn groups() -> impl Iterator<Item = &'static str> {
    GROUPS_FILE
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn each_char_in_one_group() {
        let mut seen = HashSet::new();
        for g in groups() {
            assert!(g.chars().count() >= 2, "{g}");
            for c in g.chars() {
                assert!(seen.insert(c), "{c} is in two groups");
            }
        }
        assert!(seen.len() > 50);
    }

    #[test]
    fn representatives_are_their_own_key_and_fast2s_leaves_them_alone() {
        for g in groups() {
            let rep: String = g.chars().take(1).collect();
            // normalising twice changes nothing
            assert_eq!(crate::normalize::key(&rep), rep);
            assert_eq!(fast2s::convert(&rep), rep, "{rep}");
        }
    }
}
