//! The plugin's own names: how it signs what it writes (field manager,
//! managed-by label, user agent) and what it is called on the command line.

/// The binary's name; kubectl finds the plugin by it.
pub const PLUGIN: &str = "kubectl-personapack";
/// The field manager named on every write, as kubectl names itself.
pub const FIELD_MANAGER: &str = PLUGIN;
/// The label on what the plugin created (credential Secrets, the runs it started).
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
pub const MANAGED_BY: &str = PLUGIN;
