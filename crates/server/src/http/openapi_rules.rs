//! What the document says beyond the shapes of the types: the rules the handlers enforce
//! on each field and parameter (lengths, formats, patterns, combinations), and the errors
//! every operation can answer. A client generated from the document, or a fuzzer such as
//! schemathesis, must find that a request the document allows is accepted and one it
//! forbids is refused; `validate.rs` and these rules say the same thing, and `make test`
//! runs schemathesis against a real server to hold them to it.
//!
//! Rules that depend on the server's state or the clock (an id that must exist, a time
//! in the future, a snooze that needs its time) cannot be stated here; their answers are
//! 404, 409 or 422 with their own codes.

use serde_json::{Map, Value, json};

use super::openapi_formats::*;

/// What every request body rule adds, by schema and property.
fn field_rules() -> Vec<(&'static str, &'static str, Value)> {
    let labels = json!({"maxItems": 20, "items": string(visible_text(50))});
    vec![
        ("AiReplyRequest", "message", visible_text(4000)),
        ("AiReplyRequest", "context", text(50_000)),
        ("AiReplyRequest", "url", url(2048)),
        ("CreateAppointmentRequest", "service", visible_text(200)),
        ("CreateAppointmentRequest", "preferredTime", text(200)),
        ("CreateAppointmentRequest", "startsAt", time()),
        ("CreateAppointmentRequest", "name", text(200)),
        ("CreateAppointmentRequest", "phone", phone()),
        ("CreateAppointmentRequest", "notes", text(1000)),
        ("PatchAppointmentRequest", "service", visible_text(200)),
        ("PatchAppointmentRequest", "preferredTime", text(200)),
        ("PatchAppointmentRequest", "startsAt", time()),
        ("PatchAppointmentRequest", "notes", text(1000)),
        ("CreateChannelRequest", "name", visible_text(80)),
        ("PatchChannelRequest", "name", visible_text(80)),
        ("WhatsappCredentials", "phoneNumberId", json!({"pattern": "^[0-9]{1,32}$"})),
        ("WhatsappCredentials", "displayPhoneNumber", text(32)),
        ("WhatsappCredentials", "accessToken", token()),
        ("WhatsappCredentials", "appSecret", token()),
        ("WhatsappCredentials", "verifyToken", token()),
        ("WhatsappCredentials", "graphBaseUrl", url(2048)),
        ("WhatsappCredentials", "graphApiVersion", json!({"pattern": "^v[0-9]+\\.[0-9]+$"})),
        ("PatchWhatsappCredentials", "displayPhoneNumber", text(32)),
        ("PatchWhatsappCredentials", "accessToken", token()),
        ("PatchWhatsappCredentials", "appSecret", token()),
        ("PatchWhatsappCredentials", "verifyToken", token()),
        ("PatchWhatsappCredentials", "graphBaseUrl", url(2048)),
        ("PatchWhatsappCredentials", "graphApiVersion", json!({"pattern": "^v[0-9]+\\.[0-9]+$"})),
        ("WebWidgetOptions", "allowedOrigins", json!({"maxItems": 20})),
        ("CreateContactRequest", "name", text(200)),
        ("CreateContactRequest", "phone", phone()),
        ("CreateContactRequest", "email", email()),
        ("CreateContactRequest", "externalId", text(200)),
        ("CreateContactRequest", "customAttributes", attributes(false)),
        ("PatchContactRequest", "name", text(200)),
        ("PatchContactRequest", "phone", phone()),
        ("PatchContactRequest", "email", email()),
        ("PatchContactRequest", "externalId", text(200)),
        ("PatchContactRequest", "customAttributes", attributes(true)),
        ("PatchConversationRequest", "snoozedUntil", time()),
        ("PatchConversationRequest", "labels", labels),
        ("EscalateRequest", "reason", visible_text(500)),
        ("MessageStatusUpdate", "error", text(500)),
        ("CreateKeyRequest", "name", visible_text(100)),
        ("CreateKeyRequest", "scopes", json!({"minItems": 1})),
        ("CreateKeyRequest", "expiresAt", time()),
        ("RotateKeyRequest", "gracePeriodSeconds", json!({"maximum": 30 * 24 * 3600})),
        ("CreateKnowledgeRequest", "title", visible_text(200)),
        ("CreateKnowledgeRequest", "body", visible_text(20_000)),
        ("CreateKnowledgeRequest", "url", url(2048)),
        ("PatchKnowledgeRequest", "title", visible_text(200)),
        ("PatchKnowledgeRequest", "body", visible_text(20_000)),
        ("PatchKnowledgeRequest", "url", url(2048)),
        ("ImportKnowledgeRequest", "url", url(2048)),
        ("ImportKnowledgeRequest", "maxPages", json!({"minimum": 1, "maximum": 50})),
        (
            "CreateLabelRequest",
            "name",
            json!({"minLength": 1, "maxLength": 50, "pattern": format!("^[^,]*[^,{WS}][^,]*$")}),
        ),
        ("CreateLabelRequest", "color", color()),
        ("CreateLabelRequest", "description", text(500)),
        ("PatchLabelRequest", "color", color()),
        ("PatchLabelRequest", "description", text(500)),
        ("CreateLeadRequest", "name", text(200)),
        ("CreateLeadRequest", "email", email()),
        ("CreateLeadRequest", "phone", phone()),
        ("CreateLeadRequest", "interest", text(1000)),
        ("PatchLeadRequest", "name", text(200)),
        ("PatchLeadRequest", "email", email()),
        ("PatchLeadRequest", "phone", phone()),
        ("PatchLeadRequest", "interest", text(1000)),
        ("CreateMemberRequest", "name", visible_text(100)),
        ("CreateMemberRequest", "role", json!({"enum": ["admin", "agent"]})),
        ("PatchMemberRequest", "name", visible_text(100)),
        ("PatchMemberRequest", "role", json!({"enum": ["admin", "agent", null]})),
        ("PatchSettingsRequest", "timeZone", or_null(switchboard_ai::locale::zone_names())),
        ("PatchSettingsRequest", "region", or_null(switchboard_ai::locale::regions().to_vec())),
        ("SendMessageRequest", "to", json!({"pattern": format!("^(?:ct_[\\s\\S]*|{PHONE})$")})),
        ("SendMessageRequest", "text", text(4096)),
        ("CreateTemplateRequest", "name", template_name()),
        ("CreateTemplateRequest", "language", language()),
        ("CreateTemplateRequest", "body", visible_text(1024)),
        ("PatchTemplateRequest", "body", visible_text(1024)),
        ("CreateWebhookRequest", "url", webhook_url()),
        ("CreateWebhookRequest", "description", text(500)),
        ("CreateWebhookRequest", "secret", webhook_secret()),
        ("CreateWebhookRequest", "events", webhook_events()),
        ("CreateWebhookRequest", "bufferEvents", webhook_events()),
        ("CreateWebhookRequest", "headers", webhook_headers()),
        ("CreateWebhookRequest", "bufferWindowSeconds", json!({"minimum": 1, "maximum": 60})),
        ("CreateWebhookRequest", "maxBufferSize", json!({"minimum": 1, "maximum": 100})),
        ("CreateWebhookRequest", "inactivityMinutes", json!({"minimum": 1, "maximum": 10_080})),
        ("PatchWebhookRequest", "url", webhook_url()),
        ("PatchWebhookRequest", "description", text(500)),
        ("PatchWebhookRequest", "events", webhook_events()),
        ("PatchWebhookRequest", "bufferEvents", webhook_events()),
        ("PatchWebhookRequest", "headers", webhook_headers()),
        ("PatchWebhookRequest", "bufferWindowSeconds", json!({"minimum": 1, "maximum": 60})),
        ("PatchWebhookRequest", "maxBufferSize", json!({"minimum": 1, "maximum": 100})),
        ("PatchWebhookRequest", "inactivityMinutes", json!({"minimum": 1, "maximum": 10_080})),
        ("RotateWebhookSecretRequest", "secret", webhook_secret()),
        ("RotateWebhookSecretRequest", "gracePeriodSeconds", json!({"maximum": 7 * 24 * 3600})),
        ("WidgetContactRequest", "name", text(100)),
        ("WidgetContactRequest", "email", email()),
        ("WidgetMessageRequest", "text", visible_text(4096)),
    ]
}

