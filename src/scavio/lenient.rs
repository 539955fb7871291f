//! Serde types that never fail on an odd value, so that one strange field cannot lose an answer:
//! [`Scalar`] takes any JSON value and keeps what a number, string or flag could mean;
//! [`Lenient`] is an object of a known shape or a note that the value was not an object; [`List`]
//! is an array or a note that it was not one.
//!
//! What the API meant is decided later, by the readers in `wire`, which can then say exactly which
//! field was unreadable instead of silently reading 0.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::model::MAX_COUNT;

/// Any JSON value, kept as far as a count, an id, a flag or a text could use it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number that fits `u64`.
    Unsigned(u64),
    /// A negative whole number.
    Negative(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Text(String),
    /// An array or an object.
    Nested,
}

impl Scalar {
    /// A count: a whole, non-negative number (or numeric string) up to [`MAX_COUNT`]. `Err` shows
    /// what was there instead, for a data-quality note.
    pub(crate) fn count(&self) -> Result<u64, String> {
        self.whole()
            .filter(|n| *n <= MAX_COUNT)
            .ok_or_else(|| self.shown())
    }

    /// A whole, non-negative number (or numeric string) that fits `u64`, however large.
    pub(crate) fn whole(&self) -> Option<u64> {
        let whole = |f: f64| {
            (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < u64::MAX as f64)
                .then_some(f as u64)
        };
        match self {
            Scalar::Unsigned(n) => Some(*n),
            Scalar::Float(f) => whole(*f),
            Scalar::Text(s) => {
                let s = s.trim();
                s.parse::<u64>()
                    .ok()
                    .or_else(|| s.parse::<f64>().ok().and_then(whole))
            }
            _ => None,
        }
    }

    /// An id made only of digits (from a string or a whole number).
    pub(crate) fn digits(&self) -> Option<String> {
        match self {
            Scalar::Unsigned(n) => Some(n.to_string()),
            Scalar::Text(s) => {
                let s = s.trim();
                (!s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| s.to_string())
            }
            _ => None,
        }
    }

