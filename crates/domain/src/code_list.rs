//! A small macro for the many closed code lists (SSDA903 and Hearth's own): each becomes an enum that
//! parses from its code, prints its code, has a human label, and (de)serialises as the code, so the
//! code a council reports to DfE is the one stored and sent over the API.

/// Declares a code-list enum. `field` is the input name used in parse errors.
#[macro_export]
macro_rules! code_list {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($field:literal) {
            $( $variant:ident = $code:literal => $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $( $variant ),+ }

        impl $name {
            /// Every value, in the order the code list gives them.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The code as reported (e.g. `U4`).
            pub const fn code(self) -> &'static str {
                match self { $( $name::$variant => $code ),+ }
            }

            /// What the code means, in words.
            pub const fn label(self) -> &'static str {
                match self { $( $name::$variant => $label ),+ }
            }

            /// Parses a code, ignoring surrounding space and letter case.
            pub fn parse(raw: &str) -> Result<Self, $crate::DomainError> {
                let t = raw.trim();
                $( if t.eq_ignore_ascii_case($code) { return Ok($name::$variant); } )+
                let known: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
                Err($crate::DomainError::new(
                    $field,
                    format!("'{}' is not a known code; use one of {}", t, known.join(", ")),
                ))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Self::parse(s) }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Self::parse(&s).map_err(|e| ::serde::de::Error::custom(e.message))
            }
        }
    };
}
