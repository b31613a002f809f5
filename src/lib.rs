//! kubectl-personapack: a kubectl plugin for Sympozium's PersonaPacks (v0.8.x)
//! and Ensembles (v0.9 and later): `model::Era` names what differs, the
//! connection settles which one a cluster speaks (`cluster/era.rs`).
//!
//! Layout, one place per concern:
//! - `cmd`: the command line (clap) and dispatch; `cmd/<subcommand>.rs`, one file per
//!   subcommand (its flags, fetch, render; `cmd/enable/` holds flags, wizard, run).
//! - `connection`: kubeconfig flags, building the client, `-v` request lines.
//! - `cluster`: the only holder of the client: every API request (under
//!   `--request-timeout`), typed results, kubectl-shaped refusals.
//! - `follow`: judging each look of a `--wait` at a pack's live report (status, enable, disable).
//! - `model`: typed PersonaPack (an Ensemble reads into the same type) and the
//!   kinds it generates, read leniently; `Era`, the names each era uses.
//! - `analysis`: pure judgements over the model (a pack's live health).
//! - `activation`: pure planning of enable/disable (providers, Secret, patch).
//! - `stamp`: pure model of what the controller stamps (render) and drift (diff),
//!   `stamp/ensemble.rs` for v0.10's `buildAgent`;
//!   `activation::EnablePlan` is the other name: what enable will change.
//! - `tree`: pure ownership tree of a pack (graph, health, rendering).
//! - `output`: formats, tables, AGE, escaping; `color`: when and how to paint;
//!   `jsonpath`: kubectl's templates (`-o jsonpath`, custom-columns, `--sort-by`).
//! - `error`: every failure and how it is printed.

// Private modules: the crate's only public item is `main`, so the compiler
// reports any item nothing uses. The property tests over every renderer
// (`fuzz`) live inside the crate for that reason.
mod activation;
mod analysis;
mod check;
mod cluster;
mod cmd;
mod color;
mod connection;
mod error;
mod escape;
mod follow;
#[cfg(test)]
mod fuzz;
mod interrupt;
mod jsonpath;
#[cfg(test)]
mod layout;
mod migration;
mod model;
mod names;
mod output;
mod pause;
mod runs;
mod stamp;
mod stimulus;
mod tree;

use std::process::ExitCode;

/// Parse the command line, run the subcommand, print any error once, exit.
pub fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("__complete") {
        let root = <cmd::Cli as clap::CommandFactory>::command();
        return block_on(move || cmd::completion::complete(root, argv[2..].to_vec()));
    }
    // Parsed by the shaped definition: its help lists the global options once (`options`).
    let full = <cmd::Cli as clap::CommandFactory>::command();
    let parsed = cmd::options::shaped(full)
        .try_get_matches()
        .and_then(|m| <cmd::Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        // --help and --version print and succeed; a usage error exits 1, as kubectl does.
        Err(e) => {
            let code = if e.use_stderr() { ExitCode::FAILURE } else { ExitCode::SUCCESS };
            let _ = e.print();
            return code;
        }
    };
    block_on(move || cmd::run(cli))
}

/// Run a command to completion; print its error once; map the exit code.
/// On a thread with a large stack: documents nested as deep as a cluster's
/// data (a tree's `-o json`) are serialized recursively by serde.
fn block_on<F, Fut>(make: F) -> ExitCode
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = error::Result<ExitCode>>,
{
    const STACK: usize = 256 << 20; // reserved address space; only what is used is memory
    match std::thread::Builder::new().stack_size(STACK).spawn(move || run_to_end(make())) {
        Ok(handle) => handle.join().unwrap_or(ExitCode::FAILURE),
        Err(e) => {
            eprintln!("error: starting the worker thread: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_to_end(fut: impl Future<Output = error::Result<ExitCode>>) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: starting the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(fut) {
        Ok(code) => code,
        // `... | head`: the reader left; that is not our failure.
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        // Ctrl-C at a prompt: the shell's code for an interrupt, the terminal as it was.
        // Ctrl-C in a wait or a watch: what was written stays written; the shell's code.
        Err(error::Error::Interrupted) => ExitCode::from(130),
        Err(e @ error::Error::Cancelled) => {
            let _ = console::Term::stderr().show_cursor();
            eprintln!("\n{e}");
            ExitCode::from(130)
        }
        Err(e) => {
            error::print(&e);
            ExitCode::FAILURE
        }
    }
}
