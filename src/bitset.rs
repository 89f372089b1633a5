//! Plumbing shared by the crate's small bit-set types ([`crate::DescriptorSet`],
//! [`crate::classification::CriterionSet`]): iteration over the set bits,
//! the comma-separated `Display`, and reading an array of identifiers with
//! repeats rejected, and the set API itself ([`bit_set_api`], written
//! once).

use std::fmt;

/// An iterator over the elements of a set ([`crate::DescriptorSet`],
/// [`crate::classification::CriterionSet`]), in table order; it knows its
/// length and runs from both ends.
///
/// ```
/// use sledai::{Descriptor, DescriptorSet};
/// let set = DescriptorSet::EMPTY.with(Descriptor::Rash).with(Descriptor::Seizure);
/// let mut it = set.into_iter();
/// assert_eq!(it.len(), 2);
/// assert_eq!(it.next_back(), Some(Descriptor::Rash));
/// assert_eq!(it.next(), Some(Descriptor::Seizure));
/// assert_eq!(it.next(), None);
/// ```
#[derive(Debug, Clone)]
pub struct SetIter<T: 'static> {
    bits: u32,
    all: &'static [T],
}

impl<T> SetIter<T> {
    pub(crate) const fn new(bits: u32, all: &'static [T]) -> SetIter<T> {
        SetIter { bits, all }
    }
}

