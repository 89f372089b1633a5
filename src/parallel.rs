//! How many threads the work that is independent per patient may use, and
//! the one way the crate splits such work: contiguous chunks in input
//! order, taken in turn by the threads (`std::thread::scope`), results put
//! back in that order, and the error of the first failing item in that
//! order. With one thread (or too little work to split) the work runs on
//! the caller's thread, exactly as a sequential loop; the results do not
//! depend on the number of threads.

use std::num::NonZeroUsize;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::error::Error;

/// The number of threads a computation may use: [`Threads::AVAILABLE`]
/// (the default: [`std::thread::available_parallelism`], read when the
/// work starts; 1 when it cannot be read) or a fixed number
/// ([`Threads::new`]; [`Threads::SEQUENTIAL`] is 1, the caller's thread
/// only).
///
/// The number of threads never changes a result, an error or its order:
/// the work is split into contiguous chunks in input order, results are
/// put back in that order, and the error reported is the one a sequential
/// run reports (the first failing patient in identifier order). Work too
/// small to be worth a thread runs on the caller's thread.
///
/// Used by [`crate::timeline::TimelineOptions::with_threads`] (building a
/// cohort's timelines) and [`crate::timeline::SummaryOptions::with_threads`]
/// (summarising them).
///
/// ```
/// use sledai::Threads;
/// assert_eq!(Threads::default(), Threads::AVAILABLE);
/// assert_eq!(Threads::new(1)?, Threads::SEQUENTIAL);
/// assert_eq!(Threads::new(4)?.get(), 4);
/// assert!(Threads::AVAILABLE.get() >= 1);
/// assert!(Threads::new(0).is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Threads(Option<NonZeroUsize>);

impl Threads {
    /// As many threads as [`std::thread::available_parallelism`] reports
    /// when the work starts (1 when it cannot tell).
    ///
    /// ```
    /// assert_eq!(sledai::Threads::AVAILABLE.fixed(), None);
    /// ```
    pub const AVAILABLE: Threads = Threads(None);

    /// One thread: the caller's (a sequential loop).
    ///
    /// ```
    /// assert_eq!(sledai::Threads::SEQUENTIAL.get(), 1);
    /// ```
    pub const SEQUENTIAL: Threads = Threads(Some(NonZeroUsize::MIN));

    /// At most `n` threads (the caller's included).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] (field `threads`) for 0.
    ///
    /// ```
    /// assert_eq!(sledai::Threads::new(2)?.fixed().map(|n| n.get()), Some(2));
    /// let err = sledai::Threads::new(0).unwrap_err();
    /// assert_eq!(err.to_string(), "threads: invalid value `0`: at least one thread is needed");
    /// # Ok::<(), sledai::Error>(())
    /// ```
    pub fn new(n: usize) -> Result<Threads, Error> {
        NonZeroUsize::new(n)
            .map(|n| Threads(Some(n)))
            .ok_or_else(|| Error::InvalidValue {
                field: "threads",
                value: n.to_string().into(),
                reason: "at least one thread is needed".into(),
            })
    }

    /// The fixed number of threads, or `None` for [`Threads::AVAILABLE`].
    ///
    /// ```
    /// use std::num::NonZeroUsize;
    /// assert_eq!(sledai::Threads::SEQUENTIAL.fixed(), Some(NonZeroUsize::MIN));
    /// ```
    pub const fn fixed(self) -> Option<NonZeroUsize> {
        self.0
    }

    /// The number of threads, [`Threads::AVAILABLE`] resolved now.
    ///
    /// ```
    /// assert!(sledai::Threads::default().get() >= 1);
    /// ```
    pub fn get(self) -> usize {
        self.0
            .or_else(|| std::thread::available_parallelism().ok())
            .map_or(1, NonZeroUsize::get)
    }
}

impl From<NonZeroUsize> for Threads {
    /// A fixed number of threads.
    ///
    /// ```
    /// use std::num::NonZeroUsize;
    /// let n = NonZeroUsize::new(3).unwrap();
    /// assert_eq!(sledai::Threads::from(n).get(), 3);
    /// ```
    fn from(n: NonZeroUsize) -> Threads {
        Threads(Some(n))
    }
}

/// Chunks per thread: more chunks than threads, taken in turn by whichever
/// thread is free, so that a thread slowed down (by other processes on a
/// shared machine) does not hold up the others with its fixed share.
const CHUNKS_PER_THREAD: usize = 4;

/// Contiguous ranges covering `0..n` in order, each of at least
/// `min_per_chunk` items (so small work is one range, run on the caller's
/// thread), at most [`CHUNKS_PER_THREAD`] per thread, sizes differing by
/// at most one; and the number of threads to run them on.
pub(crate) fn chunks(
    n: usize,
    threads: Threads,
    min_per_chunk: usize,
) -> (Vec<Range<usize>>, usize) {
    let by_size = n / min_per_chunk.max(1);
    // `get` (which may read the system) only when there is work to split.
    let t = if by_size < 2 { 1 } else { threads.get() };
    let k = if t == 1 {
        1
    } else {
        (t * CHUNKS_PER_THREAD).min(by_size)
    }
    .max(1);
    let (base, extra) = (n / k, n % k);
    let mut start = 0;
    let ranges = (0..k)
        .map(|i| {
            let len = base + usize::from(i < extra);
            let r = start..start + len;
            start += len;
            r
        })
        .collect();
    (ranges, t.min(k))
}

