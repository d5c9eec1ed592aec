/*!
What a match is worth to the reader, once found: the sentence around it (a template inside a
longer sentence is `contained`, and no answer next to 对方…, …=false, …统计), how much of its
line a fuzzy match explains, and dialog titles over another message. Used by
[`Explainer::judge`].
*/

use super::{Explainer, MATCH_THRESHOLD};
use crate::catalog::Audience;
use crate::matcher::{Found, MatchKind};
use crate::normalize::is_han;
use crate::screen;
use std::cell::OnceCell;

/// Whom to answer for one text: the builder's choice, else what the text looks like (a bare
/// code, alone, is a developer's), worked out only when some match needs it (most lines of a
/// scan have none).
pub(super) struct Reader<'a> {
    forced: Option<Audience>,
    input: &'a str,
    found: OnceCell<Audience>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(forced: Option<Audience>, input: &'a str) -> Reader<'a> {
        Reader {
            forced,
            input,
            found: OnceCell::new(),
        }
    }

    /// `User` or `Developer`.
    pub(super) fn get(&self) -> Audience {
        *self.found.get_or_init(|| {
            self.forced.unwrap_or_else(|| {
                let t = self.input.trim();
                let bare_code = !t.is_empty()
                    && t.len() <= 64
                    && t.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
                    && t.bytes()
                        .any(|b| b.is_ascii_digit() || b == b'_' || b == b'.');
                if bare_code {
                    Audience::Developer
                } else {
                    screen::reader(self.input)
                }
            })
        })
    }
}

impl Explainer {
    /// Whether the entry of `f` speaks to `reader`.
    fn serves(&self, f: &Found, reader: Audience) -> bool {
        self.entry(f.entry)
            .is_none_or(|e| e.audience.serves(reader))
    }
    /// Keeps, of candidates that overlap, those that speak to `reader`: the same words are
    /// answered for the reader, not for the other audience.
    pub(super) fn prefer_reader(&self, cands: &mut Vec<Found>, reader: &Reader<'_>) {
        if cands.len() < 2 {
            return;
        }
        let reader = reader.get();
        // (span, evidence, confidence) of the reader's candidates
        let serving: Vec<(usize, usize, usize, f64)> = cands
            .iter()
            .filter(|f| self.serves(f, reader))
            .map(|f| (f.start, f.end, f.found_chars, f.confidence))
            .collect();
        cands.retain(|f| {
            self.serves(f, reader)
                || !serving.iter().any(|&(s, e, n, c)| {
                    s < f.end && f.start < e && n >= f.found_chars && c >= f.confidence - 0.1
                })
        });
    }
    /// What the chosen matches are worth to the reader: a template inside a longer sentence
    /// is `contained` (and not an answer at all next to 对方…, `=false`, 统计 …); a fuzzy
    /// match must explain enough of its line; a generic title line above a message is part
    /// of that message's screen; a fuzzy or contained match of the other audience is at
    /// most a suggestion. Returns (kept, demoted to suggestions).
    pub(super) fn judge(
        &self,
        text: &str,
        found: Vec<Found>,
        reader: &Reader<'_>,
    ) -> (Vec<Found>, Vec<Found>) {
        let spans: Vec<(usize, usize)> = found.iter().map(|f| (f.start, f.end)).collect();
        let mut kept = Vec::new();
        let mut demoted = Vec::new();
        for mut f in found {
            if f.template.is_some() && matches!(f.kind, MatchKind::Exact | MatchKind::Normalized) {
                let (extra, marked) = sentence_context(text, f.start, f.end, &spans);
                if extra > 0 || marked {
                    let share = f.found_chars as f64 / (f.found_chars + extra) as f64;
                    f.kind = MatchKind::Contained;
                    f.confidence = if marked {
                        f.confidence.min(0.4)
                    } else {
                        f.confidence * (0.5 + 0.5 * share)
                    };
                }
            }
            if f.kind == MatchKind::Fuzzy {
                let line = line_chars(text, f.start, f.end);
                if f.found_chars < 5 || (f.found_chars as f64) < 0.5 * line as f64 {
                    f.confidence = f.confidence.min(MATCH_THRESHOLD - 0.01);
                }
            }
            // the other audience's entry answers only what clearly is its message
            let other = f.confidence < 0.55 && !self.serves(&f, reader.get());
            if f.confidence < MATCH_THRESHOLD
                || (other && matches!(f.kind, MatchKind::Fuzzy | MatchKind::Contained))
            {
                demoted.push(f);
            } else {
                kept.push(f);
            }
        }
        drop_titles(text, &mut kept);
        (kept, demoted)
    }
}

