//! The `enable` wizard (dialoguer): on a terminal, asks for whatever the flags
//! left open, shows exactly what will be written, and asks to confirm. It
//! only fills in `enable::Args` (and the key, read hidden); nothing is written
//! here, so Ctrl-C or "no" at any point changes nothing.

use dialoguer::theme::{ColorfulTheme, Theme};
use dialoguer::{Confirm, Input, MultiSelect, Select};

use super::flags::{Args, request_with};
use super::tokens::{self, Tokens, prompt};
use crate::activation::{self, Credential, KeyNeed, Provider};
use crate::cluster::Connection;
use crate::error::{Error, Result};
use crate::escape::escape;
use crate::model::{Era, PersonaPack};

/// The completed answers: flags plus the tokens typed at hidden prompts.
pub struct Answers {
    pub args: Args,
    pub tokens: Tokens,
}

/// Ask, in the order of Sympozium's own TUI wizard (pack, provider, key,
/// model, base URL, GitHub, team objective, Agent Sandbox, channels and their
/// tokens, heartbeat), then this plugin's own (personas left out, per-persona
/// edits); `None` when the user declined or cancelled.
pub async fn ask(conn: &Connection, namespace: &str, given: Args, mut tokens: Tokens) -> Result<Option<Answers>> {
    cancel_on_ctrl_c();
    let theme = ColorfulTheme::default();
    let mut args = given;
    let name = match args.pack.clone() {
        Some(n) => n,
        None => match pick_pack(conn, namespace, &theme).await? {
            Some(n) => n,
            None => return Ok(None),
        },
    };
    args.pack = Some(name.clone());
    let pack = conn.get_pack(namespace, &name).await?;
    // The first screen says what is being enabled, and where.
    eprintln!(
        "Enabling {} \"{}\" in namespace \"{}\"{}: {} {}s{}",
        pack.era.singular(),
        escape(&name),
        escape(namespace),
        args.into.as_deref().map(|t| format!(" (a copy in \"{}\")", escape(t))).unwrap_or_default(),
        pack.spec.personas.len(),
        pack.era.member(),
        pack.spec.description.as_deref().map(|d| format!(", {}", escape(d))).unwrap_or_default()
    );

    // Each step fills in what the flags left open; false: cancelled.
    let (a, t, p) = (&mut args, &mut tokens, &pack);
    let target = a.into.clone().unwrap_or_else(|| namespace.to_string());
    let answered = ask_model_ref(conn, &target, &theme, p, a).await?
        && ask_provider(&theme, p, a)?
        && ask_key(conn, namespace, &theme, a, t).await?
        && ask_model(&theme, a)?
        && ask_base_url(&theme, p, a)?
        && ask_github(&theme, p, a, t)?
        && ask_objective(&theme, p, a)?
        && ask_agent_sandbox(&theme, p, a)?
        && ask_channels(&theme, p, a, t)?
        && ask_heartbeat(&theme, p, a)?
        && ask_first_tick(&theme, p, a)?
        && ask_stimulus(&theme, p, a)?
        && ask_exclude(&theme, p, a)?
        && ask_persona_edits(&theme, p, a)?;
    if !answered {
        return Ok(None);
    }

    // The summary is the plan itself, not a paraphrase of the answers.
    let req = request_with(&args, tokens.clone())?;
    let plan = activation::plan_enable(&pack, &req)?;
    eprintln!("\nThis will:");
    for line in &plan.summary {
        eprintln!("  - {}", escape(line));
    }
    let go = prompt(Confirm::with_theme(&theme).with_prompt("Apply?").default(true).interact_opt())?;
    if go != Some(true) {
        return Ok(None);
    }
    args.yes = true;
    Ok(Some(Answers { args, tokens }))
}

