//! `kubectl personapack render (PACK | -f FILE...)`: the objects the Sympozium
//! v0.8.28 controller stamps for a pack, as YAML or JSON. With -f it runs
//! offline: no kubeconfig, no cluster; `-f` takes what `kubectl apply -f`
//! takes: files, directories (their .yaml, .yml and .json files), `-`.

use std::process::ExitCode;

use serde_json::Value;

use super::{Ctx, warn_unreadable};
use crate::error::{Error, Result};
use crate::escape::escape;
use crate::model::{Era, PersonaPack};
use crate::output::{self, Format, emit};
use crate::stamp;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # The objects the controller stamps for a pack in the cluster
  kubectl personapack render platform-team -n team-a

  # Offline, from a manifest (no kubeconfig needed)
  kubectl personapack render -f platform-team.yaml -o json")]
pub struct Args {
    /// The PersonaPack in the cluster to render
    #[arg(required_unless_present = "filename", conflicts_with = "filename")]
    pub pack: Option<String>,

    /// Render PersonaPacks from YAML or JSON files, directories or "-" (stdin), offline (repeatable)
    #[arg(short = 'f', long, value_name = "FILE")]
    pub filename: Vec<String>,

    /// Output format: yaml (default, one document per object) or json (a List)
    #[arg(short = 'o', long, value_parser = output::Offered(&[Format::Yaml, Format::Json]))]
    pub output: Option<Format>,
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    output::only(args.output, &[Format::Yaml, Format::Json])?;
    // Offline, a modelRef is taken as not Ready (nothing to resolve it against).
    let packs: Vec<(PersonaPack, Option<String>)> = match args.filename.is_empty() {
        false => from_files(&args.filename, ctx.conn.namespace.as_deref())?.into_iter().map(|p| (p, None)).collect(),
        true => {
            let conn = ctx.conn.connect().await?;
            let name = args.pack.clone().unwrap_or_default();
            let pack = conn.get_pack(&conn.namespace, &name).await?;
            let endpoint = conn.model_endpoint(&pack).await?;
            vec![(pack, endpoint)]
        }
    };
    let mut objects = Vec::new();
    for (p, endpoint) in &packs {
        warn_unreadable(p.era.singular(), &p.meta.namespace, &p.meta.name, &p.warnings);
        if !p.spec.enabled {
            eprintln!(
                "Warning: {} \"{}\" is disabled: the controller creates these objects once it is enabled",
                p.era.singular(),
                escape(&p.meta.name)
            );
        }
        objects.extend(stamp::render(p, endpoint.as_deref()));
    }
    let text = match args.output {
        Some(Format::Json) => output::document(objects, false, Format::Json)?,
        Some(Format::Yaml) | None => {
            let mut out = String::new();
            for (i, o) in objects.iter().enumerate() {
                if i > 0 {
                    out.push_str("---\n");
                }
                out.push_str(&output::serialize(o, Format::Yaml)?);
            }
            out
        }
        Some(_) => unreachable!("refused by output::only above"),
    };
    emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Every PersonaPack in the files, directories and `-` given (`files`);
/// namespace from the document, else -n, else `default`.
fn from_files(files: &[String], namespace: Option<&str>) -> Result<Vec<PersonaPack>> {
    let mut packs = Vec::new();
    for (_, mut d) in manifests(files)? {
        if d["metadata"]["namespace"].as_str().is_none_or(str::is_empty) {
            d["metadata"]["namespace"] = Value::String(namespace.unwrap_or("default").to_string());
        }
        packs.push(PersonaPack::from_value(&d));
    }
    Ok(packs)
}

/// Every PersonaPack or Ensemble document, as written, with its file: from
/// files, directories (their .yaml, .yml and .json files, in name order, not
/// recursing, as kubectl) and `-`. What `render -f` and `migrate -f` read.
pub(super) fn manifests(files: &[String]) -> Result<Vec<(String, Value)>> {
    let mut docs = Vec::new();
    for file in files {
        let path = std::path::Path::new(file);
        if file != "-" && path.is_dir() {
            let mut entries: Vec<String> = std::fs::read_dir(path)
                .map_err(|e| Error::usage(format!("reading {}: {e}", escape(file))))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json"))
                .map(|p| p.display().to_string())
                .collect();
            entries.sort();
            if entries.is_empty() {
                return Err(Error::usage(format!("{}: no .yaml, .yml or .json file in the directory", escape(file))));
            }
            for entry in entries {
                docs.extend(documents(&entry)?.into_iter().map(|d| (entry.clone(), d)));
            }
        } else {
            docs.extend(documents(file)?.into_iter().map(|d| (file.clone(), d)));
        }
    }
    Ok(docs)
}

/// Every PersonaPack or Ensemble document in a file (a `kind: List` opened).
fn documents(file: &str) -> Result<Vec<Value>> {
    let text = if file == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| Error::usage(format!("reading stdin: {e}")))?
    } else {
        std::fs::read_to_string(file).map_err(|e| Error::usage(format!("reading {}: {e}", escape(file))))?
    };
    let docs: Vec<Value> = serde_saphyr::from_multiple(&text)
        .map_err(|e| Error::usage(format!("{}: not YAML or JSON: {e}", escape(file))))?;
    let docs: Vec<Value> = docs
        .into_iter()
        .filter(|d| !d.is_null())
        .flat_map(|d| match (d["kind"].as_str(), &d["items"]) {
            (Some("List"), Value::Array(items)) => items.clone(),
            _ => vec![d],
        })
        .collect();
    for d in &docs {
        if d["kind"].as_str().and_then(Era::of_kind).is_none() {
            return Err(Error::usage(format!(
                "{}: expected kind PersonaPack or Ensemble (sympozium.ai/v1alpha1), found {}",
                escape(file),
                escape(d["kind"].as_str().unwrap_or("no kind"))
            )));
        }
    }
    if docs.is_empty() {
        return Err(Error::usage(format!("{}: no PersonaPack or Ensemble found", escape(file))));
    }
    Ok(docs)
}
