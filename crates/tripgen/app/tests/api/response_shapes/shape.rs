//! The shape of a JSON value: its keys and value types, never its values. An array's
//! elements are described once (their shapes merged); a key missing from some elements is
//! marked `absent`; a value of several types is `oneOf` them; maps keyed by data are
//! described by the shape of their values.
//!
//! A response *conforms* to a recorded shape when everything it shows was seen before: the
//! planner picks other places on every request, so one response may carry only some of the
//! optional keys or nullable values a recording holds, but never a key or type it lacks.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

/// The type of a JSON value, with the shapes inside arrays merged: an array's elements
/// are described once, keys missing from some elements are marked `absent`.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Absent,
    Null,
    Bool,
    Number,
    Text,
    Array(Option<Box<Shape>>),
    Object(BTreeMap<String, Shape>),
    OneOf(Vec<Shape>),
}

fn rank(s: &Shape) -> u8 {
    match s {
        Shape::Absent => 0,
        Shape::Null => 1,
        Shape::Bool => 2,
        Shape::Number => 3,
        Shape::Text => 4,
        Shape::Array(_) => 5,
        Shape::Object(_) => 6,
        Shape::OneOf(_) => 7,
    }
}

pub fn shape(v: &Value) -> Shape {
    match v {
        Value::Null => Shape::Null,
        Value::Bool(_) => Shape::Bool,
        Value::Number(_) => Shape::Number,
        Value::String(_) => Shape::Text,
        Value::Array(items) => Shape::Array(items.iter().map(shape).reduce(merge).map(Box::new)),
        Value::Object(m) => Shape::Object(
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        if MAPS.contains(&k.as_str()) {
                            map(v)
                        } else if CLOCK_DEPENDENT.contains(&k.as_str()) {
                            merge(Shape::Null, Shape::Text)
                        } else {
                            shape(v)
                        },
                    )
                })
                .collect(),
        ),
    }
}

/// Keys whose values are maps with data-dependent keys (a text's parameters, suggestions
/// per field): described as `{"*": <shape of the values>}`.
const MAPS: &[&str] = &["params", "suggestions"];

/// Keys whose presence depends on the wall clock of the run (the next opening-hours change
/// is `null` for a place with none ahead): described as "string or null".
const CLOCK_DEPENDENT: &[&str] = &["nextChange"];

fn map(v: &Value) -> Shape {
    match v {
        Value::Object(m) => Shape::Object(
            m.values()
                .map(shape)
                .reduce(merge)
                .map(|s| ("*".to_string(), s))
                .into_iter()
                .collect(),
        ),
        other => shape(other),
    }
}

fn alternatives(s: Shape) -> Vec<Shape> {
    match s {
        Shape::OneOf(v) => v,
        s => vec![s],
    }
}

pub fn merge(a: Shape, b: Shape) -> Shape {
    let mut out: Vec<Shape> = Vec::new();
    for s in alternatives(a).into_iter().chain(alternatives(b)) {
        match out.iter_mut().find(|o| rank(o) == rank(&s)) {
            None => out.push(s),
            Some(o) => {
                let merged = match (std::mem::replace(o, Shape::Absent), s) {
                    (Shape::Array(x), Shape::Array(y)) => Shape::Array(match (x, y) {
                        (Some(x), Some(y)) => Some(Box::new(merge(*x, *y))),
                        (x, y) => x.or(y),
                    }),
                    (Shape::Object(mut x), Shape::Object(mut y)) => {
                        let keys: Vec<String> = x.keys().chain(y.keys()).cloned().collect();
                        let mut m = BTreeMap::new();
                        for k in keys {
                            if m.contains_key(&k) {
                                continue;
                            }
                            let l = x.remove(&k).unwrap_or(Shape::Absent);
                            let r = y.remove(&k).unwrap_or(Shape::Absent);
                            m.insert(k, merge(l, r));
                        }
                        Shape::Object(m)
                    }
                    (x, _) => x,
                };
                *o = merged;
            }
        }
    }
    out.sort_by_key(rank);
    if out.len() == 1 {
        out.pop().expect("one")
    } else {
        Shape::OneOf(out)
    }
}

