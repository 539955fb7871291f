//! The bundled fixture feed the benchmark stand-in (`standin.rs`) serves: the pages of
//! `tests/fixtures/`, each with the cursor that asks for it. (The demo has its own sample data:
//! `demo/data/`.)

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
