//! Request validation: turns request bodies into domain inputs, reporting every invalid
//! field with its JSON path (`members[2].age`).

use chrono::{Datelike, NaiveDate};
use tripgen_platform::error::Validator;
use tripgen_platform::text;

use crate::domain::model::{Gender, Health, MemberInput, Preference, TransportMode, WireEnum};
use crate::domain::rules;
use crate::dto::{DestinationRequest, MemberRequest};

/// A one-line text field through `platform::text` (NFC, no control or direction-override
/// characters, invisible edges trimmed); `None` with the problem on `field` otherwise. An
/// absent field reads as empty, for the field's own rule to call required.
pub fn line(v: &mut Validator, field: &str, value: Option<&str>) -> Option<String> {
    match text::clean_line(value.unwrap_or("")) {
        Ok(s) => Some(s),
        Err(p) => {
            v.add(field, p.code(), p.message());
            None
        }
    }
}

fn enum_field<T: WireEnum>(
    v: &mut Validator,
    field: &str,
    value: &Option<String>,
    what: &str,
) -> Option<T> {
    match value.as_deref().map(str::trim) {
        None | Some("") => {
            v.add(field, "REQUIRED", format!("Choose the {what}."));
            None
        }
        Some(s) => T::parse(s).or_else(|| {
            v.add(
                field,
                "INVALID_VALUE",
                format!("Unknown {what} `{s}`; expected one of: {}.", T::expected()),
            );
            None
        }),
    }
}

pub fn trip_name(v: &mut Validator, value: &Option<String>) -> Option<String> {
    let name = line(v, "tripName", value.as_deref())?;
    match rules::check_trip_name(&name) {
        Ok(()) => Some(name),
        Err((c, m)) => {
            v.add("tripName", c, m);
            None
        }
    }
}

pub fn transport(v: &mut Validator, value: &Option<String>) -> Option<TransportMode> {
    enum_field(v, "transportMode", value, "transport mode")
}

pub fn member(v: &mut Validator, prefix: &str, m: &MemberRequest) -> Option<MemberInput> {
    let f = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        }
    };
    let name =
        line(v, &f("name"), m.name.as_deref()).and_then(|name| {
            match rules::check_member_name(&name) {
                Ok(()) => Some(name),
                Err((c, msg)) => {
                    v.add(f("name"), c, msg);
                    None
                }
            }
        });
    let age = match m.age {
        None => {
            v.add(f("age"), "REQUIRED", "Enter the member's age.");
            None
        }
        Some(a) => match rules::check_age(a) {
            Ok(()) => u8::try_from(a).ok(),
            Err((c, msg)) => {
                v.add(f("age"), c, msg);
                None
            }
        },
    };
    let gender: Option<Gender> = enum_field(v, &f("gender"), &m.gender, "gender");
    let health: Option<Health> =
        enum_field(v, &f("healthStatus"), &m.health_status, "health status");
    let mut preferences = Vec::new();
    let mut prefs_ok = true;
    for (i, p) in m.preferences.iter().flatten().enumerate() {
        match Preference::parse(p) {
            Some(p) if preferences.contains(&p) => {
                prefs_ok = false;
                v.add(
                    format!("{}[{i}]", f("preferences")),
                    "DUPLICATE",
                    "Each preference is given once.",
                );
            }
            Some(p) => preferences.push(p),
            None => {
                prefs_ok = false;
                v.add(
                    format!("{}[{i}]", f("preferences")),
                    "INVALID_VALUE",
                    format!(
                        "Unknown preference `{p}`; expected one of: {}.",
                        Preference::expected()
                    ),
                );
            }
        }
    }
    Some(MemberInput {
        id: m.id,
        name: name?,
        age: age?,
        gender: gender?,
        health_status: health?,
        preferences: prefs_ok.then_some(preferences)?,
    })
}

