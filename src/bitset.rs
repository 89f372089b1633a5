//! Plumbing shared by the crate's small bit-set types ([`crate::DescriptorSet`],
//! [`crate::classification::CriterionSet`]): iteration over the set bits,
//! the comma-separated `Display`, and reading an array of identifiers with
//! repeats rejected, and the three-state (present / absent / not assessed)
//! mask pair. Private: each set type keeps its own documented API.

use std::fmt;

use crate::assessment::Finding;

/// The `(present, not_assessed)` mask pair with `bit` set to `finding`:
/// the three-state encoding of assessments and classification inputs.
pub(crate) const fn set_finding(
    present: u32,
    not_assessed: u32,
    bit: u32,
    finding: Finding,
) -> (u32, u32) {
    let (present, not_assessed) = (present & !bit, not_assessed & !bit);
    match finding {
        Finding::Present => (present | bit, not_assessed),
        Finding::Absent => (present, not_assessed),
        Finding::NotAssessed => (present, not_assessed | bit),
    }
}

/// The finding `bit` has in the `(present, not_assessed)` mask pair.
pub(crate) const fn get_finding(present: u32, not_assessed: u32, bit: u32) -> Finding {
    if present & bit != 0 {
        Finding::Present
    } else if not_assessed & bit != 0 {
        Finding::NotAssessed
    } else {
        Finding::Absent
    }
}

/// The elements whose bits are set in `bits`, where bit `i` is `all[i]`;
/// lowest bit first.
#[derive(Clone)]
pub(crate) struct BitIter<T: 'static> {
    bits: u32,
    all: &'static [T],
}

impl<T> BitIter<T> {
    pub(crate) const fn new(bits: u32, all: &'static [T]) -> BitIter<T> {
        BitIter { bits, all }
    }
}

impl<T: Copy> Iterator for BitIter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.bits == 0 {
            return None;
        }
        let i = self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        self.all.get(i).copied()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.bits.count_ones() as usize;
        (n, Some(n))
    }
}

impl<T: Copy> DoubleEndedIterator for BitIter<T> {
    fn next_back(&mut self) -> Option<T> {
        if self.bits == 0 {
            return None;
        }
        let i = 31 - self.bits.leading_zeros() as usize;
        self.bits &= !(1 << i);
        self.all.get(i).copied()
    }
}

impl<T: Copy> ExactSizeIterator for BitIter<T> {}

/// Writes the identifiers comma separated, or `none` for an empty set.
pub(crate) fn fmt_ids<I: Iterator<Item = &'static str>>(
    f: &mut fmt::Formatter<'_>,
    mut ids: I,
) -> fmt::Result {
    let Some(first) = ids.next() else {
        return f.write_str("none");
    };
    f.write_str(first)?;
    for id in ids {
        f.write_str(", ")?;
        f.write_str(id)?;
    }
    Ok(())
}

/// Reads an array of elements into a mask; a repeated element is the error
/// `repeated` builds.
pub(crate) fn deserialize_seq<'de, D, T, E>(
    d: D,
    expecting: &'static str,
    bit: fn(T) -> u32,
    repeated: fn(T) -> E,
) -> Result<u32, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + Copy,
    E: fmt::Display,
{
    struct V<T, E> {
        expecting: &'static str,
        bit: fn(T) -> u32,
        repeated: fn(T) -> E,
    }
    impl<'de, T: serde::Deserialize<'de> + Copy, E: fmt::Display> serde::de::Visitor<'de> for V<T, E> {
        type Value = u32;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<u32, A::Error> {
            let mut mask = 0u32;
            while let Some(x) = seq.next_element::<T>()? {
                let b = (self.bit)(x);
                if mask & b != 0 {
                    return Err(serde::de::Error::custom((self.repeated)(x)));
                }
                mask |= b;
            }
            Ok(mask)
        }
    }
    d.deserialize_seq(V {
        expecting,
        bit,
        repeated,
    })
}
