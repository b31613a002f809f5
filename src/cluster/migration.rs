//! The reads and writes of `migrate`: both eras' kinds side by side (a
//! cluster mid-upgrade serves both), guarded writes of objects of any kind,
//! and waiting for a deletion to finish. What to write is migration.rs's.

use kube::api::{Api, DeleteParams, DynamicObject, Preconditions, PropagationPolicy};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::Value;

use super::*;
use crate::error::{Error, Result};
use crate::migration::{Object, ObjectKind, Propagation};

/// The resource of a kind migrate touches (the old era's kinds by their v0.8 names).
pub fn resource_of(kind: ObjectKind) -> ApiResource {
    let core =
        |kind: &str, plural: &str| ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk("", "v1", kind), plural);
    match kind {
        ObjectKind::ConfigMap => core("ConfigMap", "configmaps"),
        ObjectKind::PersistentVolumeClaim => core("PersistentVolumeClaim", "persistentvolumeclaims"),
        ObjectKind::Secret => core("Secret", "secrets"),
        ObjectKind::SympoziumSchedule => Kind::Schedule.resource(Era::PersonaPack),
        ObjectKind::SympoziumInstance => Kind::Instance.resource(Era::PersonaPack),
    }
}

/// The kinds whose objects in a pack's namespace may be the pack's.
const READ: [ObjectKind; 5] = [
    ObjectKind::SympoziumInstance,
    ObjectKind::SympoziumSchedule,
    ObjectKind::ConfigMap,
    ObjectKind::PersistentVolumeClaim,
    ObjectKind::Secret,
];

impl Connection {
    /// Every PersonaPack in a namespace (all: None), whole, whatever the era
    /// this connection settled on.
    pub async fn old_packs(&self, namespace: Option<&str>) -> Result<Vec<Value>> {
        let ar = Kind::Pack.resource(Era::PersonaPack);
        let api: Api<DynamicObject> = match namespace {
            Some(ns) => Api::namespaced_with(self.client.clone(), ns, &ar),
            None => Api::all_with(self.client.clone(), &ar),
        };
        self.whole_pages(api, &ar, None).await
    }

    /// Every object of a resource in every namespace matching `selector`
    /// (one page loop); none when the server does not serve it.
    pub async fn list_everywhere(&self, ar: &ApiResource, selector: Option<&str>) -> Result<Vec<Value>> {
        match self.whole_pages(Api::all_with(self.client.clone(), ar), ar, selector).await {
            Err(e) if is_missing_resource(&e) => Ok(Vec::new()),
            other => other,
        }
    }

    /// One object of either era's pack kind; None if absent.
    pub async fn pack_of(&self, era: Era, namespace: &str, name: &str) -> Result<Option<Value>> {
        let ar = Kind::Pack.resource(era);
        Ok(self.get_object(&ar, namespace, name).await?.map(|mut v| {
            v["apiVersion"] = Value::String(ar.api_version.clone());
            v["kind"] = Value::String(ar.kind.clone());
            v
        }))
    }

    /// The metadata of every object in `namespace` migrate may touch. A kind
    /// the server does not serve (no SympoziumInstance CRD) has none.
    pub async fn migration_objects(&self, namespace: &str) -> Result<Vec<Object>> {
        let lists = futures::future::join_all(READ.map(|k| async move {
            let ar = resource_of(k);
            match self.list_metadata(&ar, namespace, None).await {
                Err(e) if is_missing_resource(&e) => Ok((k, Vec::new())),
                other => other.map(|items| (k, items)),
            }
        }))
        .await;
        let mut out = Vec::new();
        for list in lists {
            let (kind, items) = list?;
            out.extend(items.into_iter().map(|v| Object { kind, meta: v["metadata"].clone() }));
        }
        Ok(out)
    }

    /// A JSON patch (RFC 6902) of any object: its `test` operations guard it.
    pub async fn json_patch(&self, ar: &ApiResource, ns: &str, name: &str, ops: &Value, dry_run: bool) -> Result<()> {
        let mut path = format!("{}/{}?fieldManager={}", collection(ar, ns), encode(name), encode(FIELD_MANAGER));
        if dry_run {
            path.push_str("&dryRun=All");
        }
        self.send(http::Method::PATCH, &path, "application/json-patch+json", ops).await.map(drop)
    }

    /// Delete an object if it is still the one read (its UID); gone already is done.
    pub async fn delete_any(
        &self,
        ar: &ApiResource,
        ns: &str,
        name: &str,
        uid: &str,
        propagation: Propagation,
        dry_run: bool,
    ) -> Result<()> {
        let api: Api<DynamicObject> = Api::namespaced_with(self.client.clone(), ns, ar);
        let params = DeleteParams {
            dry_run,
            propagation_policy: Some(match propagation {
                Propagation::Foreground => PropagationPolicy::Foreground,
                Propagation::Background => PropagationPolicy::Background,
                Propagation::Orphan => PropagationPolicy::Orphan,
            }),
            preconditions: Some(Preconditions { uid: Some(uid.into()), resource_version: None }),
            ..Default::default()
        };
        match self.call(api.delete(name, &params)).await {
            Err(Error::Server { code: 404, .. }) => Ok(()),
            other => other.map(drop),
        }
    }

    /// Create an Ensemble, refusing any field its CRD does not know
    /// (`fieldValidation=Strict`: the server names each; nothing is dropped
    /// in silence); the object as written.
    pub async fn create_strict(&self, namespace: &str, obj: &Value, dry_run: bool) -> Result<Value> {
        let ar = Kind::Pack.resource(Era::Ensemble);
        let mut path =
            format!("{}?fieldManager={}&fieldValidation=Strict", collection(&ar, namespace), encode(FIELD_MANAGER));
        if dry_run {
            path.push_str("&dryRun=All");
        }
        self.send(http::Method::POST, &path, "application/json", obj).await
    }

    /// One request with a JSON body the typed API cannot send (a JSON patch,
    /// strict field validation); the server's answer.
    async fn send(&self, method: http::Method, path: &str, content_type: &str, body: &Value) -> Result<Value> {
        let body = serde_json::to_vec(body).map_err(|e| Error::usage(e.to_string()))?;
        let req = http::Request::builder()
            .method(method)
            .uri(path)
            .header(http::header::CONTENT_TYPE, content_type)
            .body(body)
            .map_err(|e| Error::usage(format!("building request {path}: {e}")))?;
        self.call(self.client.request::<Value>(req)).await
    }

    /// Wait until an object (by UID) is gone, at most `limit`; false if it is still there.
    pub async fn wait_gone(
        &self,
        ar: &ApiResource,
        ns: &str,
        name: &str,
        uid: &str,
        limit: std::time::Duration,
    ) -> Result<bool> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            match self.get_object(ar, ns, name).await? {
                Some(o) if o["metadata"]["uid"] == uid => {}
                _ => return Ok(true),
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(false);
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    }
}

/// The URL path of a namespaced resource's collection.
fn collection(ar: &ApiResource, ns: &str) -> String {
    let root = if ar.group.is_empty() { format!("/api/{}", ar.version) } else { format!("/apis/{}", ar.api_version) };
    format!("{root}/namespaces/{}/{}", encode(ns), ar.plural)
}
