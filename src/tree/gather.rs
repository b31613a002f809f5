//! What a pack's tree is made of, read in one round of requests sent at
//! once (the one part of `tree/` that asks the cluster): the pack, a fixed
//! family of kinds listed by Sympozium's labels (no discovery, so the
//! request count does not grow with unrelated kinds or objects) — whole
//! objects for the kinds whose READY/STATUS need them, which unrelated
//! objects never carry the labels of, metadata for the rest — and the
//! namespace's Secrets' metadata, where the ones the pack names are found.
//! Only what the first round could not read (a Secret list refused, nodes of
//! `--all-kinds`, whose lists are metadata) takes a second.

use std::collections::HashSet;

use futures::{StreamExt, stream};
use serde_json::Value;

use super::{Link, Node, Obj, Relation};
use crate::cluster::Connection;
use crate::cluster::discovery::Resource;
use crate::error::Result;
use crate::escape::escape;
use crate::model::{Era, GROUP};
use crate::output::warn_unreadable;

/// What the tree is asked to show.
pub struct Ask {
    pub pack: String,
    /// Every kind (discovered), not only Sympozium's family.
    pub all_kinds: bool,
    /// The newest runs kept per schedule (0: all).
    pub runs: usize,
    pub depth: Option<usize>,
    pub condition_types: Vec<String>,
    /// Say nothing of the runs left out (a watch redraws).
    pub quiet: bool,
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

/// What an Ensemble's shared memory is made of (v0.10 `reconcileSharedMemory`).
const SHARED_MEMORY: &[&str] = &["deployments", "services", "persistentvolumeclaims"];

/// Kinds whose READY/STATUS need the full object.
const WITH_STATUS: &[&str] = &[
    "SympoziumInstance",
    "Agent",
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

/// Requests in flight at once: a round is sent whole (kube speaks HTTP/1.1,
/// so each is a connection of its own, opened in parallel).
const CONCURRENCY: usize = 48;

/// The kinds the default tree lists, as Kubernetes and Sympozium serve them
/// (group, version, kind, plural): no discovery round for known kinds. The
/// agent kind (SympoziumInstance, Agent) is the era's, added by `known_resources`.
const KNOWN: &[(&str, &str, &str, &str)] = &[
    ("", "v1", "ConfigMap", "configmaps"),
    ("", "v1", "Secret", "secrets"),
    ("", "v1", "Service", "services"),
    ("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"),
    ("", "v1", "Pod", "pods"),
    ("", "v1", "ServiceAccount", "serviceaccounts"),
    ("apps", "v1", "Deployment", "deployments"),
    ("apps", "v1", "ReplicaSet", "replicasets"),
    ("apps", "v1", "StatefulSet", "statefulsets"),
    ("batch", "v1", "Job", "jobs"),
    ("batch", "v1", "CronJob", "cronjobs"),
    ("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies"),
    ("rbac.authorization.k8s.io", "v1", "Role", "roles"),
    ("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
    (GROUP, "v1alpha1", "AgentRun", "agentruns"),
    (GROUP, "v1alpha1", "MCPServer", "mcpservers"),
    (GROUP, "v1alpha1", "SkillPack", "skillpacks"),
    (GROUP, "v1alpha1", "SympoziumConfig", "sympoziumconfigs"),
    (GROUP, "v1alpha1", "SympoziumPolicy", "sympoziumpolicies"),
    (GROUP, "v1alpha1", "SympoziumSchedule", "sympoziumschedules"),
];

pub fn known_resources(era: Era) -> Vec<Resource> {
    let (agent, agents) = era.agent_kind();
    KNOWN
        .iter()
        .chain(&[(GROUP, "v1alpha1", agent, agents)])
        .map(|(group, version, kind, plural)| Resource {
            group: group.to_string(),
            version: version.to_string(),
            kind: kind.to_string(),
            plural: plural.to_string(),
            namespaced: true,
            listable: true,
        })
        .collect()
}

/// One query: a kind, and the label selector narrowing it (None: everything).
struct Query<'a> {
    resource: &'a Resource,
    selector: Option<String>,
}

impl Query<'_> {
    /// Whole objects (their status) rather than metadata: a label-selected
    /// kind whose READY/STATUS the tree shows.
    fn whole(&self) -> bool {
        self.selector.is_some() && WITH_STATUS.contains(&self.resource.kind.as_str())
    }
}

/// A list's objects, and the whole ones among them (for health).
type Listed = (Vec<Obj>, Vec<Value>);

/// Which kinds to list, narrowed how (by the pack's name alone).
fn queries<'a>(era: Era, args: &Ask, resources: &'a [Resource]) -> Vec<Query<'a>> {
    let name = &args.pack;
    let candidates: Vec<&Resource> = resources
        .iter()
        .filter(|r| r.namespaced && r.listable)
        .filter(|r| args.all_kinds || r.group == GROUP || FAMILY.contains(&(r.group.as_str(), r.plural.as_str())))
        .filter(|r| !(r.group == GROUP && Era::ALL.iter().any(|e| e.plural() == r.plural)))
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
        // v0.9+ also labels an ensemble's shared memory (Deployment, Service, PVC) with it.
        let shared_memory = era == Era::Ensemble && SHARED_MEMORY.contains(&r.plural.as_str());
        let by_pack = r.group == GROUP || r.plural == "configmaps" || r.plural == "secrets" || shared_memory;
        if by_pack && crate::model::is_label_value(name) {
            queries.push(Query { resource: r, selector: Some(format!("{}={name}", era.label_pack())) });
        }
    }
    queries
}

