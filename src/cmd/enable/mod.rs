//! `kubectl personapack enable PACK`: credentials as upstream names them, one
//! minimal merge patch, optional wait. Its flags are in `flags.rs`; with a
//! terminal and missing answers, the wizard (`wizard.rs`) asks for them first.

mod flags;
mod wizard;

pub use flags::Args;
use flags::request_with;

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use serde_json::{Value, json};

use super::{Ctx, DryRun, warn_unreadable};
use crate::activation::{self, Credential, EnablePlan, KeyNeed, Provider, Written};
use crate::cluster::Connection;
use crate::cluster::guard;
use crate::error::{Error, Result};
use crate::model::PersonaPack;
use crate::output::{self, Format, emit, escape};

pub async fn run(mut args: Args, ctx: &Ctx) -> Result<ExitCode> {
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
    let mut early_key = read_key(&args)?;
    let conn = ctx.conn.connect().await?;
    let interactive = std::io::stdin().is_terminal() && !args.yes && !args.api_key_stdin;
    let source_ns = conn.namespace.clone();

    let mut credential = None;
    let mut wizard = false;
    if args.pack.is_none() || (interactive && args.provider.is_none() && args.persona.is_empty()) {
        if !interactive {
            return Err(Error::usage("a pack name is required (or run on a terminal for the wizard)"));
        }
        let Some(answers) = wizard::ask(&conn, &source_ns, args).await? else {
            eprintln!("Cancelled: nothing was changed.");
            return Ok(ExitCode::FAILURE);
        };
        args = answers.args;
        credential = answers.credential;
        wizard = true;
    }
    let name = args.pack.clone().unwrap_or_default();

    // The pack to enable: here, or a copy of a catalog pack in --into.
    let namespace = args.into.clone().unwrap_or_else(|| source_ns.clone());
    let dry = args.write.dry.dry_run != DryRun::None;
    let mut created_copy = false;
    let raw = match &args.into {
        Some(target) if *target != source_ns => {
            let (raw, created) = copy_into(&conn, &source_ns, target, &name, dry, args.create_namespace).await?;
            created_copy = created;
            raw
        }
        _ => conn.get_pack(&namespace, &name).await?,
    };
    let pack = PersonaPack::from_value(&raw);
    warn_unreadable("personapack", &pack.meta.namespace, &pack.meta.name, &pack.warnings);

    // The key is read once (stdin cannot be read twice), before any write.
    if credential.is_none()
        && let Some(p) = args.provider.filter(|_| args.secret.is_none())
    {
        credential = read_credential(p, &args, &pack.meta.name, early_key.take())?;
    }
    let req = request_with(&args, credential)?;
    let plan = activation::plan_enable(&pack, &req)?;
    for w in &plan.warnings {
        eprintln!("Warning: {}", escape(w));
    }
    for s in &plan.must_exist {
        if conn.secret_meta(&namespace, s).await?.is_none() {
            return Err(Error::usage(format!(
                "secret \"{}\" not found in namespace \"{}\": create it first, or give the key with --api-key-stdin / --api-key-env",
                escape(s),
                escape(&namespace)
            )));
        }
    }

    // The Secret as it is now: none, ours, or someone else's (refused unless adopted).
    let existing = match &plan.secret {
        Some(s) => conn.get_secret(&namespace, &s.name).await?,
        None => None,
    };
    let change = match &plan.secret {
        Some(s) => Some(secret_change_for(s, &pack.meta.name, existing.as_ref(), args.adopt_secret)?),
        None => None,
    };
    let word = change.as_ref().map(|(w, _)| *w);

    // The pack as it would be after the patch (a client dry run's projection).
    let projected = || {
        let mut after = raw.clone();
        crate::model::merge_patch(&mut after, &plan.patch);
        after
    };
    // With -o, a dry run prints the objects; else the Secret and the patch.
    let dry_output = |pack_after: Value| -> Result<String> {
        let objects = plan.secret.iter().map(|s| s.object(true)).chain([pack_after]).collect();
        super::dry_run_objects(objects, args.write.output.unwrap_or(Format::Yaml))
    };
    if args.write.dry.dry_run == DryRun::Client {
        let text = match args.write.output {
            Some(_) => dry_output(projected())?,
            None => dry_run_text(&pack, &plan, word, "dry run")?,
        };
        emit(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    // A copy made in a dry run does not exist: nothing to validate against.
    let validated = if !(dry && created_copy) {
        // Validate the pack write before writing the Secret: RBAC and schema
        // refusals must leave nothing behind. Unguarded: a concurrent writer
        // is the real patch's business (it re-reads), not a validation failure.
        Some(conn.patch_pack(&namespace, &name, &plan.patch, true).await?)
    } else {
        None
    };
    if args.write.dry.dry_run == DryRun::Server {
        if let (Some(s), Some((w, patch))) = (&plan.secret, &change) {
            conn.write_secret(&namespace, &s.object(false), (*w, patch), true).await?;
        }
        let text = match args.write.output {
            Some(_) => dry_output(validated.unwrap_or_else(projected))?,
            None => dry_run_text(&pack, &plan, word, "server dry run")?,
        };
        emit(&text)?;
        return Ok(ExitCode::SUCCESS);
    }

    let mut out = String::new();
    let mut secret_written = None;
    if let (Some(s), Some((w, patch))) = (&plan.secret, &change) {
        let written = conn.write_secret(&namespace, &s.object(false), (*w, patch), false).await?;
        out.push_str(&format!("secret/{} {}\n", escape(&s.name), written.word()));
        secret_written = Some((s.name.clone(), written, existing));
    }
    super::test_gate().await;

    // The pack patch, re-planned from a fresh read if the pack changed meanwhile.
    let result = conn
        .patch_pack_from_read(&namespace, &name, pack, |p| {
            let plan = activation::plan_enable(p, &req)?;
            Ok((plan.patch, plan.guarded))
        })
        .await;
    let patched = match result {
        Ok(p) => p,
        Err(e) => {
            emit(&out)?;
            return Err(rollback(&conn, &namespace, secret_written, e).await);
        }
    };
    out.push_str(&format!("personapack.sympozium.ai/{} {}\n", escape(&name), patched.word()));
    emit(&out)?;
    super::unused_secrets(&conn, &namespace, &name, &patched.auth_secrets, args.prune_secrets).await?;

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

/// The pack write failed after a Secret was written: undo it — delete a
/// Secret we created, put back the data and labels of one we changed — and
/// say exactly what is left.
async fn rollback(
    conn: &Connection,
    namespace: &str,
    secret: Option<(String, Written, Option<k8s_openapi::api::core::v1::Secret>)>,
    err: Error,
) -> Error {
    let Some((name, written, before)) = secret else { return err };
    let leftover = |what: &str| {
        format!(
            "the Secret {name} was {what} but could not be put back; run the same command again to finish (it is idempotent), or check it: kubectl get secret {name} -n {namespace}"
        )
    };
    let note = match (written, before) {
        (Written::Created, _) => match conn.delete_secret(namespace, &name).await {
            Ok(()) => format!("the Secret {name} created for it was deleted again; nothing is left behind"),
            Err(_) => leftover("created"),
        },
        (Written::Configured, Some(before)) => match conn.restore_secret(namespace, &before).await {
            Ok(()) => format!("the Secret {name} was put back as it was; nothing is left changed"),
            Err(_) => leftover("changed"),
        },
        (Written::Configured, None) | (Written::Unchanged, _) => return err,
    };
    match err {
        Error::Server { reason, message, code, mut hints } => {
            hints.push(format!("The pack was not enabled: {note}."));
            Error::Server { reason, message, code, hints }
        }
        other => {
            Error::usage(format!("{}\nThe pack was not enabled: {note}.", other.report().trim_start_matches("error: ")))
        }
    }
}

/// What writing the provider Secret would do; a Secret of that name that
/// kubectl-personapack did not write for this pack is refused unless adopted.
fn secret_change_for(
    plan: &activation::SecretPlan,
    pack: &str,
    existing: Option<&k8s_openapi::api::core::v1::Secret>,
    adopt: bool,
) -> Result<(Written, Value)> {
    let Some(e) = existing else { return Ok(activation::secret_change(plan, pack, None)) };
    let labels = e.metadata.labels.clone().unwrap_or_default();
    if !adopt && !activation::is_our_secret(&labels, pack) {
        return Err(Error::usage(format!(
            "secret \"{name}\" already exists and was not written by kubectl-personapack for this pack: nothing was changed. Use it as it is with --secret {name}, or write the key into it (its other keys stay; it then counts as this pack's, and disable deletes it) with --adopt-secret",
            name = escape(&plan.name)
        )));
    }
    let data: std::collections::BTreeMap<String, Vec<u8>> =
        e.data.clone().unwrap_or_default().into_iter().map(|(k, v)| (k, v.0)).collect();
    Ok(activation::secret_change(plan, pack, Some((&data, &labels))))
}

/// What `--dry-run` prints: the Secret with redacted values, then the patch.
fn dry_run_text(pack: &PersonaPack, plan: &EnablePlan, secret: Option<Written>, mode: &str) -> Result<String> {
    let mut out = String::new();
    if let Some(s) = &plan.secret {
        out.push_str("# Secret to write (values redacted):\n");
        out.push_str(&output::serialize(&s.object(true), Format::Yaml)?);
        out.push_str("---\n");
    }
    out.push_str(&super::merge_patch_text(pack, &guard(plan.patch.clone(), plan.guarded, pack))?);
    for line in &plan.summary {
        out.push_str(&format!("# - {}\n", escape(line)));
    }
    if let (Some(s), Some(w)) = (&plan.secret, secret) {
        out.push_str(&format!("secret/{} {} ({mode})\n", escape(&s.name), w.word()));
    }
    out.push_str(&format!("personapack.sympozium.ai/{} patched ({mode})\n", escape(&pack.meta.name)));
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
) -> Result<(Value, bool)> {
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
            return Ok((clean_copy(&src, target), true));
        }
    }
    match conn.get_pack(target, name).await {
        Ok(existing) => {
            eprintln!(
                "personapack \"{}\" already present in namespace \"{}\": enabling that copy",
                escape(name),
                escape(target)
            );
            return Ok((existing, false));
        }
        Err(e) if e.is_not_found() => {}
        Err(e) => return Err(e),
    }
    let src = conn.get_pack(source, name).await?;
    let obj = clean_copy(&src, target);
    let created = conn.create_pack(target, &obj, dry).await?;
    eprintln!(
        "personapack.sympozium.ai/{} copied from namespace \"{}\" to \"{}\"{}",
        escape(name),
        escape(source),
        escape(target),
        if dry { " (dry run)" } else { "" }
    );
    Ok((if dry { obj } else { created }, true))
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

/// Turn flags (and the key, already read) into an `EnableRequest`.
/// A portable environment variable name: `[A-Za-z_][A-Za-z0-9_]*`, at most 128.
fn is_env_name(s: &str) -> bool {
    s.len() <= 128
        && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The API key from stdin (`--api-key-stdin`) or an environment variable
/// (`--api-key-env`), if asked for; read before any connection is made.
fn read_key(args: &Args) -> Result<Option<zeroize::Zeroizing<String>>> {
    if args.api_key_stdin {
        let mut s = zeroize::Zeroizing::new(String::new());
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::usage(format!("reading the API key from stdin: {e}")))?;
        let key = zeroize::Zeroizing::new(s.trim_end_matches(['\n', '\r']).to_string());
        if key.is_empty() {
            return Err(Error::usage("--api-key-stdin: standard input was empty"));
        }
        return Ok(Some(key));
    }
    let Some(var) = &args.api_key_env else { return Ok(None) };
    // A key typed where the variable's name belongs must not be echoed back.
    if !is_env_name(var) {
        return Err(Error::usage(
            "--api-key-env takes the NAME of an environment variable that holds the key (the value given is not a variable name, and is not shown)",
        ));
    }
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Ok(Some(zeroize::Zeroizing::new(v))),
        _ => Err(Error::usage(format!("--api-key-env: environment variable {var} is not set"))),
    }
}

/// The credential: bedrock's from the AWS variables; else the key read
/// early (stdin or environment), else a hidden prompt — never an argument
/// value. Keyless providers may have none.
fn read_credential(
    provider: Provider,
    args: &Args,
    pack: &str,
    early: Option<zeroize::Zeroizing<String>>,
) -> Result<Option<Credential>> {
    if provider == Provider::Bedrock {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let region = args
            .aws_region
            .clone()
            .ok_or_else(|| Error::usage("--provider bedrock needs --aws-region (or AWS_REGION)"))?;
        let (Some(id), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) else {
            return Err(Error::usage(
                "--provider bedrock reads its keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            ));
        };
        return Ok(Some(Credential::aws(region, id, secret, env("AWS_SESSION_TOKEN"))));
    }
    let key = if let Some(k) = early {
        Some(k.to_string())
    } else if provider.key_need() != KeyNeed::None && std::io::stdin().is_terminal() && !args.yes {
        let optional = provider.key_need() == KeyNeed::Optional;
        let prompt = format!(
            "API key for {} (stored in Secret {}){}",
            provider.name(),
            provider.secret_name(pack),
            if optional { ", empty for none" } else { "" }
        );
        let key = dialoguer::Password::new()
            .with_prompt(prompt)
            .allow_empty_password(optional)
            .interact()
            .map_err(|e| Error::usage(format!("reading the API key: {e}")))?;
        (!key.is_empty()).then_some(key)
    } else {
        None
    };
    Ok(key.map(|k| Credential::api_key(provider, k)))
}
