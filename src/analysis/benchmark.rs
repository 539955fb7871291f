//! The published yardstick the week's engagement rate is read against: one table of TikTok
//! medians by industry, with its source and year, and the comparison with the account's rate.
//!
//! Pure: the table is data, the comparison arithmetic. It owns no formula of its own: the account's
//! rate is the report's one per-view formula (`metrics::of_week`'s `engagement_rate`), over the
//! week's posts but those with more likes, comments or shares than views.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::stats::round2;
use super::{insights, metrics};
use crate::fmt::{decimal, percent_text, plural};
use crate::model::Post;

/// Where [`INDUSTRIES`] comes from.
pub(crate) const SOURCE: &str = "Rival IQ, 2024 TikTok Benchmark Report";

/// The year of [`SOURCE`].
pub(crate) const YEAR: u16 = 2024;

/// What the numbers are, as the report's `benchmark.definition` says it.
pub(crate) const DEFINITION: &str = "engagement per view on TikTok, (likes + comments + shares) / views × 100: \
     rate is the median of brands' accounts, account_rate this account's over the week's posts but \
     excluded_posts, which have more likes, comments or shares than views";

/// How to read the comparison, shown under it in Markdown and HTML.
pub(crate) const CAVEAT: &str = "The benchmark is a median of brands' accounts (companies, not creators; \
     only the influencers row is of creators): read the ratio as a rough yardstick, not a grade.";

/// One row of the benchmark table: an industry and its published median.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Industry {
    /// The stable machine name `--industry` takes and the JSON holds (`sports-teams`).
    pub(crate) key: &'static str,
    /// The name a reader sees (`sports teams`).
    pub(crate) name: &'static str,
    /// The median engagement rate per view of the industry's brands, in percent.
    pub(crate) rate: f64,
}

/// Rival IQ, *2024 TikTok Benchmark Report*: on TikTok, the median engagement rate per view
/// ((likes + comments + shares) / views) of the brands studied, across all industries (the first
/// row, the default) and per industry. These are brand medians (companies' accounts, not
/// creators'; the source studies influencers as an industry of their own). The source's rows not
/// listed here (such as home decor) are left out.
/// The rows are data, in `benchmark.tsv` beside this file (key, name, rate; tab-separated).
pub(crate) static INDUSTRIES: LazyLock<Vec<Industry>> =
    LazyLock::new(|| table(include_str!("benchmark.tsv")));

/// The rows of a tab-separated table; a line that is not `key, name, rate` is left out (the test
/// of the table counts its rows).
fn table(text: &'static str) -> Vec<Industry> {
    (text.lines())
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let (key, name) = (fields.next()?, fields.next()?);
            let rate = fields.next()?.parse().ok()?;
            Some(Industry { key, name, rate })
        })
        .collect()
}

impl Default for Industry {
    /// All industries: the source's overall median.
    fn default() -> Self {
        INDUSTRIES[0]
    }
}

impl FromStr for Industry {
    type Err = String;

    /// A row by its machine name or its human name, in any case, with `-`, `_`, spaces and `&` /
    /// `and` taken alike (`Sports Teams`, `health & beauty`, `FOOD_AND_BEVERAGE`).
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let wanted = normalise(value);
        (INDUSTRIES.iter().copied())
            .find(|i| normalise(i.key) == wanted || normalise(i.name) == wanted)
            .ok_or_else(|| format!("unknown industry; use one of {}", keys()))
    }
}

/// Every machine name, comma-separated, in table order.
pub(crate) fn keys() -> String {
    (INDUSTRIES.iter().map(|i| i.key))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `value` lowercased, `&` read as `and`, words joined by `-`.
fn normalise(value: &str) -> String {
    value
        .to_lowercase()
        .replace('&', " and ")
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

impl fmt::Display for Industry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl Serialize for Industry {
    /// The machine name: stable for scripts.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key)
    }
}

impl<'de> Deserialize<'de> for Industry {
    /// The row of a machine name this build writes.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let keys: Vec<&'static str> = INDUSTRIES.iter().map(|i| i.key).collect();
        let key = super::names::one_of(deserializer, &keys)?;
        Ok((INDUSTRIES.iter().copied())
            .find(|i| i.key == key)
            .unwrap_or_default())
    }
}

/// The week's engagement rate against the benchmark, as written under `benchmark` in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benchmark {
    /// What `rate` and `account_rate` are ([`DEFINITION`]).
    #[serde(deserialize_with = "definition")]
    pub(crate) definition: Text,
    /// The published median, in percent.
    pub(crate) rate: f64,
    /// Where it was published ([`SOURCE`]).
    #[serde(deserialize_with = "source")]
    pub(crate) source: Text,
    /// The year of the source.
    pub(crate) year: u16,
    /// The row of the table (its machine name in the JSON).
    pub(crate) industry: Industry,
    /// The account's engagement rate over the week's posts but `excluded_posts`
    /// (`metrics.engagement_rate` when none is); `None` without views.
    pub(crate) account_rate: Option<f64>,
    /// `account_rate / rate`, 2 decimals; `None` without `account_rate`.
    pub(crate) ratio: Option<f64>,
    /// The ids of the week's posts left out of `account_rate`: they have views, but more likes,
    /// comments or shares than views, and would carry the rate off (schema 4).
    pub(crate) excluded_posts: Vec<String>,
}

