//! A small SMTP server for Hearth's tests.
//!
//! Tests need to see what Hearth really puts on the wire (the envelope, the encoded subject and body) without a
//! mail server installed, so [`SmtpSink`] listens on a free port on 127.0.0.1 and keeps every message it is given.
//! It speaks the part of SMTP that an ordinary client uses (EHLO/HELO, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA, RSET,
//! NOOP, QUIT), accepts every sender, recipient and password, and serves any number of connections at once. It
//! offers no STARTTLS, so it also shows that `smtp+starttls://` refuses to send in the clear.
//!
//! It is a crate of its own, used only as a dev-dependency (by `hearth-mail` and `hearth-web` today), rather than a
//! module of `hearth-mail` or a cargo feature of it: nothing the portal ships can then reach a server that accepts
//! any password, and a feature switched on by one crate's tests could not leak into another's build.
//!
//! Nothing here waits on a clock. The sink stores a message before it answers `250` to the message's final dot, so
//! once a client's send has returned, the message is already in [`SmtpSink::messages`]; a test asserts what arrived
//! with [`SmtpSink::received`] and never polls or sleeps.

mod mime;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// Longest command or message line accepted (RFC 5321 allows 1,000 octets with the CRLF; leave some slack).
const MAX_LINE: u64 = 4096;
/// Largest message accepted, so a runaway client cannot fill the test's memory.
const MAX_MESSAGE: usize = 10 * 1024 * 1024;

/// One message the sink was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The envelope sender (`MAIL FROM:<...>`), without the angle brackets.
    pub from: String,
    /// The envelope recipients (`RCPT TO:<...>`), in order.
    pub recipients: Vec<String>,
    /// The user name given with AUTH on this connection, if any.
    pub authenticated_as: Option<String>,
    /// The message as sent after DATA, dot-stuffing undone, with CRLF line endings, lossily converted to text.
    pub raw: String,
    /// The header fields in order, unfolded and with RFC 2047 encoded words decoded.
    pub headers: Vec<(String, String)>,
    /// The decoded `Subject` header (empty when there is none).
    pub subject: String,
    /// The body with its Content-Transfer-Encoding (7bit, 8bit, quoted-printable, base64) undone, as UTF-8 text
    /// with `\n` line endings.
    pub body: String,
}

impl Received {
    /// The first header field called `name` (case-insensitive), decoded.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(field, _)| field.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    fn parse(from: String, recipients: Vec<String>, authenticated_as: Option<String>, data: &[u8]) -> Received {
        let message = mime::parse(data);
        let subject = message.header("Subject").unwrap_or_default().to_owned();
        Received {
            from,
            recipients,
            authenticated_as,
            raw: String::from_utf8_lossy(data).into_owned(),
            subject,
            headers: message.headers,
            body: message.body,
        }
    }
}

/// A running SMTP sink. The server stops, closing every connection, when this is dropped.
#[derive(Debug)]
pub struct SmtpSink {
    port: u16,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

#[derive(Debug, Default)]
struct Shared {
    messages: Mutex<Vec<Received>>,
    /// Why the sink stopped accepting connections, if it has: named when a test finds fewer messages than it
    /// expected, so that the failure says the sink broke rather than that Hearth lost mail.
    stopped: Mutex<Option<String>>,
}

impl Shared {
    fn messages(&self) -> MutexGuard<'_, Vec<Received>> {
        // A connection task that panicked has already lost its own message; the others are intact.
        self.messages.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn store(&self, message: Received) {
        self.messages().push(message);
    }

    fn stop(&self, reason: String) {
        *self.stopped.lock().unwrap_or_else(PoisonError::into_inner) = Some(reason);
    }
}

impl SmtpSink {
    /// Starts a sink on a free port of 127.0.0.1. Panics if no port can be had: this is for tests.
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("SmtpSink: bind 127.0.0.1:0");
        let port = listener.local_addr().expect("SmtpSink: the listener's address").port();
        let shared = Arc::new(Shared::default());
        let server = tokio::spawn(accept(listener, Arc::clone(&shared)));
        SmtpSink { port, shared, server }
    }

    /// The URL to give `hearth_mail::SmtpMailer::from_url`: `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The port the sink listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every message received so far, in the order their DATA finished.
    pub fn messages(&self) -> Vec<Received> {
        self.shared.messages().clone()
    }

