//! Game data loading: any files give a catalog or `file:line` problems, never a panic.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use starmine::game_data::{format_duration, load_dir, parse_duration, summary};
use tempfile::TempDir;

use super::config;

// Game data loading.

const GAME_DATA_NAMES: [&str; 5] = ["items.toml", "loot.toml", "settings.toml", "extra.toml", "notes.txt"];

pub(super) fn read_game_data(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    ["items.toml", "loot.toml", "settings.toml"]
        .into_iter()
        .map(|name| (name.to_owned(), std::fs::read(dir.join(name)).expect("read game data")))
        .collect()
}

/// The lines an editor shows for `bytes`; an empty file has one.
fn line_count(bytes: &[u8]) -> usize {
    let newlines = bytes.iter().filter(|&&byte| byte == b'\n').count();
    if bytes.last().is_none_or(|&last| last != b'\n') {
        newlines + 1
    } else {
        newlines
    }
}

fn write_dir(files: &BTreeMap<String, Vec<u8>>) -> TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("write game data");
    }
    dir
}

/// Writes `files` to a fresh directory and checks what `load_dir` makes of it.
fn check_load(files: &BTreeMap<String, Vec<u8>>) -> Result<(), TestCaseError> {
    let dir = write_dir(files);
    let loaded = load_dir(dir.path());
    match &loaded {
        Ok(catalog) => {
            prop_assert!(files.contains_key("items.toml") && files.contains_key("loot.toml"));
            let line = summary(catalog);
            prop_assert!(line.starts_with("game_data: ") && !line.contains(['\n', '\r']), "{line}");
        }
        Err(problems) => {
            prop_assert!(!problems.is_empty(), "refused without a problem");
            for problem in problems {
                let name = problem.file.strip_prefix(dir.path()).ok().and_then(Path::to_str);
                let lines = match name.and_then(|name| files.get(name)) {
                    Some(bytes) => line_count(bytes),
                    None => {
                        prop_assert!(matches!(name, Some("items.toml" | "loot.toml")), "{problem}");
                        1
                    }
                };
                prop_assert!((1..=lines).contains(&problem.line), "{problem}, but the file has {lines} lines");
            }
            let order: Vec<_> = problems.iter().map(|problem| (&problem.file, problem.line)).collect();
            prop_assert!(order.is_sorted(), "problems out of order: {problems:?}");
        }
    }
    let again = load_dir(dir.path());
    prop_assert_eq!(loaded.map(|catalog| summary(&catalog)), again.map(|catalog| summary(&catalog)));
    Ok(())
}

/// Designer files of any content, TOML-looking or not, under the names `load_dir` reads or not.
fn arbitrary_files() -> impl Strategy<Value = BTreeMap<String, Vec<u8>>> {
    let bytes = prop_oneof![
        vec(any::<u8>(), 0..256),
        "[a-z_\\[\\]=\"' .0-9#{},\n]{0,300}".prop_map(String::into_bytes),
        any::<String>().prop_map(String::into_bytes),
    ];
    btree_map(proptest::sample::select(&GAME_DATA_NAMES[..]).prop_map(str::to_owned), bytes, 0..5)
}

/// One edit of a real designer file: whole lines deleted, duplicated, swapped or cut short, a
/// byte flipped (possibly out of UTF-8), or the file removed.
#[derive(Clone, Debug)]
enum FileEdit {
    DeleteLine(Index, Index),
    DuplicateLine(Index, Index),
    SwapLines(Index, Index, Index),
    TruncateLine(Index, Index, Index),
    FlipByte(Index, Index, u8),
    Remove(Index),
}

fn file_edit() -> impl Strategy<Value = FileEdit> {
    prop_oneof![
        3 => (any::<Index>(), any::<Index>()).prop_map(|(file, line)| FileEdit::DeleteLine(file, line)),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(file, line)| FileEdit::DuplicateLine(file, line)),
        2 => (any::<Index>(), any::<Index>(), any::<Index>()).prop_map(|(file, a, b)| FileEdit::SwapLines(file, a, b)),
        2 => (any::<Index>(), any::<Index>(), any::<Index>()).prop_map(|(file, line, at)| FileEdit::TruncateLine(file, line, at)),
        3 => (any::<Index>(), any::<Index>(), 1..=255u8).prop_map(|(file, at, mask)| FileEdit::FlipByte(file, at, mask)),
        1 => any::<Index>().prop_map(FileEdit::Remove),
    ]
}

