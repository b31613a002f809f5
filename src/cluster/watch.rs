//! Watches: a pack's view (`status -w`, `tree -w`, `--wait`) as a stream of
//! "something changed", and PersonaPacks' own changes (`list -w`).

use std::collections::{HashMap, VecDeque};

use futures::StreamExt;
use futures::stream::BoxStream;
use kube::api::{Api, DynamicObject, WatchEvent, WatchParams};
use kube::core::ApiResource;
use serde_json::Value;

use super::*;
use crate::error::{Error, Result};
use crate::model::{self};

/// Changes to a pack's view (`Connection::pack_changes`).
pub struct Changes {
    events: futures::stream::SelectAll<BoxStream<'static, ()>>,
    exhausted: bool,
}

impl Changes {
    /// Wait for a change, then a quiet spell (a burst is one redraw). If
    /// nothing at all can be watched (RBAC), look again every 2 s instead.
    /// (Ctrl-C is the caller's: `interrupt::unless_interrupted`.)
    pub async fn next(&mut self) {
        let tick = || tokio::time::sleep(std::time::Duration::from_secs(2));
        if self.exhausted {
            return tick().await;
        }
        if self.events.next().await.is_none() {
            self.exhausted = true;
            return tick().await;
        }
        loop {
            tokio::select! {
                e = self.events.next() => if e.is_none() { return },
                _ = tokio::time::sleep(std::time::Duration::from_millis(200)) => return,
            }
        }
    }
}

impl Connection {
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

    /// One watch of `resource` as changes: reopened when the server closes
    /// it or restarts, from the start ("0") when its version expired; each
    /// event is a `()`. Starts with the server's account of what exists (the
    /// first `next()` of `Changes` absorbs it); ends when the user may not watch.
    fn changes_of(
        &self,
        resource: ApiResource,
        namespace: &str,
        labels: Option<String>,
        fields: Option<String>,
    ) -> BoxStream<'static, ()> {
        let api: Api<DynamicObject> = Api::namespaced_with(self.client.clone(), namespace, &resource);
        let events = self.watch(api, labels, fields, "0".into());
        events
            .filter_map(|w| async move {
                match w {
                    // An outage is a change: the view then shows the server out of reach.
                    Watched::Changed(_) | Watched::Outage => Some(()),
                    // A watch from "0" again sends what exists: those are the changes.
                    Watched::Expired | Watched::Failed(_) => None,
                }
            })
            .boxed()
    }

    /// Every change to PersonaPacks from `version` on (added, modified and
    /// deleted objects, as the server sends them), until the stream ends in
    /// an error. The server's periodic close, and its restart (refused or cut
    /// connections, an expired version: then a fresh list, and the packs that
    /// changed meanwhile), are ridden out; only opening a watch is bound by
    /// `--request-timeout`. `shown`: the resourceVersion of each pack (by uid)
    /// the caller has shown already.
    pub fn watch_packs(
        &self,
        namespace: Option<&str>,
        selector: Option<String>,
        version: String,
        shown: HashMap<String, String>,
    ) -> impl futures::Stream<Item = Result<Value>> + '_ {
        struct State {
            events: BoxStream<'static, Watched>,
            failed: bool,
            /// The version of each pack last shown (by uid), so a relist shows only what changed.
            shown: HashMap<String, String>,
            pending: VecDeque<Value>,
        }
        let namespace = namespace.map(String::from);
        let api = self.dynamic(Kind::Pack, namespace.as_deref());
        let events = self.watch(api.clone(), selector.clone(), None, version);
        let start = State { events, failed: false, shown, pending: VecDeque::new() };
        futures::stream::unfold(start, move |mut st| {
            let (api, selector, namespace) = (api.clone(), selector.clone(), namespace.clone());
            async move {
                if st.failed {
                    return None;
                }
                loop {
                    if let Some(o) = st.pending.pop_front() {
                        st.shown.extend([uid_version(&o)]);
                        return Some((Ok(o), st));
                    }
                    match st.events.next().await? {
                        Watched::Changed(o) => {
                            let o = self.with_type(o, Kind::Pack);
                            st.shown.extend([uid_version(&o)]);
                            return Some((Ok(o), st));
                        }
                        Watched::Outage => {}
                        // The version is gone (a restarted server's cache starts anew):
                        // list again, show what changed meanwhile, watch from there.
                        Watched::Expired => match self.relist(namespace.as_deref(), selector.as_deref()).await {
                            Ok((items, version)) => {
                                st.pending = items
                                    .into_iter()
                                    .filter(|o| {
                                        let (uid, v) = uid_version(o);
                                        st.shown.get(&uid) != Some(&v)
                                    })
                                    .collect();
                                st.events = self.watch(api.clone(), selector.clone(), None, version);
                            }
                            Err(e) => {
                                st.failed = true;
                                return Some((Err(e), st));
                            }
                        },
                        Watched::Failed(e) => {
                            st.failed = true;
                            return Some((Err(e), st));
                        }
                    }
                }
            }
        })
    }

    /// The packs listed again after a watch's version expired, waiting out a
    /// server that is restarting.
    async fn relist(&self, namespace: Option<&str>, selector: Option<&str>) -> Result<(Vec<Value>, String)> {
        loop {
            match self.list_versioned(Kind::Pack, namespace, selector, None, PAGE).await {
                Err(e) if e.is_transient() => tokio::time::sleep(PAUSE).await,
                other => return other,
            }
        }
    }

    /// The one watch loop (its policy written once): opened from `version`
    /// with the selectors, reopened when the server closes it (every 290 s)
    /// or cuts it, the version kept from every event and bookmark. An
    /// unreachable server is waited out (`Outage` said once per outage); an
    /// expired version is `Expired` (then watched from "0"); a refusal to
    /// open ends the stream with `Failed`, an error mid-watch is `Failed`
    /// and the watch is opened again.
    fn watch(
        &self,
        api: Api<DynamicObject>,
        labels: Option<String>,
        fields: Option<String>,
        version: String,
    ) -> BoxStream<'static, Watched> {
        let mut params = WatchParams::default().timeout(290);
        if let Some(l) = &labels {
            params = params.labels(l);
        }
        if let Some(f) = &fields {
            params = params.fields(f);
        }
        let start = Loop { conn: self.clone(), api, params, version, events: None, up: true, done: false };
        futures::stream::unfold(start, |mut st| async move {
            if st.done {
                return None;
            }
            loop {
                if let Some(seen) = st.step().await {
                    return Some((seen, st));
                }
            }
        })
        .boxed()
    }
}