/// A fixed text (`&'static str`), spelled so that reading it back borrows nothing from the input.
type Text = &'static str;

fn definition<'de, D: Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    super::names::one_of(deserializer, &[DEFINITION])
}

fn source<'de, D: Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    super::names::one_of(deserializer, &[SOURCE])
}

/// The week's posts against `industry`'s median: the report's engagement rate over the week's
/// posts but those with more likes, comments or shares than views, which stay in the week's totals
/// but would carry this rate off.
pub(crate) fn of_week(industry: Industry, week: &[Post]) -> Benchmark {
    let (excluded, kept): (Vec<Post>, Vec<Post>) =
        week.iter().cloned().partition(insights::exceeds_views);
    let excluded = excluded.into_iter().map(|p| p.id).collect();
    compare(industry, metrics::of_week(&kept).engagement_rate, excluded)
}

/// The week's `account_rate` (the report's engagement rate over the week's posts but
/// `excluded_posts`) against `industry`'s median.
pub(crate) fn compare(
    industry: Industry,
    account_rate: Option<f64>,
    excluded_posts: Vec<String>,
) -> Benchmark {
    let ratio = account_rate
        .filter(|_| industry.rate > 0.0)
        .map(|rate| round2(rate / industry.rate));
    Benchmark {
        definition: DEFINITION,
        rate: industry.rate,
        source: SOURCE,
        year: YEAR,
        industry,
        account_rate,
        ratio,
        excluded_posts,
    }
}