    /// The messages received so far, which the test expects to number exactly `n`; panics, naming what did arrive,
    /// if they do not. It does not wait: call it once the sends have returned (see the crate's documentation), so a
    /// lost message fails the test at once instead of after a timeout, and an extra one fails it too.
    pub fn received(&self, n: usize) -> Vec<Received> {
        let messages = self.messages();
        if messages.len() != n {
            let subjects: Vec<&str> = messages.iter().map(|message| message.subject.as_str()).collect();
            let stopped = self.shared.stopped.lock().unwrap_or_else(PoisonError::into_inner).clone();
            let stopped = stopped.map(|reason| format!("; the sink stopped accepting: {reason}")).unwrap_or_default();
            panic!("SmtpSink: expected {n} message(s) but {} arrived (subjects {subjects:?}){stopped}", messages.len());
        }
        messages
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        // Dropping the accept task drops its JoinSet, which aborts every connection task with it.
        self.server.abort();
    }
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    connections.spawn(serve(stream, Arc::clone(&shared)));
                }
                // Out of file descriptors and the like. A test machine in that state will not recover within the
                // test, so stop (and say why in `received`) rather than retry on a timer.
                Err(error) => {
                    shared.stop(error.to_string());
                    // Let the connections already open finish their messages.
                    while connections.join_next().await.is_some() {}
                    return;
                }
            },
            // Reap finished connections so a long test does not accumulate them.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve(stream: TcpStream, shared: Arc<Shared>) {
    let (reader, writer) = stream.into_split();
    // A client that goes away mid-conversation ends only its own connection.
    let _ = Session::new(reader, writer, &shared).run().await;
}

/// One SMTP conversation.
struct Session<'a, R, W> {
    reader: BufReader<R>,
    writer: W,
    shared: &'a Shared,
    authenticated_as: Option<String>,
    from: Option<String>,
    recipients: Vec<String>,
}

/// What the session does after answering a command.
enum Next {
    Continue,
    Close,
}

impl<'a, R: AsyncRead + Unpin, W: AsyncWrite + Unpin> Session<'a, R, W> {
    fn new(reader: R, writer: W, shared: &'a Shared) -> Self {
        Session {
            reader: BufReader::new(reader),
            writer,
            shared,
            authenticated_as: None,
            from: None,
            recipients: Vec::new(),
        }
    }

    async fn run(mut self) -> std::io::Result<()> {
        self.reply("220 hearth-sink ESMTP ready").await?;
        loop {
            let Some(line) = self.read_line().await? else { return Ok(()) };
            let line = String::from_utf8_lossy(trim_line_end(&line)).into_owned();
            let (verb, argument) = line.split_once(' ').unwrap_or((line.as_str(), ""));
            let next = self.command(&verb.to_ascii_uppercase(), argument.trim()).await?;
            if let Next::Close = next {
                return Ok(());
            }
        }
    }

    async fn command(&mut self, verb: &str, argument: &str) -> std::io::Result<Next> {
        match verb {
            "EHLO" => {
                self.reset();
                let extensions = ["8BITMIME", "SMTPUTF8", "AUTH PLAIN LOGIN", &format!("SIZE {MAX_MESSAGE}")];
                let mut reply = String::from("250-hearth-sink greets you");
                for (i, extension) in extensions.iter().enumerate() {
                    let separator = if i + 1 == extensions.len() { ' ' } else { '-' };
                    reply.push_str(&format!("\r\n250{separator}{extension}"));
                }
                self.reply(&reply).await?;
            }
            "HELO" => {
                self.reset();
                self.reply("250 hearth-sink").await?;
            }
            "AUTH" => self.auth(argument).await?,
            "MAIL" => match path_after(argument, "FROM:") {
                _ if self.from.is_some() => self.reply("503 5.5.1 MAIL already given").await?,
                Some(from) => {
                    self.from = Some(from);
                    self.reply("250 2.1.0 OK").await?;
                }
                None => self.reply("501 5.5.4 expected MAIL FROM:<address>").await?,
            },
            "RCPT" => match path_after(argument, "TO:") {
                _ if self.from.is_none() => self.reply("503 5.5.1 MAIL first").await?,
                Some(to) if !to.is_empty() => {
                    self.recipients.push(to);
                    self.reply("250 2.1.5 OK").await?;
                }
                _ => self.reply("501 5.5.4 expected RCPT TO:<address>").await?,
            },
            "DATA" => {
                if self.recipients.is_empty() {
                    self.reply("503 5.5.1 RCPT first").await?;
                } else {
                    self.reply("354 end with <CRLF>.<CRLF>").await?;
                    return self.data().await;
                }
            }
            "RSET" => {
                self.reset();
                self.reply("250 2.0.0 OK").await?;
            }
            "NOOP" => self.reply("250 2.0.0 OK").await?,
            "VRFY" => self.reply("252 2.1.5 cannot verify, but will accept").await?,
            "QUIT" => {
                self.reply("221 2.0.0 bye").await?;
                return Ok(Next::Close);
            }
            _ => self.reply("502 5.5.2 command not implemented").await?,
        }
        Ok(Next::Continue)
    }

