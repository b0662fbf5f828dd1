/// Why an e-mail was not delivered, or a mailer could not be set up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// The recipient (or the configured sender) is not an e-mail address. Permanent: no retry can fix it.
    #[error("{address:?} is not a valid e-mail address: {reason}")]
    InvalidAddress { address: String, reason: String },
    /// The relay URL given at start-up is not usable. Permanent; only [`crate::SmtpMailer::from_url`] returns it.
    #[error("the mail relay setting {url:?} is not usable: {reason}")]
    InvalidRelay { url: String, reason: String },
    /// The relay could not be reached or stopped answering: connection refused, name not found, timed out, TLS
    /// failed. Temporary.
    #[error("the mail relay could not be reached: {0}")]
    Unreachable(String),
    /// The relay answered but would not take the message. Temporary, including for 5xx replies: in practice those
    /// come from a relay that is misconfigured for Hearth (relaying denied, authentication required), which an
    /// operator fixes, and the notification should still go once they have; the outbox's own attempt limit bounds
    /// the rest.
    #[error("the mail relay refused the message: {0}")]
    Refused(String),
    /// The folder a [`crate::FileMailer`] keeps messages in cannot be made or written to. Temporary: a full disk or
    /// a wrong permission is fixed by an operator, and the message should then still be kept.
    #[error("cannot keep the e-mail in {path}: {reason}")]
    Folder { path: String, reason: String },
}

impl MailError {
    /// Whether sending the same message again can never succeed, so the outbox should stop retrying it.
    pub fn is_permanent(&self) -> bool {
        match self {
            Self::InvalidAddress { .. } | Self::InvalidRelay { .. } => true,
            Self::Unreachable(_) | Self::Refused(_) | Self::Folder { .. } => false,
        }
    }
}
