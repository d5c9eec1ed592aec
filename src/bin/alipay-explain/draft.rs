/*!
`alipay-explain catalog new TEXT`: a draft catalog entry for a message that nothing matched.

Standard output gets the entry alone, as a catalog file (`{"entries": [ … ]}`), so that
`… > mine.json` gives a file to fill in; the rules of `data/README.md` go beside it on standard
error as `//` comments. Every field a person must write holds a string that starts with
"TODO", and `catalog check` refuses a file that still has one, so a draft is never taken for a
finished entry. With the TODOs filled in, the draft passes `catalog check`.

The guesses are only guesses, and the comments say what they rest on:
- the parts that vary (dates, times, day counts, amounts, phone numbers, e-mail addresses,
  codes, other numbers) become typed slots, each value checked with the slot's own matcher;
- the category is that of the most similar entry (shared pairs of neighbouring characters);
- the id is the category and the English of the glossary's words for the text.
*/

use std::collections::HashSet;
use std::io::Write;

use alipay_explain::{Explainer, SlotKind};
use alipay_explain_prep::template::replace_slots;

use crate::args::Common;
use crate::render::shell_quote;
use crate::{Fail, Outcome};

pub(crate) fn run(common: &Common, text: &str) -> Result<Outcome, Fail> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Fail::Message(
            "the message is empty: give it verbatim, e.g. alipay-explain catalog new '系统繁忙，请稍后再试'"
                .to_owned(),
        ));
    }
    let explainer = crate::builder(common).build()?;
    let (template, slots) = slotify(text);
    let nearest = nearest(&explainer, &template);
    let category = nearest.map_or("system", |n| n.category);
    let draft = Draft {
        id: suggest_id(&explainer, category, &literal_text(&template)),
        category,
        template,
        slots,
    };
    let notes = draft.notes(&explainer, text, nearest);
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for n in &notes {
        // the notes are a help, not the output: a closed standard error is no reason to stop
        let _ = writeln!(err, "{n}");
    }
    drop(err);
    let mut out = std::io::stdout().lock();
    out.write_all(draft.json().as_bytes())?;
    out.flush()?;
    Ok(Outcome::Found)
}

/// What `catalog new` guessed of an entry.
struct Draft {
    id: String,
    category: &'static str,
    template: String,
    /// Each slot's name, kind and value in the text.
    slots: Vec<(String, SlotKind, String)>,
}

impl Draft {
    /// The comments that go beside the draft: how to go on, what the guesses rest on, the
    /// rules.
    fn notes(
        &self,
        explainer: &Explainer,
        text: &str,
        nearest: Option<Nearest<'_>>,
    ) -> Vec<String> {
        let Draft {
            id,
            category,
            slots,
            ..
        } = self;
        let mut notes = vec![
            format!("// A draft catalog entry for: {text}"),
            "// Fill in every \"TODO\" (catalog check refuses a file that still has one), save it as a"
                .to_owned(),
            "// .json file, check it, and try it:".to_owned(),
            "//   alipay-explain catalog check mine.json".to_owned(),
            format!(
                "//   alipay-explain --catalog mine.json {}",
                shell_quote(text)
            ),
        ];
        if let Some(m) = explainer.explain(text).matches.first() {
            notes.push(format!(
                "// Note: the text already matches {} ({:.0}%): add an entry only for a different message.",
                m.id,
                m.confidence * 100.0
            ));
        }
        notes.push("// Guesses to check:".to_owned());
        match nearest {
            Some(n) => notes.push(format!(
                "//   category {category}: that of the most similar entry, {} ({:.0}% of character pairs shared)",
                n.id,
                n.score * 100.0
            )),
            None => notes.push(format!(
                "//   category {category}: no entry is similar; choose the right one"
            )),
        }
        notes.push(format!(
            "//   id {id}: <category>.<what_it_is>, from the English of the words; ids are forever"
        ));
        if slots.is_empty() {
            notes.push("//   no part looked like a date, day count, amount, phone, code or number: if a part varies, make it a slot".to_owned());
        }
        for (name, kind, value) in slots {
            notes.push(format!(
                "//   {{{name}}} ({}) was {value}: make it literal text if it never varies",
                kind.name()
            ));
        }
        notes.extend(RULES.iter().map(|r| format!("// {r}")));
        notes
    }

