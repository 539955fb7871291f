//! The words every channel's message shares: the title, an account's headline numbers with ▲/▼,
//! its advice for next week in a short form, the line that sums up accounts past a channel's limit,
//! the context line, and cutting text to a limit. Plain text: each channel escapes it for its own
//! markup. Pure.

use super::{AccountDigest, Digest};
use crate::report::fmt::{decimal, group_thousands, percent_text, plural, points};

/// The longest caption quoted in a message, in characters.
pub(super) const MAX_CAPTION: usize = 80;
/// The longest advice quoted in a message, in characters: a sentence, never a paragraph.
pub(super) const MAX_ADVICE: usize = 200;
/// The most failed accounts named by handle in the context line.
const MAX_FAILED_NAMED: usize = 5;

/// The length of `text` as the chat services count it, conservatively: UTF-16 code units (an emoji
/// counts 2).
pub(super) fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// `text` cut to at most `max` UTF-16 units, ending in `…` when cut; never inside a character.
pub(super) fn truncate(text: &str, max: usize) -> String {
    if units(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        if used + c.len_utf16() + 1 > max {
            break;
        }
        used += c.len_utf16();
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    out
}

/// `TikTok review · week to 2026-11-22`, with the account for one.
pub(super) fn title(digest: &Digest) -> String {
    match digest.accounts.as_slice() {
        [one] => format!("TikTok review of @{} · week to {}", one.handle, digest.date),
        _ => format!("TikTok review · week to {}", digest.date),
    }
}

/// The mail's subject: the title and, for one account, its views and their change.
pub(super) fn subject(digest: &Digest) -> String {
    match digest.accounts.as_slice() {
        [one] => format!("{}: {}", title(digest), views(one)),
        accounts => format!(
            "{}: {}, {} views in all",
            title(digest),
            plural(accounts.len() as u64, "account"),
            group_thousands(total_views(accounts))
        ),
    }
}

/// `211,893 views ▲ 246.5%`.
fn views(account: &AccountDigest) -> String {
    let h = &account.headline;
    let movement = match (h.views_change, h.views_change_pct) {
        (Some(c), Some(p)) if c != 0.0 => format!(" {} {}%", arrow(c), decimal(p.abs(), 1)),
        (Some(c), None) if c != 0.0 => format!(" {} {}", arrow(c), group_thousands(c.abs() as u64)),
        (Some(_), _) => " = 0%".to_string(),
        (None, _) => String::new(),
    };
    format!("{} views{movement}", group_thousands(h.views))
}

/// `▲` for a rise, `▼` for a fall.
fn arrow(change: f64) -> &'static str {
    if change < 0.0 { "▼" } else { "▲" }
}

/// The account's numbers on one line: `5 posts · 211,893 views ▲ 246.5% · engagement 9.6% ▲ 0.3
/// pts · 43,079 followers ▲ 774`, or `… (first report)` without an earlier one.
pub(super) fn numbers(account: &AccountDigest) -> String {
    let h = &account.headline;
    let mut parts = vec![plural(h.posts, "post"), views(account)];
    let engagement = match h.engagement_rate_change {
        Some(c) if c != 0.0 => format!(" {} {}", arrow(c), points(c)),
        _ => String::new(),
    };
    parts.push(format!(
        "engagement {}{engagement}",
        percent_text(h.engagement_rate)
    ));
    if let Some(followers) = h.followers {
        let change = match h.followers_change {
            Some(c) if c != 0.0 => format!(" {} {}", arrow(c), group_thousands(c.abs() as u64)),
            _ => String::new(),
        };
        parts.push(format!("{} followers{change}", group_thousands(followers)));
    }
    let line = parts.join(" · ");
    match h.compared {
        true => line,
        false => format!("{line} (first report)"),
    }
}

/// The best post's caption, cut to [`MAX_CAPTION`], or `a post without caption`.
pub(super) fn caption(account: &AccountDigest) -> Option<(String, String, u64)> {
    let best = account.headline.best_post.as_ref()?;
    let caption = match best.caption.is_empty() {
        true => "a post without caption".to_string(),
        false => truncate(&best.caption, MAX_CAPTION),
    };
    Some((caption, best.url.clone(), best.views))
}

/// The account's advice for next week in a short form: its first actionable recommendation's
/// sentence, cut on a word to at most [`MAX_ADVICE`] characters.
pub(super) fn advice(account: &AccountDigest) -> Option<String> {
    (account.headline.advice.as_deref()).map(|a| cut_on_word(a, MAX_ADVICE))
}

/// The account against the run's competitors on one line, cut to [`MAX_ADVICE`] characters:
/// `vs @rival: median views 2.1×`; `None` without competitors.
pub(super) fn rivals(account: &AccountDigest) -> Option<String> {
    (account.headline.rivals.as_deref()).map(|r| cut_on_word(r, MAX_ADVICE))
}

