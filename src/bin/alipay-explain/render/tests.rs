//! Unit tests of `render`: wrapping to the terminal's width.

use super::*;

fn wrapped(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    Wrap(Some(width)).para(&mut out, "", 0, text).unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn chinese_counts_double_and_breaks_between_characters() {
    // 12 characters, 24 columns: three lines of 4 characters in 8 columns
    assert_eq!(
        wrapped("系统繁忙请稍后再试一下吧", 8),
        ["系统繁忙", "请稍后再", "试一下吧"]
    );
}

#[test]
fn punctuation_stays_where_it_belongs() {
    // "，" never starts a line, "（" never ends one
    assert_eq!(wrapped("系统繁忙，请稍后", 8), ["系统繁", "忙，请稍", "后"]);
    assert_eq!(wrapped("再试（ALIN10146）", 14), ["再试", "（ALIN10146）"]);
}

#[test]
fn english_breaks_at_spaces() {
    assert_eq!(
        wrapped("The system is busy. Please try again later.", 20),
        ["The system is busy.", "Please try again", "later."]
    );
}