    /// The draft as a catalog file, every field a person must write a "TODO".
    fn json(&self) -> String {
        let placeholders: Vec<String> = self
            .slots
            .iter()
            .map(|(name, _, _)| format!("{{{name}}}"))
            .collect();
        let translation = if placeholders.is_empty() {
            "TODO: a faithful English rendering of the message".to_owned()
        } else {
            format!(
                "TODO: a faithful English rendering of the message; it may use {}",
                placeholders.join(", ")
            )
        };
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        format!(
            r#"{{"entries": [
  {{"id": {id},
   "category": {category},
   "zh": [{template}],
   "en": {{"translation": {translation},
          "cause": {cause},
          "cause_basis": {basis},
          "fixes": [{fix}]}},
   "actor": {actor},
   "retry": {retry},
   "sources": [{source}]}}
]}}
"#,
            id = q(&self.id),
            category = q(self.category),
            template = q(&self.template),
            translation = q(&translation),
            cause =
                q("TODO: why it most likely happened; hedge when not certain (\"most often …\")"),
            basis = q("TODO: documented, reported or one_report (how well the cause is known)"),
            fix = q("TODO: what to do, most useful first; add more fixes as further strings"),
            actor = q("TODO: who must act: you, alipay, bank, merchant, developer or network"),
            retry = q("TODO: safe, later, after_wait or no"),
            source = q("TODO: where you saw the message: a public URL, or seeds/NNN_….txt"),
        )
    }
}

/// The rules of `data/README.md`, shortened, shown beside a draft.
const RULES: &[&str] = &[
    "The rules (data/README.md has them in full):",
    "- id: lower-case, dotted, <category>.<what_it_is>, letters, digits and _; unique; never renamed or reused.",
    "- category: registration, login, verification, bank_card, payment, risk_control, account, transfer,",
    "  topup, international, system, api or status; the id starts with it.",
    "- zh: the message verbatim as Alipay shows it (simplified Chinese), with typed slots for the parts",
    "  that vary: {date} {time} {days} {number} {amount} {phone} {email} {code} {text}; two of one type",
    "  are named apart ({start:date}, {end:date}); several wordings are several templates.",
    "- en.translation: a faithful rendering, no softening, no guessing; it may use the slots' names.",
    "- en.cause: why it most likely happened; en.fixes: what to do, most useful first, concrete.",
    "- en.cause_basis: documented (Alipay says so), reported (several reports agree) or one_report.",
    "- en.before_retry (optional): what to check before trying again when money may have moved.",
    "- codes (optional): codes Alipay prints with or instead of the text; a code belongs to one entry.",
    "- actor: you, alipay, bank, merchant, developer, network; retry: safe, later, after_wait, no.",
    "- ask (optional): {\"zh\", \"pinyin\", \"en\"}, a sentence to show a teller, a cashier or 95188.",
    "- sources: where you saw it, a public URL or a seed file. No source, no entry.",
    "- Quote only messages you have seen; write translation, cause and fixes in your own words.",
];

/// The entry most like a template, and how alike.
#[derive(Debug, Clone, Copy)]
struct Nearest<'a> {
    id: &'a str,
    category: &'static str,
    score: f64,
}

/// Pairs of neighbouring Chinese characters, letters or digits, slots left out.
fn bigrams(template: &str) -> HashSet<(char, char)> {
    let mut keys: Vec<char> = Vec::new();
    for c in replace_slots(template, |_, _| {}).chars() {
        if c.is_alphanumeric() {
            keys.extend(c.to_lowercase());
        }
    }
    keys.windows(2).map(|w| (w[0], w[1])).collect()
}

fn nearest<'a>(explainer: &'a Explainer, template: &str) -> Option<Nearest<'a>> {
    let mine = bigrams(template);
    if mine.is_empty() {
        return None;
    }
    let mut best: Option<Nearest<'a>> = None;
    for entry in explainer.catalog().iter() {
        for zh in &entry.zh {
            let theirs = bigrams(zh);
            let shared = mine.intersection(&theirs).count();
            if shared == 0 {
                continue;
            }
            // Dice coefficient: shared pairs over the pairs of both
            let score = 2.0 * shared as f64 / (mine.len() + theirs.len()) as f64;
            if best.is_none_or(|b| score > b.score) {
                best = Some(Nearest {
                    id: &entry.id,
                    category: entry.category.name(),
                    score,
                });
            }
        }
    }
    best.filter(|b| b.score >= 0.15)
}

