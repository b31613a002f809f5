//! Property-based fuzzing of everything that reads cluster data: the pack
//! model, planning (render, diff), health analysis, the tree and every
//! renderer, fed arbitrary JSON spliced into real-looking objects. The
//! property is simple: never panic, and render what can be rendered.
//! (cargo-fuzz needs a nightly toolchain this machine cannot fetch; proptest
//! runs on stable, in `cargo test`.) Seeds in tests/fuzz-corpus/ run first.

use crate::analysis::{self, Observed};
use crate::color::Palette;
use crate::model::{Instance, PersonaPack, Schedule};
use crate::output::{self, Format};
use crate::{stamp, tree};
use jiff::Timestamp;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Arbitrary JSON, nested up to a few levels, with hostile strings.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::String),
        Just(json!("\u{1b}[31mred\u{7}")),
        Just(json!("line\nbreak\r\u{9b}2J\u{202e}rtl\u{200b}")),
        Just(json!("x".repeat(300))),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Field names the model knows, so mutations hit real paths.
const KEYS: &[&str] = &[
    "enabled",
    "personas",
    "authRefs",
    "excludePersonas",
    "channelConfigs",
    "skillParams",
    "baseURL",
    "taskOverride",
    "channelAccessControl",
    "agentSandbox",
    "relationships",
    "workflowType",
    "name",
    "systemPrompt",
    "model",
    "skills",
    "schedule",
    "memory",
    "seeds",
    "channels",
    "webEndpoint",
    "lifecycle",
    "interval",
    "cron",
    "task",
    "type",
    "phase",
    "installedCount",
    "installedPersonas",
    "personaCount",
    "secret",
    "provider",
    "hostname",
];

fn base() -> Value {
    json!({
        "apiVersion": "sympozium.ai/v1alpha1", "kind": "PersonaPack",
        "metadata": {"name": "team", "namespace": "ns", "uid": "u", "creationTimestamp": "2026-11-28T10:00:00Z"},
        "spec": {"enabled": true, "authRefs": [{"provider": "openai", "secret": "team-openai-key"}],
                 "channelConfigs": {"slack": "s"}, "skillParams": {"github-gitops": {"repo": "o/r"}},
                 "personas": [
            {"name": "a", "systemPrompt": "p", "skills": ["github-gitops", "mcp-bridge"], "channels": ["slack"],
             "schedule": {"type": "sweep", "interval": "5m", "task": "t"}, "memory": {"enabled": true, "seeds": ["s"]},
             "webEndpoint": {"enabled": true}},
            {"name": "b", "systemPrompt": "q", "schedule": {"type": "scheduled", "cron": "0 9 * * 1", "task": "u"}}
        ]},
        "status": {"phase": "Ready", "personaCount": 2, "installedCount": 2,
                   "installedPersonas": [{"name": "a", "instanceName": "team-a"}]}
    })
}

/// Put `value` at a path chosen by `picks` (walking objects and arrays).
fn splice(doc: &mut Value, picks: &[usize], key: usize, value: Value) {
    // Choose the path read-only, then write through a JSON pointer.
    let mut pointer = String::new();
    let mut cur: &Value = doc;
    for p in picks {
        match cur {
            Value::Object(m) if !m.is_empty() => {
                let k = m.keys().nth(p % m.len()).unwrap();
                pointer.push('/');
                pointer.push_str(&k.replace('~', "~0").replace('/', "~1"));
                cur = &m[k];
            }
            Value::Array(a) if !a.is_empty() => {
                let i = p % a.len();
                pointer.push_str(&format!("/{i}"));
                cur = &a[i];
            }
            _ => break,
        }
    }
    let Some(target) = doc.pointer_mut(&pointer) else { return };
    match target {
        Value::Object(m) => {
            m.insert(KEYS[key % KEYS.len()].to_string(), value);
        }
        Value::Array(a) => a.push(value),
        other => *other = value,
    }
}

