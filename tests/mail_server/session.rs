//! The test SMTP server's side of a connection: a small server over TCP (and rustls over `ring`,
//! the provider the binary uses, after STARTTLS). It speaks what lettre sends: EHLO, STARTTLS and
//! EHLO again, AUTH PLAIN or LOGIN (offered over TLS only, accepting only [`USER`] with
//! [`PASSWORD`]), MAIL, RCPT, DATA, RSET, NOOP and QUIT.
//!
//! It is the project's own rather than a library's because the SMTP server crates' TLS brings
//! `aws-lc-rs` into every build of this workspace, the demo's included: Cargo unifies the
//! features of dev-dependencies for any `--example` build.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, mpsc};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::{PASSWORD, Pki, Received, USER};

/// How the server answers.
#[derive(Clone)]
pub struct Conduct {
    /// Offer STARTTLS with this configuration (and AUTH after it).
    pub tls: Option<Arc<ServerConfig>>,
    /// Answer every RCPT with this instead of accepting it.
    pub rcpt_reply: Option<(u16, &'static str)>,
}

/// The TLS configuration of a server with `pki`'s server certificate.
pub fn tls_config(pki: &Pki) -> Arc<ServerConfig> {
    let certs = CertificateDer::pem_file_iter(pki.path("server.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(pki.path("server.key")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    Arc::new(config)
}

/// Serves `listener` in a thread until the test process ends, each mail sent to `sent`.
pub fn serve(listener: TcpListener, conduct: Conduct, sent: mpsc::Sender<Received>) {
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (conduct, sent) = (conduct.clone(), sent.clone());
            std::thread::spawn(move || {
                let _ = session(stream, &conduct, &sent);
            });
        }
    });
}

/// What a run of commands ended with.
enum End {
    /// The client asked for STARTTLS, and was told to go ahead.
    StartTls,
    /// The client said QUIT.
    Quit,
}

/// One connection: in clear, then (after STARTTLS) over TLS.
fn session(stream: TcpStream, conduct: &Conduct, sent: &mpsc::Sender<Received>) -> io::Result<()> {
    let mut clear = BufReader::new(stream);
    clear.get_mut().write_all(b"220 mail.test ESMTP\r\n")?;
    let ehlo: &[u8] = match conduct.tls {
        Some(_) => b"250-mail.test\r\n250-STARTTLS\r\n250 8BITMIME\r\n",
        None => b"250-mail.test\r\n250 8BITMIME\r\n",
    };
    let (End::StartTls, Some(config)) = (commands(&mut clear, ehlo, conduct, sent)?, &conduct.tls)
    else {
        return Ok(());
    };
    let connection = rustls::ServerConnection::new(Arc::clone(config)).map_err(io::Error::other)?;
    let mut tls = BufReader::new(rustls::StreamOwned::new(connection, clear.into_inner()));
    let ehlo = b"250-mail.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n";
    let plain = Conduct {
        tls: None,
        ..conduct.clone()
    };
    commands(&mut tls, ehlo, &plain, sent).map(|_| ())
}

/// Answers commands until QUIT or STARTTLS (when `conduct` offers it); AUTH when `ehlo` offers it.
fn commands<S: Read + Write>(
    conn: &mut BufReader<S>,
    ehlo: &[u8],
    conduct: &Conduct,
    sent: &mpsc::Sender<Received>,
) -> io::Result<End> {
    let mut mail = Received::default();
    let auth = ehlo.windows(4).any(|w| w == b"AUTH");
    loop {
        let line = read_line(conn)?;
        let rcpt_reply;
        let reply: &[u8] = match verb(&line).as_str() {
            "EHLO" | "HELO" => ehlo,
            "STARTTLS" if conduct.tls.is_some() => {
                write(conn, b"220 2.0.0 Ready to start TLS\r\n")?;
                return Ok(End::StartTls);
            }
            "AUTH" if auth => match login(&line, conn)? {
                Some(user) => {
                    mail.login = Some(user);
                    b"235 2.7.0 Authentication successful\r\n"
                }
                None => b"535 Authentication credentials invalid\r\n",
            },
            "MAIL" => {
                mail.mail_from = address(&line);
                b"250 2.1.0 OK\r\n"
            }
            "RCPT" => match conduct.rcpt_reply {
                Some((code, text)) => {
                    rcpt_reply = format!("{code} {text}\r\n");
                    rcpt_reply.as_bytes()
                }
                None => {
                    mail.rcpt_to.push(address(&line));
                    b"250 2.1.5 OK\r\n"
                }
            },
            "DATA" => {
                write(conn, b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
                mail.data = data(conn)?;
                let login = mail.login.clone();
                let _ = sent.send(std::mem::take(&mut mail));
                mail.login = login;
                b"250 2.0.0 OK\r\n"
            }
            "RSET" | "NOOP" => b"250 2.0.0 OK\r\n",
            "QUIT" => {
                write(conn, b"221 2.0.0 Bye\r\n")?;
                return Ok(End::Quit);
            }
            _ => b"502 5.5.2 Command not recognized\r\n",
        };
        write(conn, reply)?;
    }
}

/// Writes `reply` at once.
fn write<S: Read + Write>(conn: &mut BufReader<S>, reply: &[u8]) -> io::Result<()> {
    conn.get_mut().write_all(reply)?;
    conn.get_mut().flush()
}

/// The user that `AUTH PLAIN` or `AUTH LOGIN` logged in, if the credentials are right.
fn login<S: Read + Write>(line: &str, conn: &mut BufReader<S>) -> io::Result<Option<String>> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let decode = |b64: &str| {
        String::from_utf8(STANDARD.decode(b64.trim()).unwrap_or_default()).unwrap_or_default()
    };
    let mut ask = |prompt: &[u8]| -> io::Result<String> {
        write(conn, prompt)?;
        Ok(decode(&read_line(conn)?))
    };
    let (user, password) = match words.get(1).map(|m| m.to_ascii_uppercase()).as_deref() {
        Some("PLAIN") => {
            let response = match words.get(2) {
                Some(initial) => decode(initial),
                None => ask(b"334 \r\n")?,
            };
            let mut parts = response.split('\0').skip(1);
            let user = parts.next().unwrap_or_default().to_string();
            (user, parts.next().unwrap_or_default().to_string())
        }
        Some("LOGIN") => {
            let user = ask(b"334 VXNlcm5hbWU6\r\n")?;
            (user, ask(b"334 UGFzc3dvcmQ6\r\n")?)
        }
        _ => return Ok(None),
    };
    Ok((user == USER && password == PASSWORD).then_some(user))
}

/// The message after DATA, up to the line with a lone dot, dots unstuffed, CRLF kept.
fn data<R: BufRead>(conn: &mut R) -> io::Result<Vec<u8>> {
    let mut message = Vec::new();
    loop {
        let mut line = Vec::new();
        if conn.read_until(b'\n', &mut line)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" {
            return Ok(message);
        }
        message.extend_from_slice(line.strip_prefix(b".").unwrap_or(&line));
    }
}

/// One command line, without its line end; an error at the end of the connection.
fn read_line<R: BufRead>(conn: &mut R) -> io::Result<String> {
    let mut line = String::new();
    if conn.read_line(&mut line)? == 0 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(line.trim_end().to_string())
}

/// The command's verb, upper case.
fn verb(line: &str) -> String {
    let word = line.split_whitespace().next().unwrap_or_default();
    word.to_ascii_uppercase()
}

/// The address between `<` and `>` of a MAIL or RCPT line.
fn address(line: &str) -> String {
    let inner = line
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'));
    inner
        .map(|(address, _)| address.to_string())
        .unwrap_or_default()
}
