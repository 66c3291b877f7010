//! The layers ARCHITECTURE.md describes, checked against what the code names: every `crate::…`
//! path in `src/` (in `use` lines and inline alike, grouped imports included) and every
//! `redis::` / `teloxide::` path. The rules:
//! - `domain` names nothing of the crate above it;
//! - `plot` (charts and reports) names nothing else of the crate;
//! - only `store` knows Redis;
//! - only `telegram` knows Bot API types (teloxide);
//! - nothing imports the composition root (`app`) but the command line that starts it.
//!
//! The exceptions are written down once, in [`ALLOWED`], each with its reason.

use std::path::{Path, PathBuf};

/// What a rule forbids a module to name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// `domain` naming another module of the crate.
    DomainAbove,
    /// `plot` naming another module of the crate: it draws any series, knowing no game.
    PlotOutside,
    /// A `redis::` path outside `store`.
    Redis,
    /// A `teloxide::` path outside `telegram`.
    Teloxide,
    /// A path into `app`, the composition root.
    CompositionRoot,
}

/// (rule, file or directory under `src/`, why it may).
const ALLOWED: &[(Rule, &str, &str)] = &[
    (Rule::Redis, "bench/", "benchmarks read Redis's own counters (INFO, MONITOR), start throwaway servers and check that the store's scripts are loaded"),
    (Rule::Redis, "config.rs", "REDIS_URL is checked with the redis crate's own URL parser"),
    (Rule::Teloxide, "app.rs", "the composition root builds the Bot and hands it to telegram"),
    (Rule::CompositionRoot, "cli.rs", "the command line starts the app (`serve`) and its one-shot commands"),
    (Rule::CompositionRoot, "app/", "the composition root's own submodules"),
];

/// One forbidden path: the file, the line and what it names.
#[derive(Debug, PartialEq, Eq)]
struct Violation {
    rule: Rule,
    file: String,
    line: usize,
    named: String,
}

/// The top-level module a file under `src/` belongs to (`store/game.rs` -> `store`).
fn module_of(file: &str) -> &str {
    let first = file.split('/').next().unwrap_or(file);
    first.strip_suffix(".rs").unwrap_or(first)
}

/// The top-level modules a line names through `crate::`, grouped imports included.
fn crate_modules(line: &str) -> Vec<String> {
    let mut named = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        // `starmine::crate_x` or an identifier ending in "crate" is not a crate path.
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let inside = group.split('}').next().unwrap_or_default();
            for item in inside.split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    named.push(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                named.push(name);
            }
        }
    }
    named
}

/// Whether `line` names `krate::` as a path (not part of a longer identifier).
fn names_crate(line: &str, krate: &str) -> bool {
    let needle = format!("{krate}::");
    line.match_indices(&needle)
        .any(|(at, _)| !line[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':'))
}

/// The code of a line without its comment (doc comments name paths in prose and links).
fn code_of(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed.starts_with("//") {
        return "";
    }
    match line.find("// ") {
        Some(at) if !line[..at].contains('"') => &line[..at],
        _ => line,
    }
}

fn allowed(rule: Rule, file: &str) -> bool {
    ALLOWED.iter().any(|(allowed, place, _)| *allowed == rule && (file == *place || file.starts_with(place)))
}

/// Every rule `source` (the file at `file`, relative to `src/`) breaks.
fn check(file: &str, source: &str) -> Vec<Violation> {
    let module = module_of(file);
    let mut found = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let code = code_of(line);
        let mut note = |rule: Rule, named: String| {
            if !allowed(rule, file) {
                found.push(Violation { rule, file: file.to_owned(), line: index + 1, named });
            }
        };
        for named in crate_modules(code) {
            if module == "domain" && named != "domain" {
                note(Rule::DomainAbove, format!("crate::{named}"));
            }
            if module == "plot" && named != "plot" {
                note(Rule::PlotOutside, format!("crate::{named}"));
            }
            if named == "app" && module != "app" {
                note(Rule::CompositionRoot, "crate::app".into());
            }
        }
        if module != "store" && names_crate(code, "redis") {
            note(Rule::Redis, "redis::".into());
        }
        if module != "telegram" && names_crate(code, "teloxide") {
            note(Rule::Teloxide, "teloxide::".into());
        }
    }
    found
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            into.push(path);
        }
    }
}

#[test]
fn every_module_keeps_to_its_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 50, "found the sources: {}", files.len());
    let mut violations = Vec::new();
    for path in files {
        let file = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        let source = std::fs::read_to_string(&path).unwrap();
        violations.extend(check(&file, &source));
    }
    let listing: Vec<String> =
        violations.iter().map(|v| format!("{}:{}: {:?} names {}", v.file, v.line, v.rule, v.named)).collect();
    assert!(violations.is_empty(), "layer rules broken (see ARCHITECTURE.md):\n{}", listing.join("\n"));
}

/// The checker finds each kind of planted violation, inline paths and grouped imports too, and
/// lets comments and allowed places be.
#[test]
fn a_planted_violation_of_each_rule_is_found() {
    let rules = |file: &str, source: &str| check(file, source).into_iter().map(|v| v.rule).collect::<Vec<_>>();
    assert_eq!(rules("domain/order.rs", "use crate::store::Store;"), [Rule::DomainAbove]);
    assert_eq!(rules("domain/order.rs", "use crate::{domain::Item, game::GameHandle};"), [Rule::DomainAbove]);
    assert_eq!(rules("plot/chart.rs", "use crate::domain::Stars;"), [Rule::PlotOutside]);
    assert!(rules("plot/chart.rs", "use crate::plot::Series;").is_empty());
    assert_eq!(
        rules("game/systems.rs", "    let grace = crate::store::arcade::LATE_GRACE_MS + crate::app::now();"),
        [Rule::CompositionRoot]
    );
    assert_eq!(rules("telegram/shop.rs", "    let _: () = redis::cmd(\"PING\");"), [Rule::Redis]);
    assert_eq!(rules("http/api.rs", "use teloxide::types::Update;"), [Rule::Teloxide]);
    assert_eq!(rules("game/io.rs", "use crate::app::SharedCatalog;"), [Rule::CompositionRoot]);
    // Allowed, or not code.
    assert!(rules("store/game.rs", "use redis::AsyncCommands;").is_empty());
    assert!(rules("bench/monitor.rs", "use redis::aio::MultiplexedConnection;").is_empty());
    assert!(rules("cli.rs", "use crate::app;").is_empty());
    assert!(rules("domain/order.rs", "//! Unlike [`crate::store`], this knows no Redis.").is_empty());
    assert!(rules("game/io.rs", "let x = 1; // see crate::app").is_empty());
    assert!(rules("http/api.rs", "use starmine_redis::Thing;").is_empty(), "a longer identifier");
}
