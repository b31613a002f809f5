//! The ownership tree of a pack, pure: build it from object metadata (owned
//! by UID at any depth, plus objects linked by name or label, plus expected
//! objects that are missing), judge each node's health, render it the way
//! kubectl-tree does, or as a nested document. `gather.rs` reads what it is
//! made of (the one part that asks the cluster); `cmd/tree.rs` shows it.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

mod expected;
pub mod gather;
pub use expected::{memory_links, missing, named_secrets, unseeded};

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

    /// Nodes in the tree, this one included (tests' sizes).
    #[cfg(test)]
    pub fn count(&self) -> usize {
        let mut n = 0;
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            n += 1;
            stack.extend(node.children.iter());
        }
        n
    }

    /// Visit every node, reading (which nodes need their full objects).
    /// Iterative: an ownership chain may be as deep as a pack author likes.
    pub fn walk(&self, f: &mut impl FnMut(&Node)) {
        let mut stack: Vec<&Node> = vec![self];
        while let Some(node) = stack.pop() {
            f(node);
            stack.extend(node.children.iter());
        }
    }

    /// Visit every node, changing it. Iterative, as `walk`.
    pub fn walk_mut(&mut self, f: &mut impl FnMut(&mut Node)) {
        let mut stack: Vec<&mut Node> = vec![self];
        while let Some(node) = stack.pop() {
            f(node);
            stack.extend(node.children.iter_mut());
        }
    }

    /// Cut everything deeper than `depth` (the root is depth 0).
    pub fn prune(&mut self, depth: usize) {
        let mut stack: Vec<(&mut Node, usize)> = vec![(self, depth)];
        while let Some((node, left)) = stack.pop() {
            if left == 0 {
                node.children.clear();
                continue;
            }
            stack.extend(node.children.iter_mut().map(|c| (c, left - 1)));
        }
    }
}

