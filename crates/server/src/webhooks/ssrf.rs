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
    /// Why `ip` may not be a webhook target, if it may not. An IPv6 address that carries an
    /// IPv4 address (mapped, compatible, 6to4, Teredo, NAT64) reaches that IPv4 address, so
    /// it is judged as that address.
    pub fn refuses(self, ip: IpAddr) -> Option<&'static str> {
        let v6 = match ip {
            IpAddr::V4(v4) => return self.refuses_v4(v4),
            IpAddr::V6(v6) => v6,
        };
        if v6.is_loopback() {
            return (!self.allow_loopback).then_some("a loopback address");
        }
        match embedded_v4(v6) {
            Embedded::None => v6_refusal(v6),
            Embedded::One(v4) => self.refuses_v4(v4),
            // Teredo names a relay server and the client behind it; both are reached.
            Embedded::Two(a, b) => self.refuses_v4(a).or_else(|| self.refuses_v4(b)),
        }
    }

    fn refuses_v4(self, v4: Ipv4Addr) -> Option<&'static str> {
        if v4.is_loopback() {
            return (!self.allow_loopback).then_some("a loopback address");
        }
        v4_refusal(v4)
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

/// The IPv4 addresses an IPv6 address leads to, by the transition schemes that embed one.
enum Embedded {
    None,
    One(Ipv4Addr),
    Two(Ipv4Addr, Ipv4Addr),
}

fn embedded_v4(ip: Ipv6Addr) -> Embedded {
    let s = ip.segments();
    let v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    match s {
        // ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (translated, RFC 6052's SIIT form) and
        // the deprecated ::a.b.c.d (compatible; :: and ::1 are not IPv4).
        [0, 0, 0, 0, 0, 0xffff, hi, lo] | [0, 0, 0, 0, 0xffff, 0, hi, lo] => Embedded::One(v4(hi, lo)),
        [0, 0, 0, 0, 0, 0, hi, lo] if !(hi == 0 && lo <= 1) => Embedded::One(v4(hi, lo)),
        // 64:ff9b::/96, the well-known NAT64 prefix (RFC 6052).
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Embedded::One(v4(hi, lo)),
        // 2002:AABB:CCDD::/48, 6to4 (RFC 3056).
        [0x2002, hi, lo, ..] => Embedded::One(v4(hi, lo)),
        // 2001:0::/32, Teredo (RFC 4380): the server, and the client's address inverted.
        [0x2001, 0, server_hi, server_lo, _, _, client_hi, client_lo] => {
            Embedded::Two(v4(server_hi, server_lo), v4(!client_hi, !client_lo))
        }
        _ => Embedded::None,
    }
}

fn v6_refusal(ip: Ipv6Addr) -> Option<&'static str> {
    let [first, second, ..] = ip.segments();
    if ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) {
        Some("a cloud metadata address")
    } else if first & 0xfe00 == 0xfc00 {
        Some("a private address")
    } else if first & 0xffc0 == 0xfe80 || first & 0xffc0 == 0xfec0 {
        Some("a link-local address")
    } else if ip.is_multicast() {
        Some("a multicast address")
    } else if ip.is_unspecified()
        // 64:ff9b:1::/48, local-use NAT64 (RFC 8215): where the IPv4 address sits is the
        // network's choice, so what it reaches cannot be told.
        || (first == 0x64 && second == 0xff9b)
        // 2001:db8::/32 documentation, 100::/64 discard.
        || (first == 0x2001 && second == 0xdb8)
        || (first == 0x100 && ip.segments()[1..4] == [0, 0, 0])
    {
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
            // IPv4 inside IPv6: compatible, translated, 6to4, Teredo (server or client), NAT64.
            "::127.0.0.1",
            "::7f00:1",
            "::10.0.0.1",
            "::ffff:0:127.0.0.1",
            "::ffff:0:a9fe:a9fe",
            "2002:7f00:1::",
            "2002:a9fe:a9fe::",
            "2002:c0a8:101:1::1",
            "2001:0:7f00:1::1",
            "2001:0:808:808:0:0:f5ff:fffe",
            "64:ff9b::127.0.0.1",
            "64:ff9b::169.254.169.254",
            "64:ff9b:1::808:808",
            "2001:db8::1",
            "fec0::1",
        ] {
            assert!(strict.refuses(ip.parse().expect(ip)).is_some(), "{ip} should be refused");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "::8.8.8.8",
            "2002:808:808::1",
            "64:ff9b::8.8.8.8",
            // Teredo through a public relay for a public client (8.8.4.4 inverted).
            "2001:0:808:808:0:0:f7f7:fbfb",
        ] {
            assert_eq!(strict.refuses(ip.parse().expect(ip)), None, "{ip} should be allowed");
        }
        assert_eq!(strict.refuses("2002:a9fe:a9fe::".parse().expect("ip")), Some("a cloud metadata address"));
        assert_eq!(strict.refuses("::7f00:1".parse().expect("ip")), Some("a loopback address"));
    }

    #[test]
    fn embedded_loopback_follows_the_loopback_rule() {
        let local = TargetPolicy { allow_loopback: true };
        for ip in ["::127.0.0.1", "2002:7f00:1::", "::ffff:127.0.0.1"] {
            assert_eq!(local.refuses(ip.parse().expect(ip)), None, "{ip}");
        }
        assert!(local.refuses("2002:a00:1::".parse().expect("ip")).is_some());
        for host in ["[::127.0.0.1]", "[::7f00:1]", "[2002:7f00:1::]", "[2002:a9fe:a9fe::]"] {
            assert!(TargetPolicy::default().check_host(host).is_err(), "{host}");
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
