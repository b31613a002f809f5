//! Terminal-safe text: what the cluster (names, prompts, URLs) and agents
//! (results, logs) wrote is escaped before it reaches a terminal.

/// Escape control characters (ANSI escapes included) in text from the
/// cluster, so a hostile name cannot drive the terminal.
pub fn escape(s: &str) -> String {
    if !s.chars().any(is_unsafe) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Characters that must not reach a terminal from cluster text: controls (C0,
/// DEL, C1: escapes, OSC, cursor moves) and the invisible format characters
/// that reorder or hide text (bidirectional overrides and isolates, zero-width
/// characters, the BOM), which can make one name look like another.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_terminal_control() {
        assert_eq!(escape("plain-name"), "plain-name");
        assert_eq!(escape("evil\u{1b}[31mred"), "evil\\u{1b}[31mred");
        // Bidirectional overrides and zero-width characters disguise text.
        assert_eq!(escape("admin\u{202e}txt.exe"), "admin\\u{202e}txt.exe");
        assert_eq!(escape("a\u{2066}b\u{200b}c\u{feff}"), "a\\u{2066}b\\u{200b}c\\u{feff}");
        assert_eq!(escape("é ü 日本"), "é ü 日本", "ordinary text is kept");
        assert_eq!(escape("a\nb"), "a\\nb");
    }
}
