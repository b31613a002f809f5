//! Cluster access: every request the plugin makes goes through here, typed
//! by what it reads, bounded by `--request-timeout`, and with refusals turned
//! into kubectl-shaped errors (missing CRD, Ensemble era, NotFound hints).

pub mod discovery;
mod era;
mod runs;
pub use runs::run_row;
mod table;

use k8s_openapi::api::core::v1::{ConfigMap, Event, Secret};
use kube::api::{Api, DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::Value;

use crate::activation::Written;
use crate::error::{Error, Result};
use crate::model::{self, Era, GROUP, Meta, PersonaPack, VERSION};

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

/// A pack and what the controllers stamped for it (`Connection::stamped`).
pub struct Stamped {
    pub pack: PersonaPack,
    pub instances: Vec<Value>,
    pub schedules: Vec<Value>,
    /// ConfigMaps that may be the pack's memory: keep the names expected.
    pub memory: Vec<Value>,
    pub our_secrets: Vec<Meta>,
}

/// Changes to a pack's view (`Connection::pack_changes`).
pub struct Changes {
    events: futures::stream::SelectAll<futures::stream::BoxStream<'static, ()>>,
    exhausted: bool,
}

impl Changes {
    /// Wait for a change, then a quiet spell (a burst is one redraw); false
    /// once Ctrl-C arrives. If nothing at all can be watched (RBAC), look
    /// again every 2 s instead.
    pub async fn next(&mut self) -> bool {
        use futures::StreamExt;
        let tick = || async {
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => true,
                _ = tokio::signal::ctrl_c() => false,
            }
        };
        if self.exhausted {
            return tick().await;
        }
        tokio::select! {
            e = self.events.next() => {
                if e.is_none() {
                    self.exhausted = true;
                    return tick().await;
                }
            }
            _ = tokio::signal::ctrl_c() => return false,
        }
        loop {
            tokio::select! {
                e = self.events.next() => if e.is_none() { return true },
                _ = tokio::time::sleep(std::time::Duration::from_millis(200)) => return true,
                _ = tokio::signal::ctrl_c() => return false,
            }
        }
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

/// Page size for lists: big enough for one request in the common case,
/// bounded so a huge namespace streams in pages.
const PAGE: u32 = 500;

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

    /// One PersonaPack, typed (its object as the server sent it, apiVersion
    /// and kind set, kept in `raw`).
    pub async fn get_pack(&self, namespace: &str, name: &str) -> Result<PersonaPack> {
        let mut api = self.dynamic(Kind::Pack, Some(namespace));
        let mut got = self.call(api.get(name)).await;
        if matches!(&got, Err(e) if is_missing_resource(e)) && self.rediscover().await? {
            api = self.dynamic(Kind::Pack, Some(namespace));
            got = self.call(api.get(name)).await;
        }
        match got {
            Ok(obj) => Ok(PersonaPack::from_value(&self.with_type(obj, Kind::Pack))),
            Err(e) if is_missing_resource(&e) => Err(self.rediscover().await.err().unwrap_or(Error::NoSympoziumApi)),
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

    /// PersonaPacks in one namespace (or all), optionally by label selector.
    pub async fn list_packs(&self, namespace: Option<&str>, selector: Option<&str>) -> Result<Vec<PersonaPack>> {
        let items = self.list(Kind::Pack, namespace, selector, None).await?;
        Ok(items.iter().map(PersonaPack::from_value).collect())
    }

    /// PersonaPacks as the server prints them (kubectl's own way: a Table of
    /// the CRD's printer columns, each row with its object's metadata), about a
    /// tenth of the bytes of the objects: skinny pack values (metadata,
    /// `spec.enabled`/`workflowType`, `status.personaCount`/`installedCount`/
    /// `phase`) and the list's resourceVersion. A pack the server has no
    /// persona count for (never reconciled) is read whole, those all at once.
    /// None when the server answers with no Table (then list the objects).
    pub async fn list_pack_rows(
        &self,
        namespace: Option<&str>,
        selector: Option<&str>,
    ) -> Result<Option<(Vec<Value>, String)>> {
        let era = self.era();
        let path = match namespace {
            Some(ns) => format!("/apis/{GROUP}/{VERSION}/namespaces/{}/{}", encode(ns), era.plural()),
            None => format!("/apis/{GROUP}/{VERSION}/{}", era.plural()),
        };
        let mut rows = Vec::new();
        let mut next: Option<String> = None;
        let version = loop {
            let mut url = format!("{path}?limit={PAGE}&includeObject=Metadata");
            if let Some(s) = selector {
                url.push_str(&format!("&labelSelector={}", encode(s)));
            }
            if let Some(token) = &next {
                url.push_str(&format!("&continue={}", encode(token)));
            }
            let req = http::Request::get(&url)
                .header(http::header::ACCEPT, "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
                .body(Vec::new())
                .map_err(|e| Error::usage(format!("building request {url}: {e}")))?;
            let text = match self.call(self.client.request_text(req)).await {
                Ok(t) => t,
                // The first page: a stale era is found out here (then list again).
                Err(e) if is_missing_resource(&e) => {
                    return match self.rediscover().await {
                        Ok(_) if self.era() != era => Box::pin(self.list_pack_rows(namespace, selector)).await,
                        Ok(_) => Err(Error::NoSympoziumApi),
                        Err(e) => Err(e),
                    };
                }
                Err(e) => return Err(e),
            };
            let table: table::PackTable =
                serde_json::from_str(&text).map_err(|e| Error::usage(format!("reading {url}: {e}")))?;
            if table.kind != "Table" {
                return Ok(None);
            }
            let columns: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
            let cell = |row: &table::Row, name: &str| {
                columns.iter().position(|c| *c == name).and_then(|i| row.cells.get(i).cloned()).unwrap_or(Value::Null)
            };
            for row in &table.rows {
                let mut pack = serde_json::json!({
                    "apiVersion": format!("{GROUP}/{VERSION}"), "kind": era.kind(),
                    "metadata": row.object.metadata,
                    "spec": {"enabled": cell(row, "Enabled"), "workflowType": cell(row, "Workflow")},
                    "status": {"personaCount": cell(row, "Personas"), "installedCount": cell(row, "Installed"), "phase": cell(row, "Phase")},
                });
                // Nulls are absent fields, as in the objects themselves.
                for part in ["spec", "status"] {
                    if let Some(m) = pack[part].as_object_mut() {
                        m.retain(|_, v| !v.is_null());
                    }
                }
                rows.push(pack);
            }
            next = table.metadata.next.filter(|c| !c.is_empty());
            if next.is_none() {
                break table.metadata.resource_version.unwrap_or_default();
            }
        };
        // Packs without a persona count: their spec says how many; read those whole, at once.
        let uncounted: Vec<usize> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r["status"].get("personaCount").is_none())
            .map(|(i, _)| i)
            .collect();
        let whole = futures::future::join_all(uncounted.iter().map(|&i| {
            let m = &rows[i]["metadata"];
            self.get_pack_opt(m["namespace"].as_str().unwrap_or_default(), m["name"].as_str().unwrap_or_default())
        }))
        .await;
        for (i, pack) in uncounted.into_iter().zip(whole) {
            if let Some(pack) = pack? {
                rows[i] = pack;
            }
        }
        Ok(Some((rows, version)))
    }

    /// One PersonaPack, None if it is gone (a list and a read race).
    async fn get_pack_opt(&self, namespace: &str, name: &str) -> Result<Option<Value>> {
        let api = self.dynamic(Kind::Pack, Some(namespace));
        Ok(self.call(api.get_opt(name)).await?.map(|o| self.with_type(o, Kind::Pack)))
    }

    /// What a pack's view (`status`, `tree`) is made of, watched: `next()`
    /// resolves once something changed. No requests while nothing changes
    /// (the watches' own reconnects aside); a kind the user may not watch is
    /// left out. `tree` passes the kinds it shows; `status` the stamped ones.
    pub fn pack_changes(&self, namespace: &str, name: &str, kinds: &[ApiResource]) -> Changes {
        let pack_label = model::is_label_value(name).then(|| format!("{}={name}", self.era().label_pack()));
        let mut streams =
            vec![self.changes_of(self.resource(Kind::Pack), namespace, None, Some(format!("metadata.name={name}")))];
        for ar in kinds {
            // By the pack's label and by the instance controller's (what it
            // creates for every instance carries sympozium.ai/instance).
            streams.extend(pack_label.clone().map(|l| self.changes_of(ar.clone(), namespace, Some(l), None)));
            streams.push(self.changes_of(ar.clone(), namespace, Some("sympozium.ai/instance".into()), None));
        }
        Changes { events: futures::stream::select_all(streams), exhausted: false }
    }

    /// One watch, reopened when the server closes it or restarts; each event
    /// is a `()`. Starts with the server's account of what exists (the first
    /// `next()` of `Changes` absorbs it).
    fn changes_of(
        &self,
        resource: ApiResource,
        namespace: &str,
        labels: Option<String>,
        fields: Option<String>,
    ) -> futures::stream::BoxStream<'static, ()> {
        use futures::StreamExt;
        use kube::api::{WatchEvent, WatchParams};
        type Events = futures::stream::BoxStream<'static, kube::Result<WatchEvent<DynamicObject>>>;
        let api: Api<DynamicObject> = Api::namespaced_with(self.client.clone(), namespace, &resource);
        // `up`: connected since the last event; an outage is reported once
        // (as a change: the view then shows the server out of reach).
        let start = (self.clone(), "0".to_string(), None::<Events>, true);
        futures::stream::unfold(start, move |(conn, mut version, mut events, mut up)| {
            let (api, labels, fields) = (api.clone(), labels.clone(), fields.clone());
            async move {
                let pause = || tokio::time::sleep(std::time::Duration::from_secs(1));
                loop {
                    let stream = match events.as_mut() {
                        Some(s) => s,
                        None => {
                            let mut params = WatchParams::default().timeout(290);
                            if let Some(l) = &labels {
                                params = params.labels(l);
                            }
                            if let Some(f) = &fields {
                                params = params.fields(f);
                            }
                            match conn.call(api.watch(&params, &version)).await {
                                Ok(s) => {
                                    up = true;
                                    events.insert(s.boxed())
                                }
                                Err(e) if e.is_transient() => {
                                    pause().await;
                                    if std::mem::replace(&mut up, false) {
                                        return Some(((), (conn, version, events, up)));
                                    }
                                    continue;
                                }
                                Err(Error::Server { code: 410, .. }) => {
                                    version = "0".into();
                                    continue;
                                }
                                Err(_) => return None,
                            }
                        }
                    };
                    match stream.next().await {
                        Some(Ok(WatchEvent::Added(o) | WatchEvent::Modified(o) | WatchEvent::Deleted(o))) => {
                            version = o.metadata.resource_version.unwrap_or(version);
                            return Some(((), (conn, version, events, up)));
                        }
                        Some(Ok(WatchEvent::Bookmark(b))) => version = b.metadata.resource_version,
                        Some(Ok(WatchEvent::Error(e))) => {
                            if e.code == 410 {
                                version = "0".into();
                            }
                            events = None;
                        }
                        None => events = None,
                        Some(Err(_)) => {
                            events = None;
                            pause().await;
                        }
                    }
                }
            }
        })
        .boxed()
    }

    /// PersonaPacks and the list's resourceVersion, where a watch of them starts.
    pub async fn list_packs_at(&self, namespace: Option<&str>, selector: Option<&str>) -> Result<(Vec<Value>, String)> {
        self.list_versioned(Kind::Pack, namespace, selector, None).await
    }

    /// Every change to PersonaPacks from `version` on (added, modified and
    /// deleted objects, as the server sends them), until the stream ends in
    /// an error. The server's periodic close, and its restart (refused or cut
    /// connections, an expired version: then a fresh list, and the packs that
    /// changed meanwhile), are ridden out; only opening a watch is bound by
    /// `--request-timeout`. `listed`: what the caller has shown already.
    pub fn watch_packs(
        &self,
        namespace: Option<&str>,
        selector: Option<String>,
        version: String,
        listed: &[Value],
    ) -> impl futures::Stream<Item = Result<Value>> + '_ {
        use futures::StreamExt;
        use kube::api::{WatchEvent, WatchParams};
        type Events = futures::stream::BoxStream<'static, kube::Result<WatchEvent<DynamicObject>>>;
        struct State {
            version: String,
            events: Option<Events>,
            failed: bool,
            /// The version of each pack last shown (by uid), so a relist shows only what changed.
            shown: std::collections::HashMap<String, String>,
            pending: std::collections::VecDeque<Value>,
        }
        let uid_version = |o: &Value| {
            let m = &o["metadata"];
            (
                m["uid"].as_str().unwrap_or_default().to_string(),
                m["resourceVersion"].as_str().unwrap_or_default().to_string(),
            )
        };
        let namespace = namespace.map(String::from);
        let api = self.dynamic(Kind::Pack, namespace.as_deref());
        let shown = listed.iter().map(uid_version).collect();
        let start = State { version, events: None, failed: false, shown, pending: Default::default() };
        futures::stream::unfold(start, move |mut st| {
            let (api, selector, namespace) = (api.clone(), selector.clone(), namespace.clone());
            async move {
                if st.failed {
                    return None;
                }
                loop {
                    if let Some(o) = st.pending.pop_front() {
                        let (uid, v) = uid_version(&o);
                        st.shown.insert(uid, v);
                        return Some((Ok(o), st));
                    }
                    let mut expired = false;
                    let events = match st.events.as_mut() {
                        Some(events) => events,
                        None => {
                            let mut params = WatchParams::default().timeout(290);
                            if let Some(s) = &selector {
                                params = params.labels(s);
                            }
                            match self.call(api.watch(&params, &st.version)).await {
                                Ok(events) => st.events.insert(events.boxed()),
                                // The API server restarting: wait and open the watch again.
                                Err(e) if e.is_transient() => {
                                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                                    continue;
                                }
                                Err(Error::Server { code: 410, .. }) => {
                                    expired = true;
                                    st.events.insert(futures::stream::empty().boxed())
                                }
                                Err(e) => {
                                    st.failed = true;
                                    return Some((Err(e), st));
                                }
                            }
                        }
                    };
                    if !expired {
                        match events.next().await {
                            None => st.events = None,
                            Some(Ok(WatchEvent::Added(o) | WatchEvent::Modified(o) | WatchEvent::Deleted(o))) => {
                                if let Some(v) = &o.metadata.resource_version {
                                    st.version = v.clone();
                                }
                                let o = self.with_type(o, Kind::Pack);
                                let (uid, v) = uid_version(&o);
                                st.shown.insert(uid, v);
                                return Some((Ok(o), st));
                            }
                            Some(Ok(WatchEvent::Bookmark(b))) => st.version = b.metadata.resource_version,
                            Some(Ok(WatchEvent::Error(e))) if e.code == 410 => expired = true,
                            Some(Ok(WatchEvent::Error(e))) => {
                                st.failed = true;
                                let why = format!("the watch ended: {} ({}); run the command again", e.message, e.code);
                                return Some((Err(Error::usage(why)), st));
                            }
                            Some(Err(e)) => {
                                let e = Error::from_kube(e, &self.server, Default::default());
                                if e.is_transient() {
                                    // Cut off mid-stream: resume from the last version seen.
                                    st.events = None;
                                    continue;
                                }
                                st.failed = true;
                                return Some((Err(e), st));
                            }
                        }
                    }
                    if expired {
                        // The version is gone (a restarted server's cache starts anew):
                        // list again, show what changed meanwhile, watch from there.
                        st.events = None;
                        match self.list_versioned(Kind::Pack, namespace.as_deref(), selector.as_deref(), None).await {
                            Ok((items, version)) => {
                                st.version = version;
                                st.pending = items
                                    .into_iter()
                                    .filter(|o| {
                                        let (uid, v) = uid_version(o);
                                        st.shown.get(&uid) != Some(&v)
                                    })
                                    .collect();
                            }
                            Err(e) if e.is_transient() => tokio::time::sleep(std::time::Duration::from_secs(1)).await,
                            Err(e) => {
                                st.failed = true;
                                return Some((Err(e), st));
                            }
                        }
                    }
                }
            }
        })
    }

    /// Objects of `kind` in `namespace` matching `selector`, every page.
    pub async fn list(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        selector: Option<&str>,
        field_selector: Option<&str>,
    ) -> Result<Vec<Value>> {
        Ok(self.list_versioned(kind, namespace, selector, field_selector).await?.0)
    }

    /// `list`, with the resourceVersion of the last page.
    async fn list_versioned(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        selector: Option<&str>,
        field_selector: Option<&str>,
    ) -> Result<(Vec<Value>, String)> {
        let mut params = ListParams::default().limit(PAGE);
        if let Some(s) = selector {
            params = params.labels(s);
        }
        if let Some(f) = field_selector {
            params = params.fields(f);
        }
        let mut out = Vec::new();
        let version = self
            .pages(kind, namespace, params, |items| {
                out.extend(items);
                Ok(())
            })
            .await?;
        Ok((out, version))
    }

    /// PersonaPacks a page at a time (`list -o json|yaml` prints each page
    /// before the next is asked for); returns the list's resourceVersion.
    pub async fn pack_pages(
        &self,
        namespace: Option<&str>,
        selector: Option<&str>,
        on_page: impl FnMut(Vec<Value>) -> Result<()>,
    ) -> Result<String> {
        let mut params = ListParams::default().limit(PAGE);
        if let Some(s) = selector {
            params = params.labels(s);
        }
        self.pages(Kind::Pack, namespace, params, on_page).await
    }

    /// The one page loop: each page to `on_page`, then the next.
    async fn pages(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        mut params: ListParams,
        mut on_page: impl FnMut(Vec<Value>) -> Result<()>,
    ) -> Result<String> {
        let mut api = self.dynamic(kind, namespace);
        let mut first = true;
        loop {
            let page = match self.call(api.list(&params)).await {
                Ok(p) => p,
                // The first page of packs: a stale era is found out here.
                Err(e) if kind == Kind::Pack && first && is_missing_resource(&e) => {
                    self.rediscover().await?;
                    api = self.dynamic(kind, namespace);
                    first = false;
                    continue;
                }
                Err(e) if kind == Kind::Pack && is_missing_resource(&e) => return Err(Error::NoSympoziumApi),
                Err(e) => return Err(e),
            };
            first = false;
            let next = page.metadata.continue_.clone().filter(|c| !c.is_empty());
            on_page(page.items.into_iter().map(|o| self.with_type(o, kind)).collect())?;
            match next {
                Some(token) => params = params.continue_token(&token),
                None => return Ok(page.metadata.resource_version.unwrap_or_default()),
            }
        }
    }

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

    /// Metadata of the Secrets this plugin wrote for a pack (labelled with the
    /// pack and managed-by us), never their data.
    pub async fn our_secrets(&self, namespace: &str, pack: &str) -> Result<Vec<Meta>> {
        if !model::is_label_value(pack) {
            return Ok(Vec::new());
        }
        let api: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        let selector = format!(
            "{}={pack},app.kubernetes.io/managed-by={}",
            self.era().label_pack(),
            crate::activation::MANAGED_BY
        );
        let list = self.call(api.list_metadata(&ListParams::default().labels(&selector))).await?;
        Ok(list.items.into_iter().map(|m| Meta::from_value(&serde_json::json!({"metadata": m.metadata}))).collect())
    }

    /// Metadata of every object of a kind in a namespace (by label
    /// `selector`), every page: what `tree` builds the ownership graph from.
    pub async fn list_metadata(
        &self,
        resource: &ApiResource,
        namespace: &str,
        selector: Option<&str>,
    ) -> Result<Vec<Value>> {
        let api: Api<DynamicObject> = Api::namespaced_with(self.client.clone(), namespace, resource);
        let mut params = ListParams::default().limit(PAGE);
        if let Some(s) = selector {
            params = params.labels(s);
        }
        let mut out = Vec::new();
        loop {
            let page = self.call(api.list_metadata(&params)).await?;
            let next = page.metadata.continue_.clone().filter(|c| !c.is_empty());
            out.extend(page.items.iter().map(|item| serde_json::to_value(item).unwrap_or_default()));
            match next {
                Some(t) => params = params.continue_token(&t),
                None => return Ok(out),
            }
        }
    }

    /// One object of any kind, whole; None if it does not exist.
    pub async fn get_object(&self, resource: &ApiResource, namespace: &str, name: &str) -> Result<Option<Value>> {
        let api: Api<DynamicObject> = Api::namespaced_with(self.client.clone(), namespace, resource);
        Ok(self.call(api.get_opt(name)).await?.map(|o| serde_json::to_value(o).unwrap_or_default()))
    }

    /// The endpoint of the Model an Ensemble's `modelRef` names, as the
    /// controller resolves it (`ns/name`, else the Ensemble's namespace, else
    /// `sympozium-system`); None without a modelRef or a Ready Model.
    pub async fn model_endpoint(&self, pack: &PersonaPack) -> Result<Option<String>> {
        let model_ref = pack.raw["spec"]["modelRef"].as_str().unwrap_or_default();
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

    async fn optional_meta<K: serde::Serialize>(
        &self,
        fut: impl Future<Output = Result<Option<K>, kube::Error>>,
    ) -> Result<Option<Meta>> {
        Ok(self.call(fut).await?.map(|obj| {
            let v = serde_json::to_value(obj).unwrap_or_default();
            Meta::from_value(&v)
        }))
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
    async fn not_found_hints(&self, namespace: &str, name: &str) -> Vec<String> {
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
                    crate::output::escape(name),
                    nss.iter().map(|n| crate::output::escape(n)).collect::<Vec<_>>().join(", "),
                    crate::output::escape(nss[0])
                ));
            }
        }
        hints
    }
}

