//! PersonaPacks as the server prints them (`Accept: ...;as=Table`, kubectl's
//! own way), read straight into the few fields `list` prints: the cells, and
//! of each row's metadata only what the model reads. The parser skips the
//! rest (managedFields, annotations — often most of the bytes) without
//! building it, and each page becomes the caller's rows before the next.

use std::collections::BTreeMap;

use futures::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lists::Page;
use super::{Connection, encode};
use crate::error::{Error, Result};
use crate::model::{Era, GROUP, VERSION};

/// Most uncounted packs `list` reads one by one (one parallel round).
const UNCOUNTED_GETS: usize = 50;

/// Most namespaces past the first page of an all-namespaces list worth a
/// request each however few packs they hold (one parallel round).
const SPREAD: usize = 8;

/// Namespace lists in flight at once while spreading: a few dozen namespaces
/// in one round (the API server serves reads in parallel; its default limit
/// is 400 in flight).
const AT_ONCE: usize = 32;

const TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

impl Connection {
    /// PersonaPacks as the server prints them: a Table of the CRD's printer
    /// columns, each row with its object's metadata (about a tenth of the
    /// bytes of the objects), each made into the caller's `row` as its page
    /// arrives, from a skinny pack value (metadata, `spec.enabled`/
    /// `workflowType`, `status.personaCount`/`installedCount`/`phase`). Also
    /// the list's resourceVersion. A pack the server has no persona count for
    /// (never reconciled) is read whole, those all at once. None when the
    /// server answers with no Table, or too many packs are uncounted: then
    /// list the objects.
    ///
    /// `chunk` rows a page (0: all at once, kubectl's `--chunk-size`). Across
    /// namespaces, the namespaces are read beside the first page; past
    /// it, what is left of each is listed at the same time (the server works
    /// on several at once), in the order of one list — unless `one_version`:
    /// a watch starts from the version of a single list.
    pub async fn list_pack_rows<R>(
        &self,
        namespace: Option<&str>,
        selector: Option<&str>,
        chunk: u32,
        one_version: bool,
        row: impl Fn(Value) -> R,
    ) -> Result<Option<(Vec<R>, String)>> {
        self.with_era(async || self.pack_rows(namespace, selector, chunk, one_version, &row).await).await
    }

    /// `list_pack_rows` in the era as it is known now.
    async fn pack_rows<R>(
        &self,
        namespace: Option<&str>,
        selector: Option<&str>,
        chunk: u32,
        one_version: bool,
        row: &impl Fn(Value) -> R,
    ) -> Result<Option<(Vec<R>, String)>> {
        let era = self.era();
        let mut query = "&includeObject=Metadata".to_string();
        if let Some(s) = selector {
            query.push_str(&format!("&labelSelector={}", encode(s)));
        }
        let chain = |ns: Option<&str>, from: Option<String>, one_page: bool, after: Option<String>| {
            let path = match ns {
                Some(ns) => format!("/apis/{GROUP}/{VERSION}/namespaces/{}/{}", encode(ns), era.plural()),
                None => format!("/apis/{GROUP}/{VERSION}/{}", era.plural()),
            };
            let query = query.clone();
            async move { self.table_chain(&path, &query, era, row, Start { from, chunk, one_page, after }).await }
        };
        let spread = namespace.is_none() && !one_version;
        let (first, spaces) = futures::join!(chain(namespace, None, spread, None), async {
            if spread { self.namespace_names().await.ok() } else { None }
        });
        let Some(mut listed) = first? else { return Ok(None) };
        if let Some(token) = listed.next.take() {
            let rest = spaces.map(|s| later_namespaces(s, listed.last.as_ref().map_or("", |l| &l.0)));
            match (rest, listed.last.clone()) {
                (Some(rest), Some((last_ns, last_name))) if worth_spreading(rest.len(), listed.remaining) => {
                    let chains = futures::stream::iter(rest.iter().map(|ns| {
                        let after = (*ns == last_ns).then(|| last_name.clone());
                        chain(Some(ns), None, false, after)
                    }));
                    for more in chains.buffered(AT_ONCE).collect::<Vec<_>>().await {
                        let Some(more) = more? else { return Ok(None) };
                        listed.append(more);
                    }
                }
                // No namespaces to spread over (not allowed to list them): the one list goes on.
                _ => match chain(namespace, Some(token), false, None).await? {
                    Some(more) => listed.append(more),
                    None => return Ok(None),
                },
            }
        }
        self.count_uncounted(listed, row).await
    }

