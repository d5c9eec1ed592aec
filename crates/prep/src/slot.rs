/*!
The closed set of slot types a template may use, each with a bounded matcher.

A slot is the part of a message that varies: `{days}` in `撤销认证{days}天后`. Matching
happens in two steps: the literal pieces of a template are found in the normalised text,
then the original text between them is checked here. Every matcher accepts at most
[`SlotKind::max_chars`] characters, so a template never matches unboundedly.
*/

use std::fmt;

use crate::normalize::fold_width;

/// The type of a slot in a catalog template, such as `{date}` or `{code}`.
///
/// The set is closed: a catalog file that names any other type is rejected.
///
/// # Examples
///
/// ```
/// use alipay_explain_prep::slot::SlotKind;
///
/// assert_eq!(SlotKind::from_name("date"), Some(SlotKind::Date));
/// assert!(SlotKind::Date.accepts("2015年10月18日"));
/// assert!(SlotKind::Days.accepts("5"));
/// assert!(!SlotKind::Days.accepts("五天"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SlotKind {
    /// A date: `2015年10月18日`, `10月18日`, `2015-10-18`, `2015/10/18`, `20151018`.
    Date,
    /// A time of day: `12:45`, `12:45:30`, `12点30分`.
    Time,
    /// A small count: one to three digits, or up to four Chinese numerals.
    Days,
    /// An integer or decimal number, possibly with `,` grouping.
    Number,
    /// A sum of money, with an optional `¥`/`￥`/`$` before and `元` after.
    Amount,
    /// A phone number, possibly masked with `*`: `138****1234`, `+86 571 95188`.
    Phone,
    /// An e-mail address, possibly masked: `ab***@qq.com`.
    Email,
    /// An error code: letters, digits, `_`, `.` and `-`: `ALIN10146`, `ACQ.TRADE_NOT_EXIST`.
    Code,
    /// Any short phrase that does not cross `。！？` or a line break.
    Text,
}

/// All slot kinds, in the order the documentation lists them.
pub const ALL: [SlotKind; 9] = [
    SlotKind::Date,
    SlotKind::Time,
    SlotKind::Days,
    SlotKind::Number,
    SlotKind::Amount,
    SlotKind::Phone,
    SlotKind::Email,
    SlotKind::Code,
    SlotKind::Text,
];

impl SlotKind {
    /// Whether a value of this type may contain this key character: what fuzzy matching
    /// lets a slot's gap hold.
    pub fn may_contain(self, c: char) -> bool {
        match self {
            SlotKind::Text => true,
            SlotKind::Code | SlotKind::Email => c.is_ascii_alphanumeric(),
            SlotKind::Days => c.is_ascii_digit() || "零〇一二两三四五六七八九十百".contains(c),
            SlotKind::Date => c.is_ascii_digit() || "年月日号".contains(c),
            SlotKind::Time => c.is_ascii_digit() || "点时分".contains(c),
            SlotKind::Amount => c.is_ascii_digit() || c == '元' || "rmbcny".contains(c),
            SlotKind::Number | SlotKind::Phone => c.is_ascii_digit(),
        }
    }

