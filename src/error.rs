//! Why one input could not be cleaned. Each variant's message completes "PATH: ..." on stderr,
//! so a user reading the log knows which file and what is wrong with it.

/// Why bytes could not be decoded as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("binary file ({0}), not text")]
    Binary(&'static str),
}

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
    /// A JSONL line that is no JSON object at all (not UTF-8, not JSON, JSON of another kind):
    /// a stream that starts with several is no JSONL.
    #[error("{0}")]
    NotARecord(String),
    /// A stream (a truncated `.gz` or `.zst`, a read error) broke off after this many lines;
    /// the records before the break were cleaned.
    #[error("truncated stream after line {line}: {error}")]
    Truncated { line: usize, error: String },
    /// A bug met while cleaning this input: it is skipped and the run goes on.
    #[error("internal error, please report it with this input: {0}")]
    Internal(String),
}

/// Runs the cleaning of one input so that a panic in it (a bug) fails that input alone, as an
/// `InputError::Internal`, instead of ending a run of millions of pages.
pub(crate) fn isolate<T>(work: impl FnOnce() -> Result<T, InputError>) -> Result<T, InputError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|m| m.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into());
        Err(InputError::Internal(message))
    })
}

/// What a scoped thread returned; a panic in it goes on in this thread, as if it had happened
/// here.
pub(crate) fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
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
            InputError::BadRecord(_) | InputError::NotARecord(_) => "bad-record",
            InputError::Truncated { .. } => "truncated",
            InputError::Internal(_) => "internal",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_fails_one_input_with_its_message() {
        let failed: Result<(), InputError> = isolate(|| panic!("index {} out of range", 7));
        let err = failed.unwrap_err();
        assert_eq!(err.kind(), "internal");
        assert!(err.to_string().contains("index 7 out of range"), "{err}");
        assert!(matches!(isolate(|| Ok::<_, InputError>(3)), Ok(3)));
        assert!(matches!(isolate(|| Err::<(), _>(InputError::NoText)), Err(InputError::NoText)));
    }
}