impl<T: Copy> Iterator for SetIter<T> {
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

impl<T: Copy> DoubleEndedIterator for SetIter<T> {
    fn next_back(&mut self) -> Option<T> {
        if self.bits == 0 {
            return None;
        }
        let i = 31 - self.bits.leading_zeros() as usize;
        self.bits &= !(1 << i);
        self.all.get(i).copied()
    }
}

impl<T: Copy> ExactSizeIterator for SetIter<T> {}

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

/// The API every bit-set type of the crate shares, written once: the
/// constants `EMPTY` and `FULL`, `bits`, `contains`, `with`, `without`,
/// `union`, `intersection`, `difference`, `len`, `is_empty`, `iter`, the
/// operators `|`, `&`, `-` (and their assigning forms), `IntoIterator`,
/// `FromIterator`, `Extend` and the comma-separated `Display`.
///
/// `$set(u32)` is the set type, `$elem` its element (with `bit()`, `id()`
/// and an `ALL` table in bit order), `$full` the mask of every element;
/// `$path`, `$elem_path`, `$a` and `$b` (two elements, `$a` first in bit
/// order) and `$noun` only feed the documentation examples.
macro_rules! bit_set_api {
    (
        $set:ident, $elem:ident, full = $full:expr,
        path = $path:literal, elem_path = $elem_path:literal,
        a = $a:ident, b = $b:ident, noun = $noun:literal
    ) => {
        impl $set {
            #[doc = concat!("The empty set.\n\n```\nuse ", $path, ";\nassert!(", stringify!($set), "::EMPTY.is_empty());\n```")]
            pub const EMPTY: $set = $set(0);

            #[doc = concat!("The set of all ", $noun, ".\n\n```\nuse ", $path, ";\nuse ", $elem_path, ";\nassert_eq!(", stringify!($set), "::FULL.len(), ", stringify!($elem), "::ALL.len());\n```")]
            pub const FULL: $set = $set($full);

            #[doc = concat!("The mask of the set: bit `i` is `", stringify!($elem), "::ALL[i]`.\n\n```\nuse ", $path, ";\nuse ", $elem_path, ";\nassert_eq!(", stringify!($set), "::EMPTY.with(", stringify!($elem), "::ALL[0]).bits(), 1);\n```")]
            pub const fn bits(self) -> u32 {
                self.0
            }

            #[doc = concat!("Whether `element` is in the set.\n\n```\nuse ", $path, ";\nuse ", $elem_path, ";\nassert!(!", stringify!($set), "::EMPTY.contains(", stringify!($elem), "::", stringify!($a), "));\nassert!(", stringify!($set), "::FULL.contains(", stringify!($elem), "::", stringify!($a), "));\n```")]
            pub const fn contains(self, element: $elem) -> bool {
                self.0 & element.bit() != 0
            }

            #[doc = concat!("The set with `element` added.\n\n```\nuse ", $path, ";\nuse ", $elem_path, ";\nlet set = ", stringify!($set), "::EMPTY.with(", stringify!($elem), "::", stringify!($a), ");\nassert!(set.contains(", stringify!($elem), "::", stringify!($a), "));\n```")]
            #[must_use]
            pub const fn with(self, element: $elem) -> $set {
                $set(self.0 | element.bit())
            }

            #[doc = concat!("The set with `element` removed.\n\n```\nuse ", $path, ";\nuse ", $elem_path, ";\nlet set = ", stringify!($set), "::FULL.without(", stringify!($elem), "::", stringify!($a), ");\nassert_eq!(set.len(), ", stringify!($elem), "::ALL.len() - 1);\n```")]
            #[must_use]
            pub const fn without(self, element: $elem) -> $set {
                $set(self.0 & !element.bit())
            }

            #[doc = concat!("The ", $noun, " in `self` or `other` (also `self | other`).\n\n```\nuse ", $path, ";\nuse ", $elem_path, ";\nlet a = ", stringify!($set), "::EMPTY.with(", stringify!($elem), "::", stringify!($a), ");\nlet b = ", stringify!($set), "::EMPTY.with(", stringify!($elem), "::", stringify!($b), ");\nassert_eq!(a.union(b).len(), 2);\nassert_eq!(a | b, a.union(b));\n```")]
            #[must_use]
            pub const fn union(self, other: $set) -> $set {
                $set(self.0 | other.0)
            }

            #[doc = concat!("The ", $noun, " in both `self` and `other` (also `self & other`).\n\n```\nuse ", $path, ";\nuse ", $elem_path, ";\nlet a = ", stringify!($set), "::EMPTY.with(", stringify!($elem), "::", stringify!($a), ");\nassert_eq!(", stringify!($set), "::FULL.intersection(a), a);\nassert_eq!(", stringify!($set), "::FULL & a, a);\n```")]
            #[must_use]
            pub const fn intersection(self, other: $set) -> $set {
                $set(self.0 & other.0)
            }

            #[doc = concat!("The ", $noun, " in `self` but not in `other` (also `self - other`).\n\n```\nuse ", $path, ";\nuse ", $elem_path, ";\nlet now: ", stringify!($set), " = [", stringify!($elem), "::", stringify!($a), ", ", stringify!($elem), "::", stringify!($b), "].into_iter().collect();\nlet before = ", stringify!($set), "::EMPTY.with(", stringify!($elem), "::", stringify!($a), ");\nassert_eq!(now.difference(before).iter().collect::<Vec<_>>(), [", stringify!($elem), "::", stringify!($b), "]);\nassert_eq!(now - before, now.difference(before));\n```")]
            #[must_use]
            pub const fn difference(self, other: $set) -> $set {
                $set(self.0 & !other.0)
            }

            #[doc = concat!("The number of ", $noun, " in the set.\n\n```\nuse ", $path, ";\nassert_eq!(", stringify!($set), "::EMPTY.len(), 0);\n```")]
            pub const fn len(self) -> usize {
                self.0.count_ones() as usize
            }

            #[doc = concat!("Whether the set is empty.\n\n```\nuse ", $path, ";\nassert!(!", stringify!($set), "::FULL.is_empty());\n```")]
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            #[doc = concat!("The ", $noun, " in table order (also `for x in set`).\n\n```\nuse ", $path, ";\nuse ", $elem_path, ";\nassert_eq!(", stringify!($set), "::FULL.iter().next(), Some(", stringify!($elem), "::ALL[0]));\nlet set = ", stringify!($set), "::EMPTY.with(", stringify!($elem), "::", stringify!($b), ").with(", stringify!($elem), "::", stringify!($a), ");\nassert_eq!(set.into_iter().collect::<Vec<_>>(), [", stringify!($elem), "::", stringify!($a), ", ", stringify!($elem), "::", stringify!($b), "]);\n```")]
            pub fn iter(self) -> impl DoubleEndedIterator<Item = $elem> + ExactSizeIterator + Clone {
                $crate::bitset::SetIter::new(self.0, &$elem::ALL)
            }
        }

        impl IntoIterator for $set {
            type Item = $elem;
            type IntoIter = $crate::bitset::SetIter<$elem>;

            /// The elements in table order, as [`Self::iter`].
            fn into_iter(self) -> Self::IntoIter {
                $crate::bitset::SetIter::new(self.0, &$elem::ALL)
            }
        }

        impl FromIterator<$elem> for $set {
            fn from_iter<I: IntoIterator<Item = $elem>>(iter: I) -> Self {
                $set(iter.into_iter().fold(0, |m, e| m | e.bit()))
            }
        }

        impl Extend<$elem> for $set {
            fn extend<I: IntoIterator<Item = $elem>>(&mut self, iter: I) {
                for e in iter {
                    self.0 |= e.bit();
                }
            }
        }

        impl core::ops::BitOr for $set {
            type Output = $set;
            /// The union.
            fn bitor(self, rhs: $set) -> $set {
                self.union(rhs)
            }
        }

        impl core::ops::BitAnd for $set {
            type Output = $set;
            /// The intersection.
            fn bitand(self, rhs: $set) -> $set {
                self.intersection(rhs)
            }
        }

        impl core::ops::Sub for $set {
            type Output = $set;
            /// The difference.
            fn sub(self, rhs: $set) -> $set {
                self.difference(rhs)
            }
        }

        impl core::ops::BitOrAssign for $set {
            fn bitor_assign(&mut self, rhs: $set) {
                *self = self.union(rhs);
            }
        }

        impl core::ops::BitAndAssign for $set {
            fn bitand_assign(&mut self, rhs: $set) {
                *self = self.intersection(rhs);
            }
        }

        impl core::ops::SubAssign for $set {
            fn sub_assign(&mut self, rhs: $set) {
                *self = self.difference(rhs);
            }
        }

        impl core::fmt::Display for $set {
            /// The identifiers in table order, comma separated; `none` when
            /// empty.
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                $crate::bitset::fmt_ids(f, self.iter().map($elem::id))
            }
        }
    };
}

pub(crate) use bit_set_api;
