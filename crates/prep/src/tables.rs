/*!
The matching tables of a catalog, and of a glossary: one representation for the embedded
ones (written by `build.rs` as statics) and for a user's files (built at load time), made by
one function each ([`Tables::build`], [`WordTable::build`]).

Strings are spans of one text per table rather than `&str`s or `String`s, so the embedded
tables are plain data: no relocations when the program starts (10k of them cost about 0.4 ms
of page faults), and no parsing. [`Tables::to_rust`] and [`WordTable::to_rust`] write a table
as a Rust expression for `build.rs`.
*/

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::normalize;
use crate::prepare;
use crate::template::Template;

/// A byte range of a table's text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

/// One template of a catalog, prepared.
#[derive(Debug, Clone, Copy)]
pub struct TemplateRow {
    /// The entry's position in its catalog.
    pub entry: u32,
    /// Which of the entry's templates.
    pub nth: u32,
    /// See [`prepare::signature`].
    pub signature: Span,
    /// How many distinct bigrams the template has.
    pub bigrams: u32,
    /// The gate words of an English template, space-separated (see
    /// [`prepare::gate_words`]); empty for the others.
    pub gate: Span,
}

/// A key and what it leads to: for an anchor, a template (index into
/// [`Tables::templates`]); for a code, an entry.
#[derive(Debug, Clone, Copy)]
pub struct Keyed {
    /// The key (see [`normalize::key`]).
    pub key: Span,
    /// The template or entry.
    pub target: u32,
}

/// A bigram of a template (see [`prepare::bigrams`]).
#[derive(Debug, Clone, Copy)]
pub struct Gram {
    /// Two key characters as one number ([`prepare::bigram`]).
    pub gram: u64,
    /// Index into [`Tables::templates`].
    pub template: u32,
}

/// What the matcher needs of a catalog, prepared once.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    /// The strings the spans refer to.
    pub text: Cow<'static, str>,
    /// Every template, entry by entry.
    pub templates: Cow<'static, [TemplateRow]>,
    /// (anchor key, template) of every template, sorted by key (see [`prepare::anchor`]).
    pub anchors: Cow<'static, [Keyed]>,
    /// (code key, entry) of every code, sorted by key.
    pub codes: Cow<'static, [Keyed]>,
    /// (bigram, template), sorted.
    pub bigrams: Cow<'static, [Gram]>,
}

/// One entry as [`Tables::build`] sees it: its codes and its parsed templates.
#[derive(Debug, Clone, Copy)]
pub struct EntryParts<'a> {
    /// The codes, as written.
    pub codes: &'a [String],
    /// The templates, parsed.
    pub templates: &'a [Template],
}

/// Appends `s` to `text` and returns its span.
fn put(text: &mut String, s: &str) -> Span {
    let start = text.len() as u32;
    text.push_str(s);
    Span {
        start,
        end: text.len() as u32,
    }
}

