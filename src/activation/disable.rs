//! Disable's planning: the exclude patch, and what the controller will
//! delete (said before it happens).

use serde_json::{Value, json};

use super::*;
use crate::error::Result;
use crate::escape::escape;
use crate::model::{Era, PersonaPack};

/// Exclude personas (`disable --persona`): the new list, deduplicated, order kept.
pub fn plan_exclude(pack: &PersonaPack, names: &[String]) -> Result<Value> {
    check_personas(pack, names)?;
    let mut list = pack.spec.exclude_personas.clone();
    for n in names {
        if !list.contains(n) {
            list.push(n.clone());
        }
    }
    Ok(json!({"spec": {"excludePersonas": list}}))
}

/// What disabling will make the controller delete (controller §3.2, §3.7).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DisableImpact {
    pub instances: usize,
    pub schedules: usize,
    pub memory: usize,
    /// Credential Secrets the controller deletes (they exist and match its rule).
    pub secrets: Vec<String>,
    pub clears_auth_refs: bool,
}

impl DisableImpact {
    /// The objects deleted, as a list for a sentence.
    pub fn objects(&self, era: Era) -> Vec<String> {
        let (agent, _) = era.agent_kind();
        vec![
            count(self.instances, agent, &format!("{agent}s")),
            count(self.schedules, "SympoziumSchedule", "SympoziumSchedules"),
            count(self.memory, "memory ConfigMap", "memory ConfigMaps"),
        ]
    }

    /// The sentence `disable` prints before asking.
    pub fn describe(&self, era: Era, pack: &str) -> String {
        let mut parts = self.objects(era);
        if !self.secrets.is_empty() {
            let what = if self.secrets.len() == 1 { "the credential Secret" } else { "the credential Secrets" };
            parts.push(format!("{what} {}", self.secrets.iter().map(|s| escape(s)).collect::<Vec<_>>().join(", ")));
        }
        let mut s = format!(
            "Disabling {} \"{}\" makes the Sympozium controller delete {}",
            era.singular(),
            escape(pack),
            parts.join(", ")
        );
        if self.clears_auth_refs {
            s.push_str(", and clear spec.authRefs");
        }
        s.push('.');
        s
    }
}

/// "1 Secret", "3 Secrets": counts read as sentences.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
