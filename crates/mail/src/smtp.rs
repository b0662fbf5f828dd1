//! Delivery through an SMTP relay.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::{Email, MailError, Mailer, build_message, parse_mailbox};

/// How long the relay has to accept a connection or answer any one command. The delivery loop sends one message at
/// a time, so a relay that has died without closing its connections must not hold it for lettre's default minute.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one whole send may take, however the time is spread over its commands (a relay that answers each
/// command just inside [`COMMAND_TIMEOUT`] would otherwise hold the loop for minutes).
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// Sends e-mail through an SMTP relay, one connection per message.
///
/// Hearth sends a few notifications a minute at most, so a connection pool would only add held-open connections
/// for the relay to time out.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    relay: String,
}

impl SmtpMailer {
    /// A mailer for the relay at `url`, sending as `from` (`noreply@council.gov.uk` or
    /// `Hearth <noreply@council.gov.uk>`).
    ///
    /// The URL is one of
    /// - `smtp://host[:port]` (port 25 by default): no encryption, for a relay on the same machine or network, and
    ///   for tests;
    /// - `smtp+starttls://host[:port]` (port 587 by default): the connection must be upgraded with STARTTLS before
    ///   anything else is sent, and fails if the relay does not offer it;
    /// - `smtps://host[:port]` (port 465 by default): TLS from the first byte.
    ///
    /// `user:password@` before the host logs in (AUTH PLAIN or LOGIN), percent-encoded where they hold `@`, `:` or
    /// `/`. TLS certificates are checked against the operating system's certificate store, so a relay with a
    /// certificate from the council's own CA works once that CA is installed on the server.
    pub fn from_url(url: &str, from: &str) -> Result<SmtpMailer, MailError> {
        let invalid = |reason: String| MailError::InvalidRelay { url: redact(url), reason };
        let relay = Relay::parse(url).map_err(invalid)?;
        let from = parse_mailbox(from)?;

        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(relay.host.as_str())
            .port(relay.port)
            .timeout(Some(COMMAND_TIMEOUT));
        let tls = || TlsParameters::new(relay.host.clone()).map_err(|error| invalid(error.to_string()));
        builder = match relay.security {
            Security::None => builder,
            Security::StartTls => builder.tls(Tls::Required(tls()?)),
            Security::Tls => builder.tls(Tls::Wrapper(tls()?)),
        };
        if let Some((user, password)) = &relay.credentials {
            if relay.security == Security::None && !is_loopback(&relay.host) {
                tracing::warn!(relay = %relay, "the mail relay password will be sent unencrypted: use smtp+starttls://");
            }
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(SmtpMailer { transport: builder.build(), from, relay: relay.to_string() })
    }

    /// The relay, as `scheme://[user@]host:port` with no password: for the start-up log line.
    pub fn relay(&self) -> &str {
        &self.relay
    }
}

impl fmt::Debug for SmtpMailer {
    // Hand-written so that the relay password never reaches a log through `{:?}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer").field("relay", &self.relay).field("from", &self.from.to_string()).finish()
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        let message = build_message(&self.from, email, false)?;
        match tokio::time::timeout(SEND_TIMEOUT, self.transport.send(message)).await {
            Ok(Ok(_response)) => Ok(()),
            Ok(Err(error)) => Err(classify(&error)),
            Err(_elapsed) => Err(MailError::Unreachable(format!(
                "{} did not finish taking the message within {} seconds",
                self.relay,
                SEND_TIMEOUT.as_secs()
            ))),
        }
    }
}

/// Sorts lettre's errors into the two kinds the outbox acts on. The recipient was checked before sending, so
/// nothing the relay says makes a message permanently undeliverable (see [`MailError::Refused`]).
fn classify(error: &lettre::transport::smtp::Error) -> MailError {
    let description = describe(error);
    if error.is_transient() || error.is_permanent() || error.is_client() {
        MailError::Refused(description)
    } else {
        MailError::Unreachable(description)
    }
}

/// The error and its causes on one line: lettre's own message is often just "Connection error".
fn describe(error: &dyn std::error::Error) -> String {
    let mut description = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !description.contains(&cause_text) {
            description.push_str(": ");
            description.push_str(&cause_text);
        }
        source = cause.source();
    }
    description
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The URL with any password replaced, for error messages.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    match rest.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _password)| user);
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    None,
    StartTls,
    Tls,
}

/// A parsed relay URL. Parsed here rather than by lettre so that `smtp+starttls://` can name STARTTLS in the
/// scheme, where an operator looks, instead of in a `?tls=required` query.
#[derive(Debug, PartialEq, Eq)]
struct Relay {
    security: Security,
    host: String,
    port: u16,
    credentials: Option<(String, String)>,
}

