//! Every failure the plugin reports, and how it is shown: kubectl's shapes
//! (`Error from server (Reason): message` for API refusals, `error: ...` for
//! client-side problems, kubectl's own connection sentences), exit code 1.

use std::fmt;
use std::io;
use std::time::Duration;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The API server answered with a failure Status.
    #[error("Error from server ({reason}): {message}")]
    Server { reason: String, message: String, code: u16, hints: Vec<String> },

    /// The server could not be reached at all.
    #[error("The connection to the server {server} was refused - did you specify the right host or port?")]
    Refused { server: String },

    /// No answer within --request-timeout.
    #[error("Unable to connect to the server {server}: no response within {} (--request-timeout)", humantime(*.timeout))]
    Timeout { server: String, timeout: Duration },

    /// Any other transport failure (TLS, DNS, a half-closed connection ...).
    #[error("Unable to connect to the server {server}: {detail}")]
    Transport { server: String, detail: String },

    /// The cluster serves neither PersonaPacks nor Ensembles.
    #[error(
        "the server doesn't have a resource type \"personapacks\" or \"ensembles\" in group \"sympozium.ai\": \
         Sympozium (v0.8.x provides PersonaPacks, v0.9 and later Ensembles) is not installed in this cluster"
    )]
    NoSympoziumApi,

    /// `--kind` asked for the kind this cluster does not serve (it serves `other`).
    #[error(
        "the server doesn't have a resource type \"{}\" in group \"sympozium.ai\": this cluster serves {}s (Sympozium {}); drop --kind, or pass --kind {}",
        .asked.plural(), .other.kind(), .other.releases(), .other.singular()
    )]
    KindNotServed { asked: crate::model::Era, other: crate::model::Era },

    /// Bad flags, bad names, bad kubeconfig: the user's input.
    #[error("{0}")]
    Usage(String),

    /// A `--wait` that ended without reaching its goal.
    #[error("{0}")]
    WaitFailed(String),

    /// The user interrupted a prompt (Ctrl-C): nothing was written; exit 130.
    #[error("Cancelled: nothing was changed.")]
    Cancelled,

    /// Ctrl-C during a wait or a watch (`interrupt`): exit 130, nothing said.
    #[error("interrupted")]
    Interrupted,

    /// Writing to stdout failed (a broken pipe is handled before this).
    #[error("writing output: {0}")]
    Io(#[from] io::Error),
}

impl Error {
    pub fn usage(msg: impl fmt::Display) -> Self {
        Error::Usage(msg.to_string())
    }

    /// kubectl's NotFound for a named object the plugin looked up itself
    /// (`Error from server (NotFound): agentruns.sympozium.ai "x" not found`).
    pub fn not_found(resource: &str, name: &str) -> Self {
        Error::Server {
            reason: "NotFound".into(),
            message: format!("{resource} \"{}\" not found", crate::escape::escape(name)),
            code: 404,
            hints: Vec::new(),
        }
    }

    /// The lines to print on stderr, as kubectl prints them: the message
    /// (a client-side error behind `error: `, a server's as the server said
    /// it), then any hints.
    pub fn report(&self) -> String {
        let mut out = match self {
            Error::Usage(_)
            | Error::WaitFailed(_)
            | Error::Io(_)
            | Error::NoSympoziumApi
            | Error::KindNotServed { .. } => {
                format!("error: {self}")
            }
            _ => self.to_string(),
        };
        if let Error::Server { hints, .. } = self {
            for h in hints {
                out.push('\n');
                out.push_str(h);
            }
        }
        out
    }

    /// A failure that passes: the server unreachable, slow, restarting or
    /// overloaded. Waits and watches ride these out.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::Refused { .. }
                | Error::Timeout { .. }
                | Error::Transport { .. }
                | Error::Server { code: 429 | 500 | 502 | 503 | 504, .. }
        )
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Server { code: 404, .. })
    }

    pub fn is_forbidden(&self) -> bool {
        matches!(self, Error::Server { code: 403, .. })
    }

    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }

    /// Translate a kube-rs error, naming `server` for transport failures.
    pub fn from_kube(err: kube::Error, server: &str, timeout: Duration) -> Self {
        match err {
            kube::Error::Api(status) => Error::Server {
                reason: if status.reason.is_empty() { format!("{}", status.code) } else { status.reason.clone() },
                message: status.message.clone(),
                code: status.code,
                hints: Vec::new(),
            },
            other => {
                if let Some(e) = auth_error(&other) {
                    return e;
                }
                // Walk the cause chain: hyper and tower bury the io::Error deep.
                let mut src: Option<&(dyn std::error::Error + 'static)> = Some(&other);
                let mut detail = other.to_string();
                while let Some(e) = src {
                    if let Some(io) = e.downcast_ref::<io::Error>() {
                        match io.kind() {
                            io::ErrorKind::ConnectionRefused => {
                                return Error::Refused { server: host_port(server) };
                            }
                            io::ErrorKind::TimedOut => {
                                return Error::Timeout { server: server.to_string(), timeout };
                            }
                            _ => {}
                        }
                    }
                    if e.to_string().to_ascii_lowercase().contains("elapsed") || e.to_string().contains("timed out") {
                        return Error::Timeout { server: server.to_string(), timeout };
                    }
                    detail = e.to_string();
                    src = e.source();
                }
                Error::Transport { server: server.to_string(), detail }
            }
        }
    }
}