/// The pack to enable, from the namespace's (catalog packs first).
async fn pick_pack(conn: &Connection, namespace: &str, theme: &ColorfulTheme) -> Result<Option<String>> {
    let mut packs = conn.list_packs(Some(namespace), None).await?;
    if packs.is_empty() {
        return Err(Error::usage(format!(
            "no {}s in namespace \"{}\": catalog packs live in sympozium-system; try: kubectl personapack enable -n sympozium-system --into {}",
            conn.era().kind(),
            escape(namespace),
            escape(namespace)
        )));
    }
    // Catalog (disabled) packs first: those are the ones to enable.
    packs.sort_by_key(|p| (p.spec.enabled, p.meta.name.clone()));
    let items: Vec<String> = packs
        .iter()
        .map(|p| {
            format!(
                "{} ({} personas{}){}",
                escape(&p.meta.name),
                p.spec.personas.len(),
                if p.spec.enabled { ", enabled" } else { "" },
                p.spec.description.as_deref().map(|d| format!(" - {}", escape(d))).unwrap_or_default()
            )
        })
        .collect();
    let picked =
        prompt(Select::with_theme(theme).with_prompt(conn.era().kind()).items(&items).default(0).interact_opt())?;
    Ok(picked.map(|i| packs[i].meta.name.clone()))
}

/// Ensembles (v0.9+): what serves the agents, a provider or one of the
/// cluster's Models (the v0.10 web UI's modelRef: no key, the Model's
/// endpoint). Asked only when a Model exists to offer.
async fn ask_model_ref(
    conn: &Connection,
    namespace: &str,
    theme: &ColorfulTheme,
    pack: &PersonaPack,
    args: &mut Args,
) -> Result<bool> {
    if pack.era != Era::Ensemble || args.provider.is_some() || args.model_ref.is_some() {
        return Ok(true);
    }
    let models = conn.models(namespace).await?;
    if models.is_empty() {
        return Ok(true);
    }
    let current = pack.model_ref();
    let mut items = vec!["A model provider (API key)".to_string()];
    items.extend(
        models
            .iter()
            .map(|m| format!("Model {} ({})", escape(&m.name), escape(m.phase.as_deref().unwrap_or("no phase yet")))),
    );
    let default = models.iter().position(|m| m.name == current).map_or(0, |i| i + 1);
    let picked = prompt(
        Select::with_theme(theme).with_prompt("Serve the agents with").items(&items).default(default).interact_opt(),
    )?;
    match picked {
        None => Ok(false),
        Some(0) => {
            // A provider replaces the Model (the plan says so).
            Ok(true)
        }
        Some(i) => {
            args.model_ref = Some(models[i - 1].name.clone());
            Ok(true)
        }
    }
}

/// The model provider (the pack's current one first).
fn ask_provider(theme: &ColorfulTheme, pack: &PersonaPack, args: &mut Args) -> Result<bool> {
    if args.provider.is_some() || args.model_ref.as_deref().is_some_and(|m| !m.is_empty()) {
        return Ok(true);
    }
    let current = pack.spec.auth_refs.first().and_then(|r| r.provider.clone());
    let names: Vec<&str> = Provider::ALL.iter().map(|p| p.name()).collect();
    let default = names.iter().position(|n| Some(*n) == current.as_deref()).unwrap_or(0);
    let picked =
        prompt(Select::with_theme(theme).with_prompt("Model provider").items(&names).default(default).interact_opt())?;
    args.provider = picked.map(|i| Provider::ALL[i]);
    Ok(picked.is_some())
}

/// The provider's key: typed (hidden) or an existing Secret of the namespace.
async fn ask_key(
    conn: &Connection,
    namespace: &str,
    theme: &ColorfulTheme,
    args: &mut Args,
    tokens: &mut Tokens,
) -> Result<bool> {
    let Some(provider) = args.provider else { return Ok(true) };
    let given = args.secret.is_some() || tokens.credential.is_some() || args.api_key_env.is_some();
    if given || provider == Provider::Bedrock || provider.key_need() == KeyNeed::None {
        return Ok(true);
    }
    let pack = args.pack.as_deref().unwrap_or_default();
    let choices = [
        format!("Enter the API key (hidden; stored in Secret {})", provider.secret_name(pack)),
        format!("Use an existing Secret in namespace {}", escape(namespace)),
    ];
    let Some(choice) =
        prompt(Select::with_theme(theme).with_prompt("API key").items(&choices).default(0).interact_opt())?
    else {
        return Ok(false);
    };
    if choice == 0 {
        let optional = provider.key_need() == KeyNeed::Optional;
        let question = format!("API key for {}{}", provider.name(), if optional { " (empty for none)" } else { "" });
        tokens.credential = tokens::hidden(theme, &question, optional)?.map(|key| Credential::api_key(provider, key));
        return Ok(true);
    }
    args.secret = pick_secret(conn, namespace, theme, provider).await?;
    Ok(args.secret.is_some())
}

