//! The public part of the HTTP API (health, discovery, reference data) through a real server on a
//! loopback port, on an empty SQLite database. Signed-in behaviour is in `tests/http`.

use hearth_web::App;
use serde_json::Value;
use tokio::sync::oneshot;

struct TestServer {
    base: String,
    _stop: oneshot::Sender<()>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    async fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("hearth.sqlite").display());
        let store = hearth_store::open(&url).await.expect("open");
        store.migrate().await.expect("migrate");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(hearth_web::serve(listener, App::new(store), async {
            let _ = stopped.await;
        }));
        Self { base, _stop: stop, _dir: dir }
    }

    async fn get(&self, path: &str) -> (reqwest::StatusCode, Value) {
        let resp = reqwest::get(format!("{}{path}", self.base)).await.expect("request");
        let status = resp.status();
        (status, resp.json().await.expect("json body"))
    }
}

#[tokio::test]
async fn health_reports_the_database() {
    let s = TestServer::start().await;
    let (status, body) = s.get("/health").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "SQLite");
}

#[tokio::test]
async fn api_root_links_to_its_openapi_document() {
    let s = TestServer::start().await;
    let (status, root) = s.get("/api/v1").await;
    assert_eq!(status, 200);
    assert_eq!(root["openapi"], "/api/v1/openapi.json");
    let (status, spec) = s.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(spec["openapi"].as_str().is_some_and(|v| v.starts_with("3.")), "{}", spec["openapi"]);
    for path in ["/health", "/api/v1", "/api/v1/councils", "/api/v1/councils/{code}", "/api/v1/region"] {
        assert!(spec["paths"].get(path).is_some(), "{path} missing from the OpenAPI document");
    }
}

#[tokio::test]
async fn councils_are_the_fourteen_with_their_codes() {
    let s = TestServer::start().await;
    let (_, list) = s.get("/api/v1/councils").await;
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 14);
    let (status, cov) = s.get("/api/v1/councils/E08000026").await;
    assert_eq!(status, 200);
    assert_eq!(cov["la_code"], 331);
    assert_eq!(cov["name"], "Coventry");
}

#[tokio::test]
async fn unknown_things_are_404_with_a_stable_code_and_a_sentence() {
    let s = TestServer::start().await;
    let (status, body) = s.get("/api/v1/councils/999").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("14 councils")));
    let (status, body) = s.get("/api/v1/no-such-thing").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn region_counts_need_a_sign_in() {
    let s = TestServer::start().await;
    let (status, body) = s.get("/api/v1/region").await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "unauthenticated");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let s = TestServer::start().await;
    let resp = reqwest::get(format!("{}/health", s.base)).await.expect("request");
    assert!(resp.headers().get("x-request-id").is_some());
}

#[tokio::test]
async fn every_response_forbids_framing_sniffing_and_foreign_scripts() {
    let s = TestServer::start().await;
    for path in ["/", "/health", "/api/v1/nowhere"] {
        let resp = reqwest::get(format!("{}{path}", s.base)).await.expect("request");
        let h = resp.headers();
        let csp = h.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(h.get("x-frame-options").and_then(|v| v.to_str().ok()), Some("DENY"), "{path}");
        assert_eq!(h.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"), "{path}");
    }
}

/// The published API contract: any change to it shows up here for review.
#[test]
fn openapi_document_is_stable() {
    insta::assert_json_snapshot!("openapi", hearth_web::openapi());
}

/// Every request body is described field by field: a client generated from the document can build
/// each one, and a schema checker can tell a misspelt field from a right one.
#[test]
fn every_request_body_is_typed_field_by_field() {
    let doc = serde_json::to_value(hearth_web::openapi()).expect("json");
    let schemas = &doc["components"]["schemas"];
    let mut untyped = Vec::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("operations") {
            let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") else { continue };
            let named = schema["$ref"].as_str().and_then(|r| r.rsplit('/').next()).map(|n| &schemas[n]);
            if named.is_none_or(|s| s["properties"].as_object().is_none_or(serde_json::Map::is_empty)) {
                untyped.push(format!("{method} {path}"));
            }
        }
    }
    assert!(untyped.is_empty(), "request bodies without their fields: {untyped:?}");
}