    /// Packs without a persona count (not reconciled yet): their spec says
    /// how many. A few are read whole at once; many (a controller that is
    /// down, a fresh cluster) are a list of whole objects instead (None).
    async fn count_uncounted<R>(
        &self,
        listed: Chain<R>,
        row: &impl Fn(Value) -> R,
    ) -> Result<Option<(Vec<R>, String)>> {
        let Chain { mut rows, uncounted, version, .. } = listed;
        if uncounted.len() > UNCOUNTED_GETS {
            return Ok(None);
        }
        let whole = futures::future::join_all(uncounted.iter().map(|(_, ns, name)| self.get_pack_opt(ns, name))).await;
        for ((i, _, _), pack) in uncounted.into_iter().zip(whole) {
            if let Some(pack) = pack? {
                rows[i] = row(pack);
            }
        }
        Ok(Some((rows, version)))
    }

    /// The Table pages of one list (from a continue token, or the first page
    /// only), each row made into the caller's `row`. None: not a Table.
    async fn table_chain<R>(
        &self,
        path: &str,
        query: &str,
        era: Era,
        row: &impl Fn(Value) -> R,
        start: Start,
    ) -> Result<Option<Chain<R>>> {
        let mut chain = Chain {
            rows: Vec::new(),
            uncounted: Vec::new(),
            version: String::new(),
            next: None,
            last: None,
            remaining: None,
        };
        let listed = self.raw_pages(path, query, TABLE, start.chunk, start.from, |url, text| {
            let table: PackTable =
                serde_json::from_str(text).map_err(|e| Error::usage(format!("reading {url}: {e}")))?;
            if table.kind != "Table" {
                return Ok(Page::Stop);
            }
            for pack in skinny_packs(&table, era) {
                let m = &pack["metadata"];
                let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
                let at = (text(&m["namespace"]), text(&m["name"]));
                // Past the first page, the rows of its last namespace it already had.
                if start.after.as_ref().is_some_and(|after| at.1.as_bytes() <= after.as_bytes()) {
                    continue;
                }
                if pack["status"].get("personaCount").is_none() {
                    chain.uncounted.push((chain.rows.len(), at.0.clone(), at.1.clone()));
                }
                chain.rows.push(row(pack));
                chain.last = Some(at);
            }
            match Page::after(table.metadata.next, table.metadata.resource_version.clone()) {
                Page::Next(token) if start.one_page => {
                    chain.next = Some(token);
                    chain.remaining = table.metadata.remaining_item_count;
                    Ok(Page::Last(table.metadata.resource_version.unwrap_or_default()))
                }
                page => Ok(page),
            }
        });
        let Some(version) = listed.await? else { return Ok(None) };
        chain.version = version;
        Ok(Some(chain))
    }
}

/// Where a chain of pages starts: from a continue token (or the start), how
/// many rows a page (0: all), the first page only, past a name (in its namespace).
struct Start {
    from: Option<String>,
    chunk: u32,
    one_page: bool,
    after: Option<String>,
}

/// Rows read so far, those that had no persona count (index, namespace,
/// name), the version read at, where a first page stopped and its last row.
struct Chain<R> {
    rows: Vec<R>,
    uncounted: Vec<(usize, String, String)>,
    version: String,
    next: Option<String>,
    last: Option<(String, String)>,
    /// Packs past the first page, where the server counted them.
    remaining: Option<i64>,
}

impl<R> Chain<R> {
    fn append(&mut self, more: Chain<R>) {
        let at = self.rows.len();
        self.uncounted.extend(more.uncounted.into_iter().map(|(i, ns, name)| (at + i, ns, name)));
        self.rows.extend(more.rows);
    }
}

/// Whether listing what is left of `namespaces` at once beats paging on:
/// one round of parallel requests for at most `SPREAD` of them; for more,
/// where the server said how many packs are left, ten or more a namespace.
fn worth_spreading(namespaces: usize, remaining: Option<i64>) -> bool {
    match remaining {
        Some(left) => namespaces <= SPREAD || namespaces as i64 * 10 <= left,
        None => namespaces <= SPREAD,
    }
}

/// The namespaces from `last` on, in the order one list of every namespace
/// returns them: its keys are `<namespace>/<name>`, compared byte by byte
/// (so `a-b/x` comes before `a/x`).
pub fn later_namespaces(mut spaces: Vec<String>, last: &str) -> Vec<String> {
    let key = |ns: &str| format!("{ns}/").into_bytes();
    spaces.retain(|ns| key(ns) >= key(last));
    spaces.sort_by_key(|ns| key(ns));
    spaces
}

