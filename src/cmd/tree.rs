//! `kubectl personapack tree PACK`: everything a pack generated, as an
//! ownership tree, drawn (or as a document), redrawn under `--watch`. What
//! the tree is made of is read by `tree/gather.rs`, in two rounds of requests
//! sent at once; `--all-kinds` discovers every kind first.

use std::process::ExitCode;

use jiff::Timestamp;

use super::Ctx;
use crate::cluster::discovery;
use crate::error::Result;
use crate::output::{self, Format, emit};
use crate::tree;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Everything the team's pack generated, with health
  kubectl personapack tree platform-team -n team-a

  # Every run, not only each schedule's newest three
  kubectl personapack tree platform-team -n team-a --runs 0")]
pub struct Args {
    /// The PersonaPack whose tree to show
    pub pack: String,

    /// Output format: json or yaml give the nested tree as a document
    #[arg(short = 'o', long, value_parser = output::Offered(output::DOCUMENTS))]
    pub output: Option<Format>,

    /// Show at most this many levels below the pack
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,

    /// Condition types that make the READY column, first present wins
    #[arg(long, value_delimiter = ',', default_value = "Ready", value_name = "TYPES")]
    pub condition_types: Vec<String>,

    /// Look through every namespaced kind the server serves, not only the
    /// kinds Sympozium creates (exhaustive, like kubectl-tree; slower)
    #[arg(long)]
    pub all_kinds: bool,

    /// Don't print headers
    #[arg(long)]
    pub no_headers: bool,

    /// Keep watching and redraw when anything changes (Ctrl-C to stop)
    #[arg(short = 'w', long)]
    pub watch: bool,

    /// Show the newest N runs of each schedule (with their Jobs and Pods); 0 shows every run
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub runs: usize,
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    output::only(args.output, output::DOCUMENTS)?;
    let conn = ctx.conn.connect().await?;
    let namespace = conn.namespace.clone();
    let resources =
        if args.all_kinds { discovery::resources(&conn).await? } else { tree::gather::known_resources(conn.era()) };
    let ask = tree::gather::Ask {
        pack: args.pack.clone(),
        all_kinds: args.all_kinds,
        runs: args.runs,
        depth: args.depth,
        condition_types: args.condition_types.clone(),
        quiet: args.watch,
    };
    let mut redraw = output::Redraw::default();
    // --watch redraws when something changes, told by watches of the kinds
    // the tree shows: nothing is asked of the server while nothing changes.
    let mut changes = args.watch.then(|| {
        let kinds: Vec<_> = resources.iter().filter(|r| r.namespaced && r.listable).map(|r| r.api_resource()).collect();
        conn.pack_changes(&namespace, &args.pack, &kinds)
    });
    let mut next = async || match changes.as_mut() {
        // Ctrl-C ends the watch.
        Some(c) => crate::interrupt::unless_interrupted(c.next()).await.is_ok(),
        None => false,
    };
    loop {
        let tree = match tree::gather::pack_tree(&conn, &namespace, &ask, &resources).await {
            Ok(tree) => tree,
            // A watch rides out the API server restarting: it says so and looks again.
            Err(e) if args.watch && e.is_transient() => {
                redraw.show(format!("{}\n(looking again when the server is back)\n", e.report()))?;
                if !next().await {
                    return Ok(ExitCode::SUCCESS);
                }
                continue;
            }
            Err(e) => return Err(e),
        };
        let text = match args.output {
            Some(fmt @ (Format::Json | Format::Yaml)) => {
                output::serialize(&serde_json::to_value(&tree).unwrap_or_default(), fmt)?
            }
            _ => {
                // The legend goes apart, to stderr: a pipe gets only the table.
                let legend = tree::legend(&tree, ctx.palette);
                if !legend.is_empty() && !args.watch {
                    eprint!("\n{legend}");
                }
                tree::render(&tree, Timestamp::now(), !args.no_headers, ctx.palette)
            }
        };
        if !args.watch {
            emit(&text)?;
            return Ok(ExitCode::SUCCESS);
        }
        redraw.show(text)?;
        if !next().await {
            return Ok(ExitCode::SUCCESS);
        }
    }
}
