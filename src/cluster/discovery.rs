//! API discovery for `tree`: aggregated discovery (`/api` + `/apis`, two
//! requests, Kubernetes ≥ 1.26) with a fallback to the legacy per-group
//! documents for older servers. Only namespaced, listable resources are kept.

use kube::core::{ApiResource, GroupVersionKind};
use serde_json::Value;

use crate::cluster::Connection;
use crate::error::{Error, Result};

/// A resource the server serves, as far as `tree` needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
    pub listable: bool,
}

impl Resource {
    pub fn api_resource(&self) -> ApiResource {
        ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(&self.group, &self.version, &self.kind), &self.plural)
    }
}

const AGGREGATED: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

/// Every resource the server serves (preferred version of each group).
pub async fn resources(conn: &Connection) -> Result<Vec<Resource>> {
    let core = get(conn, "/api", AGGREGATED).await?;
    if core["kind"] == "APIGroupDiscoveryList" {
        let apis = get(conn, "/apis", AGGREGATED).await?;
        let mut out = parse_aggregated(&core);
        out.extend(parse_aggregated(&apis));
        return Ok(out);
    }
    legacy(conn).await
}

async fn get(conn: &Connection, path: &str, accept: &str) -> Result<Value> {
    let req = http::Request::get(path)
        .header(http::header::ACCEPT, accept)
        .body(Vec::new())
        .map_err(|e| Error::usage(format!("building request {path}: {e}")))?;
    let text = conn.call(conn.client.request_text(req)).await?;
    serde_json::from_str(&text).map_err(|e| Error::usage(format!("reading {path}: {e}")))
}

/// apidiscovery.k8s.io/v2 APIGroupDiscoveryList: the first version listed is the preferred one.
pub fn parse_aggregated(doc: &Value) -> Vec<Resource> {
    let mut out = Vec::new();
    for group in doc["items"].as_array().into_iter().flatten() {
        let gname = group["metadata"]["name"].as_str().unwrap_or_default();
        let Some(version) = group["versions"].as_array().and_then(|v| v.first()) else { continue };
        let vname = version["version"].as_str().unwrap_or_default();
        for r in version["resources"].as_array().into_iter().flatten() {
            let verbs: Vec<&str> = r["verbs"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            out.push(Resource {
                group: gname.to_string(),
                version: vname.to_string(),
                kind: r["responseKind"]["kind"].as_str().unwrap_or_default().to_string(),
                plural: r["resource"].as_str().unwrap_or_default().to_string(),
                namespaced: r["scope"] == "Namespaced",
                listable: verbs.contains(&"list"),
            });
        }
    }
    out
}

/// Older servers: `/api/v1`, `/apis`, then one request per group's preferred version.
async fn legacy(conn: &Connection) -> Result<Vec<Resource>> {
    let mut out = parse_resource_list(&get(conn, "/api/v1", "application/json").await?, "", "v1");
    let groups = get(conn, "/apis", "application/json").await?;
    for g in groups["groups"].as_array().into_iter().flatten() {
        let name = g["name"].as_str().unwrap_or_default();
        let gv = g["preferredVersion"]["groupVersion"].as_str().unwrap_or_default();
        let version = g["preferredVersion"]["version"].as_str().unwrap_or_default();
        // A broken aggregated API must not sink the whole tree.
        match get(conn, &format!("/apis/{gv}"), "application/json").await {
            Ok(list) => out.extend(parse_resource_list(&list, name, version)),
            Err(e) => eprintln!("Warning: skipping API group {gv}: {}", e.report()),
        }
    }
    Ok(out)
}

fn parse_resource_list(doc: &Value, group: &str, version: &str) -> Vec<Resource> {
    doc["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| !r["name"].as_str().unwrap_or_default().contains('/'))
        .map(|r| Resource {
            group: group.to_string(),
            version: version.to_string(),
            kind: r["kind"].as_str().unwrap_or_default().to_string(),
            plural: r["name"].as_str().unwrap_or_default().to_string(),
            namespaced: r["namespaced"].as_bool().unwrap_or(false),
            listable: r["verbs"].as_array().is_some_and(|v| v.iter().any(|x| x == "list")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn aggregated_documents_give_preferred_versions() {
        let doc = json!({"kind": "APIGroupDiscoveryList", "items": [
            {"metadata": {"name": "apps"}, "versions": [
                {"version": "v1", "resources": [
                    {"resource": "deployments", "responseKind": {"kind": "Deployment"}, "scope": "Namespaced", "verbs": ["get", "list"]},
                    {"resource": "controllerrevisions", "responseKind": {"kind": "ControllerRevision"}, "scope": "Namespaced", "verbs": ["get"]}
                ]},
                {"version": "v1beta1", "resources": []}
            ]}
        ]});
        let r = parse_aggregated(&doc);
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].group.as_str(), r[0].version.as_str(), r[0].plural.as_str()), ("apps", "v1", "deployments"));
        assert!(r[0].namespaced && r[0].listable && !r[1].listable);
    }

    #[test]
    fn legacy_lists_skip_subresources() {
        let doc = json!({"resources": [
            {"name": "pods", "kind": "Pod", "namespaced": true, "verbs": ["list"]},
            {"name": "pods/log", "kind": "Pod", "namespaced": true, "verbs": ["get"]}
        ]});
        let r = parse_resource_list(&doc, "", "v1");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].plural, "pods");
    }
}
