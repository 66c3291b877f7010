//! How every command ends: one enum, mapped to the process's exit status in one place
//! ([`Exit::code`]), and the failure that carries one.

/// The outcome of a command, as scripts and operators read it from the exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Done (0).
    Ok,
    /// Refused: bad data, a check that failed, a request that would change nothing safely (1).
    Refused,
    /// Wrong usage or configuration (2).
    Usage,
    /// Something it needs is unavailable: Redis, the Bot API, a port (3).
    Unavailable,
}

impl Exit {
    /// The process's exit status.
    pub fn code(self) -> i32 {
        match self {
            Self::Ok => 0,
            Self::Refused => 1,
            Self::Usage => 2,
            Self::Unavailable => 3,
        }
    }
}

/// A failure with the exit it deserves.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self { exit, message: message.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::Exit;

    #[test]
    fn each_exit_has_its_documented_status() {
        let codes: Vec<i32> = [Exit::Ok, Exit::Refused, Exit::Usage, Exit::Unavailable].map(Exit::code).to_vec();
        assert_eq!(codes, [0, 1, 2, 3]);
    }
}