/// Something visible in `property`, which must be there: one branch of "at least one of".
fn has(property: &str, rule: Value) -> Value {
    let mut schema = json!({"type": "string"});
    merge(&mut schema, rule);
    json!({"required": [property], "properties": {property: schema}})
}

/// Rules that tie fields together, by schema.
fn combination_rules() -> Vec<(&'static str, Value)> {
    let visible = json!({"pattern": format!("[^{WS}]")});
    vec![
        (
            "CreateContactRequest",
            json!({"anyOf": [has("name", visible.clone()), has("phone", json!({})), has("email", json!({})),
                              has("externalId", visible.clone())]}),
        ),
        (
            "CreateLeadRequest",
            json!({"anyOf": [has("name", visible.clone()), has("email", json!({})), has("phone", json!({}))]}),
        ),
        // Text, or a template instead (then no text).
        (
            "SendMessageRequest",
            json!({"oneOf": [
                {"allOf": [has("text", visible.clone()), {"properties": {"template": {"type": "null"}}}]},
                {"required": ["template"], "properties": {"template": {"not": {"type": "null"}},
                    "text": {"pattern": format!("^[{WS}]*$")}}}
            ]}),
        ),
        // `error` only with `failed`.
        (
            "MessageStatusUpdate",
            json!({"anyOf": [{"properties": {"status": {"const": "failed"}}},
                             {"properties": {"error": {"type": "null"}}}, {"not": {"required": ["error"]}}]}),
        ),
        // Snoozing needs its time; `null` with `snoozed` can never be right.
        (
            "PatchConversationRequest",
            json!({"not": {"required": ["status", "snoozedUntil"],
                           "properties": {"status": {"const": "snoozed"}, "snoozedUntil": {"type": "null"}}}}),
        ),
        ("PostMessageRequest", post_message()),
    ]
}

