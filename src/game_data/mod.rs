//! Designer tables (`game_data/*.toml`) -> a validated [`Catalog`], with `file:line` problems.
//!
//! [`load_dir`] reads every `*.toml` file of a directory (`items.toml` and `loot.toml`, required;
//! `settings.toml`, `upgrades.toml` and `players.toml` — the economy lab's players —, optional) and either builds the catalog or reports every problem in every
//! file, sorted by file and line. A syntax error hides only what it may have garbled: the rest of
//! its own table (see `source::parse`). The schema and the rules are documented for designers
//! in `game_data/README.md`.

mod duration;
mod items;
mod loot;
mod players;
mod settings;
mod source;
mod table;
mod translations;
mod upgrades;

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use duration::{format_duration, parse_duration};

use crate::domain::{Catalog, Settings};
use source::FileCheck;

/// One problem in a designer file, shown as `<dir as given>/<file>:<line>: <message>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl Problem {
    fn at(file: PathBuf, line: usize, message: impl Into<String>) -> Self {
        Self { file, line, message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

pub const ITEMS_FILE: &str = "items.toml";
pub const SETTINGS_FILE: &str = "settings.toml";
pub const LOOT_FILE: &str = "loot.toml";
pub const UPGRADES_FILE: &str = "upgrades.toml";
pub const PLAYERS_FILE: &str = "players.toml";

/// What checking a game data directory found: the catalog or every problem, and the warnings
/// (missing translations), each list sorted by file and line.
#[derive(Debug)]
pub struct Checked {
    pub catalog: Result<Catalog, Vec<Problem>>,
    pub warnings: Vec<Problem>,
}

/// Loads and validates every `*.toml` in `dir`, reporting every problem found, sorted by file
/// and line. Other files are ignored.
pub fn load_dir(dir: &Path) -> Result<Catalog, Vec<Problem>> {
    check_dir(dir).catalog
}

/// Like [`load_dir`], with the warnings too (what `starmine check-data` prints).
pub fn check_dir(dir: &Path) -> Checked {
    match read_dir(dir) {
        Ok(files) => check_files(dir, files),
        Err(problems) => Checked { catalog: Err(problems), warnings: Vec::new() },
    }
}

/// The `*.toml` files of `dir`, each with its contents or why they could not be read.
#[allow(clippy::type_complexity)]
fn read_dir(dir: &Path) -> Result<Vec<(String, std::io::Result<Vec<u8>>)>, Vec<Problem>> {
    let unreadable = |error: std::io::Error| {
        let message = format!("cannot read the game data directory: {error}");
        vec![Problem::at(dir.to_path_buf(), 1, message)]
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path.extension().is_none_or(|extension| extension != "toml") || path.is_dir() {
            continue;
        }
        let Some(name) = path.file_name() else {
            continue;
        };
        files.push((name.to_string_lossy().into_owned(), fs::read(&path)));
    }
    Ok(files)
}

/// Validates the named contents of a directory's `*.toml` files; problems name `dir/<file>`.
fn check_files(dir: &Path, mut files: Vec<(String, std::io::Result<Vec<u8>>)>) -> Checked {
    files.sort_by(|(a, _), (b, _)| a.cmp(b));
    // Each problem with its byte offset, so problems on one line keep the order of the text.
    let mut found: Vec<(Problem, usize)> = Vec::new();
    let mut warnings: Vec<(Problem, usize)> = Vec::new();
    let mut items = None;
    let mut settings = Some(Settings::default());
    let mut loot = None;
    // Absent file: no gem sinks. Kept with its text for the checks against the other files.
    let mut economy: Option<(upgrades::Read, &str)> = Some((upgrades::Read::default(), ""));
    // Absent file: nobody to simulate. Kept with its text for the checks against the other files.
    let mut players: Option<Option<(players::Read, &str)>> = Some(None);
    for (name, bytes) in &files {
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(error) => {
                let message = format!("cannot read the file: {error}");
                found.push((Problem::at(dir.join(name), 1, message), 0));
                continue;
            }
        };
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                // The line of the first bad byte: one more than the line breaks before it.
                let line = 1 + bytes[..error.valid_up_to()].iter().filter(|&&byte| byte == b'\n').count();
                let message = "the file is not UTF-8 text; save it as UTF-8";
                found.push((Problem::at(dir.join(name), line, message), 0));
                continue;
            }
        };
        let mut check = FileCheck::new(text);
        let mut pieces = Vec::new();
        match name.as_str() {
            ITEMS_FILE => {
                let root = source::parse(text, &mut pieces, &mut check);
                items = Some(items::check_items(&root, &mut check));
            }
            SETTINGS_FILE => {
                let root = source::parse(text, &mut pieces, &mut check);
                settings = settings::check_settings(&root, &mut check);
            }
            LOOT_FILE => {
                let root = source::parse(text, &mut pieces, &mut check);
                loot = loot::check_loot(&root, &mut check);
            }
            UPGRADES_FILE => {
                let root = source::parse(text, &mut pieces, &mut check);
                economy = upgrades::check_upgrades(&root, &mut check).map(|read| (read, text));
            }
            PLAYERS_FILE => {
                let root = source::parse(text, &mut pieces, &mut check);
                players = players::check_players(&root, &mut check).map(|read| Some((read, text)));
            }
            _ => check.report(
                0,
                "unknown file, expected items.toml, settings.toml, loot.toml, upgrades.toml or players.toml",
            ),
        }
        let file = dir.join(name);
        let (problems, warned) = check.into_found();
        found.extend(problems.into_iter().map(|at| (Problem::at(file.clone(), at.line, at.message), at.offset)));
        warnings.extend(warned.into_iter().map(|at| (Problem::at(file.clone(), at.line, at.message), at.offset)));
    }
    for required in [ITEMS_FILE, LOOT_FILE] {
        if !files.iter().any(|(name, _)| name == required) {
            let message = format!("missing file: every game data directory needs {required}");
            found.push((Problem::at(dir.join(required), 1, message), 0));
        }
    }
    if let (Some(items), Some(settings), Some((read, text))) = (&items, &settings, &economy) {
        let file = dir.join(UPGRADES_FILE);
        let lines = FileCheck::new(text);
        for (message, at) in upgrades::check_against(read, items, settings) {
            found.push((Problem::at(file.clone(), lines.line(at), message), at));
        }
    }
    if let (Some(items), Some((economy, _)), Some(Some((read, text)))) = (&items, &economy, &players) {
        let file = dir.join(PLAYERS_FILE);
        let lines = FileCheck::new(text);
        for (message, at) in players::check_against(read, items, &economy.economy) {
            found.push((Problem::at(file.clone(), lines.line(at), message), at));
        }
    }
    let warnings = sorted(warnings);
    let catalog = match (items, settings, loot, economy, players) {
        (Some(items), Some(settings), Some(loot), Some((read, _)), Some(players)) if found.is_empty() => {
            let population = players.map(|(players, _)| players.population).unwrap_or_default();
            let catalog = Catalog::new(items, settings, loot, fingerprint(&files)).with_economy(read.economy);
            Ok(catalog.with_population(population))
        }
        _ => Err(sorted(found)),
    };
    Checked { catalog, warnings }
}