/// Runs `job(0..k)` on `threads` threads (the caller's one of them), each
/// thread taking the next index not yet taken, and returns the results in
/// index order; a panic in a job is resumed on the caller's thread.
pub(crate) fn run<R: Send, F: Fn(usize) -> R + Sync>(k: usize, threads: usize, job: F) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = (0..k).map(|_| Mutex::new(None)).collect();
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= k {
                break;
            }
            let r = job(i);
            *slots[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(r);
        }
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads.clamp(1, k.max(1)))
            .map(|_| s.spawn(work))
            .collect();
        work();
        for h in handles {
            if let Err(panic) = h.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    slots
        .into_iter()
        .filter_map(|m| m.into_inner().unwrap_or_else(PoisonError::into_inner))
        .collect()
}

/// Maps `0..n` in [`chunks`] with `f` (a chunk's items in order, on one
/// thread) and concatenates the chunks' outputs in order; the error is the
/// first chunk's in order that fails, which (each chunk stopping at its
/// first failure) is the first failing item's.
pub(crate) fn try_map_ranges<R, E, F>(
    n: usize,
    threads: Threads,
    min_per_chunk: usize,
    f: F,
) -> Result<Vec<R>, E>
where
    R: Send,
    E: Send,
    F: Fn(Range<usize>) -> Result<Vec<R>, E> + Sync,
{
    let (ranges, t) = chunks(n, threads, min_per_chunk);
    if ranges.len() == 1 {
        return f(0..n);
    }
    concat(run(ranges.len(), t, |i| f(ranges[i].clone())), n)
}

/// [`try_map_ranges`] over owned items: `items` split into [`chunks`], each
/// chunk moved to the thread that takes it.
pub(crate) fn try_map_owned<T, R, E, F>(
    mut items: Vec<T>,
    threads: Threads,
    min_per_chunk: usize,
    f: F,
) -> Result<Vec<R>, E>
where
    T: Send,
    R: Send,
    E: Send,
    F: Fn(Vec<T>) -> Result<Vec<R>, E> + Sync,
{
    let n = items.len();
    let (ranges, t) = chunks(n, threads, min_per_chunk);
    if ranges.len() == 1 {
        return f(items);
    }
    let mut parts: Vec<Mutex<Option<Vec<T>>>> = Vec::with_capacity(ranges.len());
    for r in ranges.iter().rev() {
        parts.push(Mutex::new(Some(items.split_off(r.start))));
    }
    parts.reverse();
    concat(
        run(parts.len(), t, |i| {
            let part = parts[i]
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            f(part.unwrap_or_default())
        }),
        n,
    )
}

/// The chunks' outputs in order, or the first chunk's error in order. The
/// first chunk's buffer is grown to hold them all (a large buffer grows in
/// place, by remapping), so only the other chunks are copied.
fn concat<R, E>(parts: Vec<Result<Vec<R>, E>>, n: usize) -> Result<Vec<R>, E> {
    let mut parts = parts.into_iter();
    let mut out = match parts.next() {
        Some(first) => first?,
        None => return Ok(Vec::new()),
    };
    out.reserve_exact(n.saturating_sub(out.len()));
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_in_order_and_respect_the_minimum() {
        for n in 0..200 {
            for t in 1..9 {
                for min in [1, 7, 64] {
                    let (rs, threads) = chunks(n, Threads::new(t).unwrap(), min);
                    let flat: Vec<usize> = rs.iter().cloned().flatten().collect();
                    assert_eq!(flat, (0..n).collect::<Vec<_>>());
                    assert!(rs.len() <= t * CHUNKS_PER_THREAD);
                    assert!((1..=t.min(rs.len())).contains(&threads));
                    assert!(rs.len() == 1 || rs.iter().all(|r| r.len() >= min));
                    assert_eq!(rs.len() == 1, t == 1 || n / min < 2);
                }
            }
        }
    }

    #[test]
    fn the_first_failing_item_in_order_is_reported() {
        // Items 30 and 170 fail; with any number of threads, 30 is reported.
        for t in 1..6 {
            let r = try_map_ranges(200, Threads::new(t).unwrap(), 10, |r| {
                r.map(|i| {
                    if i == 30 || i == 170 {
                        Err(i)
                    } else {
                        Ok(i * 2)
                    }
                })
                .collect()
            });
            assert_eq!(r, Err(30));
            let ok = try_map_owned((0..200).collect(), Threads::new(t).unwrap(), 10, |v| {
                Ok::<_, ()>(v.into_iter().map(|i: usize| i + 1).collect())
            });
            assert_eq!(ok, Ok((1..201).collect::<Vec<_>>()));
        }
    }
}
