//! `-v 6` and up: one line per API request on stderr, in kubectl's words
//! (klog header, `"Response" verb=... url=... status=... milliseconds=...`);
//! 7 adds the request headers, 8 the response headers and the bodies
//! (cut at 1024 characters; 9 whole). A Secret's body is never printed, and
//! credentials never pass here: kube adds them further down the stack.

use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use futures::FutureExt;
use futures::future::BoxFuture;
use http::{HeaderMap, Request, Response};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use kube::client::Body;

use crate::escape::is_unsafe;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The tower layer `Connection` adds to kube's stack at `-v 6` and up.
pub struct RequestLog {
    pub level: u8,
    /// The server URL (credentials removed): kube joins it to each path further down.
    pub server: String,
}

impl<S> tower::Layer<S> for RequestLog {
    type Service = Logged<S>;
    fn layer(&self, inner: S) -> Logged<S> {
        Logged { inner, level: self.level, server: self.server.clone() }
    }
}

pub struct Logged<S> {
    inner: S,
    level: u8,
    server: String,
}

impl<S, B> tower::Service<Request<Body>> for Logged<S>
where
    S: tower::Service<Request<Body>, Response = Response<B>>,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response<UnsyncBoxBody<Bytes, BoxError>>;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<Self::Response, BoxError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        let level = self.level;
        let verb = req.method().to_string();
        let url = format!("{}{}", self.server, req.uri());
        let secret = is_secret(req.uri().path());
        let watch = req.uri().query().is_some_and(|q| q.split('&').any(|p| p == "watch=true" || p == "watch=1"));
        if level >= 8 {
            // kube's request bodies are whole bytes: cloning and reading one is immediate.
            let body = req.body().try_clone().and_then(|b| b.collect_bytes().now_or_never()).and_then(|b| b.ok());
            let text = body.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
            log(&format!("\"Request Body\" body={}", body_text(&text, secret, level)));
        }
        if level >= 7 {
            log(&format!("\"Request\" verb={} url={} headers={}", quote(&verb), quote(&url), headers(req.headers())));
        }
        let started = Instant::now();
        let fut = self.inner.call(req);
        async move {
            let res = fut.await.map_err(Into::into);
            let ms = started.elapsed().as_millis();
            let where_ = if level >= 7 { String::new() } else { format!(" verb={} url={}", quote(&verb), quote(&url)) };
            let res = match res {
                Ok(res) => res,
                Err(e) => {
                    log(&format!("\"Response\"{where_} status=\"\" milliseconds={ms}"));
                    return Err(e);
                }
            };
            let status = res.status();
            let status = format!("{} {}", status.as_str(), status.canonical_reason().unwrap_or(""));
            let shown = if level >= 8 { format!(" headers={}", headers(res.headers())) } else { String::new() };
            log(&format!("\"Response\"{where_} status={}{shown} milliseconds={ms}", quote(status.trim_end())));
            let (parts, body) = res.into_parts();
            if level < 8 || watch {
                return Ok(Response::from_parts(parts, body.map_err(Into::into).boxed_unsync()));
            }
            let bytes = body.collect().await.map_err(Into::into)?.to_bytes();
            log(&format!("\"Response Body\" body={}", body_text(&String::from_utf8_lossy(&bytes), secret, level)));
            Ok(Response::from_parts(parts, Full::new(bytes).map_err(|never| match never {}).boxed_unsync()))
        }
        .boxed()
    }
}

/// A request on Secrets: its body may hold a key, in either direction.
fn is_secret(path: &str) -> bool {
    path.split('/').any(|segment| segment == "secrets")
}

fn body_text(text: &str, secret: bool, level: u8) -> String {
    if secret && !text.is_empty() {
        return quote("[redacted: a Secret's body is never printed]");
    }
    const LIMIT: usize = 1024;
    let count = text.chars().count();
    if level >= 9 || count <= LIMIT {
        return quote(text);
    }
    let cut: String = text.chars().take(LIMIT).collect();
    format!("{} [truncated {} chars]", quote(&cut), count - LIMIT)
}

/// kubectl's header block: `<`, one `\tName: value` line each, ` >`.
fn headers(map: &HeaderMap) -> String {
    if map.is_empty() {
        return "<\n >".to_string();
    }
    let mut lines: Vec<String> = map
        .iter()
        .map(|(name, value)| {
            let value = match name.as_str() {
                "authorization" | "proxy-authorization" => "<masked>".to_string(),
                _ => crate::escape::escape(&String::from_utf8_lossy(value.as_bytes())),
            };
            format!("\t{}: {value}", title_case(name.as_str()))
        })
        .collect();
    lines.sort();
    format!("<\n{}\n >", lines.join("\n"))
}

fn title_case(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Go's `%q`, the way klog quotes values; cluster text is escaped as
/// everywhere else.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One klog line: `I1129 06:20:36.584890    6152 request_log.rs:1] ...`.
fn log(message: &str) {
    let now = jiff::Zoned::now();
    eprintln!(
        "I{} {}.{:06} {:>7} request_log.rs] {message}",
        now.strftime("%m%d"),
        now.strftime("%H:%M:%S"),
        now.subsec_nanosecond() / 1000,
        std::process::id()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_known_by_their_path() {
        assert!(is_secret("/api/v1/namespaces/a/secrets"));
        assert!(is_secret("/api/v1/namespaces/a/secrets/team-openai-key"));
        assert!(!is_secret("/apis/sympozium.ai/v1alpha1/namespaces/a/personapacks/team"));
        assert!(!is_secret("/api/v1/namespaces/secretive/configmaps"));
    }

    #[test]
    fn a_secrets_body_is_never_printed_at_any_level() {
        for level in [8, 9, 10] {
            let shown = body_text(r#"{"data":{"OPENAI_API_KEY":"c2stc2VjcmV0"}}"#, true, level);
            assert!(!shown.contains("c2stc2VjcmV0"), "{shown}");
            assert!(shown.contains("redacted"), "{shown}");
        }
        assert_eq!(body_text("", true, 8), "\"\"");
    }

    #[test]
    fn bodies_are_cut_at_eight_and_whole_at_nine() {
        let long = "x".repeat(1030);
        assert_eq!(body_text(&long, false, 8), format!("\"{}\" [truncated 6 chars]", "x".repeat(1024)));
        assert_eq!(body_text(&long, false, 9), format!("\"{long}\""));
        assert_eq!(body_text("{}", false, 8), "\"{}\"");
    }

    #[test]
    fn quoting_escapes_what_could_drive_a_terminal() {
        assert_eq!(quote("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(quote("\u{1b}[31m\u{202e}"), r#""\u{1b}[31m\u{202e}""#);
    }

    #[test]
    fn headers_are_sorted_title_cased_and_credentials_masked() {
        let mut map = HeaderMap::new();
        map.insert("user-agent", crate::names::PLUGIN.parse().unwrap());
        map.insert("authorization", "Bearer secret-token".parse().unwrap());
        map.insert("accept", "application/json".parse().unwrap());
        assert_eq!(
            headers(&map),
            "<\n\tAccept: application/json\n\tAuthorization: <masked>\n\tUser-Agent: kubectl-personapack\n >"
        );
    }
}