/// What a posted message must carry for its kind (`content::from_post`).
fn post_message() -> Value {
    let absent =
        |field: &str| json!({"anyOf": [{"not": {"required": [field]}}, {"properties": {field: {"type": "null"}}}]});
    let present = |field: &str| json!({"required": [field], "properties": {field: {"not": {"type": "null"}}}});
    let no_text = json!({"anyOf": [{"not": {"required": ["text"]}},
                                   {"properties": {"text": {"pattern": format!("^[{WS}]*$")}}}]});
    let payloads = ["attachment", "location", "contactCard", "template"];
    let kind = |kinds: Value, payload: Option<&str>, text_rule: Value| {
        let mut all = vec![json!({"required": ["kind"], "properties": {"kind": kinds}}), text_rule];
        for p in payloads {
            all.push(if Some(p) == payload { present(p) } else { absent(p) });
        }
        json!({"allOf": all})
    };
    let written = json!({"required": ["text"], "properties": {"text": visible_text(4096)}});
    let caption = json!({"properties": {"text": {"maxLength": 1024}}});
    // Images, audio and video say so in their MIME type (any case).
    let family = |name: &str| {
        let any_case: String = name.chars().map(|c| format!("[{}{}]", c.to_ascii_uppercase(), c)).collect();
        json!({"properties": {"attachment": {"properties": {"mimeType": {"pattern": format!("^{any_case}/")}}}}})
    };
    let with = |rule: Value, more: Value| json!({"allOf": [rule, more]});
    json!({"oneOf": [
        // No kind is a text message.
        {"allOf": [{"not": {"required": ["kind"]}}, written.clone(),
                   absent("attachment"), absent("location"), absent("contactCard"), absent("template")]},
        kind(json!({"enum": ["text", "note"]}), None, written),
        kind(json!({"const": "image"}), Some("attachment"), with(caption.clone(), family("image"))),
        kind(json!({"const": "video"}), Some("attachment"), with(caption.clone(), family("video"))),
        kind(json!({"const": "document"}), Some("attachment"), caption),
        kind(json!({"const": "audio"}), Some("attachment"), with(no_text.clone(), family("audio"))),
        kind(json!({"const": "location"}), Some("location"), no_text.clone()),
        kind(json!({"const": "contact"}), Some("contactCard"), no_text.clone()),
        kind(json!({"const": "template"}), Some("template"), no_text),
    ]})
}

