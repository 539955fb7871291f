//! The Discord message: a webhook body with one embed per account (its numbers with ▲/▼, the best
//! post's link, its advice for next week, the link to its report when the reports are served),
//! within Discord's limits: at most 10 embeds, a title of 256
//! characters, a description of 4,096, a footer of 2,048 and 6,000 characters over all embeds; the
//! accounts past them summed up in a last embed that points at the overview. Mentions are off, so
//! a handle such as `@everyone` pings nobody. Pure.

use serde_json::{Value, json};

use super::Digest;
use super::channel::{ChannelVar, Hook, JSON, json};
use super::lines::{self, truncate, units};

/// Discord: a webhook, embeds.
pub(super) static DISCORD: Hook = Hook {
    name: "Discord",
    option_name: "discord",
    log_name: "discord webhook",
    listed: "Discord",
    seen_in: "in Discord",
    var: ChannelVar {
        name: "TIKTOK_REVIEW_DISCORD_WEBHOOK",
        help: "Discord webhook URL",
        secret: true,
    },
    render: |digest| json(payload(digest)),
    test: |text| json(json!({"content": text, "allowed_mentions": {"parse": []}})),
    content_type: JSON,
};

/// The most embeds a message may have.
pub(super) const MAX_EMBEDS: usize = 10;
/// The most characters over all embeds' titles, descriptions and footers.
pub(super) const MAX_TOTAL: usize = 6000;
/// The most characters of an embed's description.
pub(super) const MAX_DESCRIPTION: usize = 4096;
/// The most characters of an embed's title.
const MAX_TITLE: usize = 256;
/// The most characters of a footer.
const MAX_FOOTER: usize = 2048;
/// The most characters of the message's content.
pub(super) const MAX_CONTENT: usize = 2000;
/// Kept free for the overflow embed and the footer.
const RESERVE: usize = 800;
/// TikTok's red.
const COLOR: u32 = 0xFE2C55;

/// The webhook's body for `digest`.
pub(super) fn payload(digest: &Digest) -> Value {
    let footer = truncate(
        &escape(&lines::context(digest)),
        MAX_FOOTER.min(RESERVE / 2),
    );
    let mut embeds: Vec<Value> = Vec::new();
    let mut used = 0;
    let mut shown = 0;
    for (i, account) in digest.accounts.iter().enumerate() {
        let last = i + 1 == digest.accounts.len();
        // The last embed needs no room for an overflow embed after it.
        let (limit, reserve) = match last {
            true => (MAX_EMBEDS, units(&footer)),
            false => (MAX_EMBEDS - 1, RESERVE),
        };
        let title = truncate(&escape(&format!("@{}", account.handle)), MAX_TITLE);
        let description = truncate(&description(account), MAX_DESCRIPTION);
        let size = units(&title) + units(&description);
        if embeds.len() >= limit || used + size + reserve > MAX_TOTAL {
            break;
        }
        used += size;
        shown += 1;
        embeds.push(json!({
            "title": title,
            "url": format!("https://www.tiktok.com/@{}", account.handle),
            "description": description,
            "color": COLOR,
        }));
    }
    if shown < digest.accounts.len() {
        let rest = truncate(
            &escape(&lines::overflow(digest, &digest.accounts[shown..])),
            RESERVE / 2,
        );
        embeds.push(json!({"description": rest, "color": COLOR}));
    }
    if let Some(last) = embeds.last_mut() {
        last["footer"] = json!({"text": footer});
    }
    json!({
        "content": truncate(&format!("**{}**", escape(&lines::title(digest))), MAX_CONTENT),
        "embeds": embeds,
        "allowed_mentions": {"parse": []},
    })
}

/// An account's embed text: numbers, best post, next step, report.
fn description(account: &super::AccountDigest) -> String {
    let mut text = escape(&lines::numbers(account));
    if let Some((caption, url, views)) = lines::caption(account) {
        text.push_str(&format!(
            "\nBest post: [{}]({url}) ({} views)",
            escape_link_text(&caption),
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
        text.push_str(&format!("\n[Full report]({link})"));
    }
    text
}

/// Text that Discord's Markdown shows as written: its markers (and `<`, `@`, which start a
/// mention) escaped. Lines here never start with a caption, so `#` and `-` need no escape.
fn escape(text: &str) -> String {
    escape_these(text, "\\*_~`|<>[]@")
}

/// A link's text: as [`escape`], and its parentheses, which would end the link.
fn escape_link_text(text: &str) -> String {
    escape_these(text, "\\*_~`|<>[]@()")
}

fn escape_these(text: &str, special: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if special.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deliver::lines::tests::digest;

    fn total(payload: &Value) -> usize {
        payload["embeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                ["title", "description"]
                    .iter()
                    .map(|k| e[k].as_str().map_or(0, units))
                    .sum::<usize>()
                    + e["footer"]["text"].as_str().map_or(0, units)
            })
            .sum()
    }

    #[test]
    fn sixty_accounts_stay_within_ten_embeds_and_six_thousand_characters() {
        let payload = payload(&digest(60));
        let embeds = payload["embeds"].as_array().unwrap();
        assert!(embeds.len() <= MAX_EMBEDS, "{}", embeds.len());
        assert!(total(&payload) <= MAX_TOTAL, "{}", total(&payload));
        let last = embeds.last().unwrap();
        assert!(
            last["description"].as_str().unwrap().starts_with("…and "),
            "{last}"
        );
        assert!(
            last["footer"]["text"]
                .as_str()
                .unwrap()
                .contains("tiktok-review")
        );
        for embed in embeds {
            assert!(units(embed["description"].as_str().unwrap()) <= MAX_DESCRIPTION);
        }
        assert_eq!(payload["allowed_mentions"], json!({"parse": []}));
        assert!(units(payload["content"].as_str().unwrap()) <= MAX_CONTENT);
    }

    #[test]
    fn a_few_short_accounts_each_get_an_embed() {
        let mut d = digest(3);
        for a in &mut d.accounts {
            a.headline.advice = Some("Post more.".into());
            a.report_link = Some("https://r.example/ab/report_2026-11-22.html".into());
            if let Some(best) = &mut a.headline.best_post {
                best.caption = "bread @everyone".into();
            }
        }
        let payload = payload(&d);
        let embeds = payload["embeds"].as_array().unwrap();
        assert_eq!(embeds.len(), 3);
        assert_eq!(embeds[0]["title"], "\\@account\\_0000\\_long.name\\_x");
        let text = embeds[0]["description"].as_str().unwrap();
        assert!(
            text.ends_with("\nBest post: [bread \\@everyone](https://www.tiktok.com/@account_0/video/7710028748195207518) (137,051 views)\nNext: Post more.\n[Full report](https://r.example/ab/report_2026-11-22.html)"),
            "{text}"
        );
        assert!(embeds[2]["footer"]["text"].is_string());
        assert!(embeds[0]["footer"].is_null());
    }
}
