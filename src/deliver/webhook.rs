//! The generic webhook's body: the JSON as saved, so that the receiver reads the documented
//! schemas: the overview's JSON for several accounts, the account's report JSON for one. Several
//! accounts without an overview on disk get `{"date", "reports": [each report]}`. Pure.

use super::Digest;
use super::channel::{ChannelVar, Hook, JSON, json};

/// Any HTTP endpoint: the JSON as saved.
pub(super) static WEBHOOK: Hook = Hook {
    name: "the webhook",
    option_name: "webhook",
    log_name: "webhook",
    listed: "any webhook",
    seen_in: "at the webhook's receiver",
    var: ChannelVar {
        name: "TIKTOK_REVIEW_WEBHOOK_URL",
        help: "any URL that takes a POST of the JSON",
        secret: true,
    },
    render: payload,
    test: |text| json(serde_json::json!({"test": true, "text": text})),
    content_type: JSON,
};

/// The body POSTed to the webhook's URL.
pub(super) fn payload(digest: &Digest) -> Vec<u8> {
    match (digest.accounts.as_slice(), &digest.overview) {
        ([one], _) => one.json.clone(),
        (_, Some(overview)) => overview.json.clone(),
        (accounts, None) => {
            let reports: Vec<serde_json::Value> = (accounts.iter())
                .map(|a| serde_json::from_slice(&a.json).unwrap_or(serde_json::Value::Null))
                .collect();
            let body = serde_json::json!({"date": digest.date, "reports": reports});
            let mut bytes = serde_json::to_vec_pretty(&body).unwrap_or_default();
            bytes.push(b'\n');
            bytes
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deliver::OverviewFiles;
    use crate::deliver::lines::tests::digest;

    #[test]
    fn one_account_sends_its_report_and_several_the_overview() {
        let one = digest(1);
        assert_eq!(payload(&one), one.accounts[0].json);
        let mut two = digest(2);
        let body: serde_json::Value = serde_json::from_slice(&payload(&two)).unwrap();
        assert_eq!(body["date"], "2026-11-22");
        assert_eq!(body["reports"][1]["user"], "account_1");
        two.overview = Some(OverviewFiles {
            json: b"{\"schema_version\": 1}\n".to_vec(),
            markdown: String::new(),
            html: String::new(),
        });
        assert_eq!(payload(&two), b"{\"schema_version\": 1}\n");
    }
}
