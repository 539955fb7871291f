//! The Scavio TikTok API client: requests, retries, error classification and paging.
//!
//! Wire shapes stay in `wire`, `record` and `lenient`; callers get domain [`Post`]s and an
//! [`Account`]. Every request costs the user a credit, so paging stops at the first page that
//! proves the window complete, and a feed that repeats itself stops at once. An answer that cannot
//! be understood is an error (exit 65), never an empty week. The API key travels only in the
//! `Authorization` header, never in a URL or a message; redirects are never followed.

mod http;
mod key;
mod lenient;
mod links;
mod page;
mod record;
mod slot;
mod wire;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use serde_json::json;
use tokio::sync::Semaphore;

pub(crate) use key::{ApiConfig, ApiKey, DEFAULT_BASE_URL};

use crate::error::{Failure, Kind};
use crate::handle::Handle;
use crate::model::{Account, ApiUsage, Leg, Post, Window};
use crate::stop::Stop;
use http::bad_response;
use wire::Data;

/// The most pages one account's fetch reads before giving up on a feed that never ends.
pub(crate) const MAX_PAGES: u32 = 50;
/// The largest response body accepted.
pub(crate) const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Posts asked for per page (the API returns about 10 whatever is asked).
const PAGE_SIZE: u32 = 30;
/// The profile endpoint, relative to the base URL (which may carry a path prefix).
const PROFILE_PATH: &str = "api/v1/tiktok/profile";
/// The posts endpoint, relative to the base URL.
const POSTS_PATH: &str = "api/v1/tiktok/user/posts";

/// What the profile endpoint says about an account.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Profile {
    /// The id that `user/posts` needs.
    pub(crate) sec_uid: String,
    /// Follower counts and totals.
    pub(crate) account: Account,
    /// The account is private (`secret` or `private_account`): its posts cannot be read.
    pub(crate) private: bool,
    /// Notes on profile figures that could not be read (left out, never read as 0).
    pub(crate) notes: Vec<String>,
}

/// Something wrong with one post's record, for the report's `data_quality`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PostNote {
    /// The post it is about.
    pub(crate) post_id: String,
    /// One sentence naming the post and the field.
    pub(crate) note: String,
}

impl PostNote {
    fn new(post_id: &str, note: String) -> Self {
        Self {
            post_id: post_id.to_string(),
            note,
        }
    }
}

/// The posts a fetch read, and what it could not read.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Feed {
    /// Each post once, in feed order.
    pub(crate) posts: Vec<Post>,
    /// Notes on posts whose fields could not all be read.
    pub(crate) notes: Vec<PostNote>,
    /// Records that were not posts (no numeric `aweme_id` or usable `create_time`).
    pub(crate) unreadable_records: usize,
    /// The feed holds posts of another account (named here): paging stopped at that page.
    pub(crate) foreign_author: Option<String>,
}

/// What all accounts of one run share: the HTTP connection pool, the limit on requests in flight
/// (the plan's concurrency), the retry budget and the run's stop.
#[derive(Clone)]
pub(crate) struct Scavio {
    http: reqwest::Client,
    config: ApiConfig,
    in_flight: Arc<Semaphore>,
    waited_ms: Arc<AtomicU64>,
    save_raw: Option<(PathBuf, String)>,
    stop: Stop,
}