/// Rules on the parts of a posted message, where their types are shared with what the
/// server answers (an inbound attachment's URL is the server's own path).
fn post_message_parts() -> Vec<(&'static str, Value)> {
    vec![
        (
            "attachment",
            json!({"properties": {
                "url": url(2048), "filename": text(255),
                "mimeType": {"maxLength": 100, "pattern": "^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+$"}
            }}),
        ),
        (
            "location",
            json!({"properties": {"latitude": {"minimum": -90, "maximum": 90}, "longitude": {"minimum": -180, "maximum": 180},
                                  "name": text(1000), "address": text(1000)}}),
        ),
        (
            "contactCard",
            json!({"properties": {"name": visible_text(200), "phone": phone(), "email": email()},
                   "anyOf": [{"required": ["phone"], "properties": {"phone": {"type": "string"}}},
                             {"required": ["email"], "properties": {"email": {"type": "string"}}}]}),
        ),
        ("template", template_ref()),
    ]
}

fn template_ref() -> Value {
    json!({"properties": {"name": template_name(), "language": language(),
                          "params": {"maxItems": 20, "items": string(visible_text(1024))}}})
}

/// The largest page each list answers; `limit` is 1 to this.
fn page_limit(operation_id: &str) -> u64 {
    match operation_id {
        "syncChanges" => u64::from(switchboard_api::MAX_SYNC_LIMIT),
        "listConversationMessages" => 500,
        "listWidgetMessages" => 100,
        _ => 200,
    }
}

/// The filters each record list takes, and the values of its `status`.
fn record_filters(operation_id: &str) -> Option<(Option<Value>, bool, bool)> {
    fn statuses<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Option<Value> {
        Some(json!({"enum": all.iter().map(|s| name(*s)).collect::<Vec<_>>()}))
    }
    use switchboard_api::{AppointmentStatus, LeadStatus, TemplateStatus};
    Some(match operation_id {
        "listLeads" => (statuses(LeadStatus::ALL, LeadStatus::as_str), true, false),
        "listAppointments" => (statuses(AppointmentStatus::ALL, AppointmentStatus::as_str), true, false),
        "listTemplates" => (statuses(TemplateStatus::ALL, TemplateStatus::as_str), false, true),
        "listLabels" | "listKnowledgeEntries" => (None, false, false),
        _ => return None,
    })
}

/// The rule of one query parameter of one operation; `None` drops the parameter (a
/// filter that list does not take, which the server refuses).
fn parameter_rule(operation_id: &str, name: &str) -> Option<Value> {
    if let Some((status, contact, lang)) = record_filters(operation_id) {
        match name {
            "status" => return status,
            "contactId" if !contact => return None,
            "language" if !lang => return None,
            "language" => return Some(language()),
            _ => {}
        }
    }
    Some(match name {
        "limit" => json!({"minimum": 1, "maximum": page_limit(operation_id)}),
        "cursor" if !matches!(operation_id, "listConversationMessages" | "listAuditLog") => {
            json!({"pattern": "^(?:[0-9A-Fa-f]{2})*$"})
        }
        "updatedSince" => time(),
        "since" => json!({"minimum": 0}),
        "q" => text(200),
        "assignee" => json!({"minLength": 1}),
        "from" | "to" => json!({"format": "date"}),
        "period" => json!({"enum": ["day", "month"]}),
        "state" => json!({"enum": ["pending", "succeeded", "failed"]}),
        "event" => {
            json!({"enum": switchboard_api::WebhookEventType::ALL.iter().map(|e| e.as_str()).collect::<Vec<_>>()})
        }
        _ => json!({}),
    })
}

