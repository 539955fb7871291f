//! A slot of the plan's limit on requests in flight, kept after the client gave up on its request:
//! the server may still be working on it (and may bill it), so the slot goes back only once the
//! server can be assumed done, and the server never holds more requests than the plan allows.

use std::time::Duration;

use tokio::sync::OwnedSemaphorePermit;

/// Gives `slot` back after `hold`, without holding up the caller. A `hold` past the clock's end
/// keeps it for the rest of the run (tokio saturates the deadline).
pub(super) fn keep(slot: OwnedSemaphorePermit, hold: Duration) {
    tokio::spawn(async move {
        tokio::time::sleep(hold).await;
        drop(slot);
    });
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tokio::sync::Semaphore;
    use tokio::time::sleep;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_kept_slot_comes_back_when_its_hold_has_passed_and_not_before() {
        let limit = Arc::new(Semaphore::new(2));
        let slot = Arc::clone(&limit).acquire_owned().await.unwrap();
        // A retry's backoff of 0.4 s, then a further --timeout of 2 s.
        keep(
            slot,
            Duration::from_millis(400).saturating_add(Duration::from_secs(2)),
        );
        sleep(Duration::from_millis(2_399)).await;
        assert_eq!(limit.available_permits(), 1);
        sleep(Duration::from_millis(2)).await;
        assert_eq!(limit.available_permits(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_hold_past_the_clock_s_end_keeps_the_slot_without_a_panic() {
        let limit = Arc::new(Semaphore::new(1));
        let slot = Arc::clone(&limit).acquire_owned().await.unwrap();
        keep(slot, Duration::MAX.saturating_add(Duration::from_secs(30)));
        sleep(Duration::from_secs(365 * 86_400)).await;
        assert_eq!(limit.available_permits(), 0);
    }
}