/// `text` cut to at most `max` UTF-16 units, on a space in its second half when there is one,
/// ending in `…` when cut.
fn cut_on_word(text: &str, max: usize) -> String {
    let cut = truncate(text, max);
    let Some(head) = cut.strip_suffix('…').filter(|_| units(text) > max) else {
        return cut;
    };
    match head.rfind(' ') {
        Some(space) if space >= head.len() / 2 => format!("{}…", head[..space].trim_end()),
        _ => cut,
    }
}

/// Where the accounts a message leaves out can be read: the overview when there is one.
fn elsewhere(digest: &Digest) -> String {
    match &digest.overview {
        Some(_) => format!("see overview_{}.html in the reports folder", digest.date),
        None => "see their reports in the reports folder".to_string(),
    }
}

/// `…and 13 more accounts, 45,678 views in all: see overview_2026-11-22.html in the reports folder`.
pub(super) fn overflow(digest: &Digest, left_out: &[AccountDigest]) -> String {
    let n = left_out.len() as u64;
    format!(
        "…and {} more {}, {} views in all: {}",
        group_thousands(n),
        if n == 1 { "account" } else { "accounts" },
        group_thousands(total_views(left_out)),
        elsewhere(digest)
    )
}

/// `3 accounts · 1,234,567 views in all · 1 failed: @c · tiktok-review`: the message's last line.
pub(super) fn context(digest: &Digest) -> String {
    let mut parts = Vec::new();
    if digest.accounts.len() > 1 {
        parts.push(format!(
            "{} · {} views in all",
            plural(digest.accounts.len() as u64, "account"),
            group_thousands(total_views(&digest.accounts))
        ));
    }
    if !digest.failed.is_empty() {
        let mut named: Vec<String> = (digest.failed.iter())
            .take(MAX_FAILED_NAMED)
            .map(|f| format!("@{}", truncate(&f.handle, 30)))
            .collect();
        if digest.failed.len() > MAX_FAILED_NAMED {
            named.push(format!("{} more", digest.failed.len() - MAX_FAILED_NAMED));
        }
        let why = match &digest.overview {
            Some(_) => format!(" (see overview_{}.html in the reports folder)", digest.date),
            None => String::new(),
        };
        parts.push(format!(
            "{} failed: {}{why}",
            digest.failed.len(),
            named.join(", ")
        ));
    }
    parts.push(concat!("tiktok-review ", env!("CARGO_PKG_VERSION")).to_string());
    parts.join(" · ")
}

fn total_views(accounts: &[AccountDigest]) -> u64 {
    accounts
        .iter()
        .fold(0, |sum, a| sum.saturating_add(a.headline.views))
}

/// Each account's lines in a plain-text message: its numbers, its best post and its advice.
fn account_lines(account: &AccountDigest) -> Vec<String> {
    let mut lines = vec![format!("@{}: {}", account.handle, numbers(account))];
    if let Some((caption, url, views)) = caption(account) {
        lines.push(format!(
            "Best post: {caption} ({} views) {url}",
            group_thousands(views)
        ));
    }
    if let Some(rivals) = rivals(account) {
        lines.push(rivals);
    }
    if let Some(advice) = advice(account) {
        lines.push(format!("Next: {advice}"));
    }
    lines
}

/// A plain-text message of each account's numbers, for a mail without the Markdown reports:
/// the title, a paragraph per account, the context line and `footer`.
pub(super) fn text_list(digest: &Digest, footer: &str) -> String {
    let mut paragraphs = vec![title(digest)];
    paragraphs.extend((digest.accounts.iter()).map(|a| account_lines(a).join("\n")));
    paragraphs.push(context(digest));
    paragraphs.push(footer.to_string());
    paragraphs.retain(|p| !p.is_empty());
    paragraphs.join("\n\n") + "\n"
}

/// A minimal HTML page listing each account's numbers, best post and advice, for a
/// mail without the HTML reports or overview; `footer` closes it.
pub(super) fn html_list(digest: &Digest, footer: &str) -> String {
    let items: String = (digest.accounts.iter())
        .map(|a| {
            let mut item = format!(
                "<li><strong>@{}</strong>: {}",
                escape(a.handle.as_str()),
                escape(&numbers(a))
            );
            if let Some((caption, url, views)) = caption(a) {
                item += &format!(
                    "<br>Best post: <a href=\"{}\">{}</a> ({} views)",
                    escape(&url),
                    escape(&caption),
                    group_thousands(views)
                );
            }
            if let Some(rivals) = rivals(a) {
                item += &format!("<br>{}", escape(&rivals));
            }
            if let Some(advice) = advice(a) {
                item += &format!("<br>Next: {}", escape(&advice));
            }
            item + "</li>\n"
        })
        .collect();
    let footer = match footer {
        "" => String::new(),
        text => format!("<p>{}</p>\n", escape(text)),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body><h1>{title}</h1>\n<ul>\n{items}</ul>\n<p>{context}</p>\n{footer}</body></html>\n",
        title = escape(&title(digest)),
        context = escape(&context(digest)),
    )
}