    /// The slot kind written as `name` in a template, if it is one of the known types.
    ///
    /// ```
    /// use alipay_explain_prep::slot::SlotKind;
    /// assert_eq!(SlotKind::from_name("amount"), Some(SlotKind::Amount));
    /// assert_eq!(SlotKind::from_name("colour"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<SlotKind> {
        ALL.iter().copied().find(|k| k.name() == name)
    }

    /// The name used for this kind in templates (`date`, `days`, …).
    ///
    /// ```
    /// use alipay_explain_prep::slot::SlotKind;
    /// assert_eq!(SlotKind::Phone.name(), "phone");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            SlotKind::Date => "date",
            SlotKind::Time => "time",
            SlotKind::Days => "days",
            SlotKind::Number => "number",
            SlotKind::Amount => "amount",
            SlotKind::Phone => "phone",
            SlotKind::Email => "email",
            SlotKind::Code => "code",
            SlotKind::Text => "text",
        }
    }

    /// The most characters a value of this kind may have.
    ///
    /// ```
    /// use alipay_explain_prep::slot::SlotKind;
    /// assert!(SlotKind::Text.max_chars() <= 30);
    /// ```
    pub fn max_chars(self) -> usize {
        match self {
            SlotKind::Date => 16,
            SlotKind::Time => 8,
            SlotKind::Days => 4,
            SlotKind::Number => 20,
            SlotKind::Amount => 24,
            SlotKind::Phone => 24,
            SlotKind::Email => 64,
            SlotKind::Code => 64,
            SlotKind::Text => 30,
        }
    }

    /// A sample value, used to render templates in checks and examples.
    pub fn sample(self) -> &'static str {
        match self {
            SlotKind::Date => "2016年3月2日",
            SlotKind::Time => "12:45",
            SlotKind::Days => "7",
            SlotKind::Number => "3",
            SlotKind::Amount => "100.00",
            SlotKind::Phone => "95188",
            SlotKind::Email => "ab***@qq.com",
            SlotKind::Code => "X9Z8",
            SlotKind::Text => "某某",
        }
    }

    /// Whether `value` (already trimmed) is a complete value of this kind.
    ///
    /// Full-width digits and letters are accepted as their ASCII forms.
    ///
    /// ```
    /// use alipay_explain_prep::slot::SlotKind;
    /// assert!(SlotKind::Amount.accepts("￥1,000.00"));
    /// assert!(SlotKind::Phone.accepts("138****1234"));
    /// assert!(SlotKind::Code.accepts("ACQ.TRADE_NOT_EXIST"));
    /// assert!(!SlotKind::Code.accepts("系统"));
    /// ```
    pub fn accepts(self, value: &str) -> bool {
        if matches!(self, SlotKind::Text | SlotKind::Code) && value.contains(['\n', '\r']) {
            return false;
        }
        if self == SlotKind::Code
            && value.contains(char::is_whitespace)
            && value.contains(|c: char| c.is_ascii_lowercase())
        {
            return false;
        }
        let chars: Vec<char> = self.clean(value).chars().map(fold_width).collect();
        if chars.is_empty() || chars.len() > self.max_chars() {
            return false;
        }
        match self {
            SlotKind::Date => is_date(&chars),
            SlotKind::Time => is_time(&chars),
            SlotKind::Days => is_days(&chars),
            SlotKind::Number => is_number(&chars),
            SlotKind::Amount => is_amount(&chars),
            SlotKind::Phone => is_phone(&chars),
            SlotKind::Email => is_email(&chars),
            SlotKind::Code => is_code(&chars),
            SlotKind::Text => is_text(&chars),
        }
    }

    /// `value` as reported: whitespace removed (OCR and pastes put spaces inside codes and
    /// dates), except in phrases and phone numbers, where runs of it become one space.
    pub fn clean(self, value: &str) -> String {
        match self {
            SlotKind::Text | SlotKind::Phone => {
                value.split_whitespace().collect::<Vec<_>>().join(" ")
            }
            _ => value.chars().filter(|c| !c.is_whitespace()).collect(),
        }
    }

    /// The byte length of the longest prefix of `text` that is a value of this kind.
    pub fn longest_prefix(self, text: &str) -> Option<usize> {
        let ends: Vec<usize> = text
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .take(self.max_chars())
            .collect();
        ends.into_iter()
            .rev()
            .find(|&end| self.accepts(&text[..end]) && !ends_mid_token(text, end))
    }

    /// The byte offset where the longest suffix of `text` that is a value of this kind starts.
    pub fn longest_suffix(self, text: &str) -> Option<usize> {
        let starts: Vec<usize> = text
            .char_indices()
            .rev()
            .map(|(i, _)| i)
            .take(self.max_chars())
            .collect();
        starts
            .into_iter()
            .rev()
            .find(|&start| self.accepts(&text[start..]) && !starts_mid_token(text, start))
    }
}

