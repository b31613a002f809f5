//! kubectl's connection flags, parsed by the plugin itself (kubectl passes
//! none through to plugins), and the client they produce.

use std::path::PathBuf;
use std::time::Duration;

use kube::config::{
    AuthInfo, Cluster, Context, KubeConfigOptions, Kubeconfig, NamedAuthInfo, NamedCluster, NamedContext,
};

use crate::cluster::Connection;
use crate::error::{Error, Result, duration_arg};

mod request_log;
mod transport;
use crate::escape::escape;

#[derive(Clone, Debug, Default, clap::Args)]
#[command(next_help_heading = "Global options")]
pub struct ConnectionArgs {
    /// Path to the kubeconfig file to use (else $KUBECONFIG, else ~/.kube/config)
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,

    /// The name of the kubeconfig context to use
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,

    /// The name of the kubeconfig cluster to use
    #[arg(long, global = true, value_name = "NAME")]
    pub cluster: Option<String>,

    /// The name of the kubeconfig user to use
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,

    /// If present, the namespace scope for this request
    #[arg(short = 'n', long, global = true, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// How long to wait for each server request (e.g. 5s, 1m); 0 waits forever
    #[arg(long, global = true, default_value = "30s", value_name = "DURATION", value_parser = duration_arg)]
    pub request_timeout: Duration,

    /// The address and port of the Kubernetes API server
    #[arg(short = 's', long, global = true, value_name = "URL")]
    pub server: Option<String>,

    /// Bearer token for authentication to the API server
    #[arg(long, global = true, value_name = "TOKEN", hide_env_values = true)]
    pub token: Option<String>,

    /// Username to impersonate for the operation
    #[arg(long = "as", global = true, value_name = "USER")]
    pub as_user: Option<String>,

    /// Group to impersonate for the operation (repeatable)
    #[arg(long = "as-group", global = true, value_name = "GROUP")]
    pub as_group: Vec<String>,

    /// UID to impersonate for the operation
    #[arg(long = "as-uid", global = true, value_name = "UID")]
    pub as_uid: Option<String>,

    /// Path to a cert file for the certificate authority
    #[arg(long, global = true, value_name = "PATH")]
    pub certificate_authority: Option<PathBuf>,

    /// Path to a client certificate file for TLS
    #[arg(long, global = true, value_name = "PATH")]
    pub client_certificate: Option<PathBuf>,

    /// Path to a client key file for TLS
    #[arg(long, global = true, value_name = "PATH")]
    pub client_key: Option<PathBuf>,

    /// If true, the server's certificate will not be checked for validity (insecure)
    #[arg(long, global = true)]
    pub insecure_skip_tls_verify: bool,

    /// Server name to use for server certificate validation
    #[arg(long, global = true, value_name = "NAME")]
    pub tls_server_name: Option<String>,

    /// If true, opt-out of response compression for all requests to the server
    #[arg(long, global = true)]
    pub disable_compression: bool,

    /// Log level, as kubectl's -v: 6 and above log each API request (7 headers, 8 bodies)
    #[arg(short = 'v', long = "v", global = true, default_value_t = 0, value_name = "LEVEL")]
    pub verbosity: u8,

    /// Which Sympozium kind to work on where a cluster serves both (else the one it serves; Ensemble when both)
    #[arg(long, global = true, value_enum, value_name = "KIND")]
    pub kind: Option<KindArg>,

    /// Default cache directory (discovery of the Sympozium API is cached there, per server)
    #[arg(long, global = true, value_name = "PATH")]
    pub cache_dir: Option<PathBuf>,
}

/// `--kind`: v0.8's PersonaPack or v0.9+'s Ensemble.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    Personapack,
    Ensemble,
}

impl KindArg {
    pub fn era(self) -> crate::model::Era {
        match self {
            KindArg::Personapack => crate::model::Era::PersonaPack,
            KindArg::Ensemble => crate::model::Era::Ensemble,
        }
    }
}

impl ConnectionArgs {
    pub async fn connect(&self) -> Result<Connection> {
        self.connect_to(self.kind.map(KindArg::era)).await
    }

