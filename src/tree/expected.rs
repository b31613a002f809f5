//! What a pack's spec says the tree holds besides what is owned: memory
//! ConfigMaps and named Secrets linked to it, objects that should exist and
//! do not (while it is enabled), and memory created without its seeds.

use std::collections::HashSet;

use super::{Expected, Link, Obj};
use crate::model::{GROUP, PersonaPack, instance_name, memory_name, schedule_name};

/// Memory ConfigMaps by name, each under its persona's instance (else the root).
pub fn memory_links(pack: &PersonaPack, objects: &[Obj], root: &Obj) -> Vec<Link> {
    let name = &pack.meta.name;
    let agent_kind = pack.era.agent_kind().0;
    let mut links = Vec::new();
    for p in &pack.spec.personas {
        let mname = memory_name(name, &p.name);
        if let Some(cm) = objects.iter().find(|o| o.kind == "ConfigMap" && o.name == mname) {
            let parent = objects
                .iter()
                .find(|o| o.kind == agent_kind && o.name == instance_name(name, &p.name))
                .map(|o| o.uid.clone())
                .unwrap_or_else(|| root.uid.clone());
            links.push(Link { obj: cm.clone(), parent, why: "memory of persona ".to_string() + &p.name });
        }
    }
    links
}

/// The Secrets the pack names, with where: credentials and channel tokens.
pub fn named_secrets(pack: &PersonaPack) -> Vec<(String, String)> {
    let mut secrets: Vec<(String, String)> =
        pack.auth_secrets().into_iter().map(|s| (s.to_string(), "authRefs".to_string())).collect();
    for (ch, s) in &pack.spec.channel_configs {
        if !s.is_empty() {
            secrets.push((s.clone(), format!("channelConfigs.{ch}")));
        }
    }
    secrets
}

/// What the spec says should be there and is not (only while it is enabled).
pub fn missing(pack: &PersonaPack, objects: &[Obj], root: &Obj) -> Vec<Expected> {
    let mut expected = Vec::new();
    if !pack.spec.enabled {
        return expected;
    }
    let name = &pack.meta.name;
    let agent_kind = pack.era.agent_kind().0;
    let has = |kind: &str, n: &str| objects.iter().any(|o| o.kind == kind && o.name == n);
    let mut expect = |api_version: String, kind: &str, name: String| {
        expected.push(Expected { api_version, kind: kind.into(), name, parent: root.uid.clone() })
    };
    for p in pack.active_personas() {
        let iname = instance_name(name, &p.name);
        if !has(agent_kind, &iname) {
            expect(format!("{GROUP}/v1alpha1"), agent_kind, iname);
        }
        let mname = memory_name(name, &p.name);
        if p.memory.as_ref().is_some_and(|m| !m.seeds.is_empty()) && !has("ConfigMap", &mname) {
            expect("v1".into(), "ConfigMap", mname);
        }
        let sname = schedule_name(name, &p.name);
        if pack.is_scheduled(p) && !has("SympoziumSchedule", &sname) {
            expect(format!("{GROUP}/v1alpha1"), "SympoziumSchedule", sname);
        }
    }
    expected
}

