//! `kubectl personapack list`: the catalog and the active teams at a glance,
//! with `kubectl get`'s habits (names, selectors, sort, label columns, every
//! output format kubectl has for a list, watch).

use std::process::ExitCode;

use futures::StreamExt;
use jiff::Timestamp;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

use super::{Ctx, warn_unreadable};
use crate::cluster::Connection;
use crate::color::Palette;
use crate::error::{Error, Result};
use crate::escape::escape;
use crate::jsonpath::{Template, go_text};
use crate::model::{Era, PersonaPack};
use crate::output::{self, Cell, Format, emit};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Every pack in every namespace
  kubectl personapack list -A

  # The enabled ones, with their category, version and description
  kubectl personapack list -n team-a -o wide

  # Names only, for a script
  kubectl personapack list -n sympozium-system -o name")]
pub struct Args {
    /// Only these packs (as `kubectl get personapacks NAME...`)
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,

    /// List PersonaPacks across all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    /// Label selector to filter on (e.g. -l team=sre)
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,

    /// Output format: json, yaml, wide, name, jsonpath=TEMPLATE, jsonpath-file=FILE,
    /// custom-columns=SPEC, custom-columns-file=FILE
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = ListOutput::parse)]
    pub output: Option<ListOutput>,

    /// Don't print headers
    #[arg(long)]
    pub no_headers: bool,

    /// Sort by a JSONPath expression's value (e.g. .metadata.name, {.status.installedCount})
    #[arg(long, value_name = "JSONPATH")]
    pub sort_by: Option<String>,

    /// Show all labels as the last column
    #[arg(long)]
    pub show_labels: bool,

    /// A column for each of these label keys (comma list, or the flag repeated)
    #[arg(short = 'L', long = "label-columns", value_name = "KEYS", value_delimiter = ',')]
    pub label_columns: Vec<String>,

    /// After listing, watch for changes and print each changed pack
    #[arg(short = 'w', long)]
    pub watch: bool,

    /// Watch for changes without listing first
    #[arg(long)]
    pub watch_only: bool,

    /// Return large lists in chunks rather than all at once. Pass 0 to disable.
    #[arg(long, value_name = "N", default_value_t = 500)]
    pub chunk_size: u32,
}

/// `-o` for list: kubectl get's printers.
#[derive(Clone, Debug)]
pub enum ListOutput {
    Format(Format),
    JsonPath(Template),
    CustomColumns(Vec<(String, Template)>),
}

impl ListOutput {
    fn parse(value: &str) -> std::result::Result<ListOutput, String> {
        let read = |file: &str| std::fs::read_to_string(file).map_err(|e| format!("reading {file}: {e}"));
        let (kind, arg) = value.split_once('=').unwrap_or((value, ""));
        let jsonpath = |t: &str| {
            Template::parse(t).map(ListOutput::JsonPath).map_err(|e| format!("error parsing jsonpath {t}, {e}"))
        };
        match kind {
            "json" => Ok(ListOutput::Format(Format::Json)),
            "yaml" => Ok(ListOutput::Format(Format::Yaml)),
            "wide" => Ok(ListOutput::Format(Format::Wide)),
            "name" => Ok(ListOutput::Format(Format::Name)),
            "jsonpath" if !arg.is_empty() => jsonpath(arg),
            "jsonpath-file" if !arg.is_empty() => jsonpath(&read(arg)?),
            "custom-columns" if !arg.is_empty() => custom_columns(arg),
            "custom-columns-file" if !arg.is_empty() => custom_columns_file(&read(arg)?),
            "jsonpath" | "jsonpath-file" | "custom-columns" | "custom-columns-file" => {
                Err(format!("{kind} format specified but no template given"))
            }
            _ => Err(format!(
                "unable to match a printer suitable for the output format \"{value}\", allowed formats are: custom-columns,custom-columns-file,json,jsonpath,jsonpath-file,name,wide,yaml"
            )),
        }
    }
}

/// `NAME:.path,NAME:.path`: headers and relaxed JSONPath expressions.
fn custom_columns(spec: &str) -> std::result::Result<ListOutput, String> {
    spec.split(',')
        .map(|col| {
            let (header, path) = col
                .split_once(':')
                .ok_or_else(|| format!("unexpected custom-columns spec: {col}, expected <header>:<json-path-expr>"))?;
            Template::parse_relaxed(path).map(|t| (header.to_string(), t)).map_err(|e| format!("{path}: {e}"))
        })
        .collect::<std::result::Result<Vec<_>, _>>()
        .map(ListOutput::CustomColumns)
}

