//! Watches: a pack's view (`status -w`, `tree -w`, `--wait`) as a stream of
//! "something changed", and PersonaPacks' own changes (`list -w`).

use kube::api::{Api, DynamicObject};
use kube::core::ApiResource;
use serde_json::Value;

use super::*;
use crate::error::{Error, Result};
use crate::model::{self};

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

    /// One watch, reopened when the server closes it or restarts; each event
    /// is a `()`. Starts with the server's account of what exists (the first
    /// `next()` of `Changes` absorbs it).
    pub(super) fn changes_of(
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
}
