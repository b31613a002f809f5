//! Model providers as the Sympozium TUI and web API name them: what each
//! needs (a key, a base URL) and the Secret keys it is read from.

/// Model providers, as the Sympozium TUI and API offer them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Provider {
    Openai,
    Anthropic,
    AzureOpenai,
    Ollama,
    LmStudio,
    LlamaServer,
    Bedrock,
    Custom,
}

/// Whether a provider needs an API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyNeed {
    Required,
    Optional,
    None,
}

/// The Secret key the provider an authRef names reads its key from; None
/// when it needs none, or is not one Sympozium offers.
pub fn key_field_of(name: &str) -> Option<&'static str> {
    let p = Provider::ALL.into_iter().find(|p| p.name() == name)?;
    (p.key_need() == KeyNeed::Required).then(|| p.key_field())
}

impl Provider {
    pub const ALL: [Provider; 8] = [
        Provider::Openai,
        Provider::Anthropic,
        Provider::AzureOpenai,
        Provider::Ollama,
        Provider::LmStudio,
        Provider::LlamaServer,
        Provider::Bedrock,
        Provider::Custom,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Provider::Openai => "openai",
            Provider::Anthropic => "anthropic",
            Provider::AzureOpenai => "azure-openai",
            Provider::Ollama => "ollama",
            Provider::LmStudio => "lm-studio",
            Provider::LlamaServer => "llama-server",
            Provider::Bedrock => "bedrock",
            Provider::Custom => "custom",
        }
    }

    /// The Secret data key the agent runner reads the key from.
    pub fn key_field(self) -> &'static str {
        match self {
            Provider::Openai => "OPENAI_API_KEY",
            Provider::Anthropic => "ANTHROPIC_API_KEY",
            Provider::AzureOpenai => "AZURE_OPENAI_API_KEY",
            Provider::Bedrock => "AWS_SECRET_ACCESS_KEY",
            _ => "API_KEY",
        }
    }

    pub fn key_need(self) -> KeyNeed {
        match self {
            Provider::Openai | Provider::Anthropic | Provider::AzureOpenai | Provider::Bedrock => KeyNeed::Required,
            Provider::LmStudio | Provider::LlamaServer | Provider::Custom => KeyNeed::Optional,
            Provider::Ollama => KeyNeed::None,
        }
    }

    /// The model the Sympozium TUI offers by default.
    pub fn default_model(self) -> Option<&'static str> {
        match self {
            Provider::Openai => Some("gpt-4o"),
            Provider::Anthropic => Some("claude-sonnet-4-20250514"),
            Provider::Ollama => Some("llama3"),
            Provider::Bedrock => Some("anthropic.claude-sonnet-4-20250514-v1:0"),
            _ => None,
        }
    }

    /// Local providers' default endpoints (upstream API and TUI defaults).
    pub fn default_base_url(self) -> Option<&'static str> {
        match self {
            Provider::Ollama => Some("http://ollama.default.svc:11434/v1"),
            Provider::LmStudio => Some("http://localhost:1234/v1"),
            Provider::LlamaServer => Some("http://localhost:8080/v1"),
            _ => None,
        }
    }

    /// Upstream's credential Secret name for a pack and provider.
    pub fn secret_name(self, pack: &str) -> String {
        format!("{pack}-{}-key", self.name())
    }
}
