//! Secret values (API keys, bot and GitHub tokens): held as secrecy's
//! `SecretString` (zeroized on drop, never printed by Debug), gathered once
//! per `enable`.

use std::collections::BTreeMap;

use secrecy::{ExposeSecret, SecretString};

use super::*;

/// The credential as read from stdin, the environment or a prompt: each
/// value a `SecretString` (zeroized when dropped, `Debug` redacted; copies
/// made to send it — the request body — are beyond reach).
#[derive(Clone)]
pub struct Credential {
    data: BTreeMap<String, SecretString>,
}

impl PartialEq for Credential {
    fn eq(&self, other: &Self) -> bool {
        self.entries().eq(other.entries())
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credential({} keys, redacted)", self.data.len())
    }
}

impl Credential {
    /// One value under one key (a bot token, the GitHub token).
    pub fn one(key: &str, value: String) -> Credential {
        Credential { data: BTreeMap::from([(key.to_string(), value.into())]) }
    }

    /// The Secret keys it fills.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.data.keys().map(String::as_str)
    }

    /// Each key and its value, exposed: only to write the Secret.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.data.iter().map(|(k, v)| (k.as_str(), v.expose_secret()))
    }

    /// One key's value, exposed.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.data.get(key).map(|v| v.expose_secret())
    }

    /// One API key for a provider (bedrock takes its AWS set through `aws`).
    pub fn api_key(provider: Provider, key: String) -> Credential {
        Credential { data: BTreeMap::from([(provider.key_field().to_string(), key.into())]) }
    }

    /// Bedrock's AWS credentials, as upstream stores them.
    pub fn aws(region: String, access_key: String, secret_key: String, session: Option<String>) -> Credential {
        let mut data = BTreeMap::from([
            ("AWS_REGION".to_string(), region.into()),
            ("AWS_ACCESS_KEY_ID".to_string(), access_key.into()),
            ("AWS_SECRET_ACCESS_KEY".to_string(), secret_key.into()),
        ]);
        if let Some(s) = session {
            data.insert("AWS_SESSION_TOKEN".into(), s.into());
        }
        Credential { data }
    }
}

/// Where Sympozium keeps the github-gitops skill's token (its web API and TUI
/// both write it there; the skill's sidecar mounts it by this name).
pub const GITHUB_TOKEN_SECRET: &str = "github-gitops-token";

pub const GITHUB_TOKEN_NAMESPACE: &str = "sympozium-system";

pub const GITHUB_TOKEN_KEY: &str = "GH_TOKEN";

/// The secret values gathered for one `enable` (read by `cmd/enable/tokens.rs`).
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    pub credential: Option<Credential>,
    pub channels: Vec<(String, Credential)>,
    pub github: Option<Credential>,
}
