//! The TLS crypto provider: rustls with `ring` (see "Build notes" in docs/development.md for why not
//! `aws-lc-rs`), installed once for the process before any HTTPS client or SMTP connection is made.

/// Makes `ring` the process's rustls provider; later calls (and a provider installed by the
/// embedding program) leave it as it is.
pub(crate) fn install_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
