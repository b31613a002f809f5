//! Which Sympozium API a cluster serves — v0.8's PersonaPacks, v0.9+'s
//! Ensembles, or (mid-upgrade) both — read from the discovery document of
//! `sympozium.ai/v1alpha1` and cached on disk per server, as kubectl caches
//! discovery (`--cache-dir`, six hours). A stale cache costs nothing: a
//! request that meets a missing resource looks again (`Connection::rediscover`).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::Connection;
use crate::error::{Error, Result};
use crate::model::{Era, GROUP, VERSION};

/// How long a cached discovery document is believed (kubectl's discovery TTL).
const TTL: Duration = Duration::from_secs(6 * 3600);

/// The Sympozium kinds a server serves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Served {
    pub packs: bool,
    pub ensembles: bool,
}

impl Served {
    pub fn has(self, era: Era) -> bool {
        match era {
            Era::PersonaPack => self.packs,
            Era::Ensemble => self.ensembles,
        }
    }
}

/// The kinds an `APIResourceList` of `sympozium.ai/v1alpha1` names.
pub fn parse(doc: &Value) -> Served {
    let names: Vec<&str> =
        doc["resources"].as_array().into_iter().flatten().filter_map(|r| r["name"].as_str()).collect();
    Served { packs: names.contains(&Era::PersonaPack.plural()), ensembles: names.contains(&Era::Ensemble.plural()) }
}

/// The era to use: the one asked for (`--kind`), else the one served,
/// Ensemble when both (what a v0.9+ controller reconciles; v0.8's CRD is
/// what an upgrade leaves behind). The second value is the warning to print
/// when both are served and nothing was asked. None: the asked kind is not
/// served but the other is.
pub fn choose(served: Served, asked: Option<Era>) -> Option<(Era, Option<String>)> {
    match asked {
        Some(era) if served.has(era) || !served.has(era.other()) => Some((era, None)),
        Some(_) => None,
        None if served.packs && served.ensembles => Some((
            Era::Ensemble,
            Some(
                "Warning: this cluster serves both PersonaPacks and Ensembles; using Ensembles \
                 (--kind personapack for the PersonaPacks; kubectl personapack check lists what the upgrade left)"
                    .into(),
            ),
        )),
        None if served.packs => Some((Era::PersonaPack, None)),
        None if served.ensembles => Some((Era::Ensemble, None)),
        None => Some((Era::PersonaPack, None)),
    }
}

/// The server's discovery path for the group version.
pub fn path() -> String {
    format!("/apis/{GROUP}/{VERSION}")
}

/// `<dir>/discovery/<host_port>/sympozium.ai/v1alpha1/serverresources.json`,
/// where kubectl keeps the same document (its layout: the server URL without
/// its scheme, every character but letters, digits, `.` and `/` made `_`).
pub fn cache_file(dir: &Path, server: &str) -> PathBuf {
    let host = server.split_once("://").map_or(server, |(_, rest)| rest);
    let host: String = host.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' }).collect();
    dir.join("discovery").join(host).join(GROUP).join(VERSION).join("serverresources.json")
}

/// The cached document, if younger than the TTL and readable.
pub fn read_fresh(file: &Path) -> Option<Served> {
    let meta = std::fs::metadata(file).ok()?;
    let age = SystemTime::now().duration_since(meta.modified().ok()?).unwrap_or_default();
    if age > TTL {
        return None;
    }
    let doc: Value = serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
    (doc["groupVersion"] == format!("{GROUP}/{VERSION}").as_str()).then(|| parse(&doc))
}

/// Keep the document for the next command; a cache that cannot be written
/// only costs that command a request.
pub fn write(file: &Path, doc: &Value) {
    let Some(dir) = file.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    // Written aside and renamed: a reader never sees half a document.
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, doc.to_string()).is_ok() && std::fs::rename(&tmp, file).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Settling and revising a connection's era: the only requests this module makes.
impl Connection {
    fn set_era(&self, era: Era) {
        *self.era.lock().unwrap_or_else(|e| e.into_inner()) = era;
    }

    /// Decide the era: from the discovery cache when fresh, else from one
    /// request (then cached). A server that will not say (RBAC) leaves the
    /// guess, PersonaPack, to the requests themselves; one that cannot be
    /// reached fails here, as the first request would.
    pub async fn settle_era(&mut self, asked: Option<Era>, cache: Option<std::path::PathBuf>) -> Result<()> {
        self.asked = asked;
        self.cache = cache.map(|dir| cache_file(&dir, &self.server));
        let cached = self.cache.as_deref().and_then(read_fresh);
        let served = match cached {
            Some(s) => s,
            None => match self.discover().await? {
                Some(s) => s,
                None => {
                    self.set_era(asked.unwrap_or_default());
                    return Ok(());
                }
            },
        };
        let chosen = match choose(served, asked) {
            Some(c) => Some(c),
            // The cache may be stale: believe only the server before refusing.
            None if cached.is_some() => self.discover().await?.and_then(|s| choose(s, asked)),
            None => None,
        };
        let Some((era, warning)) = chosen else {
            let asked = asked.unwrap_or_default();
            return Err(Error::KindNotServed { asked, other: asked.other() });
        };
        if let Some(w) = warning {
            eprintln!("{w}");
        }
        self.set_era(era);
        Ok(())
    }

