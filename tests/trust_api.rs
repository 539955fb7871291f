//! What the API sends, read as a careful user would want: an answer that cannot be understood is a
//! failure (exit 65), never an empty week; a record that cannot be read is counted and reported;
//! paging can neither lose posts nor loop on credits; redirects and stale ids are never followed
//! blindly; nothing the API sends reaches the terminal or the report unclean.

mod common;

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// In the week ending `AS_OF` (Fri 2026-11-13).
const IN_WEEK: i64 = 1_794_700_000;
/// Before that week (2026-09-21).
const LONG_AGO: i64 = 1_790_000_000;

/// The fixture profile with `aweme_count` and other fields changed.
fn profile_with(changes: Value) -> ResponseTemplate {
    let mut profile = fixture("profile.json");
    for (key, value) in changes.as_object().unwrap() {
        profile["data"]["user"][key] = value.clone();
    }
    ResponseTemplate::new(200).set_body_json(profile)
}

/// Answers page `cursor` of the feed with `answer`, expected `times` times.
async fn serve_page(env: &TestEnv, cursor: &str, answer: ResponseTemplate, times: u64) {
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .and(body_partial_json(json!({ "cursor": cursor })))
        .respond_with(answer)
        .expect(times)
        .named(format!("page at cursor {cursor}"))
        .mount(&env.server)
        .await;
}

fn answer(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// How the last line of a failed run of the fixture account ends: with the command that fills
/// the week.
const FILL: &str =
    "; to fill the week: `tiktok-review run --user examplecreator --as-of 2026-11-15T20:00:00Z`";

#[tokio::test]
async fn an_answer_that_cannot_be_understood_is_exit_65_after_one_retry_never_an_empty_week() {
    let cases = [
        (
            json!({"data": {"aweme_list": "none", "has_more": 0}}),
            "`aweme_list` is not a list",
        ),
        (
            json!({"data": {"aweme_list": {"0": {}}, "has_more": 0}}),
            "`aweme_list` is not a list",
        ),
        (
            json!({"data": {"status_code": 10201, "aweme_list": [], "has_more": 0}}),
            "TikTok's status_code is 10201",
        ),
        (
            json!({"data": {"has_more": 0, "aweme_list": [
                {"desc": "no id", "create_time": IN_WEEK},
                {"aweme_id": "7579000000000000001"},
                {"aweme_id": "not-a-number", "create_time": IN_WEEK}
            ]}}),
            "none of its 3 records could be read",
        ),
        (json!({"credits_used": 1}), "it has no `data` object"),
        (
            json!({"data": "busy", "credits_used": 1}),
            "its `data` is not an object",
        ),
    ];
    for (body, why) in cases {
        let (env, before) = with_last_week_saved().await;
        env.serve_profile(profile_with(json!({})), 1).await;
        serve_page(&env, "0", answer(body.clone()), 2).await;
        let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
        assert!(
            line.contains("Scavio's answer for page 1 of @examplecreator's posts could not be understood twice: ")
                && line.contains(why)
                && line.ends_with(&format!("run again with --save-raw DIR to keep what it sent{FILL}")),
            "{body}: {line}"
        );
        env.server.verify().await;
    }
}

#[tokio::test]
async fn an_empty_feed_is_an_empty_week_only_when_the_profile_counts_no_posts() {
    let env = TestEnv::new().await;
    env.serve_profile(profile_with(json!({"aweme_count": 0})), 1)
        .await;
    serve_page(&env, "0", answer(json!({"data": {"has_more": 0}})), 1).await;
    env.run(AS_OF, &["-q"]).assert().success().stderr("");
    assert_eq!(env.report("2026-11-15")["metrics"]["post_count"], 0);

    let (env, before) = with_last_week_saved().await;
    env.serve_profile(profile_with(json!({"aweme_count": 318})), 1)
        .await;
    serve_page(
        &env,
        "0",
        answer(json!({"data": {"aweme_list": null, "has_more": 0}})),
        1,
    )
    .await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
    assert!(
        line.contains("the profile of @examplecreator counts 318 posts but the first page of its feed has none"),
        "{line}"
    );
}

#[tokio::test]
async fn a_private_account_exits_67_without_paying_for_its_feed() {
    for flag in ["secret", "private_account"] {
        let (env, before) = with_last_week_saved().await;
        env.serve_profile(profile_with(json!({ flag: true })), 1)
            .await;
        serve_page(&env, "0", answer(json!({"data": {}})), 0).await;
        let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 67);
        assert!(
            line.contains("TikTok account @examplecreator is private"),
            "{line}"
        );
    }
}

