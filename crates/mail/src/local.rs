//! Mailers that send nothing over the network.

use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;

use crate::{Email, MailError, Mailer, parse_mailbox};

/// The mailer for a portal run with no relay configured: each message becomes one `info` log line naming the
/// recipient and subject (not the body, which may describe a child), and counts as delivered.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogMailer;

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        parse_mailbox(&email.to)?;
        tracing::info!(to = %email.to, subject = %email.subject, "no mail relay is configured: e-mail not sent");
        Ok(())
    }
}

/// A mailer for tests: keeps every e-mail it accepts, in order, and can be told to fail the next few sends with a
/// temporary error, as a relay that is down would.
#[derive(Debug, Default)]
pub struct RecordingMailer {
    state: Mutex<Recording>,
}

#[derive(Debug, Default)]
struct Recording {
    sent: Vec<Email>,
    failures_left: usize,
    attempts: usize,
}

impl RecordingMailer {
    pub fn new() -> Self {
        Self::default()
    }

    /// The e-mails accepted so far, oldest first (not the ones that were made to fail).
    pub fn sent(&self) -> Vec<Email> {
        self.state().sent.clone()
    }

    /// Makes the next `n` sends fail with [`MailError::Unreachable`] (replacing any failures still pending).
    pub fn fail_next(&self, n: usize) {
        self.state().failures_left = n;
    }

    /// How many times `send` has been called, failed or not.
    pub fn attempts(&self) -> usize {
        self.state().attempts
    }

    // A test that panicked while holding the lock has already failed; the records are still worth reading.
    fn state(&self) -> MutexGuard<'_, Recording> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        let mut state = self.state();
        state.attempts += 1;
        parse_mailbox(&email.to)?;
        if state.failures_left > 0 {
            state.failures_left -= 1;
            return Err(MailError::Unreachable("RecordingMailer was told to fail this send".to_owned()));
        }
        state.sent.push(email.clone());
        Ok(())
    }
}