/// `<category>.<words>`: the English of the glossary's words for `text` (their pinyin when
/// the glossary has no English), made unique.
fn suggest_id(explainer: &Explainer, category: &str, text: &str) -> String {
    const SKIP: &[&str] = &[
        "a", "an", "the", "of", "to", "your", "you", "please", "is", "are", "be", "has", "have",
        "and", "or", "for", "in", "on", "this", "that", "it", "with", "been",
    ];
    // an explainer that knows no message glosses the whole text, word by word
    let glossed = Explainer::builder()
        .builtin(false)
        .build()
        .map(|bare| bare.explain(text));
    let mut words: Vec<String> = Vec::new();
    for g in glossed
        .iter()
        .flat_map(|e| &e.unmatched)
        .flat_map(|u| &u.gloss)
    {
        let english = g.en.as_deref().map(|en| {
            en.split([';', ',', '(', '/'])
                .next()
                .unwrap_or(en)
                .to_owned()
        });
        let source = english.unwrap_or_else(|| g.pinyin.clone());
        for w in source.split(|c: char| !c.is_alphanumeric()) {
            let w: String = w.chars().filter_map(ascii_letter).collect();
            // the id starts with the category already
            let in_category = category.split('_').any(|c| c == w);
            if !w.is_empty() && !in_category && !SKIP.contains(&w.as_str()) && !words.contains(&w) {
                words.push(w);
            }
        }
    }
    let mut slug = String::new();
    for w in words {
        if slug.len() + w.len() > 40 {
            break;
        }
        if !slug.is_empty() {
            slug.push('_');
        }
        slug.push_str(&w);
    }
    if slug.is_empty() || !slug.starts_with(|c: char| c.is_ascii_lowercase()) {
        slug.insert_str(0, "message_");
        slug = slug.trim_end_matches('_').to_owned();
    }
    let base = format!("{category}.{slug}");
    let mut id = base.clone();
    let mut n = 2;
    while explainer.catalog().get(&id).is_some() {
        id = format!("{base}_{n}");
        n += 1;
    }
    id
}

/// The literal text of a template: each slot a space, `{{`/`}}` as single braces.
fn literal_text(template: &str) -> String {
    replace_slots(template, |out, _| out.push(' '))
}

/// A lower-case ASCII letter or digit for `c`, tone marks dropped (`ǎ` → `a`, `ü` → `u`).
fn ascii_letter(c: char) -> Option<char> {
    let base = match c {
        'a'..='z' | '0'..='9' => c,
        'A'..='Z' => c.to_ascii_lowercase(),
        'ā' | 'á' | 'ǎ' | 'à' => 'a',
        'ē' | 'é' | 'ě' | 'è' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' | 'ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'u',
        _ => return None,
    };
    Some(base)
}

/// `text` as a template: literal braces doubled, and the parts that vary made slots.
/// Returns the template and each slot's (name, kind, value).
fn slotify(text: &str) -> (String, Vec<(String, SlotKind, String)>) {
    let chars: Vec<char> = text.chars().collect();
    let mut template = String::new();
    let mut slots: Vec<(String, SlotKind, String)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        // a value starts at the start of a run, not inside a word or a number
        let at_boundary = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        let found = if at_boundary {
            slot_at(&chars, i)
        } else {
            None
        };
        match found {
            Some((kind, len)) => {
                let value: String = chars[i..i + len].iter().collect();
                let n = slots.iter().filter(|(_, k, _)| *k == kind).count();
                let name = if n == 0 {
                    kind.name().to_owned()
                } else {
                    format!("{}{}", kind.name(), n + 1)
                };
                if n == 0 {
                    template.push_str(&format!("{{{name}}}"));
                } else {
                    template.push_str(&format!("{{{name}:{}}}", kind.name()));
                }
                slots.push((name, kind, value));
                i += len;
            }
            None => {
                match chars[i] {
                    '{' => template.push_str("{{"),
                    '}' => template.push_str("}}"),
                    c => template.push(c),
                }
                i += 1;
            }
        }
    }
    (template, slots)
}

