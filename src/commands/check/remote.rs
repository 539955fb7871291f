//! The checks that send requests: the key tested with one profile request (only with `--user`: it
//! costs a credit) and each configured channel sent its test message, by delivery's rules.

use super::Line;
use crate::deliver::{self, Channels, DeliveryError, listing};
use crate::error::{self, Failure};
use crate::handle::Handle;
use crate::scavio::{ApiConfig, Scavio};

/// The key's line: set (never shown), or why it is missing or unusable; when the env file could
/// not be read (`env_file_read` false), the line says that the key may be in it.
pub(super) fn key_set(api: &Result<ApiConfig, Failure>, env_file_read: bool) -> Line {
    match api {
        Ok(_) => Line::pass("SCAVIO_API_KEY is set (not shown)"),
        Err(failure) if env_file_read => Line::fail(failure.kind.exit_code(), failure.to_string()),
        Err(failure) => Line::fail(
            failure.kind.exit_code(),
            format!("{failure} (the env file, which may set it, was not read: see above)"),
        ),
    }
}

/// Whether the API accepts the key: one profile request of `user` (1 credit), only when given.
pub(super) async fn key_accepted(api: &Result<ApiConfig, Failure>, user: Option<&Handle>) -> Line {
    let Some(user) = user else {
        return Line::skip(
            "key not tested: add --user HANDLE to spend 1 credit on one profile request",
        );
    };
    let Ok(api) = api else {
        return Line::skip("key not tested: SCAVIO_API_KEY is not usable (see above)");
    };
    let mut client = match Scavio::new(api, 1) {
        Ok(scavio) => scavio.client(user),
        Err(err) => return Line::fail(error::exit_code(&err), error::one_line(&err)),
    };
    let profile = client.profile().await;
    let usage = client.usage();
    let cost = match usage.credits_remaining {
        Some(left) => format!(
            "1 credit, {} left",
            crate::report::fmt::group_thousands(left)
        ),
        None => "1 credit".to_string(),
    };
    match profile {
        Ok(_) => Line::pass(format!(
            "key accepted: the profile of @{user} was read ({cost})"
        )),
        Err(err) => Line::fail(
            error::exit_code(&err),
            format!(
                "profile request of @{user} (1 credit): {}",
                error::one_line(&err)
            ),
        ),
    }
}

/// One line per configured channel, in [`deliver::CHANNELS`]' order, after sending each its test
/// message; one `-` line when none is configured, one `✗` when their variables are unusable.
pub(super) async fn channels(channels: &Result<Channels, Failure>) -> Vec<Line> {
    let channels = match channels {
        Ok(channels) if channels.is_empty() => {
            return vec![Line::skip(format!(
                "no delivery channel configured: set {} to have reports delivered",
                listing::settings()
            ))];
        }
        Ok(channels) => channels,
        Err(failure) => return vec![Line::fail(failure.kind.exit_code(), failure.to_string())],
    };
    let results = deliver::send_test_messages(channels).await;
    (results.into_iter())
        .map(|(channel, result)| match result {
            Ok(()) => Line::pass(format!("test message delivered {}", channel.to())),
            Err(err) => {
                let next = match &err {
                    DeliveryError::MayHaveArrived(_) => format!(
                        "; it may have arrived: look {} before checking again",
                        channel.seen_in()
                    ),
                    _ => String::new(),
                };
                Line::fail(
                    err.kind().exit_code(),
                    format!("test message {}: {err}{next}", channel.to()),
                )
            }
        })
        .collect()
}
