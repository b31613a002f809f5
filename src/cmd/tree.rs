//! `kubectl personapack tree PACK`: everything a pack generated, as an
//! ownership tree. Fast by design: the pack's namespace only, metadata-only
//! lists narrowed by Sympozium's labels over a fixed family of kinds (so the
//! request count does not grow with unrelated kinds), aggregated discovery,
//! bounded concurrency, and full objects fetched only for the nodes shown.

use std::collections::HashSet;
use std::process::ExitCode;

use futures::{StreamExt, stream};
use jiff::Timestamp;
use serde_json::Value;

use super::{Ctx, warn_unreadable};
use crate::cluster::Connection;
use crate::cluster::discovery::{self, Resource};
use crate::error::Result;
use crate::model::{GROUP, LABEL_PACK, PersonaPack, instance_name, memory_name, schedule_name};
use crate::output::{self, Format, emit, escape};
use crate::tree::{self, Expected, Link, Node, Obj, Relation};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The PersonaPack whose tree to show
    pub pack: String,

    /// Output format: json or yaml give the nested tree as a document
    #[arg(short = 'o', long, value_enum)]
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
}

/// Kinds Sympozium and Kubernetes create under a pack's instances (beside
/// everything in group sympozium.ai): (group, plural).
const FAMILY: &[(&str, &str)] = &[
    ("", "configmaps"),
    ("", "secrets"),
    ("", "services"),
    ("", "persistentvolumeclaims"),
    ("", "pods"),
    ("", "serviceaccounts"),
    ("apps", "deployments"),
    ("apps", "replicasets"),
    ("apps", "statefulsets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
    ("networking.k8s.io", "networkpolicies"),
    ("rbac.authorization.k8s.io", "roles"),
    ("rbac.authorization.k8s.io", "rolebindings"),
];

/// The label Sympozium's AgentRun controller puts on what it creates for a run.
const LABEL_RUN: &str = "sympozium.ai/agent-run";

/// Kinds (plurals) the AgentRun controller creates labelled with `LABEL_RUN`
/// but not `sympozium.ai/instance`: input and mirror ConfigMaps, workspace
/// PVCs, lifecycle Roles and RoleBindings (v0.8.28
/// `internal/controller/agentrun_controller.go`; its Jobs and their Pods carry both).
const RUN_OWNED: &[&str] = &["configmaps", "persistentvolumeclaims", "roles", "rolebindings"];

/// Kinds whose READY/STATUS need the full object.
const WITH_STATUS: &[&str] = &[
    "SympoziumInstance",
    "SympoziumSchedule",
    "AgentRun",
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "Pod",
    "Job",
    "PersistentVolumeClaim",
    "Service",
];

/// Requests in flight at once.
const CONCURRENCY: usize = 8;

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    output::only(args.output, &[Format::Json, Format::Yaml])?;
    let conn = ctx.conn.connect().await?;
    let namespace = conn.namespace.clone();
    let resources = discovery::resources(&conn).await?;
    let mut redraw = output::Redraw::default();
    loop {
        let tree = fetch(&conn, &namespace, &args, &resources).await?;
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
        if !output::next_watch_tick().await {
            return Ok(ExitCode::SUCCESS);
        }
    }
}

/// One query: a kind, and the label selector narrowing it (None: everything).
struct Query<'a> {
    resource: &'a Resource,
    selector: Option<String>,
}

