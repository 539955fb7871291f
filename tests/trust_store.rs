//! The reports folder keeps its promise, through the real binary: weeks compare only with weeks, a
//! failed run writes no report and changes no earlier one, files get the umask's permissions, the
//! lock and the id cache are never followed through a symbolic link, a failed account leaves no
//! folder, an oversized earlier report is not read, and outside text cannot break the Markdown.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::{PermissionsExt, symlink};

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

/// A Wednesday between the fixture's two Sundays.
const WEDNESDAY: &str = "2026-11-11T20:00:00Z";

/// `tiktok-review history --format json` of the fixture account.
fn history_rows(env: &TestEnv) -> Vec<Value> {
    let output = env
        .bare_cmd()
        .args(["history", "--user", USER, "--format", "json"])
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    serde_json::from_str::<Vec<Value>>(&stdout).unwrap()
}

fn dates(rows: &Value) -> Vec<&str> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["date"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_midweek_run_is_neither_last_week_nor_a_week_of_the_history() {
    let env = TestEnv::new().await;
    env.serve_feed("profile_2026-11-08.json", [1, 1, 1, 0])
        .await;
    env.run(WEEK_BEFORE, &["-q"]).assert().success();
    env.verify_and_reset().await;
    env.serve_feed("profile.json", [1, 1, 1, 0]).await;
    env.run(WEDNESDAY, &["-q"]).assert().success();
    env.verify_and_reset().await;
    assert_eq!(
        env.report("2026-11-11")["previous"],
        Value::Null,
        "Sunday's week overlaps Wednesday's by four days"
    );

    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let output = env.run(AS_OF, &[]).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("vs 2026-11-08; report"), "{stdout}");
    let r = env.report("2026-11-15");
    assert_eq!(
        r["previous"],
        json!({"date": "2026-11-08", "file": "report_2026-11-08.json"})
    );
    assert_eq!(r["deltas"]["post_count"]["previous"], 6, "last Sunday's");
    assert_eq!(dates(&r["trend"]), ["2026-11-08", "2026-11-15"]);
    assert_eq!(r["insights"]["basis"]["weeks"], 2);

    let rows = history_rows(&env);
    assert_eq!(dates(&Value::from(rows)), ["2026-11-08", "2026-11-15"]);
}

#[tokio::test]
async fn exits_73_when_the_html_cannot_be_written_and_leaves_no_file_of_that_week() {
    let (env, _) = with_last_week_saved().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    std::fs::create_dir(env.user_dir().join("report_2026-11-15.html")).unwrap();
    let before = history(&env);
    let line = fails_with(&mut env.run(AS_OF, &[]), 73);
    assert!(
        line.contains(
            "saving the report of @examplecreator: writing tiktok_reports/examplecreator/report_2026-11-15.html: "
        ),
        "{line}"
    );
    assert_eq!(
        history(&env),
        before,
        "no .json, .md or temporary file stays; the earlier report is byte-identical"
    );
    assert_eq!(
        dates(&Value::from(history_rows(&env))),
        ["2026-11-08"],
        "history does not show the failed week"
    );
}

#[tokio::test]
async fn a_failed_rerun_of_the_same_date_puts_back_the_files_it_replaced() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [3, 3, 0, 0]).await;
    env.run(AS_OF, &["-q", "--formats", "md"])
        .assert()
        .success();
    let first = history(&env);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        ["report_2026-11-15.json", "report_2026-11-15.md"]
    );
    // The rerun's Markdown differs (times in Berlin), so putting the first one back shows.
    let rerun_md = env
        .run(
            AS_OF,
            &["--dry-run", "--format", "md", "--tz", "Europe/Berlin"],
        )
        .output()
        .unwrap()
        .stdout;
    assert_ne!(rerun_md, first["report_2026-11-15.md"]);

    std::fs::create_dir(env.user_dir().join("report_2026-11-15.html")).unwrap();
    let line = fails_with(&mut env.run(AS_OF, &["--tz", "Europe/Berlin"]), 73);
    assert!(line.contains("report_2026-11-15.html"), "{line}");
    let mut after = history(&env);
    assert_eq!(
        after.remove("report_2026-11-15.html"),
        Some(b"<dir>".to_vec())
    );
    assert_eq!(
        after, first,
        "the first run's .md is back and its .json untouched"
    );
}

