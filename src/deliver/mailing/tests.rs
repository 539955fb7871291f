//! The mail of a digest: never an empty body, never over the size cap, and what it leaves out named.

use super::*;
use crate::deliver::OverviewFiles;
use crate::deliver::lines::tests::digest;
use crate::report::overview::{Row, SCHEMA_VERSION, Status, Totals};

/// The overview files a run writes for `d`'s accounts and `others` (accounts of an earlier run of
/// the same date): each row linked to `<handle>/report_<date>.html`, as in the reports folder.
fn overview_files(d: &Digest, others: &[&str]) -> OverviewFiles {
    let handles = (d.accounts.iter().map(|a| a.handle.clone()))
        .chain(others.iter().map(|h| h.parse().unwrap()));
    let rows = handles
        .map(|handle: Handle| Row {
            report_file: Some(format!("{handle}/report_2026-11-22.html")),
            status: Status::Ok,
            reason: None,
            posts: Some(3),
            views: Some(1_000),
            ..Row::failed(handle, "", 1, 1)
        })
        .collect();
    let o = Overview {
        schema_version: SCHEMA_VERSION,
        date: d.date,
        generated_at: "2026-11-22T20:00:00Z".parse().unwrap(),
        totals: Totals::default(),
        rows,
    };
    OverviewFiles {
        json: overview::to_json(&o),
        markdown: overview::markdown(&o),
        html: overview::html(&o),
    }
}

fn config() -> MailConfig {
    MailConfig::new("smtp://localhost", "reviews@example.com", "me@example.com").unwrap()
}

/// `digest(n)` as a `--formats json` run leaves it: no Markdown, no HTML, an overview without them.
fn json_only(n: usize) -> Digest {
    let mut d = digest(n);
    for account in &mut d.accounts {
        account.markdown.clear();
        account.html.clear();
    }
    d
}

#[test]
fn a_json_only_digest_makes_a_mail_of_its_headlines_never_an_empty_body() {
    let one = mail_message(&json_only(1), &config());
    assert!(
        one.text
            .starts_with("TikTok review of @account_0000_long.name_x · week to 2026-11-22\n\n"),
        "{}",
        one.text
    );
    assert!(
        one.text
            .contains("\n\n@account_0000_long.name_x: 12 posts · 1,000,000,000 views")
    );
    assert!(one.text.contains("\nBest post: "));
    assert!(one.text.contains("\nNext: Post at Thu"));
    assert!(one.text.ends_with(
        "\n\nFull report: /srv/tiktok_reports/account_0000_long.name_x/report_2026-11-22.json\n"
    ));
    assert!(
        one.html
            .contains("<strong>@account_0000_long.name_x</strong>: 12 posts")
    );
    assert!(
        one.html
            .contains("Best post: <a href=\"https://www.tiktok.com/@account_0/video/")
    );
    assert!(one.html.contains("&lt;b&gt;&amp;amp;&lt;/b&gt;"), "escaped");
    assert!(one.attachments.is_empty(), "no HTML report to attach");

    let mut several = json_only(3);
    several.overview = Some(OverviewFiles {
        json: b"{}".to_vec(),
        markdown: String::new(),
        html: String::new(),
    });
    let mail = mail_message(&several, &config());
    for i in 0..3 {
        let handle = format!("@account_{i:04}_long.name_x");
        assert!(mail.text.contains(&format!("\n\n{handle}: ")), "{handle}");
        assert!(
            mail.html.contains(&format!("<strong>{handle}</strong>")),
            "{handle}"
        );
    }
    assert!(
        mail.text
            .contains("Full reports: /srv/tiktok_reports/<handle>/report_2026-11-22.json")
    );
    assert!(
        mail.html
            .contains("Full reports: /srv/tiktok_reports/&lt;handle&gt;/report_2026-11-22.json")
    );
}

#[test]
fn written_forms_are_the_body_and_a_missing_one_alone_is_built() {
    let mut d = digest(1);
    d.accounts[0].html.clear();
    let mail = mail_message(&d, &config());
    assert_eq!(mail.text, "# @account_0\n", "the Markdown as written");
    assert!(mail.html.starts_with("<!DOCTYPE html>"));
    assert!(mail.html.contains("Full report: "));
}

