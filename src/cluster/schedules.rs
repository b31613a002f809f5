//! Pausing a team's schedules: the Sympozium controller Deployments (whose
//! image tells whether `spec.suspend` is kept) and the one-field write the
//! web API's `PATCH /api/v1/schedules/NAME {"suspend": …}` makes.

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, ListParams, Patch, PatchParams};
use serde_json::{Value, json};

use super::*;
use crate::error::{Error, Result};
use crate::pause::Controller;

/// How Sympozium's Helm chart labels its controller Deployment
/// (`sympozium-controller-manager`, container `manager`).
const CONTROLLER_SELECTOR: &str = "app.kubernetes.io/part-of=sympozium,app.kubernetes.io/component=controller";

impl Connection {
    /// Every Sympozium controller Deployment the user can see, with the image
    /// of its `manager` container (its first container when none is so named).
    /// `Err` is why none could be read, in words (a refusal, not a failure).
    pub async fn sympozium_controllers(&self) -> Result<std::result::Result<Vec<Controller>, String>> {
        let api: Api<Deployment> = Api::all(self.client.clone());
        let list = match self.call(api.list(&ListParams::default().labels(CONTROLLER_SELECTOR))).await {
            Ok(list) => list,
            Err(Error::Server { code: 403, .. }) => {
                return Ok(Err("deployments cannot be listed in all namespaces: forbidden".into()));
            }
            Err(e) => return Err(e),
        };
        Ok(Ok(list
            .items
            .into_iter()
            .filter_map(|d| {
                let containers = d.spec?.template.spec?.containers;
                let manager = containers.iter().find(|c| c.name == "manager").or(containers.first())?;
                Some(Controller {
                    namespace: d.metadata.namespace.unwrap_or_default(),
                    name: d.metadata.name.unwrap_or_default(),
                    image: manager.image.clone().unwrap_or_default(),
                })
            })
            .collect()))
    }

    /// Set a schedule's `spec.suspend` (a merge patch of that one field, so a
    /// concurrent change to the rest is never overwritten); the schedule after.
    pub async fn set_suspend(&self, namespace: &str, name: &str, suspend: bool, dry_run: bool) -> Result<Value> {
        let api = self.dynamic(Kind::Schedule, Some(namespace));
        let mut params = PatchParams { field_manager: Some(FIELD_MANAGER.into()), ..Default::default() };
        params.dry_run = dry_run;
        let patch = json!({"spec": {"suspend": suspend}});
        let obj = self.call(api.patch(name, &params, &Patch::Merge(&patch))).await?;
        Ok(self.with_type(obj, Kind::Schedule))
    }
}
