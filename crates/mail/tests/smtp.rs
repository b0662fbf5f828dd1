//! The mailers end to end: SmtpMailer over real TCP to the SmtpSink, and the failures the outbox must tell apart.

use hearth_mail::{Email, LogMailer, MailError, Mailer, RecordingMailer, SmtpMailer};
use hearth_test_smtp::SmtpSink;
use std::collections::BTreeSet;
use std::sync::Arc;

const FROM: &str = "Hearth <noreply@hearth.test>";

fn email(to: &str, subject: &str, body: &str) -> Email {
    Email { to: to.to_owned(), subject: subject.to_owned(), body: body.to_owned() }
}

fn mailer(url: &str) -> SmtpMailer {
    SmtpMailer::from_url(url, FROM).expect("a valid relay URL")
}

#[tokio::test]
async fn delivers_subject_body_recipient_and_sender_intact() {
    let sink = SmtpSink::start().await;
    let body = "Dear Aroha,\n\nThe weekly fee is £1,250.\n.This line starts with a dot\n.\n..two dots\nPō Tūmanako\n";
    let sent = email(
        "Placement Officer <placement-officer.coventry@hearth.test>",
        "Referral for Pō — offer of £1,250 a week",
        body,
    );

    mailer(&sink.url()).send(&sent).await.expect("the sink accepts the message");

    let received = sink.received(1);
    let message = &received[0];
    assert_eq!(message.from, "noreply@hearth.test");
    assert_eq!(message.recipients, ["placement-officer.coventry@hearth.test"]);
    assert_eq!(message.subject, sent.subject);
    assert_eq!(message.body, body);
    assert_eq!(message.header("From"), Some("Hearth <noreply@hearth.test>"));
    assert_eq!(message.header("To"), Some("\"Placement Officer\" <placement-officer.coventry@hearth.test>"));
    assert!(message.header("Content-Type").is_some_and(|value| value.contains("charset=utf-8")), "{}", message.raw);
    assert!(message.authenticated_as.is_none());
}