#[test]
fn a_mail_that_fits_is_left_as_it_is() {
    let d = digest(3);
    let mail = mail_message(&d, &config());
    assert_eq!(mail.attachments.len(), 3);
    assert!(!mail.text.contains("not attached"));
    assert_eq!(
        mail.attachments[0].0,
        "account_0000_long.name_x_report_2026-11-22.html"
    );
}

/// `n` accounts whose HTML reports weigh about 300 kB each (400 kB in base64), with their overview.
fn heavy(n: usize) -> Digest {
    let mut d = digest(n);
    d.overview = Some(overview_files(&d, &[]));
    for (i, account) in d.accounts.iter_mut().enumerate() {
        account.html = format!("<p>report {i} ▲</p>\n").repeat(15_000);
    }
    d
}

#[test]
fn a_mail_too_large_keeps_the_most_viewed_reports_that_fit_and_names_the_others() {
    let d = heavy(40);
    let config = config();

    let mail = mail_message(&d, &config);

    let size = mail::wire_size(&config, &mail).unwrap();
    assert!(size <= MAX_MAIL_BYTES, "{size}");
    let kept = mail.attachments.len();
    assert!((20..40).contains(&kept), "{kept} kept");
    let room_for_one_more =
        size + mail::attachment_size(&mail.attachments[0].0, &mail.attachments[0].1);
    assert!(room_for_one_more > MAX_MAIL_BYTES, "as many as fit");
    for (attached, account) in mail.attachments.iter().zip(&d.accounts) {
        assert!(
            attached.0.starts_with(account.handle.as_str()),
            "the most viewed first"
        );
    }
    let left_out = 40 - kept;
    let top = format!(
        "{left_out} of 40 account reports are not attached, to keep this mail under 10 MB: see the list at the end."
    );
    assert!(
        mail.text
            .starts_with(&format!("{top}\n\n# Overview — week to 2026-11-22\n")),
        "{}",
        &mail.text[..400]
    );
    assert!(mail.text.contains(&format!(
        "Generated 2026-11-22 20:00 UTC by tiktok-review.\n\n---\n\nNot attached ({left_out}): @account_"
    )));
    // The overview links the reports attached, by the names they are attached under, and no other.
    for (i, account) in d.accounts.iter().enumerate() {
        let name = format!("{}_report_2026-11-22.html", account.handle);
        let linked = (
            mail.text.contains(&format!("]({name})")),
            mail.html
                .contains(&format!("<a href=\"{name}\">@{}</a>", account.handle)),
        );
        assert_eq!(linked, (i < kept, i < kept), "{name}");
    }
    assert!(!mail.text.contains("/report_2026-11-22.html)"));
    assert!(!mail.html.contains("/report_2026-11-22.html\""));
    let handles: Vec<String> = (d.accounts[kept..].iter())
        .map(|a| format!("@{}", a.handle))
        .collect();
    assert!(mail.text.contains(&format!(
        "Not attached ({left_out}): {}.\n",
        handles.join(", ")
    )));
    assert!(mail.text.ends_with(
        "\n\nEach is on disk as /srv/tiktok_reports/<handle>/report_2026-11-22.html; `tiktok-review send --reports-dir /srv/tiktok_reports --date 2026-11-22 --user <handle>` mails one with its report attached.\n"
    ));
    assert!(
        mail.html.contains(&format!(
            "<body><p><strong>{top}</strong></p>\n<main><h1>Overview"
        )),
        "{}",
        &mail.html[..1000]
    );
    assert!(mail.html.contains(&format!(
        "</main><hr>\n<p>Not attached ({left_out}): @account_"
    )));
    assert!(mail.html.contains(
        "<p>Each is on disk as /srv/tiktok_reports/&lt;handle&gt;/report_2026-11-22.html; <code>tiktok-review send --reports-dir /srv/tiktok_reports --date 2026-11-22 --user &lt;handle&gt;</code> mails one with its report attached.</p>\n</body></html>"
    ));
}

