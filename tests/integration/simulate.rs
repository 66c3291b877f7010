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
    assert_eq!(written.len(), 13, "one CSV file per series group and the report");
    assert!(written.iter().any(|(name, _)| name == "report.html"));
    assert_eq!(written, files(&second));
    let revenue = String::from_utf8(written.iter().find(|(name, _)| name == "revenue.csv").unwrap().1.clone()).unwrap();
    assert_eq!(revenue.lines().count(), 6, "a header and a line a day: {revenue}");
}

/// A copy of the shipped game data in `work/dearer` with the Energy Refill one Star dearer.
fn dearer_copy(work: &Path) -> std::path::PathBuf {
    let dearer = work.join("dearer");
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
    dearer
}

#[test]
fn against_lists_only_what_a_price_change_changed() {
    let work = tempfile::tempdir().unwrap();
    let dearer = dearer_copy(work.path());
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

/// The names of a CSV file's column `column` (from its header) or of its rows' first field.
fn csv(dir: &Path, file: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    text.lines().map(|line| line.split(',').map(str::to_owned).collect()).collect()
}

/// The report of a price change, opened from disk in Chromium: every plot the lab draws is there
/// with each of its series drawn for both catalogs (the expected plots derived from the CSV
/// files: one stock plot per limited item, one level plot per profile with a line per track).
#[test]
fn the_report_draws_every_plot_for_both_catalogs_in_chromium() {
    let work = tempfile::tempdir().unwrap();
    let dearer = dearer_copy(work.path());
    let out = work.path().join("out");
    let args = ["--players", "300", "--days", "8", "--data", dearer.to_str().unwrap(), "--against", "game_data"];
    let output = simulate(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("report.html"), "the summary says where the report is");

    let limited: Vec<String> = csv(&out, "sold_out.csv").into_iter().skip(1).map(|row| row[0].clone()).collect();
    let upgrades = csv(&out, "upgrades.csv");
    let tracks = upgrades[0].len() - 2;
    let day_one = upgrades.iter().skip(1).take_while(|row| row[0] == "1");
    let profiles: Vec<String> = day_one.map(|row| row[1].clone()).collect();
    assert!(!limited.is_empty() && tracks > 0 && profiles.len() == 3, "{limited:?} {tracks} {profiles:?}");

    // (chart, series drawn for one catalog); each is drawn twice, current and against.
    let mut expected: Vec<(String, usize)> = [
        ("revenue", 1),
        ("revenue_cumulative", 1),
        ("paying_share", 2),
        ("revenue_per_payer", 1),
        ("active", 1),
        ("purchases", 1),
        ("item_revenue", 1),
    ]
    .map(|(id, series)| (id.to_owned(), series))
    .to_vec();
    expected.extend(limited.iter().map(|item| (format!("stock_{item}"), 1)));
    expected.extend(
        [("gems_flow", 2), ("gems_held", 1), ("arcade", 1), ("arcade_capped", 1)].map(|(id, n)| (id.to_owned(), n)),
    );
    expected.extend(profiles.iter().map(|profile| (format!("levels_{profile}"), tracks)));
    expected.extend([("zones", 1), ("digs_by_zone", 1), ("energy", 3)].map(|(id, n)| (id.to_owned(), n)));
    let expected: Vec<(&str, usize)> = expected.iter().map(|(id, series)| (id.as_str(), series * 2)).collect();
    crate::plot_report::open_report(
        &out.join("report.html"),
        &expected,
        "the_report_draws_every_plot_for_both_catalogs_in_chromium",
    );
}

/// Ctrl-C (SIGINT) stops a long simulation between two days: exit 1 at once, a line saying
/// where it stopped, and nothing written.
#[test]
fn ctrl_c_stops_a_long_run_between_days_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report");
    let child = Command::new(env!("CARGO_BIN_EXE_starmine"))
        .args(["simulate", "--players", "50000", "--days", "3650", "--out", report.to_str().unwrap()])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("GAME_DATA_DIR")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run starmine");
    // Long enough to be simulating (loading the data takes a few milliseconds).
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // SAFETY: kill(2) with a pid we own and a valid signal number has no memory effects.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(sent, 0, "SIGINT could not be sent");
    let started = std::time::Instant::now();
    let output = child.wait_with_output().unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "stopped between two days, not at the end");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("stopped after day ") && stderr.contains("nothing written"), "{stderr}");
    assert!(!report.exists(), "nothing written");
}
