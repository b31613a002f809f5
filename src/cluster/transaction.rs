//! Enable's Secrets as one transaction: each written Secret is remembered
//! with how it was before, so a later failure (another Secret, the pack
//! patch) puts them all back and says exactly what is left.

use k8s_openapi::api::core::v1::Secret;
use serde_json::Value;

use super::Connection;
use crate::activation::Written;
use crate::error::{Error, Result};
use crate::escape::escape;

/// A Secret this transaction wrote, and how it was before.
struct Undo {
    name: String,
    namespace: String,
    written: Written,
    before: Option<Secret>,
}

/// Secrets written so far, to be undone if what follows fails.
pub struct SecretWrites<'a> {
    conn: &'a Connection,
    written: Vec<Undo>,
}

impl<'a> SecretWrites<'a> {
    pub fn new(conn: &'a Connection) -> Self {
        SecretWrites { conn, written: Vec::new() }
    }

    /// Write one Secret (`obj`, as `change` says); `before` is how it was read.
    pub async fn write(
        &mut self,
        namespace: &str,
        obj: &Value,
        change: (Written, &Value),
        before: Option<Secret>,
    ) -> Result<Written> {
        let word = self.conn.write_secret(namespace, obj, change, false).await?;
        let name = obj["metadata"]["name"].as_str().unwrap_or_default().to_string();
        self.written.push(Undo { name, namespace: namespace.to_string(), written: word, before });
        Ok(word)
    }

    /// A write failed after Secrets were written: undo them, newest first —
    /// delete those we created, put back the data and labels of those we
    /// changed — and add to `err` what is left.
    pub async fn roll_back(self, err: Error) -> Error {
        let mut notes = Vec::new();
        for u in self.written.into_iter().rev() {
            if let Some(note) = undo(self.conn, u).await {
                notes.push(note);
            }
        }
        if notes.is_empty() {
            return err;
        }
        let clean = notes.iter().all(|n| !n.contains("could not be put back"));
        let note = format!("{}{}", notes.join("; "), if clean { "; nothing is left behind" } else { "" });
        match err {
            Error::Server { reason, message, code, mut hints } => {
                hints.push(format!("The pack was not enabled: {note}."));
                Error::Server { reason, message, code, hints }
            }
            other => Error::usage(format!("{}\nThe pack was not enabled: {note}.", other)),
        }
    }
}

/// Undo one write; what was done, or None when there was nothing to undo.
async fn undo(conn: &Connection, u: Undo) -> Option<String> {
    let (name, namespace) = (escape(&u.name), escape(&u.namespace));
    let leftover = |what: &str| {
        format!(
            "the Secret {name} was {what} but could not be put back; run the same command again to finish (it is idempotent), or check it: kubectl get secret {name} -n {namespace}"
        )
    };
    Some(match (u.written, u.before) {
        (Written::Created, _) => match conn.delete_secret(&u.namespace, &u.name).await {
            Ok(()) => format!("the Secret {name} created for it was deleted again"),
            Err(_) => leftover("created"),
        },
        (Written::Configured, Some(before)) => match conn.restore_secret(&u.namespace, &before).await {
            Ok(()) => format!("the Secret {name} was put back as it was"),
            Err(_) => leftover("changed"),
        },
        (Written::Configured, None) | (Written::Unchanged, _) => return None,
    })
}