#[test]
fn the_overview_links_each_account_to_its_attachment_by_the_name_it_really_has() {
    let mut d = digest(3);
    d.accounts[2].html.clear();
    d.overview = Some(overview_files(&d, &["earlier_run"]));
    let saved = d.overview.clone().unwrap();
    assert!(
        saved
            .html
            .contains("<a href=\"account_0000_long.name_x/report_2026-11-22.html\">")
    );

    let mail = mail_message(&d, &config());

    let names: Vec<&str> = mail.attachments.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "account_0000_long.name_x_report_2026-11-22.html",
            "account_0001_long.name_x_report_2026-11-22.html"
        ]
    );
    for name in &names {
        let handle = name.strip_suffix("_report_2026-11-22.html").unwrap();
        assert!(
            mail.html
                .contains(&format!("<a href=\"{name}\">@{handle}</a>")),
            "{}",
            mail.html
        );
        let escaped = handle.replace('_', "\\_");
        assert!(
            mail.text.contains(&format!("[@{escaped}]({name})")),
            "{}",
            mail.text
        );
    }
    // No report attached, no link: the account without HTML, and another run's account.
    for handle in ["account_0002_long.name_x", "earlier_run"] {
        assert!(
            mail.html.contains(&format!(
                "<td class=\"account\">@{handle}<span class=\"counts\">"
            )),
            "{handle}"
        );
        assert!(!mail.html.contains(&format!("href=\"{handle}")), "{handle}");
        assert!(!mail.text.contains(&format!("]({handle}")), "{handle}");
    }
    assert!(
        !mail.html.contains("/report_2026-11-22.html"),
        "no folder path is a link"
    );

    // An overview whose JSON does not read is replaced by the list built from the reports.
    d.overview = Some(OverviewFiles {
        json: b"{}".to_vec(),
        ..saved
    });
    let mail = mail_message(&d, &config());
    assert!(
        !mail.html.contains("/report_2026-11-22.html\""),
        "{}",
        mail.html
    );
    assert!(
        mail.html
            .contains("<strong>@account_0000_long.name_x</strong>: ")
    );
}

#[test]
fn a_report_dir_with_unsafe_characters_is_quoted_for_the_shell() {
    assert_eq!(
        shell_word(Path::new("/srv/tiktok_reports")),
        "/srv/tiktok_reports"
    );
    assert_eq!(
        shell_word(Path::new("/home/me/my reports")),
        "'/home/me/my reports'"
    );
    assert_eq!(shell_word(Path::new("/it's")), r"'/it'\''s'");
}

#[test]
fn a_notice_goes_inside_the_body_or_around_a_page_without_one() {
    assert_eq!(
        framed("<html><body><p>x</p></body></html>", "T", "B"),
        "<html><body>T<p>x</p>B</body></html>"
    );
    assert_eq!(framed("<p>x</p>", "T", "B"), "T<p>x</p>B");
}

#[test]
fn several_accounts_without_an_overview_are_mailed_as_their_headlines_not_their_reports_joined() {
    let mut d = digest(3);
    d.overview = None;
    for account in &mut d.accounts {
        account.markdown = format!("# {} — the whole report\n", account.handle);
    }
    let mail = mail_message(&d, &config());
    assert!(!mail.text.contains("the whole report"), "{}", mail.text);
    for account in &d.accounts {
        assert!(
            mail.text.contains(&format!("@{}", account.handle)),
            "{}",
            mail.text
        );
    }
}

#[test]
fn a_body_too_large_alone_gives_way_to_the_headlines_within_the_cap() {
    let mut d = digest(2);
    let files = overview_files(&d, &["other_account"]);
    // An overview whose page is past the cap by itself (a failure's reason of 11 MB): no
    // attachment left to drop would make it fit.
    let mut o = overview::read(&files.json).unwrap();
    o.rows[2].status = Status::Failed;
    o.rows[2].reason = Some("y".repeat(MAX_MAIL_BYTES + 1_000_000));
    d.overview = Some(OverviewFiles {
        json: overview::to_json(&o),
        ..files
    });
    let mail = mail_message(&d, &config());
    let size = mail::wire_size(&config(), &mail).unwrap();
    assert!(size <= MAX_MAIL_BYTES, "{size}");
    assert!(!mail.text.contains("yyyy") && !mail.html.contains("yyyy"));
    for account in &d.accounts {
        assert!(mail.text.contains(account.handle.as_str()), "{}", mail.text);
    }
}
