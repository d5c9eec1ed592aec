/*!
Screens: a paste is often a whole phone screen, not a message. Its lines have roles: a status
bar (`10:24`, `4G`, `87%`), a button row (`取消  确定`, `Cancel   OK`), a dialog title, the
message text. Matching must not reach from a message into a button row or a status bar (a
`{code}` slot is never `CancelOK`, a fuzzy match never borrows `取消` from the buttons).

[`mask`] blanks the status bars and button rows of a paste of several lines: each of their
characters becomes spaces of the same byte length, so every byte offset still points into the
caller's text, and normalisation drops them like any other space. It also says who is most
likely reading ([`reader`]): a developer for JSON, a log line, a stack trace or a bare code; an
app user for a screen, a sentence or an e-mail.
*/

use std::borrow::Cow;

use crate::catalog::Audience;

/// Words that make up button rows, alone or several on a line.
const BUTTONS: &[&str] = &[
    "取消",
    "确定",
    "确认",
    "知道了",
    "我知道了",
    "好的",
    "好",
    "重试",
    "再试一次",
    "返回",
    "关闭",
    "完成",
    "下一步",
    "去设置",
    "去认证",
    "立即认证",
    "撤销本次认证",
    "更换银行卡",
    "换个方式",
    "更换付款方式",
    "联系客服",
    "查看详情",
    "稍后再说",
    "暂不",
    "跳过",
    "允许",
    "拒绝",
    "ok",
    "cancel",
    "confirm",
    "retry",
    "close",
    "done",
    "back",
    "next",
    "gotit",
    "got it",
    "yes",
    "no",
];

/// Words of a phone's status bar besides times and percentages.
const STATUS: &[&str] = &[
    "am",
    "pm",
    "上午",
    "下午",
    "4g",
    "5g",
    "3g",
    "lte",
    "wifi",
    "wi-fi",
    "hd",
    "volte",
    "中国移动",
    "中国联通",
    "中国电信",
];

/// Whether a word is a time (`10:24`, `9:05`), a percentage (`87%`) or a bare number of at
/// most 3 digits (signal bars read as digits).
fn is_status_token(w: &str) -> bool {
    // a Chinese phone writes the time as 下午3:15
    let w = w
        .strip_prefix("上午")
        .or_else(|| w.strip_prefix("下午"))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(w);
    let lw = w.to_ascii_lowercase();
    if STATUS.contains(&lw.as_str()) {
        return true;
    }
    if let Some(n) = w.strip_suffix('%') {
        return !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit());
    }
    if let Some((h, m)) = w.split_once(':') {
        return (1..=2).contains(&h.len())
            && m.len() == 2
            && h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit());
    }
    !w.is_empty() && w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit())
}

/// The role a line plays on a screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Time, network, battery.
    StatusBar,
    /// Only button labels.
    Buttons,
    /// Anything else: message text, titles, labels.
    Text,
}

/// The role of one line (without its line break).
pub(crate) fn role(line: &str) -> Role {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == '|' || c == '\u{3000}')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Role::Text;
    }
    if words.iter().any(|w| w.contains(':')) && words.iter().all(|w| is_status_token(w)) {
        return Role::StatusBar;
    }
    let joined = line.to_lowercase();
    let compact: String = joined.chars().filter(|c| !c.is_whitespace()).collect();
    if words
        .iter()
        .all(|w| BUTTONS.contains(&w.to_lowercase().as_str()))
        || BUTTONS.contains(&compact.as_str())
    {
        return Role::Buttons;
    }
    Role::Text
}

