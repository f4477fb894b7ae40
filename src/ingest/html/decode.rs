//! Byte-to-text decoding with BOM and `<meta>` charset sniffing.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// Decode an HTML byte stream into text.
pub(super) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(len..).unwrap_or(&[]);
        return enc.decode_without_bom_handling(rest).0;
    }
    let valid_utf8 = std::str::from_utf8(bytes).ok();
    if let Some(enc) = sniff_meta_charset(bytes) {
        // Pages re-saved as UTF-8 often keep their old declaration; valid
        // non-ASCII UTF-8 is very unlikely to be a legacy encoding.
        if let Some(s) = valid_utf8 {
            if enc == UTF_8 || !s.is_ascii() || enc.is_ascii_compatible() {
                return Cow::Borrowed(s);
            }
        }
        let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            UTF_8
        } else {
            enc
        };
        return enc.decode_without_bom_handling(bytes).0;
    }
    match valid_utf8 {
        Some(s) => Cow::Borrowed(s),
        None => WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// Look for `charset=` in the first few KB (covers `<meta charset>` and
/// `http-equiv="content-type"`).
fn sniff_meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    let lower: Vec<u8> = head.iter().map(|c| c.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(off) = find(lower.get(from..)?, b"charset") {
        let mut i = from + off + 7;
        from = i;
        while lower.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        if lower.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while lower
            .get(i)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b'"' || *c == b'\'')
        {
            i += 1;
        }
        let start = i;
        while lower
            .get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.'))
        {
            i += 1;
        }
        if let Some(label) = lower.get(start..i) {
            if let Some(enc) = Encoding::for_label(label) {
                return Some(enc);
            }
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
