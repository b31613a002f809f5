//! Output formats (`-o json|yaml|wide|name`), kubectl's column layout, `List`
//! documents, AGE, and escaping of names that come from the cluster.

use crate::escape::escape;
use std::io::Write;

use jiff::Timestamp;
use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;

use crate::color::Palette;
use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Yaml,
    Wide,
    Name,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
            Format::Wide => "wide",
            Format::Name => "name",
        }
    }
}

/// The formats of a command that prints a document only.
pub const DOCUMENTS: &[Format] = &[Format::Json, Format::Yaml];

/// `-o` for a command that prints only some formats: those are what its
/// help and completion offer; the others still parse, so that the command
/// refuses them in kubectl's words (`only`).
#[derive(Clone, Copy)]
pub struct Offered(pub &'static [Format]);

impl clap::builder::TypedValueParser for Offered {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<Format, clap::Error> {
        use clap::builder::{EnumValueParser, PossibleValuesParser};
        match EnumValueParser::<Format>::new().parse_ref(cmd, arg, value) {
            Ok(f) => Ok(f),
            // Not a format at all: clap's refusal, naming only those offered.
            Err(e) => {
                let offered = self.0.iter().filter_map(clap::ValueEnum::to_possible_value);
                Err(PossibleValuesParser::new(offered).parse_ref(cmd, arg, value).err().unwrap_or(e))
            }
        }
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(self.0.iter().filter_map(clap::ValueEnum::to_possible_value)))
    }
}

/// Refuse an `-o` this command cannot print, in kubectl's words.
pub fn only(format: Option<Format>, allowed: &[Format]) -> crate::error::Result<()> {
    match format {
        Some(f) if !allowed.contains(&f) => Err(crate::error::Error::usage(format!(
            "unable to match a printer suitable for the output format \"{}\", allowed formats are: {}",
            f.name(),
            allowed.iter().map(|a| a.name()).collect::<Vec<_>>().join(",")
        ))),
        _ => Ok(()),
    }
}

/// Write `text` to stdout in one go. A closed pipe surfaces as
/// `Error::Io(BrokenPipe)`, which `main` turns into a quiet exit 0.
pub fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// `--watch` output: redrawn in place on a terminal, appended in a pipe (as
/// `kubectl -w` does), and only when it changed.
#[derive(Default)]
pub struct Redraw {
    last: String,
}

impl Redraw {
    pub fn show(&mut self, text: String) -> Result<()> {
        match self.frame(text, std::io::IsTerminal::is_terminal(&std::io::stdout())) {
            Some(frame) => emit(&frame),
            None => Ok(()),
        }
    }

    /// What to write for `text`: nothing when unchanged; on a terminal, the
    /// screen cleared first.
    fn frame(&mut self, text: String, terminal: bool) -> Option<String> {
        if text == self.last {
            return None;
        }
        let frame = if terminal { format!("\x1b[H\x1b[2J{text}") } else { format!("{text}\n") };
        self.last = text;
        Some(frame)
    }
}

/// Serialise one object, or a `kind: List` of several, as JSON or YAML.
pub fn document(items: Vec<Value>, single: bool, format: Format) -> Result<String> {
    let doc = if single && items.len() == 1 {
        items.into_iter().next().unwrap_or(Value::Null)
    } else {
        json!({"apiVersion": "v1", "kind": "List", "items": items, "metadata": {"resourceVersion": ""}})
    };
    serialize(&doc, format)
}

/// A `kind: List` document written an item at a time (`list -o json|yaml`
/// page by page): the same bytes as `document` of all the items, without
/// holding them all.
pub struct ListStream {
    format: Format,
    items: usize,
}

impl ListStream {
    /// The document's head; then `item` for each object, then `end`.
    pub fn start(format: Format) -> (ListStream, String) {
        let head = match format {
            Format::Yaml => "apiVersion: v1\nitems:",
            _ => "{\n    \"apiVersion\": \"v1\",\n    \"items\": [",
        };
        (ListStream { format, items: 0 }, head.to_string())
    }