    /// Which of the two kinds the server serves, asked now (migrate, check:
    /// mid-upgrade both matter); None when it will not say.
    pub async fn served_now(&self) -> Result<Option<Served>> {
        self.discover().await
    }

    /// The server's word on what `sympozium.ai/v1alpha1` serves (cached);
    /// a 404 is neither kind; None when it will not say.
    async fn discover(&self) -> Result<Option<Served>> {
        let req = http::Request::get(path())
            .header(http::header::ACCEPT, "application/json")
            .body(Vec::new())
            .map_err(|e| Error::usage(format!("building request {}: {e}", path())))?;
        match self.call(self.client.request_text(req)).await {
            Ok(text) => {
                let doc: Value = serde_json::from_str(&text).unwrap_or_default();
                if let Some(file) = &self.cache {
                    write(file, &doc);
                }
                Ok(Some(parse(&doc)))
            }
            Err(Error::Server { code: 404, .. }) => Ok(Some(Served::default())),
            Err(e) if e.is_transient() => Err(e),
            Err(_) => Ok(None),
        }
    }

    /// A request for packs, sent again once when its resource was missing
    /// and the server, asked again, now serves packs of the other kind (a
    /// discovery cache that predates an upgrade). The one place a stale era
    /// is found out; a resource still missing is Sympozium missing.
    pub(super) async fn with_era<T>(&self, mut send: impl AsyncFnMut() -> Result<T>) -> Result<T> {
        match send().await {
            Err(e) if super::is_missing_resource(&e) => {
                self.rediscover().await?;
                match send().await {
                    Err(e) if super::is_missing_resource(&e) => Err(Error::NoSympoziumApi),
                    other => other,
                }
            }
            other => other,
        }
    }

    /// Ask the server which kind it serves: Ok once the era changed to it;
    /// else the error to report.
    async fn rediscover(&self) -> Result<()> {
        let before = self.era();
        let served = self.discover().await?.unwrap_or_default();
        match choose(served, self.asked) {
            Some((now, _)) if now != before && served.has(now) => {
                self.set_era(now);
                Ok(())
            }
            Some(_) => Err(Error::NoSympoziumApi),
            None => {
                let asked = self.asked.unwrap_or_default();
                Err(Error::KindNotServed { asked, other: asked.other() })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn served(names: &[&str]) -> Served {
        let resources: Vec<Value> = names.iter().map(|n| json!({"name": n})).collect();
        parse(&json!({"groupVersion": "sympozium.ai/v1alpha1", "resources": resources}))
    }

    #[test]
    fn discovery_names_the_kinds_served() {
        assert_eq!(served(&["personapacks", "personapacks/status"]), Served { packs: true, ensembles: false });
        assert_eq!(served(&["ensembles", "agents"]), Served { packs: false, ensembles: true });
        assert_eq!(served(&["agents"]), Served::default());
    }

    #[test]
    fn the_era_is_the_one_served_or_the_one_asked() {
        let v08 = served(&["personapacks"]);
        let v010 = served(&["ensembles"]);
        let both = served(&["personapacks", "ensembles"]);
        assert_eq!(choose(v08, None), Some((Era::PersonaPack, None)));
        assert_eq!(choose(v010, None), Some((Era::Ensemble, None)));
        let (era, warning) = choose(both, None).unwrap();
        assert_eq!(era, Era::Ensemble);
        assert!(warning.unwrap().contains("--kind personapack"));
        assert_eq!(choose(both, Some(Era::PersonaPack)), Some((Era::PersonaPack, None)));
        assert_eq!(choose(v010, Some(Era::PersonaPack)), None, "asked for what is not served");
        assert_eq!(choose(Served::default(), Some(Era::Ensemble)), Some((Era::Ensemble, None)));
        assert_eq!(choose(Served::default(), None), Some((Era::PersonaPack, None)));
    }

    #[test]
    fn the_cache_lives_where_kubectl_keeps_discovery() {
        let f = cache_file(Path::new("/c"), "https://127.0.0.1:6443");
        assert_eq!(f, Path::new("/c/discovery/127.0.0.1_6443/sympozium.ai/v1alpha1/serverresources.json"));
        let f = cache_file(Path::new("/c"), "https://k8s.example.com/prefix/x");
        assert_eq!(f, Path::new("/c/discovery/k8s.example.com_prefix_x/sympozium.ai/v1alpha1/serverresources.json"));
    }

    #[test]
    fn a_cached_document_is_read_back_and_a_foreign_one_ignored() {
        let dir = std::env::temp_dir().join(format!("personapack-era-{}", std::process::id()));
        let file = cache_file(&dir, "https://127.0.0.1:1");
        write(&file, &json!({"groupVersion": "sympozium.ai/v1alpha1", "resources": [{"name": "ensembles"}]}));
        assert_eq!(read_fresh(&file), Some(Served { packs: false, ensembles: true }));
        write(&file, &json!({"groupVersion": "apps/v1", "resources": [{"name": "ensembles"}]}));
        assert_eq!(read_fresh(&file), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