#[tokio::test]
async fn a_profile_without_sec_uid_is_unreadable_not_a_missing_user() {
    let (env, before) = with_last_week_saved().await;
    env.serve_profile(profile_with(json!({"sec_uid": null})), 2)
        .await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
    assert!(line.contains("no usable `data.user.sec_uid`"), "{line}");
}

#[tokio::test]
async fn the_web_shape_of_statistics_is_read_with_string_counts() {
    let env = TestEnv::new().await;
    env.serve_profile(profile_with(json!({})), 1).await;
    let mut post = record("7579000000000000001", IN_WEEK, json!(null));
    post.as_object_mut().unwrap().remove("statistics");
    post["stats"] = json!({"playCount": "12000", "diggCount": 900, "commentCount": "40",
                           "shareCount": 20, "collectCount": "15"});
    let old = record("7570000000000000001", LONG_AGO, json!({"play_count": 5}));
    serve_page(&env, "0", answer(posts_answer(vec![post, old], 1, "1")), 1).await;
    env.run(AS_OF, &["-q"]).assert().success().stderr("");
    let m = &env.report("2026-11-15")["metrics"];
    assert_eq!(
        (
            &m["total_views"],
            &m["total_likes"],
            &m["total_comments"],
            &m["total_saves"]
        ),
        (&json!(12000), &json!(900), &json!(40), &json!(15))
    );
    assert_eq!(m["engagement_rate"], 8.0);
}

#[tokio::test]
async fn a_week_whose_posts_all_lack_readable_statistics_is_exit_65() {
    let (env, before) = with_last_week_saved().await;
    env.serve_profile(profile_with(json!({})), 1).await;
    let posts = vec![
        record(
            "7579000000000000001",
            IN_WEEK,
            json!({"play_count": "1.2K"}),
        ),
        record("7579000000000000002", IN_WEEK - 60, json!(1e30)),
        record("7570000000000000001", LONG_AGO, json!({"play_count": 5})),
    ];
    serve_page(&env, "0", answer(posts_answer(posts, 1, "1")), 1).await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
    assert!(
        line.contains(
            "none of the 2 posts of @examplecreator's week came with readable statistics"
        ),
        "{line}"
    );
}

#[tokio::test]
async fn an_old_post_pinned_without_its_flag_does_not_stop_paging() {
    let env = TestEnv::new().await;
    env.serve_profile(profile_with(json!({})), 1).await;
    let mut pinned = record("7550000000000000001", LONG_AGO, json!({"play_count": 9}));
    pinned["is_top"] = json!(0); // the flag is missing: only its age and place tell
    let page1 = vec![
        pinned,
        record("7579000000000000003", IN_WEEK, json!({"play_count": 300})),
        record(
            "7579000000000000002",
            IN_WEEK - 3_600,
            json!({"play_count": 200}),
        ),
    ];
    let page2 = vec![
        record(
            "7579000000000000001",
            IN_WEEK - 7_200,
            json!({"play_count": 100}),
        ),
        record(
            "7570000000000000001",
            LONG_AGO - 10,
            json!({"play_count": 5}),
        ),
    ];
    serve_page(
        &env,
        "0",
        answer(posts_answer(page1, 1, "1794692800000")),
        1,
    )
    .await;
    serve_page(
        &env,
        "1794692800000",
        answer(posts_answer(page2, 1, "1789999990000")),
        1,
    )
    .await;
    env.run(AS_OF, &["-q"]).assert().success().stderr("");
    let r = env.report("2026-11-15");
    assert_eq!(
        ids(&r["posts"]),
        [
            "7579000000000000003",
            "7579000000000000002",
            "7579000000000000001"
        ]
    );
    assert_eq!(r["api"]["requests"], 3);
}