impl Tables {
    /// The tables of a catalog's entries, in catalog order: the one function that prepares
    /// both the embedded catalog (at build time) and a user's (at load time).
    ///
    /// # Examples
    ///
    /// ```
    /// use alipay_explain_prep::tables::{EntryParts, Tables};
    /// use alipay_explain_prep::template::Template;
    ///
    /// let t = [Template::parse("系统繁忙，请稍后再试({code})").unwrap()];
    /// let codes = ["ALIN10146".to_owned()];
    /// let tables = Tables::build([EntryParts { codes: &codes, templates: &t }]);
    /// assert_eq!(tables.anchor(0), ("系统繁忙请稍后再试", 0));
    /// assert_eq!(tables.code(0), ("alin10146", 0));
    /// ```
    pub fn build<'a>(entries: impl IntoIterator<Item = EntryParts<'a>>) -> Tables {
        let mut text = String::new();
        let mut templates = Vec::new();
        let mut anchors: Vec<(String, u32)> = Vec::new();
        let mut codes: Vec<(String, u32)> = Vec::new();
        let mut bigrams: Vec<Gram> = Vec::new();
        for (entry, e) in entries.into_iter().enumerate() {
            let entry = entry as u32;
            codes.extend(e.codes.iter().map(|c| (normalize::key(c), entry)));
            for (nth, t) in e.templates.iter().enumerate() {
                let ti = templates.len() as u32;
                let grams = prepare::bigrams(t);
                let anchor = prepare::anchor(t);
                let gate = if anchor.is_ascii() {
                    prepare::gate_words(t).join(" ")
                } else {
                    String::new()
                };
                templates.push(TemplateRow {
                    entry,
                    nth: nth as u32,
                    signature: put(&mut text, &prepare::signature(t)),
                    bigrams: grams.len() as u32,
                    gate: put(&mut text, &gate),
                });
                anchors.push((anchor.to_owned(), ti));
                bigrams.extend(grams.into_iter().map(|gram| Gram { gram, template: ti }));
            }
        }
        anchors.sort();
        codes.sort();
        bigrams.sort_unstable_by_key(|g| (g.gram, g.template));
        let mut keyed = |list: Vec<(String, u32)>| -> Vec<Keyed> {
            list.into_iter()
                .map(|(k, target)| Keyed {
                    key: put(&mut text, &k),
                    target,
                })
                .collect()
        };
        let anchors = keyed(anchors);
        let codes = keyed(codes);
        Tables {
            text: Cow::Owned(text),
            templates: Cow::Owned(templates),
            anchors: Cow::Owned(anchors),
            codes: Cow::Owned(codes),
            bigrams: Cow::Owned(bigrams),
        }
    }

    /// The text of a span ("" for a span outside the text).
    pub fn text(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// Anchor `i`: its key and template.
    pub fn anchor(&self, i: usize) -> (&str, u32) {
        let a = self.anchors[i];
        (self.text(a.key), a.target)
    }

    /// Code `i`: its key and entry.
    pub fn code(&self, i: usize) -> (&str, u32) {
        let c = self.codes[i];
        (self.text(c.key), c.target)
    }

    /// The gate words of template `ti` (see [`prepare::gate_words`]); none for a template
    /// that is not English.
    pub fn gate_words(&self, ti: u32) -> impl Iterator<Item = &str> {
        let gate = self
            .templates
            .get(ti as usize)
            .map_or("", |t| self.text(t.gate));
        gate.split(' ').filter(|w| !w.is_empty())
    }

    /// The anchors whose key starts with `prefix`, as a range of anchor indices.
    pub fn anchors_starting_with(&self, prefix: &str) -> std::ops::Range<usize> {
        let lo = self.anchors.partition_point(|a| self.text(a.key) < prefix);
        let n = self.anchors[lo..]
            .iter()
            .take_while(|a| self.text(a.key).starts_with(prefix))
            .count();
        lo..lo + n
    }

    /// The tables as a Rust expression of type `Tables` (for `build.rs`), with this crate
    /// named `krate`.
    pub fn to_rust(&self, krate: &str) -> String {
        let mut s = format!("{krate}::tables::Tables {{\n    text: ::std::borrow::Cow::Borrowed({:?}),\n    templates: ::std::borrow::Cow::Borrowed(&[\n", self.text);
        for t in self.templates.iter() {
            let _ = writeln!(
                s,
                "        {krate}::tables::TemplateRow {{ entry: {}, nth: {}, signature: {}, bigrams: {}, gate: {} }},",
                t.entry, t.nth, span(krate, t.signature), t.bigrams, span(krate, t.gate)
            );
        }
        for (name, list) in [("anchors", &self.anchors), ("codes", &self.codes)] {
            let _ = writeln!(s, "    ]),\n    {name}: ::std::borrow::Cow::Borrowed(&[");
            for k in list.iter() {
                let _ = writeln!(
                    s,
                    "        {krate}::tables::Keyed {{ key: {}, target: {} }},",
                    span(krate, k.key),
                    k.target
                );
            }
        }
        s.push_str("    ]),\n    bigrams: ::std::borrow::Cow::Borrowed(&[\n");
        for g in self.bigrams.iter() {
            let _ = writeln!(
                s,
                "        {krate}::tables::Gram {{ gram: {}, template: {} }},",
                g.gram, g.template
            );
        }
        s.push_str("    ]),\n}");
        s
    }
}