/// kubectl's custom-columns file: a line of headers, a line of paths.
fn custom_columns_file(text: &str) -> std::result::Result<ListOutput, String> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let (Some(headers), Some(paths)) = (lines.next(), lines.next()) else {
        return Err("custom-columns-file needs a line of headers and a line of JSONPath expressions".into());
    };
    let (headers, paths): (Vec<&str>, Vec<&str>) =
        (headers.split_whitespace().collect(), paths.split_whitespace().collect());
    if headers.len() != paths.len() {
        return Err(format!("expected {} JSONPath expressions for the headers, found {}", headers.len(), paths.len()));
    }
    custom_columns(&headers.iter().zip(&paths).map(|(h, p)| format!("{h}:{p}")).collect::<Vec<_>>().join(","))
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    if args.all_namespaces && !args.names.is_empty() {
        return Err(Error::usage("a resource cannot be retrieved by name across all namespaces"));
    }
    let sort_by = args
        .sort_by
        .as_deref()
        .map(|s| Template::parse_relaxed(s).map_err(|e| Error::usage(format!("couldn't parse --sort-by {s}: {e}"))))
        .transpose()?;
    let conn = ctx.conn.connect().await?;
    let namespace = (!args.all_namespaces).then_some(conn.namespace.as_str());
    // The table and names need only the server's printer columns and
    // metadata (kubectl's own way, a tenth of the bytes); the rest need the
    // objects.
    let columns_only = sort_by.is_none() && matches!(args.output, None | Some(ListOutput::Format(Format::Name)));
    // A whole-list document with nothing to sort: printed a page at a time.
    let document = matches!(args.output, Some(ListOutput::Format(Format::Json | Format::Yaml)));
    if document && sort_by.is_none() && args.names.is_empty() && !args.watch && !args.watch_only {
        let Some(ListOutput::Format(format)) = args.output else { unreachable!() };
        stream_document(&conn, namespace, args.selector.as_deref(), args.chunk_size, format).await?;
        return Ok(ExitCode::SUCCESS);
    }
    let view = View::new(&args, ctx.palette);
    if columns_only && args.names.is_empty() {
        return list_rows(&conn, &args, &view, namespace).await;
    }
    let (mut raw, missing, version) = if args.names.is_empty() {
        let (items, version) = conn.list_packs_at(namespace, args.selector.as_deref(), args.chunk_size).await?;
        (items, Vec::new(), Some(version))
    } else {
        let ns = conn.namespace.clone();
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for name in &args.names {
            match conn.get_pack(&ns, name).await {
                Ok(p) => found.push(p.raw),
                Err(e) if e.is_not_found() => missing.push(e),
                Err(e) => return Err(e),
            }
        }
        (found, missing, None)
    };
    raw = raw.into_iter().map(output::strip_managed_fields).collect();
    if let Some(t) = &sort_by {
        sort(&mut raw, t);
    }
    if !args.watch_only {
        print_list(&args, &view, &raw, namespace)?;
    }
    if let Some(e) = missing.into_iter().reduce(|first, _| first) {
        // kubectl prints what it found, then the error for what it did not.
        return Err(e);
    }
    if args.watch || args.watch_only {
        let shown = raw.iter().map(crate::cluster::uid_version).collect();
        watch(&conn, &args, &view, namespace, version, shown).await?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The table and `-o name` of every pack (or a selector's): rows made a page
/// at a time from the server's printer columns (or, where the server sends
/// no Table, from the objects), nothing else of a pack kept.
async fn list_rows(conn: &Connection, args: &Args, view: &View, namespace: Option<&str>) -> Result<ExitCode> {
    let selector = args.selector.as_deref();
    let row = |obj: Value| view.row(&obj);
    let one_version = args.watch || args.watch_only;
    let (rows, version) = match conn.list_pack_rows(namespace, selector, args.chunk_size, one_version, row).await? {
        Some(listed) => listed,
        None => {
            let mut rows = Vec::new();
            let version = conn
                .pack_pages(namespace, selector, args.chunk_size, |page| {
                    rows.extend(page.into_iter().map(row));
                    Ok(())
                })
                .await?;
            (rows, version)
        }
    };
    if !args.watch_only {
        match (rows.is_empty(), namespace) {
            (true, Some(ns)) => eprintln!("No resources found in {} namespace.", escape(ns)),
            (true, None) => eprintln!("No resources found"),
            (false, _) => emit(&view.rows(&rows, !args.no_headers))?,
        }
    }
    if args.watch || args.watch_only {
        let shown = rows.into_iter().map(|r| (r.uid, r.resource_version)).collect();
        watch(conn, args, view, namespace, Some(version), shown).await?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `-o json|yaml` of a whole list: printed a page at a time.
async fn stream_document(
    conn: &Connection,
    namespace: Option<&str>,
    selector: Option<&str>,
    chunk: u32,
    format: Format,
) -> Result<()> {
    let (mut stream, head) = output::ListStream::start(format);
    emit(&head)?;
    conn.pack_pages(namespace, selector, chunk, |page| {
        let mut text = String::new();
        for obj in page {
            text.push_str(&stream.item(&output::strip_managed_fields(obj))?);
        }
        emit(&text)
    })
    .await?;
    emit(&stream.end())?;
    Ok(())
}

/// `-w`/`--watch-only`: each change to a pack printed as a row, from the
/// version listed (or a fresh list's, after reads by name); `shown`: the
/// resourceVersion of each pack (by uid) printed already.
async fn watch(
    conn: &Connection,
    args: &Args,
    view: &View,
    namespace: Option<&str>,
    version: Option<String>,
    shown: HashMap<String, String>,
) -> Result<()> {
    let (version, shown) = match version {
        Some(v) if !args.watch_only => (v, shown),
        Some(v) => (v, HashMap::new()),
        None => (conn.list_packs_at(namespace, args.selector.as_deref(), args.chunk_size).await?.1, shown),
    };
    let names = args.names.clone();
    let mut header = args.watch_only && !args.no_headers;
    let mut events = std::pin::pin!(conn.watch_packs(namespace, args.selector.clone(), version, shown));
    while let Some(obj) = events.next().await {
        let obj = output::strip_managed_fields(obj?);
        if !names.is_empty() && !names.iter().any(|n| obj["metadata"]["name"] == *n) {
            continue;
        }
        emit(&view.print(std::slice::from_ref(&obj), header)?)?;
        header = false;
    }
    Ok(())
}

fn print_list(args: &Args, view: &View, raw: &[Value], namespace: Option<&str>) -> Result<()> {
    let single = args.names.len() == 1;
    match &view.output {
        Some(ListOutput::Format(fmt @ (Format::Json | Format::Yaml))) => {
            emit(&output::document(raw.to_vec(), single, *fmt)?)
        }
        Some(ListOutput::JsonPath(t)) => {
            let doc = if single && raw.len() == 1 { raw[0].clone() } else { list_document(raw) };
            emit(&t.render(&doc))
        }
        _ if raw.is_empty() => {
            if args.names.is_empty() {
                match namespace {
                    Some(ns) => eprintln!("No resources found in {} namespace.", escape(ns)),
                    None => eprintln!("No resources found"),
                }
            }
            Ok(())
        }
        _ => emit(&view.print(raw, !args.no_headers)?),
    }
}

fn list_document(items: &[Value]) -> Value {
    serde_json::json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

/// Items in `--sort-by` order (kubectl's), items without the field first.
fn sort(items: &mut [Value], by: &Template) {
    let key = |v: &Value| by.values(v).first().map(|x| (*x).clone());
    items.sort_by(|a, b| match (key(a), key(b)) {
        (Some(x), Some(y)) => crate::jsonpath::sort_order(&x, &y),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

/// How rows are printed, for the first listing and for each watch event.
struct View {
    output: Option<ListOutput>,
    layout: Layout,
    palette: Palette,
}

impl View {
    fn new(args: &Args, palette: Palette) -> View {
        View {
            output: args.output.clone(),
            layout: Layout {
                namespaces: args.all_namespaces,
                wide: matches!(args.output, Some(ListOutput::Format(Format::Wide))),
                headers: true,
                label_columns: args.label_columns.clone(),
                show_labels: args.show_labels,
            },
            palette,
        }
    }

    /// Rows of a table-like format (with or without the header line); a
    /// document format prints each object whole.
    fn print(&self, raw: &[Value], header: bool) -> Result<String> {
        match &self.output {
            Some(ListOutput::Format(fmt @ (Format::Json | Format::Yaml))) => {
                raw.iter().map(|o| output::serialize(o, *fmt)).collect::<Result<Vec<_>>>().map(|v| v.concat())
            }
            Some(ListOutput::JsonPath(t)) => Ok(raw.iter().map(|o| t.render(o)).collect()),
            Some(ListOutput::CustomColumns(cols)) => Ok(custom_table(cols, raw, header)),
            _ => Ok(self.rows(&raw.iter().map(|o| self.row(o)).collect::<Vec<_>>(), header)),
        }
    }

    /// A pack as a row of this view (its reading's warnings said).
    fn row(&self, obj: &Value) -> Row {
        let p = PersonaPack::from_value(obj);
        warn_unreadable(p.era.singular(), &p.meta.namespace, &p.meta.name, &p.warnings);
        Row::of(&p, &self.layout)
    }

    /// The table's lines (or `-o name`'s) for these rows.
    fn rows(&self, rows: &[Row], header: bool) -> String {
        match &self.output {
            Some(ListOutput::Format(Format::Name)) => names(rows),
            _ => render(rows, Layout { headers: header, ..self.layout.clone() }, Timestamp::now(), self.palette),
        }
    }
}

/// kubectl's custom-columns printer: each column's values joined by `,`,
/// `<none>` when nothing matched; laid out as its tabwriter does.
pub fn custom_table(cols: &[(String, Template)], raw: &[Value], header: bool) -> String {
    let rows: Vec<Vec<Cell>> = raw
        .iter()
        .map(|obj| {
            cols.iter()
                .map(|(_, t)| {
                    let values = t.values(obj);
                    if values.is_empty() {
                        Cell::plain("<none>")
                    } else {
                        Cell::plain(values.iter().map(|v| go_text(v)).collect::<Vec<_>>().join(","))
                    }
                })
                .collect()
        })
        .collect();
    let headers: Vec<&str> = cols.iter().map(|(h, _)| h.as_str()).collect();
    output::table(&headers, &rows, header, Palette::plain())
}

#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub namespaces: bool,
    pub wide: bool,
    pub headers: bool,
    /// `-L`: a column per label key, headed by its last path segment.
    pub label_columns: Vec<String>,
    /// `--show-labels`: every label, last.
    pub show_labels: bool,
}

/// One pack as the table (or `-o name`) prints it, and nothing more: `list`
/// keeps a row per pack however large the objects are, so its memory stays
/// flat in their number (the objects are read and dropped a page at a time).
#[derive(Clone, Debug, Default)]
pub struct Row {
    pub era: Era,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub resource_version: String,
    pub enabled: bool,
    pub personas: i64,
    pub installed: i64,
    pub workflow: Option<String>,
    pub phase: Option<String>,
    pub created: Option<Timestamp>,
    /// CATEGORY, VERSION, DESCRIPTION: kept for `-o wide` only.
    pub wide: Option<[Option<String>; 3]>,
    /// Kept for `-L` and `--show-labels` only.
    pub labels: BTreeMap<String, String>,
}

impl Row {
    /// What `layout` prints of `p`.
    pub fn of(p: &PersonaPack, layout: &Layout) -> Row {
        let labels = match layout.show_labels {
            true => p.meta.labels.clone(),
            false => {
                layout.label_columns.iter().filter_map(|k| Some((k.clone(), p.meta.labels.get(k)?.clone()))).collect()
            }
        };
        Row {
            era: p.era,
            namespace: p.meta.namespace.clone(),
            name: p.meta.name.clone(),
            uid: p.meta.uid.clone(),
            resource_version: p.meta.resource_version.clone(),
            enabled: p.spec.enabled,
            personas: p.persona_count(),
            installed: p.status.installed_count,
            workflow: p.spec.workflow_type.clone(),
            phase: p.status.phase.clone(),
            created: p.meta.created,
            wide: layout.wide.then(|| [p.spec.category.clone(), p.spec.version.clone(), p.spec.description.clone()]),
            labels,
        }
    }
}

/// `-o name`: `personapack.sympozium.ai/<name>` per line.
pub fn names(rows: &[Row]) -> String {
    rows.iter().map(|r| format!("{}/{}\n", r.era.qualified(), crate::escape::escape(&r.name))).collect()
}

/// The table: NAME ENABLED PERSONAS INSTALLED WORKFLOW PHASE AGE (+NAMESPACE,
/// +wide columns, +label columns as kubectl adds them).
pub fn render(rows: &[Row], layout: Layout, now: Timestamp, palette: Palette) -> String {
    let mut headers: Vec<String> = vec![];
    if layout.namespaces {
        headers.push("NAMESPACE".into());
    }
    headers.extend(["NAME", "ENABLED", "PERSONAS", "INSTALLED", "WORKFLOW", "PHASE", "AGE"].map(String::from));
    if layout.wide {
        headers.extend(["CATEGORY", "VERSION", "DESCRIPTION"].map(String::from));
    }
    // kubectl heads a label column with the key's last path segment, upper-cased.
    headers.extend(layout.label_columns.iter().map(|k| k.rsplit('/').next().unwrap_or(k).to_uppercase()));
    if layout.show_labels {
        headers.push("LABELS".into());
    }
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let cells: Vec<Vec<Cell>> = rows.iter().map(|r| cells(r, &layout, now)).collect();
    output::table(&headers, &cells, layout.headers, palette)
}

fn cells(r: &Row, layout: &Layout, now: Timestamp) -> Vec<Cell> {
    let mut row = vec![];
    if layout.namespaces {
        row.push(Cell::plain(&r.namespace));
    }
    row.push(Cell::plain(&r.name));
    row.push(Cell::plain(r.enabled.to_string()));
    row.push(Cell::plain(r.personas.to_string()));
    row.push(Cell::plain(r.installed.to_string()));
    row.push(Cell::plain(r.workflow.as_deref().unwrap_or("-")));
    // Not yet written by a controller: say so, don't invent a phase.
    row.push(Cell::phase(r.phase.as_deref().unwrap_or("-")));
    row.push(Cell::plain(output::age(r.created, now)));
    if layout.wide {
        let [category, version, description] = r.wide.clone().unwrap_or_default();
        row.push(Cell::plain(category.as_deref().unwrap_or("-")));
        row.push(Cell::plain(version.as_deref().unwrap_or("-")));
        row.push(Cell::plain(description.as_deref().unwrap_or("")));
    }
    for key in &layout.label_columns {
        row.push(Cell::plain(r.labels.get(key).map(String::as_str).unwrap_or("")));
    }
    if layout.show_labels {
        let labels: Vec<String> = r.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        row.push(Cell::plain(if labels.is_empty() { "<none>".to_string() } else { labels.join(",") }));
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::fixtures::{catalog_pack, now, platform_team};

    fn rows(layout: &Layout) -> Vec<Row> {
        [platform_team(), catalog_pack()].iter().map(|p| Row::of(p, layout)).collect()
    }

    #[test]
    fn table() {
        let layout = Layout { headers: true, ..Layout::default() };
        insta::assert_snapshot!(render(&rows(&layout), layout, now(), Palette::plain()));
    }

    #[test]
    fn table_all_namespaces_wide_no_headers() {
        let layout = Layout { namespaces: true, wide: true, ..Layout::default() };
        insta::assert_snapshot!(render(&rows(&layout), layout, now(), Palette::plain()));
    }

    #[test]
    fn table_coloured() {
        let layout = Layout { headers: true, ..Layout::default() };
        insta::assert_snapshot!(render(&rows(&layout)[..1], layout, now(), Palette::colored()));
    }

    #[test]
    fn a_row_keeps_only_what_its_layout_prints() {
        let mut pack = platform_team();
        pack.meta.labels = [("team", "sre"), ("tier", "1")].map(|(k, v)| (k.to_string(), v.to_string())).into();
        let plain = Row::of(&pack, &Layout::default());
        assert!(plain.labels.is_empty() && plain.wide.is_none(), "{plain:?}");
        let one = Row::of(&pack, &Layout { label_columns: vec!["tier".into(), "none".into()], ..Layout::default() });
        assert_eq!(one.labels.into_iter().collect::<Vec<_>>(), [("tier".to_string(), "1".to_string())]);
        let all = Row::of(&pack, &Layout { show_labels: true, wide: true, ..Layout::default() });
        assert_eq!((all.labels.len(), all.wide.map(|w| w[0].clone())), (2, Some(pack.spec.category.clone())));
        assert_eq!((plain.personas, plain.installed, plain.enabled), (pack.persona_count(), 2, true));
    }

    #[test]
    fn names() {
        assert_eq!(super::names(&rows(&Layout::default())[..1]), "personapack.sympozium.ai/platform-team\n");
    }
}
