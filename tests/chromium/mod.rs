//! Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`), for
//! tests/browser.rs: it opens a report, measures its layout as drawn (chart sizes, text sizes,
//! overflow, console errors, Content-Security-Policy violations) and evaluates expressions in the
//! loaded page. The browser opens no port; the measuring JavaScript runs through
//! `Runtime.evaluate`, which the page's CSP (no script at all) does not govern, so the report is
//! measured exactly as it ships. Chromium resolves no host but 127.0.0.1.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

/// Chromium's path, from `CHROMIUM` or the usual names on PATH.
pub fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let found = Command::new("sh")
                .args(["-c", &format!("command -v {name}")])
                .output()
                .ok()?;
            let path = String::from_utf8(found.stdout).ok()?;
            (!path.trim().is_empty()).then(|| PathBuf::from(path.trim()))
        })
}

/// Whether this runs under CI (`CI` set, and not to `false`, `0` or nothing), where a missing
/// browser is a failure rather than a reason to skip.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Why a browser test is ignored here: no Chromium, and `CI` is not set.
pub const MISSING: &str = "Chromium is not installed here; `.ci/run` installs Debian's chromium";

/// Why a browser test fails under CI without Chromium.
pub const MISSING_UNDER_CI: &str = "Chromium is missing, but CI is set: CI must run the browser \
     test (install Debian's chromium, or set CHROMIUM to a browser's path)";

/// How long Chromium may take to answer one DevTools request or to load a page.
const STEP: Duration = Duration::from_secs(20);

/// What the browser measured on one page at one viewport width.
#[derive(Debug)]
pub struct Layout {
    /// The device's width in px, which the page must fit.
    pub width: f64,
    /// `window.innerWidth`: wider than the device where a phone's browser zoomed out to fit wider
    /// content.
    pub viewport: f64,
    /// `document.documentElement.scrollWidth`.
    pub scroll_width: f64,
    /// The rendered box of each `<svg>`: (left, right, width, height).
    pub charts: Vec<(f64, f64, f64, f64)>,
    /// Elements whose box reaches past either side of the device's width (content inside a box
    /// that scrolls sideways is measured by that box; content merely clipped is not excused).
    pub too_wide: Vec<String>,
    /// Boxes that scroll sideways because their content is wider than they are, each named with
    /// its first heading or table header: allowed (a wide table scrolls in its card), but a long
    /// caption or hashtag must wrap rather than cause one.
    pub scrolling: Vec<String>,
    /// Chart text drawn smaller than [`MIN_TEXT_PX`] on screen: `<size> px: <text>`.
    pub small_text: Vec<String>,
    /// Chart text that runs past the edge of its chart, where the SVG cuts it off.
    pub clipped_text: Vec<String>,
    /// Console errors, uncaught exceptions and error-level browser log entries.
    pub errors: Vec<String>,
    /// Content-Security-Policy violations the page reported.
    pub violations: Vec<String>,
}

impl Layout {
    /// Every way the page fails to fit or to render cleanly, as sentences.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let width = self.width;
        if self.viewport != width {
            problems.push(format!(
                "the browser widened the viewport to {} px to fit the page on a {width} px screen",
                self.viewport
            ));
        }
        if self.scroll_width > width {
            problems.push(format!(
                "the page scrolls sideways: {} px wide in a {width} px viewport",
                self.scroll_width
            ));
        }
        for wide in &self.too_wide {
            problems.push(format!("wider than the viewport: {wide}"));
        }
        for (i, &(left, right, w, h)) in self.charts.iter().enumerate() {
            if w <= 0.0 || h <= 0.0 {
                problems.push(format!("chart {i} is not drawn: {w} x {h} px"));
            }
            if left < 0.0 || right > width {
                problems.push(format!(
                    "chart {i} leaves the page: {left}..{right} in {width} px"
                ));
            }
        }
        for text in &self.small_text {
            problems.push(format!("chart text too small to read: {text}"));
        }
        for text in &self.clipped_text {
            problems.push(format!("chart text runs past its chart: {text}"));
        }
        for error in &self.errors {
            problems.push(format!("console: {error}"));
        }
        for violation in &self.violations {
            problems.push(format!("CSP violation: {violation}"));
        }
        problems
    }
}

