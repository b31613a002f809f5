//! kubectl's connection flags, parsed by the plugin itself (kubectl passes
//! none through to plugins), and the client they produce.

use std::path::PathBuf;
use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig};

use crate::error::{Error, Result, duration_arg};
use crate::output::escape;

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

    /// Log level, as kubectl's -v: 6 and above report the API requests made
    #[arg(short = 'v', long = "v", global = true, default_value_t = 0, value_name = "LEVEL")]
    pub verbosity: u8,
}

/// API requests made by this process (every one goes through `Connection::call`).
pub static REQUESTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A connected client with what every command needs to know about it.
#[derive(Clone)]
pub struct Connection {
    pub client: kube::Client,
    /// `-n`, else the context's namespace, else `default`.
    pub namespace: String,
    /// The server URL, for error messages.
    pub server: String,
    /// Per-request limit (`--request-timeout`); None when 0.
    pub timeout: Option<Duration>,
}

impl ConnectionArgs {
    pub async fn connect(&self) -> Result<Connection> {
        let timeout = (!self.request_timeout.is_zero()).then_some(self.request_timeout);
        let kubeconfig = self.load_kubeconfig()?;
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
        config.connect_timeout = timeout;
        config.read_timeout = timeout;
        config.write_timeout = timeout;
        // kubectl (Go's ProxyFromEnvironment) never proxies a loopback server
        // or one NO_PROXY names; kube applies HTTPS_PROXY and proxy-url only.
        if let Some(host) = config.cluster_url.host()
            && bypass_proxy(host, std::env::var("NO_PROXY").or_else(|_| std::env::var("no_proxy")).ok().as_deref())
        {
            config.proxy_url = None;
        }
        let server = redact_userinfo(config.cluster_url.to_string().trim_end_matches('/'));
        let namespace = self.namespace.clone().unwrap_or_else(|| config.default_namespace.clone());
        let client = kube::Client::try_from(config).map_err(|e| {
            crate::error::auth_error(&e)
                .unwrap_or_else(|| Error::usage(format!("cannot build a client for {server}: {e}")))
        })?;
        Ok(Connection { client, namespace, server, timeout })
    }

    /// `--kubeconfig`, else every existing file of `$KUBECONFIG` merged (kubectl
    /// skips missing ones), else `~/.kube/config`.
    fn load_kubeconfig(&self) -> Result<Kubeconfig> {
        let read = |p: &PathBuf| Kubeconfig::read_from(p).map_err(|e| unreadable_kubeconfig(p, &e.to_string()));
        if let Some(path) = &self.kubeconfig {
            return read(path);
        }
        if let Some(list) = std::env::var_os("KUBECONFIG") {
            let paths: Vec<PathBuf> = std::env::split_paths(&list).filter(|p| p.is_file()).collect();
            if !paths.is_empty() {
                let mut merged = Kubeconfig::default();
                for p in &paths {
                    merged = merged.merge(read(p)?).map_err(|e| Error::usage(format!("merging kubeconfig: {e}")))?;
                }
                return Ok(merged);
            }
        }
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
        let default = home.join(".kube").join("config");
        if default.is_file() {
            return read(&default);
        }
        Err(Error::usage("no kubeconfig found: set KUBECONFIG or pass --kubeconfig"))
    }
}

/// A kubeconfig that cannot be read, named with where it went wrong and
/// nothing of its contents: the parser quotes the lines around a mistake,
/// and those may hold a token or a key.
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

/// `scheme://user:password@host/...` → `scheme://host/...`, everywhere in a
/// text: URLs are printed without their user info.
pub fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        out.push_str(&rest[..i + 3]);
        rest = &rest[i + 3..];
        let end = rest.find(|c: char| c == '/' || c.is_whitespace() || c == '"' || c == '\'').unwrap_or(rest.len());
        if let Some(at) = rest[..end].rfind('@') {
            rest = &rest[at + 1..];
        }
    }
    out.push_str(rest);
    out
}

impl Connection {
    /// Run one API call under `--request-timeout`, translating its error.
    pub async fn call<T>(&self, fut: impl Future<Output = Result<T, kube::Error>>) -> Result<T> {
        REQUESTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let timeout = self.timeout.unwrap_or(Duration::ZERO);
        let res = match self.timeout {
            Some(limit) => match tokio::time::timeout(limit, fut).await {
                Ok(r) => r,
                Err(_) => {
                    return Err(Error::Timeout { server: self.server.clone(), timeout: limit });
                }
            },
            None => fut.await,
        };
        res.map_err(|e| Error::from_kube(e, &self.server, timeout))
    }
}