    /// `connect`, speaking to packs of `asked` (migrate and check, which mean
    /// a cluster mid-upgrade, say so rather than have it warned about).
    pub async fn connect_to(&self, asked: Option<crate::model::Era>) -> Result<Connection> {
        let timeout = (!self.request_timeout.is_zero()).then_some(self.request_timeout);
        let mut kubeconfig = self.with_flags(self.load_kubeconfig()?)?;
        trim_token_files(&mut kubeconfig);
        // kubectl's words for a name the kubeconfig does not have.
        let missing = |what: &str, name: &Option<String>, names: Vec<&String>| match name {
            Some(n) if !names.contains(&n) => Err(Error::usage(format!("{what} \"{}\" does not exist", escape(n)))),
            _ => Ok(()),
        };
        let context = self.context.clone().or_else(|| kubeconfig.current_context.clone());
        missing("context", &context, kubeconfig.contexts.iter().map(|c| &c.name).collect())?;
        missing("cluster", &self.cluster, kubeconfig.clusters.iter().map(|c| &c.name).collect())?;
        missing("user", &self.user, kubeconfig.auth_infos.iter().map(|c| &c.name).collect())?;
        let options =
            KubeConfigOptions { context: self.context.clone(), cluster: self.cluster.clone(), user: self.user.clone() };
        let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
            .await
            .map_err(|e| Error::usage(format!("invalid kubeconfig: {e}")))?;
        // Each request's deadline is `Connection::call`'s, over the whole
        // request. No read timeout on the connection: a watch stream is quiet
        // for as long as nothing changes, and must stay open (a dead
        // connection is found by HTTP/2 pings instead; see transport.rs).
        config.connect_timeout = timeout;
        config.read_timeout = None;
        config.write_timeout = timeout;
        // kubectl (Go's ProxyFromEnvironment) never proxies a loopback server
        // or one NO_PROXY names; kube applies HTTPS_PROXY and proxy-url only.
        if let Some(host) = config.cluster_url.host()
            && bypass_proxy(host, std::env::var("NO_PROXY").or_else(|_| std::env::var("no_proxy")).ok().as_deref())
        {
            config.proxy_url = None;
        }
        let server = crate::error::redact_userinfo(config.cluster_url.to_string().trim_end_matches('/'));
        let namespace = self.namespace.clone().unwrap_or_else(|| config.default_namespace.clone());
        // Through a proxy, kube's own stack (HTTP/1.1, its tunnel); else ours,
        // which offers HTTP/2 (one connection for a whole round of requests).
        let builder = if config.proxy_url.is_some() {
            kube::client::ClientBuilder::try_from(config).map_err(|e| {
                crate::error::auth_error(&e)
                    .unwrap_or_else(|| Error::usage(format!("cannot build a client for {server}: {e}")))
            })?
        } else {
            transport::builder(config)?
        };
        let client = match self.verbosity {
            0..6 => builder.build(),
            level => builder.with_layer(&request_log::RequestLog { level, server: server.clone() }).build(),
        };
        let mut conn = Connection::new(client, namespace, server, timeout);
        conn.settle_era(asked, self.discovery_cache()).await?;
        Ok(conn)
    }

    /// Where discovery is cached, as kubectl: `--cache-dir`, else
    /// `$KUBECACHEDIR`, else `~/.kube/cache`; None without a home.
    fn discovery_cache(&self) -> Option<PathBuf> {
        self.cache_dir
            .clone()
            .or_else(|| std::env::var_os("KUBECACHEDIR").filter(|d| !d.is_empty()).map(PathBuf::from))
            .or_else(|| {
                std::env::var_os("HOME").filter(|d| !d.is_empty()).map(|h| PathBuf::from(h).join(".kube/cache"))
            })
    }