/// `text` safe in HTML text and attribute values.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::deliver::FailedAccount;
    use crate::report::{BestPost, Headline};

    /// A digest of `n` accounts whose texts are as long and awkward as a report allows: 80-odd
    /// character captions full of markup and emoji, long advice, and links to their reports as
    /// long as a base URL may make them.
    pub(crate) fn digest(n: usize) -> Digest {
        let accounts = (0..n)
            .map(|i| AccountDigest {
                handle: format!("account_{i:04}_long.name_x").parse().unwrap(),
                json: format!("{{\"user\":\"account_{i}\"}}\n").into_bytes(),
                markdown: format!("# @account_{i}\n"),
                html: format!("<html>{i}</html>"),
                // As long as TIKTOK_REVIEW_REPORT_URL lets a link be.
                report_link: Some(format!(
                    "https://reports.example.com/{}/account_{i:04}_long.name_x/report_2026-11-22.html",
                    "a-long-folder-name".repeat(52)
                )),
                headline: Headline {
                    posts: 12,
                    views: 1_000_000_000 - i as u64,
                    views_change: Some(-123_456.0),
                    views_change_pct: Some(-12.34),
                    engagement_rate: Some(9.62),
                    engagement_rate_change: Some(0.32),
                    followers: Some(12_345_678),
                    followers_change: Some(774.0),
                    compared: true,
                    best_post: Some(BestPost {
                        url: format!(
                            "https://www.tiktok.com/@account_{i}/video/7710028748195207518"
                        ),
                        caption: "<b>&amp;</b> | [x](y) *bold* _it_ ~s~ `c` > q 🍞🍞🍞 ".repeat(40),
                        views: 137_051,
                    }),
                    advice: Some("Post at Thu 18:00–21:00 & <again> | [now] 🍞 ".repeat(60)),
                    rivals: None,
                },
            })
            .collect();
        Digest {
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            accounts,
            overview: None,
            failed: (0..7)
                .map(|i| FailedAccount {
                    handle: format!("failed_{i}"),
                    reason: "Scavio API unavailable".into(),
                })
                .collect(),
            reports_dir: "/srv/tiktok_reports".into(),
        }
    }

    #[test]
    fn numbers_read_with_arrows_and_say_a_first_report() {
        let mut d = digest(1);
        let a = &mut d.accounts[0];
        assert_eq!(
            numbers(a),
            "12 posts · 1,000,000,000 views ▼ 12.3% · engagement 9.6% ▲ 0.3 pts · 12,345,678 followers ▲ 774"
        );
        a.headline = Headline {
            posts: 1,
            views: 10,
            ..Headline::default()
        };
        assert_eq!(
            numbers(a),
            "1 post · 10 views · engagement n/a (first report)"
        );
        a.headline.views_change = Some(10.0);
        a.headline.compared = true;
        assert_eq!(numbers(a), "1 post · 10 views ▲ 10 · engagement n/a");
    }

    #[test]
    fn advice_is_one_sentence_cut_on_a_word() {
        let mut d = digest(1);
        let a = &mut d.accounts[0];
        let cut = advice(a).unwrap();
        assert!(units(&cut) <= MAX_ADVICE, "{cut}");
        let whole = a.headline.advice.as_deref().unwrap();
        let head = cut.strip_suffix('…').unwrap();
        assert!(whole.starts_with(head), "{cut}");
        assert!(whole[head.len()..].starts_with(' '), "cut on a word: {cut}");
        a.headline.advice = Some("x".repeat(300));
        assert_eq!(
            advice(a).unwrap(),
            format!("{}…", "x".repeat(MAX_ADVICE - 1))
        );
    }

    #[test]
    fn truncation_counts_utf16_units_and_marks_the_cut() {
        assert_eq!(truncate("short", 5), "short");
        assert_eq!(truncate("abcdef", 5), "abcd…");
        assert_eq!(truncate("🍞🍞🍞", 5), "🍞🍞…");
        assert!(units(&truncate(&"🍞".repeat(100), 7)) <= 7);
    }

    #[test]
    fn the_context_names_a_few_failed_accounts_and_where_to_look() {
        let line = context(&digest(3));
        assert!(
            line.starts_with("3 accounts · 2,999,999,997 views in all · 7 failed: @failed_0, @failed_1, @failed_2, @failed_3, @failed_4, 2 more · tiktok-review"),
            "{line}"
        );
        assert!(line.ends_with(concat!("tiktok-review ", env!("CARGO_PKG_VERSION"))));
    }
}