async fn fetch(conn: &Connection, ns: &str, args: &Args, resources: &[Resource]) -> Result<Node> {
    let raw = conn.get_pack(ns, &args.pack).await?;
    let pack = PersonaPack::from_value(&raw);
    warn_unreadable("personapack", ns, &pack.meta.name, &pack.warnings);
    let name = &pack.meta.name;
    let root = Obj::from_meta(raw["apiVersion"].as_str().unwrap_or_default(), "PersonaPack", &raw);

    // Which kinds, narrowed how.
    let candidates: Vec<&Resource> = resources
        .iter()
        .filter(|r| r.namespaced && r.listable)
        .filter(|r| args.all_kinds || r.group == GROUP || FAMILY.contains(&(r.group.as_str(), r.plural.as_str())))
        .filter(|r| !(r.group == GROUP && r.plural == "personapacks"))
        .collect();
    let mut queries = Vec::new();
    for r in &candidates {
        if args.all_kinds {
            queries.push(Query { resource: r, selector: None });
            continue;
        }
        // Everything Sympozium's instance controller creates carries
        // sympozium.ai/instance, what its AgentRun controller creates for a
        // run (input ConfigMaps, lifecycle RBAC, workspace PVCs) carries
        // sympozium.ai/agent-run, and the pack controller's objects carry the
        // pack label: three selectors cover every depth of the tree.
        queries.push(Query { resource: r, selector: Some("sympozium.ai/instance".into()) });
        if RUN_OWNED.contains(&r.plural.as_str()) {
            queries.push(Query { resource: r, selector: Some(LABEL_RUN.into()) });
        }
        if r.group == GROUP || r.plural == "configmaps" || r.plural == "secrets" {
            queries.push(Query { resource: r, selector: Some(format!("{LABEL_PACK}={name}")) });
        }
    }
    let lists: Vec<Option<Vec<Obj>>> =
        stream::iter(queries).map(|q| list_meta(conn, ns, q)).buffer_unordered(CONCURRENCY).collect().await;
    let mut seen = HashSet::new();
    let objects: Vec<Obj> = lists.into_iter().flatten().flatten().filter(|o| seen.insert(o.uid.clone())).collect();

    // Links: memory ConfigMaps by name, credential and channel Secrets by reference.
    let mut links = Vec::new();
    for p in &pack.spec.personas {
        let mname = memory_name(name, &p.name);
        if let Some(cm) = objects.iter().find(|o| o.kind == "ConfigMap" && o.name == mname) {
            let parent = objects
                .iter()
                .find(|o| o.kind == "SympoziumInstance" && o.name == instance_name(name, &p.name))
                .map(|o| o.uid.clone())
                .unwrap_or_else(|| root.uid.clone());
            links.push(Link { obj: cm.clone(), parent, why: "memory of persona ".to_string() + &p.name });
        }
    }
    let mut secrets: Vec<(String, String)> =
        pack.auth_secrets().into_iter().map(|s| (s.to_string(), "authRefs".to_string())).collect();
    for (ch, s) in &pack.spec.channel_configs {
        if !s.is_empty() {
            secrets.push((s.clone(), format!("channelConfigs.{ch}")));
        }
    }
    for (s, why) in secrets {
        match conn.secret_meta(ns, &s).await {
            Ok(Some(meta)) => {
                let obj = Obj {
                    api_version: "v1".into(),
                    kind: "Secret".into(),
                    namespace: ns.to_string(),
                    name: s.clone(),
                    uid: meta.uid.clone(),
                    owners: vec![],
                    created: meta.created,
                };
                links.push(Link { obj, parent: root.uid.clone(), why });
            }
            Ok(None) => {}
            Err(e) if e.is_forbidden() => {
                eprintln!("Warning: cannot read Secret {} ({why}): forbidden; not shown", escape(&s))
            }
            Err(e) => return Err(e),
        }
    }

    // What the spec says should be there (only while the pack is enabled).
    let mut expected = Vec::new();
    if pack.spec.enabled {
        let has = |kind: &str, n: &str| objects.iter().any(|o| o.kind == kind && o.name == n);
        for p in pack.active_personas() {
            let iname = instance_name(name, &p.name);
            if !has("SympoziumInstance", &iname) {
                expected.push(Expected {
                    api_version: format!("{GROUP}/v1alpha1"),
                    kind: "SympoziumInstance".into(),
                    name: iname,
                    parent: root.uid.clone(),
                });
            }
            let mname = memory_name(name, &p.name);
            if p.memory.as_ref().is_some_and(|m| !m.seeds.is_empty()) && !has("ConfigMap", &mname) {
                expected.push(Expected {
                    api_version: "v1".into(),
                    kind: "ConfigMap".into(),
                    name: mname,
                    parent: root.uid.clone(),
                });
            }
            let sname = schedule_name(name, &p.name);
            if p.schedule.is_some() && !has("SympoziumSchedule", &sname) {
                expected.push(Expected {
                    api_version: format!("{GROUP}/v1alpha1"),
                    kind: "SympoziumSchedule".into(),
                    name: sname,
                    parent: root.uid.clone(),
                });
            }
        }
    }

    // Memory the SympoziumInstance controller created first (it owns it; the
    // pack controller's seeded memory has no owner): the seeds are missing.
    let unseeded: HashSet<String> = pack
        .active_personas()
        .filter(|p| p.memory.as_ref().is_some_and(|m| !m.seeds.is_empty()))
        .map(|p| memory_name(name, &p.name))
        .filter(|m| objects.iter().any(|o| o.kind == "ConfigMap" && &o.name == m && !o.owners.is_empty()))
        .collect();
    let mut tree = tree::build(&root, &objects, &links, &expected, args.depth);
    tree.walk_mut(&mut |n| {
        if n.kind == "ConfigMap" && unseeded.contains(&n.name) {
            n.reason = Some("SeedsNotApplied".into());
            n.status = Some("NotSeeded".into());
        }
    });
    tree.status = pack.status.phase.clone();
    fill_health(conn, ns, &mut tree, resources, &args.condition_types).await;
    Ok(tree)
}

