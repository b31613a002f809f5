//! `enable`'s flags, and what they ask of the planner (`EnableRequest`).

use super::super::WriteFlags;
use crate::activation::{Change, EnableRequest, EnsembleEdits, PersonaEdit, Provider, Tokens};
use crate::error::{Error, Result};

#[derive(Debug, Default, clap::Args)]
#[command(after_help = "Examples:
  # The wizard (on a terminal): copy a built-in team into its own namespace
  kubectl personapack enable platform-team -n sympozium-system --into team-a --create-namespace

  # Flags, the key from stdin, and wait for the team to be Ready
  echo \"$OPENAI_API_KEY\" | kubectl personapack enable platform-team -n team-a --provider openai --api-key-stdin --wait

  # What it would write, Secret values redacted
  kubectl personapack enable platform-team -n team-a --provider anthropic --api-key-env ANTHROPIC_API_KEY --dry-run")]
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

    /// Ensembles (Sympozium v0.9+): run every agent config without its own provider on this Model (spec.modelRef: NAME or NAMESPACE/NAME; no key needed); "" removes it
    #[arg(long, value_name = "MODEL")]
    pub model_ref: Option<String>,

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

    /// Bind every persona to these channels: telegram, slack, discord, whatsapp (replaces their lists)
    #[arg(long, value_delimiter = ',', value_name = "TYPE", value_parser = ["telegram", "slack", "discord", "whatsapp"])]
    pub channel: Vec<String>,

    /// A channel's bot token from this environment variable, stored in Secret PACK-TYPE-secret (binds the channel)
    #[arg(long, value_name = "TYPE=VAR")]
    pub channel_token_env: Vec<String>,

    /// A channel's bot token from standard input, stored in Secret PACK-TYPE-secret (binds the channel)
    #[arg(long, value_name = "TYPE", conflicts_with_all = ["api_key_stdin", "github_token_stdin"])]
    pub channel_token_stdin: Option<String>,

    /// An existing Secret holding a channel's bot token, e.g. slack=team-slack (binds the channel; must exist)
    #[arg(long, value_name = "TYPE=SECRET")]
    pub channel_secret: Vec<String>,

    /// Every scheduled persona's heartbeat: an interval (30m, 1h, 6h, 24h; clears its cron) or a cron line
    #[arg(long, value_name = "INTERVAL|CRON")]
    pub heartbeat: Option<String>,

    /// Run the pack's agents in Agent Sandbox with this runtime class (gvisor when none is given; =false turns it off)
    #[arg(long, value_name = "RUNTIMECLASS", num_args = 0..=1, require_equals = true, default_missing_value = "gvisor")]
    pub agent_sandbox: Option<String>,

    /// The github-gitops skill's token from this environment variable (Secret github-gitops-token in sympozium-system)
    #[arg(long, value_name = "VAR", conflicts_with = "github_token_stdin")]
    pub github_token_env: Option<String>,

    /// The github-gitops skill's token from standard input
    #[arg(long, conflicts_with = "api_key_stdin")]
    pub github_token_stdin: bool,

    /// Replace a persona's system prompt with a file's text, e.g. lead=lead.md (repeatable)
    #[arg(long, value_name = "PERSONA=FILE")]
    pub system_prompt_file: Vec<String>,

    /// System prompts typed in the wizard (PERSONA=TEXT); no flag sets these.
    #[arg(skip)]
    pub system_prompt_text: Vec<String>,

    /// Replace a persona's skills, e.g. lead=memory,github-gitops (repeatable)
    #[arg(long, value_name = "PERSONA=SKILL,...")]
    pub persona_skills: Vec<String>,

    /// One persona's own model, e.g. lead=gpt-4o (repeatable)
    #[arg(long, value_name = "PERSONA=MODEL")]
    pub persona_model: Vec<String>,

    /// Ensembles: pin one agent config to its own provider (off the Ensemble's Model), e.g. lead=anthropic
    #[arg(long, value_name = "PERSONA=PROVIDER")]
    pub persona_provider: Vec<String>,

    /// Ensembles: one agent config's own base URL, e.g. lead=http://vllm:8000/v1
    #[arg(long, value_name = "PERSONA=URL")]
    pub persona_base_url: Vec<String>,

    /// Ensembles: one agent config's subagent limits, e.g. 'lead={"maxDepth":2,"maxConcurrent":3}'
    #[arg(long, value_name = "PERSONA=JSON")]
    pub persona_subagents: Vec<String>,

    /// Ensembles: who may reach the agents on each channel, exactly, e.g. '{"slack":{"allowedSenders":["U1"]}}'; '{}' clears
    #[arg(long, value_name = "JSON")]
    pub channel_access_control: Option<String>,

    /// Ensembles: the relationships exactly, as a JSON list of {source, target, type[, condition, timeout, resultFormat]}; '[]' clears
    #[arg(long, value_name = "JSON")]
    pub relationships: Option<String>,

    /// Ensembles: how the agent configs work together
    #[arg(long, value_name = "TYPE", value_parser = ["autonomous", "pipeline", "delegation"])]
    pub workflow_type: Option<String>,

    /// Ensembles: a memory pool every agent config shares (=false turns it off)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub shared_memory: Option<bool>,

    /// Ensembles: the shared memory's PVC size, e.g. 5Gi
    #[arg(long, value_name = "SIZE")]
    pub shared_memory_size: Option<String>,

    /// Ensembles: the stimulus's prompt, delivered to the agent config its relationship names
    #[arg(long, value_name = "TEXT")]
    pub stimulus_prompt: Option<String>,

    /// Ensembles: the stimulus's name (its node in the relationships; default stimulus)
    #[arg(long, value_name = "NAME")]
    pub stimulus_name: Option<String>,

    /// Ensembles: when the stimulus fires: onReady (once every agent is ready) or manual (run PACK --stimulus)
    #[arg(long, value_name = "WHEN", value_parser = ["onReady", "manual"])]
    pub stimulus_trigger: Option<String>,

    /// Ensembles: every schedule's first run: immediate, or afterInterval (enabling spends no tokens at once)
    #[arg(long, value_name = "WHEN", value_parser = ["immediate", "afterInterval"])]
    pub first_tick: Option<String>,

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