    pub fn item(&mut self, obj: &Value) -> Result<String> {
        let mut out = String::new();
        match self.format {
            // The object as the one entry of a sequence: YAML indents what an
            // entry holds (block scalars, nested sequences) relative to it.
            Format::Yaml => {
                let entry =
                    serde_saphyr::to_string(&[obj]).map_err(|e| Error::usage(format!("rendering YAML: {e}")))?;
                // Whole, with its final line break: a block scalar may keep
                // trailing blank lines.
                if self.items == 0 {
                    out.push('\n');
                }
                out.push_str(&entry);
            }
            _ => {
                let text = serialize(obj, self.format)?;
                if self.items > 0 {
                    out.push(',');
                }
                for line in text.trim_end_matches('\n').split('\n') {
                    out.push_str("\n        ");
                    out.push_str(line);
                }
            }
        }
        self.items += 1;
        Ok(out)
    }

    pub fn end(self) -> String {
        match (self.format, self.items) {
            (Format::Yaml, 0) => " []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n".into(),
            (Format::Yaml, _) => "kind: List\nmetadata:\n  resourceVersion: \"\"\n".into(),
            (_, 0) => {
                "],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n".into()
            }
            _ => {
                "\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
                    .into()
            }
        }
    }
}

pub fn serialize(doc: &Value, format: Format) -> Result<String> {
    match format {
        Format::Yaml => serde_saphyr::to_string(doc).map_err(|e| Error::usage(format!("rendering YAML: {e}"))),
        _ => {
            // kubectl's JSON byte for byte: Go's MarshalIndent with four
            // spaces, and its HTML-safe escapes (only strings can hold these).
            let mut buf = Vec::new();
            let mut ser = serde_json::Serializer::with_formatter(
                &mut buf,
                serde_json::ser::PrettyFormatter::with_indent(b"    "),
            );
            serde::Serialize::serialize(doc, &mut ser).map_err(|e| Error::usage(format!("rendering JSON: {e}")))?;
            let mut s = String::from_utf8(buf).map_err(|e| Error::usage(format!("rendering JSON: {e}")))?;
            if s.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
                s = s
                    .replace('<', "\\u003c")
                    .replace('>', "\\u003e")
                    .replace('&', "\\u0026")
                    .replace('\u{2028}', "\\u2028")
                    .replace('\u{2029}', "\\u2029");
            }
            s.push('\n');
            Ok(s)
        }
    }
}

/// Drop what kubectl hides by default (`metadata.managedFields`).
pub fn strip_managed_fields(mut obj: Value) -> Value {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    obj
}

/// How a cell is painted once padded (a `Palette` method).
type Paint = Option<fn(Palette, &str) -> String>;

/// A cell: its text, and how to paint it once padded.
#[derive(Clone, Debug)]
pub struct Cell {
    text: String,
    paint: Paint,
    /// Display width when `text` already holds colour codes.
    width: Option<usize>,
}

impl Cell {
    pub fn plain(s: impl AsRef<str>) -> Self {
        Cell::painted(s, None)
    }

    pub fn phase(s: impl AsRef<str>) -> Self {
        Cell::painted(s, Some(Palette::phase))
    }

    pub fn dim(s: impl AsRef<str>) -> Self {
        Cell::painted(s, Some(Palette::dim))
    }

    /// Text (escaped here) painted by `paint` once padded.
    pub fn painted(s: impl AsRef<str>, paint: Paint) -> Self {
        Cell { text: escape(s.as_ref()), paint, width: None }
    }

    /// Text already escaped and partly coloured by the caller, of display width `width`.
    pub fn precoloured(text: String, width: usize) -> Self {
        Cell { text, paint: None, width: Some(width) }
    }

    fn width(&self) -> usize {
        self.width.unwrap_or_else(|| self.text.width())
    }
}

impl<S: AsRef<str>> From<S> for Cell {
    fn from(s: S) -> Self {
        Cell::plain(s)
    }
}

