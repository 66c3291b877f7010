//! Every `t!` in the code names a message English has, with exactly its placeholders; every
//! language has English's messages (`check::problems`); the translations are translations.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::check::messages;
use super::{duration, format, Lang, FILES};

/// One `t!(lang, "id", name = value, ...)` in the code: its id and argument names.
#[derive(Debug)]
struct Use {
    place: String,
    id: String,
    args: BTreeSet<String>,
}

/// The arguments of a macro call starting right after its `(`, split at top-level commas,
/// up to its closing `)`.
fn call_arguments(source: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let (mut depth, mut in_string, mut escaped) = (0i32, false, false);
    for c in source.chars() {
        if in_string {
            parts.last_mut().unwrap().push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        parts.last_mut().unwrap().push(c);
    }
    parts.into_iter().map(|part| part.trim().to_owned()).filter(|part| !part.is_empty()).collect()
}

fn uses_in(file: &str, source: &str, into: &mut Vec<Use>) {
    for (at, _) in source.match_indices("t!(") {
        if source[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let line_start = source[..at].rfind('\n').map_or(0, |newline| newline + 1);
        if source[line_start..at].trim_start().starts_with("//") {
            continue; // prose in a comment
        }
        let line = 1 + source[..at].matches('\n').count();
        let arguments = call_arguments(&source[at + 3..]);
        let Some(id) = arguments.get(1).and_then(|id| id.strip_prefix('"')).and_then(|id| id.strip_suffix('"')) else {
            continue; // the macro's own definition
        };
        let args = arguments[2..]
            .iter()
            .filter_map(|arg| arg.split_once('=').map(|(name, _)| name.trim().to_owned()))
            .collect();
        into.push(Use { place: format!("{file}:{line}"), id: id.to_owned(), args });
    }
}

fn rust_files(dir: &Path, into: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            into.push(path);
        }
    }
}

fn every_use() -> Vec<Use> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut uses = Vec::new();
    for path in files {
        let file = path.strip_prefix(&src).unwrap().display().to_string();
        if file == "i18n/tests.rs" {
            continue;
        }
        uses_in(&file, &std::fs::read_to_string(&path).unwrap(), &mut uses);
    }
    uses
}

/// Every message of a language, over its files.
fn all_messages(lang: Lang) -> BTreeMap<String, super::check::Message> {
    let files = FILES.iter().find(|files| files.lang == lang).unwrap();
    files.files.iter().flat_map(|(_, text)| messages(text).0).collect()
}

#[test]
fn every_message_the_code_uses_exists_with_its_placeholders() {
    let uses = every_use();
    assert!(uses.len() > 100, "found the uses of t!: {}", uses.len());
    let english = all_messages(Lang::En);
    let mut wrong = Vec::new();
    for used in &uses {
        match english.get(&used.id) {
            None => wrong.push(format!("{}: no message `{}`", used.place, used.id)),
            Some(message) if message.variables != used.args => wrong.push(format!(
                "{}: `{}` is given {:?} but uses {:?}",
                used.place, used.id, used.args, message.variables
            )),
            Some(_) => {}
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // And the other way round: no chat message is left unused (the page's are checked below).
    let used: BTreeSet<&str> = uses.iter().map(|used| used.id.as_str()).collect();
    let chat_files = [0, 2, 3].map(|index| FILES[0].files[index].1);
    let chat: BTreeSet<String> = chat_files.iter().flat_map(|text| messages(text).0.into_keys()).collect();
    let unused: Vec<&String> = chat.iter().filter(|id| !used.contains(id.as_str())).collect();
    assert!(unused.is_empty(), "messages no code uses: {unused:?}");
}

/// The quoted keys after each `needle` in `text`: `data-text="page-play"`, `say('page-buy'`.
fn keys_after(text: &str, needle: &str) -> Vec<String> {
    text.match_indices(needle)
        .filter_map(|(at, _)| {
            let rest = &text[at + needle.len()..];
            let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            rest[1..].split(quote).next().map(str::to_owned)
        })
        .collect()
}

/// The game page names its words by key (`data-text` in index.html, `say(...)` in its
/// scripts); every key is a fixed message of game.ftl, and every message of game.ftl is shown —
/// by key, or formatted by the server (`t!`) when it takes placeholders.
#[test]
fn the_game_page_uses_exactly_the_messages_of_game_ftl() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/game");
    let mut keys = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        keys.extend(keys_after(&text, "data-text="));
        keys.extend(keys_after(&text, "data-aria-text="));
        keys.extend(keys_after(&text, "say("));
    }
    assert!(keys.len() > 30, "{keys:?}");
    let (page, _) = messages(FILES[0].files[1].1);
    let fixed: BTreeSet<&String> =
        page.iter().filter(|(_, message)| message.variables.is_empty()).map(|(id, _)| id).collect();
    let missing: Vec<&String> = keys.iter().filter(|key| !fixed.contains(key)).collect();
    assert!(missing.is_empty(), "keys the page uses that game.ftl lacks (or that take placeholders): {missing:?}");
    let formatted: BTreeSet<String> = every_use().into_iter().map(|used| used.id).collect();
    let unused: Vec<&String> = page.keys().filter(|key| !keys.contains(*key) && !formatted.contains(*key)).collect();
    assert!(unused.is_empty(), "game.ftl messages the page never shows: {unused:?}");
    for lang in Lang::ALL {
        let texts = super::page_texts(lang);
        assert_eq!(texts.len(), fixed.len(), "{}", lang.code());
        assert!(texts.values().all(|text| !text.contains('{')), "formatted: {texts:?}");
    }
    assert_eq!(super::page_texts(Lang::Ru)["page-play"], "Играть");
}