/// Everything the plugin does with a pack and its objects, offline.
fn exercise(pack_json: &Value, other: &Value) {
    let now: Timestamp = "2026-11-28T12:00:00Z".parse().unwrap();
    let pack = PersonaPack::from_value(pack_json);
    let _ = pack.unknown_fields();
    let objects = stamp::render(&pack, None);
    let _ = output::serialize(&json!(objects), Format::Yaml).unwrap();
    let _ = output::serialize(&json!(objects), Format::Json).unwrap();
    // `list -o json|yaml` streams a page at a time: the same bytes as the whole list.
    for format in [Format::Json, Format::Yaml] {
        let items = vec![pack_json.clone(), other.clone()];
        let whole = output::document(items.clone(), false, format).unwrap();
        let (mut stream, mut streamed) = output::ListStream::start(format);
        for i in &items {
            streamed.push_str(&stream.item(i).unwrap());
        }
        streamed.push_str(&stream.end());
        assert_eq!(streamed, whole, "{format:?}");
    }
    let mut live = objects.clone();
    live.push(other.clone());
    let _ = stamp::diff(&pack, &live, None);
    let observed = Observed {
        instances: vec![Instance::from_value(other)],
        schedules: vec![Schedule::from_value(other)],
        memory: Default::default(),
        our_secrets: vec!["x".into()],
        model: None,
        runs: None,
    };
    let report = analysis::assess(&pack, &observed);
    let _ = serde_json::to_string(&report).unwrap();
    let root = tree::Obj::from_meta("sympozium.ai/v1alpha1", "PersonaPack", pack_json);
    let objs: Vec<tree::Obj> = live.iter().map(|o| tree::Obj::from_meta("v1", "X", o)).collect();
    let t = tree::build(&root, &objs, &[], &[], None);
    let _ = tree::render(&t, now, true, Palette::colored());
    let _ = tree::health(other, &["Ready".into()]);
    // Every column list can show.
    let list = |palette| {
        let layout = crate::cmd::list::Layout {
            namespaces: true,
            wide: true,
            headers: true,
            label_columns: vec!["team".into()],
            show_labels: true,
        };
        let row = crate::cmd::list::Row::of(&pack, &layout);
        crate::cmd::list::render(&[row], layout, now, palette)
    };
    let _ = list(Palette::colored());
    // Uncoloured, every text a person reads holds no character a terminal
    // acts on (controls, bidi overrides, zero-width): cluster text is escaped.
    let texts = [
        ("tree", tree::render(&t, now, true, Palette::plain())),
        ("list", list(Palette::plain())),
        ("describe", crate::cmd::describe::render(&pack, &[], &Ok(vec![]), now, Palette::plain())),
        ("status", crate::cmd::status::render(&report, true, Palette::plain())),
        ("diff", crate::cmd::diff::render(&pack, &stamp::diff(&pack, &live, None))),
    ];
    for (what, text) in texts {
        if let Some(c) = text.chars().find(|c| *c != '\n' && crate::escape::is_unsafe(*c)) {
            panic!("{what} printed {c:?} raw:\n{text}");
        }
    }
}

#[test]
fn corpus_seeds_never_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        exercise(&v, &v);
        n += 1;
    }
    assert!(n >= 5, "the corpus has {n} seeds");
}

proptest! {
    // proptest's default, 256 cases a target, keeps `cargo test --lib` fast
    // enough to mutate; PROPTEST_CASES=3000 (or more) fuzzes deeper on demand.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    /// Arbitrary JSON spliced anywhere into a valid pack and a live object.
    #[test]
    fn arbitrary_json_never_panics(
        picks in prop::collection::vec(any::<usize>(), 0..6),
        key in any::<usize>(),
        value in any_json(),
        other in any_json(),
    ) {
        let mut doc = base();
        splice(&mut doc, &picks, key, value);
        exercise(&doc, &other);
    }

    /// Entirely arbitrary documents.
    #[test]
    fn arbitrary_documents_never_panic(doc in any_json(), other in any_json()) {
        exercise(&doc, &other);
    }
}
