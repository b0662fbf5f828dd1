//! A mailer that keeps each message as an `.eml` file.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use lettre::message::Mailbox;

use crate::{Email, MailError, Mailer, build_message, parse_mailbox};

/// Keeps every e-mail as a file in one folder, exactly as it would have gone to a relay (RFC 5322, the `.eml` that
/// any mail program opens), and counts it as delivered.
///
/// The demo has no relay, so without this a newcomer never sees a notification. lettre's own `FileTransport` names
/// its files by random UUID; these are named `{seconds since 1970}-{sequence}-{recipient}.eml` instead, so that a
/// folder listing reads in the order the messages were sent and says who each was for.
#[derive(Debug)]
pub struct FileMailer {
    dir: PathBuf,
    from: Mailbox,
    sequence: AtomicU64,
}

impl FileMailer {
    /// A mailer writing into `dir` (made if missing), sending as `from`.
    pub fn new(dir: impl Into<PathBuf>, from: &str) -> Result<FileMailer, MailError> {
        let dir = dir.into();
        let from = parse_mailbox(from)?;
        std::fs::create_dir_all(&dir).map_err(|error| folder_error(&dir, &error))?;
        Ok(FileMailer { dir, from, sequence: AtomicU64::new(1) })
    }

    /// The folder the messages are kept in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file_name(&self, to: &Mailbox) -> String {
        let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let sequence = self.sequence.fetch_add(1, Ordering::Relaxed);
        // The address's own characters only where they are safe in a file name on every system.
        let who: String = to
            .email
            .user()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c.to_ascii_lowercase() } else { '_' })
            .take(64)
            .collect();
        format!("{seconds:010}-{sequence:04}-{who}.eml")
    }
}

fn folder_error(path: &Path, error: &std::io::Error) -> MailError {
    MailError::Folder { path: path.display().to_string(), reason: error.to_string() }
}

#[async_trait]
impl Mailer for FileMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        let message = build_message(&self.from, email, true)?;
        let to = parse_mailbox(&email.to)?;
        let bytes = message.formatted();
        // `create_new`: a second server writing into the same folder (or a clock set back) never overwrites a
        // message; the next sequence number is tried instead.
        loop {
            let path = self.dir.join(self.file_name(&to));
            let file = tokio::fs::OpenOptions::new().write(true).create_new(true).open(&path).await;
            match file {
                Ok(mut file) => {
                    use tokio::io::AsyncWriteExt;
                    file.write_all(&bytes).await.map_err(|error| folder_error(&path, &error))?;
                    file.flush().await.map_err(|error| folder_error(&path, &error))?;
                    return Ok(());
                }
                Err(error) if error.kind() == ErrorKind::AlreadyExists => continue,
                Err(error) => return Err(folder_error(&path, &error)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_message_is_a_readable_eml_file_named_in_order_and_by_recipient() {
        let dir = tempfile::tempdir().expect("a folder");
        let mailer = FileMailer::new(dir.path().join("mail"), "Hearth <noreply@hearth.test>").expect("mailer");
        for n in 1..=2 {
            let email = Email {
                to: "Provider Manager <provider-manager.5ab-care-ltd@hearth.test>".into(),
                subject: format!("Referral {n} sent to you – please answer"),
                body: format!(
                    "A referral needs your answer – by 5 pm, and this line is longer than the 76 characters of quoted-printable.\nOpen http://127.0.0.1:8080/referrals/{n}\n"
                ),
            };
            mailer.send(&email).await.expect("kept");
        }
        let mut names: Vec<String> = std::fs::read_dir(mailer.dir())
            .expect("listed")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names[0].ends_with("-0001-provider-manager.5ab-care-ltd.eml"), "{names:?}");
        assert!(names[1].contains("-0002-"), "{names:?}");
        let text = std::fs::read_to_string(mailer.dir().join(&names[0])).expect("read");
        assert!(text.contains("From: Hearth <noreply@hearth.test>"), "{text}");
        assert!(text.contains("To: \"Provider Manager\" <provider-manager.5ab-care-ltd@hearth.test>"), "{text}");
        assert!(
            text.contains("Subject: Referral 1 sent to you =?utf-8?b?4oCT?= please answer"),
            "encoded as on the wire: {text}"
        );
        assert!(text.contains("Content-Type: text/plain; charset=utf-8"), "{text}");
        assert!(text.contains("Content-Transfer-Encoding: 8bit"), "{text}");
        assert!(text.contains("\r\n\r\nA referral needs your answer – by 5 pm, and this line is longer than the 76 characters of quoted-printable.\r\nOpen http://127.0.0.1:8080/referrals/1\r\n"), "{text}");
    }

    #[tokio::test]
    async fn a_bad_address_is_permanent_and_writes_nothing() {
        let dir = tempfile::tempdir().expect("a folder");
        let mailer = FileMailer::new(dir.path(), "noreply@hearth.test").expect("mailer");
        let error = mailer
            .send(&Email { to: "not an address".into(), subject: "s".into(), body: "b".into() })
            .await
            .expect_err("refused");
        assert!(error.is_permanent(), "{error}");
        assert_eq!(std::fs::read_dir(dir.path()).expect("listed").count(), 0);
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_said_in_words() {
        let dir = tempfile::tempdir().expect("a folder");
        let file = dir.path().join("a-file");
        std::fs::write(&file, "x").expect("written");
        let error = FileMailer::new(file.join("mail"), "noreply@hearth.test").expect_err("not a folder");
        assert!(matches!(error, MailError::Folder { .. }), "{error}");
        assert!(error.to_string().contains("a-file"), "{error}");
    }
}
