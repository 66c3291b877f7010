//! Player texts in every shipped language: the Fluent files in `assets/i18n/<lang>/`, built into
//! the binary, formatted with plurals (CLDR rules per language) and numbers as each language
//! writes them (`1,500` / `1 500` / `۱٬۵۰۰`).
//!
//! Callers never name a message by a bare string: each text has a typed function (the chat's in
//! `telegram::texts`, the game page's in `http`), and those use [`t!`] with a literal id and
//! named arguments. `check.rs` holds every language to English (same messages, same
//! placeholders), and a unit test holds every `t!` in the code to the files.

pub mod check;
mod numbers;

use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::Duration;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

pub use crate::domain::Lang;
pub use fluent_bundle::FluentArgs as Args;

/// The Fluent files of one language, as built into the binary.
pub struct Files {
    pub lang: Lang,
    /// `(path under assets/i18n, text)`: the chat's messages, the game page's, then the chat's
    /// messages about the Miner's Pass and about gifts (files of their own, so each feature's
    /// texts stay together).
    pub files: [(&'static str, &'static str); 4],
}

macro_rules! files {
    ($lang:expr, $code:literal) => {
        Files {
            lang: $lang,
            files: [
                (concat!($code, "/starmine.ftl"), include_str!(concat!("../../assets/i18n/", $code, "/starmine.ftl"))),
                (concat!($code, "/game.ftl"), include_str!(concat!("../../assets/i18n/", $code, "/game.ftl"))),
                (concat!($code, "/pass.ftl"), include_str!(concat!("../../assets/i18n/", $code, "/pass.ftl"))),
                (concat!($code, "/gifts.ftl"), include_str!(concat!("../../assets/i18n/", $code, "/gifts.ftl"))),
            ],
        }
    };
}

/// Every shipped language's files, in [`Lang::ALL`]'s order.
pub static FILES: [Files; 3] = [files!(Lang::En, "en"), files!(Lang::Ru, "ru"), files!(Lang::Fa, "fa")];

static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> = LazyLock::new(|| FILES.iter().map(bundle).collect());

fn bundle(files: &Files) -> FluentBundle<FluentResource> {
    let id = files.lang.code().parse().expect("a shipped language's code is a language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks only where a text runs right to left: there they keep an English
    // item name or a number from reordering the sentence; in LTR chat they are only noise.
    bundle.set_use_isolating(files.lang.is_rtl());
    // A plain fn per language: Fluent's formatter takes no closure.
    let formatter: fn(&fluent_bundle::FluentValue<'_>, &_) -> Option<String> = match files.lang {
        Lang::En => |value, _| numbers::number_value(Lang::En, value),
        Lang::Ru => |value, _| numbers::number_value(Lang::Ru, value),
        Lang::Fa => |value, _| numbers::number_value(Lang::Fa, value),
    };
    bundle.set_formatter(Some(formatter));
    bundle.add_builtins().expect("NUMBER is not defined twice");
    for (path, text) in files.files {
        // A file that does not parse, or a message defined twice, fails the unit tests
        // (`check::problems`); what parsed is still used.
        let resource = FluentResource::try_new(text.to_owned()).unwrap_or_else(|(resource, _)| resource);
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(path, ?errors, "a Fluent file has errors");
        }
    }
    bundle
}

/// The message `id` in `lang` with `args`; English when `lang` lacks it, the id itself when
/// English lacks it too (the unit tests make sure neither happens).
pub fn format(lang: Lang, id: &str, args: &FluentArgs<'_>) -> String {
    for lang in [lang, Lang::En] {
        let bundle = &BUNDLES[index(lang)];
        let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(lang = lang.code(), id, ?errors, "a text was formatted with errors");
        }
        return text.into_owned();
    }
    tracing::error!(id, "no such message in any language");
    id.to_owned()
}

fn index(lang: Lang) -> usize {
    Lang::ALL.iter().position(|shipped| *shipped == lang).unwrap_or(0)
}

/// A shipped message with named arguments: `t!(lang, "receipt", item = name, amount = 5)`.
/// Numbers are passed as numbers (plurals and digits follow the language), everything else as
/// text.
macro_rules! t {
    ($lang:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        #[allow(unused_mut)]
        let mut args = $crate::i18n::Args::new();
        $(args.set(stringify!($name), $value);)*
        $crate::i18n::format($lang, $id, &args)
    }};
}
pub(crate) use t;

/// The game page's fixed words in `lang`: every message of `game.ftl` that takes no placeholder,
/// formatted, by id. What `GET /api/me` sends as `texts`. The messages with placeholders (counts,
/// levels) are formatted per player with [`t!`] where the API answers with those numbers.
pub fn page_texts(lang: Lang) -> &'static BTreeMap<String, String> {
    static TEXTS: LazyLock<Vec<BTreeMap<String, String>>> = LazyLock::new(|| {
        let formatted = |files: &Files| {
            let (_, game) = files.files[1];
            let messages = check::messages(game).0.into_iter();
            let fixed = messages.filter(|(_, message)| message.variables.is_empty());
            fixed
                .map(|(id, _)| {
                    let text = format(files.lang, &id, &FluentArgs::new());
                    (id, text)
                })
                .collect()
        };
        FILES.iter().map(formatted).collect()
    });
    &TEXTS[index(lang)]
}

/// A number as `lang` writes it (`25,000`, `25 000`, `۲۵٬۰۰۰`).
pub fn number(lang: Lang, value: u64) -> String {
    numbers::integer(lang, value)
}

/// A duration as `lang` writes it: `1h30m`, `1 ч 30 мин`, `۱ ساعت ۳۰ دقیقه`.
pub fn duration(lang: Lang, duration: Duration) -> String {
    let total = duration.as_secs();
    if total == 0 {
        return t!(lang, "unit-seconds", n = 0);
    }
    let parts = [(total / 3600, "unit-hours"), (total / 60 % 60, "unit-minutes"), (total % 60, "unit-seconds")];
    let words: Vec<String> = parts
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, unit)| match unit {
            "unit-hours" => t!(lang, "unit-hours", n = count),
            "unit-minutes" => t!(lang, "unit-minutes", n = count),
            _ => t!(lang, "unit-seconds", n = count),
        })
        .collect();
    words.join(separator(lang))
}

/// What joins a duration's parts: English writes `1h30m` as `format_duration` always has.
fn separator(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "",
        Lang::Ru | Lang::Fa => " ",
    }
}

#[cfg(test)]
mod tests;
