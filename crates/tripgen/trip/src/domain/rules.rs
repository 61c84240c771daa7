//! Field rules of TRIP-030/040. Each check returns the stable code and an English
//! message; the web app translates by code. Lengths count characters, not bytes.

use chrono::NaiveTime;

pub type Rule = Result<(), (&'static str, String)>;

pub const TRIP_NAME_MAX: usize = 16;
pub const MEMBER_NAME_MIN: usize = 2;
pub const MEMBER_NAME_MAX: usize = 20;
pub const MEMBERS_MAX: usize = 10;
pub const AGE_MIN: i64 = 1;
pub const AGE_MAX: i64 = 120;
pub const DESTINATIONS_MAX: usize = 10;
pub const CITY_NAME_MAX: usize = 20;
pub const HOTEL_NAME_MAX: usize = 20;
pub const NIGHTS_MIN: i64 = 1;
pub const NIGHTS_MAX: i64 = 30;
/// Whole trip, arrival day to departure day inclusive (= total nights + 1).
pub const TRIP_DAYS_MAX: i64 = 60;
pub const DEFAULT_CHECK_IN: &str = "15:00";
pub const DEFAULT_CHECK_OUT: &str = "11:00";

fn chars(s: &str) -> usize {
    s.chars().count()
}

pub fn check_trip_name(name: &str) -> Rule {
    let name = name.trim();
    if name.is_empty() {
        return Err(("REQUIRED", "Give the trip a name.".into()));
    }
    if chars(name) > TRIP_NAME_MAX {
        return Err((
            "TOO_LONG",
            format!("A trip name has at most {TRIP_NAME_MAX} characters."),
        ));
    }
    Ok(())
}

pub fn check_member_name(name: &str) -> Rule {
    let name = name.trim();
    if name.is_empty() {
        return Err(("REQUIRED", "Enter the member's name.".into()));
    }
    let n = chars(name);
    if n < MEMBER_NAME_MIN {
        return Err((
            "TOO_SHORT",
            format!("A member's name has at least {MEMBER_NAME_MIN} characters."),
        ));
    }
    if n > MEMBER_NAME_MAX {
        return Err((
            "TOO_LONG",
            format!("A member's name has at most {MEMBER_NAME_MAX} characters."),
        ));
    }
    Ok(())
}

pub fn check_age(age: i64) -> Rule {
    if !(AGE_MIN..=AGE_MAX).contains(&age) {
        return Err((
            "OUT_OF_RANGE",
            format!("Age is between {AGE_MIN} and {AGE_MAX}."),
        ));
    }
    Ok(())
}

pub fn check_city_name(name: &str) -> Rule {
    let name = name.trim();
    if name.is_empty() {
        return Err(("REQUIRED", "Enter a city.".into()));
    }
    if chars(name) > CITY_NAME_MAX {
        return Err((
            "TOO_LONG",
            format!("A city name has at most {CITY_NAME_MAX} characters."),
        ));
    }
    Ok(())
}

pub fn check_hotel_name(name: &str) -> Rule {
    if chars(name.trim()) > HOTEL_NAME_MAX {
        return Err((
            "TOO_LONG",
            format!("A hotel name has at most {HOTEL_NAME_MAX} characters."),
        ));
    }
    Ok(())
}

pub fn check_nights(nights: i64) -> Rule {
    if !(NIGHTS_MIN..=NIGHTS_MAX).contains(&nights) {
        return Err((
            "OUT_OF_RANGE",
            format!("Stay between {NIGHTS_MIN} and {NIGHTS_MAX} nights in one city."),
        ));
    }
    Ok(())
}

/// `HH:MM` (24 h), normalised to two-digit hours.
pub fn parse_clock_time(s: &str) -> Result<String, (&'static str, String)> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M")
        .map(|t| t.format("%H:%M").to_string())
        .map_err(|_| ("INVALID_FORMAT", "Use a 24-hour time like 15:00.".into()))
}

/// Minutes since midnight of an `HH:MM` string (already validated).
pub fn clock_minutes(s: &str) -> u32 {
    NaiveTime::parse_from_str(s, "%H:%M")
        .map(|t| {
            use chrono::Timelike;
            t.hour() * 60 + t.minute()
        })
        .unwrap_or(0)
}

pub fn check_trip_days(total_nights: i64) -> Rule {
    let days = total_nights + 1;
    if days > TRIP_DAYS_MAX {
        return Err((
            "TRIP_TOO_LONG",
            format!("A trip lasts at most {TRIP_DAYS_MAX} days; these destinations make {days}."),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trip_name_limits() {
        assert!(check_trip_name("a").is_ok());
        assert!(check_trip_name(&"가".repeat(16)).is_ok());
        assert_eq!(check_trip_name(&"가".repeat(17)).unwrap_err().0, "TOO_LONG");
        assert_eq!(check_trip_name("  ").unwrap_err().0, "REQUIRED");
    }

    #[test]
    fn member_limits() {
        assert_eq!(check_member_name("A").unwrap_err().0, "TOO_SHORT");
        assert!(check_member_name("민지").is_ok());
        assert!(check_member_name(&"x".repeat(20)).is_ok());
        assert_eq!(
            check_member_name(&"x".repeat(21)).unwrap_err().0,
            "TOO_LONG"
        );
        assert!(check_age(1).is_ok() && check_age(120).is_ok());
        assert!(check_age(0).is_err() && check_age(121).is_err());
    }

    #[test]
    fn times_and_days() {
        assert_eq!(parse_clock_time("9:05").unwrap(), "09:05");
        assert!(parse_clock_time("24:00").is_err());
        assert_eq!(clock_minutes("15:30"), 930);
        assert!(check_trip_days(59).is_ok());
        assert_eq!(check_trip_days(60).unwrap_err().0, "TRIP_TOO_LONG");
        assert!(check_nights(30).is_ok() && check_nights(31).is_err() && check_nights(0).is_err());
    }
}
