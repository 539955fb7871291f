//! The demo's Scavio stand-in, built on the standard library and `serde_json` only (what the binary
//! already links), so that `cargo run --example demo` builds no test crate: a plain HTTP/1.1 server
//! on 127.0.0.1 that answers each of a week's requests with its sample answer, once, and says so
//! when the run asked for anything else or twice.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{Context, bail};
use serde_json::Value;

use crate::data::Week;

/// What a request asks for: the endpoint and the body fields that tell its answers apart.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Ask {
    /// `/api/v1/tiktok/profile` for `username`.
    Profile(String),
    /// `/api/v1/tiktok/user/posts` for `(sec_user_id, cursor)`.
    Posts(String, String),
}

/// The week being served and what was asked of it.
#[derive(Default)]
struct State {
    answers: HashMap<Ask, String>,
    asked: HashMap<Ask, usize>,
    unexpected: Vec<String>,
}

/// A running stand-in; it stops with the process.
pub struct StandIn {
    uri: String,
    state: Arc<Mutex<State>>,
}

impl StandIn {
    /// Starts the stand-in on a free port of 127.0.0.1, with nothing to answer yet.
    pub fn start() -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").context("starting the stand-in")?;
        let uri = format!("http://{}", listener.local_addr()?);
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&shared);
                std::thread::spawn(move || serve_connection(stream, &state));
            }
        });
        Ok(Self { uri, state })
    }

    /// The base URL, for `SCAVIO_BASE_URL`.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// Answers `week`'s requests from now on (and forgets what was asked before).
    pub fn serve(&self, handle: &str, week: &Week) -> anyhow::Result<()> {
        let sec_uid = week.sec_uid()?;
        let mut answers = HashMap::from([(Ask::Profile(handle.to_string()), week.profile.clone())]);
        for (cursor, page) in &week.pages {
            answers.insert(Ask::Posts(sec_uid.clone(), cursor.clone()), page.clone());
        }
        *self.lock() = State {
            answers,
            ..State::default()
        };
        Ok(())
    }

    /// How many requests the week's run sent; an error when it asked for anything but each of
    /// the week's answers exactly once.
    pub fn requests(&self) -> anyhow::Result<usize> {
        let state = self.lock();
        if let Some(first) = state.unexpected.first() {
            bail!("the run asked for {first}, which the sample week does not hold");
        }
        for ask in state.answers.keys() {
            match state.asked.get(ask).copied().unwrap_or(0) {
                1 => {}
                n => bail!("the run asked for {ask:?} {n} times, not once"),
            }
        }
        Ok(state.asked.values().sum())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Answers the requests of one connection (kept alive) until the client closes it.
fn serve_connection(stream: TcpStream, state: &Mutex<State>) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some((path, body)) = read_request(&mut reader) {
        let answer = answer(
            &path,
            &body,
            &mut state.lock().unwrap_or_else(PoisonError::into_inner),
        );
        let (status, body) = match answer {
            Some(body) => ("200 OK", body),
            None => (
                "404 Not Found",
                r#"{"error":"not in the sample week"}"#.to_string(),
            ),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(body.as_bytes()).is_err()
        {
            return;
        }
    }
}

/// The answer to a POST of `body` to `path`, counting the ask.
fn answer(path: &str, body: &[u8], state: &mut State) -> Option<String> {
    let asked: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let field = |name: &str| asked[name].as_str().unwrap_or_default().to_string();
    let ask = match path {
        "/api/v1/tiktok/profile" => Ask::Profile(field("username")),
        "/api/v1/tiktok/user/posts" => Ask::Posts(field("sec_user_id"), field("cursor")),
        other => {
            state.unexpected.push(other.to_string());
            return None;
        }
    };
    let Some(answer) = state.answers.get(&ask).cloned() else {
        state.unexpected.push(format!("{ask:?}"));
        return None;
    };
    *state.asked.entry(ask).or_default() += 1;
    Some(answer)
}

/// The path and body of the next request on the connection; `None` at its end or on a request
/// this stand-in does not read (the connection is then closed).
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<(String, Vec<u8>)> {
    let mut line = String::new();
    reader.read_line(&mut line).ok().filter(|&n| n > 0)?;
    let path = line.split_whitespace().nth(1)?.to_string();
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok().filter(|&n| n > 0)?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((path, body))
}
