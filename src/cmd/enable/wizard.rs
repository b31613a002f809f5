//! The `enable` wizard (dialoguer): on a terminal, asks for whatever the flags
//! left open, shows exactly what will be written, and asks to confirm. It
//! only fills in `enable::Args` (and the key, read hidden); nothing is written
//! here, so Ctrl-C or "no" at any point changes nothing.

use dialoguer::theme::{ColorfulTheme, Theme};
use dialoguer::{Confirm, Input, MultiSelect, Password, Select};

use super::flags::{Args, request_with};
use crate::activation::{self, Credential, KeyNeed, Provider};
use crate::cluster::Connection;
use crate::error::{Error, Result};
use crate::model::PersonaPack;
use crate::output::escape;

/// The completed answers: flags plus the key typed at the hidden prompt.
pub struct Answers {
    pub args: Args,
    pub credential: Option<Credential>,
}

/// Ask; `None` when the user declined or cancelled.
pub async fn ask(conn: &Connection, namespace: &str, given: Args) -> Result<Option<Answers>> {
    cancel_on_ctrl_c();
    let theme = ColorfulTheme::default();
    let mut args = given;

    let name = match args.pack.clone() {
        Some(n) => n,
        None => {
            let raw = conn.list_packs(Some(namespace), None).await?;
            let mut packs: Vec<PersonaPack> = raw.iter().map(PersonaPack::from_value).collect();
            if packs.is_empty() {
                return Err(Error::usage(format!(
                    "no PersonaPacks in namespace \"{}\": catalog packs live in sympozium-system; try: kubectl personapack enable -n sympozium-system --into {}",
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
            let Some(i) =
                prompt(Select::with_theme(&theme).with_prompt("PersonaPack").items(&items).default(0).interact_opt())?
            else {
                return Ok(None);
            };
            packs[i].meta.name.clone()
        }
    };
    args.pack = Some(name.clone());
    let pack = PersonaPack::from_value(&conn.get_pack(namespace, &name).await?);
    // The first screen says what is being enabled, and where.
    eprintln!(
        "Enabling personapack \"{}\" in namespace \"{}\"{}: {} personas{}",
        escape(&name),
        escape(namespace),
        args.into.as_deref().map(|t| format!(" (a copy in \"{}\")", escape(t))).unwrap_or_default(),
        pack.spec.personas.len(),
        pack.spec.description.as_deref().map(|d| format!(", {}", escape(d))).unwrap_or_default()
    );

    let provider = match args.provider {
        Some(p) => p,
        None => {
            let current = pack.spec.auth_refs.first().and_then(|r| r.provider.clone());
            let names: Vec<&str> = Provider::ALL.iter().map(|p| p.name()).collect();
            let default = names.iter().position(|n| Some(*n) == current.as_deref()).unwrap_or(0);
            let Some(i) = prompt(
                Select::with_theme(&theme).with_prompt("Model provider").items(&names).default(default).interact_opt(),
            )?
            else {
                return Ok(None);
            };
            Provider::ALL[i]
        }
    };
    args.provider = Some(provider);

    let mut credential = None;
    if args.secret.is_none()
        && args.api_key_env.is_none()
        && provider != Provider::Bedrock
        && provider.key_need() != KeyNeed::None
    {
        let choices = [
            format!("Enter the API key (hidden; stored in Secret {})", provider.secret_name(&name)),
            format!("Use an existing Secret in namespace {}", escape(namespace)),
        ];
        let Some(choice) =
            prompt(Select::with_theme(&theme).with_prompt("API key").items(&choices).default(0).interact_opt())?
        else {
            return Ok(None);
        };
        if choice == 0 {
            let optional = provider.key_need() == KeyNeed::Optional;
            let key = prompt(
                Password::with_theme(&theme)
                    .with_prompt(format!(
                        "API key for {}{}",
                        provider.name(),
                        if optional { " (empty for none)" } else { "" }
                    ))
                    .allow_empty_password(optional)
                    .interact(),
            )?;
            if !key.is_empty() {
                credential = Some(Credential::api_key(provider, key));
            }
        } else {
            let Some(secret) = pick_secret(conn, namespace, &theme, provider).await? else {
                return Ok(None);
            };
            args.secret = Some(secret);
        }
    }

    if args.model.is_none() {
        // Nothing pre-filled: Enter really keeps each persona's own model;
        // the provider's usual model is a hint to type.
        let hint = provider.default_model().map(|m| format!("e.g. {m}; ")).unwrap_or_default();
        let model = text(&theme, &format!("Model for every persona ({hint}empty keeps each persona's own)"), "")?;
        args.model = (!model.is_empty()).then_some(model);
    }
    let needs_url = matches!(
        provider,
        Provider::Ollama | Provider::LmStudio | Provider::LlamaServer | Provider::AzureOpenai | Provider::Custom
    );
    if args.base_url.is_none() && needs_url {
        // The key goes wherever this URL points: never pre-filled from the
        // pack (whoever wrote it could make a lookalike of the provider's),
        // only shown, whole and escaped, to be typed if wanted.
        let ours = provider.default_base_url().unwrap_or_default();
        if let Some(theirs) = pack.spec.base_url.as_deref().filter(|u| !u.is_empty() && *u != ours) {
            eprintln!("The pack's current base URL is {}; type it to keep it.", quoted(theirs));
        }
        let url = text(&theme, "Base URL", ours)?;
        args.base_url = (!url.is_empty()).then_some(url);
    }
    if args.task.is_none() {
        let current = pack.spec.task_override.as_deref().unwrap_or_default();
        let task = text(&theme, "Team objective (empty for none)", offered(current))?;
        args.task = (!task.is_empty()).then_some(task);
    }
    if args.exclude.is_none() && pack.spec.personas.len() > 1 {
        let items: Vec<String> = pack
            .spec
            .personas
            .iter()
            .map(|p| format!("{} ({})", escape(&p.name), escape(p.display_name.as_deref().unwrap_or("-"))))
            .collect();
        let checked: Vec<bool> = pack.spec.personas.iter().map(|p| pack.is_excluded(&p.name)).collect();
        let Some(picked) = prompt(
            MultiSelect::with_theme(&WithCursor(&theme))
                .with_prompt("Personas to leave out (space to toggle, enter to accept)")
                .items(&items)
                .defaults(&checked)
                .interact_opt(),
        )?
        else {
            return Ok(None);
        };
        args.exclude = Some(picked.into_iter().map(|i| pack.spec.personas[i].name.clone()).collect());
    }
    let gitops = pack.spec.personas.iter().any(|p| p.skills.iter().any(|s| s == "github-gitops"));
    if gitops && !args.skill_param.iter().any(|s| s.starts_with("github-gitops.")) {
        let current =
            pack.spec.skill_params.get("github-gitops").and_then(|m| m.get("repo")).cloned().unwrap_or_default();
        let repo = text(&theme, "GitHub repository for github-gitops (owner/repo)", offered(&current))?;
        if !repo.is_empty() {
            args.skill_param.push(format!("github-gitops.repo={repo}"));
        }
    }

    // The summary is the plan itself, not a paraphrase of the answers.
    let req = request_with(&args, credential.clone())?;
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
    Ok(Some(Answers { args, credential }))
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

/// A prompt's error as ours; an interrupted prompt is a cancel.
fn prompt<T>(r: dialoguer::Result<T>) -> Result<T> {
    match r {
        Err(dialoguer::Error::IO(e)) if e.kind() == std::io::ErrorKind::Interrupted => Err(Error::Cancelled),
        r => r.map_err(|e| Error::usage(format!("prompt: {e}"))),
    }
}

/// Ctrl-C outside a prompt's raw mode (while the wizard reads the cluster):
/// a SIGINT that no prompt turns into `Error::Cancelled`. Nothing has been
/// written while the wizard asks, and the blocked runtime thread cannot be
/// unwound, so this one leaves as `Cancelled` would: the terminal as it was
/// (prompts hide the cursor), exit 130.
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