impl FileEdit {
    fn apply(&self, files: &mut BTreeMap<String, Vec<u8>>) {
        let (Self::DeleteLine(file, ..)
        | Self::DuplicateLine(file, ..)
        | Self::SwapLines(file, ..)
        | Self::TruncateLine(file, ..)
        | Self::FlipByte(file, ..)
        | Self::Remove(file)) = self;
        if files.is_empty() {
            return;
        }
        let name = files.keys().nth(file.index(files.len())).expect("a file").clone();
        if let Self::Remove(_) = self {
            files.remove(&name);
            return;
        }
        let bytes = files.get_mut(&name).expect("a file");
        if bytes.is_empty() {
            return;
        }
        let mut lines: Vec<Vec<u8>> = bytes.split_inclusive(|&byte| byte == b'\n').map(<[u8]>::to_vec).collect();
        let count = lines.len();
        match *self {
            Self::DeleteLine(_, line) => {
                lines.remove(line.index(count));
            }
            Self::DuplicateLine(_, line) => {
                let copy = lines[line.index(count)].clone();
                lines.insert(line.index(count), copy);
            }
            Self::SwapLines(_, a, b) => lines.swap(a.index(count), b.index(count)),
            Self::TruncateLine(_, line, at) => {
                let line = &mut lines[line.index(count)];
                line.truncate(at.index(line.len()));
            }
            Self::FlipByte(_, at, mask) => {
                let at = at.index(bytes.len());
                bytes[at] ^= mask;
                return;
            }
            Self::Remove(_) => unreachable!("handled above"),
        }
        *bytes = lines.concat();
    }
}

/// The shipped game data or the test fixture, with 1 to 6 edits.
fn edited_real_files() -> impl Strategy<Value = BTreeMap<String, Vec<u8>>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = [read_game_data(&root.join("game_data")), read_game_data(&root.join("tests/fixtures/game_data"))];
    (proptest::sample::select(sources.to_vec()), vec(file_edit(), 1..=6)).prop_map(|(mut files, edits)| {
        for edit in &edits {
            edit.apply(&mut files);
        }
        files
    })
}

#[test]
fn the_real_game_data_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [root.join("game_data"), root.join("tests/fixtures/game_data")] {
        let catalog = load_dir(&dir).unwrap_or_else(|problems| panic!("{}: {problems:?}", dir.display()));
        assert!(!summary(&catalog).contains('\n'));
    }
}

/// What `parse_duration` should accept, from its documentation: whole numbers each followed by
/// d, h, m or s, units from largest to smallest and each at most once, more than zero and at most
/// 365 days in all. Returns the seconds.
fn expected_duration(text: &str) -> Option<u64> {
    const UNITS: [(u8, u128); 4] = [(b'd', 86_400), (b'h', 3_600), (b'm', 60), (b's', 1)];
    let bytes = text.as_bytes();
    let (mut at, mut next_unit, mut total) = (0, 0, 0u128);
    if bytes.is_empty() {
        return None;
    }
    while at < bytes.len() {
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_digit() {
            at += 1;
        }
        let unit = UNITS.iter().position(|&(name, _)| Some(&name) == bytes.get(at))?;
        if at == start || unit < next_unit {
            return None;
        }
        // More than 12 significant digits is more than 365 days in any unit.
        let digits = text[start..at].trim_start_matches('0');
        if digits.len() > 12 {
            return None;
        }
        total += digits.parse::<u128>().unwrap_or(0) * UNITS[unit].1;
        next_unit = unit + 1;
        at += 1;
    }
    u64::try_from(total).ok().filter(|&seconds| (1..=365 * 86_400).contains(&seconds))
}

fn duration_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9dhms]{0,10}",
        "(0{0,3}[0-9]{1,4}[dhms]){1,4}",
        "[0-9]{6,24}[dhms]",
        // Around the 365-day cap, in each unit.
        "36[0-9]d|87[56][0-9]h|525[0-9]{3}m|315[0-9]{5}s|365d[0-9]{1,2}s|364d2[34]h",
        "[0-9]{1,3}[dhmsDHMS x.\\-⭐]{1,2}[0-9]{0,3}",
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_game_data_is_refused_or_loaded_with_problems_on_real_lines(files in arbitrary_files()) {
        check_load(&files)?;
    }

    #[test]
    fn edited_real_game_data_is_refused_or_loaded_with_problems_on_real_lines(files in edited_real_files()) {
        check_load(&files)?;
    }
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn durations_parse_exactly_their_grammar_and_round_trip(text in duration_text()) {
        let parsed = parse_duration(&text);
        prop_assert_eq!(parsed.as_ref().ok().map(Duration::as_secs), expected_duration(&text), "{:?}", parsed);
        if let Ok(duration) = parsed {
            prop_assert_eq!(parse_duration(&format_duration(duration)), Ok(duration));
        }
    }

    #[test]
    fn every_allowed_duration_prints_as_text_that_parses_back(seconds in 1..=365 * 86_400u64) {
        let text = format_duration(Duration::from_secs(seconds));
        prop_assert_eq!(parse_duration(&text), Ok(Duration::from_secs(seconds)), "{}", text);
    }
}
