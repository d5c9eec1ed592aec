/*!
English words as search terms: lower-cased, stop words dropped, domain synonyms folded to
one term, and a light suffix stripping so that "rejected" and "rejects" meet "reject".

The folding is deliberately small and written out here: each group below is a set of words
people use for one idea in Alipay's world (a reader writes "authenticate", an entry says
"verify"; "打款" is the test deposit). The first word of a group is the term both sides use.
*/

/// Words that carry no meaning for the search.
const STOP: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anyone",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "but",
    "by",
    "can",
    "cant",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "dont",
    "even",
    "ever",
    "every",
    "for",
    "from",
    "get",
    "gets",
    "getting",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "if",
    "im",
    "in",
    "into",
    "is",
    "it",
    "its",
    "ive",
    "just",
    "keep",
    "know",
    "like",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "need",
    "needs",
    "no",
    "not",
    "now",
    "of",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "please",
    "really",
    "s",
    "same",
    "say",
    "says",
    "seem",
    "seems",
    "she",
    "should",
    "so",
    "some",
    "someone",
    "still",
    "such",
    "t",
    "tell",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "this",
    "those",
    "though",
    "through",
    "to",
    "too",
    "tried",
    "try",
    "trying",
    "up",
    "us",
    "use",
    "used",
    "using",
    "very",
    "want",
    "was",
    "way",
    "we",
    "well",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "won",
    "would",
    "yes",
    "yet",
    "you",
    "your",
    "hi",
    "hello",
    "thanks",
    "thank",
    "anybody",
    "anything",
    "something",
    "way",
    "able",
    "time",
    "times",
    "already",
    "tried",
    "ve",
    "ll",
    "d",
    "m",
    "re",
    "let",
    "lets",
];

/// Groups of words for one idea; the first is the term used.
const SYNONYMS: &[&[&str]] = &[
    &[
        "verify",
        "verified",
        "verifies",
        "verifying",
        "verification",
        "authenticate",
        "authenticated",
        "authentication",
        "certify",
        "certified",
        "certification",
        "recertification",
        "realname",
        "approve",
        "approved",
        "approval",
        "实名",
        "认证",
    ],
    &["card", "cards", "bankcard", "bankcards", "银行卡"],
    &["bank", "banks", "banking"],
    &["alipay", "alpay", "aliplay", "zhifubao", "支付宝"],
    &["china", "chinese", "mainland", "prc"],
    // the big banks by their initials: the reader's bank is part of the problem
    &["icbc"],
    &["ccb"],
    &["boc"],
    &["cmb"],
    &["cgb", "guangfa"],
    &["stamp", "stamps", "stamped", "chop", "seal"],
    &["visa", "visas"],
    &["entry", "arrival", "customs", "immigration"],
    &["deposit", "deposits", "deposited", "remittance", "打款"],
    &["passport", "passports", "护照"],
    &[
        "register",
        "registered",
        "registering",
        "registration",
        "signup",
        "注册",
    ],
    &["login", "logging", "logged", "signin", "登录"],
    &[
        "reject",
        "rejected",
        "rejects",
        "rejection",
        "refused",
        "declined",
        "denied",
        "驳回",
    ],
    &[
        "fail",
        "failed",
        "fails",
        "failing",
        "failure",
        "unsuccessful",
        "失败",
    ],
    &[
        "contact", "call", "called", "calling", "hotline", "helpdesk", "support", "phoned", "客服",
    ],
    &["country", "countries", "nationality", "region"],
    &[
        "foreigner",
        "foreigners",
        "foreign",
        "expat",
        "expats",
        "overseas",
        "外籍",
    ],
    &["withdraw", "withdrawal", "withdrawing", "cashout", "提现"],
    &[
        "transfer",
        "transfers",
        "transferred",
        "transferring",
        "remit",
        "转账",
    ],
    &[
        "pay", "paying", "paid", "payment", "payments", "purchase", "付款", "支付",
    ],
    &[
        "photo",
        "photos",
        "picture",
        "pictures",
        "pic",
        "pics",
        "image",
        "images",
        "upload",
        "uploaded",
        "uploading",
        "照片",
    ],
    &[
        "link", "linked", "linking", "bind", "binding", "bound", "tag", "attach", "绑定",
    ],
    &["list", "dropdown", "menu"],
    &[
        "option", "options", "choose", "chose", "chosen", "select", "selected", "choice", "pick",
        "picked",
    ],
    &["id", "ids", "identity", "identification", "身份证"],
    &[
        "number", "numbers", "digits", "digit", "numerals", "numeral",
    ],
    &["name", "names", "surname", "姓名"],
    &[
        "invest",
        "investing",
        "investment",
        "investments",
        "fund",
        "funds",
        "理财",
    ],
    &["busy", "overloaded"],
    &["phone", "mobile", "cellphone", "手机"],
    &["email", "mail", "邮箱"],
    &["address", "addresses", "hometown", "hotel"],
    &[
        "valid", "validity", "expire", "expired", "expiry", "expires",
    ],
    &[
        "receive",
        "received",
        "receiving",
        "arrive",
        "arrived",
        "arriving",
        "came",
        "come",
    ],
    &["account", "accounts", "账户"],
];

