//! The **Competitors** section in Markdown, from the lines the HTML draws too (see
//! `render/rivals.rs`). Pure.

use std::fmt::Write;

use super::escape;
use crate::report::Report;
use crate::report::competitors::Status;
use crate::report::render::rivals::{INTRO, lines, standing, what_worked};
use crate::report::render::{post_link, short_caption, timezone};
use crate::text::clean;

/// Appends the section's Markdown to `out`; nothing without competitors.
pub(super) fn section(out: &mut String, report: &Report) {
    if report.competitors.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n## Competitors\n\n{INTRO}\n\n| account | posts | views | median views | engagement | followers | views change |\n|---|--:|--:|--:|--:|--:|--:|"
    );
    for line in lines(report) {
        let who = match line.you {
            true => format!("**@{} (you)**", escape(&line.handle)),
            false => format!("@{}", escape(&line.handle)),
        };
        match &line.cells {
            Ok(c) => {
                let _ = writeln!(out, "| {who} | {} |", c.join(" | "));
            }
            Err(_) => {
                let _ = writeln!(out, "| {who} | failed | | | | | |");
            }
        }
    }
    out.push('\n');
    for c in &report.competitors {
        let _ = writeln!(out, "- {}", escape(&standing(report, c)));
    }
    let tz = timezone(report);
    for c in report.competitors.iter().filter(|c| c.status == Status::Ok) {
        let handle = escape(&clean(&c.handle));
        let _ = write!(out, "\n**What worked for @{handle} this week:** ");
        match &c.top_post {
            Some(post) => {
                let caption = escape(&short_caption(&post.caption, 80));
                let caption = match post_link(&post.url, &c.handle) {
                    Some(link) => format!("[{caption}]({link})"),
                    None => caption,
                };
                let _ = writeln!(
                    out,
                    "its most viewed post, {caption}, drew {}",
                    escape(&what_worked(post, tz))
                );
            }
            None => {
                let _ = writeln!(out, "no post with views.");
            }
        }
    }
}
