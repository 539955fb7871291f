//! Text that came from elsewhere (captions, hashtags, API messages) made safe to show: no control
//! characters, no terminal escape sequences, no bidirectional overrides.
//!
//! Pure. Every string the API sent passes through [`clean`] before it reaches stderr, Markdown or
//! HTML, so an answer can neither rewrite a terminal line nor reorder what a reader sees.

/// `text` without ANSI escape sequences, control characters (C0, DEL, C1) and bidirectional
/// formatting characters; line breaks and tabs become single spaces.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() || is_bidi(c) => {}
            c => out.push(c),
        }
    }
    out
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

/// Characters that change the direction text is shown in (Trojan Source): embeddings, overrides,
/// isolates and the invisible marks.
fn is_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