/// The whole member list (1–10).
pub fn members(v: &mut Validator, list: &Option<Vec<MemberRequest>>) -> Option<Vec<MemberInput>> {
    let Some(list) = list else {
        v.add("members", "REQUIRED", "Add at least one traveller.");
        return None;
    };
    if list.is_empty() {
        v.add("members", "TOO_FEW", "Add at least one traveller.");
        return None;
    }
    if list.len() > rules::MEMBERS_MAX {
        v.add(
            "members",
            "TOO_MANY",
            format!("A trip has at most {} members.", rules::MEMBERS_MAX),
        );
        return None;
    }
    let out: Vec<Option<MemberInput>> = list
        .iter()
        .enumerate()
        .map(|(i, m)| member(v, &format!("members[{i}]"), m))
        .collect();
    out.into_iter().collect()
}

pub fn date(v: &mut Validator, field: &str, value: &Option<String>) -> Option<NaiveDate> {
    match value.as_deref().map(str::trim) {
        None | Some("") => {
            v.add(field, "REQUIRED", "Choose the start date.");
            None
        }
        Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) if (DATE_YEARS).contains(&d.year()) => Some(d),
            Ok(_) => {
                v.add(
                    field,
                    "OUT_OF_RANGE",
                    "Choose a date between the years 1900 and 2200.",
                );
                None
            }
            Err(_) => {
                v.add(field, "INVALID_FORMAT", "Use a date like 2026-05-01.");
                None
            }
        },
    }
}

/// Years a trip date may have: wide enough for any real trip, narrow enough that every
/// date computed from it (nights, time zones, day numbers) stays far inside chrono's range.
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A destination's own fields, before the gazetteer resolves it.
#[derive(Debug, Clone)]
pub struct DestinationDraft {
    pub destination_name: String,
    pub nights: u32,
    pub accommodation: Option<String>,
    pub check_in_time: String,
    pub check_out_time: String,
}

pub fn destination(
    v: &mut Validator,
    prefix: &str,
    d: &DestinationRequest,
) -> Option<DestinationDraft> {
    let f = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        }
    };
    let name = line(v, &f("destinationName"), d.destination_name.as_deref()).and_then(|name| {
        match rules::check_city_name(&name) {
            Ok(()) => Some(name),
            Err((c, m)) => {
                v.add(f("destinationName"), c, m);
                None
            }
        }
    });
    let nights = match d.nights {
        None => {
            v.add(f("nights"), "REQUIRED", "Enter the number of nights.");
            None
        }
        Some(n) => match rules::check_nights(n) {
            Ok(()) => u32::try_from(n).ok(),
            Err((c, m)) => {
                v.add(f("nights"), c, m);
                None
            }
        },
    };
    let hotel = line(v, &f("accommodation"), d.accommodation.as_deref());
    let accommodation = match hotel.as_deref() {
        None => None,
        Some("") => Some(None),
        Some(h) => match rules::check_hotel_name(h) {
            Ok(()) => Some(Some(h.to_string())),
            Err((c, m)) => {
                v.add(f("accommodation"), c, m);
                None
            }
        },
    };
    let time = |v: &mut Validator, field: &str, value: &Option<String>, default: &str| match value
        .as_deref()
        .map(str::trim)
    {
        None | Some("") => Some(default.to_string()),
        Some(t) => match rules::parse_clock_time(t) {
            Ok(t) => Some(t),
            Err((c, m)) => {
                v.add(f(field), c, m);
                None
            }
        },
    };
    let check_in = time(v, "checkInTime", &d.check_in_time, rules::DEFAULT_CHECK_IN);
    let check_out = time(
        v,
        "checkOutTime",
        &d.check_out_time,
        rules::DEFAULT_CHECK_OUT,
    );
    Some(DestinationDraft {
        destination_name: name?,
        nights: nights?,
        accommodation: accommodation?,
        check_in_time: check_in?,
        check_out_time: check_out?,
    })
}

/// `day` query/path value: a 1-based day number.
pub fn day_number(v: &mut Validator, field: &str, value: &str) -> Option<usize> {
    match value.trim().parse::<usize>() {
        Ok(d) if d >= 1 => Some(d),
        _ => {
            v.add(field, "INVALID_VALUE", "Days are numbered from 1.");
            None
        }
    }
}