/// v0.9+'s Model, which an Ensemble's modelRef names.
fn model_resource() -> ApiResource {
    ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(GROUP, VERSION, "Model"), "models")
}

/// The field manager named on every write, as kubectl names itself.
pub const FIELD_MANAGER: &str = "kubectl-personapack";

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

impl Connection {
    /// JSON merge patch of a PersonaPack; returns the object after the patch.
    pub async fn patch_pack(&self, namespace: &str, name: &str, patch: &Value, dry_run: bool) -> Result<Value> {
        let api = self.dynamic(Kind::Pack, Some(namespace));
        let mut params = PatchParams { field_manager: Some(FIELD_MANAGER.into()), ..Default::default() };
        params.dry_run = dry_run;
        let obj = self.call(api.patch(name, &params, &Patch::Merge(patch))).await?;
        Ok(self.with_type(obj, Kind::Pack))
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

/// A 404 for the resource type itself (no such API: a Status saying "the
/// server could not find the requested resource", or a bare "404 page not
/// found" when the whole group is absent), not for a named object, whose
/// message is `personapacks.sympozium.ai "x" not found`.
/// A query value or path segment, percent-encoded (RFC 3986 unreserved kept).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn is_missing_resource(e: &Error) -> bool {
    matches!(e, Error::Server { code: 404, message, .. } if !message.contains("\" not found"))
}

impl Connection {
    /// An object as JSON with its apiVersion and kind set (lists leave them out).
    fn with_type(&self, obj: DynamicObject, kind: Kind) -> Value {
        with_type(obj, &self.resource(kind))
    }
}

fn with_type(obj: DynamicObject, ar: &ApiResource) -> Value {
    let mut v = serde_json::to_value(obj).unwrap_or_default();
    if let Some(m) = v.as_object_mut() {
        m.insert("apiVersion".into(), Value::String(ar.api_version.clone()));
        m.insert("kind".into(), Value::String(ar.kind.clone()));
    }
    v
}

/// Names within a small edit distance of `name`, closest first (at most 3).
pub fn closest(name: &str, candidates: &[String]) -> Vec<String> {
    let limit = (name.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &String)> = candidates
        .iter()
        .map(|c| (levenshtein(name, c), c))
        .filter(|(d, c)| *d <= limit || c.contains(name) || name.contains(c.as_str()))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, c)| c.clone()).collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
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

    #[test]
    fn closest_names_catch_typos_not_strangers() {
        let names = vec!["platform-team".to_string(), "developer-team".to_string(), "devops-essentials".to_string()];
        assert_eq!(closest("platfrom-team", &names), vec!["platform-team"]);
        assert_eq!(closest("devops", &names), vec!["devops-essentials"]);
        assert!(closest("zzz", &names).is_empty());
    }
}