/// Applies every rule to the document, as JSON.
pub fn complete(doc: &mut Value) {
    for (schema, property, rule) in field_rules() {
        merge(property_mut(doc, schema, property), rule);
    }
    for (schema, rule) in combination_rules() {
        merge(schema_mut(doc, schema), rule);
    }
    // The shared part types get the request's rules only where a message is posted.
    for (property, rule) in post_message_parts() {
        let slot = property_mut(doc, "PostMessageRequest", property);
        restrict_ref(slot, rule);
    }
    restrict_ref(property_mut(doc, "SendMessageRequest", "template"), template_ref());
    operations(doc);
}

fn operations(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, operation) in item.iter_mut() {
            let write = matches!(method.as_str(), "post" | "patch" | "put" | "delete");
            let Some(operation) = operation.as_object_mut() else { continue };
            let id = operation.get("operationId").and_then(Value::as_str).unwrap_or_default().to_owned();
            if let Some(parameters) = operation.get_mut("parameters").and_then(Value::as_array_mut) {
                parameters.retain_mut(|p| {
                    if p.get("name").and_then(Value::as_str) == Some("Idempotency-Key") {
                        if let Some(schema) = p.get_mut("schema") {
                            merge(schema, json!({"minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"}));
                        }
                        return true;
                    }
                    if p.get("in").and_then(Value::as_str) != Some("query") {
                        return true;
                    }
                    let name = p.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
                    match parameter_rule(&id, &name) {
                        Some(rule) => {
                            if let Some(schema) = p.get_mut("schema") {
                                let enumerated = rule.get("enum").is_some();
                                if enumerated {
                                    *schema = json!({"type": "string"});
                                }
                                merge(schema, rule);
                            }
                            true
                        }
                        None => false,
                    }
                });
            }
            standard_errors(operation, write);
        }
    }
}

/// Answers that depend on the server's data or the clock, by operation.
fn semantic_errors(operation_id: &str) -> &'static [(&'static str, &'static str)] {
    match operation_id {
        "updateConversation" => &[("422", "`snoozedUntil` is not in the future (`time_not_in_future`)")],
        "createKey" => &[("422", "`expiresAt` is not in the future (`time_not_in_future`)")],
        "getUsage" => &[("422", "`from` is after `to`, or the range is over 366 days (`invalid_range`)")],
        "createTemplate" | "updateTemplate" => {
            &[("422", "The body's `{{n}}` parameters are not numbered 1, 2, 3… or not closed (`invalid_template`)")]
        }
        _ => &[],
    }
}

/// The errors any operation of its kind can answer, where it does not document them
/// itself: a bad parameter (400), an id that names nothing (404; in the path, a cursor or
/// the body), a body at odds with what is stored (409), a body too large or not JSON
/// (413, 415), a reused `Idempotency-Key` (409 while the first runs, 422 for another
/// request), a key refused or over its quota (401, 403, 429).
fn standard_errors(operation: &mut Map<String, Value>, write: bool) {
    let parameters: Vec<(String, String)> = operation
        .get("parameters")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|p| {
                    let field = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
                    (field("in"), field("name"))
                })
                .collect()
        })
        .unwrap_or_default();
    let has_params = !parameters.is_empty();
    let has_body = operation.contains_key("requestBody");
    let names_things = has_body || parameters.iter().any(|(place, name)| place == "path" || name == "cursor");
    // Every write takes an `Idempotency-Key`, documented or not.
    let idempotent = write;
    let secured = operation.contains_key("security");
    let public_api = operation.get("tags").and_then(Value::as_array).is_some_and(|t| t.iter().any(|t| t == "widget"));
    let mut add: Vec<(&str, &str)> = Vec::new();
    if has_params || has_body {
        add.push(("400", "A parameter or the body is not valid (`invalid_parameter`, `invalid_query`, `invalid_body`, `invalid_json`)"));
    }
    if names_things {
        add.push(("404", "An id in the path, a cursor or the body names nothing in this workspace (`not_found`)"));
    }
    if has_body || idempotent {
        add.push(("409", "At odds with what is stored (`invalid_state`, `conflict`), or `idempotency_key_in_use`"));
    }
    if idempotent {
        add.push(("422", "This `Idempotency-Key` was used for another request (`idempotency_key_reused`)"));
    }
    if has_body {
        add.push(("413", "The body is larger than 256 KiB (`payload_too_large`)"));
        add.push(("415", "The body is not sent as `Content-Type: application/json` (`unsupported_media_type`)"));
    }
    if secured {
        add.push(("401", "Missing or invalid API key"));
        add.push(("403", "The key lacks the scope"));
    }
    if secured || public_api {
        add.push(("429", "Over the rate limit; see `Retry-After` (`rate_limited`)"));
    }
    let id = operation.get("operationId").and_then(Value::as_str).unwrap_or_default().to_owned();
    add.extend(semantic_errors(&id).iter().copied());
    let Some(responses) = operation.entry("responses").or_insert_with(|| json!({})).as_object_mut() else { return };
    for (status, description) in add {
        responses.entry(status).or_insert_with(|| {
            json!({"description": description,
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}})
        });
    }
}