#[tokio::test]
async fn a_page_that_brings_no_new_post_stops_with_the_credits_spent() {
    let (env, before) = with_last_week_saved().await;
    env.serve_profile(profile_with(json!({})), 1).await;
    let page = || {
        vec![record(
            "7579000000000000001",
            IN_WEEK,
            json!({"play_count": 10}),
        )]
    };
    serve_page(&env, "0", answer(posts_answer(page(), 1, "111")), 1).await;
    serve_page(&env, "111", answer(posts_answer(page(), 1, "222")), 1).await;
    serve_page(&env, "222", answer(json!({})), 0).await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
    assert!(
        line.contains("page 2 of @examplecreator's posts brought no new post although more pages were announced; stopped after 3 requests (3 credits used)"),
        "{line}"
    );
}

#[tokio::test]
async fn a_cursor_seen_before_stops_at_once_without_spending_a_credit() {
    let (env, before) = with_last_week_saved().await;
    env.serve_profile(profile_with(json!({})), 1).await;
    let post = |id: &str| vec![record(id, IN_WEEK, json!({"play_count": 10}))];
    serve_page(
        &env,
        "0",
        answer(posts_answer(post("7579000000000000001"), 1, "111")),
        1,
    )
    .await;
    serve_page(
        &env,
        "111",
        answer(posts_answer(post("7579000000000000002"), 1, "0")),
        1,
    )
    .await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
    assert!(
        line.contains("feed repeats itself: page 3 of @examplecreator's posts would send cursor 0 again; stopped after 3 requests (3 credits used)"),
        "{line}"
    );
}

#[tokio::test]
async fn a_huge_retry_after_after_a_retry_gives_up_at_once_without_a_panic() {
    let (env, before) = with_last_week_saved().await;
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&env.server)
        .await;
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .respond_with(
            ResponseTemplate::new(429).insert_header("Retry-After", "18446744073709551615"),
        )
        .expect(1)
        .mount(&env.server)
        .await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 75);
    assert!(
        line.contains("HTTP 429 (a further wait of")
            && line.contains("would pass the run's 60s retry budget); try again later"),
        "{line}"
    );
}

#[tokio::test]
async fn a_redirect_is_never_followed_and_names_only_its_host() {
    let (env, before) = with_last_week_saved().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(answer(fixture("profile.json")))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let target = format!("{}/steal?token=secret123", elsewhere.uri());
    env.serve_profile(
        ResponseTemplate::new(302).insert_header("Location", target.as_str()),
        1,
    )
    .await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
    assert!(
        line.contains("with a redirect (HTTP 302) to 127.0.0.1; redirects are not followed: check SCAVIO_BASE_URL"),
        "{line}"
    );
    assert!(!line.contains("secret123"), "{line}");
    elsewhere.verify().await;
}

