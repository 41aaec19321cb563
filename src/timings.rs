//! Where a run's time goes, stage by stage (`clean --timings`).
//!
//! A stage's time is the time its thread spent in it, summed over the threads. The table sets the
//! stages beside the whole process's CPU time, so what no stage accounts for (start-up, listing
//! the files, handing batches between threads, freeing documents) shows as well.
//!
//! The clock is the monotonic one, read without a system call. A thread's own CPU clock would not
//! count the time the thread waited for a core, but reading it is a system call, and nine a page
//! made `--timings` itself slow down the run it measures. On a machine busy with other work the
//! stages' times grow by the waits, and `other` shrinks.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// A part of a run, in the order a page goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading a file, or parsing a JSONL record.
    Read,
    Decode,
    /// Turning an HTML page into lines of text.
    Html,
    Normalize,
    Segment,
    /// Looking up every line in the site statistics (`--line-stats`).
    LineStats,
    /// The line walk, the pattern sets, the language, the line model and the article's region.
    Classify,
    Metadata,
    /// Turning the document into its output record.
    Render,
    /// Writing the records out, on the run's own thread.
    Write,
}

impl Stage {
    pub const ALL: [Stage; 10] = [
        Stage::Read,
        Stage::Decode,
        Stage::Html,
        Stage::Normalize,
        Stage::Segment,
        Stage::LineStats,
        Stage::Classify,
        Stage::Metadata,
        Stage::Render,
        Stage::Write,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Decode => "decode",
            Stage::Html => "html",
            Stage::Normalize => "normalize",
            Stage::Segment => "segment",
            Stage::LineStats => "line-stats",
            Stage::Classify => "classify",
            Stage::Metadata => "metadata",
            Stage::Render => "render",
            Stage::Write => "write",
        }
    }
}

/// Time per stage (`time`), added to by every worker thread.
#[derive(Debug, Default)]
pub struct StageTimes {
    nanos: [AtomicU64; Stage::ALL.len()],
}

impl StageTimes {
    /// Runs `work`, adding the time it took to `stage`.
    pub fn time<T>(&self, stage: Stage, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = work();
        self.nanos[stage as usize].fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        out
    }

    /// The seconds spent in `stage` so far.
    pub fn seconds(&self, stage: Stage) -> f64 {
        self.nanos[stage as usize].load(Ordering::Relaxed) as f64 / 1e9
    }

    /// A table of each stage's seconds and share of `process_seconds` (the process's CPU time,
    /// `process_cpu_seconds`), or of the stages' sum when that is unknown or smaller.
    pub fn table(&self, process_seconds: Option<f64>) -> String {
        let staged: f64 = Stage::ALL.iter().map(|&stage| self.seconds(stage)).sum();
        let whole = process_seconds.unwrap_or(staged).max(staged);
        let share = |seconds: f64| if whole > 0.0 { 100.0 * seconds / whole } else { 0.0 };
        let mut table = format!("{:<10} {:>9} {:>7}\n", "stage", "seconds", "share");
        for stage in Stage::ALL {
            let seconds = self.seconds(stage);
            let _ = writeln!(table, "{:<10} {:>9.3} {:>6.1}%", stage.name(), seconds, share(seconds));
        }
        if process_seconds.is_some() {
            let other = whole - staged;
            let _ = writeln!(
                table,
                "{:<10} {:>9.3} {:>6.1}%  (start-up, threads, outside the stages)",
                "other",
                other,
                share(other)
            );
        }
        let _ = writeln!(table, "{:<10} {:>9.3} {:>6.1}%", "total", whole, 100.0);
        table
    }
}

/// The CPU time (user and system) the whole process has used, in seconds.
#[cfg(unix)]
pub fn process_cpu_seconds() -> Option<f64> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `usage` is writable memory of the right size; getrusage fills it on success.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: getrusage succeeded, so `usage` is initialised.
    let usage = unsafe { usage.assume_init() };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Some(seconds(usage.ru_utime) + seconds(usage.ru_stime))
}

#[cfg(not(unix))]
pub fn process_cpu_seconds() -> Option<f64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_gets_the_time_of_its_work() {
        let times = StageTimes::default();
        let sum = times.time(Stage::Classify, || (0..2_000_000u64).fold(0u64, |a, b| a.wrapping_mul(31) ^ b));
        std::hint::black_box(sum);
        assert!(times.seconds(Stage::Classify) > 0.0);
        assert_eq!(times.seconds(Stage::Read), 0.0);
        // A stage's time is read on the monotonic clock, so a thread that waited for a core has
        // more of it than the process has CPU time; the table's whole is never less than a stage.
        let table = times.table(Some(0.0));
        assert!(table.lines().any(|line| line.starts_with("classify") && line.ends_with("100.0%")), "{table}");
        let table = times.table(process_cpu_seconds());
        for stage in Stage::ALL {
            assert!(table.lines().any(|line| line.starts_with(stage.name())), "{table}");
        }
        assert!(
            table.lines().last().is_some_and(|line| line.starts_with("total") && line.ends_with("100.0%")),
            "{table}"
        );
    }
}
