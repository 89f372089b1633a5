//! How many threads the work that is independent per patient may use, and the one way the crate splits such work: contiguous chunks
//! in input order, one per thread (`std::thread::scope`), results put back
//! in that order, and the error of the first failing item in that order.
//! With one thread (or too little work to split) the work runs on the
//! caller's thread, exactly as a sequential loop; the results do not depend
//! on the number of threads.

use std::num::NonZeroUsize;
use std::ops::Range;

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

/// Contiguous ranges covering `0..n` in order: one per thread, each of at
/// least `min_per_thread` items (so small work is one range, run on the
/// caller's thread), sizes differing by at most one.
pub(crate) fn chunks(n: usize, threads: Threads, min_per_thread: usize) -> Vec<Range<usize>> {
    let by_size = n / min_per_thread.max(1);
    // `get` (which may read the system) only when there is work to split.
    let k = if by_size < 2 {
        1
    } else {
        threads.get().min(by_size)
    }
    .max(1);
    let (base, extra) = (n / k, n % k);
    let mut start = 0;
    (0..k)
        .map(|i| {
            let len = base + usize::from(i < extra);
            let r = start..start + len;
            start += len;
            r
        })
        .collect()
}

/// Runs each task (the first on the caller's thread, the others on their
/// own scoped threads) and returns their results in task order; a panic in
/// a task is resumed on the caller's thread.
pub(crate) fn run<R: Send, F: FnOnce() -> R + Send>(tasks: Vec<F>) -> Vec<R> {
    let mut tasks = tasks.into_iter();
    let Some(first) = tasks.next() else {
        return Vec::new();
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = tasks.map(|t| s.spawn(t)).collect();
        let mut out = Vec::with_capacity(handles.len() + 1);
        out.push(first());
        for h in handles {
            match h.join() {
                Ok(r) => out.push(r),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// Maps `0..n` in [`chunks`] with `f` (a chunk's items in order, on one
/// thread) and concatenates the chunks' outputs in order; the error is the
/// first chunk's in order that fails, which (each chunk stopping at its
/// first failure) is the first failing item's.
pub(crate) fn try_map_ranges<R, E, F>(
    n: usize,
    threads: Threads,
    min_per_thread: usize,
    f: F,
) -> Result<Vec<R>, E>
where
    R: Send,
    E: Send,
    F: Fn(Range<usize>) -> Result<Vec<R>, E> + Sync,
{
    let ranges = chunks(n, threads, min_per_thread);
    if ranges.len() == 1 {
        return f(0..n);
    }
    let f = &f;
    concat(run(ranges.into_iter().map(|r| move || f(r)).collect()), n)
}

/// [`try_map_ranges`] over owned items: `items` split into [`chunks`], each
/// chunk moved to its thread.
pub(crate) fn try_map_owned<T, R, E, F>(
    mut items: Vec<T>,
    threads: Threads,
    min_per_thread: usize,
    f: F,
) -> Result<Vec<R>, E>
where
    T: Send,
    R: Send,
    E: Send,
    F: Fn(Vec<T>) -> Result<Vec<R>, E> + Sync,
{
    let n = items.len();
    let ranges = chunks(n, threads, min_per_thread);
    if ranges.len() == 1 {
        return f(items);
    }
    let mut parts: Vec<Vec<T>> = Vec::with_capacity(ranges.len());
    for r in ranges.iter().rev() {
        parts.push(items.split_off(r.start));
    }
    parts.reverse();
    let f = &f;
    concat(run(parts.into_iter().map(|p| move || f(p)).collect()), n)
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
                    let rs = chunks(n, Threads::new(t).unwrap(), min);
                    let flat: Vec<usize> = rs.iter().cloned().flatten().collect();
                    assert_eq!(flat, (0..n).collect::<Vec<_>>());
                    assert!(rs.len() <= t.max(1));
                    assert!(rs.len() == 1 || rs.iter().all(|r| r.len() >= min));
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