/// One model for every persona; nothing pre-filled, so Enter really keeps
/// each persona's own (the provider's usual model is a hint to type).
fn ask_model(theme: &ColorfulTheme, args: &mut Args) -> Result<bool> {
    // A Model names the model itself.
    if args.model.is_some() || args.model_ref.as_deref().is_some_and(|m| !m.is_empty()) {
        return Ok(true);
    }
    let hint = args.provider.and_then(Provider::default_model).map(|m| format!("e.g. {m}; ")).unwrap_or_default();
    let model = text(theme, &format!("Model for every persona ({hint}empty keeps each persona's own)"), "")?;
    args.model = (!model.is_empty()).then_some(model);
    Ok(true)
}

/// Local and custom providers' endpoint. The key goes wherever this URL
/// points: never pre-filled from the pack (whoever wrote it could make a
/// lookalike of the provider's), only shown, whole and escaped, to be typed.
fn ask_base_url(theme: &ColorfulTheme, pack: &PersonaPack, args: &mut Args) -> Result<bool> {
    let Some(provider) = args.provider else { return Ok(true) };
    let needs_url = matches!(
        provider,
        Provider::Ollama | Provider::LmStudio | Provider::LlamaServer | Provider::AzureOpenai | Provider::Custom
    );
    if args.base_url.is_some() || !needs_url {
        return Ok(true);
    }
    let ours = provider.default_base_url().unwrap_or_default();
    if let Some(theirs) = pack.spec.base_url.as_deref().filter(|u| !u.is_empty() && *u != ours) {
        eprintln!("The pack's current base URL is {}; type it to keep it.", quoted(theirs));
    }
    let url = text(theme, "Base URL", ours)?;
    args.base_url = (!url.is_empty()).then_some(url);
    Ok(true)
}

/// The team objective (spec.taskOverride).
fn ask_objective(theme: &ColorfulTheme, pack: &PersonaPack, args: &mut Args) -> Result<bool> {
    if args.task.is_none() {
        let current = pack.spec.task_override.as_deref().unwrap_or_default();
        let task = text(theme, "Team objective (empty for none)", offered(current))?;
        args.task = (!task.is_empty()).then_some(task);
    }
    Ok(true)
}

/// Agent Sandbox on or off; only a change is written.
fn ask_agent_sandbox(theme: &ColorfulTheme, pack: &PersonaPack, args: &mut Args) -> Result<bool> {
    if args.agent_sandbox.is_some() {
        return Ok(true);
    }
    let on = pack.spec.agent_sandbox.as_ref().is_some_and(|s| s["enabled"] == true);
    let Some(yes) = prompt(
        Confirm::with_theme(theme)
            .with_prompt(
                "Run the agents in Agent Sandbox (gVisor; needs the agent-sandbox CRDs and the runtime on the nodes)?",
            )
            .default(on)
            .interact_opt(),
    )?
    else {
        return Ok(false);
    };
    if yes != on {
        args.agent_sandbox = Some(if yes { "gvisor".into() } else { "false".into() });
    }
    Ok(true)
}

/// Every scheduled persona's heartbeat. Intervals, not the TUI's cron lines:
/// the controller staggers an interval per persona, so the team does not
/// wake all at once.
fn ask_heartbeat(theme: &ColorfulTheme, pack: &PersonaPack, args: &mut Args) -> Result<bool> {
    if args.heartbeat.is_some() || !pack.spec.personas.iter().any(|p| p.schedule.is_some()) {
        return Ok(true);
    }
    let choices = [
        ("the pack's own schedules", None),
        ("every 30 minutes", Some("30m")),
        ("every hour", Some("1h")),
        ("every 6 hours", Some("6h")),
        ("once a day", Some("24h")),
    ];
    let items: Vec<&str> = choices.iter().map(|c| c.0).collect();
    let Some(i) = prompt(
        Select::with_theme(theme)
            .with_prompt("Heartbeat (how often personas wake up)")
            .items(&items)
            .default(0)
            .interact_opt(),
    )?
    else {
        return Ok(false);
    };
    args.heartbeat = choices[i].1.map(String::from);
    Ok(true)
}