/// The tree of the pack `args` names, its nodes' health read.
pub async fn pack_tree(conn: &Connection, ns: &str, args: &Ask, resources: &[Resource]) -> Result<Node> {
    // The selectors need only the pack's name, so the lists go out with the
    // read of the pack, in one round.
    let name = &args.pack;
    let queries = queries(conn.era(), args, resources);
    let known = !args.all_kinds;
    let secrets_ar = secrets_resource();
    let secret_list = conn.list_metadata(&secrets_ar, ns, None);
    let (raw, lists, secret_list) = futures::join!(
        conn.get_pack(ns, name),
        stream::iter(queries).map(|q| list(conn, ns, q, known)).buffer_unordered(CONCURRENCY).collect::<Vec<_>>(),
        secret_list,
    );
    let pack = raw?;
    let raw = &pack.raw;
    warn_unreadable(pack.era.singular(), ns, &pack.meta.name, &pack.warnings);
    let root = Obj::from_meta(raw["apiVersion"].as_str().unwrap_or_default(), pack.era.kind(), raw);
    let mut seen = HashSet::new();
    let mut warned = HashSet::new();
    let mut objects: Vec<Obj> = Vec::new();
    let mut whole = std::collections::HashMap::new();
    for list in lists {
        match list {
            Ok((objs, full)) => {
                whole.extend(
                    full.into_iter().map(|v| ((v["kind"].as_str().unwrap_or_default().to_string(), name_of(&v)), v)),
                );
                objects.extend(objs.into_iter().filter(|o| seen.insert(o.uid.clone())));
            }
            Err(Some(warning)) if warned.insert(warning.clone()) => eprintln!("{warning}"),
            Err(_) => {}
        }
    }

    // The newest runs only: a team's history is `runs`'s to show.
    let (objects, hidden_runs) = super::latest_runs(objects, args.runs);
    if hidden_runs > 0 && !args.quiet {
        eprintln!(
            "({hidden_runs} older run{} not shown: --runs 0 shows every run)",
            if hidden_runs == 1 { "" } else { "s" }
        );
    }
    let mut links = super::memory_links(&pack, &objects, &root);
    let secrets = super::named_secrets(&pack);
    let expected = super::missing(&pack, &objects, &root);
    let unseeded = super::unseeded(&pack, &objects);
    // What the first round left: the full objects of nodes listed as
    // metadata (`--all-kinds`), and the named Secrets if their list was refused.
    let shown = super::build(&root, &objects, &links, &expected, args.depth);
    let listed: Option<Vec<crate::model::Meta>> =
        secret_list.ok().map(|l| l.iter().map(crate::model::Meta::from_value).collect());
    let (mut health, metas) =
        futures::join!(fetch_health(conn, ns, &shown, resources, &whole), named_secrets(conn, ns, &secrets, listed));
    health.extend(whole);
    links.extend(secret_links(ns, &root, secrets, metas)?);
    let mut tree = super::build(&root, &objects, &links, &expected, args.depth);
    tree.walk_mut(&mut |n| {
        if n.kind == "ConfigMap" && unseeded.contains(&n.name) {
            n.reason = Some("SeedsNotApplied".into());
            n.status = Some("NotSeeded".into());
        }
    });
    tree.status = pack.status.phase.clone();
    tree.walk_mut(&mut |n| {
        if n.relation != Relation::Owned || n.note.is_some() {
            return;
        }
        if let Some(obj) = health.get(&(n.kind.clone(), n.name.clone())) {
            let h = super::health(obj, &args.condition_types);
            n.ready = h.ready;
            n.reason = h.reason;
            n.status = h.status;
        }
    });
    Ok(tree)
}

