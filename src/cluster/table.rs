//! A server-side Table of PersonaPacks (`Accept: ...;as=Table`), read straight
//! into the few fields `list` prints: the cells, and of each row's metadata
//! only what the model reads. The parser skips the rest (managedFields,
//! annotations — often most of the bytes) without building it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

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
}

#[cfg(test)]
mod tests {
    use super::*;

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