/// Memory the instance controller created first (it owns it; the pack
/// controller's seeded memory has no owner): the seeds are missing.
pub fn unseeded(pack: &PersonaPack, objects: &[Obj]) -> HashSet<String> {
    pack.active_personas()
        .filter(|p| p.memory.as_ref().is_some_and(|m| !m.seeds.is_empty()))
        .map(|p| memory_name(&pack.meta.name, &p.name))
        .filter(|m| objects.iter().any(|o| o.kind == "ConfigMap" && &o.name == m && !o.owners.is_empty()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(kind: &str, name: &str, uid: &str) -> Obj {
        Obj { kind: kind.into(), name: name.into(), uid: uid.into(), ..Default::default() }
    }

    /// Each persona's memory ConfigMap hangs under its instance, else the
    /// root; a ConfigMap of another name, or another kind of that name, is not memory.
    #[test]
    fn memory_hangs_under_its_instance_else_the_root() {
        let pack = PersonaPack::from_value(&json!({"metadata": {"name": "team"},
            "spec": {"personas": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}}));
        let root = obj("PersonaPack", "team", "p");
        let objects = [
            obj("SympoziumInstance", "team-a", "i-a"),
            obj("ConfigMap", "team-a-memory", "m-a"),
            obj("ConfigMap", "team-b-memory", "m-b"),
            obj("Secret", "team-c-memory", "s-c"),
            obj("ConfigMap", "team-x-memory", "m-x"),
        ];
        let links = memory_links(&pack, &objects, &root);
        let got: Vec<(&str, &str, &str)> =
            links.iter().map(|l| (l.obj.uid.as_str(), l.parent.as_str(), l.why.as_str())).collect();
        assert_eq!(got, [("m-a", "i-a", "memory of persona a"), ("m-b", "p", "memory of persona b")]);
    }

    #[test]
    fn named_secrets_say_where_they_are_named() {
        let pack = PersonaPack::from_value(&json!({"metadata": {"name": "team"}, "spec": {
            "authRefs": [{"provider": "openai", "secret": "k"}], "channelConfigs": {"slack": "s", "discord": ""}}}));
        assert_eq!(
            named_secrets(&pack),
            [("k".to_string(), "authRefs".to_string()), ("s".to_string(), "channelConfigs.slack".to_string())]
        );
    }

    /// An enabled pack expects each active persona's instance, its seeded
    /// memory and its schedule; a disabled one expects nothing.
    #[test]
    fn missing_is_what_an_enabled_spec_expects_and_lacks() {
        let spec = |enabled: bool| {
            PersonaPack::from_value(&json!({"metadata": {"name": "team"}, "spec": {"enabled": enabled,
                "excludePersonas": ["c"], "personas": [
                    {"name": "a", "memory": {"seeds": ["x"]}, "schedule": {"task": "t"}},
                    {"name": "b", "memory": {"seeds": []}},
                    {"name": "c", "schedule": {"task": "t"}}]}}))
        };
        let root = obj("PersonaPack", "team", "p");
        let names = |objects: &[Obj]| {
            missing(&spec(true), objects, &root).into_iter().map(|e| (e.kind, e.name, e.parent)).collect::<Vec<_>>()
        };
        let e = |k: &str, n: &str| (k.to_string(), n.to_string(), "p".to_string());
        assert_eq!(
            names(&[]),
            [
                e("SympoziumInstance", "team-a"),
                e("ConfigMap", "team-a-memory"),
                e("SympoziumSchedule", "team-a-schedule"),
                e("SympoziumInstance", "team-b")
            ]
        );
        let all = [
            obj("SympoziumInstance", "team-a", "1"),
            obj("ConfigMap", "team-a-memory", "2"),
            obj("SympoziumSchedule", "team-a-schedule", "3"),
            obj("SympoziumInstance", "team-b", "4"),
        ];
        assert!(names(&all).is_empty());
        assert_eq!(names(&all[..1]).len(), 3, "team-a's instance is not team-b's: {:?}", names(&all[..1]));
        assert!(missing(&spec(false), &[], &root).is_empty());
    }

    /// Seeded personas' memory that has an owner (the instance controller's) lacks its seeds.
    #[test]
    fn owned_memory_of_a_seeded_persona_is_unseeded() {
        let pack = PersonaPack::from_value(&json!({"metadata": {"name": "team"}, "spec": {"personas": [
            {"name": "a", "memory": {"seeds": ["x"]}}, {"name": "b", "memory": {"seeds": ["y"]}}, {"name": "c"}]}}));
        let owned = |name: &str| Obj { owners: vec!["i".into()], ..obj("ConfigMap", name, name) };
        let objects = [owned("team-a-memory"), obj("ConfigMap", "team-b-memory", "b"), owned("team-c-memory")];
        assert_eq!(unseeded(&pack, &objects), HashSet::from(["team-a-memory".to_string()]));
    }
}