impl Relay {
    fn parse(url: &str) -> Result<Relay, String> {
        const FORMS: &str = "expected smtp://host:port, smtp+starttls://host:port or smtps://host:port";
        let (scheme, rest) = url.trim().split_once("://").ok_or_else(|| FORMS.to_owned())?;
        let (security, default_port) = match scheme.to_ascii_lowercase().as_str() {
            "smtp" => (Security::None, 25),
            "smtp+starttls" => (Security::StartTls, 587),
            "smtps" => (Security::Tls, 465),
            other => return Err(format!("unknown scheme {other:?}: {FORMS}")),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#']) {
            return Err("a path, query or fragment is not supported".to_owned());
        }

        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((userinfo, hostport)) => (Some(userinfo), hostport),
            None => (None, authority),
        };
        let credentials = match userinfo {
            None => None,
            Some(userinfo) => {
                let (user, password) = userinfo
                    .split_once(':')
                    .ok_or_else(|| "give both user and password, as user:password@".to_owned())?;
                Some((percent_decode(user)?, percent_decode(password)?))
            }
        };

        let (host, port) = if let Some(bracketed) = hostport.strip_prefix('[') {
            let (host, after) = bracketed.split_once(']').ok_or_else(|| "an IPv6 address lacks its ]".to_owned())?;
            let port = match after {
                "" => None,
                after => Some(after.strip_prefix(':').ok_or_else(|| format!("unexpected {after:?} after the host"))?),
            };
            (host, port)
        } else {
            match hostport.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (hostport, None),
            }
        };
        if host.is_empty() {
            return Err("the host is missing".to_owned());
        }
        let port = match port {
            None => default_port,
            Some(port) => {
                port.parse::<u16>().ok().filter(|&port| port != 0).ok_or_else(|| format!("bad port {port:?}"))?
            }
        };
        Ok(Relay { security, host: host.to_owned(), port, credentials })
    }
}

impl fmt::Display for Relay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.security {
            Security::None => "smtp",
            Security::StartTls => "smtp+starttls",
            Security::Tls => "smtps",
        };
        write!(f, "{scheme}://")?;
        if let Some((user, _password)) = &self.credentials {
            write!(f, "{user}@")?;
        }
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok());
            decoded
                .push(hex.ok_or_else(|| "a % in the user or password is not followed by two hex digits".to_owned())?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).map_err(|_| "the user or password is not UTF-8 once percent-decoded".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relay(url: &str) -> Relay {
        Relay::parse(url).unwrap_or_else(|error| panic!("{url}: {error}"))
    }

    #[test]
    fn parses_each_scheme_with_its_default_port() {
        assert_eq!(
            relay("smtp://localhost"),
            Relay { security: Security::None, host: "localhost".into(), port: 25, credentials: None }
        );
        assert_eq!(relay("smtp+starttls://relay.coventry.gov.uk").port, 587);
        assert_eq!(relay("smtp+starttls://relay.coventry.gov.uk").security, Security::StartTls);
        assert_eq!(relay("SMTPS://relay.coventry.gov.uk/").port, 465);
        assert_eq!(relay("smtp://127.0.0.1:2525").port, 2525);
    }

    #[test]
    fn parses_credentials_and_ipv6() {
        let parsed = relay("smtp+starttls://hearth%40coventry.gov.uk:p%3Ass@wd@[::1]:587");
        assert_eq!(parsed.host, "::1");
        assert_eq!(parsed.port, 587);
        assert_eq!(parsed.credentials, Some(("hearth@coventry.gov.uk".into(), "p:ss@wd".into())));
        assert_eq!(parsed.to_string(), "smtp+starttls://hearth@coventry.gov.uk@[::1]:587");
    }

    #[test]
    fn rejects_unusable_urls() {
        for url in [
            "relay.coventry.gov.uk",
            "http://relay.coventry.gov.uk",
            "smtp://",
            "smtp://relay:0",
            "smtp://relay:port",
            "smtp://relay:99999",
            "smtp://relay/path",
            "smtp://relay?tls=required",
            "smtp://user@relay",
            "smtp://user:%zz@relay",
            "smtp://[::1",
        ] {
            assert!(Relay::parse(url).is_err(), "{url} was accepted");
        }
    }

    #[test]
    fn errors_and_debug_never_show_the_password() {
        let error =
            SmtpMailer::from_url("smtp://hearth:secret@relay:bad", "noreply@hearth.test").expect_err("bad port");
        assert!(error.is_permanent());
        assert!(!error.to_string().contains("secret"), "{error}");
        let mailer = SmtpMailer::from_url("smtp://hearth:secret@127.0.0.1:2525", "noreply@hearth.test")
            .expect("a valid relay URL");
        assert!(!format!("{mailer:?}").contains("secret"));
        assert_eq!(mailer.relay(), "smtp://hearth@127.0.0.1:2525");
    }

    #[test]
    fn a_bad_sender_is_refused_at_start_up() {
        let error = SmtpMailer::from_url("smtp://127.0.0.1:2525", "not an address").expect_err("bad sender");
        assert!(matches!(error, MailError::InvalidAddress { .. }), "{error}");
    }
}