/// An Ensemble's schedules: run at once, or one interval after they are
/// made (enabling then spends no tokens at once). v0.10's TUI has no such
/// step: it comes after the heartbeat, the schedules' other question.
fn ask_first_tick(theme: &ColorfulTheme, pack: &PersonaPack, args: &mut Args) -> Result<bool> {
    if pack.era != Era::Ensemble
        || args.first_tick.is_some()
        || !pack.spec.personas.iter().any(|p| p.schedule.is_some())
    {
        return Ok(true);
    }
    let choices = [("at once (immediate)", None), ("one interval later (afterInterval)", Some("afterInterval"))];
    let items: Vec<&str> = choices.iter().map(|c| c.0).collect();
    let Some(i) =
        prompt(Select::with_theme(theme).with_prompt("First scheduled run").items(&items).default(0).interact_opt())?
    else {
        return Ok(false);
    };
    args.first_tick = choices[i].1.map(String::from);
    Ok(true)
}

/// An Ensemble's stimulus: fire once every agent is ready, or only when
/// triggered (`run PACK --stimulus`).
fn ask_stimulus(theme: &ColorfulTheme, pack: &PersonaPack, args: &mut Args) -> Result<bool> {
    let stimulus = &pack.raw["spec"]["stimulus"];
    if pack.era != Era::Ensemble || args.stimulus_trigger.is_some() || !stimulus.is_object() {
        return Ok(true);
    }
    let manual = stimulus["trigger"] == "manual";
    let items = ["once every agent is ready (onReady)", "only when triggered (manual)"];
    let question = format!("Stimulus \"{}\" fires", escape(stimulus["name"].as_str().unwrap_or_default()));
    let Some(i) = prompt(
        Select::with_theme(theme).with_prompt(question).items(items).default(usize::from(manual)).interact_opt(),
    )?
    else {
        return Ok(false);
    };
    if (i == 1) != manual {
        args.stimulus_trigger = Some(if i == 1 { "manual" } else { "onReady" }.into());
    }
    Ok(true)
}

/// Personas to leave out (the excluded ones ticked).
fn ask_exclude(theme: &ColorfulTheme, pack: &PersonaPack, args: &mut Args) -> Result<bool> {
    if args.exclude.is_some() || pack.spec.personas.len() < 2 {
        return Ok(true);
    }
    let items: Vec<String> = pack
        .spec
        .personas
        .iter()
        .map(|p| format!("{} ({})", escape(&p.name), escape(p.display_name.as_deref().unwrap_or("-"))))
        .collect();
    let checked: Vec<bool> = pack.spec.personas.iter().map(|p| pack.is_excluded(&p.name)).collect();
    let Some(picked) = multi_select(theme, "Personas to leave out", &items, &checked)? else {
        return Ok(false);
    };
    args.exclude = Some(picked.into_iter().map(|i| pack.spec.personas[i].name.clone()).collect());
    Ok(true)
}

/// The github-gitops skill, when a persona uses it: the repository (a skill
/// parameter) and the token (hidden; Secret github-gitops-token).
fn ask_github(theme: &ColorfulTheme, pack: &PersonaPack, args: &mut Args, tokens: &mut Tokens) -> Result<bool> {
    let gitops = pack.spec.personas.iter().any(|p| p.skills.iter().any(|s| s == "github-gitops"));
    if !gitops {
        return Ok(true);
    }
    if !args.skill_param.iter().any(|s| s.starts_with("github-gitops.")) {
        let current =
            pack.spec.skill_params.get("github-gitops").and_then(|m| m.get("repo")).cloned().unwrap_or_default();
        let repo = text(theme, "GitHub repository for github-gitops (owner/repo)", offered(&current))?;
        if !repo.is_empty() {
            args.skill_param.push(format!("github-gitops.repo={repo}"));
        }
    }
    if tokens.github.is_none() {
        let question = format!(
            "GitHub token for github-gitops (stored in Secret {} in namespace {}; empty to leave it as it is)",
            activation::GITHUB_TOKEN_SECRET,
            activation::GITHUB_TOKEN_NAMESPACE
        );
        tokens.github =
            tokens::hidden(theme, &question, true)?.map(|t| Credential::one(activation::GITHUB_TOKEN_KEY, t));
    }
    Ok(true)
}