#[tokio::test]
async fn links_are_built_from_the_handle_and_captions_reach_no_output_unclean() {
    let env = TestEnv::new().await;
    env.serve_profile(profile_with(json!({})), 1).await;
    let mut post = record(
        "7579000000000000001",
        IN_WEEK,
        json!({"play_count": 100, "digg_count": 9}),
    );
    post["desc"] = json!("ok \u{1b}[2J\u{1b}]0;pwned\u{7}tea\u{202e}gnp.exe #tea\nline2 | [x](y)");
    post["share_url"] = json!("https://evil.example/x)\n<script>alert(1)</script>");
    post["text_extra"] = json!([{"type": 1, "hashtag_name": "te\u{1b}[31ma"}]);
    let old = record("7570000000000000001", LONG_AGO, json!({"play_count": 5}));
    serve_page(&env, "0", answer(posts_answer(vec![post, old], 1, "1")), 1).await;
    env.run(AS_OF, &["-q"]).assert().success().stderr("");
    let r = env.report("2026-11-15");
    let p = &r["posts"][0];
    assert_eq!(
        p["url"],
        "https://www.tiktok.com/@examplecreator/video/7579000000000000001"
    );
    assert_eq!(p["caption"], "ok teagnp.exe #tea line2 | [x](y)");
    assert_eq!(p["hashtags"], json!(["tea"]));
    for ext in ["json", "md", "html"] {
        let text = std::fs::read_to_string(env.user_dir().join(format!("report_2026-11-15.{ext}")))
            .unwrap();
        assert!(!text.contains("evil.example"), "{ext}");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{ext}"
        );
        assert!(!text.contains("<script>"), "{ext}");
    }
}

#[tokio::test]
async fn a_poisoned_cached_id_heals_itself_with_one_profile_request() {
    let env = TestEnv::new().await;
    std::fs::create_dir_all(env.user_dir()).unwrap();
    std::fs::write(env.user_dir().join(".sec_uid"), "MS4wLjABAAAAsomeoneelse\n").unwrap();
    let mut foreign = record("7579000000000000009", IN_WEEK, json!({"play_count": 7}));
    foreign["author"]["unique_id"] = json!("SomeoneElse");
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .and(body_partial_json(
            json!({"sec_user_id": "MS4wLjABAAAAsomeoneelse"}),
        ))
        .respond_with(answer(posts_answer(vec![foreign], 1, "1")))
        .expect(1)
        .mount(&env.server)
        .await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let output = env.run(AS_OF, &["-q", "--no-profile"]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        "tiktok-review: warning: @examplecreator: the cached account id leads to posts of @someoneelse; asking the profile again\n"
    );
    let r = env.report("2026-11-15");
    assert_eq!(r["metrics"]["post_count"], 7);
    assert_eq!(r["account"]["followers"], 51877);
    assert_eq!(
        std::fs::read_to_string(env.user_dir().join(".sec_uid")).unwrap(),
        "MS4wLjABAAAAexample\n"
    );
}

#[tokio::test]
async fn a_cached_id_the_api_no_longer_knows_heals_itself() {
    let env = TestEnv::new().await;
    std::fs::create_dir_all(env.user_dir()).unwrap();
    std::fs::write(env.user_dir().join(".sec_uid"), "MS4wLjABAAAAstale\n").unwrap();
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .and(body_partial_json(
            json!({"sec_user_id": "MS4wLjABAAAAstale"}),
        ))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "not found"})))
        .expect(1)
        .mount(&env.server)
        .await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let output = env.run(AS_OF, &["-q", "--no-profile"]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "the cached account id is not known to Scavio any more; asking the profile again"
        ),
        "{stderr}"
    );
    assert_eq!(env.report("2026-11-15")["metrics"]["post_count"], 7);
}

