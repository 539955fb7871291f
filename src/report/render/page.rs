//! The page shell of the HTML outputs (the report and the overview) and their one stylesheet:
//! the rules both pages share are written once and each page adds its own, in the order each page
//! has always had them, so that both stay byte for byte what they were. Pure.

use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The rules every page opens with: colours, the body's font, `main` `$width` wide, `h1`.
macro_rules! opening {
    ($width:literal) => {
        concat!(
            ":root { color-scheme: light; --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --up: #15803d; --down: #b91c1c; }\n",
            "* { box-sizing: border-box; }\n",
            "body { margin: 0; font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--ink); background: #f9fafb; overflow-wrap: break-word; }\n",
            "main { max-width: ", $width, "; margin: 0 auto; padding: 16px; }\n",
            "h1 { font-size: 1.5rem; margin: 0.5rem 0; }\n",
        )
    };
}

/// The headline and the muted notes.
macro_rules! notes {
    () => {
        concat!(
            ".headline { font-size: 1.1rem; }\n",
            ".muted { color: var(--muted); font-size: 13px; }\n",
        )
    };
}

/// Cards and the tables in them.
macro_rules! tables {
    () => {
        concat!(
            ".card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; margin: 8px 0; }\n",
            ".scroll { overflow-x: auto; }\n",
            "table { border-collapse: collapse; width: 100%; font-size: 14px; }\n",
            "th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }\n",
            "th { white-space: normal; vertical-align: bottom; }\n",
            "th:first-child, td:first-child, .text { text-align: left; }\n",
            "td.text { white-space: normal; overflow-wrap: anywhere; min-width: 8rem; }\n",
        )
    };
}

/// Rises in green, falls in red.
macro_rules! changes {
    () => {
        ".up { color: var(--up); } .down { color: var(--down); }\n"
    };
}

/// Links, then the phone's rules for `main`, cards and tables (the `@media` block left open).
macro_rules! links_and_phone {
    () => {
        concat!(
            "a { color: #1d4ed8; }\n",
            "@media (max-width: 600px) {\n",
            "  main { padding: 12px 8px; } .card { padding: 8px; }\n",
            "  table { font-size: 13px; } th, td { padding: 4px 5px; }\n",
        )
    };
}

/// The counts a phone shows under a row's key column: hidden on a desktop.
macro_rules! counts_hidden {
    () => {
        ".counts { display: none; }\n"
    };
}

/// On a phone: the columns marked `more` hidden, the counts shown instead.
macro_rules! phone_counts {
    () => {
        concat!(
            "  .more { display: none; }\n",
            "  .counts { display: block; color: var(--muted); font-size: 12px; }\n",
        )
    };
}

/// The report's style: a phone first, a desktop from 600 px.
pub(crate) const REPORT_STYLE: &str = concat!(
    opening!("860px"),
    "h2 { font-size: 1.15rem; margin: 1.75rem 0 0.5rem; border-bottom: 1px solid var(--line); padding-bottom: 4px; }\n",
    "h3 { font-size: 0.95rem; margin: 0 0 0.25rem; }\n",
    notes!(),
    "svg text { fill: var(--ink); font-size: 12px; }\n",
    "svg .axis { fill: var(--muted); }\n",
    tables!(),
    changes!(),
    ".chart { width: 100%; height: auto; display: block; }\n",
    ".chart.posts { max-width: 480px; }\n",
    ".chart.heatmap { max-width: 400px; }\n",
    ".trends { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 8px; }\n",
    ".trends .card, .pair .card { margin: 0; }\n",
    ".pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 8px; align-items: start; margin: 8px 0; }\n",
    ".pair > div { display: grid; gap: 8px; }\n",
    ".tag { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; background: #fef3c7; }\n",
    "ul.recs { padding-left: 1.2rem; } ul.recs li { margin-bottom: 0.5rem; }\n",
    links_and_phone!(),
    "}\n",
    ".legend p { margin: 8px 0 4px; font-size: 13px; color: var(--muted); }\n",
    ".legend ul { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 2px 12px; font-size: 13px; }\n",
    ".legend li { display: flex; align-items: center; gap: 6px; }\n",
    ".swatch { display: inline-block; flex: none; width: 16px; height: 10px; border-radius: 2px; }\n",
    ".swatch.dot { width: 8px; height: 8px; border-radius: 50%; margin: 0 4px; }\n",
    ".swatch.none { background: #fff; border: 1px dashed var(--muted); }\n",
    counts_hidden!(),
    "/* On a phone each table keeps its key column in view: the counts behind a rate move under the\n",
    "   post, and the labels and changes wrap. */\n",
    "@media (max-width: 600px) {\n",
    phone_counts!(),
    "  table.metrics td:first-child, td.change { white-space: normal; }\n",
    "}\n",
);

/// The overview's style: the report's rules that it uses, a wider page, and its account column.
pub(crate) const OVERVIEW_STYLE: &str = concat!(
    "\n",
    opening!("1100px"),
    notes!(),
    tables!(),
    "td.account { text-align: left; }\n",
    counts_hidden!(),
    ".change { display: block; font-size: 12px; }\n",
    changes!(),
    links_and_phone!(),
    phone_counts!(),
    "  td.account { white-space: normal; overflow-wrap: anywhere; min-width: 7rem; }\n",
    "  td.text:not(.down) { min-width: 0; white-space: nowrap; }\n",
    "}\n",
);

/// A self-contained page: `title`, the inline `style`, and `body` in a `main`; a
/// Content-Security-Policy forbids scripts and any external request.
pub(crate) fn page(title: &str, style: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:";
                title { (title) }
                style { (PreEscaped(style)) }
            }
            body { main { (body) } }
        }
    }
    .into_string()
}