/// Turn flags (and the secret values, already read) into an `EnableRequest`.
pub fn request_with(args: &Args, tokens: Tokens) -> Result<EnableRequest> {
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
            let (path, value) = split_pair("--skill-param", s, "SKILL.KEY=VALUE")?;
            let (skill, key) = path.split_once('.').ok_or_else(|| bad_pair("--skill-param", s, "SKILL.KEY=VALUE"))?;
            Ok((skill.to_string(), key.to_string(), value))
        })
        .collect::<Result<Vec<_>>>()?;
    let channel_secrets = args
        .channel_secret
        .iter()
        .map(|s| {
            let (channel, secret) = split_pair("--channel-secret", s, "TYPE=SECRET")?;
            crate::activation::channel_token_field("--channel-secret", &channel)?;
            Ok((channel, secret))
        })
        .collect::<Result<Vec<(String, String)>>>()?;
    // The channels bound: those named, and those given a token or a Secret.
    let mut channels: Vec<String> = Vec::new();
    let named =
        args.channel.iter().chain(tokens.channels.iter().map(|(c, _)| c)).chain(channel_secrets.iter().map(|(c, _)| c));
    for c in named {
        if !channels.contains(c) {
            channels.push(c.clone());
        }
    }
    // `true` is Agent Sandbox's default runtime class.
    let sandbox = args.agent_sandbox.as_deref().map(|rc| if rc == "true" { "gvisor" } else { rc });
    let agent_sandbox = Change::from_flag(sandbox, "false");
    Ok(EnableRequest {
        provider: args.provider,
        secret: args.secret.clone(),
        credential: tokens.credential,
        model: args.model.clone(),
        base_url: args.base_url.clone(),
        model_ref: Change::from_flag(args.model_ref.as_deref(), ""),
        task: args.task.clone(),
        exclude: args.exclude.clone(),
        include: args.persona.clone(),
        skill_params,
        policy: args.policy.clone(),
        channels,
        channel_tokens: tokens.channels,
        channel_secrets,
        heartbeat: args.heartbeat.clone(),
        agent_sandbox,
        github_token: tokens.github,
        persona_edits: persona_edits(args)?,
        ensemble: ensemble_edits(args)?,
    })
}

