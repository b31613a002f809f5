//! Every secret value `enable` takes — the provider's key, channel bot tokens,
//! the GitHub token — comes through here, from standard input, an environment
//! variable or a hidden prompt; never from an argument value. Standard input
//! and the environment are read before any connection is made: a kubeconfig
//! user that authenticates through an exec credential plugin runs that program
//! on the first request, and it inherits our stdin, where a token would still
//! be waiting. Read to the end, nothing of it is left for anyone.

use std::io::{IsTerminal, Read};

use zeroize::Zeroizing;

use super::flags::Args;
pub use crate::activation::Tokens;
use crate::activation::{self, Credential, KeyNeed, Provider};
use crate::error::{Error, Result};
use crate::model::PersonaPack;

/// What the flags asked to read from stdin and the environment, read now.
#[derive(Default)]
pub struct Early {
    pub api_key: Option<Zeroizing<String>>,
    pub tokens: Tokens,
}

pub fn read_early(args: &Args) -> Result<Early> {
    let mut early = Early::default();
    // clap lets at most one flag read standard input.
    if args.api_key_stdin {
        early.api_key = Some(stdin("--api-key-stdin", "the API key")?);
    }
    if let Some(var) = &args.api_key_env {
        early.api_key = Some(env("--api-key-env", var)?);
    }
    if let Some(channel) = &args.channel_token_stdin {
        let key = activation::channel_token_field("--channel-token-stdin", channel)?;
        let token = stdin("--channel-token-stdin", "the bot token")?;
        early.tokens.channels.push((channel.clone(), Credential::one(key, token.to_string())));
    }
    for pair in &args.channel_token_env {
        let (channel, var) = super::flags::split_pair("--channel-token-env", pair, "TYPE=VAR")?;
        let key = activation::channel_token_field("--channel-token-env", &channel)?;
        let token = env("--channel-token-env", &var)?;
        early.tokens.channels.push((channel, Credential::one(key, token.to_string())));
    }
    if args.github_token_stdin {
        let token = stdin("--github-token-stdin", "the GitHub token")?;
        early.tokens.github = Some(Credential::one(activation::GITHUB_TOKEN_KEY, token.to_string()));
    }
    if let Some(var) = &args.github_token_env {
        let token = env("--github-token-env", var)?;
        early.tokens.github = Some(Credential::one(activation::GITHUB_TOKEN_KEY, token.to_string()));
    }
    Ok(early)
}

fn stdin(flag: &str, what: &str) -> Result<Zeroizing<String>> {
    let mut s = Zeroizing::new(String::new());
    std::io::stdin().read_to_string(&mut s).map_err(|e| Error::usage(format!("{flag}: reading {what}: {e}")))?;
    let value = Zeroizing::new(s.trim_end_matches(['\n', '\r']).to_string());
    if value.is_empty() {
        return Err(Error::usage(format!("{flag}: standard input was empty")));
    }
    Ok(value)
}

fn env(flag: &str, var: &str) -> Result<Zeroizing<String>> {
    // A token typed where the variable's name belongs must not be echoed back.
    if !is_env_name(var) {
        return Err(Error::usage(format!(
            "{flag} takes the NAME of an environment variable that holds the value (the value given is not a variable name, and is not shown)"
        )));
    }
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Ok(Zeroizing::new(v)),
        _ => Err(Error::usage(format!("{flag}: environment variable {var} is not set"))),
    }
}

/// A portable environment variable name: `[A-Za-z_][A-Za-z0-9_]*`, at most 128.
fn is_env_name(s: &str) -> bool {
    s.len() <= 128
        && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A hidden prompt; `None` for an empty answer when `optional`.
pub fn hidden(theme: &dyn dialoguer::theme::Theme, question: &str, optional: bool) -> Result<Option<String>> {
    let value =
        prompt(dialoguer::Password::with_theme(theme).with_prompt(question).allow_empty_password(optional).interact())?;
    Ok((!value.is_empty()).then_some(value))
}

/// A prompt's error as ours; an interrupted prompt is a cancel.
pub fn prompt<T>(r: dialoguer::Result<T>) -> Result<T> {
    match r {
        Err(dialoguer::Error::IO(e)) if e.kind() == std::io::ErrorKind::Interrupted => Err(Error::Cancelled),
        r => r.map_err(|e| Error::usage(format!("prompt: {e}"))),
    }
}

/// The credential: bedrock's from the AWS variables; else the key read
/// early (stdin or environment), else a hidden prompt — never an argument
/// value. Keyless providers may have none.
pub fn credential(
    provider: Provider,
    args: &Args,
    pack: &str,
    early: Option<zeroize::Zeroizing<String>>,
) -> Result<Option<Credential>> {
    if provider == Provider::Bedrock {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let region = args
            .aws_region
            .clone()
            .ok_or_else(|| Error::usage("--provider bedrock needs --aws-region (or AWS_REGION)"))?;
        let (Some(id), Some(secret)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) else {
            return Err(Error::usage(
                "--provider bedrock reads its keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            ));
        };
        return Ok(Some(Credential::aws(region, id, secret, env("AWS_SESSION_TOKEN"))));
    }
    let key = if let Some(k) = early {
        Some(k.to_string())
    } else if provider.key_need() != KeyNeed::None && std::io::stdin().is_terminal() && !args.yes {
        let optional = provider.key_need() == KeyNeed::Optional;
        let prompt = format!(
            "API key for {} (stored in Secret {}){}",
            provider.name(),
            provider.secret_name(pack),
            if optional { ", empty for none" } else { "" }
        );
        hidden(&dialoguer::theme::SimpleTheme, &prompt, optional)?
    } else {
        None
    };
    Ok(key.map(|k| Credential::api_key(provider, k)))
}

/// On a terminal (flags given, no wizard): a hidden prompt for each bound
/// channel's bot token that no flag gave and no Secret holds yet.
pub fn ask_channel_tokens(args: &Args, pack: &PersonaPack, tokens: &mut Tokens) -> Result<()> {
    let theme = dialoguer::theme::SimpleTheme;
    for channel in &args.channel {
        let Some(key) = activation::channel_token_key(channel).flatten() else { continue };
        let given = tokens.channels.iter().any(|(c, _)| c == channel)
            || args.channel_secret.iter().any(|p| p.split_once('=').is_some_and(|(c, _)| c == channel))
            || pack.spec.channel_configs.get(channel).is_some_and(|s| !s.is_empty());
        if !given {
            ask_channel_token(&theme, pack, channel, key, tokens)?;
        }
    }
    Ok(())
}

/// One channel's bot token, hidden (wizard and flags alike); with a Secret
/// already named in the pack's channelConfigs, empty keeps that one.
pub fn ask_channel_token(
    theme: &dyn dialoguer::theme::Theme,
    pack: &PersonaPack,
    channel: &str,
    key: &str,
    tokens: &mut Tokens,
) -> Result<()> {
    let current = pack.spec.channel_configs.get(channel).filter(|s| !s.is_empty());
    let question = match current {
        Some(s) => format!("{channel} bot token ({key}; empty keeps Secret \"{}\")", crate::escape::escape(s)),
        None => format!(
            "{channel} bot token ({key}, stored in Secret {})",
            activation::channel_secret_name(&pack.meta.name, channel)
        ),
    };
    if let Some(token) = hidden(theme, &question, current.is_some())? {
        tokens.channels.push((channel.to_string(), Credential::one(key, token)));
    }
    Ok(())
}
