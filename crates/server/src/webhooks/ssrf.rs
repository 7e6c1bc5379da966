//! Where webhooks may go. A URL is checked when it is saved and, because DNS can change
//! after that, every address is checked again when a delivery connects: the HTTP client
//! resolves names only through [`GuardedResolver`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// A target the policy refuses, and why ("a private address").
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the URL points to {0}, which outbound requests may not reach")]
pub struct Refused(pub &'static str);

/// Which non-public targets are allowed. Only loopback can be: the local workspace and
/// tests deliver to receivers on this machine; nothing needs private or metadata networks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TargetPolicy {
    pub allow_loopback: bool,
}

impl TargetPolicy {
    /// Why `ip` may not be a webhook target, if it may not.
    pub fn refuses(self, ip: IpAddr) -> Option<&'static str> {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            v4 => v4,
        };
        if ip.is_loopback() {
            return (!self.allow_loopback).then_some("a loopback address");
        }
        match ip {
            IpAddr::V4(v4) => v4_refusal(v4),
            IpAddr::V6(v6) => v6_refusal(v6),
        }
    }

    /// Checks a URL's host when it is an address or `localhost`; other names are checked
    /// when they are resolved.
    pub fn check_host(self, host: &str) -> Result<(), Refused> {
        let bare = host.trim_start_matches('[').trim_end_matches(']').trim_end_matches('.');
        let ip = if bare.eq_ignore_ascii_case("localhost") || bare.to_ascii_lowercase().ends_with(".localhost") {
            Some(IpAddr::V4(Ipv4Addr::LOCALHOST))
        } else {
            bare.parse::<IpAddr>().ok()
        };
        match ip.and_then(|ip| self.refuses(ip)) {
            Some(why) => Err(Refused(why)),
            None => Ok(()),
        }
    }
}

fn v4_refusal(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    if ip == Ipv4Addr::new(169, 254, 169, 254) || ip == Ipv4Addr::new(100, 100, 100, 200) {
        Some("a cloud metadata address")
    } else if ip.is_private() || (a == 100 && (64..128).contains(&b)) || (a == 198 && (b == 18 || b == 19)) {
        Some("a private address")
    } else if ip.is_link_local() {
        Some("a link-local address")
    } else if ip.is_multicast() || ip.is_broadcast() {
        Some("a multicast or broadcast address")
    } else if a == 0 || a >= 240 || (a == 192 && b == 0 && c == 0) {
        Some("a reserved address")
    } else {
        None
    }
}

fn v6_refusal(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    if ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) {
        Some("a cloud metadata address")
    } else if first & 0xfe00 == 0xfc00 {
        Some("a private address")
    } else if first & 0xffc0 == 0xfe80 {
        Some("a link-local address")
    } else if ip.is_multicast() {
        Some("a multicast address")
    } else if ip.is_unspecified() || (first == 0x64 && ip.segments()[1] == 0xff9b) {
        // NAT64 could reach any IPv4 address, private ones included.
        Some("a reserved address")
    } else {
        None
    }
}

/// The system resolver, keeping only addresses the policy allows.
pub struct GuardedResolver {
    pub policy: TargetPolicy,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found.iter().copied().filter(|a| policy.refuses(a.ip()).is_none()).collect();
            if allowed.is_empty() {
                let why = found.first().and_then(|a| policy.refuses(a.ip())).unwrap_or("no address");
                return Err(format!("{host} resolves to {why}, which webhooks may not reach").into());
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

impl GuardedResolver {
    pub fn shared(policy: TargetPolicy) -> Arc<Self> {
        Arc::new(Self { policy })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_refused() {
        let strict = TargetPolicy::default();
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "169.254.10.1",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "ff02::1",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(strict.refuses(ip.parse().expect(ip)).is_some(), "{ip} should be refused");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"] {
            assert_eq!(strict.refuses(ip.parse().expect(ip)), None, "{ip} should be allowed");
        }
    }

    #[test]
    fn loopback_only_when_allowed() {
        let local = TargetPolicy { allow_loopback: true };
        assert_eq!(local.refuses("127.0.0.1".parse().expect("ip")), None);
        assert_eq!(local.refuses("::1".parse().expect("ip")), None);
        assert!(local.refuses("10.0.0.1".parse().expect("ip")).is_some());
        assert!(local.check_host("localhost").is_ok());
        assert!(TargetPolicy::default().check_host("localhost").is_err());
        assert!(TargetPolicy::default().check_host("api.localhost").is_err());
        assert!(TargetPolicy::default().check_host("localhost.").is_err());
        assert!(TargetPolicy::default().check_host("[::1]").is_err());
        assert!(TargetPolicy::default().check_host("example.com").is_ok());
    }

    #[tokio::test]
    async fn names_are_checked_when_resolved() {
        let strict = GuardedResolver::shared(TargetPolicy::default());
        let name: Name = "localhost".parse().expect("name");
        let err = match strict.resolve(name).await {
            Ok(_) => panic!("localhost resolved under the strict policy"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains("loopback"), "{err}");
        let local = GuardedResolver::shared(TargetPolicy { allow_loopback: true });
        let addrs: Vec<_> = local.resolve("localhost".parse().expect("name")).await.expect("allowed").collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());
    }
}