impl Scavio {
    /// A shared client for `config` allowing `concurrency` requests in flight at any moment;
    /// Every request is logged (`debug`, see [`crate::logging`]), never with a header.
    pub(crate) fn new(config: &ApiConfig, concurrency: usize) -> anyhow::Result<Self> {
        crate::tls::install_provider();
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("tiktok-review/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .connect_timeout(config.timeout);
        if config.base_url.scheme() == "http" {
            // Plain HTTP (a local stand-in): no TLS will happen, so skip loading the system's
            // trust roots (about 5 ms); any https URL would then fail verification, never pass it.
            builder = builder.tls_certs_only([]);
        }
        let http = builder.build().context("setting up the HTTP client")?;
        Ok(Self {
            http,
            config: config.clone(),
            in_flight: Arc::new(Semaphore::new(concurrency.max(1))),
            waited_ms: Arc::new(AtomicU64::new(0)),
            save_raw: None,
            stop: Stop::default(),
        })
    }

    /// Sends no request once `stop` has stopped the run: the request fails as [`NotRun`].
    ///
    /// [`NotRun`]: crate::stop::NotRun
    pub(crate) fn stop_on(mut self, stop: Stop) -> Self {
        self.stop = stop;
        self
    }

    /// Also writes every answer body (never a header; the key redacted) to a file in `dir`, named
    /// with the run's `stamp` so that runs saved into one folder never mix.
    pub(crate) fn save_raw(mut self, dir: Option<PathBuf>, stamp: String) -> Self {
        self.save_raw = dir.map(|dir| (dir, stamp));
        self
    }

    /// A client for one account, counting that account's requests and credits.
    pub(crate) fn client(&self, handle: &Handle) -> Client {
        Client {
            shared: self.clone(),
            handle: handle.clone(),
            usage: ApiUsage::default(),
            retry_log: Vec::new(),
        }
    }

    /// The time the run's requests have waited between attempts so far: what the retry budget
    /// counts.
    fn waited(&self) -> Duration {
        Duration::from_millis(self.waited_ms.load(Ordering::Relaxed))
    }

    /// Counts `wait` against the run's retry budget, saturating.
    fn add_waited(&self, wait: Duration) {
        let millis = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        let add = |waited: u64| Some(waited.saturating_add(millis));
        // The closure always gives a value: the update cannot fail.
        let _ = (self.waited_ms).fetch_update(Ordering::Relaxed, Ordering::Relaxed, add);
    }
}

/// The Scavio client of one account.
pub(crate) struct Client {
    shared: Scavio,
    handle: Handle,
    usage: ApiUsage,
    retry_log: Vec<crate::retry::Noted>,
}

impl Client {
    /// The account this client fetches.
    pub(crate) fn handle(&self) -> &Handle {
        &self.handle
    }

    /// What this account's requests so far have cost.
    pub(crate) fn usage(&self) -> ApiUsage {
        self.usage
    }

    /// The retries so far that were not printed (the request log was off), one line each.
    pub(crate) fn retry_log(&self) -> &[crate::retry::Noted] {
        &self.retry_log
    }

    /// The account's profile: its `sec_uid` and follower counts. A private account is refused
    /// here (exit 67), before any page is paid for.
    pub(crate) async fn profile(&mut self) -> anyhow::Result<Profile> {
        let handle = self.handle.clone();
        let what = format!("the profile of @{handle}");
        let body = json!({ "username": handle.as_str() });
        let profile = self
            .call(PROFILE_PATH, body, &what, |d| wire::profile(d, &handle))
            .await?
            .ok_or_else(|| {
                Failure::new(
                    Kind::UserNotFound,
                    format!("TikTok user @{handle} does not exist (Scavio returned no profile); check the handle"),
                )
            })?;
        if self.redact(&profile.sec_uid) != profile.sec_uid {
            // Cached in a file later: an id that holds the key would write the key to disk.
            return Err(bad_response(format!(
                "Scavio's profile of @{handle} holds the API key in its sec_uid; no report written"
            )));
        }
        if profile.private {
            return Err(Failure::new(
                Kind::UserNotFound,
                format!("TikTok account @{handle} is private: its posts cannot be read; nothing to review"),
            )
            .into());
        }
        Ok(profile)
    }

