//! Why one input could not be cleaned. Each variant's message completes "PATH: ..." on stderr,
//! so a user reading the log knows which file and what is wrong with it.

use crate::stage::decode::DecodeError;

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("no such file or folder")]
    NotFound,
    #[error("cannot read: {0}")]
    Unreadable(std::io::Error),
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error("no text: only whitespace")]
    NoText,
    #[error("too large: {size} bytes, over the --max-bytes limit of {limit}")]
    TooLarge { size: u64, limit: u64 },
    #[error("{0}")]
    Walk(String),
    /// A JSONL line that is not a usable record (the message names the problem).
    #[error("{0}")]
    BadRecord(String),
}

impl InputError {
    /// A short machine-readable kind for `--errors` records.
    pub fn kind(&self) -> &'static str {
        match self {
            InputError::NotFound => "not-found",
            InputError::Unreadable(_) => "unreadable",
            InputError::Decode(DecodeError::Empty) => "empty",
            InputError::Decode(DecodeError::Binary(_)) => "binary",
            InputError::NoText => "no-text",
            InputError::TooLarge { .. } => "too-large",
            InputError::Walk(_) => "walk",
            InputError::BadRecord(_) => "bad-record",
        }
    }
}
