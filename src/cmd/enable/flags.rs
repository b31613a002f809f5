//! `enable`'s flags, and what they ask of the planner (`EnableRequest`).

use super::super::WriteFlags;
use crate::activation::{Credential, EnableRequest, Provider};
use crate::error::{Error, Result};

#[derive(Debug, Default, clap::Args)]
pub struct Args {
    /// The PersonaPack to enable (asked for on a terminal when omitted)
    pub pack: Option<String>,

    /// Model provider; sets authRefs (and baseURL for local providers)
    #[arg(long, value_enum)]
    pub provider: Option<Provider>,

    /// Use this existing Secret (in the pack's namespace) for the provider's key
    #[arg(long, value_name = "NAME", conflicts_with_all = ["api_key_stdin", "api_key_env"])]
    pub secret: Option<String>,

    /// Read the API key from standard input
    #[arg(long, conflicts_with = "api_key_env")]
    pub api_key_stdin: bool,

    /// Read the API key from this environment variable
    #[arg(long, value_name = "VAR")]
    pub api_key_env: Option<String>,

    /// Refused on purpose: a key on the command line lands in shell history and the process list
    #[arg(long = "api-key", hide = true, num_args = 0..=1, value_name = "NEVER")]
    pub api_key_argument: Option<Option<String>>,

    /// AWS region for --provider bedrock (keys come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)
    #[arg(long, value_name = "REGION", env = "AWS_REGION", hide_env_values = true)]
    pub aws_region: Option<String>,

    /// Model for every persona (opt-in: otherwise each persona keeps its own)
    #[arg(long)]
    pub model: Option<String>,

    /// Base URL of the model endpoint (defaults for ollama, lm-studio, llama-server)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Team objective, prepended to every persona's scheduled task (spec.taskOverride)
    #[arg(long, value_name = "TEXT")]
    pub task: Option<String>,

    /// Personas to leave out (sets spec.excludePersonas exactly; comma-separated or repeated)
    #[arg(long, value_delimiter = ',', value_name = "PERSONA", num_args = 0..=1)]
    pub exclude: Option<Vec<String>>,

    /// Re-include these excluded personas (and change nothing else)
    #[arg(long, value_delimiter = ',', value_name = "PERSONA")]
    pub persona: Vec<String>,

    /// Skill parameter, e.g. github-gitops.repo=org/repo (repeatable)
    #[arg(long, value_name = "SKILL.KEY=VALUE")]
    pub skill_param: Vec<String>,

    /// SympoziumPolicy for the pack's agents (spec.policyRef)
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,

    /// Channel credentials Secret, e.g. slack=team-slack-secret (repeatable; must exist)
    #[arg(long, value_name = "TYPE=SECRET")]
    pub channel_secret: Vec<String>,

    /// Copy the pack from its namespace (-n, e.g. sympozium-system) into this one, disabled, then enable the copy
    #[arg(long, value_name = "NAMESPACE")]
    pub into: Option<String>,

    /// With --into: create the namespace if it does not exist
    #[arg(long, requires = "into")]
    pub create_namespace: bool,

    /// Don't ask: no wizard, no confirmation
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Write the key into an existing Secret of the provider's name that this plugin did not create (its other keys stay)
    #[arg(long)]
    pub adopt_secret: bool,

    /// Delete Secrets this plugin wrote for the pack that authRefs no longer names (e.g. the old provider's key)
    #[arg(long)]
    pub prune_secrets: bool,

    #[command(flatten)]
    pub write: WriteFlags,
}

pub fn request_with(args: &Args, credential: Option<Credential>) -> Result<EnableRequest> {
    // A key pasted where a Secret's name belongs must not be echoed back.
    if args.secret.as_deref().is_some_and(|s| !crate::model::is_dns_subdomain(s)) {
        return Err(Error::usage(
            "--secret takes the NAME of an existing Secret (lower-case letters, digits, '-' and '.'); the value given is not one, and is not shown",
        ));
    }
    let skill_params = args
        .skill_param
        .iter()
        .map(|s| {
            let (path, value) = s.split_once('=').ok_or_else(|| bad_pair("--skill-param", s, "SKILL.KEY=VALUE"))?;
            let (skill, key) = path.split_once('.').ok_or_else(|| bad_pair("--skill-param", s, "SKILL.KEY=VALUE"))?;
            Ok((skill.to_string(), key.to_string(), value.to_string()))
        })
        .collect::<Result<Vec<_>>>()?;
    let channel_secrets = args
        .channel_secret
        .iter()
        .map(|s| {
            let (t, sec) = s.split_once('=').ok_or_else(|| bad_pair("--channel-secret", s, "TYPE=SECRET"))?;
            Ok((t.to_string(), sec.to_string()))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(EnableRequest {
        provider: args.provider,
        secret: args.secret.clone(),
        credential,
        model: args.model.clone(),
        base_url: args.base_url.clone(),
        task: args.task.clone(),
        exclude: args.exclude.clone(),
        include: args.persona.clone(),
        skill_params,
        policy: args.policy.clone(),
        channel_secrets,
    })
}

fn bad_pair(flag: &str, value: &str, shape: &str) -> Error {
    Error::usage(format!("{flag} {value:?}: expected {shape}"))
}
