//! Channels (Telegram, Slack, Discord, WhatsApp): their token keys and the
//! Secret each pack's bot token is kept in.

use crate::error::{Error, Result};

/// Channel types a persona can be bound to, in the TUI's order, with the
/// Secret data key its bot token goes in (WhatsApp pairs by QR: no token).
pub const CHANNELS: [(&str, Option<&str>); 4] = [
    ("telegram", Some("TELEGRAM_BOT_TOKEN")),
    ("slack", Some("SLACK_BOT_TOKEN")),
    ("discord", Some("DISCORD_BOT_TOKEN")),
    ("whatsapp", None),
];

/// The token key of a channel type; `None` for an unknown type.
pub fn channel_token_key(channel: &str) -> Option<Option<&'static str>> {
    CHANNELS.iter().find(|(c, _)| *c == channel).map(|(_, k)| *k)
}

/// The Secret key a channel's bot token goes in; refused for an unknown
/// channel or one without a token (WhatsApp pairs by QR code).
pub fn channel_token_field(flag: &str, channel: &str) -> Result<&'static str> {
    match channel_token_key(channel) {
        Some(Some(key)) => Ok(key),
        Some(None) => Err(Error::usage(format!("{flag}: channel {channel} takes no token (it pairs by QR code)"))),
        None => Err(Error::usage(format!("{flag}: unknown channel {channel:?} (channels: {})", channel_names()))),
    }
}

pub fn channel_names() -> String {
    CHANNELS.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}

/// Upstream's (the TUI's) name for a pack's channel token Secret.
pub fn channel_secret_name(pack: &str, channel: &str) -> String {
    format!("{pack}-{channel}-secret")
}