    /// kubectl's connection flags laid over the kubeconfig (they win), on the
    /// context in use; with `--server` and no kubeconfig at all, a context of
    /// the flags alone.
    fn with_flags(&self, kubeconfig: Option<Kubeconfig>) -> Result<Kubeconfig> {
        let flagged = self.server.is_some()
            || self.token.is_some()
            || self.as_user.is_some()
            || !self.as_group.is_empty()
            || self.as_uid.is_some()
            || self.certificate_authority.is_some()
            || self.client_certificate.is_some()
            || self.client_key.is_some()
            || self.insecure_skip_tls_verify
            || self.tls_server_name.is_some()
            || self.disable_compression;
        let mut kubeconfig = match kubeconfig {
            Some(k) if !flagged => return Ok(k),
            Some(k) => k,
            None if self.server.is_some() => Kubeconfig::default(),
            None => return Err(Error::usage("no kubeconfig found: set KUBECONFIG or pass --kubeconfig (or --server)")),
        };
        const FLAGS: &str = "kubectl-personapack-flags";
        let context_name =
            self.context.clone().or_else(|| kubeconfig.current_context.clone().filter(|c| !c.is_empty()));
        let contexts = &mut kubeconfig.contexts;
        let i = match context_name.as_deref().and_then(|n| contexts.iter().position(|c| c.name == n)) {
            Some(i) => i,
            None => {
                contexts.push(NamedContext { name: FLAGS.into(), ..Default::default() });
                kubeconfig.current_context = Some(FLAGS.into());
                contexts.len() - 1
            }
        };
        let context = contexts[i].context.get_or_insert_with(|| Context {
            cluster: FLAGS.into(),
            user: Some(FLAGS.into()),
            ..Default::default()
        });
        if let Some(c) = &self.cluster {
            context.cluster = c.clone();
        }
        if let Some(u) = &self.user {
            context.user = Some(u.clone());
        }
        let cluster_name = context.cluster.clone();
        let user_name = context.user.clone().unwrap_or_else(|| FLAGS.into());
        context.user = Some(user_name.clone());
        let cluster = named(
            &mut kubeconfig.clusters,
            &cluster_name,
            |c| &c.name,
            |name| NamedCluster { name, ..Default::default() },
        );
        self.overlay_cluster(cluster.cluster.get_or_insert_with(Default::default));
        let user = named(
            &mut kubeconfig.auth_infos,
            &user_name,
            |u| &u.name,
            |name| NamedAuthInfo { name, ..Default::default() },
        );
        self.overlay_user(user.auth_info.get_or_insert_with(Default::default));
        Ok(kubeconfig)
    }

    /// The cluster flags over the kubeconfig's cluster entry.
    fn overlay_cluster(&self, c: &mut Cluster) {
        let path = |p: &PathBuf| Some(p.display().to_string());
        if let Some(s) = &self.server {
            c.server = Some(s.clone());
        }
        if let Some(ca) = &self.certificate_authority {
            c.certificate_authority = path(ca);
            c.certificate_authority_data = None;
        }
        if self.insecure_skip_tls_verify {
            c.insecure_skip_tls_verify = Some(true);
            c.certificate_authority = None;
            c.certificate_authority_data = None;
        }
        if let Some(n) = &self.tls_server_name {
            c.tls_server_name = Some(n.clone());
        }
        if self.disable_compression {
            c.disable_compression = Some(true);
        }
    }

    /// The user flags over the kubeconfig's user entry.
    fn overlay_user(&self, u: &mut AuthInfo) {
        let path = |p: &PathBuf| Some(p.display().to_string());
        if let Some(t) = &self.token {
            // An explicit token is the credential: the kubeconfig's other ways give way.
            (u.exec, u.auth_provider, u.token_file, u.username, u.password) = (None, None, None, None, None);
            u.token = Some(t.clone().into());
        }
        if let Some(p) = &self.client_certificate {
            u.client_certificate = path(p);
            u.client_certificate_data = None;
        }
        if let Some(p) = &self.client_key {
            u.client_key = path(p);
            u.client_key_data = None;
        }
        if let Some(a) = &self.as_user {
            u.impersonate = Some(a.clone());
        }
        if !self.as_group.is_empty() {
            u.impersonate_groups = Some(self.as_group.clone());
        }
        if let Some(a) = &self.as_uid {
            u.impersonate_uid = Some(a.clone());
        }
    }

