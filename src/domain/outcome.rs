//! How the game's changes to a player ended, as the game loop and the API read them: the store
//! runs them (one script each) and turns each script's reply into one of these.

/// How a game mutation (a dig, a use) ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Applied,
    /// Applied before (same action id): nothing changed now.
    Repeat,
    NoEnergy,
    NotOwned,
    EnergyFull,
}

/// How a purchase with gems ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GemVerdict {
    Bought,
    /// Applied before (same action id).
    Repeat,
    /// Already at that level or owning the cosmetic (a double tap).
    Already,
    /// Not at the level before the one named.
    NotNext,
    NotEnoughGems,
}

/// How finishing an arcade run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunVerdict {
    Finished,
    UnknownRun,
    AlreadyFinished,
    /// The player started a newer run, which closed this one.
    Replaced,
    TooEarly,
    Expired,
    Impossible,
    /// Over the API's per-player limit: nothing was looked at or changed.
    SlowDown,
}

/// What starting a run came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunOpen {
    Started,
    /// A run with this id exists already.
    Taken,
    /// Over the API's per-player limit: nothing changed.
    SlowDown,
}
