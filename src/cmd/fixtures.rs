//! Fixed objects for the rendering snapshot tests of every subcommand.

use jiff::Timestamp;
use serde_json::json;

use crate::model::PersonaPack;

pub fn now() -> Timestamp {
    "2026-11-28T12:00:00Z".parse().unwrap()
}

/// An enabled pack with every kind of field set, Ready.
pub fn platform_team() -> PersonaPack {
    PersonaPack::from_value(&json!({
        "metadata": {"name": "platform-team", "namespace": "agents", "creationTimestamp": "2026-11-27T09:30:00Z",
                     "labels": {"team": "platform"}},
        "spec": {
            "enabled": true, "description": "Core platform engineering agents.", "category": "platform",
            "version": "1.0.0", "workflowType": "autonomous",
            "authRefs": [{"provider": "openai", "secret": "platform-team-openai-key"}],
            "taskOverride": "Keep prod healthy.", "excludePersonas": ["platform-engineer"],
            "channelConfigs": {"slack": "platform-team-slack-secret"},
            "skillParams": {"github-gitops": {"repo": "acme/infra"}},
            "personas": [
                {"name": "security-guardian", "displayName": "Security Guardian", "systemPrompt": "x",
                 "skills": ["k8s-ops", "memory"], "schedule": {"type": "sweep", "interval": "30m", "task": "Sweep RBAC."},
                 "memory": {"enabled": true, "seeds": ["a", "b", "c"]}},
                {"name": "sre-watchdog", "displayName": "SRE Watchdog", "systemPrompt": "x", "model": "claude-sonnet-4",
                 "skills": ["k8s-ops"], "channels": ["slack"],
                 "schedule": {"type": "heartbeat", "interval": "15m", "task": "Check pods."}},
                {"name": "platform-engineer", "systemPrompt": "x",
                 "schedule": {"type": "scheduled", "cron": "0 9 * * 1-5", "task": "Summarise."}}
            ]
        },
        "status": {"phase": "Ready", "personaCount": 3, "installedCount": 2, "installedPersonas": [
            {"name": "security-guardian", "instanceName": "platform-team-security-guardian", "scheduleName": "platform-team-security-guardian-schedule"},
            {"name": "sre-watchdog", "instanceName": "platform-team-sre-watchdog", "scheduleName": "platform-team-sre-watchdog-schedule"}
        ]}
    }))
}

/// A catalog pack that no controller has reconciled yet.
pub fn catalog_pack() -> PersonaPack {
    PersonaPack::from_value(&json!({
        "metadata": {"name": "devops-essentials", "namespace": "sympozium-system", "creationTimestamp": "2026-11-28T11:58:30Z"},
        "spec": {"category": "devops", "version": "1.0.0", "description": "DevOps agents.",
                 "personas": [{"name": "incident-responder", "systemPrompt": "x"}, {"name": "cost-analyzer", "systemPrompt": "x"}]}
    }))
}