/// The kind and length (in characters) of a slot value that starts at `chars[i]`.
fn slot_at(chars: &[char], i: usize) -> Found {
    let at = At { chars, i };
    let d = at.digits(i);
    let decided = at
        .amount()
        .or_else(|| at.email())
        .or_else(|| (d > 0).then(|| at.date(d)).flatten())
        .or_else(|| (d > 0).then(|| at.time(d)).flatten())
        .or_else(|| (d > 0).then(|| at.phone_or_days(d)).flatten())
        .or_else(|| at.code());
    if let Some(found) = decided {
        return found;
    }
    if d > 0 {
        // amounts in 元 (12.50元), then any other number
        let n = number_len(chars, i);
        if at.is(i + n, &['元']) {
            return at.accepted(SlotKind::Amount, n + 1);
        }
        return at.accepted(SlotKind::Number, n);
    }
    None
}

/// A slot value's kind and length in characters, or none.
type Found = Option<(SlotKind, usize)>;

/// A place in a text where a slot value may start, and the readers of each kind of value.
/// A reader gives `None` when the text there does not have its kind's form, else what the
/// kind's own matcher made of it: a value of that form is of no other kind.
struct At<'a> {
    chars: &'a [char],
    i: usize,
}

impl At<'_> {
    /// The number of ASCII digits from `from` on.
    fn digits(&self, from: usize) -> usize {
        self.chars
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    }

    /// Whether the character at `at` is one of `set`.
    fn is(&self, at: usize, set: &[char]) -> bool {
        self.chars.get(at).is_some_and(|c| set.contains(c))
    }

    /// The ASCII letters, digits and characters of `also` from here on.
    fn run_of(&self, also: &[char]) -> &[char] {
        let run = &self.chars[self.i..];
        let len = run
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || also.contains(c))
            .count();
        &run[..len]
    }

    /// `kind` and `len` if the kind accepts the `len` characters from here.
    fn accepted(&self, kind: SlotKind, len: usize) -> Found {
        let value: String = self.chars[self.i..self.i + len].iter().collect();
        kind.accepts(&value).then_some((kind, len))
    }

    /// Amounts after a yuan sign: ¥12.50, ￥1,000.
    fn amount(&self) -> Option<Found> {
        if !matches!(self.chars[self.i], '¥' | '￥') {
            return None;
        }
        let n = number_len(self.chars, self.i + 1);
        (n > 0).then(|| self.accepted(SlotKind::Amount, 1 + n))
    }

    /// E-mail addresses, possibly masked: `ab***@qq.com`.
    fn email(&self) -> Option<Found> {
        if !self.chars[self.i].is_ascii_alphanumeric() {
            return None;
        }
        let run = self.run_of(&['.', '_', '-', '*', '@']);
        let len = run.len();
        (run.contains(&'@') && run.contains(&'.')).then(|| self.accepted(SlotKind::Email, len))
    }

    /// Dates after `d` digits: 2016年3月2日, 3月2日, 2016-03-02, 2016/3/2.
    fn date(&self, d: usize) -> Option<Found> {
        let i = self.i;
        let j = i + d;
        if self.is(j, &['年']) && self.digits(j + 1) > 0 {
            let m = self.digits(j + 1);
            if self.is(j + 1 + m, &['月']) && self.digits(j + 2 + m) > 0 {
                let j = j + 2 + m;
                let dd = self.digits(j);
                if self.is(j + dd, &['日', '号']) {
                    return Some(self.accepted(SlotKind::Date, j + dd + 1 - i));
                }
            }
        }
        if self.is(i + d, &['月']) && self.digits(i + d + 1) > 0 {
            let dd = self.digits(i + d + 1);
            if self.is(i + d + 1 + dd, &['日', '号']) {
                return Some(self.accepted(SlotKind::Date, d + dd + 2));
            }
        }
        if d == 4 && self.is(i + 4, &['-', '/', '.']) && self.digits(i + 5) > 0 {
            let m = self.digits(i + 5);
            if self.is(i + 5 + m, &[self.chars[i + 4]]) && self.digits(i + 6 + m) > 0 {
                return Some(self.accepted(SlotKind::Date, 6 + m + self.digits(i + 6 + m)));
            }
        }
        None
    }

    /// Times after `d` digits: 12:45, 12:45:30.
    fn time(&self, d: usize) -> Option<Found> {
        let i = self.i;
        if d <= 2 && self.is(i + d, &[':', '：']) && self.digits(i + d + 1) == 2 {
            let mut len = d + 3;
            if self.is(i + len, &[':', '：']) && self.digits(i + len + 1) == 2 {
                len += 3;
            }
            return Some(self.accepted(SlotKind::Time, len));
        }
        None
    }

    /// Phone numbers (13812345678, 138****1234, 95188) and day counts (7天) after `d` digits.
    fn phone_or_days(&self, d: usize) -> Option<Found> {
        let (chars, i) = (self.chars, self.i);
        let c = chars[i];
        if d == 3 && c == '1' && self.is(i + 3, &['*']) {
            let stars = chars[i + 3..].iter().take_while(|&&c| c == '*').count();
            let tail = self.digits(i + 3 + stars);
            if tail > 0 {
                return Some(self.accepted(SlotKind::Phone, 3 + stars + tail));
            }
        }
        if (d == 11 && c == '1') || (d == 5 && chars[i..i + 2] == ['9', '5']) {
            if let Some(found) = self.accepted(SlotKind::Phone, d) {
                return Some(Some(found));
            }
        }
        (d <= 3 && self.is(i + d, &['天'])).then(|| self.accepted(SlotKind::Days, d))
    }

    /// Codes: ALIN10146, sys_1000, ACQ.TRADE_NOT_EXIST (a run with a digit, or capitals
    /// joined by _ or .).
    fn code(&self) -> Option<Found> {
        if !self.chars[self.i].is_ascii_alphabetic() {
            return None;
        }
        let run = self.run_of(&['_', '.', '-']);
        let len = run.len()
            - run
                .iter()
                .rev()
                .take_while(|c| matches!(c, '.' | '-' | '_'))
                .count();
        let run = &run[..len];
        let has_digit = run.iter().any(char::is_ascii_digit);
        let joined_capitals = run.iter().any(|c| matches!(c, '_' | '.'))
            && run.iter().all(|c| !c.is_ascii_lowercase() || has_digit);
        (len >= 3 && (has_digit || joined_capitals)).then(|| self.accepted(SlotKind::Code, len))
    }
}

