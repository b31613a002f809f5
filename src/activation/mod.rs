//! Pure planning for `enable` and `disable`: providers and their credentials
//! as upstream names them, the Secret to write, the merge patch to send, and
//! what the controller will delete on disable. No I/O here.
//!
//! One file per concern: `providers` and `channels` (upstream's catalogue),
//! `credentials` (secret values), `secrets` (the Secrets to write), `draft`
//! (the plan as it is built), `enable` (the planner), `ensemble` (its steps
//! for what only an Ensemble has) and `disable`.

mod channels;
mod credentials;
mod disable;
mod draft;
mod enable;
mod ensemble;
mod providers;
mod secrets;
pub use channels::*;
pub use credentials::*;
pub use disable::*;
pub use enable::*;
pub use ensemble::EnsembleEdits;
pub use providers::*;
pub use secrets::*;

/// A field `enable` was asked about: left as it is, set, or removed.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Change<T> {
    #[default]
    Keep,
    Set(T),
    Remove,
}

impl Change<String> {
    /// A flag's value as a change: absent keeps, `removes` removes, else set.
    pub fn from_flag(value: Option<&str>, removes: &str) -> Self {
        match value {
            None => Change::Keep,
            Some(v) if v == removes => Change::Remove,
            Some(v) => Change::Set(v.to_string()),
        }
    }
}

#[cfg(test)]
mod tests;