/// Dropping a deep tree node by node, not by recursion.
impl Drop for Node {
    fn drop(&mut self) {
        let mut stack = std::mem::take(&mut self.children);
        while let Some(mut node) = stack.pop() {
            stack.append(&mut node.children);
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

/// Build the tree under `root` from `objects` (any kinds, any order), at
/// most `depth` levels below the root (None: all). Cycles are cut; an object
/// with several owners in the tree is shown under each, expanded only the
/// first time. Iterative, and the depth applies while building: a chain of
/// any length costs memory in proportion to what is shown.
/// Of the AgentRuns, the newest `keep` of each owner (a schedule, a parent
/// run) stay; older ones go, and with them what hangs below them (their Job
/// and Pod), since a tree grows only from owners it holds. `keep` 0 keeps
/// all. Returns the objects left and how many runs went.
pub fn latest_runs(objects: Vec<Obj>, keep: usize) -> (Vec<Obj>, usize) {
    if keep == 0 {
        return (objects, 0);
    }
    let mut by_owner: HashMap<String, Vec<(Option<Timestamp>, String)>> = HashMap::new();
    for o in objects.iter().filter(|o| o.kind == "AgentRun") {
        let owner = o.owners.first().cloned().unwrap_or_default();
        by_owner.entry(owner).or_default().push((o.created, o.uid.clone()));
    }
    let mut dropped: HashSet<String> = HashSet::new();
    for runs in by_owner.values_mut() {
        runs.sort_by(|a, b| b.cmp(a));
        dropped.extend(runs.iter().skip(keep).map(|(_, uid)| uid.clone()));
    }
    let hidden = dropped.len();
    (objects.into_iter().filter(|o| !dropped.contains(&o.uid)).collect(), hidden)
}

pub fn build(root: &Obj, objects: &[Obj], links: &[Link], expected: &[Expected], depth: Option<usize>) -> Node {
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
    let mut tree = grow(root, &children, depth.unwrap_or(usize::MAX));

    // Linked objects already in the tree as owned need no second appearance;
    // those whose parent was cut by the depth are cut with it.
    let mut present = HashSet::new();
    tree.walk_mut(&mut |n| {
        present.insert(n.uid.clone());
    });
    let known: HashSet<&str> = objects.iter().map(|o| o.uid.as_str()).collect();
    let in_tree = present.clone();
    let cut = |parent: &str| !in_tree.contains(parent) && known.contains(parent);
    let mut by_parent: BTreeMap<&str, Vec<Node>> = BTreeMap::new();
    for l in links {
        if present.contains(&l.obj.uid) || cut(&l.parent) {
            continue;
        }
        present.insert(l.obj.uid.clone());
        let mut n = Node::new(&l.obj, Relation::Linked);
        n.note = Some(l.why.clone());
        by_parent.entry(l.parent.as_str()).or_default().push(n);
    }
    for e in expected.iter().filter(|e| !cut(&e.parent)) {
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
    if let Some(d) = depth {
        tree.prune(d); // links and expected nodes hung at the last level
    }
    tree
}

/// The owned tree under `o`, down to `max` levels, without recursion: nodes
/// are made on the way down and attached to their parents on the way up.
fn grow(o: &Obj, children: &HashMap<&str, Vec<&Obj>>, max: usize) -> Node {
    struct Frame<'a> {
        node: Node,
        kids: std::slice::Iter<'a, &'a Obj>,
        depth: usize,
    }
    let empty: &[&Obj] = &[];
    let mut expanded: HashSet<&str> = HashSet::from([o.uid.as_str()]);
    let mut path: HashSet<&str> = HashSet::from([o.uid.as_str()]);
    let kids = |uid: &str| children.get(uid).map(Vec::as_slice).unwrap_or(empty).iter();
    let mut stack = vec![Frame { node: Node::new(o, Relation::Owned), kids: kids(&o.uid), depth: 0 }];
    loop {
        let top = stack.last_mut().expect("the root frame stays until the end");
        let next = if top.depth < max { top.kids.next() } else { None };
        match next {
            Some(c) if path.contains(c.uid.as_str()) => {} // an ownership cycle: never loop
            Some(c) => {
                let depth = top.depth + 1;
                let mut node = Node::new(c, Relation::Owned);
                if !expanded.insert(&c.uid) {
                    node.note = Some("shown above".into());
                    top.node.children.push(node);
                    continue;
                }
                path.insert(&c.uid);
                stack.push(Frame { node, kids: kids(&c.uid), depth });
            }
            None => {
                let done = stack.pop().expect("checked above");
                path.remove(done.node.uid.as_str());
                match stack.last_mut() {
                    Some(parent) => parent.node.children.push(done.node),
                    None => return done.node,
                }
            }
        }
    }
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
    // Depth-first, in order, without recursion: (node, prefix, last, root).
    let mut stack: Vec<(&Node, std::rc::Rc<str>, bool, bool)> = vec![(tree, "".into(), true, true)];
    while let Some((n, prefix, last, root)) = stack.pop() {
        rows.push(row(n, &prefix, last, root, now, palette));
        let child_prefix: std::rc::Rc<str> =
            if root { "".into() } else { format!("{prefix}{}", if last { "  " } else { "│ " }).into() };
        let count = n.children.len();
        for (i, c) in n.children.iter().enumerate().rev() {
            stack.push((c, child_prefix.clone(), i + 1 == count, false));
        }
    }
    output::table(&["NAMESPACE", "NAME", "READY", "REASON", "STATUS", "AGE"], &rows, headers, palette)
}

/// What the tree's own marks mean (`┈` linked, `Missing`), for the nodes
/// shown; empty when there are none. Printed apart from the table (stderr),
/// so a pipe gets only the table.
pub fn legend(tree: &Node, palette: Palette) -> String {
    let (mut linked, mut missing) = (false, false);
    let mut stack = vec![tree];
    while let Some(n) = stack.pop() {
        linked |= n.relation == Relation::Linked;
        missing |= n.relation == Relation::Missing;
        stack.extend(n.children.iter());
    }
    let mut out = String::new();
    if linked {
        out.push_str(&format!(
            "{} linked: tied to the pack by Sympozium's names or labels, no ownerReference\n",
            palette.dim("┈")
        ));
    }
    if missing {
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

/// One row of the tree table.
fn row(n: &Node, prefix: &str, last: bool, root: bool, now: Timestamp, palette: Palette) -> Vec<Cell> {
    let branch = match (root, last, n.relation) {
        (true, _, _) => "",
        (false, true, Relation::Linked) => "└┈",
        (false, false, Relation::Linked) => "├┈",
        (false, true, _) => "└─",
        (false, false, _) => "├─",
    };
    let mut label = format!("{}/{}", crate::escape::escape(&n.kind), crate::escape::escape(&n.name));
    if let Some(note) = &n.note {
        label.push_str(&format!(" ({})", crate::escape::escape(note)));
    }
    let glyphs = format!("{prefix}{branch}");
    let width = glyphs.chars().count() + unicode_width::UnicodeWidthStr::width(label.as_str());
    // Paint only the glyphs, as kubectl-tree greys its tree lines.
    let name_cell = if palette.enabled() && !glyphs.is_empty() {
        Cell::precoloured(format!("{}{}", palette.dim(&glyphs), label), width)
    } else {
        Cell::precoloured(format!("{glyphs}{label}"), width)
    };
    let ready = n.ready.clone().unwrap_or_else(|| "-".into());
    let status = n.status.clone().unwrap_or_else(|| "-".into());
    vec![
        Cell::plain(&n.namespace),
        name_cell,
        Cell::painted(&ready, Some(paint_ready)),
        Cell::plain(n.reason.clone().unwrap_or_default()),
        Cell::phase(&status),
        Cell::plain(if n.relation == Relation::Missing { "-".into() } else { output::age(n.created, now) }),
    ]
}

#[cfg(test)]
mod tests {

    #[test]
    fn only_the_latest_runs_of_each_schedule_stay() {
        let run = |name: &str, uid: &str, owner: &str, at: i64| Obj {
            kind: "AgentRun".into(),
            name: name.into(),
            uid: uid.into(),
            owners: vec![owner.into()],
            created: Some(Timestamp::from_second(at).unwrap()),
            ..Default::default()
        };
        let job = Obj {
            kind: "Job".into(),
            name: "s-1".into(),
            uid: "j1".into(),
            owners: vec!["r1".into()],
            ..Default::default()
        };
        let objects = vec![
            run("s-1", "r1", "s", 1),
            run("s-2", "r2", "s", 2),
            run("s-3", "r3", "s", 3),
            run("t-1", "q1", "t", 1),
            job,
        ];
        let (kept, hidden) = latest_runs(objects.clone(), 2);
        let names: Vec<&str> = kept.iter().map(|o| o.name.as_str()).collect();
        assert_eq!((names, hidden), (vec!["s-2", "s-3", "t-1", "s-1"], 1));
        let (all, none) = latest_runs(objects.clone(), 0);
        assert_eq!((all.len(), none), (5, 0));
        let root = Obj { kind: "SympoziumSchedule".into(), name: "s".into(), uid: "s".into(), ..Default::default() };
        let (kept, _) = latest_runs(objects, 2);
        let mut tree = build(&root, &kept, &[], &[], None);
        let mut shown = Vec::new();
        tree.walk_mut(&mut |n| shown.push(n.uid.clone()));
        assert!(!shown.contains(&"j1".to_string()), "the old run's Job goes with it: {shown:?}");
    }

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
        build(&root, &objects, &links, &expected, None)
    }

    #[test]
    fn an_object_is_read_from_its_metadata() {
        let o = Obj::from_meta(
            "v1",
            "Pod",
            &serde_json::json!({"metadata": {"name": "p", "namespace": "ns", "uid": "u",
            "creationTimestamp": "2026-01-01T00:00:00Z", "ownerReferences": [{"uid": "o1"}, {"name": "no-uid"}, {"uid": "o2"}]}}),
        );
        assert_eq!(
            (o.api_version.as_str(), o.kind.as_str(), o.namespace.as_str(), o.name.as_str()),
            ("v1", "Pod", "ns", "p")
        );
        assert_eq!((o.uid.as_str(), o.owners.clone()), ("u", vec!["o1".to_string(), "o2".to_string()]));
        assert_eq!(o.created, Some("2026-01-01T00:00:00Z".parse().unwrap()));
    }

    #[test]
    fn walk_visits_every_node_once() {
        let t = sample();
        let mut seen = Vec::new();
        t.walk(&mut |n| seen.push(n.name.clone()));
        assert_eq!(seen.len(), t.count());
        assert!(seen.contains(&"team-a-memory-5f-x".to_string()));
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
        // The table, then (apart, on stderr) the legend.
        let t = sample();
        insta::assert_snapshot!(format!(
            "{}\n{}",
            render(&t, now, true, Palette::plain()),
            legend(&t, Palette::plain())
        ));
    }

    #[test]
    fn rendering_coloured() {
        let now = "2026-11-28T12:00:00Z".parse().unwrap();
        let t = sample();
        insta::assert_snapshot!(format!(
            "{}\n{}",
            render(&t, now, true, Palette::colored()),
            legend(&t, Palette::colored())
        ));
    }

    /// A pack author can make an ownership chain as long as they like: no
    /// recursion (this runs on a test thread's small stack), and `--depth`
    /// bounds what is built.
    #[test]
    fn a_twenty_thousand_deep_chain_neither_overflows_nor_grows_past_depth() {
        let root = obj("PersonaPack", "team", "u0", &[]);
        let chain: Vec<Obj> = (1..=20_000)
            .map(|i| obj("ConfigMap", &format!("c{i}"), &format!("u{i}"), &[format!("u{}", i - 1).as_str()]))
            .collect();
        let t = build(&root, &chain, &[], &[], None);
        assert_eq!(t.count(), 20_001);
        let mut deepest = 0;
        let mut n = &t;
        while let Some(c) = n.children.first() {
            deepest += 1;
            n = c;
        }
        assert_eq!(deepest, 20_000);
        drop(t);
        let t = build(&root, &chain, &[], &[], Some(1));
        assert_eq!(t.count(), 2);
        let shown = render(
            &build(&root, &chain, &[], &[], Some(300)),
            "2026-11-28T12:00:00Z".parse().unwrap(),
            false,
            Palette::plain(),
        );
        assert_eq!(shown.lines().count(), 301);
    }

    /// The owned tree stops growing at its depth (the work is bounded, not
    /// just the output pruned after).
    #[test]
    fn growth_stops_at_the_depth() {
        let (a, b, c) = (obj("X", "a", "a", &[]), obj("X", "b", "b", &["a"]), obj("X", "c", "c", &["b"]));
        let children = HashMap::from([("a", vec![&b]), ("b", vec![&c])]);
        assert_eq!(grow(&a, &children, 1).count(), 2);
        assert_eq!(grow(&a, &children, 2).count(), 3);
    }

    /// A linked object already owned in the tree is shown once, where it is
    /// owned; one under a parent the depth cut goes with it; a missing node
    /// keeps the kind's apiVersion.
    #[test]
    fn links_are_shown_once_and_cut_with_their_parent() {
        let root = obj("PersonaPack", "team", "p", &[]);
        let objects = vec![obj("SympoziumInstance", "team-a", "i1", &["p"]), obj("Deployment", "d", "d1", &["i1"])];
        let link = |o: Obj, parent: &str| Link { obj: o, parent: parent.into(), why: "named".into() };
        let links = vec![link(obj("Deployment", "d", "d1", &["i1"]), "p"), link(obj("Secret", "s", "s1", &[]), "d1")];
        let t = build(&root, &objects, &links, &[], None);
        let mut uids = Vec::new();
        t.walk(&mut |n| uids.push(n.uid.clone()));
        uids.sort();
        assert_eq!(uids, ["d1", "i1", "p", "s1"]);
        let shallow = build(&root, &objects, &links, &[], Some(1));
        let mut uids = Vec::new();
        shallow.walk(&mut |n| uids.push(n.uid.clone()));
        assert!(!uids.contains(&"s1".to_string()), "the Secret under the cut Deployment is cut too: {uids:?}");
        let t = sample();
        let missing = t.children.iter().find(|c| c.relation == Relation::Missing).unwrap();
        assert_eq!(missing.api_version, "sympozium.ai/v1alpha1");
    }

    #[test]
    fn the_legend_names_only_the_marks_shown() {
        let t = sample();
        let shown = legend(&t, Palette::plain());
        assert!(shown.starts_with("┈ linked: tied to the pack"), "{shown}");
        assert!(shown.ends_with("Missing: expected from the pack's spec, not found in the cluster\n"), "{shown}");
        let mut linked_only = sample();
        linked_only.walk_mut(&mut |n| n.children.retain(|c| c.relation != Relation::Missing));
        assert!(!legend(&linked_only, Palette::plain()).contains("Missing"));
        let mut missing_only = sample();
        missing_only.walk_mut(&mut |n| n.children.retain(|c| c.relation != Relation::Linked));
        assert!(!legend(&missing_only, Palette::plain()).contains("linked"));
        assert_eq!(legend(&Node::new(&obj("X", "a", "a", &[]), Relation::Owned), Palette::plain()), "");
    }

    #[test]
    fn ready_is_painted_as_kubectl_tree_paints_it() {
        let c = Palette::colored();
        assert_eq!(paint_ready(c, "True"), c.good("True"));
        assert_eq!(paint_ready(c, "False"), c.bad("False"));
        assert_eq!(paint_ready(c, "Unknown"), c.bad("Unknown"));
        assert_eq!(paint_ready(c, "-"), "-");
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
        let job = |status: serde_json::Value| health(&json!({"kind": "Job", "status": status}), &[]).status.unwrap();
        assert_eq!(job(json!({"conditions": [{"type": "Complete", "status": "False"}], "active": 1})), "Running");
        assert_eq!(job(json!({"conditions": [{"type": "Failed", "status": "True"}]})), "Failed");
        assert_eq!(job(json!({"active": 0})), "Pending");
        let svc = json!({"kind": "Service", "spec": {"type": "ClusterIP"}});
        assert_eq!(health(&svc, &[]).status.as_deref(), Some("ClusterIP"));
        let sched = json!({"kind": "SympoziumSchedule", "spec": {"suspend": true}});
        assert_eq!(health(&sched, &[]).status.as_deref(), Some("Suspended"));
    }
}
