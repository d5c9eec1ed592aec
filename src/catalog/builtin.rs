/*!
The embedded catalog and glossary: the files of `data/`, compiled into the binary so the
tool runs with no files beside it. `tests/catalog.rs` checks that these lists name exactly
the files in `data/catalog/` and `data/glossary/`.
*/

macro_rules! data_files {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/", $dir, "/", $name)))),*]
    };
}

/// (file name, contents) of every catalog file, one per category.
pub(crate) const BUILTIN_CATALOG: &[(&str, &str)] = data_files!("catalog":
    "account.json",
    "api.json",
    "bank_card.json",
    "international.json",
    "login.json",
    "payment.json",
    "registration.json",
    "risk_control.json",
    "status.json",
    "system.json",
    "topup.json",
    "transfer.json",
    "verification.json",
);

/// (file name, contents) of every glossary file.
pub(crate) const BUILTIN_GLOSSARY: &[(&str, &str)] = data_files!("glossary":
    "account.json",
    "api.json",
    "bank.json",
    "messages.json",
    "payment.json",
    "ui.json",
    "verification.json",
);
