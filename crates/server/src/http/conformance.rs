//! Every answer held to the OpenAPI document, for the tests (feature `conformance`, turned
//! on by `ServerConfig::check_responses`): the status must be one the operation documents,
//! and a JSON body must match the schema documented for that status. What does not is
//! recorded, and the test harness fails the test that received it. A client generated
//! from the document reads what the server really answers only if this holds.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The document, validators made from it as answers come, and what did not match.
pub struct Conformance {
    doc: Value,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
    violations: Mutex<Vec<String>>,
}

impl Conformance {
    pub fn new(doc: Value) -> Arc<Self> {
        Arc::new(Self { doc, validators: Mutex::default(), violations: Mutex::default() })
    }

    /// What did not match, so far.
    pub fn violations(&self) -> Vec<String> {
        self.violations.lock().map(|v| v.clone()).unwrap_or_default()
    }

    fn record(&self, violation: String) {
        tracing::error!(%violation, "an answer does not match the OpenAPI document");
        if let Ok(mut v) = self.violations.lock() {
            v.push(violation);
        }
    }

    /// The validator of the schema at `pointer`, carrying the document's components so
    /// that its `$ref`s resolve.
    fn validator(&self, pointer: &str) -> Result<Arc<jsonschema::Validator>, String> {
        let mut cache = self.validators.lock().map_err(|_| "validator cache poisoned".to_owned())?;
        if let Some(v) = cache.get(pointer) {
            return Ok(v.clone());
        }
        let schema = self.doc.pointer(pointer).cloned().unwrap_or(Value::Bool(true));
        let mut root = json!({"allOf": [schema]});
        if let (Some(root), Some(components)) = (root.as_object_mut(), self.doc.get("components")) {
            root.insert("components".into(), components.clone());
        }
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| format!("the schema at {pointer} does not compile: {e}"))?;
        let validator = Arc::new(validator);
        cache.insert(pointer.to_owned(), validator.clone());
        Ok(validator)
    }

    fn check(&self, method: &str, path: &str, status: u16, content_type: &str, body: &[u8]) -> Result<(), String> {
        let escape = |s: &str| s.replace('~', "~0").replace('/', "~1");
        let operation = format!("/paths/{}/{}", escape(path), method.to_ascii_lowercase());
        if self.doc.pointer(&operation).is_none() {
            return Err(format!("{method} {path} is not in the document"));
        }
        let response = [status.to_string(), format!("{}XX", status / 100), "default".to_owned()]
            .into_iter()
            .map(|s| format!("{operation}/responses/{s}"))
            .find(|p| self.doc.pointer(p).is_some())
            .ok_or_else(|| format!("{method} {path} answered {status}, which it does not document"))?;
        let documents_json = self.doc.pointer(&format!("{response}/content/application~1json")).is_some();
        if !content_type.starts_with("application/json") {
            return if documents_json && status >= 400 {
                Err(format!("{method} {path} answered {status} as {content_type:?}, not the JSON it documents"))
            } else {
                Ok(())
            };
        }
        let schema = format!("{response}/content/application~1json/schema");
        if self.doc.pointer(&schema).is_none() {
            // Documented as JSON of no particular shape (the OpenAPI document itself).
            return Ok(());
        }
        let instance: Value = serde_json::from_slice(body)
            .map_err(|e| format!("{method} {path} answered {status} with bad JSON: {e}"))?;
        let validator = self.validator(&schema)?;
        let errors: Vec<String> =
            validator.iter_errors(&instance).take(3).map(|e| format!("{} at {}", e, e.instance_path)).collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{method} {path} answered {status} with a body the document does not describe: {}",
                errors.join("; ")
            ))
        }
    }
}

/// Checks the answer of a request that reached a route.
pub async fn check(State(conformance): State<Arc<Conformance>>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let Some(path) = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()) else {
        return next.run(request).await;
    };
    let response = next.run(request).await;
    let content_type = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if content_type.starts_with("text/event-stream") {
        return response;
    }
    let status = response.status().as_u16();
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        conformance.record(format!("{method} {path}: the body could not be read"));
        return crate::error::Error::api(switchboard_api::ErrorCode::Internal, "internal error").into_response();
    };
    if let Err(violation) = conformance.check(&method, &path, status, &content_type, &bytes) {
        conformance.record(violation);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
