//! Delivery's outcomes, exit codes and the run's lines, without a network.

use super::*;
use crate::error::Kind;

#[test]
fn a_secret_never_shows_and_hides_its_token_in_every_spelling() {
    let url = Secret::new(
        "https://hooks.example/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX?sig=abcDEF0123456789xyz&v=1",
    );
    assert_eq!(format!("{url:?} {url}"), "Secret(***) ***");
    let forms = url.hidden_forms();
    assert!(
        forms.contains(&"XXXXXXXXXXXXXXXXXXXXXXXX".to_string()),
        "{forms:?}"
    );
    assert!(
        forms.contains(&"abcDEF0123456789xyz".to_string()),
        "{forms:?}"
    );
    assert!(forms.contains(&"T000".to_string()), "no minimum length");
    assert!(!forms.iter().any(|f| f == "services" || f == "1"));
    let smtp = Secret::new("smtps://me:hunter22@mail.example:465");
    assert!(smtp.hidden_forms().contains(&"hunter22".to_string()));
    assert_eq!(Secret::new("not a url").hidden_forms(), ["not a url"]);
}

#[test]
fn a_failure_names_the_channel_and_keeps_the_reports() {
    let outcome = Outcome {
        channel: channel_named("slack").unwrap(),
        date: NaiveDate::from_ymd_opt(2026, 11, 15).unwrap(),
        result: Err(DeliveryError::Temporary(
            "HTTP 503 (after 5 attempts)".into(),
        )),
    };
    let failure = outcome.failure(" --env-file 'my env'").unwrap();
    assert_eq!(failure.kind, Kind::TempFail);
    assert_eq!(
        failure.to_string(),
        "delivering to Slack: HTTP 503 (after 5 attempts); reports kept: run `tiktok-review send --date 2026-11-15 --channel slack --env-file 'my env'` to deliver them again"
    );
    let mail = Outcome {
        channel: channel_named("mail").unwrap(),
        date: NaiveDate::from_ymd_opt(2026, 11, 15).unwrap(),
        result: Err(DeliveryError::Refused("authentication refused".into())),
    };
    assert!(
        mail.failure("")
            .unwrap()
            .to_string()
            .starts_with("delivering by mail: ")
    );
    let outcomes = [
        outcome,
        mail,
        Outcome {
            channel: channel_named("discord").unwrap(),
            date: NaiveDate::from_ymd_opt(2026, 11, 15).unwrap(),
            result: Ok(()),
        },
    ];
    assert_eq!(exit_code(&outcomes), Some(78));
    assert_eq!(exit_code(&outcomes[2..]), None);
    assert_eq!(
        delivered_line(&outcomes).as_deref(),
        Some("review delivered: Discord")
    );
}

/// The clock is paused, so the test moves it by hand.
#[tokio::test(start_paused = true)]
async fn the_budget_counts_the_attempts_time_so_a_silent_channel_is_not_sent_it_again_and_again() {
    let mut retry = Retry::new(channel_named("slack").unwrap(), retry_policy());
    // A first attempt that waited out a 30 s timeout: no second copy.
    tokio::time::advance(Duration::from_secs(30)).await;
    let Err(DeliveryError::Temporary(line)) = retry.after("no answer".into(), None).await else {
        panic!("retried past the budget");
    };
    assert!(
        line.starts_with("no answer (a further wait of ")
            && line.ends_with("s would pass delivery's 30s budget)"),
        "{line}"
    );
}

/// A `Retry-After` of `u64::MAX` seconds after a slow answer ends the channel; it does not panic.
#[tokio::test(start_paused = true)]
async fn a_wait_of_u64_max_seconds_saturates_instead_of_overflowing() {
    for &channel in CHANNELS {
        let mut retry = Retry::new(channel, retry_policy());
        tokio::time::advance(Duration::from_millis(1_500)).await;
        let asked = Some(Duration::from_secs(u64::MAX));
        let Err(DeliveryError::Temporary(line)) = retry.after("HTTP 503".into(), asked).await
        else {
            panic!("{channel:?} waited for ever");
        };
        assert!(line.starts_with("HTTP 503 (a further wait of "), "{line}");
    }
}