/// The run to `AS_OF` under `umask`, as a shell would start it.
fn run_with_umask(env: &TestEnv, umask: &str) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new("/bin/sh");
    cmd.env_clear()
        .env("SCAVIO_BASE_URL", env.server.uri())
        .env("SCAVIO_API_KEY", KEY)
        .current_dir(env.dir.path())
        .args(["-c", &format!("umask {umask}; exec \"$0\" \"$@\"")])
        .arg(env!("CARGO_BIN_EXE_tiktok-review"))
        .args(["run", "--user", USER, "--as-of", AS_OF, "-q"]);
    cmd
}

fn modes(env: &TestEnv) -> BTreeMap<String, u32> {
    env.files()
        .into_iter()
        .map(|name| {
            let mode = std::fs::metadata(env.user_dir().join(&name))
                .unwrap()
                .permissions()
                .mode();
            (name, mode & 0o777)
        })
        .collect()
}

#[tokio::test]
async fn written_files_get_the_permissions_the_umask_allows() {
    for (umask, file_mode, folder_mode) in [("077", 0o600, 0o700), ("002", 0o664, 0o775)] {
        let env = TestEnv::new().await;
        env.serve_feed("profile.json", [1, 1, 0, 0]).await;
        run_with_umask(&env, umask).assert().success().stderr("");
        let modes = modes(&env);
        assert_eq!(modes.len(), 5, "{modes:?}");
        for (name, mode) in &modes {
            assert_eq!(*mode, file_mode, "{name} under umask {umask}: {mode:o}");
        }
        let folder = std::fs::metadata(env.user_dir()).unwrap().permissions();
        assert_eq!(folder.mode() & 0o777, folder_mode);
    }
}

#[tokio::test]
async fn exits_73_when_the_lock_is_a_symbolic_link_and_never_touches_its_target() {
    for target in ["precious.txt", "not-there-yet.txt"] {
        let env = TestEnv::new().await;
        forbid_requests(&env).await;
        std::fs::create_dir_all(env.user_dir()).unwrap();
        let precious = env.dir.path().join("precious.txt");
        std::fs::write(&precious, "keep me\n").unwrap();
        symlink(env.dir.path().join(target), env.user_dir().join(".lock")).unwrap();

        let line = fails_with(&mut env.run(AS_OF, &[]), 73);
        assert!(
            line.ends_with(
                "lock file tiktok_reports/examplecreator/.lock is a symbolic link, which tiktok-review never follows; remove it and run again; to fill the week: `tiktok-review run --user examplecreator --as-of 2026-11-15T20:00:00Z`"
            ),
            "{line}"
        );
        assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me\n");
        assert!(!env.dir.path().join("not-there-yet.txt").exists());
        assert_eq!(env.files(), [".lock"]);
    }
}

#[tokio::test]
async fn a_symlinked_id_cache_is_not_read_and_is_replaced_by_a_file() {
    let env = TestEnv::new().await;
    std::fs::create_dir_all(env.user_dir()).unwrap();
    let elsewhere = env.dir.path().join("other-account-id");
    std::fs::write(&elsewhere, "MS4wLjABAAAAother\n").unwrap();
    symlink(&elsewhere, env.user_dir().join(".sec_uid")).unwrap();
    // Read through the link, the feed would be asked under the other id (and answer 404).
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;

    let output = env.run(AS_OF, &["-q", "--no-profile"]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        "tiktok-review: warning: not reading the cached account id \
         tiktok_reports/examplecreator/.sec_uid: it is a symbolic link; asking for the profile instead\n"
    );
    let cache = env.user_dir().join(".sec_uid");
    assert!(std::fs::symlink_metadata(&cache).unwrap().is_file());
    assert_eq!(
        std::fs::read_to_string(&cache).unwrap(),
        "MS4wLjABAAAAexample\n"
    );
    assert_eq!(
        std::fs::read_to_string(&elsewhere).unwrap(),
        "MS4wLjABAAAAother\n",
        "never written through the link"
    );
}