/// What one watch reports (`Connection::watch`).
enum Watched {
    /// An object added, modified or deleted.
    Changed(DynamicObject),
    /// The server went out of reach; the watch keeps trying.
    Outage,
    /// The version watched from is gone.
    Expired,
    /// The watch was refused or broke off.
    Failed(Error),
}

/// Pause between tries at an unreachable server.
const PAUSE: std::time::Duration = std::time::Duration::from_secs(1);

type Events = BoxStream<'static, kube::Result<WatchEvent<DynamicObject>>>;

/// The state of one watch loop.
struct Loop {
    conn: Connection,
    api: Api<DynamicObject>,
    params: WatchParams,
    version: String,
    events: Option<Events>,
    /// Connected since the last outage was said.
    up: bool,
    done: bool,
}

impl Loop {
    /// One step: open the watch, or read its next event; what to report, if anything.
    async fn step(&mut self) -> Option<Watched> {
        let Some(events) = self.events.as_mut() else {
            match self.conn.call(self.api.watch(&self.params, &self.version)).await {
                Ok(s) => {
                    self.up = true;
                    self.events = Some(s.boxed());
                    return None;
                }
                Err(e) if e.is_transient() => {
                    tokio::time::sleep(PAUSE).await;
                    return std::mem::replace(&mut self.up, false).then_some(Watched::Outage);
                }
                Err(Error::Server { code: 410, .. }) => {
                    self.version = "0".into();
                    return Some(Watched::Expired);
                }
                Err(e) => {
                    self.done = true;
                    return Some(Watched::Failed(e));
                }
            }
        };
        match events.next().await {
            Some(Ok(WatchEvent::Added(o) | WatchEvent::Modified(o) | WatchEvent::Deleted(o))) => {
                if let Some(v) = &o.metadata.resource_version {
                    self.version = v.clone();
                }
                Some(Watched::Changed(o))
            }
            Some(Ok(WatchEvent::Bookmark(b))) => {
                self.version = b.metadata.resource_version;
                None
            }
            Some(Ok(WatchEvent::Error(e))) => {
                self.events = None;
                if e.code == 410 {
                    self.version = "0".into();
                    return Some(Watched::Expired);
                }
                let why = format!("the watch ended: {} ({}); run the command again", e.message, e.code);
                Some(Watched::Failed(Error::usage(why)))
            }
            None => {
                self.events = None;
                None
            }
            Some(Err(e)) => {
                // Cut off mid-stream: resume from the last version seen.
                self.events = None;
                let e = Error::from_kube(e, &self.conn.server, Default::default());
                tokio::time::sleep(PAUSE).await;
                (!e.is_transient()).then_some(Watched::Failed(e))
            }
        }
    }
}

/// An object's uid and resourceVersion: what a watch needs of what was shown.
pub fn uid_version(o: &Value) -> (String, String) {
    let m = &o["metadata"];
    (m["uid"].as_str().unwrap_or_default().to_string(), m["resourceVersion"].as_str().unwrap_or_default().to_string())
}
