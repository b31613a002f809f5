//! Lists of any kind, every page (one page loop), and one object by name.

use kube::api::{Api, DynamicObject, ListParams};
use kube::core::ApiResource;
use serde_json::Value;

use super::*;
use crate::error::{Error, Result};

impl Connection {
    /// Objects of `kind` in `namespace` matching `selector`, every page.
    pub async fn list(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        selector: Option<&str>,
        field_selector: Option<&str>,
    ) -> Result<Vec<Value>> {
        Ok(self.list_versioned(kind, namespace, selector, field_selector, PAGE).await?.0)
    }

    /// `list` (`limit` objects a page), with the resourceVersion of the last page.
    pub(super) async fn list_versioned(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        selector: Option<&str>,
        field_selector: Option<&str>,
        limit: u32,
    ) -> Result<(Vec<Value>, String)> {
        let mut params = ListParams::default().limit(limit);
        if let Some(s) = selector {
            params = params.labels(s);
        }
        if let Some(f) = field_selector {
            params = params.fields(f);
        }
        let mut out = Vec::new();
        let version = self
            .pages(kind, namespace, params, |items| {
                out.extend(items);
                Ok(())
            })
            .await?;
        Ok((out, version))
    }

    /// The one page loop: each page to `on_page`, then the next.
    pub(super) async fn pages(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        mut params: ListParams,
        mut on_page: impl FnMut(Vec<Value>) -> Result<()>,
    ) -> Result<String> {
        // The first page of packs is where a stale era is found out.
        let first = async || self.call(self.dynamic(kind, namespace).list(&params)).await;
        let mut page = if kind == Kind::Pack { self.with_era(first).await? } else { first().await? };
        let api = self.dynamic(kind, namespace);
        loop {
            let next = page.metadata.continue_.clone().filter(|c| !c.is_empty());
            on_page(page.items.into_iter().map(|o| self.with_type(o, kind)).collect())?;
            match next {
                Some(token) => params = params.continue_token(&token),
                None => return Ok(page.metadata.resource_version.unwrap_or_default()),
            }
            page = self.call(api.list(&params)).await?;
        }
    }

    /// Metadata of every object of a kind in a namespace (by label
    /// `selector`), every page: what `tree` builds the ownership graph from.
    pub async fn list_metadata(
        &self,
        resource: &ApiResource,
        namespace: &str,
        selector: Option<&str>,
    ) -> Result<Vec<Value>> {
        let api: Api<DynamicObject> = Api::namespaced_with(self.client.clone(), namespace, resource);
        let mut params = ListParams::default().limit(PAGE);
        if let Some(s) = selector {
            params = params.labels(s);
        }
        let mut out = Vec::new();
        loop {
            let page = self.call(api.list_metadata(&params)).await?;
            let next = page.metadata.continue_.clone().filter(|c| !c.is_empty());
            out.extend(page.items.iter().map(|item| serde_json::to_value(item).unwrap_or_default()));
            match next {
                Some(t) => params = params.continue_token(&t),
                None => return Ok(out),
            }
        }
    }

    /// Whole objects of any kind in a namespace (by label `selector`), every page.
    pub async fn list_whole(
        &self,
        resource: &ApiResource,
        namespace: &str,
        selector: Option<&str>,
    ) -> Result<Vec<Value>> {
        self.whole_pages(Api::namespaced_with(self.client.clone(), namespace, resource), resource, selector).await
    }

    /// Every page of a list of whole objects, typed.
    pub(super) async fn whole_pages(
        &self,
        api: Api<DynamicObject>,
        resource: &ApiResource,
        selector: Option<&str>,
    ) -> Result<Vec<Value>> {
        let mut params = ListParams::default().limit(PAGE);
        if let Some(s) = selector {
            params = params.labels(s);
        }
        let mut out = Vec::new();
        loop {
            let page = self.call(api.list(&params)).await?;
            let next = page.metadata.continue_.clone().filter(|c| !c.is_empty());
            out.extend(page.items.into_iter().map(|o| with_type(o, resource)));
            match next {
                Some(t) => params = params.continue_token(&t),
                None => return Ok(out),
            }
        }
    }

    /// One object of any kind, whole; None if it does not exist.
    pub async fn get_object(&self, resource: &ApiResource, namespace: &str, name: &str) -> Result<Option<Value>> {
        let api: Api<DynamicObject> = Api::namespaced_with(self.client.clone(), namespace, resource);
        Ok(self.call(api.get_opt(name)).await?.map(|o| serde_json::to_value(o).unwrap_or_default()))
    }

    /// The raw page loop, for the lists kube's typed calls cannot ask for (a
    /// Table; rows read straight from the bytes): GET `path` with `query`
    /// (already encoded), `limit` at a time from the continue token `from` (or
    /// the start), each page's text to `read`, which says how the list goes
    /// on. The last page's resourceVersion; None when `read` stopped it.
    pub(super) async fn raw_pages(
        &self,
        path: &str,
        query: &str,
        accept: &str,
        limit: u32,
        from: Option<String>,
        mut read: impl FnMut(&str, &str) -> Result<Page>,
    ) -> Result<Option<String>> {
        let mut next = from;
        loop {
            let mut url = format!("{path}?limit={limit}{query}");
            if let Some(token) = &next {
                url.push_str(&format!("&continue={}", encode(token)));
            }
            let req = http::Request::get(&url)
                .header(http::header::ACCEPT, accept)
                .body(Vec::new())
                .map_err(|e| Error::usage(format!("building request {url}: {e}")))?;
            let text = self.call(self.client.request_text(req)).await?;
            match read(&url, &text)? {
                Page::Next(token) => next = Some(token),
                Page::Last(version) => return Ok(Some(version)),
                Page::Stop => return Ok(None),
            }
        }
    }
}

/// How a raw list goes on after a page (`raw_pages`).
pub(super) enum Page {
    /// From this continue token.
    Next(String),
    /// It ended, at this resourceVersion.
    Last(String),
    /// Not a list the reader can use.
    Stop,
}

impl Page {
    /// From a page's `continue` and `resourceVersion`.
    pub(super) fn after(next: Option<String>, version: Option<String>) -> Page {
        match next.filter(|c| !c.is_empty()) {
            Some(token) => Page::Next(token),
            None => Page::Last(version.unwrap_or_default()),
        }
    }
}
