//! The typed model of PersonaPack (`sympozium.ai/v1alpha1`) and of the kinds
//! it generates, as ../shared/docs/sympozium-personapack.md describes them for
//! Sympozium v0.8.x (including v0.8.27's `relationships` and `workflowType`).
//!
//! Objects are read leniently: a field of the wrong type is dropped with a
//! warning naming its path, so one malformed field never hides a whole pack.
//!
//! `era` (every word that differs between PersonaPack and Ensemble), `pack`
//! (the pack's spec and status), `stamped` (instances, schedules, Models),
//! `memory` (a persona's memory ConfigMap); names and leniency here.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde_json::Value;

mod era;
mod memory;
mod pack;
mod stamped;
pub use era::*;
pub use memory::*;
pub use pack::*;
pub use stamped::*;

pub const GROUP: &str = "sympozium.ai";
pub const VERSION: &str = "v1alpha1";

/// The controller's default model when a persona names none.
pub const DEFAULT_MODEL: &str = "gpt-4o";

/// Names the generated objects get (controller §3.4–3.6).
pub fn instance_name(pack: &str, persona: &str) -> String {
    format!("{pack}-{persona}")
}
pub fn schedule_name(pack: &str, persona: &str) -> String {
    format!("{pack}-{persona}-schedule")
}
pub fn memory_name(pack: &str, persona: &str) -> String {
    format!("{pack}-{persona}-memory")
}

/// Can `s` stand as a label value (and so in a selector)? ≤ 63 characters of
/// `[A-Za-z0-9._-]`, starting and ending alphanumeric, or empty.
pub fn is_label_value(s: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric();
    s.is_empty()
        || (s.len() <= 63
            && s.starts_with(ok)
            && s.ends_with(ok)
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
}

/// A Kubernetes object name (DNS-1123 subdomain): ≤ 253 characters of
/// `[a-z0-9.-]`, starting and ending alphanumeric.
pub fn is_dns_subdomain(s: &str) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !s.is_empty()
        && s.len() <= 253
        && s.starts_with(ok)
        && s.ends_with(ok)
        && s.chars().all(|c| ok(c) || c == '-' || c == '.')
}

/// What a reader could not take from an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub path: String,
    pub problem: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    pub created: Option<Timestamp>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub finalizers: Vec<String>,
    pub resource_version: String,
    pub deleting: bool,
}

impl Meta {
    pub fn from_value(v: &Value) -> Meta {
        let m = &v["metadata"];
        let s = |k: &str| m[k].as_str().unwrap_or_default().to_string();
        Meta {
            name: s("name"),
            namespace: s("namespace"),
            uid: s("uid"),
            created: m["creationTimestamp"].as_str().and_then(|t| t.parse().ok()),
            labels: serde_json::from_value(m["labels"].clone()).unwrap_or_default(),
            annotations: serde_json::from_value(m["annotations"].clone()).unwrap_or_default(),
            finalizers: serde_json::from_value(m["finalizers"].clone()).unwrap_or_default(),
            resource_version: s("resourceVersion"),
            deleting: m.get("deletionTimestamp").is_some_and(|d| !d.is_null()),
        }
    }
}

/// Deserialize `value` as `T`; each field of the wrong type is removed (and
/// reported as a warning at its path) until the rest deserializes.
pub fn lenient<T: DeserializeOwned + Default>(value: &Value, root: &str, warnings: &mut Vec<Warning>) -> T {
    if value.is_null() {
        return T::default();
    }
    let mut value = value.clone();
    // Each round removes one bad field; a bound keeps hostile input cheap.
    for _ in 0..256 {
        match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(t) => return t,
            Err(err) => {
                let path = err.path().clone();
                let shown = match path.to_string().as_str() {
                    "." | "" => root.to_string(),
                    p => format!("{root}.{p}"),
                };
                warnings.push(Warning { path: shown, problem: err.into_inner().to_string() });
                if !remove_at(&mut value, &path) {
                    return T::default();
                }
            }
        }
    }
    warnings.push(Warning { path: root.into(), problem: "too many malformed fields; ignored".into() });
    T::default()
}

/// Remove the value at `path` (its last map key or sequence element).
fn remove_at(value: &mut Value, path: &serde_path_to_error::Path) -> bool {
    use serde_path_to_error::Segment;
    let segments: Vec<&Segment> = path.iter().collect();
    let Some((last, parents)) = segments.split_last() else {
        return false;
    };
    let mut cur = value;
    for seg in parents {
        cur = match (seg, cur) {
            (Segment::Map { key }, Value::Object(m)) => match m.get_mut(key) {
                Some(v) => v,
                None => return false,
            },
            (Segment::Seq { index }, Value::Array(a)) => match a.get_mut(*index) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, cur) {
        (Segment::Map { key }, Value::Object(m)) => m.remove(key).is_some(),
        (Segment::Seq { index }, Value::Array(a)) if *index < a.len() => {
            a.remove(*index);
            true
        }
        _ => false,
    }
}

/// A JSON merge patch (RFC 7386) applied to `target`: what the server will
/// make of the plugin's patch, for a client dry run.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(changes) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    let map = target.as_object_mut().expect("made an object above");
    for (key, value) in changes {
        if value.is_null() {
            map.remove(key);
        } else {
            merge_patch(map.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

#[cfg(test)]
mod tests;
