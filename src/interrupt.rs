//! Ctrl-C, handled in one place above the cluster layer: a wait or a watch
//! stops by returning, so destructors run (a key held in memory is zeroized
//! on drop) and the terminal is put back by whoever drew on it.

use crate::error::{Error, Result};

/// `fut`'s outcome, or `Error::Interrupted` once Ctrl-C arrives first.
pub async fn unless_interrupted<T>(fut: impl Future<Output = T>) -> Result<T> {
    tokio::select! {
        v = fut => Ok(v),
        _ = tokio::signal::ctrl_c() => Err(Error::Interrupted),
    }
}
