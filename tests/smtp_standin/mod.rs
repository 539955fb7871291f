//! An SMTP server written by hand on 127.0.0.1 that misbehaves on purpose, as real servers and
//! attackers do: it greylists (451), drops or resets the connection once the message is in, answers
//! garbage or nothing at all, and refuses a login by echoing the `AUTH` it received. It counts what
//! it got (connections, logins, whole messages, accepted messages), so that a test proves how many
//! copies went out without timing anything.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// What the stand-in does after the message's final dot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterData {
    /// Answers this reply (`250 …` accepts, `451 …` greylists).
    Reply(&'static str),
    /// Closes the connection without a word.
    Close,
    /// Resets the connection (TCP RST).
    Reset,
    /// Answers a line that is not SMTP.
    Garbage,
    /// Says nothing and keeps the connection open.
    Silent,
}

/// The login the stand-in offers; it refuses any with `535`, echoing what it received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// `AUTH PLAIN`: the base64 of `\0user\0password` in the command.
    Plain,
    /// `AUTH LOGIN`: the base64 of the user, then of the password, each after a challenge.
    Login,
}

/// How the stand-in behaves on one connection.
#[derive(Debug, Clone, Copy)]
pub struct Conduct {
    /// Offer this login and refuse it with an echo.
    pub login: Option<Login>,
    /// The reply to each `RCPT TO`.
    pub rcpt: &'static str,
    /// What follows the message.
    pub after_data: AfterData,
}

impl Default for Conduct {
    fn default() -> Self {
        Self {
            login: None,
            rcpt: "250 2.1.5 OK",
            after_data: AfterData::Reply("250 2.0.0 queued as 1"),
        }
    }
}

/// What the stand-in received, over all connections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    /// Connections accepted.
    pub connections: usize,
    /// Logins tried (`AUTH` commands).
    pub logins: usize,
    /// Messages received whole (up to the final dot), whatever the answer.
    pub messages: usize,
    /// Messages answered with a 250.
    pub accepted: usize,
}

/// A stand-in serving connections one after the other on its own thread; connection `i` gets
/// `script(i)`.
pub struct Standin {
    pub port: u16,
    log: Arc<Mutex<Log>>,
}

impl Standin {
    pub fn start(script: impl Fn(usize) -> Conduct + Send + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Log::default()));
        let shared = Arc::clone(&log);
        // The thread runs until the test process ends.
        std::thread::spawn(move || {
            for i in 0.. {
                let kept = serve_one(&listener, script(i), &shared);
                // A silent stand-in keeps its connection open until the client gives up.
                if let Some(stream) = kept {
                    std::thread::spawn(move || drain(stream));
                }
            }
        });
        Self { port, log }
    }

    /// What it received so far.
    pub fn log(&self) -> Log {
        self.log.lock().unwrap().clone()
    }

    /// `smtp://[login@]127.0.0.1:<port>`.
    pub fn url(&self, login: &str) -> String {
        format!("smtp://{login}127.0.0.1:{}", self.port)
    }
}

/// Accepts one connection on `listener` and speaks SMTP on it as `conduct` says, counting in `log`;
/// returns the connection when it is to be kept open ([`AfterData::Silent`]).
pub fn serve_one(listener: &TcpListener, conduct: Conduct, log: &Mutex<Log>) -> Option<TcpStream> {
    let (stream, _) = listener.accept().unwrap();
    log.lock().unwrap().connections += 1;
    let mut out = stream.try_clone().unwrap();
    let mut lines = BufReader::new(stream.try_clone().unwrap());
    let mut say = |line: &str| out.write_all(format!("{line}\r\n").as_bytes()).is_ok();
    say("220 standin.test ESMTP");
    loop {
        let line = read_line(&mut lines)?;
        let verb = line.get(..4).unwrap_or(&line).to_ascii_uppercase();
        let reply = match verb.as_str() {
            "EHLO" => match conduct.login {
                Some(Login::Plain) => "250-standin.test\r\n250-8BITMIME\r\n250 AUTH PLAIN".into(),
                Some(Login::Login) => "250-standin.test\r\n250-8BITMIME\r\n250 AUTH LOGIN".into(),
                None => "250-standin.test\r\n250-8BITMIME\r\n250 SMTPUTF8".into(),
            },
            "AUTH" => {
                log.lock().unwrap().logins += 1;
                refuse_login(&line, &mut lines, &mut say)
            }
            "MAIL" | "RSET" | "NOOP" => "250 2.0.0 OK".into(),
            "RCPT" => conduct.rcpt.into(),
            "QUIT" => {
                say("221 2.0.0 bye");
                return None;
            }
            "DATA" => {
                say("354 go ahead");
                while read_line(&mut lines).is_some_and(|l| l != ".") {}
                log.lock().unwrap().messages += 1;
                match conduct.after_data {
                    AfterData::Reply(reply) => {
                        if reply.starts_with("250") {
                            log.lock().unwrap().accepted += 1;
                        }
                        reply.into()
                    }
                    AfterData::Close => return None,
                    AfterData::Reset => {
                        reset(&stream);
                        return None;
                    }
                    AfterData::Garbage => "HTTP/1.1 400 Bad Request".into(),
                    AfterData::Silent => return Some(stream),
                }
            }
            _ => "502 5.5.2 unknown command".into(),
        };
        if !say(&reply) {
            return None;
        }
    }
}

/// The `535` of a refused login, echoing every form of what the client sent: the base64 as
/// received, without its padding, cut short, and decoded.
fn refuse_login(
    command: &str,
    lines: &mut impl BufRead,
    say: &mut impl FnMut(&str) -> bool,
) -> String {
    let mut received: Vec<String> = Vec::new();
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.get(2) {
        Some(initial) => received.push(initial.to_string()),
        None => {
            for challenge in ["VXNlcm5hbWU6", "UGFzc3dvcmQ6"] {
                if !say(&format!("334 {challenge}")) {
                    return String::new();
                }
                received.extend(read_line(lines));
            }
        }
    }
    let echoes: Vec<String> = (received.iter())
        .flat_map(|b64| {
            let decoded = STANDARD.decode(b64.trim()).unwrap_or_default();
            let decoded = String::from_utf8_lossy(&decoded).replace('\0', " ");
            let cut: String = b64.chars().take(b64.len() * 2 / 3).collect();
            [
                b64.clone(),
                b64.trim_end_matches('=').to_string(),
                cut,
                decoded,
            ]
        })
        .collect();
    format!("535 5.7.8 authentication failed for {}", echoes.join(" "))
}

/// One line without its CRLF; `None` at the end of the connection.
fn read_line(lines: &mut impl BufRead) -> Option<String> {
    let mut line = String::new();
    match lines.read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_string()),
    }
}

/// Reads and forgets until the client closes the connection.
fn drain(stream: TcpStream) {
    let mut lines = BufReader::new(stream);
    while read_line(&mut lines).is_some() {}
}

/// Closes `stream` with a reset (RST) rather than an orderly close (FIN).
fn reset(stream: &TcpStream) {
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket and a `linger` of the size passed.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}
