//! Designer tables (`game_data/*.toml`) -> a validated [`Catalog`], with `file:line` problems.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::domain::Catalog;

/// One problem in a designer file, shown as `<dir as given>/<file>:<line>: <message>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// Loads and validates every `*.toml` in `dir`, reporting every problem found.
pub fn load_dir(dir: &Path) -> Result<Catalog, Vec<Problem>> {
    let _ = dir;
    todo!("game_data loader")
}