impl fmt::Display for SlotKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A value must not stop in the middle of an ASCII word or number (`ALIN10146` is one code,
/// never `ALIN1`).
fn ends_mid_token(text: &str, end: usize) -> bool {
    let before = text[..end].chars().next_back().map(fold_width);
    let after = text[end..].chars().next().map(fold_width);
    matches!((before, after), (Some(b), Some(a)) if b.is_ascii_alphanumeric() && a.is_ascii_alphanumeric())
}

fn starts_mid_token(text: &str, start: usize) -> bool {
    let before = text[..start].chars().next_back().map(fold_width);
    let after = text[start..].chars().next().map(fold_width);
    matches!((before, after), (Some(b), Some(a)) if b.is_ascii_alphanumeric() && a.is_ascii_alphanumeric())
}

/// Characters that may stand around a slot value without being part of it.
pub fn is_slot_trim(c: char) -> bool {
    let c = fold_width(c);
    c.is_whitespace()
        || matches!(
            c,
            '(' | ')'
                | '['
                | ']'
                | '【'
                | '】'
                | '「'
                | '」'
                | '《'
                | '》'
                | '<'
                | '>'
                | '"'
                | '\''
                | '“'
                | '”'
                | '‘'
                | '’'
                | ','
                | '，'
                | '。'
                | ':'
                | ';'
                | '、'
                | '!'
                | '?'
        )
}

/// Whether `c` may stand between a literal and the slot value after (or before) it: any
/// space or punctuation, except the signs a value itself may start or end with.
pub fn is_slot_gap(c: char) -> bool {
    let c = fold_width(c);
    c.is_whitespace() || (!c.is_alphanumeric() && !matches!(c, '+' | '¥' | '$' | '€' | '*'))
}

/// `value` with the characters of [`is_slot_trim`] removed from both ends; `.` only at the end.
pub fn trim_slot(value: &str) -> &str {
    value
        .trim_start_matches(is_slot_trim)
        .trim_end_matches(|c| is_slot_trim(c) || c == '.')
}

fn digits(c: &[char]) -> bool {
    !c.is_empty() && c.iter().all(char::is_ascii_digit)
}

/// Splits `c` at the first `sep`, if there is one.
fn split_at_char(c: &[char], sep: char) -> Option<(&[char], &[char])> {
    let i = c.iter().position(|&x| x == sep)?;
    Some((&c[..i], &c[i + 1..]))
}

fn is_date(c: &[char]) -> bool {
    // 2015年10月18日, 10月18日, 2015年10月
    if c.contains(&'月') {
        let (year, rest) = match split_at_char(c, '年') {
            Some((y, r)) if (2..=4).contains(&y.len()) && digits(y) => (true, r),
            Some(_) => return false,
            None => (false, c),
        };
        let Some((month, day)) = split_at_char(rest, '月') else {
            return false;
        };
        if !(digits(month) && month.len() <= 2) {
            return false;
        }
        return match day {
            [] => year,
            [d @ .., '日' | '号'] => digits(d) && d.len() <= 2,
            _ => false,
        };
    }
    // 2015-10-18, 2015/10/18, 2015.10.18
    for sep in ['-', '/', '.'] {
        let parts: Vec<&[char]> = c.split(|&x| x == sep).collect();
        if parts.len() == 3 {
            return parts[0].len() == 4
                && parts[1..].iter().all(|p| digits(p) && p.len() <= 2)
                && digits(parts[0]);
        }
    }
    c.len() == 8 && digits(c) && (c[0] == '1' || c[0] == '2')
}

fn is_time(c: &[char]) -> bool {
    let parts: Vec<&[char]> = c.split(|&x| x == ':').collect();
    if parts.len() >= 2 {
        return parts.len() <= 3
            && digits(parts[0])
            && parts[0].len() <= 2
            && parts[1..].iter().all(|p| digits(p) && p.len() == 2);
    }
    // 12点, 12点30分, 12时30分
    let Some(i) = c.iter().position(|&x| x == '点' || x == '时') else {
        return false;
    };
    let (h, rest) = (&c[..i], &c[i + 1..]);
    if !(digits(h) && h.len() <= 2) {
        return false;
    }
    match rest {
        [] => true,
        [m @ .., '分'] => digits(m) && m.len() <= 2,
        _ => false,
    }
}

fn is_days(c: &[char]) -> bool {
    (digits(c) && c.len() <= 3)
        || c.iter()
            .all(|x| "零〇一二两三四五六七八九十百".contains(*x))
}

fn is_number(c: &[char]) -> bool {
    if !c[0].is_ascii_digit() || !c[c.len() - 1].is_ascii_digit() {
        return false;
    }
    let mut dots = 0;
    for (i, &x) in c.iter().enumerate() {
        match x {
            '0'..='9' => {}
            '.' => dots += 1,
            // a grouping comma sits between digits
            ',' => {
                if !(c.get(i + 1).is_some_and(char::is_ascii_digit)) {
                    return false;
                }
            }
            _ => return false,
        }
    }
    dots <= 1
}

fn is_amount(c: &[char]) -> bool {
    let mut c = c;
    if let [p, rest @ ..] = c {
        if matches!(p, '¥' | '$' | '€') {
            c = rest;
        }
    }
    for prefix in [&['R', 'M', 'B'][..], &['C', 'N', 'Y'][..]] {
        if c.starts_with(prefix) {
            c = &c[prefix.len()..];
        }
    }
    if let [rest @ .., '元'] = c {
        c = rest;
    }
    !c.is_empty() && is_number(c)
}

fn is_phone(c: &[char]) -> bool {
    let body = match c {
        ['+', rest @ ..] => rest,
        _ => c,
    };
    let n_digits = body.iter().filter(|x| x.is_ascii_digit()).count();
    n_digits >= 3
        && body
            .first()
            .is_some_and(|x| x.is_ascii_digit() || *x == '*')
        && body.last().is_some_and(|x| x.is_ascii_digit() || *x == '*')
        && body
            .iter()
            .all(|x| x.is_ascii_digit() || matches!(x, '*' | '-' | ' '))
}

fn is_email(c: &[char]) -> bool {
    let Some((local, domain)) = split_at_char(c, '@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .iter()
            .all(|x| x.is_ascii_alphanumeric() || "._%+*-".contains(*x));
    let domain_ok = domain.contains(&'.')
        && domain.last().is_some_and(char::is_ascii_alphabetic)
        && domain
            .iter()
            .all(|x| x.is_ascii_alphanumeric() || ".-*".contains(*x));
    local_ok && domain_ok
}

fn is_code(c: &[char]) -> bool {
    c[0].is_ascii_alphanumeric()
        && c[c.len() - 1].is_ascii_alphanumeric()
        && c.iter()
            .all(|x| x.is_ascii_alphanumeric() || matches!(x, '_' | '.' | '-'))
}

fn is_text(c: &[char]) -> bool {
    let content = c.iter().filter(|x| !x.is_whitespace()).count();
    content > 0
        && !c
            .iter()
            .any(|x| matches!(x, '。' | '!' | '?' | '！' | '？' | '\n' | '\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct SlotTest {
        kind: SlotKind,
        yes: &'static [&'static str],
        no: &'static [&'static str],
    }

    const TESTS: &[SlotTest] = &[
        SlotTest {
            kind: SlotKind::Date,
            yes: &[
                "2015年10月18日",
                "2015年08月21日",
                "10月18日",
                "2016年3月2日",
                "2015-10-18",
                "2015/10/18",
                "20151018",
                "2015 年 10 月 18 日",
                "２０１５年１０月１８日",
                "2015年10月",
            ],
            no: &[
                "",
                "10月",
                "2015年",
                "五天后",
                "2015-10",
                "123",
                "2015年10月18日使用",
            ],
        },
        SlotTest {
            kind: SlotKind::Time,
            yes: &["12:45", "9:05", "12:45:30", "12点", "12点30分", "８:３０"],
            no: &["12", "1245", "12:5", "点", "12点30"],
        },
        SlotTest {
            kind: SlotKind::Days,
            yes: &["5", "30", "180", "三", "十五", "５"],
            no: &["", "1000", "5天", "a"],
        },
        SlotTest {
            kind: SlotKind::Number,
            yes: &["3", "1,000", "2.5", "100000"],
            no: &["", ",1", "1,", "1.2.3", "a1", "1..", "１a"],
        },
        SlotTest {
            kind: SlotKind::Amount,
            yes: &["¥1,000.00", "￥50", "50000元", "0.01", "RMB100", "$5"],
            no: &["", "元", "¥", "100块", "abc"],
        },
        SlotTest {
            kind: SlotKind::Phone,
            yes: &["95188", "138****1234", "+86 571 95188", "0571-95188"],
            no: &["", "12", "+", "abc", "95188转"],
        },
        SlotTest {
            kind: SlotKind::Email,
            yes: &["ab***@qq.com", "x.y@163.com"],
            no: &["", "ab@", "@qq.com", "ab@qq", "张@qq.com"],
        },
        SlotTest {
            kind: SlotKind::Code,
            yes: &[
                "ALIN10146",
                "sys_1000",
                "ACQ.TRADE_NOT_EXIST",
                "isv.invalid-app-id",
                "1000",
                "AL  I10",
            ],
            // a code never spans lines, and spaces inside one come from OCR splitting a
            // code in capitals, not from words of a sentence
            no: &[
                "",
                "_x",
                "x.",
                "系统",
                "a-",
                "ALI\n10",
                "I also never received",
            ],
        },
        SlotTest {
            kind: SlotKind::Text,
            yes: &["招商银行", "张*", "Bank of China"],
            no: &[
                "",
                "   ",
                "好。好",
                "a\nb",
                "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
            ],
        },
    ];

    #[test]
    fn slot_grammars() {
        for t in TESTS {
            for y in t.yes {
                assert!(t.kind.accepts(y), "{} should accept {y:?}", t.kind);
            }
            for n in t.no {
                assert!(!t.kind.accepts(n), "{} should reject {n:?}", t.kind);
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for k in ALL {
            assert_eq!(SlotKind::from_name(k.name()), Some(k));
            assert!(k.accepts(k.sample()), "{k} sample");
        }
    }

    #[test]
    fn prefix_and_suffix() {
        let s = "ALIN10146）知道了";
        assert_eq!(SlotKind::Code.longest_prefix(s), Some(9));
        assert_eq!(SlotKind::Code.longest_prefix("系统"), None);
        let s = "请拨打95188";
        assert_eq!(SlotKind::Phone.longest_suffix(s), Some("请拨打".len()));
        // never stops inside a code
        assert_eq!(SlotKind::Days.longest_prefix("1234天"), None);
    }

    #[test]
    fn trims() {
        assert_eq!(trim_slot("（2015年10月18日）"), "2015年10月18日");
        assert_eq!(trim_slot(" (ali10)"), "ali10");
        assert_eq!(trim_slot("0.01."), "0.01");
    }
}