/// A Table's rows as skinny pack values (the CRD's printer columns in
/// their fields; a null column is an absent field, as in the objects).
fn skinny_packs(table: &PackTable, era: Era) -> Vec<Value> {
    let columns: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    let cell = |row: &Row, name: &str| {
        columns.iter().position(|c| *c == name).and_then(|i| row.cells.get(i).cloned()).unwrap_or(Value::Null)
    };
    let pack = |row: &Row| {
        let mut pack = serde_json::json!({
            "apiVersion": format!("{GROUP}/{VERSION}"), "kind": era.kind(),
            "metadata": row.object.metadata,
            "spec": {"enabled": cell(row, "Enabled"), "workflowType": cell(row, "Workflow")},
            "status": {"personaCount": cell(row, "Personas"), "installedCount": cell(row, "Installed"), "phase": cell(row, "Phase")},
        });
        for part in ["spec", "status"] {
            if let Some(m) = pack[part].as_object_mut() {
                m.retain(|_, v| !v.is_null());
            }
        }
        pack
    };
    table.rows.iter().map(pack).collect()
}

#[derive(Deserialize)]
pub struct PackTable {
    #[serde(default)]
    pub kind: String,
    #[serde(rename = "columnDefinitions", default)]
    pub columns: Vec<Column>,
    #[serde(default)]
    pub rows: Vec<Row>,
    #[serde(default)]
    pub metadata: ListMeta,
}

#[derive(Deserialize)]
pub struct Column {
    #[serde(default)]
    pub name: String,
}

#[derive(Deserialize)]
pub struct Row {
    #[serde(default)]
    pub cells: Vec<Value>,
    #[serde(default)]
    pub object: RowObject,
}

#[derive(Default, Deserialize)]
pub struct RowObject {
    #[serde(default)]
    pub metadata: RowMeta,
}

/// The metadata `model::Meta` reads, minus annotations (nothing `list`
/// prints from the server's columns needs them).
#[derive(Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalizers: Option<Vec<String>>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListMeta {
    #[serde(rename = "continue", default)]
    pub next: Option<String>,
    #[serde(default)]
    pub resource_version: Option<String>,
    /// Past this page (the server says so for lists without selectors).
    #[serde(default)]
    pub remaining_item_count: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_namespaces_come_in_the_order_of_one_list() {
        let spaces = ["b", "a", "a-b", "c", "a0"].map(String::from).to_vec();
        // Keys `a-b/`, `a/`, `a0/`, `b/`, `c/`: '-' sorts before '/', '0' after it.
        assert_eq!(later_namespaces(spaces.clone(), ""), ["a-b", "a", "a0", "b", "c"]);
        assert_eq!(later_namespaces(spaces.clone(), "a"), ["a", "a0", "b", "c"]);
        assert_eq!(later_namespaces(spaces, "a0"), ["a0", "b", "c"]);
    }

    #[test]
    fn spreading_pays_for_one_round_or_ten_packs_a_namespace() {
        assert!(worth_spreading(SPREAD, None) && !worth_spreading(SPREAD + 1, None));
        assert!(worth_spreading(46, Some(460)) && !worth_spreading(46, Some(459)));
        assert!(worth_spreading(SPREAD, Some(0)));
    }

    #[test]
    fn reads_cells_and_metadata_and_skips_the_rest() {
        let text = r#"{"kind":"Table","apiVersion":"meta.k8s.io/v1",
            "metadata":{"resourceVersion":"42","continue":"abc"},
            "columnDefinitions":[{"name":"Name","type":"string"},{"name":"Phase","type":"string"}],
            "rows":[{"cells":["team","Ready"],"object":{"kind":"PartialObjectMetadata","metadata":{
                "name":"team","namespace":"ns","uid":"u1","resourceVersion":"7",
                "creationTimestamp":"2026-01-01T00:00:00Z","labels":{"a":"b"},
                "annotations":{"big":"x"},"managedFields":[{"manager":"kubectl"}]}}}]}"#;
        let t: PackTable = serde_json::from_str(text).unwrap();
        assert_eq!((t.kind.as_str(), t.columns[1].name.as_str()), ("Table", "Phase"));
        assert_eq!((t.metadata.next.as_deref(), t.metadata.resource_version.as_deref()), (Some("abc"), Some("42")));
        let meta = serde_json::to_value(&t.rows[0].object.metadata).unwrap();
        assert_eq!(
            meta,
            serde_json::json!({"name": "team", "namespace": "ns", "uid": "u1", "resourceVersion": "7",
                               "creationTimestamp": "2026-01-01T00:00:00Z", "labels": {"a": "b"}})
        );
        assert_eq!(t.rows[0].cells, vec![serde_json::json!("team"), serde_json::json!("Ready")]);
    }
}