#[tokio::test]
async fn save_raw_keeps_every_answer_body_with_the_key_redacted() {
    let env = TestEnv::new().await;
    let mut profile = fixture("profile.json");
    profile["data"]["user"]["signature"] = json!(format!("echo {KEY}"));
    env.serve_profile(answer(profile), 1).await;
    for (i, cursor) in CURSORS.iter().take(2).enumerate() {
        serve_page(
            &env,
            cursor,
            answer(fixture(&format!("posts_page{}.json", i + 1))),
            1,
        )
        .await;
    }
    env.run(AS_OF, &["-q", "--save-raw", "raw"])
        .assert()
        .success()
        .stderr("");
    let dir = env.dir.path().join("raw");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    // Named by the run's time (here the moment the test ran): runs saved in one folder never mix.
    let stamped: Vec<String> = names
        .iter()
        .map(|n| {
            let (handle, rest) = n.split_once('-').unwrap();
            let (stamp, rest) = rest.split_once('-').unwrap();
            assert!(stamp.len() == 16 && stamp.ends_with('Z'), "{n}");
            format!("{handle}-{rest}")
        })
        .collect();
    assert_eq!(
        stamped,
        [
            "examplecreator-001-profile-200.json",
            "examplecreator-002-posts-200.json",
            "examplecreator-003-posts-200.json"
        ]
    );
    let profile = std::fs::read_to_string(dir.join(&names[0])).unwrap();
    assert!(
        !profile.contains(KEY) && profile.contains("echo ***"),
        "{profile}"
    );
    assert!(!profile.to_lowercase().contains("authorization"));
    let page: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(&names[1])).unwrap()).unwrap();
    assert_eq!(page, fixture("posts_page1.json"));
}

#[tokio::test]
async fn a_long_api_message_is_redacted_before_it_is_shortened() {
    let (env, before) = with_last_week_saved().await;
    let message = format!("{} {KEY} and {} more", "x".repeat(190), KEY.to_uppercase());
    env.serve_profile(
        ResponseTemplate::new(401).set_body_json(json!({ "error": message })),
        1,
    )
    .await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 77);
    assert!(!line.to_lowercase().contains("sk_live"), "{line}");
    assert!(line.contains("x ***"), "{line}");

    let (env, before) = with_last_week_saved().await;
    let message = format!("bad key {} (as sent: {KEY})", KEY.to_uppercase());
    env.serve_profile(
        ResponseTemplate::new(403).set_body_json(json!({ "error": message })),
        1,
    )
    .await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 77);
    assert!(
        line.contains("HTTP 403: bad key *** (as sent: ***)"),
        "{line}"
    );
}

#[tokio::test]
async fn a_billing_link_off_the_apis_domain_is_never_printed() {
    let (env, before) = with_last_week_saved().await;
    let broke = ResponseTemplate::new(402).set_body_json(json!({
        "error": "Out of credits", "credit_balance": 0,
        "billing_url": "https://scavio.dev.evil.example/pay"
    }));
    env.serve_profile(broke, 1).await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 77);
    assert!(!line.contains("evil"), "{line}");
    assert!(
        line.ends_with(&format!("top up at your Scavio dashboard{FILL}")),
        "{line}"
    );
}

