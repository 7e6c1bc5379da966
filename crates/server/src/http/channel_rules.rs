//! What a channel's settings may be.

use switchboard_api::{ChannelKind, CreateChannelRequest, PatchChannelRequest, WhatsappCredentials};

use super::validate;
use crate::channels::config::{
    DEFAULT_GRAPH_API_VERSION, DEFAULT_GRAPH_BASE_URL, Settings, StoredChannel, WebConfig, WhatsappConfig,
};
use crate::error::Error;
use crate::webhooks::ssrf::TargetPolicy;

const MAX_NAME: usize = 80;
const MAX_SECRET: usize = 1024;
const MAX_ORIGINS: usize = 20;

/// A new channel of the actor's workspace, validated.
pub fn create(req: CreateChannelRequest, workspace_id: &str, policy: TargetPolicy) -> Result<StoredChannel, Error> {
    let name = validate::required_text(&req.name, "name", MAX_NAME)?;
    let config = match (req.kind, req.whatsapp, req.web) {
        (ChannelKind::Whatsapp, Some(creds), None) => Settings::Whatsapp(whatsapp(creds, policy)?),
        (ChannelKind::Whatsapp, None, _) => {
            return Err(Error::invalid("whatsapp: a WhatsApp channel needs its credentials"));
        }
        (ChannelKind::Web, None, web) => Settings::Web(WebConfig {
            inbox_identifier: crate::ids::random_base62(24),
            allowed_origins: origins(web.unwrap_or_default().allowed_origins)?,
        }),
        (ChannelKind::Sandbox, None, None) => Settings::Sandbox,
        (kind, _, _) => {
            return Err(Error::invalid(format!("a {} channel takes no settings of another kind", kind.as_str())));
        }
    };
    let now = crate::time::now();
    Ok(StoredChannel {
        id: crate::ids::new_id("ch"),
        workspace_id: workspace_id.to_owned(),
        kind: req.kind,
        name,
        active: true,
        config,
        created_at: now.clone(),
        updated_at: now,
    })
}

/// The channel with the patch applied; the kind and the phone number id never change.
pub fn patch(
    mut channel: StoredChannel,
    req: PatchChannelRequest,
    policy: TargetPolicy,
) -> Result<StoredChannel, Error> {
    if let Some(name) = req.name {
        channel.name = validate::required_text(&name, "name", MAX_NAME)?;
    }
    if let Some(active) = req.active {
        channel.active = active;
    }
    match (&mut channel.config, req.whatsapp, req.web) {
        (_, None, None) => {}
        (Settings::Whatsapp(config), Some(p), None) => {
            if let Some(v) = p.display_phone_number {
                config.display_phone_number = validate::text(&v, "whatsapp.displayPhoneNumber", 32)?;
            }
            if let Some(v) = p.access_token {
                config.access_token = secret(&v, "whatsapp.accessToken")?;
            }
            if let Some(v) = p.app_secret {
                config.app_secret = secret(&v, "whatsapp.appSecret")?;
            }
            if let Some(v) = p.verify_token {
                config.verify_token = secret(&v, "whatsapp.verifyToken")?;
            }
            if let Some(v) = p.graph_base_url {
                config.graph_base_url = base_url(&v, policy)?;
            }
            if let Some(v) = p.graph_api_version {
                config.graph_api_version = api_version(&v)?;
            }
        }
        (Settings::Web(config), None, Some(web)) => config.allowed_origins = origins(web.allowed_origins)?,
        _ => {
            return Err(Error::invalid(format!(
                "a {} channel takes no settings of another kind",
                channel.kind.as_str()
            )));
        }
    }
    Ok(channel)
}

