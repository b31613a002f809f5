//! Colour, decided once: on a terminal, `TERM` not `dumb`, `NO_COLOR` unset —
//! unless `--color always|never` says otherwise. Rendering code asks the
//! palette to paint a word by meaning (good, bad, warn, dim), never picks ANSI
//! codes itself.

use std::io::IsTerminal;

use owo_colors::OwoColorize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    enabled: bool,
}

impl Palette {
    pub fn new(choice: ColorChoice) -> Self {
        let enabled = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map(|t| t != "dumb").unwrap_or(false)
            }
        };
        Palette { enabled }
    }

    pub const fn plain() -> Self {
        Palette { enabled: false }
    }

    /// Colour on, whatever the terminal (tests of the coloured renderings).
    #[cfg(test)]
    pub const fn colored() -> Self {
        Palette { enabled: true }
    }

    pub fn enabled(self) -> bool {
        self.enabled
    }

    pub fn good(self, s: &str) -> String {
        if self.enabled { s.green().to_string() } else { s.to_string() }
    }

    pub fn bad(self, s: &str) -> String {
        if self.enabled { s.red().to_string() } else { s.to_string() }
    }

    pub fn warn(self, s: &str) -> String {
        if self.enabled { s.yellow().to_string() } else { s.to_string() }
    }

    pub fn dim(self, s: &str) -> String {
        if self.enabled { s.bright_black().to_string() } else { s.to_string() }
    }

    /// Paint a phase or verdict word by what it means.
    pub fn phase(self, s: &str) -> String {
        match s {
            "Ready" | "Running" | "Serving" | "Active" | "Complete" | "Bound" | "True" | "yes" | "present" => {
                self.good(s)
            }
            "Error" | "Failed" | "False" | "Degraded" | "missing" | "Missing" => self.bad(s),
            "Progressing" | "Disabling" | "Suspended" | "Pending" | "Unknown" | "NotReconciled" | "orphan" => {
                self.warn(s)
            }
            _ => s.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_and_always_decide_alone() {
        assert!(!Palette::new(ColorChoice::Never).enabled() && !Palette::plain().enabled());
        assert!(Palette::new(ColorChoice::Always).enabled());
    }

    /// Each kind of word its own colour; unknown words and a plain palette unpainted.
    #[test]
    fn phases_are_painted_by_meaning() {
        let c = Palette::colored();
        assert_eq!(c.phase("Ready"), "Ready".green().to_string());
        assert_eq!(c.phase("Failed"), "Failed".red().to_string());
        for word in ["Progressing", "Disabling", "Suspended", "Pending", "Unknown", "NotReconciled", "orphan"] {
            assert_eq!(c.phase(word), word.yellow().to_string());
        }
        assert_eq!(c.phase("Whatever"), "Whatever");
        assert_eq!(c.dim("x"), "x".bright_black().to_string());
        assert_eq!(Palette::plain().phase("Ready"), "Ready");
    }
}
