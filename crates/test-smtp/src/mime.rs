//! Just enough of MIME to read back a single-part text message: header unfolding, RFC 2047 encoded words in
//! headers, and the quoted-printable and base64 transfer encodings lettre picks for a body that is not plain ASCII.

pub(super) struct Message {
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: String,
}

impl Message {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(field, _)| field.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

pub(super) fn parse(data: &[u8]) -> Message {
    let (head, body) = split_head(data);
    let headers = parse_headers(&String::from_utf8_lossy(head));
    let encoding = headers
        .iter()
        .find(|(field, _)| field.eq_ignore_ascii_case("Content-Transfer-Encoding"))
        .map(|(_, value)| value.trim().to_ascii_lowercase());
    let decoded = match encoding.as_deref() {
        Some("base64") => base64_decode(&String::from_utf8_lossy(body)).unwrap_or_else(|| body.to_vec()),
        Some("quoted-printable") => quoted_printable_decode(body),
        _ => body.to_vec(),
    };
    let body = String::from_utf8_lossy(&decoded).replace("\r\n", "\n");
    Message { headers, body }
}

/// Splits at the first empty line; a message without one is all header.
fn split_head(data: &[u8]) -> (&[u8], &[u8]) {
    for (separator, skip) in [(&b"\r\n\r\n"[..], 4), (&b"\n\n"[..], 2)] {
        if let Some(at) = data.windows(separator.len()).position(|window| window == separator) {
            return (&data[..at], &data[at + skip..]);
        }
    }
    (data, &[])
}

fn parse_headers(head: &str) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with([' ', '\t']) {
            // A continuation line: unfolding removes only the line break, keeping the leading white space.
            if let Some((_, value)) = headers.last_mut() {
                value.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.to_owned()));
        }
    }
    headers.into_iter().map(|(name, value)| (name, decode_words(value.trim()))).collect()
}

/// Decodes RFC 2047 encoded words (`=?charset?B|Q?text?=`) in an unstructured header value. White space between two
/// encoded words is dropped, as the RFC says, so a long subject split over several words reads back whole; the
/// bytes of adjacent words are joined before UTF-8 decoding in case an encoder split a character between them.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut pending: Vec<u8> = Vec::new(); // decoded bytes of a run of adjacent encoded words
    let mut gap = String::new(); // white space seen since the last encoded word
    for token in split_keeping_spaces(value) {
        if token.trim().is_empty() {
            gap.push_str(token);
            continue;
        }
        match decode_word(token) {
            Some(bytes) => {
                if pending.is_empty() {
                    out.push_str(&gap);
                }
                pending.extend(bytes);
            }
            None => {
                out.push_str(&String::from_utf8_lossy(&std::mem::take(&mut pending)));
                out.push_str(&gap);
                out.push_str(token);
            }
        }
        gap.clear();
    }
    out.push_str(&String::from_utf8_lossy(&pending));
    out.push_str(&gap);
    out
}

/// Splits into alternating runs of white space and of everything else.
fn split_keeping_spaces(value: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (at, c) in value.char_indices() {
        let space = c == ' ' || c == '\t';
        if in_space.is_some_and(|was| was != space) {
            tokens.push(&value[start..at]);
            start = at;
        }
        in_space = Some(space);
    }
    if start < value.len() {
        tokens.push(&value[start..]);
    }
    tokens
}

/// The bytes of one encoded word, or `None` if `token` is not one. Only UTF-8 and ASCII are expected from Hearth.
fn decode_word(token: &str) -> Option<Vec<u8>> {
    let inner = token.strip_prefix("=?")?.strip_suffix("?=")?;
    let mut parts = inner.splitn(3, '?');
    let charset = parts.next()?;
    let encoding = parts.next()?;
    let text = parts.next()?;
    // A charset may carry a language after '*' (RFC 2231); only the charset matters here.
    let charset = charset.split('*').next().unwrap_or(charset);
    if !(charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("us-ascii")) {
        return None;
    }
    match encoding {
        "B" | "b" => base64_decode(text),
        // In the Q encoding '_' stands for a space; otherwise it is quoted-printable.
        "Q" | "q" => Some(quoted_printable_decode(text.replace('_', " ").as_bytes())),
        _ => None,
    }
}

/// Standard base64 (RFC 4648 alphabet, `=` padding); white space such as line breaks is skipped. `None` if
/// anything else is not base64.
pub(super) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let symbols: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let unpadded = symbols.iter().rposition(|&c| c != b'=').map_or(0, |last| last + 1);
    if symbols.len() - unpadded > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(unpadded / 4 * 3 + 2);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &c in &symbols[..unpadded] {
        buffer = (buffer << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Quoted-printable (RFC 2045): `=XX` is a byte, `=` at the end of a line is a soft break that joins it to the
/// next. A malformed `=` is kept as it is, as the RFC suggests.
fn quoted_printable_decode(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] != b'=' {
            out.push(text[i]);
            i += 1;
            continue;
        }
        let rest = &text[i + 1..];
        if rest.starts_with(b"\r\n") {
            i += 3;
        } else if rest.starts_with(b"\n") {
            i += 2;
        } else if let Some(&[high, low]) = rest.get(..2)
            && let (Some(high), Some(low)) = (hex_value(high), hex_value(low))
        {
            out.push(high << 4 | low);
            i += 3;
        } else {
            out.push(b'=');
            i += 1;
        }
    }
    out
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).and_then(|value| u8::try_from(value).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        assert_eq!(base64_decode("").as_deref(), Some(&b""[..]));
        assert_eq!(base64_decode("Zg==").as_deref(), Some(&b"f"[..]));
        assert_eq!(base64_decode("Zm8=").as_deref(), Some(&b"fo"[..]));
        assert_eq!(base64_decode("Zm9v").as_deref(), Some(&b"foo"[..]));
        assert_eq!(base64_decode("wqMx\r\nMA==").as_deref(), Some("£10".as_bytes()));
        assert_eq!(base64_decode("Zm9v!"), None);
        assert_eq!(base64_decode("Zg==="), None);
    }

    #[test]
    fn quoted_printable_decodes_bytes_and_soft_breaks() {
        assert_eq!(quoted_printable_decode(b"=C2=A3100 a=\r\nnd b=\nc"), "£100 and bc".as_bytes());
        assert_eq!(quoted_printable_decode(b"=3d =+F =2 =zz ="), b"= =+F =2 =zz =");
    }

    #[test]
    fn decodes_encoded_words() {
        assert_eq!(decode_words("plain subject"), "plain subject");
        assert_eq!(decode_words("=?utf-8?b?UMWN?= and =?UTF-8?Q?=C2=A3_5?= left"), "Pō and £ 5 left");
        // Adjacent words join without the folding space, even when a character is split between them.
        assert_eq!(decode_words("=?utf-8?b?wg==?=\t =?utf-8?b?ow==?="), "£");
        assert_eq!(decode_words("=?iso-8859-1?q?abc?="), "=?iso-8859-1?q?abc?=");
    }

    #[test]
    fn parses_headers_and_body() {
        let data = b"Subject: =?utf-8?b?UMWN?=\r\n =?utf-8?b?IMKj?= two\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nline =C2=A3\r\n.dot";
        let message = parse(data);
        assert_eq!(message.header("subject"), Some("Pō £ two"));
        assert_eq!(message.body, "line £\n.dot");
    }
}
