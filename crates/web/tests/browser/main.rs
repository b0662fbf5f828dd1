//! The main journeys in a real browser, as a person would take them: headless Chromium driven through
//! chromedriver (Debian's `chromium` and `chromium-driver`), against the real server on a fresh copy
//! of the demo region (SQLite; the HTTP suite covers both databases). Every page visited is checked
//! with axe-core (WCAG 2.0/2.1/2.2 A and AA rules) and the journey fails on any serious or critical
//! violation; each main page is saved as a screenshot in `target/screenshots/`.
//!
//! Without `/usr/bin/chromium` or `/usr/bin/chromedriver` the suite prints a loud SKIPPED line and
//! reports every journey as ignored (never as passed), so a developer without a browser can still run
//! `cargo test`; CI installs both and fails on that line.

#[path = "../http/fixture.rs"]
#[allow(dead_code)] // Shared with the HTTP suite, which uses more of it.
mod fixture;
mod journeys;
mod screens;
mod volume;

use fantoccini::{Client, ClientBuilder, Locator};
use fixture::{Backend, Region, Server};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const AXE: &str = include_str!("axe/axe.min.js");

type Journey = for<'a> fn(&'a Browser, &'a Server) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>;

fn main() {
    let args = Arguments::from_args();
    let browser_missing = !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists();
    if browser_missing {
        eprintln!(
            "\n*** Browser tests SKIPPED: install chromium and chromium-driver (apt-get install chromium chromium-driver) ***\n"
        );
    }
    // Without a browser the region is never needed: every journey is reported as ignored.
    let region = (!browser_missing).then(|| Arc::new(Region::prepare(None, &args)));
    let trials = journeys::JOURNEYS
        .iter()
        .chain(volume::JOURNEYS)
        .map(|(name, journey)| {
            let region = region.clone();
            let journey = *journey;
            Trial::test(*name, move || match &region {
                Some(region) => run(region, name, journey),
                None => Err("no browser to run the journey in".into()),
            })
            .with_ignored_flag(browser_missing)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn run(region: &Region, name: &str, journey: Journey) -> Result<(), Failed> {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(async {
        let server = Server::start(region, Backend::Sqlite).await;
        let driver = Driver::start()?;
        let browser = Browser::open(&driver, &server.base, name).await?;
        journey(&browser, &server).await;
        browser.client.clone().close().await.map_err(|e| e.to_string())?;
        server.stop().await;
        drop(driver);
        Ok::<(), Failed>(())
    })
}

/// A chromedriver on a free loopback port, stopped when dropped.
struct Driver {
    process: Child,
    url: String,
}

impl Driver {
    fn start() -> Result<Self, Failed> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mut process = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        // chromedriver says when it listens; read until it does rather than guessing a delay.
        let out = process.stdout.take().ok_or("chromedriver has no stdout")?;
        let ready = BufReader::new(out).lines().map_while(Result::ok).any(|l| l.contains("started successfully"));
        if !ready {
            let _ = process.kill();
            return Err("chromedriver stopped before it was ready".into());
        }
        Ok(Self { process, url: format!("http://127.0.0.1:{port}") })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Headless Chromium with the helpers a journey needs.
#[derive(Debug)]
pub struct Browser {
    pub client: Client,
    base: String,
    journey: String,
}

fn shots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots")
}

impl Browser {
    async fn open(driver: &Driver, base: &str, journey: &str) -> Result<Self, Failed> {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
                "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1280,800", "--lang=en-GB", "--hide-scrollbars"]
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .map_err(|e| format!("starting Chromium through chromedriver: {e}"))?;
        // axe-core on a long page (a provider's every home and vacancy) on a busy 2-core machine can
        // take longer than WebDriver's default 30 s for a script.
        let timeouts = fantoccini::wd::TimeoutConfiguration::new(Some(Duration::from_secs(180)), None, None);
        client.update_timeouts(timeouts).await.map_err(|e| format!("setting timeouts: {e}"))?;
        // Localhost is a secure context, so the session cookie (marked Secure) is kept over http.
        let base = base.replace("127.0.0.1", "localhost");
        Ok(Self { client, base, journey: journey.to_owned() })
    }

    pub async fn visit(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap_or_else(|e| panic!("visiting {path}: {e}"));
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits for an element to be on the page (pages load and htmx swaps without fixed delays).
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        match self.client.wait().at_most(Duration::from_secs(60)).for_element(Locator::Css(css)).await {
            Ok(el) => el,
            Err(e) => panic!("waiting for {css} on {}: {e}", self.path().await),
        }
    }

    /// Waits for the page's h1 to contain `text`.
    pub async fn wait_for_heading(&self, text: &str) {
        let xpath = format!("//h1[contains(normalize-space(.), {})]", xpath_literal(text));
        if let Err(e) = self.client.wait().at_most(Duration::from_secs(60)).for_element(Locator::XPath(&xpath)).await {
            let h1 = match self.client.find(Locator::Css("h1")).await {
                Ok(h) => h.text().await.unwrap_or_default(),
                Err(_) => "(none)".into(),
            };
            panic!("waiting for a heading with {text:?} on {}: {e}; the h1 is {h1:?}", self.path().await);
        }
    }

    /// Waits for a success banner saying `text`: after a post that stays on the same page, the old
    /// page's banner may still be there for a moment, so waiting for any banner is not enough.
    pub async fn wait_for_banner(&self, text: &str) {
        let xpath = format!(
            "//*[contains(@class, 'govuk-notification-banner')][contains(normalize-space(.), {})]",
            xpath_literal(text)
        );
        if let Err(e) = self.client.wait().at_most(Duration::from_secs(60)).for_element(Locator::XPath(&xpath)).await {
            panic!("waiting for a banner saying {text:?} on {}: {e}", self.path().await);
        }
    }

    pub async fn fill(&self, id: &str, value: &str) {
        let input = self.wait_for(&format!("#{id}")).await;
        input.clear().await.unwrap_or_else(|e| panic!("clearing #{id}: {e}"));
        input.send_keys(value).await.unwrap_or_else(|e| panic!("typing into #{id}: {e}"));
    }

    /// Clicks the input whose id is given (a radio or checkbox) through its label, as a person does.
    pub async fn choose(&self, id: &str) {
        let label = self.wait_for(&format!("label[for='{id}']")).await;
        label.click().await.unwrap_or_else(|e| panic!("choosing #{id}: {e}"));
    }

    /// Picks the option with `value` in the select whose id is given.
    pub async fn select(&self, id: &str, value: &str) {
        let select = self.wait_for(&format!("#{id}")).await;
        select.select_by_value(value).await.unwrap_or_else(|e| panic!("choosing {value} in #{id}: {e}"));
    }

    /// Clicks the button or link whose visible text is `text`, or else the first that starts with it
    /// (so "Find" is the page's Find button, not the navigation's "Find a home").
    pub async fn click(&self, text: &str) {
        let lit = xpath_literal(text);
        let xpath = format!("(//button|//a)[starts-with(normalize-space(.), {lit})]");
        let el = match self.client.wait().at_most(Duration::from_secs(60)).for_element(Locator::XPath(&xpath)).await {
            Ok(el) => el,
            Err(e) => panic!("no button or link {text:?} on {}: {e}", self.path().await),
        };
        let exact = format!("(//button|//a)[normalize-space(.) = {lit}]");
        let el = self.client.find(Locator::XPath(&exact)).await.unwrap_or(el);
        el.click().await.unwrap_or_else(|e| panic!("clicking {text:?}: {e}"));
    }

    /// Signs in through the sign-in form the browser is on.
    pub async fn sign_in(&self, email: &str) {
        self.wait_for_heading("Sign in").await;
        self.check("sign-in").await;
        self.fill("email", email).await;
        self.fill("password", hearth_demo::DEMO_PASSWORD).await;
        self.click("Sign in").await;
    }

    /// Runs axe-core on the page and fails on any serious or critical WCAG A/AA violation; saves a
    /// screenshot named after the journey and `page`.
    pub async fn check(&self, page: &str) {
        let script = format!(
            "const done = arguments[arguments.length - 1];\n{AXE}\n\
             axe.run(document, {{ runOnly: {{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }} }})\n\
               .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')\n\
                 .map(v => ({{ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }}))))\n\
               .catch(e => done('axe failed: ' + e));"
        );
        let found =
            self.client.execute_async(&script, vec![]).await.unwrap_or_else(|e| panic!("running axe on {page}: {e}"));
        match &found {
            Value::Array(v) if v.is_empty() => {}
            other => panic!(
                "accessibility: serious or critical violations on {page} ({}):\n{}",
                self.path().await,
                serde_json::to_string_pretty(other).unwrap_or_default()
            ),
        }
        self.within_screens(page).await;
        self.screenshot(page).await;
    }

    /// The budgets a person feels, on every page a journey checks at desktop width (1280 px): the
    /// page at most 6 screens tall, and the first primary button (a form's main action) ending within
    /// the first 2 screens. Phone widths are held to their own budgets by the journeys that ask.
    async fn within_screens(&self, page: &str) {
        let width = self.client.execute("return window.innerWidth;", vec![]).await.expect("window width");
        if width.as_f64().unwrap_or_default() < 1280.0 {
            return;
        }
        let tall = screens::page_height(&self.client).await;
        assert!(tall <= 6.0, "{page} ({}) is {tall:.1} screens tall at 1280 px: at most 6", self.path().await);
        let primary = "main .govuk-button:not(.govuk-button--secondary):not(.govuk-button--warning)";
        if let Some(at) = screens::bottom_of_any(&self.client, primary).await {
            assert!(
                at <= 2.0,
                "{page} ({}): its primary button ends {at:.2} screens down at 1280 px",
                self.path().await
            );
        }
    }

    /// Saves the page as a person would scroll through it: the window is made as tall as the page
    /// (at most three times its height) for the picture, then put back.
    pub async fn screenshot(&self, page: &str) {
        let (width, height) = self.client.get_window_size().await.expect("window size");
        let tall = self
            .client
            .execute("return document.documentElement.scrollHeight - window.innerHeight;", vec![])
            .await
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or_default();
        let grow = (tall.max(0.0) as u64).min(2 * height);
        if grow > 0 {
            self.client.set_window_size(width as u32, (height + grow) as u32).await.expect("taller window");
        }
        let png = self.client.screenshot().await.unwrap_or_else(|e| panic!("screenshot of {page}: {e}"));
        if grow > 0 {
            self.client.set_window_size(width as u32, height as u32).await.expect("window size back");
        }
        let dir = shots_dir();
        std::fs::create_dir_all(&dir).expect("screenshots folder");
        std::fs::write(dir.join(format!("{}--{page}.png", self.journey)), png).expect("writing a screenshot");
    }
}

/// `s` as an XPath string literal (XPath 1.0 has no escapes, so quotes need concat()).
fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else if !s.contains('"') {
        format!("\"{s}\"")
    } else {
        let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}
