//! The ownership tree of a pack, pure: build it from object metadata (owned
//! by UID at any depth, plus objects linked by name or label, plus expected
//! objects that are missing), judge each node's health, render it the way
//! kubectl-tree does, or as a nested document. `cmd/tree.rs` fetches.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::color::Palette;
use crate::output::{self, Cell};

/// What the graph needs of an object (read from metadata-only lists).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Obj {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub owners: Vec<String>,
    pub created: Option<Timestamp>,
}

impl Obj {
    /// From a (partial) object's JSON: `apiVersion`/`kind` given separately
    /// because metadata lists do not repeat them per item.
    pub fn from_meta(api_version: &str, kind: &str, v: &Value) -> Obj {
        let m = &v["metadata"];
        let s = |k: &str| m[k].as_str().unwrap_or_default().to_string();
        Obj {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
            namespace: s("namespace"),
            name: s("name"),
            uid: s("uid"),
            owners: m["ownerReferences"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|o| o["uid"].as_str().map(String::from))
                .collect(),
            created: m["creationTimestamp"].as_str().and_then(|t| t.parse().ok()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// Reached through ownerReferences.
    Owned,
    /// Tied by Sympozium's names or labels, without an ownerReference.
    Linked,
    /// Expected from the spec, not found.
    Missing,
}

/// READY / REASON / STATUS of one object.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Health {
    pub ready: Option<String>,
    pub reason: Option<String>,
    pub status: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub relation: Relation,
    pub ready: Option<String>,
    pub reason: Option<String>,
    pub status: Option<String>,
    /// Why a linked node is linked, or that a repeated node is shown above.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip)]
    pub created: Option<Timestamp>,
    pub children: Vec<Node>,
}

impl Node {
    fn new(o: &Obj, relation: Relation) -> Node {
        Node {
            api_version: o.api_version.clone(),
            kind: o.kind.clone(),
            namespace: o.namespace.clone(),
            name: o.name.clone(),
            uid: o.uid.clone(),
            relation,
            ready: None,
            reason: None,
            status: None,
            note: None,
            created: o.created,
            children: Vec::new(),
        }
    }

    pub fn count(&self) -> usize {
        1 + self.children.iter().map(Node::count).sum::<usize>()
    }

    /// Visit every node (for fetching health of the nodes shown).
    pub fn walk_mut(&mut self, f: &mut impl FnMut(&mut Node)) {
        f(self);
        for c in &mut self.children {
            c.walk_mut(f);
        }
    }

    /// Cut everything deeper than `depth` (the root is depth 0).
    pub fn prune(&mut self, depth: usize) {
        if depth == 0 {
            self.children.clear();
        }
        for c in &mut self.children {
            c.prune(depth.saturating_sub(1));
        }
    }
}

/// An object tied to the tree without an ownerReference, and where it hangs.
#[derive(Clone, Debug)]
pub struct Link {
    pub obj: Obj,
    /// UID of the node to hang it under (an instance, or the pack).
    pub parent: String,
    pub why: String,
}

/// An object the spec says should exist but does not.
#[derive(Clone, Debug)]
pub struct Expected {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub parent: String,
}

/// Build the tree under `root` from `objects` (any kinds, any order).
/// Cycles are cut; an object with several owners in the tree is shown under
/// each, expanded only the first time.
pub fn build(root: &Obj, objects: &[Obj], links: &[Link], expected: &[Expected]) -> Node {
    let mut children: HashMap<&str, Vec<&Obj>> = HashMap::new();
    for o in objects {
        for owner in &o.owners {
            children.entry(owner.as_str()).or_default().push(o);
        }
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| (&a.kind, &a.name).cmp(&(&b.kind, &b.name)));
        list.dedup_by(|a, b| a.uid == b.uid);
    }
    let mut expanded = HashSet::new();
    let mut path = HashSet::new();
    let mut tree = grow(root, Relation::Owned, &children, &mut expanded, &mut path);

    // Linked objects already in the tree as owned need no second appearance.
    let mut present = HashSet::new();
    tree.walk_mut(&mut |n| {
        present.insert(n.uid.clone());
    });
    let mut by_parent: BTreeMap<&str, Vec<Node>> = BTreeMap::new();
    for l in links {
        if present.contains(&l.obj.uid) {
            continue;
        }
        present.insert(l.obj.uid.clone());
        let mut n = Node::new(&l.obj, Relation::Linked);
        n.note = Some(l.why.clone());
        by_parent.entry(l.parent.as_str()).or_default().push(n);
    }
    for e in expected {
        let o = Obj {
            api_version: e.api_version.clone(),
            kind: e.kind.clone(),
            namespace: root.namespace.clone(),
            name: e.name.clone(),
            ..Default::default()
        };
        let mut n = Node::new(&o, Relation::Missing);
        n.status = Some("Missing".into());
        by_parent.entry(e.parent.as_str()).or_default().push(n);
    }
    tree.walk_mut(&mut |n| {
        if let Some(extra) = by_parent.remove(n.uid.as_str()) {
            n.children.extend(extra);
            n.children.sort_by(|a, b| (&a.kind, &a.name).cmp(&(&b.kind, &b.name)));
        }
    });
    // Anything whose parent is not in the tree hangs under the root.
    for (_, extra) in by_parent {
        tree.children.extend(extra);
    }
    tree
}

fn grow(
    o: &Obj,
    relation: Relation,
    children: &HashMap<&str, Vec<&Obj>>,
    expanded: &mut HashSet<String>,
    path: &mut HashSet<String>,
) -> Node {
    let mut node = Node::new(o, relation);
    if !expanded.insert(o.uid.clone()) {
        node.note = Some("shown above".into());
        return node;
    }
    path.insert(o.uid.clone());
    for c in children.get(o.uid.as_str()).into_iter().flatten() {
        if path.contains(&c.uid) {
            continue; // an ownership cycle: never loop
        }
        node.children.push(grow(c, Relation::Owned, children, expanded, path));
    }
    path.remove(&o.uid);
    node
}

/// READY and REASON from the first condition of `types` present, STATUS from
/// the object's own state (phase, replicas, job outcome).
pub fn health(obj: &Value, types: &[String]) -> Health {
    let status = &obj["status"];
    let conditions = status["conditions"].as_array();
    let cond = types.iter().find_map(|t| conditions.into_iter().flatten().find(|c| c["type"].as_str() == Some(t)));
    let s = |v: &Value| v.as_str().map(String::from);
    let kind = obj["kind"].as_str().unwrap_or_default();
    let computed = match kind {
        "Deployment" | "StatefulSet" | "ReplicaSet" => {
            let want = obj["spec"]["replicas"].as_i64().unwrap_or(1);
            let ready = status["readyReplicas"].as_i64().unwrap_or(0);
            Some(format!("{ready}/{want} ready"))
        }
        "Job" => {
            let done = |t: &str| {
                conditions
                    .into_iter()
                    .flatten()
                    .any(|c| c["type"].as_str() == Some(t) && c["status"].as_str() == Some("True"))
            };
            Some(
                if done("Complete") {
                    "Complete"
                } else if done("Failed") {
                    "Failed"
                } else if status["active"].as_i64().unwrap_or(0) > 0 {
                    "Running"
                } else {
                    "Pending"
                }
                .to_string(),
            )
        }
        "Service" => s(&obj["spec"]["type"]),
        _ => None,
    };
    let status_word = s(&status["phase"]).or(computed).or_else(|| {
        // Suspended schedules and Sympozium's own states show as they are.
        obj["spec"]["suspend"].as_bool().filter(|b| *b).map(|_| "Suspended".to_string())
    });
    Health {
        ready: cond.and_then(|c| s(&c["status"])),
        reason: cond.and_then(|c| s(&c["reason"])).filter(|r| !r.is_empty()),
        status: status_word,
    }
}

/// The kubectl-tree table: NAMESPACE NAME READY REASON STATUS AGE.
pub fn render(tree: &Node, now: Timestamp, headers: bool, palette: Palette) -> String {
    let mut rows = Vec::new();
    let mut legend = (false, false);
    walk_rows(tree, "", true, true, now, palette, &mut rows, &mut legend);
    let mut out = output::table(&["NAMESPACE", "NAME", "READY", "REASON", "STATUS", "AGE"], &rows, headers, palette);
    if legend.0 || legend.1 {
        out.push('\n');
    }
    if legend.0 {
        out.push_str(&format!(
            "{} linked: tied to the pack by Sympozium's names or labels, no ownerReference\n",
            palette.dim("┈")
        ));
    }
    if legend.1 {
        out.push_str("Missing: expected from the pack's spec, not found in the cluster\n");
    }
    out
}

/// kubectl-tree's READY colours: True green, False and Unknown red.
fn paint_ready(p: Palette, s: &str) -> String {
    match s {
        "True" => p.good(s),
        "False" | "Unknown" => p.bad(s),
        _ => s.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn walk_rows(
    n: &Node,
    prefix: &str,
    last: bool,
    root: bool,
    now: Timestamp,
    palette: Palette,
    rows: &mut Vec<Vec<Cell>>,
    legend: &mut (bool, bool),
) {
    let branch = match (root, last, n.relation) {
        (true, _, _) => "",
        (false, true, Relation::Linked) => "└┈",
        (false, false, Relation::Linked) => "├┈",
        (false, true, _) => "└─",
        (false, false, _) => "├─",
    };
    legend.0 |= n.relation == Relation::Linked;
    legend.1 |= n.relation == Relation::Missing;
    let mut label = format!("{}/{}", output::escape(&n.kind), output::escape(&n.name));
    if let Some(note) = &n.note {
        label.push_str(&format!(" ({})", output::escape(note)));
    }
    let glyphs = format!("{prefix}{branch}");
    // Paint only the glyphs, as kubectl-tree greys its tree lines.
    let name_cell = if palette.enabled() && !glyphs.is_empty() {
        let width = glyphs.chars().count() + unicode_width::UnicodeWidthStr::width(label.as_str());
        Cell::precoloured(format!("{}{}", palette.dim(&glyphs), label), width)
    } else {
        Cell::precoloured(
            format!("{glyphs}{label}"),
            glyphs.chars().count() + unicode_width::UnicodeWidthStr::width(label.as_str()),
        )
    };
    let ready = n.ready.clone().unwrap_or_else(|| "-".into());
    let status = n.status.clone().unwrap_or_else(|| "-".into());
    rows.push(vec![
        Cell::plain(&n.namespace),
        name_cell,
        Cell::painted(&ready, Some(paint_ready)),
        Cell::plain(n.reason.clone().unwrap_or_default()),
        Cell::phase(&status),
        Cell::plain(if n.relation == Relation::Missing { "-".into() } else { output::age(n.created, now) }),
    ]);
    let child_prefix = if root { String::new() } else { format!("{prefix}{}", if last { "  " } else { "│ " }) };
    for (i, c) in n.children.iter().enumerate() {
        walk_rows(c, &child_prefix, i + 1 == n.children.len(), false, now, palette, rows, legend);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(kind: &str, name: &str, uid: &str, owners: &[&str]) -> Obj {
        Obj {
            api_version: "v1".into(),
            kind: kind.into(),
            namespace: "ns".into(),
            name: name.into(),
            uid: uid.into(),
            owners: owners.iter().map(|s| s.to_string()).collect(),
            created: Some("2026-11-28T11:00:00Z".parse().unwrap()),
        }
    }

    fn sample() -> Node {
        let root = obj("PersonaPack", "team", "p", &[]);
        let objects = vec![
            obj("SympoziumInstance", "team-a", "i1", &["p"]),
            obj("SympoziumSchedule", "team-a-schedule", "s1", &["p"]),
            obj("Deployment", "team-a-memory", "d1", &["i1"]),
            obj("ReplicaSet", "team-a-memory-5f", "r1", &["d1"]),
            obj("Pod", "team-a-memory-5f-x", "pod1", &["r1"]),
            obj("ConfigMap", "unrelated", "u", &[]),
            // A cycle and a double owner must not loop or explode.
            obj("ConfigMap", "loop-a", "la", &["lb", "i1"]),
            obj("ConfigMap", "loop-b", "lb", &["la"]),
        ];
        let links = vec![
            Link { obj: obj("ConfigMap", "team-a-memory", "m1", &[]), parent: "i1".into(), why: "memory".into() },
            Link { obj: obj("Secret", "team-openai-key", "sec", &[]), parent: "p".into(), why: "authRefs".into() },
        ];
        let expected = vec![Expected {
            api_version: "sympozium.ai/v1alpha1".into(),
            kind: "SympoziumInstance".into(),
            name: "team-b".into(),
            parent: "p".into(),
        }];
        build(&root, &objects, &links, &expected)
    }

    #[test]
    fn owned_at_any_depth_linked_and_missing() {
        let t = sample();
        let names: Vec<&str> = t.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["team-openai-key", "team-a", "team-b", "team-a-schedule"]);
        let inst = &t.children[1];
        let dep = inst.children.iter().find(|c| c.kind == "Deployment").unwrap();
        assert_eq!(dep.children[0].children[0].name, "team-a-memory-5f-x");
        // The cycle loop-a -> loop-b -> loop-a is cut after one turn.
        let loop_a = inst.children.iter().find(|c| c.name == "loop-a").unwrap();
        assert_eq!(loop_a.children.len(), 1);
        assert!(loop_a.children[0].children.is_empty());
        assert_eq!(t.children[2].relation, Relation::Missing);
        assert_eq!(t.children[0].relation, Relation::Linked);
        assert!(t.count() < 20, "no runaway duplication: {}", t.count());
    }

    #[test]
    fn rendering_plain() {
        let now = "2026-11-28T12:00:00Z".parse().unwrap();
        insta::assert_snapshot!(render(&sample(), now, true, Palette::plain()));
    }

    #[test]
    fn rendering_coloured() {
        let now = "2026-11-28T12:00:00Z".parse().unwrap();
        insta::assert_snapshot!(render(&sample(), now, true, Palette::colored()));
    }

    #[test]
    fn depth_prunes() {
        let mut t = sample();
        t.prune(1);
        assert!(t.children.iter().all(|c| c.children.is_empty()));
    }

    #[test]
    fn health_reads_conditions_and_state() {
        let pod = json!({"kind": "Pod", "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "False", "reason": "ContainersNotReady"}]}});
        let h = health(&pod, &["Ready".into()]);
        assert_eq!(
            h,
            Health {
                ready: Some("False".into()),
                reason: Some("ContainersNotReady".into()),
                status: Some("Running".into())
            }
        );
        let dep = json!({"kind": "Deployment", "spec": {"replicas": 2}, "status": {"readyReplicas": 1}});
        assert_eq!(health(&dep, &["Ready".into()]).status.as_deref(), Some("1/2 ready"));
        let inst = json!({"kind": "SympoziumInstance", "status": {"phase": "Serving"}});
        assert_eq!(health(&inst, &["Ready".into()]).status.as_deref(), Some("Serving"));
        let job = json!({"kind": "Job", "status": {"conditions": [{"type": "Complete", "status": "True"}]}});
        assert_eq!(health(&job, &[]).status.as_deref(), Some("Complete"));
        let sched = json!({"kind": "SympoziumSchedule", "spec": {"suspend": true}});
        assert_eq!(health(&sched, &[]).status.as_deref(), Some("Suspended"));
    }
}