#[tokio::test]
async fn an_api_message_cannot_rewrite_the_terminal() {
    let (env, before) = with_last_week_saved().await;
    env.serve_profile(
        ResponseTemplate::new(400)
            .set_body_json(json!({"error": "bad\u{1b}[1A\u{1b}[2Kfake ok\r\nline"})),
        1,
    )
    .await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
    assert!(line.contains("HTTP 400: badfake ok line"), "{line}");
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_keeps_it() {
    let env = TestEnv::new().await;
    let profile = fixture("profile.json");
    Mock::given(method("POST"))
        .and(path("/scavio/api/v1/tiktok/profile"))
        .respond_with(answer(profile))
        .expect(1)
        .mount(&env.server)
        .await;
    for (i, cursor) in CURSORS.iter().take(2).enumerate() {
        Mock::given(method("POST"))
            .and(path("/scavio/api/v1/tiktok/user/posts"))
            .and(body_partial_json(json!({ "cursor": cursor })))
            .respond_with(answer(fixture(&format!("posts_page{}.json", i + 1))))
            .expect(1)
            .mount(&env.server)
            .await;
    }
    env.run(AS_OF, &["-q"])
        .env("SCAVIO_BASE_URL", format!("{}/scavio/", env.server.uri()))
        .assert()
        .success()
        .stderr("");
    assert_eq!(env.report("2026-11-15")["metrics"]["post_count"], 7);
}

#[tokio::test]
async fn a_page_that_does_not_say_whether_more_follow_is_never_read_as_the_end() {
    let (env, before) = with_last_week_saved().await;
    env.serve_profile(profile_with(json!({})), 1).await;
    let mut page = posts_answer(
        vec![record(
            "7579000000000000001",
            IN_WEEK,
            json!({"play_count": 10}),
        )],
        1,
        "111",
    );
    page["data"].as_object_mut().unwrap().remove("has_more");
    serve_page(&env, "0", answer(page), 1).await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
    assert!(
        line.contains("page 1 of @examplecreator's posts does not say whether more pages follow (no `has_more`) while its last post is still inside the week"),
        "{line}"
    );

    // The web's spelling, as a string, is read; an unknown word is not a "no".
    let env = TestEnv::new().await;
    env.serve_profile(profile_with(json!({})), 1).await;
    let mut page1 = posts_answer(
        vec![record(
            "7579000000000000002",
            IN_WEEK,
            json!({"play_count": 10}),
        )],
        1,
        "111",
    );
    page1["data"].as_object_mut().unwrap().remove("has_more");
    page1["data"]["hasMore"] = json!("True");
    serve_page(&env, "0", answer(page1), 1).await;
    let page2 = posts_answer(
        vec![
            record(
                "7579000000000000001",
                IN_WEEK - 60,
                json!({"play_count": 20}),
            ),
            record("7570000000000000001", LONG_AGO, json!({"play_count": 5})),
        ],
        0,
        "222",
    );
    serve_page(&env, "111", answer(page2), 1).await;
    env.run(AS_OF, &["-q"]).assert().success().stderr("");
    assert_eq!(env.report("2026-11-15")["metrics"]["post_count"], 2);

    let (env, before) = with_last_week_saved().await;
    env.serve_profile(profile_with(json!({})), 1).await;
    let mut page = posts_answer(vec![], 0, "1");
    page["data"]["has_more"] = json!("yes");
    serve_page(&env, "0", answer(page), 2).await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
    assert!(
        line.contains("`has_more` is \"yes\", neither true nor false"),
        "{line}"
    );
}

#[tokio::test]
async fn an_empty_feed_for_a_cached_id_asks_the_profile_before_it_believes_it() {
    let (env, before) = with_last_week_saved().await;
    std::fs::write(env.user_dir().join(".sec_uid"), "MS4wLjABAAAAexample\n").unwrap();
    let before = {
        let mut b = before;
        b.remove(".sec_uid");
        b
    };
    let empty = answer(json!({"data": {"has_more": 0, "status_code": 0}}));
    serve_page(&env, "0", empty, 2).await;
    env.serve_profile(profile_with(json!({"aweme_count": 318})), 1)
        .await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &["--no-profile"]), 65);
    assert!(
        line.contains("counts 318 posts but the first page of its feed has none"),
        "{line}"
    );
}

#[tokio::test]
async fn a_profile_of_another_account_is_not_this_accounts() {
    let (env, before) = with_last_week_saved().await;
    env.serve_profile(
        profile_with(json!({"unique_id": "someoneelse", "follower_count": 9_999_999})),
        2,
    )
    .await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 65);
    assert!(
        line.contains("the profile is of @someoneelse, not @examplecreator"),
        "{line}"
    );
}

