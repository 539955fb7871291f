//! Reading back the fixed names the analysis writes (weekdays, length buckets, formats, the
//! benchmark's source): a name read from a saved report is taken only when it is one this build
//! writes, as that `'static` name, so that a report read back holds the same values as one built.

use serde::de::{Deserialize, Deserializer, Error};

/// The name of `known` that the deserializer holds; an error for any other text.
pub(crate) fn one_of<'de, D: Deserializer<'de>>(
    deserializer: D,
    known: &[&'static str],
) -> Result<&'static str, D::Error> {
    let text = String::deserialize(deserializer)?;
    (known.iter().copied())
        .find(|name| *name == text)
        .ok_or_else(|| D::Error::custom(format!("{text:?} is not a name this version writes")))
}
