//! A real browser opens the HTML report: headless Chromium (Debian's `chromium`, which `.ci/run`
//! installs) takes a screenshot that must not be blank, the rendered page must hold the charts'
//! SVG, and the browser must log no console error (a blocked request would be one). Without
//! Chromium the test skips, saying so, except under CI (`CI` set), where it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

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

/// Runs headless Chromium on `page` with `extra` flags; returns (stdout, stderr).
fn headless(browser: &Path, page: &Path, profile: &Path, extra: &[&str]) -> (String, String) {
    let output = Command::new("timeout")
        .arg("90")
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
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=900,2400",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("running chromium");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn chromium_renders_the_html_report_with_its_charts() {
    let Some(browser) = chromium() else {
        assert!(
            !in_ci(),
            "Chromium is missing, but CI is set: CI must run the browser test \
             (install Debian's chromium, or set CHROMIUM to a browser's path)"
        );
        eprintln!(
            "skipping: Chromium is not installed here (`.ci/run` installs Debian's chromium)"
        );
        return;
    };
    let env = TestEnv::new().await;
    env.with_last_week(&[]).await;
    env.run(AS_OF, &["-q", "--tz", "Europe/Berlin"])
        .assert()
        .success();
    let page = env.user_dir().join("report_2026-11-15.html");
    let profile = tempfile::tempdir().unwrap();

    let (dom, stderr) = headless(&browser, &page, profile.path(), &["--dump-dom"]);
    assert!(
        dom.contains("@examplecreator — week to 2026-11-15"),
        "{dom}"
    );
    assert_eq!(
        dom.matches("<svg").count(),
        5,
        "the rendered page holds every chart"
    );
    assert!(
        dom.matches("<rect").count() > 168,
        "heatmap cells and bars are drawn"
    );
    let console: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Refused to") || l.contains("Uncaught"))
        .collect();
    assert!(console.is_empty(), "console errors: {console:#?}");

    let shot = profile.path().join("report.png");
    headless(
        &browser,
        &page,
        profile.path(),
        &[&format!("--screenshot={}", shot.display())],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let pixels = &pixels[..info.buffer_size()];
    let channels = info.color_type.samples();
    let mut colours: Vec<&[u8]> = pixels.chunks(channels).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(
        colours.len() > 50,
        "the screenshot is blank: {} colours",
        colours.len()
    );
    let blue = pixels
        .chunks(channels)
        .filter(|p| p[0] == 0x25 && p[1] == 0x63 && p[2] == 0xeb)
        .count();
    assert!(
        blue > 1_000,
        "the charts' blue bars are painted ({blue} pixels)"
    );
}