/// lettre picks the transfer encoding from the body; the sink must read back each one it picks.
#[tokio::test]
async fn reads_back_every_transfer_encoding_lettre_chooses() {
    let sink = SmtpSink::start().await;
    let mailer = mailer(&sink.url());
    let long_ascii_line = format!("{}\nend", "x".repeat(120));
    let mostly_welsh = "ŵŷâêîôûŵŷâêîôû\n".repeat(8);
    let cases = [
        ("7bit", "Plain ASCII.\n.dot\n"),
        ("quoted-printable", "Fee £1,250.\n.dot\n"),
        ("quoted-printable", long_ascii_line.as_str()),
        ("base64", mostly_welsh.as_str()),
    ];
    for (i, (_, body)) in cases.iter().enumerate() {
        mailer.send(&email("x@hearth.test", &format!("case {i}"), body)).await.expect("sent");
    }

    let received = sink.received(cases.len());
    for (message, (encoding, body)) in received.iter().zip(cases) {
        assert_eq!(message.header("Content-Transfer-Encoding"), Some(encoding), "{}", message.raw);
        assert_eq!(message.body, body, "{}", message.raw);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivers_several_messages_at_once() {
    let sink = SmtpSink::start().await;
    let mailer = Arc::new(mailer(&sink.url()));
    let mut sends = tokio::task::JoinSet::new();
    for i in 0..12 {
        let mailer = Arc::clone(&mailer);
        sends.spawn(async move {
            mailer.send(&email(&format!("officer{i}@hearth.test"), &format!("message {i}"), &format!("body {i}"))).await
        });
    }
    while let Some(result) = sends.join_next().await {
        result.expect("the send task").expect("the sink accepts every message");
    }

    let received = sink.received(12);
    for message in &received {
        let i = message.subject.strip_prefix("message ").expect("a subject we sent");
        assert_eq!(message.recipients, [format!("officer{i}@hearth.test")]);
        assert_eq!(message.body, format!("body {i}"));
    }
    let subjects: BTreeSet<_> = received.iter().map(|message| message.subject.clone()).collect();
    assert_eq!(subjects.len(), 12);
}

#[tokio::test]
async fn a_relay_that_is_not_listening_is_a_temporary_error_at_once() {
    // Take a free port and let it go again, so nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address").port();
    let mailer = mailer(&format!("smtp://127.0.0.1:{port}"));

    let error = mailer.send(&email("x@hearth.test", "s", "b")).await.expect_err("nothing is listening");

    // The refusal itself is reported, not a timeout: the mailer gave up when the connection was refused rather than
    // waiting out its command or send timeout.
    let MailError::Unreachable(reason) = &error else { panic!("{error:?}") };
    assert!(reason.contains("refused"), "{reason}");
    assert!(!error.is_permanent());
}

/// A relay that takes the connection but never says a word must not hold the delivery loop: the mailer's own
/// timeout ends the send with a temporary error. The clock is tokio's paused one, so the timeout passes as soon as
/// nothing else can happen, without the test waiting for it.
#[tokio::test(start_paused = true)]
async fn a_relay_that_never_answers_is_a_temporary_error_once_its_timeout_passes() {
    // Bound but never accepted: the kernel completes the connection and the relay says nothing.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = silent.local_addr().expect("address").port();
    let mailer = mailer(&format!("smtp://127.0.0.1:{port}"));

    let error = mailer.send(&email("x@hearth.test", "s", "b")).await.expect_err("the relay never answers");

    assert!(matches!(error, MailError::Unreachable(_)), "{error:?}");
    assert!(!error.is_permanent());
    // Held to here, so the port stays bound (and silent) for the whole send.
    drop(silent);
}

#[tokio::test]
async fn an_invalid_address_is_a_permanent_error_and_nothing_is_sent() {
    let sink = SmtpSink::start().await;
    let mailer = mailer(&sink.url());
    for to in ["", "not-an-address", "someone@", "a@b.test, c@d.test"] {
        let error = mailer.send(&email(to, "s", "b")).await.expect_err(to);
        assert!(matches!(error, MailError::InvalidAddress { .. }), "{to:?}: {error:?}");
        assert!(error.is_permanent(), "{to:?}");
    }
    // A good message afterwards is the only one the sink sees.
    mailer.send(&email("ok@hearth.test", "ok", "b")).await.expect("sent");
    let received = sink.received(1);
    assert_eq!(received[0].subject, "ok");
}

#[tokio::test]
async fn logs_in_with_the_credentials_in_the_url() {
    let sink = SmtpSink::start().await;
    let url = format!("smtp://hearth%40coventry:s%3Acret@127.0.0.1:{}", sink.port());
    mailer(&url).send(&email("x@hearth.test", "s", "b")).await.expect("sent");
    let received = sink.received(1);
    assert_eq!(received[0].authenticated_as.as_deref(), Some("hearth@coventry"));
}

#[tokio::test]
async fn starttls_is_required_not_hoped_for() {
    // The sink offers no STARTTLS: a relay configured for it must not be sent the message in the clear.
    let sink = SmtpSink::start().await;
    let mailer = mailer(&format!("smtp+starttls://127.0.0.1:{}", sink.port()));
    let error = mailer.send(&email("x@hearth.test", "secret", "b")).await.expect_err("no STARTTLS offered");
    assert!(!error.is_permanent(), "{error:?}");
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn recording_mailer_fails_then_succeeds() {
    let mailer = RecordingMailer::new();
    mailer.fail_next(2);
    let message = email("x@hearth.test", "retry me", "b");

    for _ in 0..2 {
        let error = mailer.send(&message).await.expect_err("told to fail");
        assert!(!error.is_permanent());
    }
    assert!(mailer.sent().is_empty());
    mailer.send(&message).await.expect("the third try succeeds");

    assert_eq!(mailer.sent(), [message]);
    assert_eq!(mailer.attempts(), 3);
    let error = mailer.send(&email("nope", "s", "b")).await.expect_err("bad address");
    assert!(error.is_permanent());
    assert_eq!(mailer.sent().len(), 1);
}

#[tokio::test]
async fn log_mailer_accepts_good_addresses_only() {
    LogMailer.send(&email("x@hearth.test", "s", "b")).await.expect("logged");
    assert!(LogMailer.send(&email("nope", "s", "b")).await.expect_err("bad address").is_permanent());
}

#[tokio::test]
#[should_panic(expected = "SmtpSink: expected 1 message(s) but 0 arrived")]
async fn expecting_a_message_that_never_came_fails_at_once() {
    let sink = SmtpSink::start().await;
    sink.received(1);
}