pub fn render(s: &Shape) -> Value {
    match s {
        Shape::Absent => json!("absent"),
        Shape::Null => json!("null"),
        Shape::Bool => json!("bool"),
        Shape::Number => json!("number"),
        Shape::Text => json!("string"),
        Shape::Array(None) => json!([]),
        Shape::Array(Some(e)) => json!([render(e)]),
        Shape::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), render(v)))
                .collect::<Map<_, _>>(),
        ),
        Shape::OneOf(v) => json!({ "oneOf": v.iter().map(render).collect::<Vec<_>>() }),
    }
}

/// The shape a rendering describes (the inverse of [`render`]).
pub fn parse(v: &Value) -> Shape {
    match v {
        Value::String(s) => match s.as_str() {
            "absent" => Shape::Absent,
            "null" => Shape::Null,
            "bool" => Shape::Bool,
            "number" => Shape::Number,
            _ => Shape::Text,
        },
        Value::Array(items) => Shape::Array(items.first().map(|e| Box::new(parse(e)))),
        Value::Object(m) => match m.get("oneOf") {
            Some(Value::Array(alts)) if m.len() == 1 => {
                Shape::OneOf(alts.iter().map(parse).collect())
            }
            _ => Shape::Object(m.iter().map(|(k, v)| (k.clone(), parse(v))).collect()),
        },
        _ => Shape::Null,
    }
}

/// Whether `actual` shows only what `recorded` allows; the error names the first path
/// that does not.
pub fn conforms(actual: &Shape, recorded: &Shape, path: &str) -> Result<(), String> {
    let allowed = alternatives(recorded.clone());
    for a in alternatives(actual.clone()) {
        let Some(r) = allowed.iter().find(|r| rank(r) == rank(&a)) else {
            return Err(format!(
                "{path}: {} where the recording has {}",
                render(&a),
                render(recorded)
            ));
        };
        match (&a, r) {
            (Shape::Array(Some(x)), Shape::Array(Some(y))) => conforms(x, y, &format!("{path}[]"))?,
            (Shape::Array(Some(x)), Shape::Array(None)) => {
                return Err(format!(
                    "{path}[]: {} where the recording has no elements",
                    render(x)
                ));
            }
            (Shape::Object(x), Shape::Object(y)) => {
                for (k, v) in x {
                    let r = y.get(k).cloned().unwrap_or(Shape::Absent);
                    conforms(v, &r, &format!("{path}.{k}"))?;
                }
                for (k, r) in y {
                    // A data-keyed map may be empty in one response.
                    if !x.contains_key(k) && k != "*" {
                        conforms(&Shape::Absent, r, &format!("{path}.{k}"))?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[test]
fn responses_conform_to_what_was_recorded() {
    let recorded = shape(&json!([{ "placeId": null, "params": { "a": "x" } }, { "placeId": "p" }]));
    let recorded = parse(&render(&recorded));
    // Fewer optional keys, one of the recorded types, an empty map or list: conforms.
    for ok in [
        json!([{ "placeId": null }]),
        json!([{ "placeId": "p", "params": {} }]),
        json!([]),
    ] {
        assert_eq!(conforms(&shape(&ok), &recorded, "$"), Ok(()), "{ok}");
    }
    // A new key, a new type, a key the recording always had gone missing: does not.
    for bad in [
        json!([{ "placeId": 1 }]),
        json!([{ "placeId": "p", "extra": 1 }]),
        json!([{ "params": {} }]),
        json!({}),
    ] {
        assert!(conforms(&shape(&bad), &recorded, "$").is_err(), "{bad}");
    }
}

#[test]
fn shapes_merge_array_elements() {
    let v = json!([{ "a": 1, "b": "x" }, { "a": null }, { "a": 2, "c": [] }]);
    assert_eq!(
        render(&shape(&v)),
        json!([{ "a": { "oneOf": ["null", "number"] }, "b": { "oneOf": ["absent", "string"] }, "c": { "oneOf": ["absent", []] } }])
    );
    let p = json!({ "params": { "name": "A", "hours": "9–5" } });
    assert_eq!(render(&shape(&p)), json!({ "params": { "*": "string" } }));
}