/// The smallest size, in CSS px on screen, at which chart text still reads.
const MIN_TEXT_PX: f64 = 10.0;

/// Runs in the loaded page (over DevTools, not as page script) with the device's width and
/// [`MIN_TEXT_PX`]: the layout as a plain object.
const MEASURE: &str = include_str!("measure.js");

/// Installed before any page script: collects the page's CSP violations.
const LISTEN: &str = "window.__violations = []; \
    document.addEventListener('securitypolicyviolation', \
      e => window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI}`));";

/// A headless Chromium with one page, driven over the DevTools protocol on a pipe; killed (with
/// every process it started) when dropped.
pub struct Browser {
    child: Child,
    requests: ChildStdin,
    answers: Receiver<Value>,
    events: Vec<Value>,
    next_id: u64,
    session: Option<String>,
    dir: TempDir,
}

impl Browser {
    /// Starts `browser` with a fresh profile and attaches to a blank page.
    pub fn launch(browser: &Path) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log = File::create(dir.path().join("chromium.log")).unwrap();
        // The protocol runs on the browser's fd 3 (requests) and fd 4 (answers): the shell moves
        // the pipes of stdin and stdout there.
        let mut child = Command::new("sh")
            .args(["-c", r#"exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null"#])
            .arg(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--no-proxy-server",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--remote-debugging-pipe",
            ])
            .arg(format!(
                "--user-data-dir={}",
                dir.path().join("profile").display()
            ))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", browser.display()));
        let requests = child.stdin.take().unwrap();
        let output = child.stdout.take().unwrap();
        let (sender, answers) = mpsc::channel();
        std::thread::spawn(move || {
            let mut output = BufReader::new(output);
            let mut message = Vec::new();
            while output.read_until(0, &mut message).is_ok_and(|n| n > 0) {
                if message.last() == Some(&0) {
                    message.pop();
                }
                let Ok(value) = serde_json::from_slice::<Value>(&message) else {
                    break;
                };
                if sender.send(value).is_err() {
                    break;
                }
                message.clear();
            }
        });
        let mut this = Self {
            child,
            requests,
            answers,
            events: Vec::new(),
            next_id: 0,
            session: None,
            dir,
        };
        let target = this.call("Target.createTarget", json!({ "url": "about:blank" }));
        let attached = this.call(
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        );
        this.session = attached["sessionId"].as_str().map(str::to_owned);
        for domain in ["Page", "Runtime", "Log"] {
            this.call(&format!("{domain}.enable"), json!({}));
        }
        this.call(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": LISTEN }),
        );
        this
    }

    /// Chromium's own log so far, for failure messages.
    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("chromium.log")).unwrap_or_default()
    }

    /// The next message from the browser, or a failure after `STEP`.
    fn receive(&self, waiting_for: &str) -> Value {
        self.answers.recv_timeout(STEP).unwrap_or_else(|e| {
            panic!(
                "chromium did not answer {waiting_for} within {STEP:?} ({e}); its log:\n{}",
                self.log()
            )
        })
    }

    /// Sends `method` (to the page once attached) and returns its result; events that arrive in
    /// between are kept.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut request = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = &self.session {
            request["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&request).unwrap();
        bytes.push(0);
        if let Err(e) = self.requests.write_all(&bytes) {
            panic!(
                "sending {method} to chromium: {e}; its log:\n{}",
                self.log()
            );
        }
        loop {
            let message = self.receive(method);
            if message["id"] == id {
                assert!(
                    message.get("error").is_none(),
                    "{method} failed: {}",
                    message["error"]
                );
                return message["result"].clone();
            }
            if message.get("method").is_some() {
                self.events.push(message);
            }
        }
    }

    /// Waits for the event `method`, taking it from those kept.
    fn wait_for(&mut self, method: &str) -> Value {
        loop {
            if let Some(i) = self.events.iter().position(|e| e["method"] == method) {
                return self.events.remove(i);
            }
            let message = self.receive(method);
            if message.get("method").is_some() {
                self.events.push(message);
            }
        }
    }

    /// Loads `page` in a viewport `width` x `height` px and measures it; below 600 px the viewport
    /// is a phone's, where the page's `<meta name="viewport">` applies and wider content makes
    /// the browser zoom out (a wider `window.innerWidth`).
    pub fn open(&mut self, page: &Path, width: u32, height: u32) -> Layout {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 }),
        );
        self.events.clear();
        let url = format!("file://{}", page.display());
        let navigated = self.call("Page.navigate", json!({ "url": url }));
        assert!(
            navigated.get("errorText").is_none(),
            "opening {url}: {}",
            navigated["errorText"]
        );
        self.wait_for("Page.loadEventFired");
        let measured = self.evaluate(&format!("({MEASURE})({width}, {MIN_TEXT_PX})"));
        let m = &measured;
        let number = |v: &Value| v.as_f64().unwrap();
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        };
        Layout {
            width: f64::from(width),
            viewport: number(&m["viewport"]),
            scroll_width: number(&m["scroll_width"]),
            charts: m["charts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| (number(&r[0]), number(&r[1]), number(&r[2]), number(&r[3])))
                .collect(),
            too_wide: strings(&m["too_wide"]),
            scrolling: strings(&m["scrolling"]),
            small_text: strings(&m["small_text"]),
            clipped_text: strings(&m["clipped_text"]),
            violations: strings(&m["violations"]),
            errors: self.events.iter().filter_map(error_of).collect(),
        }
    }
}

