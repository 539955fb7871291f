//! The Slack message: Block Kit for an incoming webhook. A header, one section per account (its
//! numbers with ▲/▼, the best post's link, its advice for next week, the link to its report when
//! the reports are served), a context line; within Slack's
//! limits (at most 50 blocks, 3,000 characters a section, 150 a header; over them Slack answers
//! 400), the accounts past the limit summed up in one line that points at the overview. Pure.

use serde_json::{Value, json};

use super::Digest;
use super::channel::{ChannelVar, Hook, JSON, json};
use super::lines::{self, truncate};

/// Slack: an incoming webhook, Block Kit.
pub(super) static SLACK: Hook = Hook {
    name: "Slack",
    option_name: "slack",
    log_name: "slack webhook",
    listed: "Slack",
    seen_in: "in Slack",
    var: ChannelVar {
        name: "TIKTOK_REVIEW_SLACK_WEBHOOK",
        help: "Slack incoming webhook URL",
        secret: true,
    },
    render: |digest| json(payload(digest)),
    test: |text| json(json!({"text": text})),
    content_type: JSON,
};

/// The most blocks a message may have.
pub(super) const MAX_BLOCKS: usize = 50;
/// The most characters of a section's (or a context element's) text.
pub(super) const MAX_TEXT: usize = 3000;
/// The most characters of the header's text.
pub(super) const MAX_HEADER: usize = 150;

/// The incoming webhook's body for `digest`.
pub(super) fn payload(digest: &Digest) -> Value {
    let accounts = &digest.accounts;
    // The header and the context line, and the overflow line when not every account fits.
    let room = MAX_BLOCKS - 2;
    let shown = if accounts.len() <= room {
        accounts.len()
    } else {
        room - 1
    };
    let mut blocks = vec![json!({
        "type": "header",
        "text": {"type": "plain_text", "text": truncate(&lines::title(digest), MAX_HEADER), "emoji": true},
    })];
    for account in &accounts[..shown] {
        let mut text = format!(
            "*@{}*\n{}",
            account.handle,
            escape(&lines::numbers(account))
        );
        if let Some((caption, url, views)) = lines::caption(account) {
            text.push_str(&format!(
                "\nBest post: <{}|{}> ({} views)",
                escape(&url),
                escape(&caption).replace('|', "¦"),
                crate::report::fmt::group_thousands(views)
            ));
        }
        if let Some(rivals) = lines::rivals(account) {
            text.push_str(&format!("\n{}", escape(&rivals)));
        }
        if let Some(next) = lines::advice(account) {
            text.push_str(&format!("\nNext: {}", escape(&next)));
        }
        if let Some(link) = &account.report_link {
            text.push_str(&format!("\n<{}|Full report>", escape(link)));
        }
        blocks.push(section(&text));
    }
    if shown < accounts.len() {
        blocks.push(section(&escape(&lines::overflow(
            digest,
            &accounts[shown..],
        ))));
    }
    blocks.push(json!({
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": truncate(&escape(&lines::context(digest)), MAX_TEXT), "verbatim": true}],
    }));
    json!({
        // What notifications and old clients show.
        "text": truncate(&lines::subject(digest), MAX_TEXT),
        "blocks": blocks,
        // Sixty post links would otherwise unfurl into sixty previews.
        "unfurl_links": false,
        "unfurl_media": false,
    })
}

/// A mrkdwn section of at most [`MAX_TEXT`] characters, verbatim: Slack turns no `@here`,
/// `#channel` or bare link of a caption into a mention or a link of its own.
fn section(text: &str) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, MAX_TEXT), "verbatim": true}})
}

/// Text safe in mrkdwn: `&`, `<` and `>` are Slack's control characters.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deliver::lines::{tests::digest, units};

    fn texts(payload: &Value) -> Vec<(String, String)> {
        let mut all = Vec::new();
        for block in payload["blocks"].as_array().unwrap() {
            let kind = block["type"].as_str().unwrap().to_string();
            let text = match kind.as_str() {
                "context" => block["elements"][0]["text"].as_str(),
                _ => block["text"]["text"].as_str(),
            };
            all.push((kind, text.unwrap().to_string()));
        }
        all
    }

    #[test]
    fn sixty_accounts_fit_in_fifty_blocks_with_the_rest_summed_up() {
        let payload = payload(&digest(60));
        let blocks = texts(&payload);
        assert_eq!(blocks.len(), MAX_BLOCKS);
        assert_eq!(blocks[0].0, "header");
        assert!(units(&blocks[0].1) <= MAX_HEADER);
        assert_eq!(blocks.iter().filter(|(k, _)| k == "section").count(), 48);
        let overflow = &blocks[48].1;
        assert!(
            overflow.starts_with(
                "…and 13 more accounts, 12,999,999,311 views in all: see their reports"
            ),
            "{overflow}"
        );
        assert_eq!(blocks[49].0, "context");
        for (kind, text) in &blocks {
            assert!(units(text) <= MAX_TEXT, "{kind}: {}", units(text));
        }
        assert!(units(payload["text"].as_str().unwrap()) <= MAX_TEXT);
    }

    #[test]
    fn a_section_shows_the_numbers_the_escaped_link_and_the_next_step() {
        let d = digest(48);
        let blocks = texts(&payload(&d));
        assert_eq!(blocks.len(), 50, "48 accounts need no overflow line");
        let first = &blocks[1].1;
        assert!(
            first.starts_with(
                "*@account_0000_long.name_x*\n12 posts · 1,000,000,000 views ▼ 12.3% · "
            ),
            "{first}"
        );
        assert!(first.contains("\nBest post: <https://www.tiktok.com/@account_0/video/7710028748195207518|&lt;b&gt;&amp;amp;&lt;/b&gt; ¦ [x](y)"), "{first}");
        assert!(
            first.contains("…> (137,051 views)\nNext: Post at Thu 18:00–21:00 &amp; &lt;again&gt;"),
            "{first}"
        );
        assert!(!first.contains("<b>"));
        let link = d.accounts[0].report_link.as_deref().unwrap();
        assert!(
            first.ends_with(&format!("…\n<{link}|Full report>")),
            "the advice cut short, then the report's link whole: {first}"
        );
    }

    #[test]
    fn one_account_has_its_handle_in_the_header() {
        let blocks = texts(&payload(&digest(1)));
        assert_eq!(blocks.len(), 3);
        assert_eq!(
            blocks[0].1,
            "TikTok review of @account_0000_long.name_x · week to 2026-11-22"
        );
    }
}
