//! The core kinds the plugin reads and writes beside the packs: ConfigMaps
//! (memory), Secrets (credentials, written with a roll-back), Namespaces.

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use serde_json::Value;

use super::*;
use crate::activation::Written;
use crate::error::{Error, Result};
use crate::model::Meta;

impl Connection {
    /// A ConfigMap, data included (for `seed`, which must see the memory it may replace).
    pub async fn configmap(&self, namespace: &str, name: &str) -> Result<Option<ConfigMap>> {
        let api: Api<ConfigMap> = Api::namespaced(self.client.clone(), namespace);
        self.call(api.get_opt(name)).await
    }

    /// A merge patch of a ConfigMap; a `metadata.resourceVersion` in it makes
    /// the server refuse (Conflict) if the ConfigMap changed since it was read.
    pub async fn patch_configmap(&self, namespace: &str, name: &str, patch: &Value, dry_run: bool) -> Result<()> {
        let api: Api<ConfigMap> = Api::namespaced(self.client.clone(), namespace);
        let mut params = PatchParams { field_manager: Some(FIELD_MANAGER.into()), ..Default::default() };
        params.dry_run = dry_run;
        self.call(api.patch(name, &params, &Patch::Merge(patch))).await?;
        Ok(())
    }

    /// Whether a namespace exists.
    pub async fn namespace_exists(&self, name: &str) -> Result<bool> {
        let api: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(self.client.clone());
        Ok(self.call(api.get_metadata_opt(name)).await?.is_some())
    }

    /// Create a namespace (for `enable --into NS --create-namespace`).
    pub async fn create_namespace(&self, name: &str, dry_run: bool) -> Result<()> {
        let api: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(self.client.clone());
        let ns: k8s_openapi::api::core::v1::Namespace =
            serde_json::from_value(serde_json::json!({"metadata": {"name": name}}))
                .map_err(|e| Error::usage(e.to_string()))?;
        let params = PostParams { dry_run, field_manager: Some(FIELD_MANAGER.into()) };
        self.call(api.create(&params, &ns)).await?;
        Ok(())
    }

    /// The names of the cluster's namespaces (for completion).
    pub async fn namespace_names(&self) -> Result<Vec<String>> {
        let api: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(self.client.clone());
        let list = self.call(api.list_metadata(&ListParams::default())).await?;
        Ok(list.items.into_iter().filter_map(|n| n.metadata.name).collect())
    }

    /// The names of a namespace's Secrets (metadata only: no data is read).
    pub async fn secret_names(&self, namespace: &str) -> Result<Vec<String>> {
        let api: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        let list = self.call(api.list_metadata(&ListParams::default())).await?;
        Ok(list.items.into_iter().filter_map(|m| m.metadata.name).collect())
    }

    /// A Secret's data keys, never its values (those are dropped at once).
    pub async fn secret_keys(&self, namespace: &str, name: &str) -> Result<Option<Vec<String>>> {
        Ok(self.get_secret(namespace, name).await?.map(|s| {
            let mut keys: Vec<String> = s.data.unwrap_or_default().into_keys().collect();
            keys.extend(s.string_data.unwrap_or_default().into_keys());
            keys.sort();
            keys.dedup();
            keys
        }))
    }

    /// A ConfigMap's metadata, or None if it does not exist.
    pub async fn configmap_meta(&self, namespace: &str, name: &str) -> Result<Option<Meta>> {
        let api: Api<ConfigMap> = Api::namespaced(self.client.clone(), namespace);
        self.optional_meta(api.get_metadata_opt(name)).await
    }

    /// A Secret's metadata (never its data), or None if it does not exist.
    pub async fn secret_meta(&self, namespace: &str, name: &str) -> Result<Option<Meta>> {
        let api: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        self.optional_meta(api.get_metadata_opt(name)).await
    }

    pub(super) async fn optional_meta<K: serde::Serialize>(
        &self,
        fut: impl Future<Output = Result<Option<K>, kube::Error>>,
    ) -> Result<Option<Meta>> {
        Ok(self.call(fut).await?.map(|obj| {
            let v = serde_json::to_value(obj).unwrap_or_default();
            Meta::from_value(&v)
        }))
    }

    /// A Secret, data included: only for enable, which must compare the key
    /// it writes with what is there (never printed).
    pub async fn get_secret(&self, namespace: &str, name: &str) -> Result<Option<Secret>> {
        let api: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        self.call(api.get_opt(name)).await
    }

    /// Create the Secret `obj`, or apply `patch` (a merge patch) to the
    /// existing one; the caller decided which (`activation::secret_change`).
    pub async fn write_secret(
        &self,
        namespace: &str,
        obj: &Value,
        change: (Written, &Value),
        dry_run: bool,
    ) -> Result<Written> {
        let api: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        let name = obj["metadata"]["name"].as_str().unwrap_or_default().to_string();
        match change {
            (Written::Created, _) => {
                let desired: Secret = serde_json::from_value(obj.clone()).map_err(|e| Error::usage(e.to_string()))?;
                let params = PostParams { dry_run, field_manager: Some(FIELD_MANAGER.into()) };
                self.call(api.create(&params, &desired)).await?;
            }
            (Written::Configured, patch) => {
                let mut params = PatchParams { field_manager: Some(FIELD_MANAGER.into()), ..Default::default() };
                params.dry_run = dry_run;
                self.call(api.patch(&name, &params, &Patch::Merge(patch))).await?;
            }
            (Written::Unchanged, _) => {}
        }
        Ok(change.0)
    }

    /// Put a Secret's data and labels back as they were (a rollback).
    pub async fn restore_secret(&self, namespace: &str, before: &Secret) -> Result<()> {
        let api: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        let name = before.metadata.name.clone().unwrap_or_default();
        let Some(now) = self.get_secret(namespace, &name).await? else { return Ok(()) };
        let mut data = serde_json::Map::new();
        for k in now.data.unwrap_or_default().keys() {
            data.insert(k.clone(), Value::Null);
        }
        for (k, v) in before.data.clone().unwrap_or_default() {
            data.insert(k, serde_json::to_value(v).unwrap_or_default());
        }
        let mut labels = serde_json::Map::new();
        for k in now.metadata.labels.unwrap_or_default().keys() {
            labels.insert(k.clone(), Value::Null);
        }
        for (k, v) in before.metadata.labels.clone().unwrap_or_default() {
            labels.insert(k, Value::String(v));
        }
        let patch = serde_json::json!({"metadata": {"labels": labels}, "data": data});
        let params = PatchParams { field_manager: Some(FIELD_MANAGER.into()), ..Default::default() };
        self.call(api.patch(&name, &params, &Patch::Merge(&patch))).await?;
        Ok(())
    }

    pub async fn delete_secret(&self, namespace: &str, name: &str) -> Result<()> {
        let api: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        self.call(api.delete(name, &DeleteParams::default())).await?;
        Ok(())
    }
}
