//! The two eras of Sympozium's packs: PersonaPack (v0.8) and Ensemble (v0.9+),
//! with every word and name that differs between them.

use super::*;

/// Which Sympozium API a cluster speaks: v0.8's PersonaPack, or the Ensemble
/// of v0.9 and later (docs/sympozium-v0.10-ensemble.md). The lifecycle is the
/// same; the names below are what changed. "Pack" and "persona" in this
/// code mean an Ensemble and its agent configs too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Era {
    #[default]
    PersonaPack,
    Ensemble,
}

impl Era {
    pub const ALL: [Era; 2] = [Era::PersonaPack, Era::Ensemble];

    /// The era of an object's `kind` (None: neither).
    pub fn of_kind(kind: &str) -> Option<Era> {
        Era::ALL.into_iter().find(|e| e.kind() == kind)
    }
    /// The other era.
    pub fn other(self) -> Era {
        match self {
            Era::PersonaPack => Era::Ensemble,
            Era::Ensemble => Era::PersonaPack,
        }
    }
    pub fn kind(self) -> &'static str {
        match self {
            Era::PersonaPack => "PersonaPack",
            Era::Ensemble => "Ensemble",
        }
    }
    pub fn plural(self) -> &'static str {
        match self {
            Era::PersonaPack => "personapacks",
            Era::Ensemble => "ensembles",
        }
    }
    /// kubectl's name for the kind in messages: `personapack`, `ensemble`.
    pub fn singular(self) -> &'static str {
        match self {
            Era::PersonaPack => "personapack",
            Era::Ensemble => "ensemble",
        }
    }
    /// `personapack.sympozium.ai`: what `-o name` and mutations print before `/<name>`.
    pub fn qualified(self) -> String {
        format!("{}.{GROUP}", self.singular())
    }
    /// The spec's list of members (personas, agent configs).
    pub fn members_field(self) -> &'static str {
        match self {
            Era::PersonaPack => "personas",
            Era::Ensemble => "agentConfigs",
        }
    }
    /// One member, in words.
    pub fn member(self) -> &'static str {
        match self {
            Era::PersonaPack => "persona",
            Era::Ensemble => "agent config",
        }
    }
    /// The label the controller puts on everything it stamps for a pack.
    pub fn label_pack(self) -> &'static str {
        match self {
            Era::PersonaPack => "sympozium.ai/persona-pack",
            Era::Ensemble => "sympozium.ai/ensemble",
        }
    }
    /// The label naming the member an object was stamped for.
    pub fn label_member(self) -> &'static str {
        match self {
            Era::PersonaPack => "sympozium.ai/persona",
            Era::Ensemble => "sympozium.ai/agent-config",
        }
    }
    /// The finalizer the controller adds on its first reconcile of any pack.
    pub fn finalizer(self) -> &'static str {
        match self {
            Era::PersonaPack => "sympozium.ai/personapack-finalizer",
            Era::Ensemble => "sympozium.ai/ensemble-finalizer",
        }
    }
    /// The kind stamped per member, and its plural: the agent itself.
    pub fn agent_kind(self) -> (&'static str, &'static str) {
        match self {
            Era::PersonaPack => ("SympoziumInstance", "sympoziuminstances"),
            Era::Ensemble => ("Agent", "agents"),
        }
    }
    /// The schedule's field naming its agent.
    pub fn agent_ref(self) -> &'static str {
        match self {
            Era::PersonaPack => "instanceRef",
            Era::Ensemble => "agentRef",
        }
    }
    /// The Sympozium releases that serve this kind.
    pub fn releases(self) -> &'static str {
        match self {
            Era::PersonaPack => "v0.8.x",
            Era::Ensemble => "v0.9 or later",
        }
    }
    /// The release whose fields the plugin knows for this kind (its model's).
    pub fn modelled_release(self) -> &'static str {
        match self {
            Era::PersonaPack => "v0.8.x",
            Era::Ensemble => "v0.10",
        }
    }
    /// What is stamped per member, in a sentence: an instance or an agent.
    pub fn agent(self) -> &'static str {
        match self {
            Era::PersonaPack => "instance",
            Era::Ensemble => "agent",
        }
    }
}