#[test]
fn the_scanner_reads_ids_and_argument_names() {
    let mut uses = Vec::new();
    uses_in("x.rs", "let a = t!(lang, \"receipt\", item = f(a, b), amount = 5,\n);\nfoo!(bar)", &mut uses);
    assert_eq!(uses.len(), 1);
    assert_eq!(uses[0].id, "receipt");
    assert_eq!(uses[0].args, BTreeSet::from(["item".to_owned(), "amount".to_owned()]));
}

#[test]
fn translations_are_not_copies_of_english() {
    let english = all_messages(Lang::En);
    for lang in [Lang::Ru, Lang::Fa] {
        let mut same = Vec::new();
        let mut args = super::Args::new();
        for (id, message) in &english {
            for name in &message.variables {
                args.set(name.clone(), 7);
            }
            let text = format(Lang::En, id, &args);
            // Texts of emoji, numbers and placeholders only may be the same in every language.
            let has_words = text.chars().any(char::is_alphabetic);
            if has_words && format(lang, id, &args) == text {
                same.push(id.clone());
            }
        }
        assert!(same.is_empty(), "{} copies English in: {same:?}", lang.code());
    }
}

#[test]
fn plurals_follow_each_language() {
    let gems = |lang, n: u64| {
        let mut args = super::Args::new();
        args.set("n", n);
        format(lang, "count-gems", &args)
    };
    assert_eq!(gems(Lang::En, 1), "1 gem");
    assert_eq!(gems(Lang::En, 1500), "1,500 gems");
    assert_eq!(gems(Lang::Ru, 1), "1 самоцвет");
    assert_eq!(gems(Lang::Ru, 3), "3 самоцвета");
    assert_eq!(gems(Lang::Ru, 5), "5 самоцветов");
    assert_eq!(gems(Lang::Ru, 21), "21 самоцвет");
    assert_eq!(gems(Lang::Ru, 12), "12 самоцветов");
    assert_eq!(gems(Lang::Ru, 1500), "1\u{a0}500 самоцветов");
    assert!(gems(Lang::Fa, 3).contains('۳'), "{}", gems(Lang::Fa, 3));
}

#[test]
fn multipliers_are_not_grouped() {
    let mut args = super::Args::new();
    args.set("x", 1000.0);
    assert_eq!(format(Lang::En, "multiplier", &args), "×1000");
    args.set("x", 1.5);
    assert_eq!(format(Lang::Ru, "multiplier", &args), "×1,5");
}

#[test]
fn durations_in_each_language() {
    let span = std::time::Duration::from_secs(5400);
    assert_eq!(duration(Lang::En, span), "1h30m");
    assert_eq!(duration(Lang::Ru, span), "1 ч 30 мин");
    assert_eq!(duration(Lang::En, std::time::Duration::from_secs(48 * 3600)), "48h");
}
