//! The one rule for text people send Hearth, whichever way it arrives (API or page) and whichever
//! database keeps it: no control characters (PostgreSQL cannot store a NUL, and the rest only hide
//! things from the reader), newlines and tabs only where the text is a paragraph, no bidirectional
//! overrides in text that is signed by its hash (they make the words shown differ from the words
//! signed), and a length a person could have typed.

use crate::DomainError;

/// The longest one-line value: a name, an e-mail address, a code, a search term.
pub const MAX_LINE_CHARS: usize = 200;
/// The longest paragraph text (a referral's narrative answers, notes): a few pages, not a file.
pub const MAX_PARAGRAPH_CHARS: usize = 10_000;
/// The most items in any list sent (children in a sibling group, needs, providers chosen, scopes).
pub const MAX_LIST_ITEMS: usize = 100;

/// How a text field may be laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One line: no control character at all.
    Line,
    /// Paragraphs: newlines (`\n`, `\r`) and tabs allowed, no other control character.
    Paragraphs,
    /// Paragraphs that end up in a document signed by its hash: also no bidirectional override or
    /// isolate (U+202A–U+202E, U+2066–U+2069).
    Signed,
}

/// Whether `c` may appear in text of this shape.
pub fn allowed(c: char, shape: Shape) -> bool {
    let layout = matches!(c, '\n' | '\r' | '\t');
    if c.is_control() && !(layout && shape != Shape::Line) {
        return false;
    }
    !(shape == Shape::Signed && is_bidi_control(c))
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks `value` against the shape and the most characters it may have; the error names `field` and
/// says what to change.
pub fn check(field: &'static str, value: &str, shape: Shape, max_chars: usize) -> Result<(), DomainError> {
    let mut count = 0usize;
    for c in value.chars() {
        if !allowed(c, shape) {
            return Err(DomainError::new(field, refusal(c, shape)));
        }
        count += 1;
    }
    if count > max_chars {
        return Err(DomainError::new(field, format!("{count} characters is too long; keep it to {max_chars}")));
    }
    Ok(())
}

/// One line, at most [`MAX_LINE_CHARS`].
pub fn check_line(field: &'static str, value: &str) -> Result<(), DomainError> {
    check(field, value, Shape::Line, MAX_LINE_CHARS)
}

/// Checks that a list has at most `max` items.
pub fn check_list(field: &'static str, len: usize, max: usize) -> Result<(), DomainError> {
    if len > max {
        return Err(DomainError::new(field, format!("{len} items is too many; send at most {max}")));
    }
    Ok(())
}

/// The sentence for a refused character, naming it by its code point (it may be invisible).
pub fn refusal(c: char, shape: Shape) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    if is_bidi_control(c) {
        format!(
            "contains a right-to-left override or isolate ({code}), which would make the text shown differ from the text signed; remove it"
        )
    } else if matches!(c, '\n' | '\r' | '\t') && shape == Shape::Line {
        format!("contains a line break or tab ({code}); write it on one line")
    } else {
        format!("contains a control character ({code}), which cannot be stored; remove it")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_is_refused_everywhere() {
        for shape in [Shape::Line, Shape::Paragraphs, Shape::Signed] {
            let e = check("notes", "a\0b", shape, 10).unwrap_err();
            assert_eq!(e.field, "notes");
            assert!(e.message.contains("U+0000"), "{}", e.message);
        }
    }

    #[test]
    fn newlines_and_tabs_only_in_paragraphs() {
        assert!(check("notes", "one\r\ntwo\tthree", Shape::Paragraphs, 100).is_ok());
        assert!(check("notes", "one\ntwo", Shape::Signed, 100).is_ok());
        let e = check_line("name", "one\ntwo").unwrap_err();
        assert!(e.message.contains("one line"), "{}", e.message);
        assert!(check("notes", "bell\u{7}", Shape::Paragraphs, 100).is_err());
        assert!(check("notes", "c1\u{85}", Shape::Paragraphs, 100).is_err());
    }

    #[test]
    fn bidi_overrides_only_refused_where_signed() {
        for c in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'] {
            let s = format!("pay {c}0001{c}");
            assert!(check("notes", &s, Shape::Paragraphs, 100).is_ok());
            let e = check("notes", &s, Shape::Signed, 100).unwrap_err();
            assert!(e.message.contains("override"), "{}", e.message);
        }
        // Right-to-left script itself is text, not a control.
        assert!(check("notes", "مرحبا", Shape::Signed, 100).is_ok());
    }

    #[test]
    fn lengths_count_characters_and_name_the_limit() {
        assert!(check("notes", &"é".repeat(10), Shape::Paragraphs, 10).is_ok());
        let e = check("notes", &"é".repeat(11), Shape::Paragraphs, 10).unwrap_err();
        assert!(e.message.contains("keep it to 10"), "{}", e.message);
        assert!(check_list("children", 100, MAX_LIST_ITEMS).is_ok());
        let e = check_list("children", 101, MAX_LIST_ITEMS).unwrap_err();
        assert!(e.message.contains("at most 100"), "{}", e.message);
    }
}
