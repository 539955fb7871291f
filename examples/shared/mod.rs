//! The bundled sample feed the examples serve: the fixture pages of `tests/fixtures/`, each with
//! the cursor that asks for it.

/// `(cursor, body)` of each `user/posts` page, newest first.
pub const PAGES: [(&str, &str); 4] = [
    ("0", include_str!("../../tests/fixtures/posts_page1.json")),
    (
        "1794335400000",
        include_str!("../../tests/fixtures/posts_page2.json"),
    ),
    (
        "1793831400000",
        include_str!("../../tests/fixtures/posts_page3.json"),
    ),
    (
        "1793440800000",
        include_str!("../../tests/fixtures/posts_page4.json"),
    ),
];

/// The profile answer as of the latest week.
pub const PROFILE: &str = include_str!("../../tests/fixtures/profile.json");

/// The profile answer as of the week before (the stand-in serves one profile for every week).
#[allow(dead_code)]
pub const PROFILE_WEEK_BEFORE: &str = include_str!("../../tests/fixtures/profile_2026-11-08.json");