/// Characters that end a sentence, or set a label off from its text (`人脸验证：`).
fn ends_sentence(c: char) -> bool {
    "。！？!?；;：:（）()“”「」\"\n\r".contains(c)
}

/// How far around a match its sentence is read, in characters each way: enough to weigh
/// it, and a paste of megabytes stays linear.
const SENTENCE_REACH: usize = 80;

/// Words right before a message that change whose message it is, or turn it around.
const BEFORE_MARKERS: &[&str] = &[
    "对方",
    "收款方",
    "收款人",
    "商家",
    "卖家",
    "他人",
    "别人",
    "是否",
    "没有",
    "可能",
    "不",
    "未",
    "非",
    "无",
];
/// Words right after a message that make it a field or a statistic, not a message.
const AFTER_MARKERS: &[&str] = &[
    "=false", "=true", "=0", "=1", "次数", "统计", "数量", "总数", "比例", "率", "开关", "标志",
];

/// The Chinese characters of the sentence around `text[start..end]` that no match in
/// `spans` explains, and whether a word before or after the match turns it into something
/// else (对方…, …=false, …统计).
fn sentence_context(
    text: &str,
    start: usize,
    end: usize,
    spans: &[(usize, usize)],
) -> (usize, bool) {
    // spans are in input order and do not overlap: a binary search finds the one at `i`
    let free = |i: usize| {
        let k = spans.partition_point(|&(s, _)| s <= i);
        k == 0 || spans[k - 1].1 <= i
    };
    let mut extra = 0;
    for (i, c) in text[..start].char_indices().rev().take(SENTENCE_REACH) {
        if ends_sentence(c) || c.is_ascii() {
            break;
        }
        if is_han(c) && free(i) {
            extra += 1;
        }
    }
    for (i, c) in text[end..].char_indices().take(SENTENCE_REACH) {
        if ends_sentence(c) || c.is_ascii() {
            break;
        }
        if is_han(c) && free(end + i) {
            extra += 1;
        }
    }
    let before = text[..start].trim_end();
    let after = text[end..].trim_start();
    // a hedge or another subject may stand a few characters before (有可能已经支付成功)
    let near: String = before
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let marked = BEFORE_MARKERS
        .iter()
        .any(|m| before.ends_with(m) || (m.chars().count() > 1 && near.contains(m)))
        || AFTER_MARKERS.iter().any(|m| {
            after.len() >= m.len()
                && after.is_char_boundary(m.len())
                && after[..m.len()].eq_ignore_ascii_case(m)
        });
    (extra, marked)
}

/// Letters, digits and Chinese characters on the lines that `text[start..end]` touches.
fn line_chars(text: &str, start: usize, end: usize) -> usize {
    let count = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count();
    let before = text[..start]
        .chars()
        .rev()
        .take(SENTENCE_REACH)
        .take_while(|&c| c != '\n');
    let after = text[end..]
        .chars()
        .take(SENTENCE_REACH)
        .take_while(|&c| c != '\n');
    before.chain(after).filter(|c| c.is_alphanumeric()).count() + count(&text[start..end])
}

/// How a dialog's generic title ends (支付失败, 温馨提示, 系统错误): such a title names the
/// kind of trouble, the message under it says what it is.
const GENERIC_TITLE_ENDS: &[&str] = &["失败", "错误", "提示", "提醒", "出错了", "出错", "异常"];

/// A short generic title (see [`GENERIC_TITLE_ENDS`]) alone on its line, above another match
/// on a later line, is that message's dialog title (支付失败 over 余额不足), not a second answer.
fn drop_titles(text: &str, kept: &mut Vec<Found>) {
    let is_title = |i: usize, kept: &[Found]| -> bool {
        let f = &kept[i];
        let Some(next) = kept.get(i + 1) else {
            return false;
        };
        if f.found_chars > 6 {
            return false;
        }
        // the line around the match, read a few characters each way
        let alone = |mut chars: std::str::Chars<'_>, back: bool| -> bool {
            let mut next = || {
                if back {
                    chars.next_back()
                } else {
                    chars.next()
                }
            };
            for _ in 0..8 {
                match next() {
                    None | Some('\n') => return true,
                    Some(c) if c.is_whitespace() => {}
                    Some(_) => return false,
                }
            }
            false
        };
        let line = text[f.start..f.end].trim();
        alone(text[..f.start].chars(), true)
            && alone(text[f.end..].chars(), false)
            && GENERIC_TITLE_ENDS.iter().any(|t| line.ends_with(t))
            && next.found_chars > f.found_chars
            && text[f.end..next.start].contains('\n')
    };
    let titles: Vec<bool> = (0..kept.len()).map(|i| is_title(i, kept)).collect();
    let mut i = 0;
    kept.retain(|_| {
        i += 1;
        !titles[i - 1]
    });
}
