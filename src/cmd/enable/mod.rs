//! `kubectl personapack enable PACK`: credentials as upstream names them, one
//! minimal merge patch, optional wait. Its flags are in `flags.rs`; with a
//! terminal and missing answers, the wizard (`wizard.rs`) asks for them first.

mod flags;
mod tokens;
mod wizard;

pub use flags::Args;
use flags::request_with;

use std::io::IsTerminal;
use std::process::ExitCode;

use serde_json::{Value, json};

use super::{Ctx, DryRun, warn_unreadable};
use k8s_openapi::api::core::v1::Secret;

use crate::activation::{self, Change, EnablePlan, EnableRequest, Tokens, Written};
use crate::cluster::{Connection, Patched, SecretWrites, guard};
use crate::error::{Error, Result};
use crate::escape::escape;
use crate::model::PersonaPack;
use crate::output::{self, Format, emit};

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    if args.api_key_argument.is_some() {
        return Err(Error::usage(
            "an API key is never taken as an argument value (it would land in shell history and the process list): use --api-key-stdin, --api-key-env VAR, or the prompt",
        ));
    }
    // The key is read before any connection: a kubeconfig user that
    // authenticates through an exec credential plugin runs that program on
    // the first request, and it inherits our stdin — where the key would
    // still be waiting. Read to the end, nothing of it is left for anyone.
    args.write.check()?;
    let early = tokens::read_early(&args)?;
    let mut early_key = early.api_key;
    let conn = ctx.conn.connect().await?;
    let interactive = std::io::stdin().is_terminal() && !args.yes && !reads_stdin(&args);
    let source_ns = conn.namespace.clone();
    let Some((args, mut tokens, wizard)) = answers(&conn, &source_ns, args, early.tokens, interactive).await? else {
        eprintln!("Cancelled: nothing was changed.");
        return Ok(ExitCode::FAILURE);
    };
    let name = args.pack.clone().unwrap_or_default();
    let namespace = args.into.clone().unwrap_or_else(|| source_ns.clone());
    let (pack, created_copy) = target_pack(&conn, &args, &source_ns, &name).await?;
    warn_unreadable(pack.era.singular(), &pack.meta.namespace, &pack.meta.name, &pack.warnings);

    // The key is read once (stdin cannot be read twice), before any write.
    if tokens.credential.is_none()
        && let Some(p) = args.provider.filter(|_| args.secret.is_none())
    {
        tokens.credential = tokens::credential(p, &args, &pack.meta.name, early_key.take())?;
    }
    if interactive && !wizard {
        tokens::ask_channel_tokens(&args, &pack, &mut tokens)?;
    }
    let req = request_with(&args, tokens)?;
    let plan = activation::plan_enable(&pack, &req)?;
    for w in &plan.warnings {
        eprintln!("Warning: {}", escape(w));
    }
    check_references(&conn, &namespace, &req, &plan).await?;

    // Each Secret as it is now: none, ours, or someone else's (refused unless adopted).
    let existing =
        futures::future::try_join_all(plan.secrets.iter().map(|s| conn.get_secret(&s.namespace, &s.name))).await?;
    let changes = plan
        .secrets
        .iter()
        .zip(&existing)
        .map(|(s, e)| secret_change_for(s, e.as_ref(), args.adopt_secret))
        .collect::<Result<Vec<_>>>()?;
    if args.write.dry.dry_run != DryRun::None {
        return dry_run(&conn, &args, &pack, &plan, &changes, created_copy).await;
    }
    // Validate the pack write before writing the Secrets: RBAC and schema
    // refusals must leave nothing behind. Unguarded: a concurrent writer
    // is the real patch's business (it re-reads), not a validation failure.
    conn.patch_pack(&namespace, &name, &plan.patch, true).await?;
    let patched = write(&conn, &namespace, pack, &req, &plan, changes, existing).await?;
    super::unused_secrets(&conn, &namespace, &name, &patched.referenced_secrets, args.prune_secrets).await?;

    args.write.wait.apply(&conn, &namespace, &name, ctx.palette).await?;
    if wizard && !args.write.wait.wait {
        // The wizard's last screen: how to follow what the controller does now.
        eprintln!(
            "Follow the rollout: kubectl personapack status {} -n {} --watch (or --wait)",
            escape(&name),
            escape(&namespace)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The flags as given, or, on a terminal with answers missing, as the wizard
/// completed them (and whether it ran); None when the wizard was cancelled.
async fn answers(
    conn: &Connection,
    source_ns: &str,
    args: Args,
    tokens: Tokens,
    interactive: bool,
) -> Result<Option<(Args, Tokens, bool)>> {
    if args.pack.is_some() && !(interactive && args.provider.is_none() && args.persona.is_empty()) {
        return Ok(Some((args, tokens, false)));
    }
    if !interactive {
        return Err(Error::usage("a pack name is required (or run on a terminal for the wizard)"));
    }
    Ok(wizard::ask(conn, source_ns, args, tokens).await?.map(|a| (a.args, a.tokens, true)))
}

/// The pack to enable: here, or a copy of a catalog pack in --into; and
/// whether that copy was created now.
async fn target_pack(conn: &Connection, args: &Args, source_ns: &str, name: &str) -> Result<(PersonaPack, bool)> {
    let dry = args.write.dry.dry_run != DryRun::None;
    match &args.into {
        Some(target) if target != source_ns => {
            copy_into(conn, source_ns, target, name, dry, args.create_namespace).await
        }
        _ => Ok((conn.get_pack(source_ns, name).await?, false)),
    }
}

/// What the plan names must exist: a Model that does not would leave the
/// Ensemble waiting forever; a Secret named to be used must be there.
async fn check_references(conn: &Connection, namespace: &str, req: &EnableRequest, plan: &EnablePlan) -> Result<()> {
    if let Change::Set(m) = &req.model_ref {
        match conn.model_state(namespace, m).await? {
            Some(state) if !state.found => {
                return Err(Error::usage(format!(
                    "Model \"{}\" not found (looked in namespace \"{}\" and \"sympozium-system\"): create it first, or name it NAMESPACE/NAME",
                    escape(m),
                    escape(namespace)
                )));
            }
            Some(state) if !state.is_ready() => eprintln!(
                "Warning: Model \"{}\" is not Ready (phase {}): the controller stamps the agents once it is",
                escape(m),
                escape(state.phase.as_deref().unwrap_or("-"))
            ),
            _ => {}
        }
    }
    for (s, advice) in &plan.must_exist {
        if conn.secret_meta(namespace, s).await?.is_none() {
            return Err(Error::usage(format!(
                "secret \"{}\" not found in namespace \"{}\": {advice}",
                escape(s),
                escape(namespace)
            )));
        }
    }
    Ok(())
}

/// `--dry-run=client` prints what would be sent; `--dry-run=server` sends it
/// for the server to validate, writing nothing. With -o, the objects (the
/// pack as it would be after the patch); else the Secrets and the patch.
async fn dry_run(
    conn: &Connection,
    args: &Args,
    pack: &PersonaPack,
    plan: &EnablePlan,
    changes: &[(Written, Value)],
    created_copy: bool,
) -> Result<ExitCode> {
    let words: Vec<Written> = changes.iter().map(|(w, _)| *w).collect();
    let objects = |pack_after: Value| -> Result<String> {
        let objects = plan.secrets.iter().map(|s| s.object(true)).chain([pack_after]).collect();
        super::dry_run_objects(objects, args.write.output.unwrap_or(Format::Yaml))
    };
    let projected = || {
        let mut after = pack.raw.clone();
        crate::model::merge_patch(&mut after, &plan.patch);
        after
    };
    let (ns, name) = (&pack.meta.namespace, &pack.meta.name);
    let text = if args.write.dry.dry_run == DryRun::Client {
        match args.write.output {
            Some(_) => objects(projected())?,
            None => dry_run_text(pack, plan, &words, "dry run")?,
        }
    } else {
        // A copy made in a dry run does not exist: nothing to validate against.
        let validated = if created_copy { None } else { Some(conn.patch_pack(ns, name, &plan.patch, true).await?) };
        for (s, (w, patch)) in plan.secrets.iter().zip(changes) {
            conn.write_secret(&s.namespace, &s.object(false), (*w, patch), true).await?;
        }
        match args.write.output {
            Some(_) => objects(validated.unwrap_or_else(projected))?,
            None => dry_run_text(pack, plan, &words, "server dry run")?,
        }
    };
    emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The Secrets first (the pack must never name one that is not there), then
/// the pack patch, re-planned from a fresh read if the pack changed
/// meanwhile; any failure puts back the Secrets already written.
async fn write(
    conn: &Connection,
    namespace: &str,
    pack: PersonaPack,
    req: &EnableRequest,
    plan: &EnablePlan,
    changes: Vec<(Written, Value)>,
    existing: Vec<Option<Secret>>,
) -> Result<Patched> {
    let name = pack.meta.name.clone();
    let mut out = String::new();
    let mut writes = SecretWrites::new(conn);
    for ((s, (w, patch)), before) in plan.secrets.iter().zip(&changes).zip(existing) {
        match writes.write(&s.namespace, &s.object(false), (*w, patch), before).await {
            Ok(word) => out.push_str(&format!("secret/{} {}\n", escape(&s.name), word.word())),
            Err(e) => {
                emit(&out)?;
                return Err(writes.roll_back(e).await);
            }
        }
    }
    super::test_gate().await;
    let result = conn
        .patch_pack_from_read(namespace, &name, pack, |p| {
            let plan = activation::plan_enable(p, req)?;
            Ok((plan.patch, plan.guarded))
        })
        .await;
    let patched = match result {
        Ok(p) => p,
        Err(e) => {
            emit(&out)?;
            return Err(writes.roll_back(e).await);
        }
    };
    out.push_str(&format!("{}/{} {}\n", conn.era().qualified(), escape(&name), patched.word()));
    emit(&out)?;
    Ok(patched)
}

/// What writing a planned Secret would do; a Secret of that name that
/// kubectl-personapack did not write (for this pack, or this skill) is
/// refused unless adopted.
fn secret_change_for(
    plan: &activation::SecretPlan,
    existing: Option<&k8s_openapi::api::core::v1::Secret>,
    adopt: bool,
) -> Result<(Written, Value)> {
    let Some(e) = existing else { return Ok(activation::secret_change(plan, None)) };
    let labels = e.metadata.labels.clone().unwrap_or_default();
    if !adopt && !plan.is_ours(&labels) {
        let name = escape(&plan.name);
        return Err(Error::usage(format!(
            "secret \"{name}\" already exists and was not written by kubectl-personapack for this pack: nothing was changed. {}, or write {} into it (its other keys stay; it then counts as ours) with --adopt-secret",
            plan.role.use_existing(&name),
            plan.role.purpose()
        )));
    }
    let data: std::collections::BTreeMap<String, Vec<u8>> =
        e.data.clone().unwrap_or_default().into_iter().map(|(k, v)| (k, v.0)).collect();
    Ok(activation::secret_change(plan, Some((&data, &labels))))
}

/// What `--dry-run` prints: the Secrets with redacted values, then the patch.
fn dry_run_text(pack: &PersonaPack, plan: &EnablePlan, words: &[Written], mode: &str) -> Result<String> {
    let mut out = String::new();
    for s in &plan.secrets {
        out.push_str("# Secret to write (values redacted):\n");
        out.push_str(&output::serialize(&s.object(true), Format::Yaml)?);
        out.push_str("---\n");
    }
    out.push_str(&super::merge_patch_text(pack, &guard(plan.patch.clone(), plan.guarded, pack))?);
    for line in &plan.summary {
        out.push_str(&format!("# - {}\n", escape(line)));
    }
    for (s, w) in plan.secrets.iter().zip(words) {
        out.push_str(&format!("secret/{} {} ({mode})\n", escape(&s.name), w.word()));
    }
    out.push_str(&format!("{}/{} patched ({mode})\n", pack.era.qualified(), escape(&pack.meta.name)));
    Ok(out)
}

/// Copy a catalog pack into `target`, disabled (as upstream's install-defaults
/// does), clean: its spec without credentials or exclusions (`--exclude` sets
/// those), its labels and annotations without kubectl's last-applied copy;
/// an existing copy is used as it is. Returns it and whether we created it.
async fn copy_into(
    conn: &Connection,
    source: &str,
    target: &str,
    name: &str,
    dry: bool,
    create_namespace: bool,
) -> Result<(PersonaPack, bool)> {
    if !conn.namespace_exists(target).await? {
        if !create_namespace {
            return Err(Error::usage(format!(
                "namespace \"{}\" not found: create it, or pass --create-namespace",
                escape(target)
            )));
        }
        conn.create_namespace(target, dry).await?;
        let suffix = if dry { " (dry run)" } else { "" };
        eprintln!("namespace/{} created{suffix}", escape(target));
        if dry {
            // Nothing can be read from or written into a namespace that does not exist yet.
            let src = conn.get_pack(source, name).await?;
            return Ok((PersonaPack::from_value(&clean_copy(&src.raw, target)), true));
        }
    }
    match conn.get_pack(target, name).await {
        Ok(existing) => {
            eprintln!(
                "{} \"{}\" already present in namespace \"{}\": enabling that copy",
                conn.era().singular(),
                escape(name),
                escape(target)
            );
            return Ok((existing, false));
        }
        Err(e) if e.is_not_found() => {}
        Err(e) => return Err(e),
    }
    let src = conn.get_pack(source, name).await?;
    let obj = clean_copy(&src.raw, target);
    let created = conn.create_pack(target, &obj, dry).await?;
    eprintln!(
        "{}/{} copied from namespace \"{}\" to \"{}\"{}",
        conn.era().qualified(),
        escape(name),
        escape(source),
        escape(target),
        if dry { " (dry run)" } else { "" }
    );
    Ok((PersonaPack::from_value(if dry { &obj } else { &created }), true))
}

/// The pack `src` as a new object in `target`: name, labels, annotations
/// (without kubectl's last-applied copy) and spec (without `enabled`, the
/// source's credentials and its exclusions); no status, owners, finalizers.
fn clean_copy(src: &Value, target: &str) -> Value {
    let mut spec = src["spec"].clone();
    if let Some(m) = spec.as_object_mut() {
        m.remove("enabled");
        m.remove("authRefs"); // the source's credentials live in the source namespace
        m.remove("excludePersonas"); // a new team starts whole; --exclude says otherwise
    }
    let mut meta = json!({"name": src["metadata"]["name"], "namespace": target});
    for k in ["labels", "annotations"] {
        if let Some(v) = src["metadata"].get(k).filter(|v| v.is_object()) {
            meta[k] = v.clone();
        }
    }
    if let Some(a) = meta["annotations"].as_object_mut() {
        a.remove("kubectl.kubernetes.io/last-applied-configuration");
        if a.is_empty() {
            meta.as_object_mut().map(|m| m.remove("annotations"));
        }
    }
    json!({"apiVersion": src["apiVersion"], "kind": src["kind"], "metadata": meta, "spec": spec})
}

/// Does a flag read standard input? Then no prompt can read the terminal.
fn reads_stdin(args: &Args) -> bool {
    args.api_key_stdin || args.github_token_stdin || args.channel_token_stdin.is_some()
}
