//! The Secrets `enable` writes: which, with which keys, and the change to
//! one that exists (only keys of our own are ever removed).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::*;

/// A Secret to create (or update) with the credential.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretPlan {
    pub name: String,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub data: Credential,
    /// What it holds.
    pub role: SecretRole,
}

/// What a planned Secret holds, for its messages.
#[derive(Clone, Debug, PartialEq)]
pub enum SecretRole {
    /// The provider's key (its name: `openai`, ...).
    ProviderKey(&'static str),
    /// A channel's bot token (the channel type).
    ChannelToken(String),
    GithubToken,
}

impl SecretRole {
    /// "the openai key", "the slack bot token", "the GitHub token".
    pub fn purpose(&self) -> String {
        match self {
            SecretRole::ProviderKey(p) => format!("the {p} key"),
            SecretRole::ChannelToken(c) => format!("the {c} bot token"),
            SecretRole::GithubToken => "the GitHub token".into(),
        }
    }

    /// How to use an existing Secret of that name instead of writing it.
    pub fn use_existing(&self, name: &str) -> String {
        match self {
            SecretRole::ProviderKey(_) => format!("Use it as it is with --secret {name}"),
            SecretRole::ChannelToken(c) => format!("Use it as it is with --channel-secret {c}={name}"),
            SecretRole::GithubToken => "Leave it as it is (omit the GitHub token)".into(),
        }
    }
}

impl SecretPlan {
    /// Did kubectl-personapack write the Secret with these labels, for the
    /// same owner (the pack; for the GitHub token, the skill)?
    pub fn is_ours(&self, labels: &BTreeMap<String, String>) -> bool {
        self.labels.iter().all(|(k, v)| labels.get(k) == Some(v))
    }

    /// The Secret object; `redact` replaces every value (for dry runs).
    pub fn object(&self, redact: bool) -> Value {
        let data: Map<String, Value> = self
            .data
            .entries()
            .map(|(k, v)| (k.to_string(), Value::String(if redact { "<redacted>".into() } else { v.to_string() })))
            .collect();
        json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": self.name, "namespace": self.namespace, "labels": self.labels},
            "type": "Opaque",
            "stringData": data,
        })
    }
}

/// What a Secret write did, in kubectl apply's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    Created,
    Configured,
    Unchanged,
}

impl Written {
    pub fn word(self) -> &'static str {
        match self {
            Written::Created => "created",
            Written::Configured => "configured",
            Written::Unchanged => "unchanged",
        }
    }
}

/// Every key enable has ever written into a provider Secret: the only keys it
/// may remove from a Secret of its own (a stale bedrock session token, say).
pub const KEY_FIELDS: &[&str] = &[
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "AZURE_OPENAI_API_KEY",
    "API_KEY",
    "AWS_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "TELEGRAM_BOT_TOKEN",
    "SLACK_BOT_TOKEN",
    "DISCORD_BOT_TOKEN",
    "GH_TOKEN",
];

/// An existing Secret as enable compares it: its data and its labels.
pub type ExistingSecret<'a> = (&'a BTreeMap<String, Vec<u8>>, &'a BTreeMap<String, String>);

/// What writing `plan` over `existing` (its data and labels) does, in kubectl
/// apply's words, and the merge patch that does it. Keys are removed only from
/// a Secret of ours, and only keys enable itself writes; an adopted Secret
/// keeps every key it had.
pub fn secret_change(plan: &SecretPlan, existing: Option<ExistingSecret>) -> (Written, Value) {
    let Some((have, have_labels)) = existing else { return (Written::Created, Value::Null) };
    let want = &plan.data;
    let ours = plan.is_ours(have_labels);
    let stale: Vec<&String> =
        have.keys().filter(|k| ours && want.get(k).is_none() && KEY_FIELDS.contains(&k.as_str())).collect();
    let same_data = stale.is_empty() && want.entries().all(|(k, v)| have.get(k).is_some_and(|b| b == v.as_bytes()));
    let same_labels = plan.labels.iter().all(|(k, v)| have_labels.get(k) == Some(v));
    if same_data && same_labels {
        return (Written::Unchanged, Value::Null);
    }
    let mut data = Map::new();
    for k in stale {
        data.insert(k.clone(), Value::Null);
    }
    let string_data: Map<String, Value> =
        want.entries().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect();
    (Written::Configured, json!({"metadata": {"labels": plan.labels}, "data": data, "stringData": string_data}))
}
