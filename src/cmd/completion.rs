//! Shell completion: `completion SHELL` prints the static script generated
//! from the clap definitions (committed under completions/), and the hidden
//! `__complete WORDS...` answers dynamic requests — subcommands, flags, pack
//! and persona names from the live cluster — in the format kubectl (≥ 1.26)
//! expects from `kubectl_complete-personapack`: one candidate per line, then
//! `:<directive>` (cobra's; 4 = no file completion).

use std::process::ExitCode;

use clap_complete::Shell;

use crate::connection::ConnectionArgs;
use crate::error::Result;
use crate::model::PersonaPack;
use crate::output::emit;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Load completion into the current bash
  source <(kubectl personapack completion bash)")]
pub struct Args {
    /// The shell to print the completion script for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The static script for `shell`, for the binary `kubectl-personapack`, from
/// `root`: the command line's clap definition (`Cli::command()`).
pub fn script(root: clap::Command, shell: Shell) -> String {
    // The scripts complete the binary itself: name it so before clap derives
    // the subcommands' names from it ("kubectl personapack" has a space).
    let mut cmd = rename(root, crate::names::PLUGIN);
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, crate::names::PLUGIN, &mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    // clap_complete's bash generator spells a hyphenated binary's name two
    // ways (`kubectl__personapack` in the dispatch, `kubectl__subcmd__personapack`
    // in the per-subcommand cases), so subcommand flags would never complete.
    match shell {
        Shell::Bash => text.replace("kubectl__subcmd__personapack", "kubectl__personapack"),
        _ => text,
    }
}

/// Set `bin_name` on a command and all its subcommands, from `name` down.
fn rename(cmd: clap::Command, name: &str) -> clap::Command {
    let cmd = cmd.bin_name(name.to_string());
    cmd.mut_subcommands(|sc| {
        let sub = format!("{name} {}", sc.get_name());
        rename(sc, &sub)
    })
}

pub async fn run(args: Args, root: clap::Command) -> Result<ExitCode> {
    emit(&script(root, args.shell))?;
    Ok(ExitCode::SUCCESS)
}

/// cobra's ShellCompDirectiveNoFileComp.
const NO_FILES: u8 = 4;

/// `__complete WORDS...`: the words typed after `kubectl personapack`, the
/// last one being completed. Called before clap parses anything, so flags
/// among the words stay words.
pub async fn complete(root: clap::Command, words: Vec<String>) -> Result<ExitCode> {
    let (candidates, directive) = candidates(&root, &words).await;
    let mut out = String::new();
    for c in candidates {
        out.push_str(&c);
        out.push('\n');
    }
    out.push_str(&format!(":{directive}\n"));
    emit(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// What the words typed so far ask for.
#[derive(Debug, PartialEq, Eq)]
pub enum Want {
    Subcommand,
    Flag(String),
    Values(Vec<&'static str>),
    Namespace,
    Pack { subcommand: String },
    Persona { pack: Option<String> },
    Nothing,
}

/// Flags whose next word is a value (so it is not a positional), as clap
/// defines them: the root's (global) and every subcommand's.
pub fn takes_value(root: &clap::Command) -> Vec<String> {
    let mut out = Vec::new();
    for cmd in std::iter::once(root).chain(root.get_subcommands()) {
        // A flag whose value needs `=` (`--dry-run[=server]`) leaves the next word alone.
        let takes = |a: &&clap::Arg| !a.is_positional() && a.get_action().takes_values() && !a.is_require_equals_set();
        for a in cmd.get_arguments().filter(takes) {
            out.extend(a.get_long().map(|l| format!("--{l}")));
            out.extend(a.get_short().map(|s| format!("-{s}")));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Pure: classify the completion request (tested without a cluster).
pub fn want(words: &[String], takes_value: &[String]) -> (Want, ConnectionArgs) {
    let takes = |flag: &str| takes_value.iter().any(|t| t == flag);
    let mut conn = ConnectionArgs { request_timeout: std::time::Duration::from_secs(5), ..Default::default() };
    let (typed, current) = match words.split_last() {
        Some((last, rest)) => (rest, last.as_str()),
        None => (&[][..], ""),
    };
    let mut positionals: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < typed.len() {
        let w = typed[i].as_str();
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f, Some(v.to_string())),
            _ => (w, None),
        };
        if flag.starts_with('-') && takes(flag) {
            let value = inline.or_else(|| typed.get(i + 1).cloned());
            if let Some(v) = value.clone() {
                match flag {
                    "-n" | "--namespace" => conn.namespace = Some(v),
                    "--context" => conn.context = Some(v),
                    "--kubeconfig" => conn.kubeconfig = Some(v.into()),
                    "--cluster" => conn.cluster = Some(v),
                    "--user" => conn.user = Some(v),
                    _ => {}
                }
            }
            i += if w.contains('=') { 1 } else { 2 };
            continue;
        }
        if !w.starts_with('-') {
            positionals.push(w);
        }
        i += 1;
    }
    // Completing the value of the flag just typed?
    let previous = typed.last().map(String::as_str).unwrap_or("");
    let subcommand = positionals.first().map(|s| s.to_string());
    let w = match previous {
        "-n" | "--namespace" | "--into" => Want::Namespace,
        "-o" | "--output" => Want::Values(vec!["json", "yaml", "wide", "name"]),
        "--color" => Want::Values(vec!["auto", "always", "never"]),
        "--provider" => Want::Values(crate::activation::Provider::ALL.iter().map(|p| p.name()).collect()),
        "--persona" | "--exclude" => Want::Persona { pack: positionals.get(1).map(|s| s.to_string()) },
        p if takes(p) => Want::Nothing,
        _ if current.starts_with('-') => Want::Flag(subcommand.unwrap_or_default()),
        _ => match positionals.len() {
            0 => Want::Subcommand,
            1 if [
                "describe", "status", "enable", "disable", "tree", "render", "diff", "seed", "runs", "logs", "run",
            ]
            .contains(&positionals[0]) =>
            {
                Want::Pack { subcommand: positionals[0].to_string() }
            }
            // `logs PACK PERSONA`, `run PACK PERSONA`: the pack's personas.
            2 if ["logs", "run"].contains(&positionals[0]) => Want::Persona { pack: Some(positionals[1].to_string()) },
            _ => Want::Nothing,
        },
    };
    (w, conn)
}

async fn candidates(root: &clap::Command, words: &[String]) -> (Vec<String>, u8) {
    let current = words.last().map(String::as_str).unwrap_or("");
    let (w, conn_args) = want(words, &takes_value(root));
    let mut all: Vec<String> = match w {
        Want::Subcommand => {
            root.get_subcommands().filter(|c| !c.is_hide_set()).map(|c| c.get_name().to_string()).collect()
        }
        Want::Flag(sub) => {
            let cmd = root.find_subcommand(&sub).unwrap_or(root);
            cmd.get_arguments()
                .filter(|a| !a.is_hide_set())
                .flat_map(|a| {
                    let mut v = Vec::new();
                    if let Some(l) = a.get_long() {
                        v.push(format!("--{l}"));
                    }
                    if let Some(s) = a.get_short() {
                        v.push(format!("-{s}"));
                    }
                    v
                })
                .collect()
        }
        Want::Values(v) => v.into_iter().map(String::from).collect(),
        Want::Namespace => namespaces(&conn_args).await,
        Want::Pack { .. } => pack_names(&conn_args).await,
        Want::Persona { pack: Some(name) } => one_pack(&conn_args, &name)
            .await
            .map(|p| p.spec.personas.into_iter().map(|x| x.name).collect())
            .unwrap_or_default(),
        Want::Persona { pack: None } | Want::Nothing => Vec::new(),
    };
    // For comma lists (--exclude a,b) complete the last element.
    let (head, tail) = match current.rsplit_once(',') {
        Some((h, t)) => (format!("{h},"), t),
        None => (String::new(), current),
    };
    all.retain(|c| c.starts_with(tail) && completable(c));
    all.sort();
    all.dedup();
    (all.into_iter().map(|c| format!("{head}{c}")).collect(), NO_FILES)
}

/// Can this candidate be printed as one completion line? Persona names are
/// free text from whoever wrote the pack: a newline would start a line of its
/// own, which the shell scripts read as a directive (`:4`) or as ActiveHelp
/// (`_activeHelp_ ...`, printed raw: escapes, clipboard writes). Such names
/// are dropped, never escaped into something else.
pub fn completable(c: &str) -> bool {
    !c.is_empty()
        && !c.starts_with(':')
        && !c.starts_with("_activeHelp_")
        && !c.chars().any(|ch| ch.is_whitespace() || crate::escape::is_unsafe(ch))
}

/// Cluster look-ups for completion are best effort: any failure means no
/// candidates. Pack names come from metadata only; personas from the one pack.
async fn pack_names(args: &ConnectionArgs) -> Vec<String> {
    let Ok(conn) = args.connect().await else { return Vec::new() };
    let resource = conn.resource(crate::cluster::Kind::Pack);
    match conn.list_metadata(&resource, &conn.namespace, None).await {
        Ok(items) => items.iter().filter_map(|m| m["metadata"]["name"].as_str().map(String::from)).collect(),
        Err(_) => Vec::new(),
    }
}

async fn one_pack(args: &ConnectionArgs, name: &str) -> Option<PersonaPack> {
    let conn = args.connect().await.ok()?;
    conn.get_pack(&conn.namespace, name).await.ok()
}

async fn namespaces(args: &ConnectionArgs) -> Vec<String> {
    let Ok(conn) = args.connect().await else { return Vec::new() };
    conn.namespace_names().await.unwrap_or_default()
}