fn schema_mut<'a>(doc: &'a mut Value, schema: &str) -> &'a mut Value {
    let found = doc.pointer_mut(&format!("/components/schemas/{schema}"));
    found.unwrap_or_else(|| panic!("the document has no schema {schema}"))
}

fn property_mut<'a>(doc: &'a mut Value, schema: &str, property: &str) -> &'a mut Value {
    let found = schema_mut(doc, schema).pointer_mut(&format!("/properties/{property}"));
    found.unwrap_or_else(|| panic!("the document's {schema} has no property {property}"))
}

/// Adds the keys of `rule` to `target` (a rule never replaces what the type says).
pub(super) fn merge(target: &mut Value, rule: Value) {
    let (Some(target), Value::Object(rule)) = (target.as_object_mut(), rule) else { return };
    for (key, value) in rule {
        target.insert(key, value);
    }
}

/// In a property that refers to a shared type (`{"$ref": …}`, or one of it and `null`),
/// narrows the reference with `rule` here only.
fn restrict_ref(slot: &mut Value, rule: Value) {
    if let Some(reference) = slot.get("$ref").cloned() {
        *slot = json!({"allOf": [{"$ref": reference}, rule]});
        return;
    }
    let Some(options) = slot.get_mut("oneOf").and_then(Value::as_array_mut) else { return };
    for option in options {
        if let Some(reference) = option.get("$ref").cloned() {
            *option = json!({"allOf": [{"$ref": reference}, rule.clone()]});
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule names a schema and property the document has (a renamed field would
    /// otherwise lose its rule in silence), and the patterns compile.
    #[test]
    fn every_rule_lands_on_the_document() {
        let doc = super::super::openapi::spec();
        for (schema, property, _) in field_rules() {
            assert!(
                doc.pointer(&format!("/components/schemas/{schema}/properties/{property}")).is_some(),
                "{schema}.{property}"
            );
        }
        let text = doc.to_string();
        assert!(text.contains("\"maximum\":1000") && text.contains("\"pattern\":\"^(?:[0-9A-Fa-f]{2})*$\""));
    }

    #[test]
    fn whitespace_is_rusts() {
        let class: String = (0u32..=0x3000).filter_map(char::from_u32).filter(|c| c.is_whitespace()).collect();
        for c in class.chars() {
            let escaped = format!("{:04x}", c as u32);
            let listed = WS.contains(&format!("\\u{escaped}"))
                || WS.contains(&format!("\\x{}", &escaped[2..]))
                || (c == ' ' && WS.contains(' '))
                || matches!(c, '\t' | '\n' | '\r')
                || ('\u{2000}'..='\u{200a}').contains(&c);
            assert!(listed, "U+{escaped} is whitespace to Rust but not in WS");
        }
    }
}