/// kubectl's table layout (tabwriter with 3-space gutters, no trailing blanks).
/// Colour is applied after padding so escape codes never skew alignment.
pub fn table(headers: &[&str], rows: &[Vec<Cell>], show_headers: bool, palette: Palette) -> String {
    let ncol = headers.len();
    // kubectl's tabwriter: a column is at least 6 wide, padding included.
    let mut widths: Vec<usize> = headers.iter().map(|h| if show_headers { h.width().max(3) } else { 3 }).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(ncol) {
            widths[i] = widths[i].max(cell.width());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<(String, Paint, usize)>| {
        let last = cells.len().saturating_sub(1);
        let mut l = String::new();
        for (i, (text, paint, width)) in cells.into_iter().enumerate() {
            let pad = if i == last { 0 } else { widths[i] - width + 3 };
            match paint {
                Some(p) => l.push_str(&p(palette, &text)),
                None => l.push_str(&text),
            }
            l.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    if show_headers {
        line(headers.iter().map(|h| (h.to_string(), None, h.width())).collect());
    }
    for row in rows {
        line(row.iter().take(ncol).map(|c| (c.text.clone(), c.paint, c.width())).collect());
    }
    out
}

/// kubectl's AGE column (k8s.io/apimachinery duration.HumanDuration).
pub fn age(created: Option<Timestamp>, now: Timestamp) -> String {
    let Some(created) = created else {
        return "<unknown>".into();
    };
    let secs = now.as_second() - created.as_second();
    human_duration(secs)
}

pub fn human_duration(secs: i64) -> String {
    if secs < -1 {
        return "<invalid>".into();
    }
    if secs < 0 {
        return "0s".into();
    }
    if secs < 120 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        let s = secs % 60;
        return if s == 0 { format!("{minutes}m") } else { format!("{minutes}m{s}s") };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = secs / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 { format!("{hours}h") } else { format!("{hours}h{m}m") };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 { format!("{}d", hours / 24) } else { format!("{}d{}h", hours / 24, h) };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 { format!("{}y", hours / 24 / 365) } else { format!("{}y{}d", hours / 24 / 365, dy) };
    }
    format!("{}y", hours / 24 / 365)
}

/// Print what could not be read from an object, kubectl's `Warning:` way.
pub fn warn_unreadable(kind: &str, namespace: &str, name: &str, warnings: &[crate::model::Warning]) {
    for w in warnings {
        eprintln!(
            "Warning: {kind} \"{}\" in namespace \"{}\": {}: {} (field ignored)",
            escape(name),
            escape(namespace),
            escape(&w.path),
            escape(&w.problem)
        );
    }
}

#[cfg(test)]
mod tests {
    /// The streamed list is the whole list, byte for byte.
    fn streamed(items: &[Value], format: Format) -> String {
        let (mut stream, mut out) = ListStream::start(format);
        for i in items {
            out.push_str(&stream.item(i).unwrap());
        }
        out.push_str(&stream.end());
        out
    }

    #[test]
    fn a_streamed_list_is_the_whole_list() {
        let a = json!({"apiVersion": "sympozium.ai/v1alpha1", "kind": "PersonaPack",
                       "metadata": {"name": "a<b>", "labels": {"x": "1"}},
                       "spec": {"personas": [{"name": "p", "systemPrompt": "one\n\ntwo\n", "skills": ["m", "k"]}],
                                "empty": {}, "none": [], "n": null, "t": true, "num": 1.5}});
        let b = json!({"kind": "PersonaPack", "metadata": {"name": "b"}, "spec": {"description": "- not: a list"}});
        for format in [Format::Json, Format::Yaml] {
            for items in [vec![], vec![a.clone()], vec![a.clone(), b.clone(), a.clone()]] {
                assert_eq!(streamed(&items, format), document(items.clone(), false, format).unwrap(), "{format:?}");
            }
        }
    }

    use super::*;

    #[test]
    fn a_format_the_command_cannot_print_is_refused_in_kubectls_words() {
        assert!(only(None, DOCUMENTS).is_ok() && only(Some(Format::Yaml), DOCUMENTS).is_ok());
        let e = only(Some(Format::Wide), DOCUMENTS).unwrap_err().to_string();
        assert!(
            e.contains(
                "unable to match a printer suitable for the output format \"wide\", allowed formats are: json,yaml"
            ),
            "{e}"
        );
        let e = only(Some(Format::Name), &[Format::Json, Format::Wide]).unwrap_err().to_string();
        assert!(e.contains("\"name\", allowed formats are: json,wide"), "{e}");
    }

    #[test]
    fn managed_fields_go_and_the_rest_stays() {
        let obj = json!({"kind": "X", "metadata": {"name": "a", "managedFields": [{"manager": "m"}]}, "spec": {"managedFields": 1}});
        assert_eq!(
            strip_managed_fields(obj),
            json!({"kind": "X", "metadata": {"name": "a"}, "spec": {"managedFields": 1}})
        );
        assert_eq!(strip_managed_fields(json!({"metadata": "odd"})), json!({"metadata": "odd"}));
    }

    #[test]
    fn a_watch_redraws_only_what_changed() {
        let mut r = Redraw::default();
        assert_eq!(r.frame("a".into(), false).as_deref(), Some("a\n"));
        assert_eq!(r.frame("a".into(), false), None);
        assert_eq!(r.frame("b".into(), true).as_deref(), Some("\x1b[H\x1b[2Jb"));
        assert_eq!(r.frame("b".into(), true), None);
    }

    #[test]
    fn human_duration_matches_kubectl() {
        assert_eq!(human_duration(5), "5s");
        assert_eq!(human_duration(119), "119s");
        assert_eq!(human_duration(150), "2m30s");
        assert_eq!(human_duration(600), "10m");
        assert_eq!(human_duration(3 * 3600 + 600), "3h10m");
        assert_eq!(human_duration(10 * 3600), "10h");
        assert_eq!(human_duration(3 * 86400 + 3600), "3d1h");
        assert_eq!(human_duration(30 * 86400), "30d");
        assert_eq!(human_duration(-5), "<invalid>");
        // Each of HumanDuration's boundaries, from both sides.
        let h = 3600;
        for (secs, want) in [
            (-2, "<invalid>"),
            (-1, "0s"),
            (0, "0s"),
            (120, "2m"),
            (599, "9m59s"),
            (10799, "179m"),
            (3 * h, "3h"),
            (8 * h - 60, "7h59m"),
            (8 * h, "8h"),
            (47 * h, "47h"),
            (48 * h, "2d"),
            (191 * h, "7d23h"),
            (192 * h, "8d"),
            (17519 * h, "729d"),
            (17520 * h, "2y"),
            (26400 * h, "3y5d"),
            (70079 * h, "7y364d"),
            (70080 * h, "8y"),
            (90000 * h, "10y"),
            // Past each boundary the coarser form drops the finer unit.
            (610, "10m"),
            (8 * h + 1800, "8h"),
            (193 * h, "8d"),
            ((70080 + 120) * h, "8y"),
        ] {
            assert_eq!(human_duration(secs), want, "{secs}s");
        }
    }

    #[test]
    fn table_pads_with_three_spaces_and_no_trailing_blanks() {
        let rows = vec![vec![Cell::plain("a"), Cell::plain("longer")], vec![Cell::plain("bbbb"), Cell::plain("x")]];
        let t = table(&["NAME", "V"], &rows, true, Palette::plain());
        assert_eq!(t, "NAME   V\na      longer\nbbbb   x\n");
        let t = table(&["NAME", "V"], &rows, false, Palette::plain());
        assert_eq!(t, "a      longer\nbbbb   x\n");
    }

    #[test]
    fn colour_does_not_change_alignment() {
        let rows = vec![vec![Cell::phase("Ready"), Cell::plain("x")], vec![Cell::phase("Error!"), Cell::plain("y")]];
        let t = table(&["PHASE", "V"], &rows, true, Palette::colored());
        let stripped: String = strip_ansi(&t);
        assert_eq!(stripped, "PHASE    V\nReady    x\nError!   y\n");
        assert!(t.contains("\u{1b}[32mReady\u{1b}[39m"));
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for d in chars.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn several_objects_make_a_list() {
        let s = document(vec![json!({"a":1}), json!({"b":2})], false, Format::Json).unwrap();
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["kind"], "List");
        assert_eq!(v["items"].as_array().unwrap().len(), 2);
        let one = document(vec![json!({"a":1})], true, Format::Yaml).unwrap();
        assert_eq!(one.trim(), "a: 1");
    }
}
