//! Closed vocabularies, written once.
//!
//! This module owns the [`Vocabulary`] trait and the crate-private
//! `vocabulary!` macro that turns ONE table of variants and their stable
//! snake_case identifiers into the enum, its `ALL` list, `id`, `Display`,
//! `FromStr` (with a "did you mean" suggestion), serde as the identifier,
//! and the [`Vocabulary`] implementation. Every closed set of names the
//! crate parses (states, findings, band schemes, outcomes, policies) is
//! declared through it, so the names, the parser, the error and the serde
//! format cannot disagree. The command-line flags and the Python keywords
//! read [`Vocabulary::NAME`] and [`Vocabulary::IDS`], so the three surfaces
//! cannot drift apart either.
//!
//! A *policy* (a named reading of an ambiguous rule, `docs/reference.md`
//! sections 9.8 and 10.3) is declared with `= "policy_name"`: its first row
//! is its default, and it is `#[non_exhaustive]`.

/// A closed vocabulary generated from one table.
///
/// ```
/// use sledai::bilag::BilagNewB;
/// use sledai::vocabulary::Vocabulary;
/// use sledai::TriState;
///
/// assert_eq!(BilagNewB::NAME, "bilag_new_b");
/// assert_eq!(BilagNewB::IDS, ["from_c_d_e", "from_d_e"]);
/// assert_eq!(BilagNewB::default().id(), "from_c_d_e");
/// assert_eq!("from_d_e".parse::<BilagNewB>()?, BilagNewB::FromDE);
/// assert!("from_b".parse::<BilagNewB>().is_err());
///
/// assert_eq!(TriState::NAME, "state");
/// assert_eq!(TriState::IDS, ["met", "not_met", "indeterminate"]);
/// # Ok::<(), sledai::Error>(())
/// ```
pub trait Vocabulary: Sized + Copy + 'static {
    /// The vocabulary's name (snake_case), also the error field of a bad
    /// value; for a policy, the policy name.
    const NAME: &'static str;
    /// Every accepted identifier, in table order (a policy's default
    /// first).
    const IDS: &'static [&'static str];
    /// Every value, in the order of [`Vocabulary::IDS`].
    const ALL: &'static [Self];
    /// Former spellings that `FromStr` still reads (never listed in help or
    /// messages); none for a vocabulary declared by the table.
    const ALIASES: &'static [&'static str] = &[];
    /// The identifier of this value.
    fn id(self) -> &'static str;
}

/// Joins string literals with `", "` at compile time.
macro_rules! join_ids {
    ($a:literal) => { $a };
    ($a:literal, $($rest:literal),+) => { concat!($a, ", ", $crate::vocabulary::join_ids!($($rest),+)) };
}
pub(crate) use join_ids;

/// Declares a closed vocabulary.
///
/// - `pub enum Name, field = "name", path = "sledai::Name" { V = "v", ... }`:
///   a closed vocabulary; `field` names it in errors.
/// - `pub enum Name = "policy_name", path = "sledai::m::Name" { ... }`: a
///   policy, `#[non_exhaustive]`, whose first row is its `Default`.
///
/// `path` is the public path used by the generated documentation examples.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident = $policy:literal, path = $path:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $id:literal ),+ $(,)?
        }
    ) => {
        $crate::vocabulary::vocabulary! {
            $(#[$meta])*
            #[non_exhaustive]
            pub enum $name, field = $policy, path = $path {
                $( $(#[$vmeta])* $variant = $id, )+
            }
        }

        impl Default for $name {
            /// The first row of the table: the documented default.
            fn default() -> Self {
                $name::ALL[0]
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident, field = $field:literal, path = $path:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $id:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            #[doc = concat!("Every value, in table order; the identifiers are distinct.\n\n```\nuse ", $path, ";\nuse std::collections::HashSet;\nlet ids: HashSet<_> = ", stringify!($name), "::ALL.iter().map(|v| v.id()).collect();\nassert_eq!(ids.len(), ", stringify!($name), "::ALL.len());\n```")]
            pub const ALL: [$name; [$($id),+].len()] = [$($name::$variant),+];

            #[doc = concat!("The accepted identifiers, comma separated (for messages).\n\n```\nuse ", $path, ";\nassert!(", stringify!($name), "::EXPECTED.contains(", stringify!($name), "::ALL[0].id()));\n```")]
            pub const EXPECTED: &'static str = $crate::vocabulary::join_ids!($($id),+);

            #[doc = concat!("The stable snake_case identifier: what `Display` writes, `FromStr` reads and serde uses.\n\n```\nuse ", $path, ";\nfor v in ", stringify!($name), "::ALL {\n    assert_eq!(v.id().parse::<", stringify!($name), ">()?, v);\n    assert_eq!(v.to_string(), v.id());\n}\n# Ok::<(), sledai::Error>(())\n```")]
            pub const fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)+
                }
            }
        }

        impl $crate::vocabulary::Vocabulary for $name {
            const NAME: &'static str = $field;
            const IDS: &'static [&'static str] = &[$($id),+];
            const ALL: &'static [Self] = &$name::ALL;
            fn id(self) -> &'static str {
                $name::id(self)
            }
        }

        impl core::fmt::Display for $name {
            /// The identifier ([`Self::id`]).
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.id())
            }
        }

        impl core::str::FromStr for $name {
            type Err = $crate::Error;

            /// Parses the identifier exactly; anything else is
            /// [`Error::UnknownName`](crate::Error::UnknownName) with the
            /// accepted values and the nearest one.
            fn from_str(s: &str) -> Result<$name, $crate::Error> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.id() == s)
                    .ok_or_else(|| $crate::Error::UnknownName {
                        field: $field,
                        value: s.to_owned().into(),
                        expected: $name::EXPECTED,
                    })
            }
        }

        impl serde::Serialize for $name {
            /// The identifier ([`Self::id`]).
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.id())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            /// The identifier, as `FromStr` reads it.
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                        write!(f, "one of: {}", $name::EXPECTED)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

pub(crate) use vocabulary;
