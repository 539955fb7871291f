//! A real SMTP server for the mail tests, started by each test on 127.0.0.1 (`session.rs`, a
//! server in the test process speaking SMTP over TCP and TLS, no mock of the mail library), what it received, and a test CA for STARTTLS.
//!
//! The STARTTLS tests trust a test CA made on the fly: rustls reads the roots from `SSL_CERT_FILE`
//! when it is set, and a process may not change its own environment safely, so such a test runs
//! itself again in a child process whose `SSL_CERT_FILE` names the CA.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use mail_parser::MimeHeaders;
mod session;

pub const USER: &str = "reviewer@example.com";
/// A password with characters that must be percent-encoded in the URL.
pub const PASSWORD: &str = "s3cr#t:p@ss/wörd";
pub const PASSWORD_IN_URL: &str = "s3cr%23t%3Ap%40ss%2Fw%C3%B6rd";
pub const USER_IN_URL: &str = "reviewer%40example.com";
pub const FROM: &str = "Weekly review <reviews@example.com>";
pub const TO: &str = "owner@example.com, \"Doe, Jane\" <jane@example.com>";
/// Names the test CA's folder in a child process (see the module doc).
pub const PKI_VAR: &str = "TIKTOK_REVIEW_TEST_MAIL_PKI";

/// What the server received in one mail transaction.
#[derive(Debug, Default, Clone)]
pub struct Received {
    /// The user that logged in, if any.
    pub login: Option<String>,
    /// The envelope: `MAIL FROM` and `RCPT TO`.
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The message as sent after `DATA`.
    pub data: Vec<u8>,
}

/// A running SMTP server on 127.0.0.1 and what it receives.
pub struct SmtpServer {
    pub port: u16,
    pub received: mpsc::Receiver<Received>,
}

/// How a test server is set up.
#[derive(Default)]
pub struct Setup<'a> {
    /// Offer STARTTLS with this CA's server certificate (and then PLAIN and LOGIN).
    pub tls: Option<&'a Pki>,
    pub rcpt_reply: Option<(u16, &'static str)>,
}

impl SmtpServer {
    pub fn start(setup: Setup<'_>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (sent, received) = mpsc::channel();
        let conduct = session::Conduct {
            tls: setup.tls.map(session::tls_config),
            rcpt_reply: setup.rcpt_reply,
        };
        session::serve(listener, conduct, sent);
        Self { port, received }
    }

    /// The one mail the server received.
    pub fn mail(&self) -> Received {
        let mail = self.received.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(self.received.try_recv().is_err(), "one mail, not more");
        mail
    }

    pub fn url(&self, scheme_and_login: &str, query: &str) -> String {
        format!("{scheme_and_login}127.0.0.1:{}{query}", self.port)
    }
}

/// A port on 127.0.0.1 where nothing listens.
pub fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A test CA and a server certificate it signed for 127.0.0.1 and localhost, as PEM files.
pub struct Pki {
    pub dir: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

impl Pki {
    pub fn generate() -> Self {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
            KeyPair, KeyUsagePurpose,
        };
        let temp = tempfile::tempdir().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "tiktok-review test CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate().unwrap();
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);
        let mut leaf =
            CertificateParams::new(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let leaf_key = KeyPair::generate().unwrap();
        let leaf_cert = leaf.signed_by(&leaf_key, &issuer).unwrap();
        let dir = temp.path().to_path_buf();
        std::fs::write(dir.join("ca.pem"), ca_cert.pem()).unwrap();
        std::fs::write(dir.join("server.pem"), leaf_cert.pem()).unwrap();
        std::fs::write(dir.join("server.key"), leaf_key.serialize_pem()).unwrap();
        Self {
            dir,
            _temp: Some(temp),
        }
    }

    pub fn path(&self, file: &str) -> String {
        self.dir.join(file).to_string_lossy().into_owned()
    }
}

/// In the test process: makes a test CA, runs the test `name` again in a child process that
/// trusts it, asserts that the child passed, and returns `None`. In that child: returns the CA.
pub fn trusting_a_test_ca(name: &str) -> Option<Pki> {
    if let Some(dir) = std::env::var_os(PKI_VAR) {
        return Some(Pki {
            dir: Path::new(&dir).to_path_buf(),
            _temp: None,
        });
    }
    let pki = Pki::generate();
    let output = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(PKI_VAR, &pki.dir)
        .env("SSL_CERT_FILE", pki.path("ca.pem"))
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("test result: ok. 1 passed"),
        "the test in the child process failed:\n{stdout}\n{stderr}"
    );
    None
}

/// The MIME tree as `type[children]`, attachments as `type "file name"`.
pub fn mime_tree(
    message: &mail_parser::Message<'_>,
    part: &mail_parser::MessagePart<'_>,
) -> String {
    let content_type = part.content_type().unwrap();
    let mime = format!(
        "{}/{}",
        content_type.ctype(),
        content_type.subtype().unwrap_or_default()
    );
    match part.sub_parts() {
        Some(children) => {
            let children: Vec<String> = children
                .iter()
                .map(|&id| mime_tree(message, message.part(id).unwrap()))
                .collect();
            format!("{mime}[{}]", children.join(", "))
        }
        None => match part.attachment_name() {
            Some(name) => format!("{mime} \"{name}\""),
            None => mime,
        },
    }
}
