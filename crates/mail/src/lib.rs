//! E-mail delivery for Hearth's notifications.
//!
//! Hearth tells people about referrals, offers and placements by e-mail as well as on its pages. The service layer
//! writes each notification to an outbox in the same transaction as the change it describes, and a delivery loop
//! hands outbox rows to a [`Mailer`]. Keeping delivery behind this one small trait lets that loop be tested without a
//! network, and lets the loop decide what to do with a failure from [`MailError::is_permanent`] alone: an address
//! that can never work stops being retried, while a relay that is down or busy is tried again later, so a council's
//! mail server being restarted does not lose notifications.
//!
//! - [`SmtpMailer`] sends through the council's SMTP relay (`smtp://`, `smtp+starttls://` or `smtps://`).
//! - [`LogMailer`] is for a portal run with no relay configured: it writes one log line per message, so a demo or a
//!   developer's machine shows what would have been sent instead of failing or silently dropping it.
//! - [`FileMailer`] keeps each message as an `.eml` file in a folder, for the demo (which has no relay) and for
//!   anyone who wants to read what Hearth would send: any mail program opens them.
//! - [`RecordingMailer`] keeps what was sent in memory and can be told to fail, for tests of the delivery loop.
//!
//! The SMTP server that tests send to is not here but in `hearth-test-smtp`, a dev-dependency only, so that it is
//! never built into the portal.

mod error;
mod file;
mod local;
mod smtp;

use async_trait::async_trait;
use lettre::Message;
use lettre::message::Body;
use lettre::message::Mailbox;
use lettre::message::header::{ContentTransferEncoding, ContentType};

pub use error::MailError;
pub use file::FileMailer;
pub use local::{LogMailer, RecordingMailer};
pub use smtp::SmtpMailer;

/// One plain-text e-mail to one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// The recipient: `someone@example.org` or `Some One <someone@example.org>`.
    pub to: String,
    /// The subject line; any Unicode is allowed (it is encoded for the wire).
    pub subject: String,
    /// The plain-text body, UTF-8, with `\n` line endings.
    pub body: String,
}

/// Something that delivers [`Email`]s.
///
/// `send` returns once the message has been handed on (accepted by the relay, for [`SmtpMailer`]); an error says
/// through [`MailError::is_permanent`] whether trying the same message again could ever succeed.
#[async_trait]
pub trait Mailer: Send + Sync + std::fmt::Debug {
    /// Delivers one e-mail.
    async fn send(&self, email: &Email) -> Result<(), MailError>;
}

/// Parses a recipient or sender. Every mailer checks addresses the same way, so that a bad address is reported as
/// permanent whether or not a relay is configured, and a test with [`RecordingMailer`] sees what production would.
pub(crate) fn parse_mailbox(address: &str) -> Result<Mailbox, MailError> {
    address
        .trim()
        .parse::<Mailbox>()
        .map_err(|error| MailError::InvalidAddress { address: address.to_owned(), reason: error.to_string() })
}

/// The message as it goes on the wire (or into a file): one plain-text part from `from` to the recipient. The body's
/// encoding is lettre's choice (quoted-printable for long lines or anything not ASCII) unless `eight_bit`, for a file
/// a person may open in a text editor: then the body is kept as written, in UTF-8 (RFC 6152).
pub(crate) fn build_message(from: &Mailbox, email: &Email, eight_bit: bool) -> Result<Message, MailError> {
    let to = parse_mailbox(&email.to)?;
    let builder =
        Message::builder().from(from.clone()).to(to).subject(email.subject.as_str()).header(ContentType::TEXT_PLAIN);
    // lettre would quote-print any line over 76 characters; 8bit allows 998 (RFC 5322), with CRLF line ends and no
    // NUL or lone CR. A body outside that (none Hearth writes) gets lettre's own choice.
    let crlf = email.body.replace("\r\n", "\n").replace('\n', "\r\n");
    let plain = crlf.split("\r\n").all(|line| line.len() <= 998 && !line.contains(['\r', '\0']));
    let body = if eight_bit && plain {
        Body::dangerous_pre_encoded(crlf.into_bytes(), ContentTransferEncoding::EightBit)
    } else {
        Body::new(email.body.clone())
    };
    builder
        .body(body)
        .map_err(|error| MailError::InvalidAddress { address: email.to.clone(), reason: error.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_and_named_addresses() {
        assert!(parse_mailbox("placement-officer.coventry@hearth.test").is_ok());
        assert!(parse_mailbox("Placement Officer <placement-officer.coventry@hearth.test>").is_ok());
    }

    #[test]
    fn rejects_malformed_addresses_permanently() {
        for bad in ["", "no-at-sign", "two@@signs.test", "a@", "@b.test", "a b@c.test", "x@y.test\r\nBcc: z@w.test"] {
            let error = parse_mailbox(bad).expect_err(bad);
            assert!(error.is_permanent(), "{bad:?}: {error}");
        }
    }
}