/// Channels bound to every persona (the ones bound now are ticked), then a
/// hidden prompt for each new channel's bot token.
fn ask_channels(theme: &ColorfulTheme, pack: &PersonaPack, args: &mut Args, tokens: &mut Tokens) -> Result<bool> {
    if !args.channel.is_empty() || !args.channel_secret.is_empty() || !tokens.channels.is_empty() {
        return Ok(true);
    }
    let bound: Vec<&str> = pack.spec.personas.iter().flat_map(|p| p.channels.iter().map(String::as_str)).collect();
    let names: Vec<&str> = activation::CHANNELS.iter().map(|(c, _)| *c).collect();
    let checked: Vec<bool> = names.iter().map(|c| bound.contains(c)).collect();
    let Some(picked) = multi_select(theme, "Channels for every persona", &names, &checked)? else {
        return Ok(false);
    };
    // Unchanged: nothing is written about channels.
    let now: std::collections::BTreeSet<&str> = picked.iter().map(|i| names[*i]).collect();
    if now == bound.iter().copied().collect() {
        return Ok(true);
    }
    if now.is_empty() {
        // Both upstream paths only ever set channels; an empty list is "leave as is".
        eprintln!(
            "Channels stay as they are: enable binds channels, it does not unbind them (edit the pack's personas for that)."
        );
        return Ok(true);
    }
    for i in picked {
        let channel = names[i];
        args.channel.push(channel.to_string());
        if let Some(key) = activation::CHANNELS[i].1 {
            tokens::ask_channel_token(theme, pack, channel, key, tokens)?;
        }
    }
    Ok(true)
}

/// Per-persona edits of the system prompt and skills (what Sympozium's web
/// UI offers): pick a persona, change either, until "done".
fn ask_persona_edits(theme: &ColorfulTheme, pack: &PersonaPack, args: &mut Args) -> Result<bool> {
    if !args.system_prompt_file.is_empty() || !args.persona_skills.is_empty() {
        return Ok(true);
    }
    let mut items: Vec<String> = vec!["done: no (more) persona edits".into()];
    items.extend(pack.spec.personas.iter().map(|p| format!("edit {}", escape(&p.name))));
    loop {
        let Some(i) = prompt(
            Select::with_theme(theme)
                .with_prompt("Edit a persona's system prompt or skills?")
                .items(&items)
                .default(0)
                .interact_opt(),
        )?
        else {
            return Ok(false);
        };
        if i == 0 {
            return Ok(true);
        }
        let persona = &pack.spec.personas[i - 1];
        let prompt_text = text(theme, "System prompt (empty keeps it)", "")?;
        if !prompt_text.is_empty() {
            args.system_prompt_text.push(format!("{}={prompt_text}", persona.name));
        }
        let current = persona.skills.join(",");
        let skills = text(theme, "Skills, comma-separated", offered(&current))?;
        if skills != current && !skills.is_empty() {
            args.persona_skills.push(format!("{}={skills}", persona.name));
        }
    }
}

/// A value from the cluster offered as a prompt's default: only when it holds
/// nothing a terminal would act on (else it is not offered at all: the prompt
/// would print it raw).
fn offered(value: &str) -> &str {
    if escape(value) == value { value } else { "" }
}