    /// Reads the message up to the lone dot, undoing dot-stuffing, and stores it.
    async fn data(&mut self) -> std::io::Result<Next> {
        let mut data = Vec::new();
        loop {
            let Some(line) = self.read_line().await? else { return Ok(Next::Close) };
            if trim_line_end(&line) == b"." {
                break;
            }
            let line = line.strip_prefix(b".").unwrap_or(&line);
            if data.len() + line.len() > MAX_MESSAGE {
                self.reply("552 5.3.4 message too big").await?;
                return Ok(Next::Close);
            }
            data.extend_from_slice(line);
        }
        // The CRLF before the final dot belongs to the terminator, not to the message.
        if data.ends_with(b"\r\n") {
            data.truncate(data.len() - 2);
        } else if data.ends_with(b"\n") {
            data.truncate(data.len() - 1);
        }
        let from = self.from.take().unwrap_or_default();
        let recipients = std::mem::take(&mut self.recipients);
        self.shared.store(Received::parse(from, recipients, self.authenticated_as.clone(), &data));
        self.reply("250 2.0.0 OK: queued").await?;
        Ok(Next::Continue)
    }

    /// AUTH PLAIN (with or without the initial response) and AUTH LOGIN; any password is accepted.
    async fn auth(&mut self, argument: &str) -> std::io::Result<()> {
        let (mechanism, initial) = argument.split_once(' ').unwrap_or((argument, ""));
        let user = match mechanism.to_ascii_uppercase().as_str() {
            "PLAIN" => {
                let response = if initial.is_empty() { self.challenge("").await? } else { Some(initial.to_owned()) };
                // authorization-id NUL authentication-id NUL password
                response.and_then(|response| mime::base64_decode(&response)).and_then(|decoded| {
                    decoded.split(|&byte| byte == 0).nth(1).map(|user| String::from_utf8_lossy(user).into_owned())
                })
            }
            "LOGIN" => {
                let user = match initial {
                    "" => self.challenge("VXNlcm5hbWU6").await?, // "Username:"
                    initial => Some(initial.to_owned()),
                };
                let password = self.challenge("UGFzc3dvcmQ6").await?; // "Password:"
                user.zip(password)
                    .and_then(|(user, _password)| mime::base64_decode(&user))
                    .map(|user| String::from_utf8_lossy(&user).into_owned())
            }
            _ => return self.reply("504 5.5.4 unrecognised authentication mechanism").await,
        };
        match user {
            Some(user) => {
                self.authenticated_as = Some(user);
                self.reply("235 2.7.0 authentication successful").await
            }
            None => self.reply("501 5.5.2 cannot decode the authentication response").await,
        }
    }

    /// Sends a 334 challenge and reads the client's answer (`None` if it cancelled with `*` or went away).
    async fn challenge(&mut self, challenge: &str) -> std::io::Result<Option<String>> {
        self.reply(&format!("334 {challenge}")).await?;
        let Some(line) = self.read_line().await? else { return Ok(None) };
        let answer = String::from_utf8_lossy(trim_line_end(&line)).trim().to_owned();
        Ok((answer != "*").then_some(answer))
    }

    fn reset(&mut self) {
        self.from = None;
        self.recipients.clear();
    }