fn span(krate: &str, s: Span) -> String {
    format!(
        "{krate}::tables::Span {{ start: {}, end: {} }}",
        s.start, s.end
    )
}

/// One glossary word: spans of [`WordTable::text`].
#[derive(Debug, Clone, Copy)]
pub struct WordRow {
    /// The word.
    pub zh: Span,
    /// Its pinyin.
    pub pinyin: Span,
    /// Its English.
    pub en: Span,
}

/// A glossary's words, sorted: the one representation of the embedded glossary and of one
/// loaded from files.
#[derive(Debug, Clone, Default)]
pub struct WordTable {
    /// The strings the spans refer to.
    pub text: Cow<'static, str>,
    /// The words, sorted by their Chinese form.
    pub words: Cow<'static, [WordRow]>,
    /// The longest word, in characters.
    pub longest: usize,
}

/// A glossary word given twice: the positions (in the input order) of both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DuplicateWord {
    /// Where it was given first.
    pub first: usize,
    /// Where it was given again.
    pub again: usize,
}

impl WordTable {
    /// The table of these words, (Chinese, pinyin, English) each; a word may be given only
    /// once.
    ///
    /// # Errors
    ///
    /// The first word given twice, as positions in `words`.
    ///
    /// # Examples
    ///
    /// ```
    /// use alipay_explain_prep::tables::WordTable;
    ///
    /// let t = WordTable::build([("银行卡", "yínháng kǎ", "bank card"), ("提示", "tíshì", "notice")]).unwrap();
    /// assert_eq!(t.get("银行卡"), Some(("yínháng kǎ", "bank card")));
    /// assert!(WordTable::build([("提示", "a", "b"), ("提示", "c", "d")]).is_err());
    /// ```
    pub fn build<'a>(
        words: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Result<WordTable, DuplicateWord> {
        let mut list: Vec<(usize, (&str, &str, &str))> = words.into_iter().enumerate().collect();
        list.sort_by(|a, b| a.1 .0.cmp(b.1 .0).then(a.0.cmp(&b.0)));
        if let Some(w) = list.windows(2).find(|w| w[0].1 .0 == w[1].1 .0) {
            return Err(DuplicateWord {
                first: w[0].0,
                again: w[1].0,
            });
        }
        let mut text = String::new();
        let rows = list
            .iter()
            .map(|(_, (zh, pinyin, en))| WordRow {
                zh: put(&mut text, zh),
                pinyin: put(&mut text, pinyin),
                en: put(&mut text, en),
            })
            .collect();
        Ok(WordTable {
            longest: list
                .iter()
                .map(|w| w.1 .0.chars().count())
                .max()
                .unwrap_or(0),
            text: Cow::Owned(text),
            words: Cow::Owned(rows),
        })
    }

    fn span_text(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// The pinyin and English of `word`, if the table has it.
    pub fn get(&self, word: &str) -> Option<(&str, &str)> {
        let i = self
            .words
            .binary_search_by(|w| self.span_text(w.zh).cmp(word))
            .ok()?;
        let w = self.words[i];
        Some((self.span_text(w.pinyin), self.span_text(w.en)))
    }

    /// Every word, sorted.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|w| self.span_text(w.zh))
    }

    /// The table as a Rust expression of type `WordTable` (for `build.rs`), with this crate
    /// named `krate`.
    pub fn to_rust(&self, krate: &str) -> String {
        let mut s = format!("{krate}::tables::WordTable {{\n    text: ::std::borrow::Cow::Borrowed({:?}),\n    longest: {},\n    words: ::std::borrow::Cow::Borrowed(&[\n", self.text, self.longest);
        for w in self.words.iter() {
            let _ = writeln!(
                s,
                "        {krate}::tables::WordRow {{ zh: {}, pinyin: {}, en: {} }},",
                span(krate, w.zh),
                span(krate, w.pinyin),
                span(krate, w.en)
            );
        }
        s.push_str("    ]),\n}");
        s
    }
}