impl Browser {
    /// The value of `expression` evaluated in the page last opened (over DevTools, not as page
    /// script), as JSON.
    pub fn evaluate(&mut self, expression: &str) -> Value {
        let evaluated = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        );
        assert!(
            evaluated.get("exceptionDetails").is_none(),
            "evaluating failed: {}",
            evaluated["exceptionDetails"]
        );
        evaluated["result"]["value"].clone()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Asked to close, the browser ends its renderers itself; if it has not within a few
        // seconds, its process group (it leads one) is killed, renderers and all.
        let close = serde_json::to_vec(&json!({ "id": 0, "method": "Browser.close" })).unwrap();
        let _ = self.requests.write_all(&[close, vec![0]].concat());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && matches!(self.child.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The error a DevTools event reports: a console error, an uncaught exception, or an error-level
/// browser log entry (a blocked or failed load is one).
fn error_of(event: &Value) -> Option<String> {
    let params = &event["params"];
    match event["method"].as_str()? {
        "Runtime.consoleAPICalled"
            if matches!(params["type"].as_str(), Some("error" | "assert")) =>
        {
            Some(params["args"].to_string())
        }
        "Runtime.exceptionThrown" => Some(params["exceptionDetails"].to_string()),
        "Log.entryAdded" if params["entry"]["level"] == "error" => Some(format!(
            "{}: {}",
            params["entry"]["source"], params["entry"]["text"]
        )),
        _ => None,
    }
}

/// Runs in the loaded page with the device's width: each table, its key column and the cells of
/// that column not in view (see the file).
const KEY_COLUMNS: &str = include_str!("key_columns.js");

/// One table of a page as [`Browser::key_columns`] measures it.
#[derive(Debug)]
pub struct KeyColumn {
    /// Its title: its card's `h3`, else the `h2` before it.
    pub title: String,
    /// How many columns its header marks as key (`th.key`): one.
    pub keys: u64,
    /// The key column's header.
    pub key: String,
    /// The key column's cells, its header included.
    pub cells: u64,
    /// Those drawn outside the device's width or outside what their card shows unscrolled.
    pub outside: Vec<String>,
}

impl Browser {
    /// Every table of the page last opened at `width` px, with its key column measured.
    pub fn key_columns(&mut self, width: u32) -> Vec<KeyColumn> {
        let tables = self.evaluate(&format!("({KEY_COLUMNS})({width})"));
        let text = |v: &Value| v.as_str().unwrap().to_owned();
        (tables.as_array().unwrap().iter())
            .map(|t| KeyColumn {
                title: text(&t["title"]),
                keys: t["keys"].as_u64().unwrap(),
                key: text(&t["key"]),
                cells: t["cells"].as_u64().unwrap(),
                outside: t["outside"].as_array().unwrap().iter().map(text).collect(),
            })
            .collect()
    }
}