    /// One line including its line ending, or `None` at the end of the stream. A line longer than [`MAX_LINE`] is an
    /// error, which ends the connection.
    async fn read_line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        let read = (&mut self.reader).take(MAX_LINE).read_until(b'\n', &mut line).await?;
        if read == 0 {
            return Ok(None);
        }
        if !line.ends_with(b"\n") && read as u64 == MAX_LINE {
            self.reply("500 5.5.6 line too long").await?;
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "SMTP line too long"));
        }
        Ok(Some(line))
    }

    async fn reply(&mut self, reply: &str) -> std::io::Result<()> {
        self.writer.write_all(reply.as_bytes()).await?;
        self.writer.write_all(b"\r\n").await?;
        self.writer.flush().await
    }
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The address in `FROM:<address> PARAMETERS` (or `TO:`), without brackets; `Some("")` for the null sender `<>`.
fn path_after(argument: &str, keyword: &str) -> Option<String> {
    let head = argument.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let path = argument[keyword.len()..].trim_start();
    let path = path.split_whitespace().next().unwrap_or("");
    let address = path.strip_prefix('<').and_then(|path| path.strip_suffix('>')).unwrap_or(path);
    Some(address.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_envelope_paths() {
        assert_eq!(path_after("FROM:<a@b.test> BODY=8BITMIME", "FROM:").as_deref(), Some("a@b.test"));
        assert_eq!(path_after("from: <a@b.test>", "FROM:").as_deref(), Some("a@b.test"));
        assert_eq!(path_after("FROM:<>", "FROM:").as_deref(), Some(""));
        assert_eq!(path_after("TO:<c@d.test>", "FROM:"), None);
        assert_eq!(path_after("", "TO:"), None);
    }

    /// Drives a session over an in-memory pipe with a hand-written conversation, including pieces lettre never
    /// sends (HELO, RSET, NOOP, AUTH LOGIN, several recipients, a message with no trailing line break).
    #[tokio::test]
    async fn speaks_smtp_by_hand() {
        let (client, server) = tokio::io::duplex(64 * 1024);
        let shared = Arc::new(Shared::default());
        let server_shared = Arc::clone(&shared);
        let session = tokio::spawn(async move {
            let (reader, writer) = tokio::io::split(server);
            Session::new(reader, writer, &server_shared).run().await
        });

        let conversation = concat!(
            "HELO client.test\r\n",
            "NOOP\r\n",
            "MAIL FROM:<discarded@hearth.test>\r\n",
            "RSET\r\n",
            "AUTH LOGIN\r\n",
            "aGVhcnRo\r\n", // "hearth"
            "c2VjcmV0\r\n", // "secret"
            "RCPT TO:<early@hearth.test>\r\n",
            "MAIL FROM:<noreply@hearth.test>\r\n",
            "RCPT TO:<one@hearth.test>\r\n",
            "RCPT TO:<two@hearth.test>\r\n",
            "DATA\r\n",
            "Subject: hello\r\n",
            "\r\n",
            "..leading dot\r\n",
            "last line\r\n",
            ".\r\n",
            "QUIT\r\n",
        );
        let (mut client_reader, mut client_writer) = tokio::io::split(client);
        client_writer.write_all(conversation.as_bytes()).await.expect("write the conversation");
        let mut replies = String::new();
        client_reader.read_to_string(&mut replies).await.expect("read the replies");
        session.await.expect("the session task").expect("the session");

        let codes: Vec<&str> = replies.lines().map(|line| &line[..3]).collect();
        assert_eq!(
            codes,
            ["220", "250", "250", "250", "250", "334", "334", "235", "503", "250", "250", "250", "354", "250", "221"],
            "{replies}"
        );
        let messages = shared.messages().clone();
        assert_eq!(messages.len(), 1);
        let message = &messages[0];
        assert_eq!(message.from, "noreply@hearth.test");
        assert_eq!(message.recipients, ["one@hearth.test", "two@hearth.test"]);
        assert_eq!(message.authenticated_as.as_deref(), Some("hearth"));
        assert_eq!(message.subject, "hello");
        assert_eq!(message.body, ".leading dot\nlast line");
        assert_eq!(message.raw, "Subject: hello\r\n\r\n.leading dot\r\nlast line");
    }
}