impl Benchmark {
    /// The one line Markdown and HTML show: `Engagement 8.0% vs 3.4% median for TikTok brands
    /// (all industries; <source>): 2.4×`, saying which posts were left out, or a plain statement
    /// when the week had no views to measure.
    pub(crate) fn sentence(&self) -> String {
        let median = format!(
            "{} median for TikTok brands ({}; {})",
            percent_text(Some(self.rate)),
            self.industry.name,
            self.source
        );
        let excluded = self.excluded_posts.len() as u64;
        let left_out = match excluded {
            0 => String::new(),
            n => format!(
                ", leaving out {} with more likes, comments or shares than views (see Data quality)",
                plural(n, "post")
            ),
        };
        match (self.account_rate, self.ratio) {
            (Some(rate), Some(_)) => format!(
                "Engagement {} vs {median}: {}×{left_out}",
                percent_text(Some(rate)),
                decimal(rate / self.rate, 1)
            ),
            _ if excluded > 0 => format!(
                "No engagement rate to set against the {median}: {} with more likes, comments or shares than views {} left out, and no other post has views (see Data quality).",
                plural(excluded, "post"),
                if excluded == 1 { "is" } else { "are" }
            ),
            _ => format!("No views this week, so no engagement rate to set against the {median}."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn industry(name: &str) -> Industry {
        name.parse().unwrap()
    }

    #[test]
    fn every_row_has_its_published_rate_and_its_ratio_to_an_account_at_8_percent() {
        // 8.00 / rate, by hand, rounded half away from zero to 2 decimals.
        let expected = [
            ("all", 3.4, 2.35),
            ("sports-teams", 9.2, 0.87),
            ("nonprofits", 5.2, 1.54),
            ("influencers", 4.9, 1.63),
            ("alcohol", 4.3, 1.86),
            ("higher-education", 4.1, 1.95),
            ("media", 3.8, 2.11),
            ("travel", 3.0, 2.67),
            ("tech", 2.9, 2.76),
            ("fashion", 2.7, 2.96),
            ("health-and-beauty", 2.7, 2.96),
            ("retail", 2.6, 3.08),
            ("food-and-beverage", 2.6, 3.08),
        ];
        assert_eq!(expected.len(), INDUSTRIES.len(), "one expectation per row");
        for (key, rate, ratio) in expected {
            let b = compare(industry(key), Some(8.0), Vec::new());
            assert_eq!(b.industry.key, key);
            assert_eq!((b.rate, b.ratio), (rate, Some(ratio)), "{key}");
            assert_eq!(b.account_rate, Some(8.0));
            assert_eq!((b.source, b.year), (SOURCE, 2024));
        }
    }

    #[test]
    fn the_default_is_all_industries_at_3_4_percent() {
        let all = Industry::default();
        assert_eq!(
            (all.key, all.name, all.rate),
            ("all", "all industries", 3.4)
        );
        assert_eq!(industry("all"), all);
    }

    #[test]
    fn names_are_read_in_any_case_and_in_their_human_spelling() {
        for (given, key) in [
            ("TRAVEL", "travel"),
            (" Media ", "media"),
            ("Sports Teams", "sports-teams"),
            ("sports_teams", "sports-teams"),
            ("health & beauty", "health-and-beauty"),
            ("Health&Beauty", "health-and-beauty"),
            ("FOOD_AND_BEVERAGE", "food-and-beverage"),
            ("Higher Education", "higher-education"),
            ("tech & software", "tech"),
            ("All Industries", "all"),
        ] {
            assert_eq!(industry(given).key, key, "{given:?}");
        }
    }

    #[test]
    fn an_unknown_name_is_refused_listing_every_valid_one() {
        for bad in ["", "coffee", "sports", "travel-agencies"] {
            let why = bad.parse::<Industry>().unwrap_err();
            assert_eq!(
                why,
                "unknown industry; use one of all, sports-teams, nonprofits, influencers, alcohol, \
                 higher-education, media, travel, tech, fashion, health-and-beauty, retail, \
                 food-and-beverage",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_week_without_views_has_no_account_rate_and_no_ratio() {
        let b = compare(Industry::default(), None, Vec::new());
        assert_eq!((b.account_rate, b.ratio, b.rate), (None, None, 3.4));
        assert_eq!(
            b.sentence(),
            "No views this week, so no engagement rate to set against the 3.4% median for TikTok \
             brands (all industries; Rival IQ, 2024 TikTok Benchmark Report)."
        );
    }

    #[test]
    fn the_json_holds_the_machine_name_and_every_field() {
        let json = serde_json::to_value(compare(
            industry("health & beauty"),
            Some(5.0),
            vec!["7".into()],
        ))
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "definition": DEFINITION,
                "rate": 2.7,
                "source": "Rival IQ, 2024 TikTok Benchmark Report",
                "year": 2024,
                "industry": "health-and-beauty",
                "account_rate": 5.0,
                "ratio": 1.85,
                "excluded_posts": ["7"],
            })
        );
    }

    #[test]
    fn the_sentence_names_the_rates_the_industry_the_source_and_the_ratio() {
        // 8.00 / 3.4 = 2.35 → 2.4× in the sentence (the JSON keeps 2.35).
        assert_eq!(
            compare(Industry::default(), Some(8.0), Vec::new()).sentence(),
            "Engagement 8.0% vs 3.4% median for TikTok brands (all industries; Rival IQ, 2024 \
             TikTok Benchmark Report): 2.4×"
        );
        assert_eq!(
            compare(industry("food-and-beverage"), Some(1.3), Vec::new()).sentence(),
            "Engagement 1.3% vs 2.6% median for TikTok brands (food & beverage; Rival IQ, 2024 \
             TikTok Benchmark Report): 0.5×"
        );
    }

    #[test]
    fn a_post_with_more_shares_than_views_is_left_out_of_the_account_rate() {
        use crate::analysis::metrics::tests::post;
        // 415,578 shares on 4,964 views beside two posts read as sent.
        let week = [
            post("1", 0, 4_964, 388, 21, 415_578),
            post("2", 0, 12_480, 1_010, 37, 22),
            post("3", 0, 682_900, 41_200, 1_234, 2_100),
        ];
        let b = of_week(Industry::default(), &week);
        // (1,069 + 44,534) / (12,480 + 682,900) = 45,603 / 695,380 = 6.558 % → 6.56; / 3.4 = 1.93.
        assert_eq!(
            (b.account_rate, b.ratio, b.excluded_posts.as_slice()),
            (Some(6.56), Some(1.93), ["1".to_string()].as_slice())
        );
        // With it, the week's own rate is 461,590 / 700,344 = 65.91 %: 19.39× the median.
        assert_eq!(metrics::of_week(&week).engagement_rate, Some(65.91));
        // Nothing odd: the week's own rate. A photo with 0 views and likes is not "odd" here.
        let mut photo = post("4", 0, 0, 150, 4, 2);
        photo.format = crate::model::Format::Photo;
        let plain = [week[1].clone(), photo];
        let b = of_week(Industry::default(), &plain);
        assert_eq!(b.account_rate, metrics::of_week(&plain).engagement_rate);
        assert!(b.excluded_posts.is_empty());
        // Only odd posts with views: no rate, and the sentence says why.
        let b = of_week(Industry::default(), &week[..1]);
        assert_eq!((b.account_rate, b.ratio), (None, None));
        assert!(b.sentence().contains("1 post with more likes, comments or shares than views is left out, and no other post has views"));
    }

    #[test]
    fn the_sentence_says_which_posts_the_rate_leaves_out() {
        // 9.62 / 3.4 = 2.83 → 2.8×.
        let b = compare(Industry::default(), Some(9.62), vec!["7".into()]);
        assert_eq!(b.ratio, Some(2.83));
        assert_eq!(
            b.sentence(),
            "Engagement 9.6% vs 3.4% median for TikTok brands (all industries; Rival IQ, 2024 \
             TikTok Benchmark Report): 2.8×, leaving out 1 post with more likes, comments or \
             shares than views (see Data quality)"
        );
        let b = compare(Industry::default(), None, vec!["7".into(), "8".into()]);
        assert_eq!(
            b.sentence(),
            "No engagement rate to set against the 3.4% median for TikTok brands (all \
             industries; Rival IQ, 2024 TikTok Benchmark Report): 2 posts with more likes, \
             comments or shares than views are left out, and no other post has views (see Data \
             quality)."
        );
    }
}