    /// `--kubeconfig`, else every existing file of `$KUBECONFIG` merged (kubectl
    /// skips missing ones), else `~/.kube/config`; None when there is none.
    fn load_kubeconfig(&self) -> Result<Option<Kubeconfig>> {
        let read = |p: &PathBuf| Kubeconfig::read_from(p).map_err(|e| unreadable_kubeconfig(p, &e.to_string()));
        if let Some(path) = &self.kubeconfig {
            return read(path).map(Some);
        }
        if let Some(list) = std::env::var_os("KUBECONFIG") {
            let paths: Vec<PathBuf> = std::env::split_paths(&list).filter(|p| p.is_file()).collect();
            if !paths.is_empty() {
                let mut merged = Kubeconfig::default();
                for p in &paths {
                    merged = merged.merge(read(p)?).map_err(|e| Error::usage(format!("merging kubeconfig: {e}")))?;
                }
                return Ok(Some(merged));
            }
        }
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
        let default = home.join(".kube").join("config");
        if default.is_file() {
            return read(&default).map(Some);
        }
        Ok(None)
    }
}

/// The entry of `items` called `name`, added (by `make`) if there is none.
fn named<'a, T>(
    items: &'a mut Vec<T>,
    name: &str,
    name_of: impl Fn(&T) -> &String,
    make: impl FnOnce(String) -> T,
) -> &'a mut T {
    let i = match items.iter().position(|c| name_of(c) == name) {
        Some(i) => i,
        None => {
            items.push(make(name.to_string()));
            items.len() - 1
        }
    };
    &mut items[i]
}

/// A kubeconfig that cannot be read, named with where it went wrong and
/// nothing of its contents: the parser quotes the lines around a mistake,
/// and those may hold a token or a key.
/// client-go trims a `tokenFile`'s content (files usually end in a newline);
/// kube sends it as read, and a newline is no valid header. A file that needs
/// trimming is read once here; a clean one stays kube's, re-read as it rotates.
fn trim_token_files(kubeconfig: &mut Kubeconfig) {
    for user in kubeconfig.auth_infos.iter_mut().filter_map(|a| a.auth_info.as_mut()) {
        if user.token.is_some() {
            continue;
        }
        let Some(content) = user.token_file.as_ref().and_then(|f| std::fs::read_to_string(f).ok()) else { continue };
        let mut content = zeroize::Zeroizing::new(content);
        if content.trim() != content.as_str() {
            user.token = Some(content.trim().to_string().into());
        }
        content.clear();
    }
}

fn unreadable_kubeconfig(path: &std::path::Path, detail: &str) -> Error {
    let at = detail
        .find("line ")
        .map(|i| &detail[i..])
        .and_then(|rest| {
            let words: Vec<&str> = rest.split([' ', ':', ',']).filter(|w| !w.is_empty()).take(4).collect();
            (words.len() == 4 && words[2] == "column").then(|| format!(" at line {} column {}", words[1], words[3]))
        })
        .unwrap_or_default();
    let what = if detail.contains("No such file") || detail.contains("not found") {
        "no such file".to_string()
    } else {
        format!("not a valid kubeconfig{at} (its contents are not shown: they may hold credentials)")
    };
    Error::usage(format!("reading kubeconfig {}: {what}", path.display()))
}

/// Go's rule, which kubectl follows: no proxy for localhost or a loopback
/// address, nor for a host NO_PROXY names (`*`, a host, a domain and its
/// subdomains, with or without a leading dot).
pub fn bypass_proxy(host: &str, no_proxy: Option<&str>) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    if host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback()) {
        return true;
    }
    no_proxy.into_iter().flat_map(|l| l.split(',')).map(|e| e.trim().to_ascii_lowercase()).any(|e| {
        let e = e.split(':').next().unwrap_or_default().trim_start_matches('.').to_string();
        !e.is_empty() && (e == "*" || host == e || host.ends_with(&format!(".{e}")))
    })
}
