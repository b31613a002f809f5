//! PersonaPacks (Ensembles): read one (with "did you mean" hints when it is
//! missing), listed as the server's Table or page by page, and written: a
//! merge patch, guarded by the read's resourceVersion where it was computed
//! from one.

use k8s_openapi::api::core::v1::Event;
use kube::api::{Api, DynamicObject, ListParams, Patch, PatchParams, PostParams};
use serde_json::Value;

use super::*;
use crate::error::{Error, Result};
use crate::model::PersonaPack;

/// A patch as sent: when computed from `pack` as read (`guarded`), it carries
/// that read's resourceVersion, so the server refuses it if the pack changed.
pub fn guard(mut patch: Value, guarded: bool, pack: &PersonaPack) -> Value {
    if guarded {
        patch["metadata"] = serde_json::json!({"resourceVersion": pack.meta.resource_version});
    }
    patch
}

/// Tries of a guarded patch that keeps meeting newer versions of the pack.
const GUARDED_TRIES: u64 = 8;

/// The outcome of a pack patch: `patched` or `patched (no change)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patched {
    pub changed: bool,
    /// The Secrets the pack names after the patch (authRefs, channelConfigs).
    pub referenced_secrets: Vec<String>,
}

impl Patched {
    pub fn word(&self) -> &'static str {
        if self.changed { "patched" } else { "patched (no change)" }
    }
}

/// Names within a small edit distance of `name`, closest first (at most 3).
pub fn closest(name: &str, candidates: &[String]) -> Vec<String> {
    let limit = (name.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &String)> = candidates
        .iter()
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, c)| *d <= limit || c.contains(name) || name.contains(c.as_str()))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, c)| c.clone()).collect()
}

impl Connection {
    /// One PersonaPack, typed (its object as the server sent it, apiVersion
    /// and kind set, kept in `raw`).
    pub async fn get_pack(&self, namespace: &str, name: &str) -> Result<PersonaPack> {
        let got = self.with_era(async || self.call(self.dynamic(Kind::Pack, Some(namespace)).get(name)).await).await;
        match got {
            Ok(obj) => Ok(PersonaPack::from_value(&self.with_type(obj, Kind::Pack))),
            Err(mut e) => {
                if e.is_not_found() {
                    let hints = self.not_found_hints(namespace, name).await;
                    if let Error::Server { hints: h, .. } = &mut e {
                        *h = hints;
                    }
                }
                Err(e)
            }
        }
    }

    /// One PersonaPack, None if it is gone (a list and a read race).
    pub(super) async fn get_pack_opt(&self, namespace: &str, name: &str) -> Result<Option<Value>> {
        let api = self.dynamic(Kind::Pack, Some(namespace));
        Ok(self.call(api.get_opt(name)).await?.map(|o| self.with_type(o, Kind::Pack)))
    }

    /// PersonaPacks in one namespace (or all), optionally by label selector.
    pub async fn list_packs(&self, namespace: Option<&str>, selector: Option<&str>) -> Result<Vec<PersonaPack>> {
        let items = self.list(Kind::Pack, namespace, selector, None).await?;
        Ok(items.iter().map(PersonaPack::from_value).collect())
    }

    /// PersonaPacks (`chunk` a page; 0: all at once) and the list's
    /// resourceVersion, where a watch of them starts.
    pub async fn list_packs_at(
        &self,
        namespace: Option<&str>,
        selector: Option<&str>,
        chunk: u32,
    ) -> Result<(Vec<Value>, String)> {
        self.list_versioned(Kind::Pack, namespace, selector, None, chunk).await
    }

    /// PersonaPacks a page at a time (`list -o json|yaml` prints each page
    /// before the next is asked for); returns the list's resourceVersion.
    pub async fn pack_pages(
        &self,
        namespace: Option<&str>,
        selector: Option<&str>,
        chunk: u32,
        on_page: impl FnMut(Vec<Value>) -> Result<()>,
    ) -> Result<String> {
        let mut params = ListParams::default().limit(chunk);
        if let Some(s) = selector {
            params = params.labels(s);
        }
        self.pages(Kind::Pack, namespace, params, on_page).await
    }

    /// Events about one PersonaPack, oldest first.
    pub async fn pack_events(&self, namespace: &str, name: &str) -> Result<Vec<Event>> {
        let api: Api<Event> = Api::namespaced(self.client.clone(), namespace);
        let params = ListParams::default()
            .fields(&format!("involvedObject.name={name},involvedObject.kind={}", self.era().kind()))
            .limit(PAGE);
        let mut events = self.call(api.list(&params)).await?.items;
        events.sort_by_key(|e| e.last_timestamp.clone().map(|t| t.0).or(e.event_time.clone().map(|t| t.0)));
        Ok(events)
    }

