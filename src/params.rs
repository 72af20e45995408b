//! Lenient-but-strict parameter decoding for what PHP sends: WP-CLI passes
//! every value as a string, PHP code passes ints and bools. Anything that is
//! not clearly the expected type is an error, never a silent default.

use chrono::NaiveDate;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::Value;

fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => {
            let s = s.trim();
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                None
            } else {
                s.parse().ok()
            }
        }
        _ => None,
    }
}

pub fn de_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = Value::deserialize(d)?;
    as_u64(&v).ok_or_else(|| de::Error::custom(format!("expected a positive whole number, got {v}")))
}

pub fn de_opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        _ => as_u64(&v)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("expected a positive whole number, got {v}"))),
    }
}

pub fn de_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        Value::Number(n) if n.as_u64() == Some(0) => Ok(false),
        Value::Number(n) if n.as_u64() == Some(1) => Ok(true),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "" | "0" | "false" | "no" => Ok(false),
            "1" | "true" | "yes" => Ok(true),
            _ => Err(de::Error::custom(format!("expected true or false, got {v}"))),
        },
        _ => Err(de::Error::custom(format!("expected true or false, got {v}"))),
    }
}

/// `YYYY-MM-DD`, or empty/absent for "no date".
pub fn de_opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let v = Option::<String>::deserialize(d)?;
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| de::Error::custom(format!("expected a date as YYYY-MM-DD, got \"{s}\""))),
    }
}

/// PHP cannot tell an empty list from an empty map: `[]` is both. For
/// fields that hold a list, a map or an optional struct, an empty array,
/// empty object or null means "the default".
pub fn de_lenient<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned + Default>(d: D) -> Result<T, D::Error> {
    let v = Value::deserialize(d)?;
    let empty = match &v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    if empty {
        Ok(T::default())
    } else {
        serde_json::from_value(v).map_err(de::Error::custom)
    }
}

/// Decode an action's parameters into its typed struct with a message fit for
/// the staff member or CLI user who sent them.
pub fn decode<T: serde::de::DeserializeOwned>(what: &str, v: Value) -> crate::Result<T> {
    let v = if v.is_null() || v.as_array().is_some_and(|a| a.is_empty()) { Value::Object(Default::default()) } else { v };
    serde_json::from_value(v).map_err(|e| crate::Error::invalid(format!("{what}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize, Debug)]
    struct P {
        #[serde(deserialize_with = "de_u64")]
        id: u64,
        #[serde(default, deserialize_with = "de_bool")]
        flag: bool,
        #[serde(default, deserialize_with = "de_opt_date")]
        date: Option<NaiveDate>,
        #[serde(default, deserialize_with = "de_opt_u64")]
        parent: Option<u64>,
    }

    #[test]
    fn accepts_what_php_and_wp_cli_send() {
        let p: P = decode("t", json!({"id": "42", "flag": "true", "date": "2026-12-24", "parent": ""})).unwrap();
        assert_eq!(p.id, 42);
        assert!(p.flag);
        assert_eq!(p.date, NaiveDate::from_ymd_opt(2026, 12, 24));
        assert_eq!(p.parent, None);
        let p: P = decode("t", json!({"id": 3, "flag": 1, "parent": 9})).unwrap();
        assert_eq!((p.id, p.flag, p.parent), (3, true, Some(9)));
    }

    #[test]
    fn rejects_what_is_not_clearly_valid() {
        for bad in [json!({"id": "4x"}), json!({"id": -1}), json!({"id": 1, "flag": "maybe"}), json!({"id": 1, "date": "24/12/2026"}), json!({})] {
            let e = decode::<P>("order create", bad.clone()).unwrap_err();
            assert!(matches!(e, crate::Error::InvalidInput(ref m) if m.starts_with("order create: ")), "{bad} -> {e}");
        }
    }

    #[test]
    fn empty_php_array_is_an_empty_object() {
        #[derive(Deserialize)]
        struct Q {
            #[serde(default)]
            x: Option<String>,
        }
        let q: Q = decode("t", json!([])).unwrap();
        assert!(q.x.is_none());
    }
}
