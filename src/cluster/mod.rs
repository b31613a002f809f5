//! Cluster access: every request the plugin makes goes through here, typed
//! by what it reads, bounded by `--request-timeout`, and with refusals turned
//! into kubectl-shaped errors (missing CRD, Ensemble era, NotFound hints).

mod core;
pub mod discovery;
mod era;
mod lists;
mod migration;
mod packs;
mod report;
mod runs;
mod schedules;
mod stamped;
mod table;
mod transaction;
mod watch;
pub use migration::resource_of;
pub use packs::{Patched, guard};
pub use runs::run_row;
pub use transaction::SecretWrites;
pub use watch::uid_version;

use kube::api::{Api, DynamicObject};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{Era, GROUP, VERSION};

/// A connected client with what every command needs to know about it. The
/// client itself is this module's alone: every request goes through here.
#[derive(Clone)]
pub struct Connection {
    client: kube::Client,
    /// `-n`, else the context's namespace, else `default`.
    pub namespace: String,
    /// The server URL, for error messages.
    pub server: String,
    /// Per-request limit (`--request-timeout`); None when 0.
    pub timeout: Option<std::time::Duration>,
    /// The Sympozium kind this cluster is spoken to in (`settle_era`); it
    /// changes only when a stale discovery cache is found out (`rediscover`).
    era: std::sync::Arc<std::sync::Mutex<Era>>,
    /// `--kind`, and where discovery is cached.
    asked: Option<Era>,
    cache: Option<std::path::PathBuf>,
}

impl Connection {
    pub fn new(client: kube::Client, namespace: String, server: String, timeout: Option<std::time::Duration>) -> Self {
        Connection { client, namespace, server, timeout, era: Default::default(), asked: None, cache: None }
    }

    /// The kind packs are in on this cluster: PersonaPack or Ensemble.
    pub fn era(&self) -> Era {
        *self.era.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Run one API call under `--request-timeout`, translating its error.
    pub async fn call<T>(&self, fut: impl Future<Output = std::result::Result<T, kube::Error>>) -> Result<T> {
        let res = match self.timeout {
            Some(limit) => match tokio::time::timeout(limit, fut).await {
                Ok(r) => r,
                Err(_) => return Err(Error::Timeout { server: self.server.clone(), timeout: limit }),
            },
            None => fut.await,
        };
        res.map_err(|e| Error::from_kube(e, &self.server, self.timeout.unwrap_or_default()))
    }
}

/// The Sympozium kinds the plugin reads, named by era (no discovery round
/// trip beyond the era's own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// PersonaPack or Ensemble.
    Pack,
    /// SympoziumInstance or Agent.
    Instance,
    Schedule,
    /// AgentRun (both eras).
    Run,
}

impl Kind {
    pub fn resource(self, era: Era) -> ApiResource {
        let (kind, plural) = match self {
            Kind::Pack => (era.kind(), era.plural()),
            Kind::Instance => era.agent_kind(),
            Kind::Schedule => ("SympoziumSchedule", "sympoziumschedules"),
            Kind::Run => ("AgentRun", "agentruns"),
        };
        ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(GROUP, VERSION, kind), plural)
    }
}

impl Connection {
    /// A kind's resource in this cluster's era.
    pub fn resource(&self, kind: Kind) -> ApiResource {
        kind.resource(self.era())
    }

    fn dynamic(&self, kind: Kind, namespace: Option<&str>) -> Api<DynamicObject> {
        let ar = self.resource(kind);
        match namespace {
            Some(ns) => Api::namespaced_with(self.client.clone(), ns, &ar),
            None => Api::all_with(self.client.clone(), &ar),
        }
    }

    /// An object as JSON with its apiVersion and kind set (lists leave them out).
    fn with_type(&self, obj: DynamicObject, kind: Kind) -> Value {
        with_type(obj, &self.resource(kind))
    }
}

pub use crate::names::FIELD_MANAGER;

/// Page size for lists: big enough for one request in the common case,
/// bounded so a huge namespace streams in pages.
const PAGE: u32 = 500;

/// What a query value or path segment may keep unencoded: RFC 3986's
/// unreserved characters.
const UNRESERVED: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A query value or path segment, percent-encoded.
fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, UNRESERVED).to_string()
}

/// A 404 for the resource type itself (no such API: a Status saying "the
/// server could not find the requested resource", or a bare "404 page not
/// found" when the whole group is absent), not for a named object, whose
/// message is `personapacks.sympozium.ai "x" not found`.
fn is_missing_resource(e: &Error) -> bool {
    matches!(e, Error::Server { code: 404, message, .. } if !message.contains("\" not found"))
}

fn with_type(obj: DynamicObject, ar: &ApiResource) -> Value {
    let mut v = serde_json::to_value(obj).unwrap_or_default();
    if let Some(m) = v.as_object_mut() {
        m.insert("apiVersion".into(), Value::String(ar.api_version.clone()));
        m.insert("kind".into(), Value::String(ar.kind.clone()));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("team in (a,b),!x"), "team%20in%20%28a%2Cb%29%2C%21x");
        assert_eq!(encode("app.kubernetes.io/name=x"), "app.kubernetes.io%2Fname%3Dx");
        assert_eq!(encode("ns/../x"), "ns%2F..%2Fx");
    }
}