/// An existing Secret for the key: chosen from the namespace's Secrets (or
/// typed), and checked at once for the data key the provider's agents read.
async fn pick_secret(
    conn: &Connection,
    namespace: &str,
    theme: &ColorfulTheme,
    provider: Provider,
) -> Result<Option<String>> {
    let field = provider.key_field();
    // Only names a terminal cannot be driven by are offered.
    let names: Vec<String> = conn.secret_names(namespace).await?.into_iter().filter(|n| escape(n) == *n).collect();
    loop {
        let typed = "another name…".to_string();
        let mut items = names.clone();
        items.push(typed.clone());
        let Some(i) = prompt(
            Select::with_theme(theme)
                .with_prompt(format!("Secret in namespace {} holding {field}", escape(namespace)))
                .items(&items)
                .default(0)
                .interact_opt(),
        )?
        else {
            return Ok(None);
        };
        let name = if i == names.len() { text(theme, "Secret name", "")? } else { names[i].clone() };
        if name.is_empty() {
            return Ok(None);
        }
        match conn.secret_keys(namespace, &name).await? {
            Some(keys) if keys.iter().any(|k| k == field) => return Ok(Some(name)),
            Some(keys) => eprintln!(
                "Secret {} has no {field} (its keys: {}); {} agents read the key from {field}.",
                quoted(&name),
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.iter().map(|k| escape(k)).collect::<Vec<_>>().join(", ")
                },
                provider.name()
            ),
            None => eprintln!("Secret {} not found in namespace {}.", quoted(&name), quoted(namespace)),
        }
    }
}

/// A multi-select (the ticked rows given); `None` when cancelled.
fn multi_select<T: std::fmt::Display>(
    theme: &ColorfulTheme,
    question: &str,
    items: &[T],
    checked: &[bool],
) -> Result<Option<Vec<usize>>> {
    prompt(
        MultiSelect::with_theme(&WithCursor(theme))
            .with_prompt(format!("{question} (space to toggle, enter to accept)"))
            .items(items)
            .defaults(checked)
            .interact_opt(),
    )
}

/// The multi-select of `ColorfulTheme` marks the row under the cursor by
/// colour alone; without colour (NO_COLOR, TERM=dumb) it would not show at
/// all. This one adds the `❯` the single selects have.
struct WithCursor<'a>(&'a ColorfulTheme);

impl Theme for WithCursor<'_> {
    fn format_multi_select_prompt(&self, f: &mut dyn std::fmt::Write, prompt: &str) -> std::fmt::Result {
        self.0.format_multi_select_prompt(f, prompt)
    }

    fn format_multi_select_prompt_selection(
        &self,
        f: &mut dyn std::fmt::Write,
        prompt: &str,
        selections: &[&str],
    ) -> std::fmt::Result {
        self.0.format_multi_select_prompt_selection(f, prompt, selections)
    }

    fn format_multi_select_prompt_item(
        &self,
        f: &mut dyn std::fmt::Write,
        text: &str,
        checked: bool,
        active: bool,
    ) -> std::fmt::Result {
        write!(f, "{} ", if active { &self.0.active_item_prefix } else { &self.0.inactive_item_prefix })?;
        self.0.format_multi_select_prompt_item(f, text, checked, active)
    }
}

/// Cluster text quoted for a message, escaped.
fn quoted(value: &str) -> String {
    format!("\"{}\"", escape(value))
}

/// A free-text answer; `default` is offered (Enter accepts it) when non-empty.
fn text(theme: &ColorfulTheme, question: &str, default: &str) -> Result<String> {
    let mut input = Input::<String>::with_theme(theme).with_prompt(question).allow_empty(true);
    if !default.is_empty() {
        input = input.default(default.to_string());
    }
    prompt(input.interact_text())
}

/// Ctrl-C outside a prompt's raw mode: while the wizard reads the cluster,
/// or at the hidden key prompt, which reads the terminal in cooked mode —
/// there Ctrl-C is a SIGINT, and with a signal handler installed the read is
/// restarted with the runtime thread blocked in it, so no async select
/// (`interrupt`) can end it (tried: the PTY test hung). Nothing has been
/// written while the wizard asks, so this thread leaves as `Cancelled` would:
/// the terminal as it was (prompts hide the cursor), exit 130. The one exit
/// that skips destructors: a key typed earlier is not zeroized, it goes with
/// the process's memory.
fn cancel_on_ctrl_c() {
    std::thread::spawn(|| {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
        rt.block_on(async {
            if tokio::signal::ctrl_c().await.is_ok() {
                let _ = console::Term::stderr().show_cursor();
                eprintln!("\n{}", Error::Cancelled);
                std::process::exit(130)
            }
        });
    });
}
