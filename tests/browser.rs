//! A real browser opens the HTML report and tells what the HTML text cannot: how large each chart
//! and its text are drawn, whether the page fits a phone (390 px) and a desktop (1200 px) without
//! sideways scrolling (also with a 300-character unbroken caption and a long hashtag), and whether
//! the browser logs a console error or a Content-Security-Policy violation.
//!
//! Headless Chromium (Debian's `chromium`, which `.ci/run` installs) is driven over the DevTools
//! protocol on a pipe (`--remote-debugging-pipe`): the browser opens no port, and the measuring
//! JavaScript runs through `Runtime.evaluate`, which the page's CSP (no script at all) does not
//! govern, so the report is measured exactly as it ships. Chromium resolves no host but 127.0.0.1
//! and only ever opens `file://` pages here. Without Chromium the test skips, saying so, except
//! under CI (`CI` set), where it fails.

mod common;

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use common::*;
use serde_json::{Value, json};
use tempfile::TempDir;

/// Chromium's path, from `CHROMIUM` or the usual names on PATH.
fn chromium() -> Option<PathBuf> {
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
fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Chromium's path; `None` (after saying so) where it is missing and the test may skip.
fn chromium_or_skip() -> Option<PathBuf> {
    let browser = chromium();
    if browser.is_none() {
        assert!(
            !in_ci(),
            "Chromium is missing, but CI is set: CI must run the browser test \
             (install Debian's chromium, or set CHROMIUM to a browser's path)"
        );
        eprintln!(
            "skipping: Chromium is not installed here (`.ci/run` installs Debian's chromium)"
        );
    }
    browser
}

/// How long Chromium may take to answer one DevTools request or to load a page.
const STEP: Duration = Duration::from_secs(20);

/// What the browser measured on one page at one viewport width.
#[derive(Debug)]
struct Layout {
    /// The device's width in px, which the page must fit.
    width: f64,
    /// `window.innerWidth`: wider than the device where a phone's browser zoomed out to fit wider
    /// content.
    viewport: f64,
    /// `document.documentElement.scrollWidth`.
    scroll_width: f64,
    /// The rendered box of each `<svg>`: (left, right, width, height).
    charts: Vec<(f64, f64, f64, f64)>,
    /// Elements whose box reaches past either side of the device's width (content inside a box
    /// that scrolls sideways is measured by that box; content merely clipped is not excused).
    too_wide: Vec<String>,
    /// Boxes that scroll sideways because their content is wider than they are, each named with
    /// its first heading or table header: allowed (a wide table scrolls in its card), but a long
    /// caption or hashtag must wrap rather than cause one.
    scrolling: Vec<String>,
    /// Chart text drawn smaller than [`MIN_TEXT_PX`] on screen: `<size> px: <text>`.
    small_text: Vec<String>,
    /// Chart text that runs past the edge of its chart, where the SVG cuts it off.
    clipped_text: Vec<String>,
    /// Console errors, uncaught exceptions and error-level browser log entries.
    errors: Vec<String>,
    /// Content-Security-Policy violations the page reported.
    violations: Vec<String>,
}

impl Layout {
    /// Every way the page fails to fit or to render cleanly, as sentences.
    fn problems(&self) -> Vec<String> {
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
const MEASURE: &str = r#"((width, min_px) => {
  const viewport = window.innerWidth;
  const scrolls = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
    ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const too_wide = [...document.querySelectorAll('body *')]
    .filter(el => !scrolls(el))
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && (r.left < 0 || r.right > width))
    .map(([el, r]) => `${name(el)} spans ${r.left}..${r.right}`);
  const charts = [...document.querySelectorAll('svg')]
    .map(s => s.getBoundingClientRect())
    .map(r => [r.left, r.right, r.width, r.height]);
  const scrolling = [...document.querySelectorAll('body *')]
    .filter(el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
    .filter(el => el.scrollWidth > el.clientWidth)
    .map(el => {
      const title = el.querySelector('h2, h3, th');
      return `${name(el)} (${title ? title.textContent.trim() : ''}) ${el.scrollWidth} px in ${el.clientWidth} px`;
    });
  // Each chart's text as drawn: its size on screen (its font size times the chart's scale), and
  // whether it stays inside the chart. A text's own words, not its tooltip's.
  const texts = [...document.querySelectorAll('svg')].flatMap(svg => {
    const box = svg.getBoundingClientRect();
    const view = svg.viewBox && svg.viewBox.baseVal;
    if (box.width === 0) return [];
    const scale = view && view.width ? box.width / view.width : 1;
    return [...svg.querySelectorAll('text')].map(t => {
      const r = t.getBoundingClientRect();
      const words = [...t.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('');
      return {
        px: parseFloat(getComputedStyle(t).fontSize) * scale,
        words: words.slice(0, 80),
        inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5
          && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5,
      };
    });
  });
  return {
    viewport,
    scroll_width: document.documentElement.scrollWidth,
    charts,
    too_wide,
    scrolling,
    small_text: texts.filter(t => t.px < min_px).map(t => `${t.px.toFixed(1)} px: ${t.words}`),
    clipped_text: texts.filter(t => !t.inside).map(t => t.words),
    violations: window.__violations || ['the violation listener did not run'],
  };
})"#;

/// Installed before any page script: collects the page's CSP violations.
const LISTEN: &str = "window.__violations = []; \
    document.addEventListener('securitypolicyviolation', \
      e => window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI}`));";

/// A headless Chromium with one page, driven over the DevTools protocol on a pipe; killed (with
/// every process it started) when dropped.
struct Browser {
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
    fn launch(browser: &Path) -> Self {
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
    fn open(&mut self, page: &Path, width: u32, height: u32) -> Layout {
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
        let measured = self.call(
            "Runtime.evaluate",
            json!({
                "expression": format!("({MEASURE})({width}, {MIN_TEXT_PX})"),
                "returnByValue": true
            }),
        );
        assert!(
            measured.get("exceptionDetails").is_none(),
            "measuring failed: {}",
            measured["exceptionDetails"]
        );
        let m = &measured["result"]["value"];
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

/// The viewports the report must fit: a phone's and a desktop's.
const VIEWPORTS: [(u32, u32); 2] = [(390, 844), (1200, 900)];

#[tokio::test]
async fn the_html_report_fits_a_phone_and_a_desktop_with_every_chart_drawn_and_no_console_error() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let env = TestEnv::new().await;
    env.with_last_week(&[]).await;
    env.run(AS_OF, &["-q", "--tz", "Europe/Berlin"])
        .assert()
        .success();
    let page = env.user_dir().join("report_2026-11-15.html");

    let mut chromium = Browser::launch(&browser);
    for (width, height) in VIEWPORTS {
        let layout = chromium.open(&page, width, height);
        assert!(!layout.charts.is_empty(), "no chart measured: {layout:#?}");
        assert_eq!(
            layout.problems(),
            Vec::<String>::new(),
            "at {width} px: {layout:#?}"
        );
    }
}

#[tokio::test]
async fn the_browser_check_catches_overflow_a_hidden_chart_and_csp_violations() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    env.run(AS_OF, &["-q"]).assert().success();
    let html = std::fs::read_to_string(env.user_dir().join("report_2026-11-15.html")).unwrap();
    // The report spoiled in each way the check looks for: a box wider than a phone, a chart drawn
    // at no size, an image and a script the CSP blocks.
    let spoiled = html.replacen(
        "</main>",
        "<div style=\"width: 700px\">wide</div>\
         <svg class=\"chart\" style=\"display: none\"></svg>\
         <svg class=\"chart\" viewBox=\"0 0 2000 100\"><text x=\"1990\" y=\"50\">tiny and cut</text></svg>\
         <img src=\"http://127.0.0.1:9/pixel.png\" alt=\"\">\
         <script>console.error('the blocked script ran')</script></main>",
        1,
    );
    let page = env.dir.path().join("spoiled.html");
    std::fs::write(&page, spoiled).unwrap();

    let mut chromium = Browser::launch(&browser);
    let phone = chromium.open(&page, 390, 844);
    let problems = phone.problems().join("\n");
    for expected in [
        "the page scrolls sideways: 7",
        "wider than the viewport: div spans",
        "is not drawn: 0 x 0 px",
        "px: tiny and cut",
        "chart text runs past its chart: tiny and cut",
        "CSP violation: img-src blocked http://127.0.0.1:9/pixel.png",
        "CSP violation: script-src-elem blocked inline",
        "console: \"security\"",
    ] {
        assert!(
            problems.contains(expected),
            "{expected:?} not in:\n{problems}"
        );
    }
    assert!(
        !problems.contains("script ran"),
        "the blocked script ran:\n{problems}"
    );
    let desktop = chromium.open(&page, 1200, 900).problems().join("\n");
    assert!(
        !desktop.contains("wider than the viewport"),
        "700 px fit a desktop:\n{desktop}"
    );
}

/// A 300-character caption without a space, whose hashtag is 120 characters long.
fn unbroken_caption() -> String {
    format!("{} #{}", "W".repeat(300), "verylonghashtag".repeat(8))
}

/// Serves a week of seven posts with captions a layout must survive: the unbroken caption (on the
/// three most viewed, so that its hashtag also reaches a recommendation), a bare URL, emoji and
/// CJK text, five posts on one Saturday.
async fn serve_hostile_week(env: &TestEnv) {
    env.serve_profile(
        ResponseTemplate::new(200).set_body_json(fixture("profile.json")),
        1,
    )
    .await;
    let url = format!("https://example.com/{}", "path/".repeat(40));
    let captions = [
        unbroken_caption(),
        unbroken_caption(),
        unbroken_caption(),
        url,
        "☕️ 咖啡 ".repeat(20),
        "morning latte".to_string(),
        String::new(),
    ];
    // Saturday 2026-11-14 from 09:00 UTC, two hours apart; the last on Friday.
    let records = captions
        .iter()
        .enumerate()
        .map(|(i, caption)| {
            let at = if i == 6 {
                1_794_560_400
            } else {
                1_794_646_800 + i as i64 * 7_200
            };
            let views = if i < 3 {
                50_000 + i as u64
            } else {
                2_000 + i as u64
            };
            let mut r = record(
                &format!("75790000000000001{i:02}"),
                at,
                json!({ "play_count": views, "digg_count": views / 20, "comment_count": 5,
                        "share_count": 2, "collect_count": 1 }),
            );
            r["desc"] = json!(caption);
            r
        })
        .collect();
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(posts_answer(records, 0, "0")))
        .expect(1)
        .mount(&env.server)
        .await;
}

#[tokio::test]
async fn a_300_character_unbroken_caption_and_a_long_hashtag_still_fit_a_phone() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let env = TestEnv::new().await;
    serve_hostile_week(&env).await;
    env.run(AS_OF, &["-q"]).assert().success();
    let page = env.user_dir().join("report_2026-11-15.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let tag = "verylonghashtag".repeat(8);
    assert!(html.contains(&format!("#{tag}</td>")), "the hashtag table");
    assert!(
        html.contains(&format!("Double down on #{tag} posts")),
        "a recommendation"
    );
    assert!(html.contains("Sat 14 Nov 09:00 · WWW"), "a chart label");

    let mut chromium = Browser::launch(&browser);
    for (width, height) in VIEWPORTS {
        let layout = chromium.open(&page, width, height);
        assert_eq!(
            layout.problems(),
            Vec::<String>::new(),
            "at {width} px: {layout:#?}"
        );
        // Wide tables of numbers may scroll in their card on a phone; what holds a caption or a
        // hashtag wraps instead, and on a desktop nothing scrolls.
        let caused_by_text: Vec<&String> = (layout.scrolling.iter())
            .filter(|s| width > 600 || s.contains("(hashtag)") || s.contains("(Hashtags"))
            .collect();
        assert!(caused_by_text.is_empty(), "at {width} px: {layout:#?}");
    }
}
