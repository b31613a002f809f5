//! The HTTP stack under kube's client: kube's own layers (base URI,
//! credentials, extra headers, retry on 429/503/504) over a connector that
//! offers HTTP/2 as well as HTTP/1.1. kube's default connector speaks HTTP/1.1
//! only, so each of a round's parallel requests costs a TLS handshake and a
//! connection; over HTTP/2 they share one (kube-apiserver offers it), which is
//! what a distant cluster and the round-trip budget need. Through a proxy,
//! kube's own stack is used as it is.

use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use kube::client::{Body, ClientBuilder, ConfigExt, DynBody};

/// kube's own boxed service type, so both stacks build the same client.
pub type GenericService = tower::util::BoxService<http::Request<Body>, http::Response<Box<DynBody>>, BoxError>;
use tower::ServiceBuilder;

use crate::error::{Error, Result};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// HTTP/2 pings on every connection, and how long an answer may take.
const PING_EVERY: std::time::Duration = std::time::Duration::from_secs(30);
const PING_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// A client builder for `config` whose connections negotiate HTTP/2 (or
/// fall back to HTTP/1.1), with `wrap` applied on top (the `-v` log layer).
pub fn builder(config: kube::Config) -> Result<ClientBuilder<GenericService>> {
    let fail = |e: kube::Error| {
        crate::error::auth_error(&e).unwrap_or_else(|| Error::usage(format!("cannot build a client: {e}")))
    };
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    let tls = config.rustls_client_config().map_err(fail)?;
    let mut https = hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(tls).https_or_http();
    if let Some(name) = &config.tls_server_name {
        let name = name.clone().try_into().map_err(|e| Error::usage(format!("tls-server-name {name:?}: {e}")))?;
        https = https.with_server_name_resolver(hyper_rustls::FixedServerNameResolver::new(name));
    }
    let https = https.enable_http1().enable_http2().wrap_connector(http);
    let mut connector = hyper_timeout::TimeoutConnector::new(https);
    connector.set_connect_timeout(config.connect_timeout);
    connector.set_read_timeout(config.read_timeout);
    connector.set_write_timeout(config.write_timeout);
    // A connection that stops answering pings is dead: its watches end in an
    // error, and the watchers reconnect (idle watches send nothing else).
    let client: hyper_util::client::legacy::Client<_, Body> =
        hyper_util::client::legacy::Builder::new(TokioExecutor::new())
            .timer(hyper_util::rt::TokioTimer::new())
            .http2_keep_alive_interval(PING_EVERY)
            .http2_keep_alive_timeout(PING_TIMEOUT)
            .http2_keep_alive_while_idle(true)
            .build(connector);
    let retry =
        config.default_retry.then(|| tower::retry::RetryLayer::new(kube::client::retry::RetryPolicy::server_retry()));
    let service = ServiceBuilder::new()
        .layer(config.base_uri_layer())
        .option_layer(retry)
        .option_layer(config.auth_layer().map_err(fail)?)
        .layer(config.extra_headers_layer().map_err(fail)?)
        .map_response(|r: http::Response<hyper::body::Incoming>| {
            r.map(|b| Box::new(http_body_util::BodyExt::map_err(b, |e| Box::new(e) as BoxError)) as Box<DynBody>)
        })
        .map_err(|e: hyper_util::client::legacy::Error| Box::new(e) as BoxError)
        .service(client);
    Ok(ClientBuilder::new(tower::util::BoxService::new(service), config.default_namespace.clone()))
}
