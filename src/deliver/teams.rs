//! The Teams message: an Adaptive Card in the `message` envelope that a Teams Workflows webhook
//! ("When a Teams webhook request is received") posts to a channel; the retired Office 365
//! connector card is not used. A title, one container per account (its numbers with ▲/▼, the best
//! post's link, its advice for next week, the link to its report when the reports are served), a
//! context line; the whole body within Teams' 28 KB, the
//! accounts past it summed up in one line that points at the overview. Pure.

use serde_json::{Value, json};

use super::channel::{ChannelVar, Hook, json};
use super::lines;
use super::{AccountDigest, Digest};

/// Teams: a Workflows webhook, an Adaptive Card.
pub(super) static TEAMS: Hook = Hook {
    name: "Teams",
    option_name: "teams",
    log_name: "teams webhook",
    listed: "Teams",
    seen_in: "in Teams",
    var: ChannelVar {
        name: "TIKTOK_REVIEW_TEAMS_WEBHOOK",
        help: "Teams Workflows webhook URL",
        secret: true,
    },
    render: |digest| json(payload(digest)),
    // Teams reads a body without a charset as UTF-16 and halves its size limit.
    test: |text| {
        let block = json!({"type": "TextBlock", "text": plain(text), "wrap": true});
        json(envelope(vec![block]))
    },
    content_type: "application/json; charset=utf-8",
};

/// The largest body Teams takes, in bytes (28 KB, read as 28,000 to be safe).
pub(super) const MAX_BYTES: usize = 28_000;
/// Kept free for the overflow line and the context line.
const RESERVE: usize = 2_000;

/// The webhook's body for `digest`.
pub(super) fn payload(digest: &Digest) -> Value {
    let mut body = vec![json!({
        "type": "TextBlock", "text": plain(&lines::title(digest)),
        "size": "Large", "weight": "Bolder", "wrap": true,
    })];
    let mut size = envelope(Vec::new()).to_string().len() + size_of(&body[0]);
    let mut shown = 0;
    for (i, account) in digest.accounts.iter().enumerate() {
        let item = container(account);
        let item_size = size_of(&item);
        let reserve = match i + 1 == digest.accounts.len() {
            true => RESERVE / 2,
            false => RESERVE,
        };
        if size + item_size + reserve > MAX_BYTES {
            break;
        }
        size += item_size;
        shown += 1;
        body.push(item);
    }
    if shown < digest.accounts.len() {
        body.push(json!({
            "type": "TextBlock", "wrap": true, "separator": true,
            "text": plain(&lines::truncate(&lines::overflow(digest, &digest.accounts[shown..]), 400)),
        }));
    }
    body.push(json!({
        "type": "TextBlock", "wrap": true, "isSubtle": true, "size": "Small", "separator": true,
        "text": plain(&lines::truncate(&lines::context(digest), 400)),
    }));
    envelope(body)
}

/// The Workflows envelope around a card of `body`.
fn envelope(body: Vec<Value>) -> Value {
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "msteams": {"width": "Full"},
                "body": body,
            },
        }],
    })
}

/// One account's container.
fn container(account: &AccountDigest) -> Value {
    let mut items = vec![
        json!({"type": "TextBlock", "text": plain(&format!("@{}", account.handle)), "weight": "Bolder", "wrap": true}),
        json!({"type": "TextBlock", "text": plain(&lines::numbers(account)), "wrap": true, "spacing": "None"}),
    ];
    if let Some((caption, url, views)) = lines::caption(account) {
        items.push(json!({
            "type": "TextBlock", "wrap": true, "spacing": "None",
            "text": format!(
                "Best post: [{}]({url}) ({} views)",
                plain(&caption.replace('[', "(").replace(']', ")")),
                crate::report::fmt::group_thousands(views)
            ),
        }));
    }
    if let Some(rivals) = lines::rivals(account) {
        items.push(json!({
            "type": "TextBlock", "wrap": true, "spacing": "None",
            "text": plain(&rivals),
        }));
    }
    if let Some(next) = lines::advice(account) {
        items.push(json!({
            "type": "TextBlock", "wrap": true, "spacing": "None", "isSubtle": true,
            "text": plain(&format!("Next: {next}")),
        }));
    }
    if let Some(link) = &account.report_link {
        items.push(json!({
            "type": "TextBlock", "wrap": true, "spacing": "None",
            "text": format!("[Full report]({link})"),
        }));
    }
    json!({"type": "Container", "separator": true, "items": items})
}

/// Text that the card's Markdown subset shows as written: its markers escaped.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\*_[]".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A value's size in the body, with the comma that separates it from the one before.
fn size_of(value: &Value) -> usize {
    value.to_string().len() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deliver::lines::tests::digest;

    #[test]
    fn sixty_accounts_fit_in_28_kb_with_the_rest_summed_up() {
        let payload = payload(&digest(60));
        let bytes = serde_json::to_vec(&payload).unwrap();
        assert!(bytes.len() <= MAX_BYTES, "{}", bytes.len());
        assert_eq!(payload["type"], "message");
        let attachment = &payload["attachments"][0];
        assert_eq!(
            attachment["contentType"],
            "application/vnd.microsoft.card.adaptive"
        );
        let card = &attachment["content"];
        assert_eq!(card["type"], "AdaptiveCard");
        let body = card["body"].as_array().unwrap();
        let overflow = body[body.len() - 2]["text"].as_str().unwrap();
        assert!(overflow.starts_with("…and "), "{overflow}");
        assert!(
            body.len() > 10,
            "a good part of the accounts is shown: {}",
            body.len()
        );
    }

    #[test]
    fn an_account_has_its_numbers_link_next_step_and_report() {
        let d = digest(1);
        let payload = payload(&d);
        let body = payload["attachments"][0]["content"]["body"]
            .as_array()
            .unwrap();
        assert_eq!(body.len(), 3, "title, the account, context");
        let items = body[1]["items"].as_array().unwrap();
        assert_eq!(items[0]["text"], "@account\\_0000\\_long.name\\_x");
        let link = items[2]["text"].as_str().unwrap();
        assert!(
            link.starts_with("Best post: [<b>&amp;</b> | (x)(y) \\*bold\\* \\_it\\_"),
            "{link}"
        );
        assert!(
            link.contains(
                "…](https://www.tiktok.com/@account_0/video/7710028748195207518) (137,051 views)"
            ),
            "{link}"
        );
        assert!(
            items[3]["text"]
                .as_str()
                .unwrap()
                .starts_with("Next: Post at Thu")
        );
        let report = d.accounts[0].report_link.as_deref().unwrap();
        assert_eq!(items[4]["text"], format!("[Full report]({report})"));
        assert_eq!(items.len(), 5);
    }
}
