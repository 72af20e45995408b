//! PHP arrays ⇄ JSON values, the one conversion at the bridge. Lists become
//! JSON arrays (so does the empty array; the core reads `[]` as "empty"
//! wherever it expects a map), everything else objects; PHP's numeric-string keys stay
//! strings. Objects and resources arrive as null.

use crate::errors::{PqmError, PqmResult};
use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};
use serde_json::{Map, Number, Value};

const MAX_DEPTH: usize = 16;

pub fn to_json_table(ht: &ZendHashTable) -> Value {
    table(ht, 0)
}

fn table(ht: &ZendHashTable, depth: usize) -> Value {
    if ht.has_sequential_keys() {
        Value::Array(ht.iter().map(|(_, v)| value(v, depth + 1)).collect())
    } else {
        let mut m = Map::new();
        for (k, v) in ht.iter() {
            let key = match k {
                ArrayKey::Long(i) => i.to_string(),
                ArrayKey::String(s) => s,
                ArrayKey::Str(s) => s.to_string(),
                ArrayKey::ZendString(s) => s.as_str().map(str::to_string).unwrap_or_default(),
            };
            m.insert(key, value(v, depth + 1));
        }
        Value::Object(m)
    }
}

fn value(z: &Zval, depth: usize) -> Value {
    let z = z.dereference();
    if let Some(b) = z.bool() {
        Value::Bool(b)
    } else if let Some(i) = z.long() {
        Value::Number(i.into())
    } else if let Some(f) = z.double() {
        Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)
    } else if let Some(s) = z.str() {
        Value::String(s.to_string())
    } else if let Some(s) = z.string() {
        Value::String(s)
    } else if let Some(ht) = z.array() {
        if depth > MAX_DEPTH {
            Value::Null
        } else {
            table(ht, depth)
        }
    } else {
        Value::Null
    }
}

pub fn to_zval(v: &Value) -> PqmResult<Zval> {
    let mut z = Zval::new();
    match v {
        Value::Null => z.set_null(),
        Value::Bool(b) => z.set_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => z.set_long(i),
            None => z.set_double(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => z.set_string(s, false).map_err(bridge)?,
        Value::Array(items) => {
            let mut ht = ZendHashTable::new();
            for item in items {
                ht.push(to_zval(item)?).map_err(bridge)?;
            }
            z.set_hashtable(ht);
        }
        Value::Object(map) => {
            let mut ht = ZendHashTable::new();
            for (k, item) in map {
                ht.insert(k.as_str(), to_zval(item)?).map_err(bridge)?;
            }
            z.set_hashtable(ht);
        }
    }
    Ok(z)
}

fn bridge(e: ext_php_rs::error::Error) -> PqmError {
    PqmError(pqm::Error::Config(format!("PHP conversion: {e}")))
}
