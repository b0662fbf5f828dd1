//! What Hearth hands people to keep: the placement agreement as a PDF beside its text, and the e-mails a portal
//! with no relay keeps as `.eml` files (as `hearth demo` does), for a referral made in the demo region.

use crate::TestFn;
use crate::fixture::{As, Server};
use crate::marketplace::{placed, sent_to_all};
use crate::pages::signed_in;
use hearth_domain::org::Role;
use hearth_mail::FileMailer;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

pub const TESTS: &[(&str, TestFn)] = &[
    ("documents_the_agreement_as_pdf_to_exactly_whom_the_text_is_shown", |s| Box::pin(agreement_pdf(s))),
    ("documents_notifications_kept_as_readable_eml_files", |s| Box::pin(mail_files(s))),
];

async fn fetch(s: &Server, path: &str, cookie: Option<&str>) -> (StatusCode, HeaderMap, Vec<u8>) {
    // Redirects are answers too (to sign in): compared as they are, not followed.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let mut req = client.get(format!("{}{path}", s.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let resp = req.send().await.expect("request");
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.bytes().await.expect("body").to_vec())
}

fn header<'h>(h: &'h HeaderMap, name: &str) -> &'h str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

async fn agreement_pdf(s: &Server) {
    let (officer, provider, id, _) = placed(s).await;
    let (_, list) = s.get(&format!("/api/v1/referrals/{id}/agreements"), As::Browser(&officer)).await;
    let v1 = &list[0];
    let (version, hash) = (v1["id"].as_i64().expect("id"), v1["text_hash"].as_str().expect("hash"));
    let text = v1["text"].as_str().expect("text");
    let reference =
        text.split("council reference ").nth(1).and_then(|r| r.split(',').next()).expect("the child's reference");
    let pdf_path = format!("/agreements/{version}/document.pdf");
    for who in [&officer, &provider] {
        let (status, headers, pdf) = fetch(s, &pdf_path, Some(&who.cookie)).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
        assert_eq!(header(&headers, "content-type"), "application/pdf");
        assert_eq!(
            header(&headers, "content-disposition"),
            format!("attachment; filename=\"placement-agreement-{id}-v1.pdf\"")
        );
        assert!(pdf.starts_with(b"%PDF-"));
        // The content streams are not compressed: the words are in the file as they are printed.
        let raw = String::from_utf8_lossy(&pdf);
        assert!(raw.contains("(SHA-256 of the text above:") && raw.contains(hash), "the hash is printed: {raw}");
        assert!(raw.contains(&format!("council reference {reference},")), "the child's reference: {raw}");
        assert!(raw.contains("(INDIVIDUAL PLACEMENT AGREEMENT)"), "{raw}");
    }
    // The page offers both downloads.
    let (_, _, html) = fetch(s, &format!("/referrals/{id}/agreement"), Some(&officer.cookie)).await;
    let html = String::from_utf8_lossy(&html);
    assert!(html.contains(&format!(r#"href="{pdf_path}""#)) && html.contains("(PDF)"), "{html}");
    assert!(html.contains(&format!(r#"href="/agreements/{version}/document""#)), "the text file stays: {html}");

    // Refused exactly as the text is: another council, a provider that is not a party, nobody signed in.
    let party = provider.body["organisation"].as_i64().expect("org");
    let outsider_provider = if party == s.facts.provider_p.0 { s.facts.provider_q } else { s.facts.provider_p };
    let (birmingham, _) = signed_in(s, Role::PlacementOfficer, s.facts.birmingham).await;
    let (outsider, _) = signed_in(s, Role::ProviderManager, outsider_provider).await;
    for cookie in [Some(birmingham.as_str()), Some(outsider.as_str()), None] {
        let (text_status, text_headers, _) = fetch(s, &format!("/agreements/{version}/document"), cookie).await;
        let (status, headers, body) = fetch(s, &pdf_path, cookie).await;
        assert_ne!(text_status, StatusCode::OK, "{cookie:?}");
        assert_eq!(status, text_status, "{cookie:?}");
        assert_eq!(header(&headers, "content-type"), header(&text_headers, "content-type"), "{cookie:?}");
        assert!(!body.starts_with(b"%PDF-"), "{cookie:?}");
    }
}

async fn mail_files(s: &Server) {
    let (_, id, _) = sent_to_all(s).await;
    let dir = tempfile::tempdir().expect("a folder");
    let mailer = FileMailer::new(dir.path().join("hearth-demo-mail"), "Hearth <noreply@hearth.test>").expect("mailer");
    let report = s.services.deliver_outbox(&mailer).await.expect("delivery");
    assert!(report.sent > 0 && (report.retrying, report.failed) == (0, 0), "{report:?}");
    let mut files: Vec<_> = std::fs::read_dir(mailer.dir())
        .expect("listed")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), report.sent, "one file per e-mail sent");
    let mails: Vec<String> = files.iter().map(|f| std::fs::read_to_string(f).expect("UTF-8 text")).collect();
    for m in &mails {
        assert!(m.starts_with("From: Hearth <noreply@hearth.test>\r\n"), "{m}");
        assert!(m.contains("\r\nTo: ") && m.contains("@hearth.test") && m.contains("\r\nSubject: "), "{m}");
        assert!(m.contains("\r\n\r\n"), "headers, then the body: {m}");
    }
    let new = format!("Subject: New referral {id}");
    let told = mails.iter().find(|m| m.contains(&new)).unwrap_or_else(|| panic!("a provider told: {mails:?}"));
    let (headers, body) = told.split_once("\r\n\r\n").expect("a body");
    assert!(headers.contains("Content-Transfer-Encoding: 8bit"), "the body as written, not encoded: {headers}");
    assert!(body.contains(&format!("Hearth has sent you referral {id} ")), "{body}");
    assert!(body.contains(&format!("\r\n/referrals/{id}\r\n")), "the e-mail says where to answer: {body}");
}
