//! The house rules, checked on the sources themselves: no source file over
//! 600 lines and no function over 80 (unit tests aside), and no request to
//! the API server built outside `cluster/` (where `--request-timeout`, the
//! error translation and the era are applied).

use std::path::{Path, PathBuf};

const MAX_FILE: usize = 600;
const MAX_FN: usize = 80;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The lines before the file's unit tests (a `#[cfg(test)]` module at the
/// end, or a file that is one).
fn code(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    if path.file_name().is_some_and(|n| n == "tests.rs" || n == "fixtures.rs" || n == "layout.rs") {
        return Vec::new();
    }
    text.lines().take_while(|l| !l.starts_with("#[cfg(test)]")).map(String::from).collect()
}

/// Braces that count: outside strings, chars and comments (enough for this code base).
fn braces(line: &str) -> (usize, usize) {
    let (mut open, mut close, mut in_str) = (0, 0, false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_str => {
                chars.next();
            }
            '"' => in_str = !in_str,
            '\'' if !in_str => {
                // A char literal such as '{' (a lifetime has no closing quote soon).
                let ahead: String = chars.clone().take(3).collect();
                if ahead.chars().nth(1) == Some('\'') || ahead.starts_with('\\') {
                    for c in chars.by_ref() {
                        if c == '\'' {
                            break;
                        }
                    }
                }
            }
            '/' if !in_str && chars.peek() == Some(&'/') => break,
            '{' if !in_str => open += 1,
            '}' if !in_str => close += 1,
            _ => {}
        }
    }
    (open, close)
}

/// Each function's name and length in lines (signature to closing brace).
fn functions(lines: &[String]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let Some(at) = t.find("fn ").filter(|&at| {
            let head = &t[..at];
            head.split_whitespace()
                .all(|w| ["pub", "pub(crate)", "pub(super)", "async", "const", "unsafe"].contains(&w))
        }) else {
            continue;
        };
        let name: String = t[at + 3..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let (mut depth, mut started) = (0usize, false);
        for (j, l) in lines[i..].iter().enumerate() {
            let (o, c) = braces(l);
            depth = (depth + o).saturating_sub(c);
            started |= o > 0;
            if !started && l.trim_end().ends_with(';') {
                break;
            }
            if started && depth == 0 {
                out.push((name.clone(), j + 1));
                break;
            }
        }
    }
    out
}

fn all_sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    files.sort();
    files
}

#[test]
fn no_file_or_function_too_long_to_hold_in_your_head() {
    let mut over = Vec::new();
    for path in all_sources() {
        let lines = code(&path);
        let shown = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().display().to_string();
        if lines.len() > MAX_FILE {
            over.push(format!("{shown}: {} lines", lines.len()));
        }
        for (name, n) in functions(&lines) {
            if n > MAX_FN {
                over.push(format!("{shown}: fn {name} is {n} lines"));
            }
        }
    }
    assert!(over.is_empty(), "over {MAX_FILE} lines a file or {MAX_FN} a function:\n{}", over.join("\n"));
}

#[test]
fn requests_are_built_in_the_cluster_layer_only() {
    let mut found = Vec::new();
    for path in all_sources() {
        let shown = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().display().to_string();
        if shown.starts_with("src/cluster/") || shown.starts_with("src/connection") {
            continue;
        }
        for (i, line) in code(&path).iter().enumerate() {
            if ["Api::", "Api<", "http::Request::", ".request("].iter().any(|p| line.contains(p)) {
                found.push(format!("{shown}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "requests built outside cluster/:\n{}", found.join("\n"));
}

#[test]
fn the_rules_see_what_they_guard() {
    let lines: Vec<String> = ["fn long() {", "    let s = \"}\";", "    let c = '{';"]
        .into_iter()
        .map(String::from)
        .chain(std::iter::repeat_n("    x();".to_string(), MAX_FN))
        .chain(["}".to_string(), "pub(super) async fn short(a: u8) -> u8 {".into(), "    a".into(), "}".into()])
        .collect();
    assert_eq!(functions(&lines), vec![("long".to_string(), MAX_FN + 4), ("short".to_string(), 3)]);
}