    /// The posts (with `sec_uid`) back to `window.start`: pages the feed until the last record of a
    /// page is a non-pinned post older than the window, or the end of the feed. Each id once, in
    /// feed order. `videos` is the profile's post count, when known: a first page without posts
    /// from an account that has some is an error, not an empty week.
    pub(crate) async fn posts(
        &mut self,
        sec_uid: &str,
        window: &Window,
        videos: Option<u64>,
    ) -> anyhow::Result<Feed> {
        let handle = self.handle.clone();
        let key = self.shared.config.key.clone();
        let mut cursor = "0".to_string();
        let mut cursors = HashSet::new();
        let mut ids = HashSet::new();
        let mut feed = Feed::default();
        for page_number in 1..=MAX_PAGES {
            let what = format!("page {page_number} of @{handle}'s posts");
            if !cursors.insert(cursor.clone()) {
                return Err(self.feed_error(format!(
                    "@{handle}'s feed repeats itself: {what} would send cursor {cursor} again"
                )));
            }
            let body = json!({ "sec_user_id": sec_uid, "cursor": cursor, "count": PAGE_SIZE, "sort_type": "0" });
            let page = self
                .call(POSTS_PATH, body, &what, |d| page::page(d, &handle, &key))
                .await?;
            if page_number == 1 && page.records == 0 && videos.is_some_and(|n| n > 0) {
                return Err(self.feed_error(format!(
                    "the profile of @{handle} counts {} posts but the first page of its feed has none; the account may have turned private, or Scavio's answer changed",
                    videos.unwrap_or_default()
                )));
            }
            if let Some(leg) = page.leg {
                self.usage.leg = Some(Leg::joined(self.usage.leg, leg));
            }
            if page.foreign_author.is_some() {
                feed.foreign_author = page.foreign_author;
                return Ok(feed);
            }
            let complete = page
                .posts
                .last()
                .is_some_and(|p| !p.pinned && p.posted_at < window.start);
            // A page that does not say whether more follow ends the feed only when nothing on it
            // could still be inside the week.
            let has_more = match page.has_more {
                Some(more) => more,
                None if complete || page.records == 0 => false,
                None => {
                    return Err(self.feed_error(format!(
                        "{what} does not say whether more pages follow (no `has_more`) while its last post is still inside the week"
                    )));
                }
            };
            let mut new = 0;
            for post in page.posts {
                if ids.insert(post.id.clone()) {
                    new += 1;
                    feed.posts.push(post);
                }
            }
            feed.notes.extend(page.notes);
            feed.unreadable_records += page.unreadable;
            if complete || !has_more {
                return Ok(feed);
            }
            if new == 0 {
                return Err(self.feed_error(format!(
                    "{what} brought no new post although more pages were announced"
                )));
            }
            cursor = page.max_cursor.ok_or_else(|| {
                self.feed_error(format!(
                    "{what}: more pages were announced without a `{}`",
                    match page.leg {
                        Some(Leg::Web) => "cursor",
                        _ => "max_cursor",
                    }
                ))
            })?;
        }
        Err(self.feed_error(format!(
            "@{handle}'s feed still announced more posts after {MAX_PAGES} pages"
        )))
    }

    /// A feed that cannot be paged further: exit 65, saying what it cost so far.
    fn feed_error(&self, problem: String) -> anyhow::Error {
        let n = self.usage.requests;
        bad_response(format!(
            "{problem}; stopped after {n} request{} ({} credit{} used)",
            if n == 1 { "" } else { "s" },
            self.usage.credits_used,
            if self.usage.credits_used == 1 {
                ""
            } else {
                "s"
            },
        ))
    }
}

/// Where to see what the API sent, for an error line: the `--save-raw` folder, or how to keep it.
pub(crate) fn raw_hint(save_raw: Option<&std::path::Path>) -> String {
    match save_raw {
        Some(dir) => format!("its raw answers are in {}", dir.display()),
        None => "run again with --save-raw DIR to keep what it sent".into(),
    }
}

/// The posts of one `user/posts` answer body, as the client reads them (for tools and benchmarks);
/// `Err` says why the body cannot be understood.
pub fn parse_posts_answer(body: &[u8], handle: &Handle) -> Result<Vec<Post>, String> {
    match wire::answer::<page::PostsData>(body)?.data {
        Data::Object(data) => Ok(page::page(&data, handle, &ApiKey::new(""))?.posts),
        Data::Missing => Err("it has no `data` object".into()),
        Data::NotObject => Err("its `data` is not an object".into()),
    }
}