#[tokio::test]
async fn an_account_that_fails_leaves_no_folder_behind() {
    let env = TestEnv::new().await;
    env.serve_profile(
        ResponseTemplate::new(404).set_body_json(json!({"error": "no such user"})),
        1,
    )
    .await;
    fails_with(&mut env.run(AS_OF, &[]), 67);
    assert!(!env.user_dir().exists(), "{:?}", env.files());

    // A folder that holds anything else (here last week's report) stays as it was.
    let (env, before) = with_last_week_saved().await;
    env.serve_profile(
        ResponseTemplate::new(404).set_body_json(json!({"error": "no such user"})),
        1,
    )
    .await;
    fails_with(&mut env.run(AS_OF, &[]), 67);
    assert_eq!(history(&env), before);
}

#[tokio::test]
async fn an_earlier_report_past_16_mib_is_skipped_without_being_read() {
    let (env, _) = with_last_week_saved().await;
    let huge = env.user_dir().join("report_2026-11-14.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(17 * 1024 * 1024)
        .unwrap();
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let output = env.run(AS_OF, &["-q"]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        "tiktok-review: warning: skipping earlier report tiktok_reports/examplecreator/report_2026-11-14.json: \
         it is larger than 16 MiB (left untouched)\n"
    );
    assert_eq!(env.report("2026-11-15")["previous"]["date"], "2026-11-08");
    assert_eq!(std::fs::metadata(&huge).unwrap().len(), 17 * 1024 * 1024);
}

#[tokio::test]
async fn outside_text_and_forged_links_cannot_break_the_markdown_or_the_html() {
    let env = TestEnv::new().await;
    env.serve_profile(
        ResponseTemplate::new(200).set_body_json(fixture("profile.json")),
        1,
    )
    .await;
    let mut post = record(
        "7578000000000000777",
        1_794_700_000,
        json!({"play_count": 1000, "digg_count": 50}),
    );
    post["desc"] =
        json!("a | b ] [x](javascript:alert(1)) `c` \u{1b}[31mred\u{202e}\nnext #fun|ny");
    post["share_url"] = json!("https://evil.example/v)\n[click](https://evil.example/x");
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(posts_answer(vec![post], 0, "0")))
        .expect(1)
        .mount(&env.server)
        .await;
    env.run(AS_OF, &["-q"]).assert().success();

    let read = |ext: &str| {
        std::fs::read_to_string(env.user_dir().join(format!("report_2026-11-15.{ext}"))).unwrap()
    };
    let (md, html) = (read("md"), read("html"));
    for text in [&md, &html] {
        for banned in [
            "evil.example",
            "\u{1b}",
            "\u{202e}",
            "javascript:alert(1)\">",
        ] {
            assert!(!text.contains(banned), "{banned:?} in\n{text}");
        }
    }
    let row = md
        .lines()
        .find(|l| l.starts_with("| 1 |"))
        .expect("the post ranks first");
    assert_eq!(
        row.replace("\\|", "").matches('|').count(),
        8,
        "seven cells: {row}"
    );
    assert!(!html.contains("href=\"https://evil"), "{html}");
}

#[tokio::test]
async fn a_rerun_with_fewer_forms_leaves_no_stale_form_of_that_date() {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [2, 2, 0, 0]).await;
    env.run(AS_OF, &["-q"]).assert().success();
    assert!(env.files().contains(&"report_2026-11-15.md".to_string()));
    env.run(AS_OF, &["-q", "--formats", "json"])
        .assert()
        .success();
    let files = env.files();
    assert!(
        !files
            .iter()
            .any(|f| f.ends_with(".md") || f.ends_with(".html")),
        "{files:?}"
    );
}