/// A failure of the kubeconfig's credential machinery, anywhere in the cause
/// chain, said without what kube's own message carries: an exec plugin's
/// command line, environment and output (tokens, keys).
pub fn auth_error(err: &kube::Error) -> Option<Error> {
    use kube::client::AuthError;
    let mut src: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = src {
        if let Some(a) = e.downcast_ref::<AuthError>() {
            let what = match a {
                AuthError::AuthExecRun { out, .. } => format!(
                    "the kubeconfig's exec credential plugin failed ({}); its command line and output are not shown: they may hold credentials",
                    out.status
                ),
                AuthError::AuthExecStart(io) => {
                    format!("the kubeconfig's exec credential plugin could not be started: {}", io.kind())
                }
                AuthError::AuthExecParse(_) | AuthError::ExecPluginFailed => {
                    "the kubeconfig's exec credential plugin did not print a valid ExecCredential (not shown)".into()
                }
                other => format!("authentication failed: {}", redact_userinfo(&other.to_string())),
            };
            return Some(Error::usage(what));
        }
        src = e.source();
    }
    None
}

/// `https://127.0.0.1:6443` -> `127.0.0.1:6443`, as kubectl names a refusing server.
fn host_port(server: &str) -> String {
    server.split("://").nth(1).unwrap_or(server).trim_end_matches('/').to_string()
}

/// kubectl-style short duration: `30s`, `1m30s`, `500ms`.
pub fn humantime(d: Duration) -> String {
    if d.subsec_millis() != 0 && d.as_secs() == 0 {
        return format!("{}ms", d.as_millis());
    }
    let s = d.as_secs();
    match (s / 3600, (s % 3600) / 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, 0, 0) => format!("{h}h"),
        (h, m, s) => format!("{h}h{m}m{s}s"),
    }
}

/// Parse a kubectl duration flag: `0` (no limit), `5` (seconds), `500ms`, `30s`, `2m`, `1h`, `1m30s`.
pub fn parse_duration(text: &str) -> Result<Duration> {
    // Go's time.Duration (kubectl's) ends at about 292 years; so do we, and no
    // input reaches a conversion that could panic.
    const MAX: Duration = Duration::from_nanos(i64::MAX as u64);
    let t = text.trim();
    let bad = || Error::usage(format!("invalid duration {text:?}: use a number with a unit, e.g. 30s, 2m, 500ms"));
    let too_long =
        || Error::usage(format!("invalid duration {text:?}: longer than the longest duration (about 292 years)"));
    if let Ok(secs) = t.parse::<u64>() {
        return Some(Duration::from_secs(secs)).filter(|d| *d <= MAX).ok_or_else(too_long);
    }
    let mut total = Duration::ZERO;
    let mut rest = t;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').ok_or_else(bad)?;
        if digits == 0 {
            return Err(bad());
        }
        let value: f64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let secs = match &rest[..unit_len] {
            "ms" => value / 1000.0,
            "s" => value,
            "m" => value * 60.0,
            "h" => value * 3600.0,
            _ => return Err(bad()),
        };
        let part = Duration::try_from_secs_f64(secs).map_err(|_| too_long())?;
        total = total.checked_add(part).filter(|d| *d <= MAX).ok_or_else(too_long)?;
        rest = &rest[unit_len..];
    }
    Ok(total)
}

/// The one printer of a command's error: its report on stderr, URLs
/// without their user info.
pub fn print(e: &Error) {
    eprintln!("{}", redact_userinfo(&e.report()));
}

/// `parse_duration` for clap, so a bad duration is refused with the other
/// arguments, before anything is read or written.
pub fn duration_arg(text: &str) -> std::result::Result<Duration, String> {
    parse_duration(text).map_err(|e| e.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_or_odd_durations_are_refused_not_panics() {
        for t in
            ["99999999999999999999999h", "1e400s", "18446744073709551615", "300000000000h", "1.5.5s", "-1s", "NaNs"]
        {
            assert!(parse_duration(t).is_err(), "{t}");
        }
        assert!(parse_duration("2562047h").is_ok(), "about 292 years is Go's longest");
    }

    #[test]
    fn durations_parse_like_kubectl() {
        assert_eq!(parse_duration("0").unwrap(), Duration::ZERO);
        assert_eq!(parse_duration("5").unwrap(), Duration::from_secs(5));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1m30s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("2h").unwrap(), Duration::from_secs(7200));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("10x").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn durations_print_short() {
        assert_eq!(humantime(Duration::from_millis(300)), "300ms");
        assert_eq!(humantime(Duration::from_secs(30)), "30s");
        assert_eq!(humantime(Duration::from_secs(90)), "1m30s");
        assert_eq!(humantime(Duration::from_secs(3600)), "1h");
    }

    #[test]
    fn refused_names_host_and_port() {
        let e = Error::Refused { server: host_port("https://127.0.0.1:1/") };
        assert_eq!(
            e.to_string(),
            "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?"
        );
    }
}