#[tokio::test]
async fn the_key_in_any_spelling_never_reaches_stderr_or_a_report() {
    let lower = KEY.to_lowercase();
    let split = format!("{}\u{7}{}", &KEY[..10], &KEY[10..]);
    // An author name made of escapes and the key, in a feed of another account's posts.
    let (env, before) = with_last_week_saved().await;
    env.serve_profile(profile_with(json!({})), 1).await;
    let mut post = record("7579000000000000001", IN_WEEK, json!({"play_count": 10}));
    post["author"]["unique_id"] = json!(format!(
        "{}\u{1b}]0;pwned\u{7}\u{1b}[31mRED\u{202e}",
        KEY.to_uppercase()
    ));
    serve_page(&env, "0", answer(posts_answer(vec![post], 0, "1")), 1).await;
    let output = env.run(AS_OF, &[]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(65), "{stderr}");
    assert!(!stderr.to_lowercase().contains(&lower), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{202e}'),
        "{stderr}"
    );
    assert_eq!(history(&env), before);

    // A message that splits the key with a control character, and a billing link that holds it.
    let (env, before) = with_last_week_saved().await;
    let broke = ResponseTemplate::new(402).set_body_json(json!({
        "error": format!("bad key {split}"), "credit_balance": 0,
        "billing_url": format!("https://scavio.dev/pay?k={KEY}")
    }));
    env.serve_profile(broke, 1).await;
    let line = fails_leaving(&env, &before, &mut env.run(AS_OF, &[]), 77);
    assert!(!line.to_lowercase().contains(&lower), "{line}");
    assert!(
        line.contains("bad key ***") && line.contains("https://scavio.dev/pay?k=***"),
        "{line}"
    );

    // The key in a caption, a hashtag and an unreadable count stays out of every report file.
    let env = TestEnv::new().await;
    env.serve_profile(profile_with(json!({})), 1).await;
    let mut post = record("7579000000000000001", IN_WEEK, json!({"play_count": 100}));
    post["desc"] = json!(format!("see {split} #{KEY}"));
    let mut odd = record(
        "7579000000000000002",
        IN_WEEK - 60,
        json!({"play_count": KEY}),
    );
    odd["desc"] = json!(KEY.to_uppercase());
    let old = record("7570000000000000001", LONG_AGO, json!({"play_count": 5}));
    serve_page(
        &env,
        "0",
        answer(posts_answer(vec![post, odd, old], 1, "1")),
        1,
    )
    .await;
    let output = env.run(AS_OF, &["-q"]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    for ext in ["json", "md", "html"] {
        let text = std::fs::read_to_string(env.user_dir().join(format!("report_2026-11-15.{ext}")))
            .unwrap();
        assert!(
            !text.to_lowercase().contains(&lower),
            "{ext}: the key leaked"
        );
    }
}

#[tokio::test]
async fn a_tampered_earlier_report_cannot_make_the_run_panic() {
    let env = TestEnv::new().await;
    std::fs::create_dir_all(env.user_dir()).unwrap();
    for date in ["2026-11-01", "2026-11-08"] {
        std::fs::write(
            env.user_dir().join(format!("report_{date}.json")),
            earlier_report(date, u64::MAX, 1),
        )
        .unwrap();
    }
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let output = env.run(AS_OF, &["-q"]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
}

#[tokio::test]
async fn an_earlier_report_that_no_real_week_could_write_is_skipped() {
    let env = TestEnv::new().await;
    std::fs::create_dir_all(env.user_dir()).unwrap();
    let inverted = earlier_report("2026-11-08", 6, 156_500).replace(
        "\"start\": \"2026-11-01T20:00:00Z\"",
        "\"start\": \"2026-11-15T20:00:00Z\"",
    );
    let absurd = earlier_report("2026-11-01", 6, u64::MAX);
    std::fs::write(env.user_dir().join("report_2026-11-08.json"), inverted).unwrap();
    std::fs::write(env.user_dir().join("report_2026-11-01.json"), absurd).unwrap();
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    let output = env.run(AS_OF, &["-q"]).output().unwrap();
    let (_, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("report_2026-11-08.json: its window is not one week (left untouched)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "report_2026-11-01.json: it holds counts no TikTok post has (left untouched)"
        ),
        "{stderr}"
    );
    assert_eq!(env.report("2026-11-15")["previous"], Value::Null);
}
