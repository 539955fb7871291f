//! Text that came from elsewhere (captions, hashtags, API messages) made safe to show: no control
//! characters, no terminal escape sequences, no bidirectional overrides (`clean`), and no secret
//! in any spelling (`redact`).
//!
//! Pure. Every string the API sent passes through `clean` and then `redact` before it reaches
//! stderr, a report or a saved answer, so an answer can neither rewrite a terminal line, reorder
//! what a reader sees, nor smuggle the key out (cleaning first, so that a control character cannot
//! split the key past redaction).

/// `text` without ANSI escape sequences, control characters (C0, DEL, C1) and bidirectional
/// formatting characters; line breaks and tabs become single spaces.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() || is_bidi(c) || is_invisible(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// `path` for a shell command line: as it is when it holds only letters, digits and `/._-+@:=,`,
/// else single-quoted (a `'` inside written `'\''`).
pub(crate) fn shell_quote(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    match (text.chars()).all(|c| c.is_ascii_alphanumeric() || "/._-+@:=,".contains(c)) {
        true => text,
        false => format!("'{}'", text.replace('\'', r"'\''")),
    }
}

/// `text` with its runs of white space made one space and none at either end.
pub(crate) fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` cleaned (see [`clean`]) and on one line: runs of white space made one space.
pub(crate) fn one_line(text: &str) -> String {
    squeeze(&clean(text))
}

/// `line` cut to at most `max` characters on a word boundary (anywhere when it has no space), with
/// `…` after a cut.
pub(crate) fn cut_on_word(line: String, max: usize) -> String {
    if line.chars().count() <= max {
        return line;
    }
    let cut: String = line.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// Skips the rest of an escape sequence whose `ESC` was just read: CSI (`ESC [ … final`), OSC
/// (`ESC ] … BEL` or `ESC ] … ESC \`) or a two-character sequence.
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => {
            for c in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&c) {
                    break;
                }
            }
        }
        Some(']') | Some('P') | Some('_') | Some('^') => {
            while let Some(c) = chars.next() {
                if c == '\u{7}' {
                    break;
                }
                if c == '\u{1b}' {
                    if chars.peek() == Some(&'\\') {
                        chars.next();
                    }
                    break;
                }
            }
        }
        _ => {}
    }
}

/// Characters that show as nothing yet split a word (and so could hide a secret from a search):
/// the soft hyphen, zero-width spaces and joiners other than the emoji joiner, word joiners and
/// invisible operators, the byte-order mark. The zero-width joiner (U+200D) stays: emoji sequences
/// need it, and [`redact`] looks through it.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}' | '\u{180e}' | '\u{200b}' | '\u{200c}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
    )
}

/// Characters that change the direction text is shown in (Trojan Source): embeddings, overrides,
/// isolates and the invisible marks.
fn is_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// `text` with every occurrence of `secret` replaced by `***`, whatever its spelling: any mix of
/// upper and lower case, and any of its bytes written as `%XX` (URL encoding) or `\u00XX` (a JSON
/// escape). An empty secret changes nothing.
pub(crate) fn redact(text: &str, secret: &str) -> String {
    let (haystack, needle) = (text.as_bytes(), secret.as_bytes());
    if needle.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut at) = (0, 0);
    while at < haystack.len() {
        match match_at(haystack, at, needle) {
            Some(end) => {
                // A match starts on an ASCII byte or the secret's first (lead) byte and ends after
                // a whole character, so both slices lie on character boundaries.
                out.push_str(text.get(copied..at).unwrap_or_default());
                out.push_str("***");
                at = end;
                copied = end;
            }
            None => at += 1,
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// Where a spelling of `needle` that starts at `at` ends, if one does. A zero-width joiner between
/// two of its bytes does not break the spelling.
fn match_at(haystack: &[u8], mut at: usize, needle: &[u8]) -> Option<usize> {
    for (i, &want) in needle.iter().enumerate() {
        if i > 0 {
            while haystack.get(at..at + 3) == Some("\u{200d}".as_bytes()) {
                at += 3;
            }
        }
        let rest = haystack.get(at..)?;
        let (byte, len) = match rest {
            [b'%', h, l, ..] => (hex_pair(*h, *l).unwrap_or(b'%'), 3),
            [b'\\', b'u', b'0', b'0', h, l, ..] => (hex_pair(*h, *l).unwrap_or(b'\\'), 6),
            [b, ..] => (*b, 1),
            [] => return None,
        };
        let (byte, len) = if byte.eq_ignore_ascii_case(&want) {
            (byte, len)
        } else {
            (rest[0], 1)
        };
        if !byte.eq_ignore_ascii_case(&want) {
            return None;
        }
        at += len;
    }
    Some(at)
}

fn hex_pair(high: u8, low: u8) -> Option<u8> {
    let digit = |c: u8| char::from(c).to_digit(16);
    Some((digit(high)? * 16 + digit(low)?) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_on_word_cuts_at_the_last_space_within_the_limit() {
        assert_eq!(cut_on_word("short".into(), 40), "short");
        assert_eq!(cut_on_word("one two three".into(), 9), "one two…");
        assert_eq!(cut_on_word("abcdefghij".into(), 4), "abcd…");
        assert_eq!(cut_on_word("héllo wörld".into(), 7), "héllo…");
    }

    #[test]
    fn squeeze_and_one_line_make_runs_of_white_space_one_space() {
        assert_eq!(squeeze("  a \t b\n\nc  "), "a b c");
        assert_eq!(squeeze(" \n "), "");
        assert_eq!(one_line("a\u{1b}[31m\r\n b\u{202e}c"), "a bc");
    }

    #[test]
    fn keeps_ordinary_text_and_emoji() {
        assert_eq!(
            clean("3 espresso mistakes ☕ #coffee"),
            "3 espresso mistakes ☕ #coffee"
        );
        assert_eq!(clean("naïve café"), "naïve café");
    }

    #[test]
    fn strips_terminal_escapes_controls_and_bidi_overrides() {
        assert_eq!(clean("\u{1b}[2K\u{1b}[1Gfake line"), "fake line");
        assert_eq!(clean("a\u{1b}]0;title\u{7}b"), "ab");
        assert_eq!(clean("a\u{1b}]8;;http://x\u{1b}\\b"), "ab");
        assert_eq!(clean("bell\u{7}\u{0}\u{7f}\u{9b}31m"), "bell31m");
        assert_eq!(clean("abc\u{202e}fed\u{2066}x\u{2069}"), "abcfedx");
        assert_eq!(clean("two\nlines\r\tend"), "two lines  end");
    }

    #[test]
    fn invisible_characters_are_stripped_and_cannot_hide_the_secret() {
        assert_eq!(
            clean("sk_live_\u{200b}Se\u{ad}cret\u{feff}"),
            "sk_live_Secret"
        );
        assert_eq!(
            clean("👨\u{200d}👩\u{200d}👧"),
            "👨\u{200d}👩\u{200d}👧",
            "emoji keep their joiner"
        );
        assert_eq!(
            redact("a sk_live\u{200d}_Secret b", "sk_live_Secret"),
            "a *** b"
        );
    }

    #[test]
    fn redacts_the_secret_in_any_case_and_any_encoding() {
        let secret = "sk_live/Ab+c d";
        assert_eq!(
            redact(
                "a sk_live/Ab+c d b SK_LIVE/AB+C D c sk_live%2FAb%2Bc%20d d sk%5Flive%2fab%2bC%20D",
                secret
            ),
            "a *** b *** c *** d ***"
        );
        assert_eq!(
            redact(r#""sk\u005flive/Ab+c d" and sk_live_Secret"#, secret),
            r#""***" and sk_live_Secret"#
        );
        assert_eq!(
            redact("x=SK_LIVE_SECRETsk_live_secret ünï", "sk_live_Secret"),
            "x=****** ünï"
        );
        assert_eq!(redact("nothing", ""), "nothing");
        assert_eq!(redact("É é e", "é"), "É *** e", "only ASCII folds");
        assert_eq!(redact("100% sure %zz", "x"), "100% sure %zz");
    }
}
