/*!
Characters that OCR (screenshots turned into text) and hurried typing confuse.

Each group lists characters that are read as one another: the same shape with a stroke
more or less (己/已/巳, 未/末, 天/夭), or with a part lost (统 read as 充, 件 as 牛, 法 as 去),
plus variant forms (帐/账). Both a paste and a template map every character to the first
member of its group, so a look-alike slip still finds its message; the match is then labelled
`normalized` with a lower confidence than an exact one.

Groups are kept small on purpose: two characters that merely share a radical are not
look-alikes. Slips this table does not know are left to fuzzy matching.
*/

use once_cell::sync::Lazy;

/// The groups; the first character of each is its representative. A character is in one
/// group at most (checked by a test).
pub(crate) const GROUPS: &[&str] = &[
    // a stroke more or less
    "已己巳",
    "未末",
    "土士",
    "日曰",
    "人入八",
    "无天夭",
    "干千于",
    "刀力",
    "由甲申田",
    "自目",
    "见贝",
    "鸟乌",
    "戊戌戍",
    "候侯",
    "拨拔",
    "折析",
    "治冶",
    "几儿",
    "王玉主",
    "本木术",
    "大太犬",
    "失矢",
    "支文",
    // a part of the character lost or misread
    "统充",
    "系糸",
    "出山",
    "宝室",
    "操燥澡",
    "请诸",
    "卡卞",
    "件牛",
    "认议",
    "风凤",
    "户尸",
    "法去",
    "限很银",
    "错借",
    "效郊",
    "码玛",
    "验俭",
    "证正",
    "钱线",
    // variant forms that pastes mix
    "账帐",
];

/// (member, representative) for every member that is not its group's representative,
/// sorted for binary search.
static TABLE: Lazy<Vec<(char, char)>> = Lazy::new(|| {
    let mut t: Vec<(char, char)> = GROUPS
        .iter()
        .flat_map(|g| {
            let first = g.chars().next().unwrap_or(' ');
            g.chars().skip(1).map(move |c| (c, first))
        })
        .collect();
    t.sort_unstable();
    t
});

/// The representative of `c`'s look-alike group, or `c` itself.
pub(crate) fn representative(c: char) -> char {
    if (c as u32) < 0x3400 {
        return c;
    }
    match TABLE.binary_search_by_key(&c, |&(m, _)| m) {
        Ok(i) => TABLE[i].1,
        Err(_) => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn each_char_in_one_group() {
        let mut seen = HashSet::new();
        for g in GROUPS {
            assert!(g.chars().count() >= 2, "{g}");
            for c in g.chars() {
                assert!(seen.insert(c), "{c} is in two groups");
            }
        }
    }

    #[test]
    fn representatives_are_fixed_points() {
        for g in GROUPS {
            for c in g.chars() {
                let r = representative(c);
                assert_eq!(representative(r), r);
                // and fast2s leaves them alone, so normalising twice changes nothing
                assert_eq!(fast2s::convert(&r.to_string()), r.to_string(), "{r}");
            }
        }
    }
}
