//! The languages players can read Starmine in: which ones ship, how a Telegram `language_code`
//! picks one (English when none fits) and which are written right to left. The texts themselves
//! are Fluent files (`assets/i18n/`, formatted by `crate::i18n`).

/// A shipped language. English is the default and the source every translation follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    #[default]
    En,
    Ru,
    Fa,
}

impl Lang {
    /// Every shipped language, English first.
    pub const ALL: [Self; 3] = [Self::En, Self::Ru, Self::Fa];

    /// The BCP 47 primary language subtag (`en`, `ru`, `fa`): what is stored and what Telegram sends.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ru => "ru",
            Self::Fa => "fa",
        }
    }

    /// The language a tag names (`ru`, `ru-RU`, `FA_ir`), if it is shipped.
    pub fn from_code(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        Self::ALL.into_iter().find(|lang| lang.code().eq_ignore_ascii_case(primary))
    }

    /// The language for a Telegram user's `language_code`: English when it is missing or not
    /// shipped.
    pub fn for_telegram(language_code: Option<&str>) -> Self {
        language_code.and_then(Self::from_code).unwrap_or_default()
    }

    /// The language's name in itself, as the `/language` buttons show it.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Ru => "Русский",
            Self::Fa => "فارسی",
        }
    }

    /// Whether the language is written right to left (the game page lays out `dir="rtl"`).
    pub fn is_rtl(self) -> bool {
        matches!(self, Self::Fa)
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn telegram_codes_pick_a_shipped_language_or_english() {
        for (code, expected) in [
            (Some("ru"), Lang::Ru),
            (Some("ru-RU"), Lang::Ru),
            (Some("FA_ir"), Lang::Fa),
            (Some("en-GB"), Lang::En),
            (Some("de"), Lang::En),
            (Some(""), Lang::En),
            (Some("rus"), Lang::En),
            (None, Lang::En),
        ] {
            assert_eq!(Lang::for_telegram(code), expected, "{code:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert!(Lang::Fa.is_rtl() && !Lang::Ru.is_rtl() && !Lang::En.is_rtl());
    }
}