/// Problems by file, line and place in the line.
fn sorted(mut found: Vec<(Problem, usize)>) -> Vec<Problem> {
    found.sort_by(|(a, a_offset), (b, b_offset)| (&a.file, a.line, a_offset).cmp(&(&b.file, b.line, b_offset)));
    found.into_iter().map(|(problem, _)| problem).collect()
}

/// One line describing a loaded catalog, as `starmine check-data` prints it.
pub fn summary(catalog: &Catalog) -> String {
    let count = |kind: &str| catalog.items().iter().filter(|item| item.kind.name() == kind).count();
    let plural = |count: usize| if count == 1 { "" } else { "s" };
    let items = catalog.items().len();
    let zones = catalog.loot.zones().len();
    let settings = &catalog.settings;
    let (tracks, cosmetics) = (catalog.economy.tracks.len(), catalog.economy.cosmetics.len());
    let profiles = match catalog.population.profiles.len() {
        0 => String::new(),
        1 => ", 1 player profile".to_owned(),
        n => format!(", {n} player profiles"),
    };
    format!(
        "game_data: {items} item{} ({} consumable, {} permanent, {} boost, {} bundle{}), \
         {zones} loot zone{}, {tracks} upgrade track{}, {cosmetics} cosmetic{}, energy {} (+1 per {}), \
         arcade run {} (max {} pts/s, {} gems a day), refund window {}, order ttl {}, hold ttl {}{profiles}, version {}",
        plural(items),
        count("consumable"),
        count("permanent"),
        count("boost"),
        count("bundle"),
        match count("subscription") {
            0 => String::new(),
            n => format!(", {n} subscription"),
        },
        plural(zones),
        plural(tracks),
        plural(cosmetics),
        settings.energy.max,
        format_duration(settings.energy.regen),
        format_duration(Duration::from_secs(u64::from(settings.arcade.run_seconds))),
        settings.arcade.points_per_second,
        settings.arcade.gems_per_day,
        format_duration(settings.refund_window),
        format_duration(settings.order_ttl),
        format_duration(settings.hold_ttl),
        catalog.version,
    )
}

/// FNV-1a (64 bit) over the sorted file names and contents, as 16 hex digits.
fn fingerprint(files: &[(String, std::io::Result<Vec<u8>>)]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, bytes) in files {
        let bytes = bytes.as_deref().unwrap_or_default();
        let length = (bytes.len() as u64).to_le_bytes();
        for &byte in name.as_bytes().iter().chain(&[0]).chain(&length).chain(bytes) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests;
