//! `starmine simulate` as a real binary: the same seed writes byte-identical CSV files, `--against`
//! lists only what changed, and broken or missing data is reported like check-data.

use std::path::Path;
use std::process::{Command, Output};

fn simulate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_starmine"))
        .arg("simulate")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("GAME_DATA_DIR")
        .output()
        .expect("run starmine")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8 output")
}

/// The files of a directory, sorted, with their bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .map(|path| (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn the_same_seed_writes_byte_identical_csv_files() {
    let out = tempfile::tempdir().unwrap();
    let (first, second) = (out.path().join("first"), out.path().join("second"));
    for dir in [&first, &second] {
        let output = simulate(&["--players", "300", "--days", "5", "--seed", "9", "--out", dir.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let stdout = text(&output.stdout);
        assert!(stdout.starts_with("Economy lab: 300 players × 5 days, seed 9, game_data (version "), "{stdout}");
        assert!(stdout.contains("Stars revenue"), "{stdout}");
    }
    let written = files(&first);
    assert_eq!(written.len(), 12, "one file per series group");
    assert_eq!(written, files(&second));
    let revenue = String::from_utf8(written.iter().find(|(name, _)| name == "revenue.csv").unwrap().1.clone()).unwrap();
    assert_eq!(revenue.lines().count(), 6, "a header and a line a day: {revenue}");
}

#[test]
fn against_lists_only_what_a_price_change_changed() {
    let work = tempfile::tempdir().unwrap();
    let dearer = work.path().join("dearer");
    std::fs::create_dir(&dearer).unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("game_data");
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dearer.join(path.file_name().unwrap())).unwrap();
    }
    // The refill small spenders buy when out of energy (at most 5 Stars): at 6 they stop.
    let items = std::fs::read_to_string(dearer.join("items.toml")).unwrap();
    let raised = items.replacen("price_stars = 5\n", "price_stars = 6\n", 1);
    assert_ne!(items, raised);
    std::fs::write(dearer.join("items.toml"), raised).unwrap();
    let out = work.path().join("out");
    let args = ["--players", "400", "--days", "4", "--data", dearer.to_str().unwrap(), "--against", "game_data"];
    let output = simulate(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let (_, changes) = stdout.split_once("\nChanges from game_data (version ").expect(&stdout);
    assert!(changes.contains("energy_refill: units bought"), "{changes}");
    assert!(changes.contains("energy_refill: Stars"), "{changes}");
    assert!(!changes.contains("treasure_map"), "nobody buys it: {changes}");
    assert!(!changes.contains("crystal_lamp"), "nobody buys it: {changes}");
    assert_eq!(files(&out.join("against")).len(), 12);
}

#[test]
fn broken_or_missing_data_is_reported_like_check_data() {
    let output = simulate(&["--data", "tests/fixtures/broken/players_unknown_reference", "--players", "10"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr).lines().next(),
        Some("tests/fixtures/broken/players_unknown_reference/players.toml:9: `gem_order` names `shovel`, which is no track or cosmetic of upgrades.toml")
    );
    let output = simulate(&["--data", "tests/fixtures/game_data", "--players", "10"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        "tests/fixtures/game_data/players.toml:1: missing file: simulate needs players.toml (see game_data/README.md)\n"
    );
    assert_eq!(text(&output.stdout), "");
}
