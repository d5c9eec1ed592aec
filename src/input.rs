/*!
Bytes to text: UTF-8, else GB18030 (still common in Chinese logs and Windows exports),
else a clear error. Nothing here panics, whatever the bytes.
*/

use std::borrow::Cow;
use std::fmt;

/// Which encoding input bytes are in.
///
/// ```
/// use alipay_explain::{decode, Encoding};
///
/// let gbk = [0xCF, 0xB5, 0xCD, 0xB3, 0xB7, 0xB1, 0xC3, 0xA6]; // 系统繁忙 in GB18030
/// assert_eq!(decode(&gbk, Encoding::Auto).unwrap(), "系统繁忙");
/// assert!(decode(&gbk, Encoding::Utf8).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8 when the bytes are valid UTF-8, else GB18030 when they are valid GB18030.
    #[default]
    Auto,
    /// UTF-8 only.
    Utf8,
    /// GB18030 (a superset of GBK and GB2312).
    Gb18030,
}

/// Input that is not text in the expected encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// A NUL byte: this is binary data, not a message.
    #[error(
        "input looks binary (a NUL byte at offset {offset}): give a text message or a text log"
    )]
    Binary {
        /// Byte offset of the first NUL byte.
        offset: usize,
    },
    /// Bytes that are not valid in the encoding.
    #[error("input is not valid {encoding} (first bad byte at offset {offset}): save it as UTF-8, or name its encoding with --encoding")]
    Invalid {
        /// The encoding that was tried (for `Auto`: UTF-8 and GB18030).
        encoding: &'static str,
        /// Byte offset of the first bad byte.
        offset: usize,
    },
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
        })
    }
}

/// Decodes `bytes` as `encoding`. A leading UTF-8 byte-order mark is dropped.
///
/// # Errors
///
/// [`DecodeError::Binary`] for bytes with a NUL in them; [`DecodeError::Invalid`] for bytes
/// that are not valid in the encoding.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<Cow<'_, str>, DecodeError> {
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(DecodeError::Binary { offset });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let utf8 = std::str::from_utf8(bytes);
    match (encoding, utf8) {
        (Encoding::Auto | Encoding::Utf8, Ok(s)) => Ok(Cow::Borrowed(s)),
        (Encoding::Utf8, Err(e)) => Err(DecodeError::Invalid {
            encoding: "UTF-8",
            offset: e.valid_up_to(),
        }),
        (Encoding::Auto, Err(e)) => gb18030(bytes).ok_or(DecodeError::Invalid {
            encoding: "UTF-8 or GB18030",
            offset: e.valid_up_to(),
        }),
        (Encoding::Gb18030, _) => gb18030(bytes).ok_or_else(|| DecodeError::Invalid {
            encoding: "GB18030",
            offset: gb18030_error_offset(bytes),
        }),
    }
}

/// Decodes `bytes` as well as it can: UTF-8, else GB18030, else UTF-8 with U+FFFD for
/// the bad bytes (NUL bytes are kept as they are).
pub(crate) fn decode_lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => gb18030(bytes).unwrap_or_else(|| String::from_utf8_lossy(bytes)),
    }
}

fn gb18030(bytes: &[u8]) -> Option<Cow<'_, str>> {
    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
}

fn gb18030_error_offset(bytes: &[u8]) -> usize {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 2 + 16);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(bad, _) => read.saturating_sub(usize::from(bad)),
        _ => read,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_gb18030_and_junk() {
        assert_eq!(
            decode("系统繁忙".as_bytes(), Encoding::Auto).unwrap(),
            "系统繁忙"
        );
        assert_eq!(decode(b"\xEF\xBB\xBFok", Encoding::Utf8).unwrap(), "ok");
        let (gb, _, _) = encoding_rs::GB18030.encode("系统繁忙，请稍后再试");
        assert_eq!(decode(&gb, Encoding::Auto).unwrap(), "系统繁忙，请稍后再试");
        assert_eq!(
            decode(&gb, Encoding::Gb18030).unwrap(),
            "系统繁忙，请稍后再试"
        );
        assert_eq!(
            decode(b"a\0b", Encoding::Auto),
            Err(DecodeError::Binary { offset: 1 })
        );
        assert!(matches!(
            decode(b"ok\xFF\xFF\xFF", Encoding::Auto),
            Err(DecodeError::Invalid { offset: 2, .. })
        ));
        assert!(matches!(
            decode(b"ok\xFF", Encoding::Gb18030),
            Err(DecodeError::Invalid { offset: 2, .. })
        ));
        assert_eq!(
            decode_lossy(b"ok\xFF\xFF\xFF"),
            "ok\u{FFFD}\u{FFFD}\u{FFFD}"
        );
    }
}