/// The length of a number at `chars[i]`: digits, thousands commas, one decimal point.
fn number_len(chars: &[char], i: usize) -> usize {
    let mut len = 0;
    let mut point = false;
    while let Some(&c) = chars.get(i + len) {
        let next_is_digit = chars.get(i + len + 1).is_some_and(char::is_ascii_digit);
        match c {
            '0'..='9' => len += 1,
            ',' if len > 0 && next_is_digit => len += 1,
            '.' if len > 0 && !point && next_is_digit => {
                point = true;
                len += 1;
            }
            _ => break,
        }
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varying_parts_become_slots() {
        let cases: &[(&str, &str)] = &[
            (
                "请更换银行卡重新认证或撤销认证7天后（2016年3月2日）使用原银行卡",
                "请更换银行卡重新认证或撤销认证{days}天后（{date}）使用原银行卡",
            ),
            (
                "系统繁忙，请稍后再试（ALIN10146）",
                "系统繁忙，请稍后再试（{code}）",
            ),
            (
                "已向138****1234发送验证码，请联系95188",
                "已向{phone}发送验证码，请联系{phone2:phone}",
            ),
            (
                "单笔限额￥1,000.00，今日剩余50000元",
                "单笔限额{amount}，今日剩余{amount2:amount}",
            ),
            ("交易不存在 ACQ.TRADE_NOT_EXIST", "交易不存在 {code}"),
            (
                "请于12:30后再试，还剩3次机会",
                "请于{time}后再试，还剩{number}次机会",
            ),
            ("发送至ab***@qq.com", "发送至{email}"),
            ("{不是槽}Apple Pay", "{{不是槽}}Apple Pay"),
            ("2024-05-01起生效", "{date}起生效"),
        ];
        for (text, template) in cases {
            assert_eq!(slotify(text).0, *template, "{text}");
        }
    }

    #[test]
    fn tone_marks_fold_to_ascii() {
        let folded: String = "yínháng kǎ lǜ".chars().filter_map(ascii_letter).collect();
        assert_eq!(folded, "yinhangkalu");
    }
}
