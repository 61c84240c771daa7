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

    /// Bounded fuzzing of JSON bodies (issue 21): any bytes and any JSON value get an
    /// answer — the value, or a 400/422 problem — never a panic; a struct is only ever read
    /// from an object.
    mod fuzz {
        use super::Login;
        use crate::http::json_body;
        use axum::http::StatusCode;
        use proptest::prelude::*;
        use serde_json::{Value, json};

        fn value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                any::<f64>().prop_map(|f| json!(f)),
                "(?s).{0,8}".prop_map(Value::from),
                Just(json!("alice")),
            ];
            leaf.prop_recursive(3, 16, 3, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
                    prop::collection::btree_map(
                        prop::sample::select(vec!["username", "password", "x"]),
                        inner,
                        0..3
                    )
                    .prop_map(|m| Value::Object(
                        m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
                    )),
                ]
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn any_bytes_get_an_answer(bytes in prop::collection::vec(any::<u8>(), 0..48)) {
                if let Err(e) = json_body::<Login>(&bytes) {
                    prop_assert!(matches!(e.status, StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY));
                }
            }

            #[test]
            fn structs_only_from_objects(v in value(), pad in "[ \t\r\n]{0,3}") {
                let text = format!("{pad}{v}{pad}");
                match json_body::<Login>(text.as_bytes()) {
                    Ok(_) => prop_assert!(v.is_object(), "{text}"),
                    Err(e) => prop_assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", text),
                }
            }
        }
    }
}
