//! `--wait [--timeout D]` of status, enable and disable: look at the pack's
//! report whenever a watch says something changed (or a deadline comes), and
//! judge each look (`follow::look`) until the goal, a failure or the time.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use crate::cluster::Connection;
use crate::color::Palette;
use crate::error::Result;
use crate::escape::escape;
use crate::follow::{Look, look, wake_after};
use crate::output::emit;

/// How often `--wait` looks again while the API server is out of reach.
const POLL: Duration = Duration::from_secs(1);

/// `--wait [--timeout D]`: block until the pack reaches its goal (Ready when
/// enabled, Inactive when disabled). Shared by status, enable and disable.
#[derive(Debug, Default, clap::Args)]
pub struct WaitFlags {
    /// Wait until the controller reports the pack Ready (enabled) or Inactive (disabled); exit 1 on Error or timeout
    #[arg(long)]
    pub wait: bool,

    /// How long --wait may take
    #[arg(long, default_value = "5m", value_name = "DURATION", requires = "wait", value_parser = crate::error::duration_arg)]
    pub timeout: Duration,
}

impl WaitFlags {
    /// Wait if asked to; nothing otherwise.
    pub async fn apply(&self, conn: &Connection, ns: &str, name: &str, palette: Palette) -> Result<()> {
        if !self.wait {
            return Ok(());
        }
        wait_for(conn, ns, name, self.timeout, palette).await
    }
}

/// Block until the pack reaches its goal (Ready when enabled, Inactive when
/// disabled), with a progress line on a terminal; fail on Error, on an orphan
/// that blocks a disable, when no controller shows up, or at `limit`.
/// Shared by `status --wait`, `enable --wait` and `disable --wait`.
async fn wait_for(conn: &Connection, namespace: &str, name: &str, limit: Duration, palette: Palette) -> Result<()> {
    let start = Instant::now();
    // Look again when something changed (watches: nothing is asked of the
    // server meanwhile), or when a deadline comes.
    let mut changes = conn.report_changes(namespace, name);
    let progress = std::io::stderr().is_terminal();
    let clear = || {
        if progress {
            eprint!("\r\x1b[K");
        }
    };
    let mut last_line = String::new();
    let show = |line: &str, last_line: &mut String| {
        if progress {
            eprint!("\r\x1b[K{}", escape(line));
        } else if line != last_line {
            eprintln!("{}", escape(line));
        }
        *last_line = line.to_string();
    };
    loop {
        // The API server restarting (or out of reach for a while) is
        // ridden out: say so, and look again until the time is up.
        let report = match conn.report(namespace, name).await {
            Ok(r) => r,
            Err(e) if e.is_transient() && start.elapsed() < limit => {
                show(&format!("waiting for the API server: {}", e.report()), &mut last_line);
                tokio::time::sleep(POLL).await;
                continue;
            }
            Err(e) => {
                clear();
                return Err(e);
            }
        };
        match look(&report, start.elapsed(), limit) {
            Look::Done => {
                clear();
                let verdict = palette.phase(report.verdict.as_str());
                emit(&format!("{}/{} {verdict}\n", report.era.qualified(), escape(&report.name)))?;
                return Ok(());
            }
            Look::Failed(e) => {
                clear();
                return Err(e);
            }
            Look::Waiting(line, timed_out) => {
                show(&line, &mut last_line);
                if let Some(e) = timed_out {
                    clear();
                    return Err(e);
                }
            }
        }
        let wake = wake_after(&report, start.elapsed(), limit);
        let woken = crate::interrupt::unless_interrupted(async {
            tokio::select! {
                _ = changes.next() => {}
                _ = tokio::time::sleep(wake) => {}
            }
        });
        if let Err(e) = woken.await {
            // Ctrl-C: what was written stays written; the wait just ends.
            clear();
            return Err(e);
        }
    }
}