/// `text` with its status bars and button rows blanked (same byte length, same offsets);
/// borrowed when there is nothing to blank. A text of one line is left as it is: a button
/// word alone is what the person asked about.
pub(crate) fn mask(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if role(body) != Role::Text {
            let s = out.get_or_insert_with(|| text[..at].to_owned());
            s.extend(body.chars().map(|c| " ".repeat(c.len_utf8())));
            s.push_str(&line[body.len()..]);
        } else if let Some(s) = out.as_mut() {
            s.push_str(line);
        }
        at += line.len();
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

/// Who most likely pasted `text`: a developer for JSON, an open-platform response
/// (`sub_code`, `sub_msg`), a log line or a stack trace; an app user otherwise. Each test is
/// a SIMD substring search (scans ask this of every line).
pub(crate) fn reader(text: &str) -> Audience {
    let t = text.trim_start();
    let json = (t.starts_with('{') || t.starts_with('[')) && text.contains('"');
    let has = |needles: &[&str]| {
        needles
            .iter()
            .any(|n| memchr::memmem::find(text.as_bytes(), n.as_bytes()).is_some())
    };
    let api = has(&[
        "sub_code",
        "sub_msg",
        "SUB_CODE",
        "resultStatus",
        "\"code\"",
        "errcode",
        "errmsg",
    ]);
    let log = has(&[
        "[INFO]",
        "[WARN]",
        "[ERROR]",
        "[DEBUG]",
        "[info]",
        "[warn]",
        "[error]",
        " INFO ",
        " ERROR ",
        " WARN ",
        "Exception",
        "Traceback",
        "\tat ",
    ]) || has_timestamp(text);
    if json || api || log {
        Audience::Developer
    } else {
        Audience::User
    }
}

/// Whether the text holds a log timestamp (`2026-11-05 07:51:32`).
fn has_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'-', b).any(|i| {
        // the first dash of YYYY-MM-DD hh:mm
        let Some(w) = i.checked_sub(4).and_then(|s| b.get(s..s + 16)) else {
            return false;
        };
        let d = |k: usize| w[k].is_ascii_digit();
        (0..4).all(d)
            && w[4] == b'-'
            && d(5)
            && d(6)
            && w[7] == b'-'
            && d(8)
            && d(9)
            && (w[10] == b' ' || w[10] == b'T')
            && d(11)
            && d(12)
            && w[13] == b':'
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_of_screen_lines() {
        assert_eq!(role("10:24 PM"), Role::StatusBar);
        assert_eq!(role("中国移动 4G 10:24 87%"), Role::StatusBar);
        assert_eq!(role("下午3:15"), Role::StatusBar);
        assert_eq!(role("Cancel   OK"), Role::Buttons);
        assert_eq!(role("取消  确定"), Role::Buttons);
        assert_eq!(role("撤销本次认证   更换银行卡"), Role::Buttons);
        assert_eq!(role("知道了"), Role::Buttons);
        assert_eq!(role("系统繁忙，请稍后再试"), Role::Text);
        assert_eq!(role("2015年10月18日"), Role::Text);
        assert_eq!(role("12:45 付款失败"), Role::Text);
    }

    #[test]
    fn mask_keeps_offsets_and_blanks_only_screen_chrome() {
        let text = "10:24 PM\n提示\n卡无法使用\n取消  确定";
        let m = mask(text);
        assert_eq!(m.len(), text.len());
        assert_eq!(m.trim(), "提示\n卡无法使用");
        assert!(m.contains("提示\n卡无法使用\n"));
        // one line: nothing is blanked
        assert_eq!(mask("取消"), "取消");
        assert!(matches!(mask("系统繁忙\n请稍后再试"), Cow::Borrowed(_)));
    }

    #[test]
    fn who_is_reading() {
        assert_eq!(reader("系统繁忙"), Audience::User);
        assert_eq!(reader("提示\n支付失败\n确定"), Audience::User);
        assert_eq!(
            reader(r#"{"code":"40004","sub_code":"ACQ.SYSTEM_ERROR"}"#),
            Audience::Developer
        );
        assert_eq!(
            reader("2026-11-05 07:51:32.214 [WARN] msg=系统繁忙"),
            Audience::Developer
        );
    }
}
