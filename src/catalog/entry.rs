/*!
The values an entry holds: its category and the closed sets of its fields ([`Actor`],
[`Retry`], [`Audience`], [`CauseBasis`]), its texts, and the [`Entry`] itself.
*/

use std::fmt;

use serde::{Deserialize, Serialize};

use super::position;
use crate::template::Template;

/// The area of Alipay a message belongs to: a closed set.
///
/// ```
/// use alipay_explain::Category;
/// assert_eq!(Category::BankCard.to_string(), "bank_card");
/// assert_eq!("bank_card".parse::<Category>(), Ok(Category::BankCard));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Category {
    /// Signing up: phone or e-mail, region, ID fields.
    Registration,
    /// Logging in: locked or restricted accounts, too many attempts.
    Login,
    /// Real-name verification: passport, visa, photos, names.
    Verification,
    /// Binding and verifying bank cards.
    BankCard,
    /// Paying: cashier, balance, limits, payment password.
    Payment,
    /// Risk control: payments or accounts stopped for safety.
    RiskControl,
    /// Account status and restrictions.
    Account,
    /// Transfers between accounts.
    Transfer,
    /// Top-ups: phone credit, balance, mini-programs.
    Topup,
    /// Foreign cards and visitor services.
    International,
    /// System-busy and network messages.
    System,
    /// Developer messages: open-platform codes, SDK results.
    Api,
    /// Not an error: order and transaction states.
    Status,
}

/// Every category, in the documented order.
pub(crate) const CATEGORIES: [Category; 13] = [
    Category::Registration,
    Category::Login,
    Category::Verification,
    Category::BankCard,
    Category::Payment,
    Category::RiskControl,
    Category::Account,
    Category::Transfer,
    Category::Topup,
    Category::International,
    Category::System,
    Category::Api,
    Category::Status,
];

impl Category {
    /// The name used in catalog files and ids (`bank_card`).
    pub fn name(self) -> &'static str {
        match self {
            Category::Registration => "registration",
            Category::Login => "login",
            Category::Verification => "verification",
            Category::BankCard => "bank_card",
            Category::Payment => "payment",
            Category::RiskControl => "risk_control",
            Category::Account => "account",
            Category::Transfer => "transfer",
            Category::Topup => "topup",
            Category::International => "international",
            Category::System => "system",
            Category::Api => "api",
            Category::Status => "status",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Category {
    type Err = String;

    fn from_str(s: &str) -> Result<Category, String> {
        CATEGORIES
            .iter()
            .copied()
            .find(|c| c.name() == s)
            .ok_or_else(|| format!("unknown category {s:?}"))
    }
}

/// Who must act to get past a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Actor {
    /// The person who sees the message.
    You,
    /// Alipay (its hotline, its review team, its systems).
    Alipay,
    /// The bank that issued the card.
    Bank,
    /// The shop or seller.
    Merchant,
    /// The developer of the app or site that calls Alipay.
    Developer,
    /// The network connection.
    Network,
}

impl Actor {
    /// The name used in catalog files (`you`, `bank`, …).
    pub fn name(self) -> &'static str {
        match self {
            Actor::You => "you",
            Actor::Alipay => "alipay",
            Actor::Bank => "bank",
            Actor::Merchant => "merchant",
            Actor::Developer => "developer",
            Actor::Network => "network",
        }
    }
}

/// Whether trying again helps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Retry {
    /// Trying again now is fine.
    Safe,
    /// Wait a while, then try again.
    Later,
    /// Try again after the date or the number of days in the message.
    AfterWait,
    /// Trying the same thing again will not help.
    No,
}

impl Retry {
    /// The name used in catalog files (`safe`, `after_wait`, …).
    pub fn name(self) -> &'static str {
        match self {
            Retry::Safe => "safe",
            Retry::Later => "later",
            Retry::AfterWait => "after_wait",
            Retry::No => "no",
        }
    }
}

/// A sentence to show a bank teller, a cashier or the 95188 hotline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Ask {
    /// The sentence in Chinese.
    pub zh: String,
    /// Its pinyin, with tone marks.
    pub pinyin: String,
    /// What it says, in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

/// Who an entry speaks to: the person in front of the app, a developer, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Audience {
    /// Someone using the Alipay app or website.
    User,
    /// Someone integrating Alipay: open-platform responses, SDK results, logs.
    Developer,
    /// Both see the same words.
    Both,
}

impl Audience {
    /// The name used in catalog files and JSON (`user`, `developer`, `both`).
    pub fn name(self) -> &'static str {
        match self {
            Audience::User => "user",
            Audience::Developer => "developer",
            Audience::Both => "both",
        }
    }

    /// Whether an entry for `self` speaks to `reader` (`User` or `Developer`).
    pub fn serves(self, reader: Audience) -> bool {
        self == Audience::Both || self == reader
    }
}

