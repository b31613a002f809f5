//! The enable plan as it is built: the spec's merge patch, the personas
//! list when a step edits one, the Secrets, and the lines said. Shared by
//! the steps of both eras (enable.rs, ensemble.rs).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::*;
use crate::model::PersonaPack;

/// The plan as it is built: the spec patch and what goes with it.
pub(super) struct Draft<'a> {
    pub(super) pack: &'a PersonaPack,
    pub(super) spec: Map<String, Value>,
    /// `spec.personas` from the raw object (fields this plugin does not model
    /// survive), once any step edits a persona; sent whole and guarded.
    personas: Option<Vec<Value>>,
    pub(super) plan: EnablePlan,
}

impl<'a> Draft<'a> {
    pub(super) fn new(pack: &'a PersonaPack) -> Self {
        Draft { pack, spec: Map::new(), personas: None, plan: EnablePlan::default() }
    }

    pub(super) fn set(&mut self, field: &str, value: Value, line: impl Into<String>) {
        self.spec.insert(field.into(), value);
        self.say(line);
    }

    pub(super) fn say(&mut self, line: impl Into<String>) {
        let line = line.into();
        if !line.is_empty() {
            self.plan.summary.push(line);
        }
    }

    /// Every persona, to edit in place.
    pub(super) fn personas(&mut self) -> &mut Vec<Value> {
        let raw = &self.pack.raw;
        let field = self.pack.era.members_field();
        self.personas.get_or_insert_with(|| raw["spec"][field].as_array().cloned().unwrap_or_default())
    }

    /// A Secret of ours for this pack.
    pub(super) fn secret(&mut self, name: String, data: &Credential, role: SecretRole) {
        let pack = &self.pack.meta;
        self.say(format!(
            "write Secret {name} with {} (value never shown)",
            data.keys().collect::<Vec<_>>().join(", ")
        ));
        self.plan.secrets.push(SecretPlan {
            name,
            namespace: pack.namespace.clone(),
            labels: BTreeMap::from([
                (self.pack.era.label_pack().to_string(), pack.name.clone()),
                (crate::names::MANAGED_BY_LABEL.to_string(), crate::names::MANAGED_BY.to_string()),
            ]),
            data: data.clone(),
            role,
        });
    }

    pub(super) fn finish(mut self) -> EnablePlan {
        if let Some(list) = self.personas.take() {
            self.spec.insert(self.pack.era.members_field().into(), Value::Array(list));
            self.plan.guarded = true;
        }
        self.plan.patch = json!({"spec": self.spec});
        self.plan
    }
}
