//! What the controllers stamped for a pack, read in one parallel round, and
//! the Model (v0.9+) an Ensemble runs on.

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::api::{Api, DynamicObject, ListParams};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::Value;

use super::*;
use crate::error::{Error, Result};
use crate::model::{self, GROUP, Meta, PersonaPack, VERSION};

/// A pack and what the controllers stamped for it (`Connection::stamped`).
pub struct Stamped {
    pub pack: PersonaPack,
    pub instances: Vec<Value>,
    pub schedules: Vec<Value>,
    /// ConfigMaps that may be the pack's memory: keep the names expected.
    pub memory: Vec<Value>,
    pub our_secrets: Vec<Meta>,
}

/// v0.9+'s Model, which an Ensemble's modelRef names.
fn model_resource() -> ApiResource {
    ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(GROUP, VERSION, "Model"), "models")
}

impl Connection {
    /// A pack and everything stamped for it, read in one parallel round (the
    /// selectors need only the pack's name): the pack, its instances and
    /// schedules, the ConfigMaps that may be its memory (metadata only: by the
    /// pack controller's label, or the instance controller's with a
    /// `<pack>-...-memory` name; the caller keeps the names it expects), and
    /// the credential Secrets this plugin wrote for it (`with_secrets`).
    pub async fn stamped(&self, namespace: &str, name: &str, with_secrets: bool) -> Result<Stamped> {
        let selector = format!("{}={name}", self.era().label_pack());
        let configmaps: Api<ConfigMap> = Api::namespaced(self.client.clone(), namespace);
        let by_pack = ListParams::default().labels(&selector);
        let by_instance = ListParams::default().labels("sympozium.ai/instance");
        let (pack, instances, schedules, memory_by_pack, memory_by_instance, secrets) = futures::join!(
            self.get_pack(namespace, name),
            self.list(Kind::Instance, Some(namespace), Some(&selector), None),
            self.list(Kind::Schedule, Some(namespace), Some(&selector), None),
            self.call(configmaps.list_metadata(&by_pack)),
            self.call(configmaps.list_metadata(&by_instance)),
            async { if with_secrets { self.our_secrets(namespace, name).await } else { Ok(Vec::new()) } },
        );
        // The pack's own error (not found, forbidden) is the one to report.
        let pack = pack?;
        let prefix = format!("{name}-");
        let mut seen = std::collections::BTreeSet::new();
        let memory = memory_by_pack?
            .items
            .into_iter()
            .chain(memory_by_instance?.items.into_iter().filter(|m| {
                m.metadata.name.as_deref().is_some_and(|n| n.starts_with(&prefix) && n.ends_with("-memory"))
            }))
            .filter(|m| m.metadata.name.as_ref().is_some_and(|n| seen.insert(n.clone())))
            .map(|m| serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": m.metadata}))
            .collect();
        Ok(Stamped { pack, instances: instances?, schedules: schedules?, memory, our_secrets: secrets? })
    }

    /// Metadata of the Secrets this plugin wrote for a pack (labelled with the
    /// pack and managed-by us), never their data.
    pub async fn our_secrets(&self, namespace: &str, pack: &str) -> Result<Vec<Meta>> {
        if !model::is_label_value(pack) {
            return Ok(Vec::new());
        }
        let api: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        let selector = format!(
            "{}={pack},{}={}",
            self.era().label_pack(),
            crate::names::MANAGED_BY_LABEL,
            crate::names::MANAGED_BY
        );
        let list = self.call(api.list_metadata(&ListParams::default().labels(&selector))).await?;
        Ok(list.items.into_iter().map(|m| Meta::from_value(&serde_json::json!({"metadata": m.metadata}))).collect())
    }

    /// The endpoint of the Model an Ensemble's `modelRef` names, as the
    /// controller resolves it (`ns/name`, else the Ensemble's namespace, else
    /// `sympozium-system`); None without a modelRef or a Ready Model.
    pub async fn model_endpoint(&self, pack: &PersonaPack) -> Result<Option<String>> {
        let model_ref = pack.model_ref();
        Ok(self.model_state(&pack.meta.namespace, model_ref).await?.filter(|m| m.is_ready()).and_then(|m| m.endpoint))
    }

    /// The Model `model_ref` names, looked up as the controller does (`ns/name`,
    /// else `namespace`, else `sympozium-system`); None for an empty ref.
    pub async fn model_state(&self, namespace: &str, model_ref: &str) -> Result<Option<model::ModelState>> {
        if model_ref.is_empty() {
            return Ok(None);
        }
        let ar = model_resource();
        let tries: Vec<(&str, &str)> = match model_ref.split_once('/') {
            Some((ns, name)) => vec![(ns, name)],
            None => vec![(namespace, model_ref), ("sympozium-system", model_ref)],
        };
        for (ns, name) in tries {
            if let Some(m) = self.get_object(&ar, ns, name).await? {
                return Ok(Some(model::ModelState::found(model_ref.to_string(), &m)));
            }
        }
        Ok(Some(model::ModelState { name: model_ref.to_string(), ..Default::default() }))
    }

    /// The Models an Ensemble in `namespace` can name: its namespace's (by
    /// name) and `sympozium-system`'s (as `sympozium-system/NAME`).
    pub async fn models(&self, namespace: &str) -> Result<Vec<model::ModelState>> {
        let ar = model_resource();
        let mut out = Vec::new();
        let mut places = vec![namespace];
        if namespace != "sympozium-system" {
            places.push("sympozium-system");
        }
        for ns in places {
            let api: Api<DynamicObject> = Api::namespaced_with(self.client.clone(), ns, &ar);
            let list = match self.call(api.list(&ListParams::default().limit(PAGE))).await {
                Ok(l) => l,
                // No Model API (or not ours to read): nothing to offer.
                Err(Error::Server { code: 403 | 404, .. }) => continue,
                Err(e) => return Err(e),
            };
            for m in list.items {
                let name = m.metadata.name.clone().unwrap_or_default();
                let name = if ns == namespace { name } else { format!("{ns}/{name}") };
                out.push(model::ModelState::found(name, &serde_json::to_value(&m).unwrap_or_default()));
            }
        }
        Ok(out)
    }
}