/// How well the cause of a message is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CauseBasis {
    /// Alipay's own documentation or tables say so.
    Documented,
    /// Several independent reports agree.
    Reported,
    /// A single report: shown as "one reported case", never as the answer.
    OneReport,
}

impl CauseBasis {
    /// The name used in catalog files and JSON.
    pub fn name(self) -> &'static str {
        match self {
            CauseBasis::Documented => "documented",
            CauseBasis::Reported => "reported",
            CauseBasis::OneReport => "one_report",
        }
    }
}

/// A less likely cause of a message, and how to tell that it is this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OtherCause {
    /// The cause.
    pub cause: String,
    /// How a person can tell that it is this cause.
    pub tell: String,
    /// What to do in that case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<String>,
    /// Where this cause was reported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// The English texts of an entry. They may use the templates' slot names: `{days}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Texts {
    /// A faithful translation of the message.
    pub translation: String,
    /// Why it most likely happened.
    pub cause: String,
    /// What to do, most useful first.
    pub fixes: Vec<String>,
    /// What to check before trying again, where money may already have moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before_retry: Option<String>,
    /// How well the cause is known.
    pub cause_basis: CauseBasis,
    /// Less likely causes, each with how to tell it is this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_causes: Vec<OtherCause>,
}

/// What a reader can do about a message besides its fixes: who must act, whether trying
/// again helps, and a sentence to show staff. An [`Entry`] and each [`Match`](crate::Match)
/// of it carry the same one.
///
/// ```
/// use alipay_explain::{Explainer, Retry};
///
/// let m = &Explainer::new()?.explain("系统繁忙，请稍后再试").matches[0];
/// assert_eq!(m.id, "system.busy_try_later");
/// assert_eq!(m.handling.retry, Some(Retry::Later));
/// # Ok::<(), alipay_explain::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Handling {
    /// Who must act.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    /// Whether trying again helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<Retry>,
    /// A sentence to show staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ask: Option<Ask>,
}

/// One known message: its templates and what to say about it.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Entry {
    /// Stable, unique, dotted id: `bank_card.verification_failed_wait`.
    pub id: String,
    /// The area it belongs to.
    pub category: Category,
    /// The templates, as written in the catalog.
    pub zh: Vec<String>,
    /// The English texts.
    pub en: Texts,
    /// Codes Alipay prints with or instead of the text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    /// Who acts, whether trying again helps, the sentence for staff (in JSON, three
    /// fields of the entry's own).
    #[serde(flatten)]
    pub handling: Handling,
    /// Where the message was seen.
    pub sources: Vec<String>,
    /// Who the entry speaks to (from the file, or by default `developer` for category
    /// `api` and `user` otherwise).
    pub audience: Audience,
    /// The wordings Alipay's English interface shows for the same message, as seen in a
    /// source; a paste of one finds the entry.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub en_ui: Vec<String>,
    /// When the advice was reported, where the source is dated (`2015`, `2019-06`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<String>,
    /// For a situation (a problem with no message text of its own, such as a bank missing
    /// from a list): how people describe it. Entries with messages may have one too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub situation: Option<Situation>,
    /// The ids of the contact routes (hotline, online service, the bank's counter) the
    /// fixes rely on; see [`Contact`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<String>,
    /// The file the entry came from (`builtin:payment.json` for the embedded catalog).
    pub origin: String,
    #[serde(skip)]
    pub(crate) templates: Vec<Template>,
    /// Where the entry's id is in its file, for errors found after loading.
    #[serde(skip)]
    pub(crate) pos: position::Pos,
}

impl Entry {
    /// Where the entry is defined: `file:line:column`.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.origin, self.pos.0, self.pos.1)
    }
}

/// How people describe a problem that has no message text of its own (or the problem
/// behind a message, in their words): the English a reader writes, and the Chinese screen
/// labels where they get stuck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Situation {
    /// English descriptions, as people write the problem.
    pub describes: Vec<String>,
    /// Chinese labels of the screens where people get stuck (添加银行卡).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels_zh: Vec<String>,
}

/// A way to reach someone who can help: Alipay's hotline, its online service, the bank's
/// counter. Written once in a catalog file's `contacts` and referenced by entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Contact {
    /// Stable id, referenced by entries' `contacts`: `alipay_hotline`.
    pub id: String,
    /// What it is: "Alipay customer service hotline 95188".
    pub name: String,
    /// How to use it, and what to have ready.
    pub how: String,
    /// Where the route was given.
    pub sources: Vec<String>,
    /// When the source gave it, where dated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<String>,
    /// Where in the sources the route is given (for maintainers).
    #[serde(default, skip_serializing)]
    pub evidence: Option<String>,
}