/// What only an Ensemble has; `--relationships` parsed here (a list, checked
/// against the pack by the planner).
fn ensemble_edits(args: &Args) -> Result<EnsembleEdits> {
    let json = |flag: &str, text: &Option<String>| -> Result<Option<serde_json::Value>> {
        text.as_deref()
            .map(|t| serde_json::from_str(t).map_err(|e| Error::usage(format!("{flag}: not JSON: {e}"))))
            .transpose()
    };
    let relationships = json("--relationships", &args.relationships)?;
    let channel_access_control = json("--channel-access-control", &args.channel_access_control)?;
    Ok(EnsembleEdits {
        relationships,
        workflow_type: args.workflow_type.clone(),
        shared_memory: args.shared_memory,
        shared_memory_size: args.shared_memory_size.clone(),
        stimulus_prompt: args.stimulus_prompt.clone(),
        stimulus_name: args.stimulus_name.clone(),
        stimulus_trigger: args.stimulus_trigger.clone(),
        first_tick: args.first_tick.clone(),
        channel_access_control,
    })
}

/// `--system-prompt-file` and `--persona-skills`, one edit per persona.
fn persona_edits(args: &Args) -> Result<Vec<PersonaEdit>> {
    let mut edits: Vec<PersonaEdit> = Vec::new();
    fn entry<'a>(edits: &'a mut Vec<PersonaEdit>, name: &str) -> &'a mut PersonaEdit {
        if let Some(i) = edits.iter().position(|e| e.name == name) {
            return &mut edits[i];
        }
        edits.push(PersonaEdit { name: name.to_string(), ..Default::default() });
        edits.last_mut().expect("just pushed")
    }
    for pair in &args.system_prompt_file {
        let (persona, path) = split_pair("--system-prompt-file", pair, "PERSONA=FILE")?;
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::usage(format!("--system-prompt-file {persona}: reading {path:?}: {e}")))?;
        entry(&mut edits, &persona).system_prompt = Some(text);
    }
    for pair in &args.system_prompt_text {
        let (persona, text) = split_pair("the wizard's system prompt", pair, "PERSONA=TEXT")?;
        entry(&mut edits, &persona).system_prompt = Some(text);
    }
    for (flag, pairs) in [
        ("--persona-model", &args.persona_model),
        ("--persona-provider", &args.persona_provider),
        ("--persona-base-url", &args.persona_base_url),
    ] {
        for pair in pairs {
            let (persona, value) = split_pair(flag, pair, "PERSONA=VALUE")?;
            let e = entry(&mut edits, &persona);
            *match flag {
                "--persona-model" => &mut e.model,
                "--persona-provider" => &mut e.provider,
                _ => &mut e.base_url,
            } = Some(value);
        }
    }
    for pair in &args.persona_subagents {
        let (persona, text) = split_pair("--persona-subagents", pair, "PERSONA=JSON")?;
        let limits: serde_json::Value =
            serde_json::from_str(&text).ok().filter(serde_json::Value::is_object).ok_or_else(|| {
                Error::usage(format!(
                    "--persona-subagents {persona}: expected a JSON object such as {{\"maxDepth\":2}}"
                ))
            })?;
        entry(&mut edits, &persona).subagents = Some(limits);
    }
    for pair in &args.persona_skills {
        let (persona, list) = split_pair("--persona-skills", pair, "PERSONA=SKILL,...")?;
        let skills: Vec<String> = list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        entry(&mut edits, &persona).skills = Some(skills);
    }
    Ok(edits)
}

/// `KEY=VALUE` split at the first `=`; both sides non-empty.
pub fn split_pair(flag: &str, value: &str, shape: &str) -> Result<(String, String)> {
    match value.split_once('=') {
        Some((k, v)) if !k.is_empty() && !v.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(bad_pair(flag, value, shape)),
    }
}

/// The value is not echoed: a token pasted into a `TYPE=VAR` flag must not be.
fn bad_pair(flag: &str, _value: &str, shape: &str) -> Error {
    Error::usage(format!("{flag}: expected {shape} (the value given is not shown)"))
}
