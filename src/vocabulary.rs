//! Closed vocabularies, written once: [`vocabulary!`] turns one table of
//! variants and their stable snake_case identifiers into the enum, its
//! `ALL` list, `id`, `Display`, `FromStr` (with a "did you mean"
//! suggestion) and serde as the identifier. Every closed set of names the
//! crate parses (states, findings, band schemes, policies) is declared
//! through it, so the names, the parser, the error and the serde format
//! cannot disagree.

/// Declares a closed vocabulary. `field` names the vocabulary in errors
/// (`Error::UnknownName::field`), `path` is the public path used in the
/// generated documentation examples.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident, field = $field:literal, path = $path:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $id:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            #[doc = concat!("Every value, in declaration order; the identifiers are distinct.\n\n```\nuse ", $path, ";\nuse std::collections::HashSet;\nlet ids: HashSet<_> = ", stringify!($name), "::ALL.iter().map(|v| v.id()).collect();\nassert_eq!(ids.len(), ", stringify!($name), "::ALL.len());\n```")]
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The accepted identifiers, comma separated (for messages).
            const EXPECTED: &'static str = {
                const FULL: &str = concat!($($id, ", ",)+);
                let (head, _) = FULL.as_bytes().split_at(FULL.len() - 2);
                match core::str::from_utf8(head) {
                    Ok(s) => s,
                    Err(_) => FULL,
                }
            };

            #[doc = concat!("The stable snake_case identifier: what `Display` writes, `FromStr` reads and serde uses.\n\n```\nuse ", $path, ";\nfor v in ", stringify!($name), "::ALL {\n    assert_eq!(v.id().parse::<", stringify!($name), ">()?, *v);\n    assert_eq!(v.to_string(), v.id());\n}\n# Ok::<(), sledai::Error>(())\n```")]
            pub const fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)+
                }
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
                        value: s.to_owned(),
                        expected: $name::EXPECTED,
                        suggestion: $crate::error::nearest(s, $name::ALL.iter().map(|v| v.id())),
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
