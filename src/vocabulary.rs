//! Closed vocabularies of named policies.
//!
//! This module owns the [`Vocabulary`] trait and the crate-private
//! `vocabulary!` macro that generates, from ONE table per policy (variant,
//! snake_case identifier, documentation), the enum, its default, its
//! [`FromStr`](std::str::FromStr), [`Display`](std::fmt::Display) and serde
//! implementations and the list of accepted values. The command-line flags
//! and the Python keywords read [`Vocabulary::NAME`] and
//! [`Vocabulary::IDS`], so the three surfaces cannot drift apart.
//!
//! The policies and their defaults are listed in `docs/bilag.md` and
//! `docs/reference.md` sections 9.8 and 10.3.

/// A closed vocabulary of policy values, generated from one table.
///
/// ```
/// use sledai::bilag::BilagNewB;
/// use sledai::vocabulary::Vocabulary;
///
/// assert_eq!(BilagNewB::NAME, "bilag_new_b");
/// assert_eq!(BilagNewB::IDS, ["from_c_d_e", "from_d_e"]);
/// assert_eq!(BilagNewB::default().id(), "from_c_d_e");
/// assert_eq!("from_d_e".parse::<BilagNewB>()?, BilagNewB::FromDE);
/// assert!("from_b".parse::<BilagNewB>().is_err());
/// # Ok::<(), sledai::Error>(())
/// ```
pub trait Vocabulary: Sized + Copy + 'static {
    /// The policy name (snake_case), also the error field of a bad value.
    const NAME: &'static str;
    /// Every accepted identifier, the default first.
    const IDS: &'static [&'static str];
    /// Every value, in the order of [`Vocabulary::IDS`].
    const ALL: &'static [Self];
    /// The identifier of this value.
    fn id(self) -> &'static str;
}

/// Joins string literals with `", "` at compile time.
macro_rules! join_ids {
    ($a:literal) => { $a };
    ($a:literal, $($rest:literal),+) => { concat!($a, ", ", $crate::vocabulary::join_ids!($($rest),+)) };
}
pub(crate) use join_ids;

/// Generates a closed policy enum from one table; the first row is the
/// default.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident = $policy:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $id:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every accepted identifier, comma separated (for messages).
            pub const EXPECTED: &'static str = $crate::vocabulary::join_ids!($($id),+);
        }

        impl $crate::vocabulary::Vocabulary for $name {
            const NAME: &'static str = $policy;
            const IDS: &'static [&'static str] = &[$($id),+];
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn id(self) -> &'static str {
                match self {
                    $( $name::$variant => $id ),+
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                <$name as $crate::vocabulary::Vocabulary>::ALL[0]
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::vocabulary::Vocabulary::id(*self))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::error::Error;
            fn from_str(s: &str) -> Result<Self, $crate::error::Error> {
                use $crate::vocabulary::Vocabulary;
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.id() == s)
                    .ok_or_else(|| $crate::error::Error::UnknownName {
                        field: $policy,
                        value: s.to_owned(),
                        expected: $name::EXPECTED,
                        suggestion: $crate::error::nearest(s, $name::IDS.iter().copied()),
                    })
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::vocabulary::Vocabulary::id(*self))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl ::serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        write!(f, "one of: {}", $name::EXPECTED)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}
pub(crate) use vocabulary;
