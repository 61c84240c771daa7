//! What JSON value a request type reads at the top level.
//!
//! serde's derived `Deserialize` for a struct also accepts a JSON *array* (fields by
//! position), so `[ "alice", "pw" ]` would pass for `{"username":…,"password":…}`. No
//! client of ours sends that; accepting it only widens what an attacker can feed us and
//! makes the OpenAPI document (which says `object`) wrong. The probe asks a type which
//! `deserialize_*` it calls first, without reading any input, so `ApiJson` can require an
//! object exactly where the handler's type is a struct or a map.

use std::fmt;

use serde::de::{self, Deserialize, Visitor};

/// The top-level shape a type asks its deserializer for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A struct or a map: the body must be a JSON object.
    Object,
    /// Anything else (a sequence, a scalar, or a self-describing read such as an untagged
    /// enum or `serde_json::Value`): the type's own rules decide.
    Other,
}

/// The shape `T` reads at its top level.
pub fn top_level_shape<'de, T: Deserialize<'de>>() -> Shape {
    match T::deserialize(Probe) {
        Err(Found(shape)) => shape,
        // A type that reads nothing at all (unit-like custom impls).
        Ok(_) => Shape::Other,
    }
}

/// The probe's "error": the shape it was asked for (or `Other` for a custom message).
#[derive(Debug)]
struct Found(Shape);

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "probed {:?}", self.0)
    }
}

impl std::error::Error for Found {}

impl de::Error for Found {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Found(Shape::Other)
    }
}

struct Probe;

macro_rules! other {
    ($($name:ident),* $(,)?) => {
        $(fn $name<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Found> {
            Err(Found(Shape::Other))
        })*
    };
}

impl<'de> de::Deserializer<'de> for Probe {
    type Error = Found;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Found> {
        Err(Found(Shape::Object))
    }

    fn deserialize_map<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Found> {
        Err(Found(Shape::Object))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Found> {
        Err(Found(Shape::Other))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Found> {
        Err(Found(Shape::Other))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value, Found> {
        Err(Found(Shape::Other))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Found> {
        Err(Found(Shape::Other))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Found> {
        Err(Found(Shape::Other))
    }

    other!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_identifier,
        deserialize_ignored_any,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::HashMap;

    #[allow(dead_code)]
    #[derive(Deserialize)]
    struct Login {
        username: String,
        password: String,
    }

    #[allow(dead_code)]
    #[derive(Deserialize)]
    struct WithFlatten {
        #[serde(flatten)]
        rest: HashMap<String, String>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        One(Login),
        Many(Vec<Login>),
    }

    #[test]
    fn structs_and_maps_read_objects() {
        assert_eq!(top_level_shape::<Login>(), Shape::Object);
        assert_eq!(top_level_shape::<WithFlatten>(), Shape::Object);
        assert_eq!(top_level_shape::<HashMap<String, u8>>(), Shape::Object);
    }

    #[test]
    fn other_types_keep_their_own_rules() {
        assert_eq!(top_level_shape::<Vec<Login>>(), Shape::Other);
        assert_eq!(top_level_shape::<String>(), Shape::Other);
        assert_eq!(top_level_shape::<Either>(), Shape::Other);
        assert_eq!(top_level_shape::<serde_json::Value>(), Shape::Other);
        assert_eq!(top_level_shape::<(String, u8)>(), Shape::Other);
    }
}
