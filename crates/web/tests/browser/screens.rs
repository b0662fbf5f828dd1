//! How tall a page is, and how far down a thing on it is, in screens (one screen = the window's
//! inner height): the budgets a person feels on a long page ("at most 6 screens", "the button within
//! the first 2"). Self-contained, so any journey can use it with its own `fantoccini::Client`.

use fantoccini::Client;

/// The bottom of the first element matching `arguments[0]` that a person can see (not folded in a
/// closed details, not hidden), in screens from the top; -1 if none.
const BOTTOM: &str = "const el = [...document.querySelectorAll(arguments[0])].find(e => e.checkVisibility());\n\
                      if (!el) { return -1; }\n\
                      return (el.getBoundingClientRect().bottom + window.scrollY) / window.innerHeight;";

/// The page's full height, in screens of the window as it is now.
pub async fn page_height(client: &Client) -> f64 {
    measure(client, "return document.documentElement.scrollHeight / window.innerHeight;", None).await
}

/// How far down the page the bottom of the first element matching `css` is, in screens: at most 2
/// means a person sees it by scrolling no more than one screen.
pub async fn bottom_of(client: &Client, css: &str) -> f64 {
    let at = measure(client, BOTTOM, Some(css)).await;
    assert!(at >= 0.0, "nothing on the page matches {css}");
    at
}

/// As [`bottom_of`], or `None` when nothing on the page matches `css` (a page without a form).
pub async fn bottom_of_any(client: &Client, css: &str) -> Option<f64> {
    let at = measure(client, BOTTOM, Some(css)).await;
    (at >= 0.0).then_some(at)
}

async fn measure(client: &Client, script: &str, arg: Option<&str>) -> f64 {
    let args = arg.map(|a| vec![serde_json::Value::from(a)]).unwrap_or_default();
    let value = client.execute(script, args).await.unwrap_or_else(|e| panic!("measuring the page: {e}"));
    value.as_f64().unwrap_or_else(|| panic!("the page's measure is not a number: {value}"))
}
