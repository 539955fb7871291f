//! Reading the mail settings: the SMTP URL (scheme, security, login, port, EHLO name) and the
//! sender and recipient addresses, refusing what cannot be used without ever echoing a password.

use std::net::IpAddr;
use std::str::FromStr;

use lettre::message::Mailbox;
use reqwest::Url;

use super::{Login, MAIL_TO, Security, Server};

/// The server and login of an SMTP URL; the error never shows the user or the password.
pub(super) fn parse_url(smtp_url: &str) -> Result<(Server, Option<Login>), String> {
    const WHAT: &str = super::SMTP_URL;
    const FORMS: &str = "smtps://user:pass@host or smtp://user:pass@host:587?tls=required, \
                         with @ : / ? # % in the user or password written as %40 %3A %2F %3F %23 %25";
    let bad = |why: &str| format!("{WHAT} is not a usable SMTP URL: {why}; write it as {FORMS}");
    let url = Url::parse(smtp_url.trim()).map_err(|e| bad(&e.to_string()))?;
    let tls = single_query_value(&url).map_err(|why| bad(&why))?;
    let security = match (url.scheme(), tls.as_deref()) {
        ("smtps", None) => Security::Tls,
        ("smtps", Some(_)) => {
            return Err(bad(
                "smtps:// is TLS from the start and takes no tls= (that is for smtp://)",
            ));
        }
        ("smtp", None) => Security::Plain,
        ("smtp", Some("required")) => Security::StartTls,
        ("smtp", Some("opportunistic")) => Security::Opportunistic,
        ("smtp", Some(other)) => {
            return Err(bad(&format!(
                "tls={} is unknown (tls=required or tls=opportunistic)",
                crate::text::clean(other)
            )));
        }
        (scheme, _) => {
            return Err(bad(&format!(
                "the scheme is {}:// (smtps:// or smtp://)",
                crate::text::clean(scheme)
            )));
        }
    };
    let host = match url.host_str() {
        Some(host) if !host.is_empty() => host.trim_start_matches('[').trim_end_matches(']'),
        _ => return Err(bad("it names no host")),
    };
    if url.fragment().is_some() {
        return Err(bad("it has a #fragment"));
    }
    let hello = match url.path().trim_matches('/') {
        "" => None,
        name if name.contains('/') => return Err(bad("its path is more than an EHLO name")),
        name => Some(name.to_string()),
    };
    let default_port = match security {
        Security::Tls => 465,
        Security::StartTls | Security::Opportunistic => 587,
        Security::Plain => 25,
    };
    let server = Server {
        host: host.to_string(),
        port: url.port().unwrap_or(default_port),
        security,
        hello,
    };
    let login = match (url.username(), url.password()) {
        ("", None) => None,
        ("", Some(_)) => return Err(bad("it has a password but no user")),
        (_, None) => return Err(bad("it has a user but no password")),
        (user, Some(password)) => {
            let decode = |text: &str| {
                percent_encoding::percent_decode_str(text)
                    .decode_utf8()
                    .map(|t| t.into_owned())
                    .map_err(|_| bad("its user or password is not percent-encoded UTF-8"))
            };
            Some(Login {
                user: decode(user)?,
                password: decode(password)?,
            })
        }
    };
    let encrypted = matches!(server.security, Security::Tls | Security::StartTls);
    if login.is_some() && !encrypted && !is_loopback(&server.host) {
        return Err(format!(
            "{WHAT} would send the password to {server} unencrypted; use smtps:// (port 465) or \
             smtp://…:587?tls=required"
        ));
    }
    Ok((server, login))
}

/// The value of the URL's one query parameter, `tls`, if it has one; any other parameter is an
/// error (a misspelt `tls` must not silently mean "unencrypted").
fn single_query_value(url: &Url) -> Result<Option<String>, String> {
    let mut tls = None;
    for (key, value) in url.query_pairs() {
        if key != "tls" {
            return Err(format!(
                "its query parameter {} is unknown (only tls=)",
                crate::text::clean(&key)
            ));
        }
        if tls.replace(value.into_owned()).is_some() {
            return Err("it has tls= twice".into());
        }
    }
    Ok(tls)
}

/// Whether `host` is this machine, where an unencrypted login cannot be overheard.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

/// The recipients of a comma-separated list: at least one, each a mail address.
pub(super) fn parse_recipients(list: &str) -> Result<Vec<Mailbox>, String> {
    let mut to = Vec::new();
    for item in split_list(list) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let mailbox = parse_mailbox(item).ok_or_else(|| {
            format!(
                "{MAIL_TO} has \"{}\", which is not a mail address; write the \
                 recipients as a@example.com, Name <b@example.com>",
                crate::text::clean(item)
            )
        })?;
        to.push(mailbox);
    }
    if to.is_empty() {
        return Err(format!(
            "{MAIL_TO} names no recipient; write the recipients as \
                    a@example.com, Name <b@example.com>"
        ));
    }
    Ok(to)
}

/// `list` split at the commas that are outside quotes and angle brackets.
fn split_list(list: &str) -> Vec<&str> {
    let (mut items, mut start) = (Vec::new(), 0);
    let (mut quoted, mut angled, mut escaped) = (false, false, false);
    for (at, c) in list.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' if !quoted => angled = true,
            '>' if !quoted => angled = false,
            ',' if !quoted && !angled => {
                items.push(&list[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(&list[start..]);
    items
}

/// One mailbox, `a@example.com` or `Name <a@example.com>`, all of `text` and nothing else (the
/// parser of `lettre` stops quietly at what it cannot read).
pub(super) fn parse_mailbox(text: &str) -> Option<Mailbox> {
    let mailbox = Mailbox::from_str(text).ok()?;
    let address: &str = mailbox.email.as_ref();
    let whole = if text.contains('<') {
        text.ends_with(&format!("<{address}>"))
    } else {
        text == address
    };
    whole.then_some(mailbox)
}
