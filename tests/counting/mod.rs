//! A Scavio stand-in on a local port that counts the requests in flight as a server sees them: a
//! request counts from the moment its body has arrived until the stand-in is done with it, however
//! long before that the client gave up. How long it holds each request is the test's choice: for
//! a time (its answer then goes out, if the client still listens), or until the client closes the
//! connection. It serves the fixture feed of any account under the `sec_uid` `sec-<username>`.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::common::*;

/// How long the stand-in holds one request.
#[derive(Debug, Clone, Copy)]
pub enum Hold {
    /// Works on it this long, then answers.
    For(Duration),
    /// Never answers: done with it once the client closes the connection.
    UntilClosed,
}

/// What the stand-in saw.
#[derive(Default)]
pub struct Seen {
    /// Requests received and not yet done with.
    pub in_flight: AtomicUsize,
    /// The most requests in flight at once.
    pub most: AtomicUsize,
    /// Each request, as `profile <user>` or `page <n> of <user>` (or `unexpected …`).
    pub requests: Mutex<Vec<String>>,
}

impl Seen {
    /// The requests so far, sorted.
    pub fn sorted(&self) -> Vec<String> {
        let mut requests = self.requests.lock().unwrap().clone();
        requests.sort();
        requests
    }

    /// How many requests so far have been for `label`.
    pub fn count(&self, label: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| *r == label)
            .count()
    }
}

/// The rule for how long to hold a request: its label and how many of that label came before.
type Rule = dyn Fn(&str, usize) -> Hold + Send + Sync;

/// Starts the stand-in with the rule `hold`; returns its base URL and what it sees.
pub async fn start(
    hold: impl Fn(&str, usize) -> Hold + Send + Sync + 'static,
) -> (String, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Seen::default());
    let shared = Arc::clone(&seen);
    let hold: Arc<Rule> = Arc::new(hold);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(answer_connection(
                stream,
                Arc::clone(&shared),
                Arc::clone(&hold),
            ));
        }
    });
    (address, seen)
}

/// The fixture profile as `username`'s, with the `sec_uid` `sec-<username>`.
pub fn profile_of(username: &str) -> Value {
    let mut profile = fixture("profile.json");
    profile["data"]["user"]["sec_uid"] = json!(format!("sec-{username}"));
    profile["data"]["user"]["unique_id"] = json!(username);
    profile
}

/// The requests one account's review costs: its profile and feed pages 1 and 2.
pub fn account_requests(username: &str) -> [String; 3] {
    [
        format!("page 1 of {username}"),
        format!("page 2 of {username}"),
        format!("profile {username}"),
    ]
}

/// Answers the HTTP/1.1 requests of one kept-alive connection, one after another.
async fn answer_connection(mut stream: TcpStream, seen: Arc<Seen>, hold: Arc<Rule>) {
    let mut buffer = Vec::new();
    loop {
        let head_end = loop {
            if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            if !read_more(&mut stream, &mut buffer).await {
                return;
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let length: usize = head
            .lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, value)| value.trim().parse().ok())
            .unwrap_or(0);
        while buffer.len() < head_end + length {
            if !read_more(&mut stream, &mut buffer).await {
                return;
            }
        }
        let body: Value =
            serde_json::from_slice(&buffer[head_end..head_end + length]).unwrap_or(Value::Null);
        buffer.drain(..head_end + length);
        let path = head
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_owned();

        let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        seen.most.fetch_max(now, Ordering::SeqCst);
        let (label, answer) = answer(&path, &body);
        let earlier = {
            let mut requests = seen.requests.lock().unwrap();
            let earlier = requests.iter().filter(|r| **r == label).count();
            requests.push(label.clone());
            earlier
        };
        match hold(&label, earlier) {
            Hold::For(time) => tokio::time::sleep(time).await,
            Hold::UntilClosed => {
                while read_more(&mut stream, &mut buffer).await {}
                seen.in_flight.fetch_sub(1, Ordering::SeqCst);
                return;
            }
        }
        // Uncounted before the answer leaves: the client's next request cannot arrive before this.
        seen.in_flight.fetch_sub(1, Ordering::SeqCst);
        let (status, body) = match answer {
            Some(answer) => ("200 OK", answer.to_string()),
            None => ("404 Not Found", "{}".to_owned()),
        };
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Reads what has arrived onto `buffer`; false once the connection is closed.
async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> bool {
    let mut chunk = [0; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

/// The stand-in's answer to a request for `path` with `body`, and how the request is recorded.
fn answer(path: &str, body: &Value) -> (String, Option<Value>) {
    if path == PROFILE_PATH
        && let Some(user) = body["username"].as_str()
    {
        return (format!("profile {user}"), Some(profile_of(user)));
    }
    if path == POSTS_PATH {
        let user = body["sec_user_id"]
            .as_str()
            .and_then(|s| s.strip_prefix("sec-"));
        let page = CURSORS.iter().position(|c| body["cursor"] == *c);
        if let (Some(user), Some(i)) = (user, page) {
            return (
                format!("page {} of {user}", i + 1),
                Some(page_of(i + 1, user)),
            );
        }
    }
    (format!("unexpected {path} {body}"), None)
}
