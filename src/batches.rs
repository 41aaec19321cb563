//! The one ordered-batch driver behind `clean`, `clean --jsonl` and `learn`.
//!
//! Items (files, JSONL lines) come in batches that bound memory whatever the corpus; each batch
//! is worked on in parallel by rayon, every item on its own so that a panic (a bug) fails that
//! item alone; the results are handed back on the calling thread in input order, so the output
//! bytes are the same for any thread count.

use std::io;

use rayon::prelude::*;

use crate::error::{isolate, joined, InputError};
use crate::input::Input;

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub documents: usize,
    pub failed: usize,
    pub bytes_in: u64,
}

/// Works on every item of the batches `next` yields, and hands each item's key and result to
/// `consume`, in input order. Only an error from `next` or `consume` stops the run; the summary
/// counts the items that worked and those that failed (its `bytes_in` is the caller's to fill).
pub(crate) fn for_each_ordered<I: Send, K: Send, T: Send>(
    next: impl FnMut() -> io::Result<Option<Vec<I>>>,
    key: impl Fn(&I) -> K + Sync,
    work: impl Fn(I) -> Result<T, InputError> + Sync,
    mut consume: impl FnMut(K, Result<T, InputError>) -> io::Result<()>,
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    in_batches(
        next,
        |batch: Vec<I>| -> Vec<(K, Result<T, InputError>)> {
            batch
                .into_par_iter()
                .map(|item| {
                    let key = key(&item);
                    (key, isolate(|| work(item)))
                })
                .collect()
        },
        |results| {
            for (key, result) in results {
                if result.is_ok() {
                    summary.documents += 1;
                } else {
                    summary.failed += 1;
                }
                consume(key, result)?;
            }
            Ok(())
        },
    )?;
    Ok(summary)
}

/// Takes batches from `next` until it has no more, has each cleaned by `clean` (which fans out
/// to the worker threads) and hands the results to `consume` on this thread, in order.
///
/// Two batches are cleaned while the one before them is consumed. With only one, the workers
/// finished it while the oldest batch's last page was still being cleaned, then sat idle until
/// this thread had written that batch and handed them the next.
fn in_batches<B: Send, R: Send>(
    mut next: impl FnMut() -> io::Result<Option<B>>,
    clean: impl Fn(B) -> R + Sync,
    mut consume: impl FnMut(R) -> io::Result<()>,
) -> io::Result<()> {
    const AHEAD: usize = 2;
    let clean = &clean;
    std::thread::scope(|scope| {
        let mut cleaning = std::collections::VecDeque::with_capacity(AHEAD + 1);
        loop {
            // On an error the scope still waits for the batches in flight before returning.
            while cleaning.len() <= AHEAD {
                let Some(batch) = next()? else { break };
                cleaning.push_back(scope.spawn(move || clean(batch)));
            }
            let Some(oldest) = cleaning.pop_front() else { return Ok(()) };
            consume(joined(oldest))?;
        }
    })
}

/// Files cleaned per batch, at most.
pub(crate) const FILES_PER_BATCH: usize = 256;
/// Input bytes per batch: a batch is held in memory twice (pages and rendered output), so this
/// bounds memory whatever the corpus, even when it has some very large pages.
const BATCH_BYTES: u64 = 8 << 20;

/// The next files to work on together: up to `max` of them, and no more than `BATCH_BYTES` on
/// disk (but always at least one); `None` when there are no more.
pub(crate) fn next_files(
    inputs: &mut std::iter::Peekable<impl Iterator<Item = Input>>,
    max: usize,
) -> Option<Vec<Input>> {
    inputs.peek()?;
    let mut batch = Vec::new();
    let mut bytes = 0;
    while batch.len() < max {
        let Some(next) = inputs.peek() else { break };
        let size = next.size_hint();
        if !batch.is_empty() && bytes + size > BATCH_BYTES {
            break;
        }
        bytes += size;
        batch.extend(inputs.next());
    }
    Some(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_consumed_in_order_whatever_finishes_first() {
        let mut batches = (0..40u64).map(|n| vec![n; 3]);
        let mut seen = Vec::new();
        in_batches(
            || Ok(batches.next()),
            |batch: Vec<u64>| {
                // Early batches take longest, so later ones finish first.
                std::thread::sleep(std::time::Duration::from_micros(400 - 10 * batch[0]));
                batch[0]
            },
            |n| {
                seen.push(n);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..40).collect::<Vec<_>>());
    }

    #[test]
    fn a_panic_fails_its_item_alone_and_the_results_keep_their_order() {
        let mut batches = (0..10u32).map(|b| (b * 10..b * 10 + 10).collect::<Vec<u32>>());
        let mut seen = Vec::new();
        let summary = for_each_ordered(
            || Ok(batches.next()),
            |&n| n,
            |n| {
                assert!(n != 42, "a bug met on item {n}");
                Ok(n * 2)
            },
            |n, result| {
                seen.push((n, result.map_err(|e| e.to_string())));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!((summary.documents, summary.failed), (99, 1));
        assert_eq!(seen.iter().map(|(n, _)| *n).collect::<Vec<_>>(), (0..100).collect::<Vec<_>>());
        assert_eq!(seen[41].1, Ok(82));
        assert!(seen[42].1.as_ref().unwrap_err().contains("a bug met on item 42"), "{:?}", seen[42]);
    }

    #[test]
    fn an_error_stops_the_batches_and_is_returned() {
        let mut batches = 0..100;
        let mut consumed = 0;
        let err = in_batches(
            || Ok(batches.next()),
            |n| n,
            |n| {
                consumed += 1;
                if n == 5 {
                    return Err(io::Error::other("disk full"));
                }
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(consumed, 6);
        // Only the batches in flight were taken beyond the failed one.
        assert!(batches.next().is_some_and(|n| n < 10));

        let mut reads = 0;
        let err = in_batches(
            || {
                reads += 1;
                if reads == 4 {
                    Err(io::Error::other("bad read"))
                } else {
                    Ok(Some(reads))
                }
            },
            |n| n,
            |_| Ok(()),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "bad read");
    }
}