/// Terms that put a text in Alipay's world on their own…
const DOMAIN: &[&str] = &[
    "alipay", "taobao", "tmall", "verify", "card", "deposit", "passport", "register", "login",
    "transfer", "withdraw", "stamp", "visa", "link", "yuebao", "huabei", "wechat", "qr", "95188",
    "icbc", "ccb", "boc", "cmb", "cgb", "abchina",
];
/// …and terms that do so only two together (a bank and a list, a photo and a rejection).
/// Everyday words (pay, account, phone, e-mail) are in neither list: prose is full of them.
const NEAR_DOMAIN: &[&str] = &[
    "bank",
    "id",
    "photo",
    "reject",
    "country",
    "number",
    "name",
    "list",
    "option",
    "foreigner",
    "china",
    "busy",
    "system",
];

/// The term a lower-cased word stands for, or `None` for a stop word.
fn term(word: &str) -> Option<String> {
    if STOP.contains(&word) {
        return None;
    }
    if let Some(group) = SYNONYMS.iter().find(|g| g.contains(&word)) {
        return Some(group[0].to_owned());
    }
    Some(stem(word))
}

/// A light suffix stripping: plurals and the commonest verb endings.
fn stem(word: &str) -> String {
    let n = word.len();
    if !word.is_ascii() || n <= 3 {
        return word.to_owned();
    }
    for (suffix, keep, put) in [
        ("ies", 4, "y"),
        ("sses", 4, "ss"),
        ("ing", 5, ""),
        ("ed", 4, ""),
        ("es", 5, ""),
        ("s", 4, ""),
    ] {
        if let Some(stripped) = word.strip_suffix(suffix) {
            if n >= keep + suffix.len() - 1 && !word.ends_with("ss") && !word.ends_with("us") {
                let stem = format!("{stripped}{put}");
                // a stripped term of the synonym groups is that group's term
                return SYNONYMS
                    .iter()
                    .find(|g| g.contains(&stem.as_str()))
                    .map_or(stem, |g| g[0].to_owned());
            }
        }
    }
    word.to_owned()
}

/// The terms of an English text, in order (repeats kept).
///
/// Apostrophes join a word ("can't" → "cant"); other non-letters split words. Digits stay
/// as terms (a "17" in "mine has 17 digits" is evidence too).
pub(crate) fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            out.extend(term(word));
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if matches!(c, '\'' | '’' | '`') {
            continue;
        } else if c == '-' && !word.is_empty() {
            // "real-name", "e-mail", "sign-up": one word
            continue;
        } else {
            flush(&mut word, &mut out);
        }
        // bound the work on megabytes of text
        if out.len() > 4096 {
            break;
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The Chinese words of the synonym groups found in `text` (a reader may write 打款 or 实名
/// in an English sentence), as terms.
pub(crate) fn chinese_terms(text: &str) -> Vec<String> {
    SYNONYMS
        .iter()
        .flat_map(|g| g.iter().filter(|w| !w.is_ascii()).map(move |w| (w, g[0])))
        .filter(|(w, _)| text.contains(**w))
        .map(|(_, t)| t.to_owned())
        .collect()
}

/// Whether terms put a text in Alipay's world: one of [`DOMAIN`] or two of [`NEAR_DOMAIN`].
pub(crate) fn in_domain(terms: &[String]) -> bool {
    let near = terms
        .iter()
        .filter(|t| NEAR_DOMAIN.contains(&t.as_str()))
        .count();
    near >= 2 || terms.iter().any(|t| DOMAIN.contains(&t.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_synonyms_stems_and_drops_stop_words() {
        assert_eq!(
            terms("I can't authenticate my bank cards"),
            ["verify", "bank", "card"]
        );
        assert_eq!(terms("the e-mail was rejected"), ["email", "reject"]);
        assert_eq!(terms("Real-name verification"), ["verify", "verify"]);
        assert_eq!(terms("uploads"), ["photo"]);
        assert_eq!(terms("problems"), ["problem"]);
    }

    #[test]
    fn chinese_words_inside_english_count() {
        assert_eq!(chinese_terms("the 打款 never came"), ["deposit"]);
    }
}
