//! `starmine simulate`: the economy lab from the command line. Loads the game data (and with
//! `--against` a second catalog, played by the same population and seed), runs the simulation
//! with a progress line on a terminal's stderr, writes the CSV files and prints the summary.
//! Ctrl-C stops between two days and writes nothing.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::domain::Catalog;
use crate::exit::Exit;
use crate::game_data::PLAYERS_FILE;
use crate::sim::{self, report, Metrics, Options};

#[derive(clap::Args)]
pub struct Args {
    /// Players in the population.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    players: u32,
    /// Days to simulate.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    days: u32,
    /// The seed: the same seed and data give the same results, byte for byte.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Another game data directory to compare with: simulated with the same population
    /// (this directory's players.toml) and seed; the summary lists what changed.
    #[arg(long)]
    against: Option<PathBuf>,
    /// Where the CSV files go (with --against, the other catalog's into `<out>/against/`).
    #[arg(long, default_value = "economy-report")]
    out: PathBuf,
    /// The game data directory (default: GAME_DATA_DIR, else `game_data`).
    #[arg(long)]
    data: Option<PathBuf>,
}

pub fn run(args: Args) -> Exit {
    let dir = args.data.clone().unwrap_or_else(super::default_data_dir);
    let catalog = match super::load_data(&dir) {
        Ok(catalog) => catalog,
        Err(exit) => return exit,
    };
    if catalog.population.profiles.is_empty() {
        eprintln!(
            "{}:1: missing file: simulate needs {PLAYERS_FILE} (see game_data/README.md)",
            dir.join(PLAYERS_FILE).display()
        );
        return Exit::Refused;
    }
    let against = match &args.against {
        Some(other) => match super::load_data(other) {
            Ok(other) => Some(other.with_population(catalog.population.clone())),
            Err(exit) => return exit,
        },
        None => None,
    };
    let options = Options { players: args.players, days: args.days, seed: args.seed };
    let stop = stop_on_ctrl_c();
    let Some(current) = simulate(&catalog, &options, &stop, "") else { return Exit::Refused };
    let before = match &against {
        Some(other) => match simulate(other, &options, &stop, " (against)") {
            Some(metrics) => Some(metrics),
            None => return Exit::Refused,
        },
        None => None,
    };
    if let Err(error) = write_all(&args.out, &current, before.as_ref()) {
        eprintln!("cannot write the CSV files to {}: {error}", args.out.display());
        return Exit::Unavailable;
    }
    print_summary(&dir, &catalog, &options, &current);
    if let (Some(other), Some(before), Some(against)) = (&args.against, &before, &against) {
        println!("\nChanges from {} (version {}) to {}:", other.display(), against.version, dir.display());
        let changes = report::differences(&current, before);
        print!("{}", if changes.is_empty() { "  nothing changed\n".to_owned() } else { changes });
    }
    println!("\nCSV files in {}", args.out.display());
    Exit::Ok
}

/// Runs one simulation with the progress line; `None` (and a message) when Ctrl-C stopped it.
fn simulate(catalog: &Catalog, options: &Options, stop: &AtomicBool, label: &str) -> Option<Metrics> {
    let terminal = std::io::stderr().is_terminal();
    let result = sim::simulate(catalog, options, |done| {
        if terminal {
            eprint!("\rsimulating{label}: day {done} of {}", options.days);
            let _ = std::io::stderr().flush();
        }
        !stop.load(Ordering::SeqCst)
    });
    if terminal {
        eprint!("\r{}\r", " ".repeat(40 + label.len()));
    }
    match result {
        Ok(metrics) => Some(metrics),
        Err(stopped) => {
            eprintln!("stopped after day {} of {}: nothing written", stopped.days_done, options.days);
            None
        }
    }
}

fn write_all(out: &Path, current: &Metrics, against: Option<&Metrics>) -> std::io::Result<()> {
    report::write_csv(out, current)?;
    if let Some(against) = against {
        report::write_csv(&out.join("against"), against)?;
    }
    Ok(())
}

fn print_summary(dir: &Path, catalog: &Catalog, options: &Options, metrics: &Metrics) {
    let title = format!(
        "Economy lab: {} players × {} days, seed {}, {} (version {})",
        options.players,
        options.days,
        options.seed,
        dir.display(),
        catalog.version
    );
    print!("{}", report::summary(metrics, &title));
}

/// A flag Ctrl-C raises; the simulation looks at it between days. The signal is awaited on a
/// thread of its own (a one-thread runtime just for it), so the simulation's loop stays plain.
fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    if let Ok(runtime) = runtime {
        std::thread::spawn(move || {
            if runtime.block_on(tokio::signal::ctrl_c()).is_ok() {
                flag.store(true, Ordering::SeqCst);
            }
        });
    }
    stop
}
