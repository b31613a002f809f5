//! `kubectl personapack list`: the catalog and the active teams at a glance.

use std::process::ExitCode;

use jiff::Timestamp;

use super::{Ctx, warn_unreadable};
use crate::color::Palette;
use crate::error::Result;
use crate::model::PersonaPack;
use crate::output::{self, Cell, Format, emit};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// List PersonaPacks across all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    /// Label selector to filter on (e.g. -l team=sre)
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,

    /// Output format
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<Format>,

    /// Don't print headers
    #[arg(long)]
    pub no_headers: bool,
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    let conn = ctx.conn.connect().await?;
    let namespace = (!args.all_namespaces).then_some(conn.namespace.as_str());
    let raw = conn.list_packs(namespace, args.selector.as_deref()).await?;

    if let Some(fmt @ (Format::Json | Format::Yaml)) = args.output {
        let items = raw.into_iter().map(output::strip_managed_fields).collect();
        emit(&output::document(items, false, fmt)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if raw.is_empty() {
        match namespace {
            Some(ns) => eprintln!("No resources found in {} namespace.", output::escape(ns)),
            None => eprintln!("No resources found"),
        }
        return Ok(ExitCode::SUCCESS);
    }
    let packs: Vec<PersonaPack> = raw.iter().map(PersonaPack::from_value).collect();
    for p in &packs {
        warn_unreadable("personapack", &p.meta.namespace, &p.meta.name, &p.warnings);
    }
    let text = match args.output {
        Some(Format::Name) => names(&packs),
        other => render(
            &packs,
            Layout { namespaces: args.all_namespaces, wide: other == Some(Format::Wide), headers: !args.no_headers },
            Timestamp::now(),
            ctx.palette,
        ),
    };
    emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub namespaces: bool,
    pub wide: bool,
    pub headers: bool,
}

/// `-o name`: `personapack.sympozium.ai/<name>` per line.
pub fn names(packs: &[PersonaPack]) -> String {
    packs.iter().map(|p| format!("personapack.sympozium.ai/{}\n", output::escape(&p.meta.name))).collect()
}

/// The table: NAME ENABLED PERSONAS INSTALLED PHASE AGE (+NAMESPACE, +wide columns).
pub fn render(packs: &[PersonaPack], layout: Layout, now: Timestamp, palette: Palette) -> String {
    let mut headers = vec![];
    if layout.namespaces {
        headers.push("NAMESPACE");
    }
    headers.extend(["NAME", "ENABLED", "PERSONAS", "INSTALLED", "PHASE", "AGE"]);
    if layout.wide {
        headers.extend(["CATEGORY", "VERSION", "DESCRIPTION"]);
    }
    let rows: Vec<Vec<Cell>> = packs
        .iter()
        .map(|p| {
            let mut row = vec![];
            if layout.namespaces {
                row.push(Cell::plain(&p.meta.namespace));
            }
            row.push(Cell::plain(&p.meta.name));
            row.push(Cell::plain(p.spec.enabled.to_string()));
            row.push(Cell::plain(p.persona_count().to_string()));
            row.push(Cell::plain(p.status.installed_count.to_string()));
            // Not yet written by a controller: say so, don't invent a phase.
            row.push(Cell::phase(p.status.phase.as_deref().unwrap_or("-")));
            row.push(Cell::plain(output::age(p.meta.created, now)));
            if layout.wide {
                row.push(Cell::plain(p.spec.category.as_deref().unwrap_or("-")));
                row.push(Cell::plain(p.spec.version.as_deref().unwrap_or("-")));
                row.push(Cell::plain(p.spec.description.as_deref().unwrap_or("")));
            }
            row
        })
        .collect();
    output::table(&headers, &rows, layout.headers, palette)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::fixtures::{catalog_pack, now, platform_team};

    #[test]
    fn table() {
        let packs = [platform_team(), catalog_pack()];
        let layout = Layout { namespaces: false, wide: false, headers: true };
        insta::assert_snapshot!(render(&packs, layout, now(), Palette::plain()));
    }

    #[test]
    fn table_all_namespaces_wide_no_headers() {
        let packs = [platform_team(), catalog_pack()];
        let layout = Layout { namespaces: true, wide: true, headers: false };
        insta::assert_snapshot!(render(&packs, layout, now(), Palette::plain()));
    }

    #[test]
    fn table_coloured() {
        let layout = Layout { namespaces: false, wide: false, headers: true };
        insta::assert_snapshot!(render(&[platform_team()], layout, now(), Palette::colored()));
    }

    #[test]
    fn names() {
        assert_eq!(super::names(&[platform_team()]), "personapack.sympozium.ai/platform-team\n");
    }
}