/// Metadata-only list of one kind in the namespace, every page. A kind the
/// user may not list, or a broken API, is skipped with a warning.
async fn list_meta(conn: &Connection, ns: &str, q: Query<'_>) -> Option<Vec<Obj>> {
    let r = q.resource;
    let api_version = r.api_resource().api_version;
    match conn.list_metadata(&r.api_resource(), ns, q.selector.as_deref()).await {
        Ok(items) => Some(items.iter().map(|v| Obj::from_meta(&api_version, &r.kind, v)).collect()),
        Err(e) => {
            let what = if r.group.is_empty() { r.plural.clone() } else { format!("{}.{}", r.plural, r.group) };
            let why = if e.is_forbidden() { "forbidden".to_string() } else { e.report() };
            eprintln!("Warning: cannot list {what} in namespace {}: {why}; the tree may be partial", escape(ns));
            None
        }
    }
}

/// READY/REASON/STATUS for the nodes shown, from their full objects.
async fn fill_health(conn: &Connection, ns: &str, tree: &mut Node, resources: &[Resource], types: &[String]) {
    let mut wanted: Vec<(String, String)> = Vec::new();
    tree.walk_mut(&mut |n| {
        if n.relation == Relation::Owned && n.note.is_none() && WITH_STATUS.contains(&n.kind.as_str()) {
            wanted.push((n.kind.clone(), n.name.clone()));
        }
    });
    let fetched: std::collections::HashMap<(String, String), Option<Value>> = stream::iter(wanted)
        .map(|(kind, name)| async move {
            let Some(r) = resources.iter().find(|r| r.kind == kind && r.namespaced) else {
                return ((kind, name), None);
            };
            let obj = conn.get_object(&r.api_resource(), ns, &name).await.ok().flatten().map(|mut v| {
                v["kind"] = Value::String(kind.clone());
                v
            });
            ((kind, name), obj)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    tree.walk_mut(&mut |n| {
        if n.relation != Relation::Owned || n.note.is_some() {
            return;
        }
        if let Some(Some(obj)) = fetched.get(&(n.kind.clone(), n.name.clone())) {
            let h = tree::health(obj, types);
            n.ready = h.ready;
            n.reason = h.reason;
            n.status = h.status;
        }
    });
}
