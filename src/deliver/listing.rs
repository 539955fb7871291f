//! The list of channels ([`super::CHANNELS`]) in words: the lines of `--help`'s environment
//! sections, the places and variables `cron`'s comment names, and what to set when none is
//! configured. Pure.

use super::{CHANNELS, ChannelVar};

/// The prefix every variable of the program's own starts with.
const PREFIX: &str = "TIKTOK_REVIEW";

/// `a, b or c`: `items` joined by commas, the last by `word`.
pub(crate) fn join(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}

/// `run --help`'s lines for the channels' variables: `  NAME  what it is`, one a variable.
pub(crate) fn run_help() -> String {
    (CHANNELS.iter())
        .flat_map(|channel| channel.vars())
        .map(|var| format!("  {:<29}  {}\n", var.name, var.help))
        .collect()
}

/// `send --help`'s lines for the channels: one a channel, its variables on one line.
pub(crate) fn send_help() -> String {
    let mut lines = String::new();
    for channel in CHANNELS {
        match channel.vars() {
            [var] => lines.push_str(&format!("  {:<29}  {}\n", var.name, var.help)),
            vars => {
                let names: Vec<&str> = vars.iter().map(|var| var.name).collect();
                lines.push_str(&format!("  {}   {}\n", names.join(", "), channel.name()));
            }
        }
    }
    lines
}

/// The names `send --channel` takes: `slack, discord, teams, webhook or mail`.
pub(crate) fn option_names() -> String {
    let names: Vec<String> = (CHANNELS.iter())
        .map(|channel| channel.option_name().to_string())
        .collect();
    join(&names, "or")
}

/// Where the review can arrive: `Slack, Discord, Teams, any webhook or by mail`.
pub(crate) fn places() -> String {
    let places: Vec<String> = (CHANNELS.iter())
        .map(|channel| channel.listed().to_string())
        .collect();
    join(&places, "or")
}

/// The variables to set, a channel's one alone and a channel's several as `A with B and C`: `W,
/// X or A with B and C`.
pub(crate) fn variables() -> String {
    each_channel(|first, rest| {
        let rest: Vec<String> = rest.iter().map(|var| var.name.to_string()).collect();
        format!("{} with {}", first.name, join(&rest, "and"))
    })
}

/// The variables to set, a channel's several as `the A, _B and _C variables`.
pub(crate) fn settings() -> String {
    each_channel(|first, rest| {
        let rest = rest.iter().map(|var| var.name.trim_start_matches(PREFIX));
        let all: Vec<String> = (std::iter::once(first.name).chain(rest))
            .map(String::from)
            .collect();
        format!("the {} variables", join(&all, "and"))
    })
}

/// Each channel's variable, or its several as `several` words them (the first and the rest),
/// joined by `or`.
fn each_channel(several: impl Fn(&ChannelVar, &[ChannelVar]) -> String) -> String {
    let each: Vec<String> = (CHANNELS.iter())
        .map(|channel| match channel.vars() {
            [first, rest @ ..] if !rest.is_empty() => several(first, rest),
            vars => (vars.iter().map(|var| var.name).collect::<Vec<_>>()).join(", "),
        })
        .collect();
    join(&each, "or")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_join_with_commas_and_a_last_word() {
        let items = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join(&items(&[]), "or"), "");
        assert_eq!(join(&items(&["a"]), "or"), "a");
        assert_eq!(join(&items(&["a", "b"]), "and"), "a and b");
        assert_eq!(join(&items(&["a", "b", "c"]), "or"), "a, b or c");
    }

    #[test]
    fn every_variable_of_every_channel_is_listed() {
        let (run, send) = (run_help(), send_help());
        let (variables, settings) = (variables(), settings());
        for channel in CHANNELS {
            assert!(option_names().contains(channel.option_name()));
            assert!(places().contains(channel.listed()));
            for var in channel.vars() {
                assert!(
                    run.contains(var.name) && send.contains(var.name),
                    "{}",
                    var.name
                );
                assert!(variables.contains(var.name), "{}", var.name);
                assert!(settings.contains(var.name.trim_start_matches(PREFIX)));
            }
        }
    }
}