/// The metadata of the Secrets the pack names: from the namespace's list,
/// or (the list refused) read one by one.
async fn named_secrets(
    conn: &Connection,
    ns: &str,
    secrets: &[(String, String)],
    listed: Option<Vec<crate::model::Meta>>,
) -> Vec<Result<Option<crate::model::Meta>>> {
    futures::future::join_all(secrets.iter().map(|(s, _)| {
        let found = listed.as_ref().map(|l| l.iter().find(|m| &m.name == s).cloned());
        async move {
            match found {
                Some(meta) => Ok(meta),
                None => conn.secret_meta(ns, s).await,
            }
        }
    }))
    .await
}

/// The Secrets the pack names that exist, linked under it (a Secret the user
/// may not read is left out, with a warning).
fn secret_links(
    ns: &str,
    root: &Obj,
    secrets: Vec<(String, String)>,
    metas: Vec<Result<Option<crate::model::Meta>>>,
) -> Result<Vec<Link>> {
    let mut links = Vec::new();
    for ((s, why), meta) in secrets.into_iter().zip(metas) {
        match meta {
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
    Ok(links)
}

fn name_of(v: &Value) -> String {
    v["metadata"]["name"].as_str().unwrap_or_default().to_string()
}

fn secrets_resource() -> kube::core::ApiResource {
    kube::core::ApiResource::erase::<k8s_openapi::api::core::v1::Secret>(&())
}

/// One kind in the namespace, every page: whole objects when the query
/// says so, else metadata. A kind the user may not list, or a broken API,
/// gives a warning (printed once the pack was read: its own error comes
/// first); a known kind this server does not serve (an older Sympozium) is
/// skipped quietly.
async fn list(conn: &Connection, ns: &str, q: Query<'_>, known: bool) -> std::result::Result<Listed, Option<String>> {
    let r = q.resource;
    let ar = r.api_resource();
    let items = if q.whole() {
        conn.list_whole(&ar, ns, q.selector.as_deref()).await
    } else {
        conn.list_metadata(&ar, ns, q.selector.as_deref()).await
    };
    match items {
        Ok(mut items) => {
            let objs = items.iter().map(|v| Obj::from_meta(&ar.api_version, &r.kind, v)).collect();
            if !q.whole() {
                return Ok((objs, Vec::new()));
            }
            for v in &mut items {
                v["kind"] = Value::String(r.kind.clone());
            }
            Ok((objs, items))
        }
        Err(e) if known && e.is_not_found() => Err(None),
        Err(e) => {
            let what = if r.group.is_empty() { r.plural.clone() } else { format!("{}.{}", r.plural, r.group) };
            let why = if e.is_forbidden() { "forbidden".to_string() } else { e.report() };
            Err(Some(format!(
                "Warning: cannot list {what} in namespace {}: {why}; the tree may be partial",
                escape(ns)
            )))
        }
    }
}

/// The full objects of the nodes shown whose READY/STATUS need them and
/// that the first round did not bring (`have`), read at once.
async fn fetch_health(
    conn: &Connection,
    ns: &str,
    tree: &Node,
    resources: &[Resource],
    have: &std::collections::HashMap<(String, String), Value>,
) -> std::collections::HashMap<(String, String), Value> {
    let mut wanted: Vec<(String, String)> = Vec::new();
    tree.walk(&mut |n| {
        let key = (n.kind.clone(), n.name.clone());
        if n.relation == Relation::Owned
            && n.note.is_none()
            && WITH_STATUS.contains(&n.kind.as_str())
            && !have.contains_key(&key)
        {
            wanted.push((n.kind.clone(), n.name.clone()));
        }
    });
    stream::iter(wanted)
        .map(|(kind, name)| async move {
            let r = resources.iter().find(|r| r.kind == kind && r.namespaced)?;
            let mut obj = conn.get_object(&r.api_resource(), ns, &name).await.ok().flatten()?;
            obj["kind"] = Value::String(kind.clone());
            Some(((kind, name), obj))
        })
        .buffer_unordered(CONCURRENCY)
        .filter_map(|x| async move { x })
        .collect()
        .await
}