    /// A text (numbers written as text, since ids are sometimes numbers).
    pub(crate) fn text(&self) -> Option<String> {
        match self {
            Scalar::Text(s) => Some(s.clone()),
            Scalar::Unsigned(n) => Some(n.to_string()),
            Scalar::Negative(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// A flag: `true`, a non-zero number, `"1"` or `"true"` (in any case).
    pub(crate) fn truthy(&self) -> bool {
        self.flag().unwrap_or(false)
    }

    /// A flag read strictly: `true`/`false`, `1`/`0`, or those as strings (in any case); `None` for
    /// anything else, which a caller that must not guess refuses.
    pub(crate) fn flag(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            Scalar::Unsigned(n) => Some(*n != 0),
            Scalar::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
                "1" | "true" => Some(true),
                "0" | "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// How the value reads in a note: `"1.2K"`, `-5`, `1e30`, `an object or a list`.
    pub(crate) fn shown(&self) -> String {
        match self {
            Scalar::Null => "null".into(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Unsigned(n) => n.to_string(),
            Scalar::Negative(n) => n.to_string(),
            Scalar::Float(f) => format!("{f:e}"),
            Scalar::Text(s) => {
                let s: String = crate::text::clean(s).chars().take(24).collect();
                format!("{s:?}")
            }
            Scalar::Nested => "an object or a list".into(),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Unsigned(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(u64::try_from(v).map_or(Scalar::Negative(v), Scalar::Unsigned))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }
    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Nested)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Nested)
    }
}

/// An object of shape `T` (whose fields are all lenient, so reading it cannot fail), or a note that
/// the value was something else.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lenient<T> {
    /// It was an object.
    Object(T),
    /// It was not an object (a string, a number, a list, `null`).
    NotObject,
}

impl<T> Lenient<T> {
    /// The object, if it was one.
    pub(crate) fn object(&self) -> Option<&T> {
        match self {
            Lenient::Object(t) => Some(t),
            Lenient::NotObject => None,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor(PhantomData))
    }
}

struct LenientVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for LenientVisitor<T> {
    type Value = Lenient<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Lenient<T>, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Lenient::Object)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lenient<T>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Lenient::NotObject)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Lenient<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Lenient<T>, E> {
        Ok(Lenient::NotObject)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Lenient<T>, E> {
        Ok(Lenient::NotObject)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Lenient<T>, E> {
        Ok(Lenient::NotObject)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Lenient<T>, E> {
        Ok(Lenient::NotObject)
    }
    fn visit_str<E>(self, _: &str) -> Result<Lenient<T>, E> {
        Ok(Lenient::NotObject)
    }
    fn visit_unit<E>(self) -> Result<Lenient<T>, E> {
        Ok(Lenient::NotObject)
    }
    fn visit_none<E>(self) -> Result<Lenient<T>, E> {
        Ok(Lenient::NotObject)
    }
}

/// A field that may be left out, `null`, or there: an answer without a field is not the same as
/// one that says there is nothing (the profile's `user`).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum Presence<T> {
    /// The field is not in the object (with `#[serde(default)]`).
    #[default]
    Missing,
    /// The field is `null`.
    Null,
    /// The field holds a value.
    Present(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Presence<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Presence::Null, Presence::Present))
    }
}

/// An array of `T`, or a note that the value was something else.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum List<T> {
    /// It was an array.
    Items(Vec<T>),
    /// It was not an array.
    NotList,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = deserializer.deserialize_any(ListVisitor(PhantomData))?;
        Ok(items.map_or(List::NotList, List::Items))
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Some(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Shape {
        n: Option<Scalar>,
        inner: Option<Lenient<Inner>>,
        list: Option<List<Scalar>>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        x: Option<Scalar>,
    }

    fn shape(json: &str) -> Shape {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn odd_values_never_fail_the_parse() {
        let s = shape(r#"{"n": {"a": [1]}, "inner": "text", "list": {"k": 1}, "extra": [null]}"#);
        assert_eq!(s.n, Some(Scalar::Nested));
        assert_eq!(s.inner, Some(Lenient::NotObject));
        assert_eq!(s.list, Some(List::NotList));
        let s = shape(r#"{"n": null, "inner": {"x": "7"}, "list": [1, "a"]}"#);
        assert_eq!(s.n, None);
        assert_eq!(
            s.inner,
            Some(Lenient::Object(Inner {
                x: Some(Scalar::Text("7".into()))
            }))
        );
        assert_eq!(
            s.list,
            Some(List::Items(vec![
                Scalar::Unsigned(1),
                Scalar::Text("a".into())
            ]))
        );
    }

    #[test]
    fn counts_are_whole_non_negative_and_plausible() {
        assert_eq!(Scalar::Unsigned(48_210).count(), Ok(48_210));
        assert_eq!(Scalar::Text(" 1000 ".into()).count(), Ok(1000));
        assert_eq!(Scalar::Text("48210.0".into()).count(), Ok(48_210));
        assert_eq!(Scalar::Float(5e9).count(), Ok(5_000_000_000));
        assert_eq!(Scalar::Text("1.2K".into()).count(), Err("\"1.2K\"".into()));
        assert_eq!(Scalar::Negative(-5).count(), Err("-5".into()));
        assert_eq!(Scalar::Float(1e30).count(), Err("1e30".into()));
        assert_eq!(Scalar::Float(2.5).count(), Err("2.5e0".into()));
        assert!(Scalar::Unsigned(u64::MAX).count().is_err());
        assert!(Scalar::Null.count().is_err());
    }

    #[test]
    fn ids_are_digits_only() {
        assert_eq!(
            Scalar::Text("7379912345678901234".into())
                .digits()
                .as_deref(),
            Some("7379912345678901234")
        );
        assert_eq!(Scalar::Unsigned(42).digits().as_deref(), Some("42"));
        for bad in ["", "12a", "../1", "1 2"] {
            assert_eq!(Scalar::Text(bad.into()).digits(), None, "{bad}");
        }
        assert_eq!(Scalar::Float(1.5).digits(), None);
    }

    #[test]
    fn flags_read_every_spelling() {
        for yes in [
            Scalar::Bool(true),
            Scalar::Unsigned(1),
            Scalar::Text("true".into()),
            Scalar::Text("True".into()),
        ] {
            assert!(yes.truthy());
        }
        assert_eq!(Scalar::Text("yes".into()).flag(), None);
        assert_eq!(Scalar::Text("FALSE".into()).flag(), Some(false));
        for no in [
            Scalar::Bool(false),
            Scalar::Unsigned(0),
            Scalar::Text("0".into()),
            Scalar::Null,
        ] {
            assert!(!no.truthy());
        }
    }
}