fn whatsapp(c: WhatsappCredentials, policy: TargetPolicy) -> Result<WhatsappConfig, Error> {
    let id = c.phone_number_id.as_str();
    if id.is_empty() || id.len() > 32 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid("whatsapp.phoneNumberId must be Meta's numeric phone number id"));
    }
    Ok(WhatsappConfig {
        phone_number_id: id.to_owned(),
        display_phone_number: validate::optional_text(
            c.display_phone_number.as_deref(),
            "whatsapp.displayPhoneNumber",
            32,
        )?,
        access_token: secret(&c.access_token, "whatsapp.accessToken")?,
        app_secret: secret(&c.app_secret, "whatsapp.appSecret")?,
        verify_token: secret(&c.verify_token, "whatsapp.verifyToken")?,
        graph_base_url: match c.graph_base_url.as_deref() {
            Some(url) => base_url(url, policy)?,
            None => DEFAULT_GRAPH_BASE_URL.to_owned(),
        },
        graph_api_version: match c.graph_api_version.as_deref() {
            Some(v) => api_version(v)?,
            None => DEFAULT_GRAPH_API_VERSION.to_owned(),
        },
    })
}

/// Visible ASCII, no spaces: tokens are pasted, and a stray space or newline would make
/// every request fail later rather than now.
fn secret(raw: &str, field: &str) -> Result<String, Error> {
    if raw.is_empty() || raw.len() > MAX_SECRET || !raw.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid(format!("{field} must be 1-{MAX_SECRET} visible characters without spaces")));
    }
    Ok(raw.to_owned())
}

/// An http(s) URL the server may reach (the same rule as webhook targets), without a
/// trailing slash.
fn base_url(raw: &str, policy: TargetPolicy) -> Result<String, Error> {
    let url = super::webhook_rules::url(raw, policy)
        .map_err(|e| Error::api(e.code(), format!("whatsapp.graphBaseUrl: {e}")))?;
    Ok(url.trim_end_matches('/').to_owned())
}

fn api_version(raw: &str) -> Result<String, Error> {
    let ok = raw.strip_prefix('v').and_then(|rest| rest.split_once('.')).is_some_and(|(major, minor)| {
        !major.is_empty() && !minor.is_empty() && (major.bytes().chain(minor.bytes())).all(|b| b.is_ascii_digit())
    });
    if !ok {
        return Err(Error::invalid("whatsapp.graphApiVersion must look like v21.0"));
    }
    Ok(raw.to_owned())
}

/// `scheme://host[:port]`, as browsers send in `Origin`, deduplicated.
fn origins(list: Vec<String>) -> Result<Vec<String>, Error> {
    if list.len() > MAX_ORIGINS {
        return Err(Error::invalid(format!("web.allowedOrigins takes at most {MAX_ORIGINS} origins")));
    }
    let mut out: Vec<String> = Vec::new();
    for raw in list {
        let parsed = reqwest::Url::parse(&raw).ok().filter(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some() && u.path() == "/" && u.query().is_none()
        });
        let Some(parsed) = parsed.filter(|_| !raw.ends_with('/') || raw.matches('/').count() == 2) else {
            return Err(Error::invalid(format!(
                "web.allowedOrigins: {raw:?} is not an origin like https://shop.example"
            )));
        };
        let origin = parsed.origin().ascii_serialization();
        if !out.contains(&origin) {
            out.push(origin);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        let ok =
            origins(vec!["https://shop.example".into(), "http://localhost:5173".into(), "https://shop.example".into()])
                .expect("origins");
        assert_eq!(ok, vec!["https://shop.example", "http://localhost:5173"]);
        for bad in ["shop.example", "https://shop.example/page", "ftp://x.example", "https://x.example?a=1", "*"] {
            assert!(origins(vec![bad.into()]).is_err(), "{bad}");
        }
    }

    #[test]
    fn api_versions_and_secrets() {
        assert!(api_version("v21.0").is_ok());
        for bad in ["21.0", "v21", "v.1", "vx.1", "v21.0/"] {
            assert!(api_version(bad).is_err(), "{bad}");
        }
        assert!(secret("EAAB123", "t").is_ok());
        assert!(secret("has space", "t").is_err());
        assert!(secret("", "t").is_err());
    }
}