    /// Where a missing pack might be: similar names here, the same name elsewhere.
    pub(super) async fn not_found_hints(&self, namespace: &str, name: &str) -> Vec<String> {
        let mut hints = Vec::new();
        // Names here (metadata only) and the same name elsewhere, at once.
        let (field, packs) = (format!("metadata.name={name}"), self.resource(Kind::Pack));
        let (here, elsewhere) = futures::join!(
            self.list_metadata(&packs, namespace, None),
            self.list(Kind::Pack, None, None, Some(&field)),
        );
        if let Ok(here) = here {
            let names: Vec<String> =
                here.iter().filter_map(|m| m["metadata"]["name"].as_str().map(String::from)).collect();
            let close = closest(name, &names);
            if !close.is_empty() {
                hints.push(format!("Did you mean {}?", close.join(" or ")));
            }
        }
        if let Ok(elsewhere) = elsewhere {
            let nss: Vec<&str> = elsewhere.iter().filter_map(|p| p["metadata"]["namespace"].as_str()).collect();
            if !nss.is_empty() {
                hints.push(format!(
                    "{} \"{}\" exists in namespace {}: use -n {}",
                    self.era().kind(),
                    crate::escape::escape(name),
                    nss.iter().map(|n| crate::escape::escape(n)).collect::<Vec<_>>().join(", "),
                    crate::escape::escape(nss[0])
                ));
            }
        }
        hints
    }

    /// JSON merge patch of a PersonaPack; returns the object after the patch.
    pub async fn patch_pack(&self, namespace: &str, name: &str, patch: &Value, dry_run: bool) -> Result<Value> {
        let api = self.dynamic(Kind::Pack, Some(namespace));
        let mut params = PatchParams { field_manager: Some(FIELD_MANAGER.into()), ..Default::default() };
        params.dry_run = dry_run;
        let obj = self.call(api.patch(name, &params, &Patch::Merge(patch))).await?;
        Ok(self.with_type(obj, Kind::Pack))
    }

    /// JSON merge patch of a pack's status subresource (a `metadata.resourceVersion`
    /// in it makes the server refuse if the pack changed since it was read).
    pub async fn patch_pack_status(&self, namespace: &str, name: &str, patch: &Value) -> Result<()> {
        let api = self.dynamic(Kind::Pack, Some(namespace));
        let params = PatchParams { field_manager: Some(FIELD_MANAGER.into()), ..Default::default() };
        self.call(api.patch_status(name, &params, &Patch::Merge(patch))).await?;
        Ok(())
    }

    /// Apply a patch computed from a read of the pack. `compute` returns the
    /// patch and whether it depends on what was read; such a patch carries
    /// the read's resourceVersion, and when the pack changed meanwhile (the
    /// controller rewrites packs and their status all the time) it is read,
    /// computed and sent again, up to `GUARDED_TRIES` times.
    pub async fn patch_pack_from_read(
        &self,
        namespace: &str,
        name: &str,
        mut pack: PersonaPack,
        mut compute: impl FnMut(&PersonaPack) -> Result<(Value, bool)>,
    ) -> Result<Patched> {
        let mut tries = 0;
        loop {
            tries += 1;
            let (patch, guarded) = compute(&pack)?;
            let patch = guard(patch, guarded, &pack);
            match self.patch_pack(namespace, name, &patch, false).await {
                Ok(after) => {
                    let changed =
                        after["metadata"]["resourceVersion"].as_str() != Some(pack.meta.resource_version.as_str());
                    let referenced_secrets =
                        PersonaPack::from_value(&after).referenced_secrets().into_iter().map(String::from).collect();
                    return Ok(Patched { changed, referenced_secrets });
                }
                Err(Error::Server { code: 409, .. }) if guarded && tries < GUARDED_TRIES => {
                    tokio::time::sleep(std::time::Duration::from_millis(50 * tries)).await;
                    pack = self.get_pack(namespace, name).await?;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Create a PersonaPack from a full object.
    pub async fn create_pack(&self, namespace: &str, obj: &Value, dry_run: bool) -> Result<Value> {
        let api = self.dynamic(Kind::Pack, Some(namespace));
        let obj: DynamicObject = serde_json::from_value(obj.clone()).map_err(|e| Error::usage(e.to_string()))?;
        let params = PostParams { dry_run, field_manager: Some(FIELD_MANAGER.into()) };
        Ok(self.with_type(self.call(api.create(&params, &obj)).await?, Kind::Pack))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn closest_names_catch_typos_not_strangers() {
        let names = vec!["platform-team".to_string(), "developer-team".to_string(), "devops-essentials".to_string()];
        assert_eq!(closest("platfrom-team", &names), vec!["platform-team"]);
        assert_eq!(closest("devops", &names), vec!["devops-essentials"]);
        assert!(closest("zzz", &names).is_empty());
    }
}
