//! Reads `metadata_props` from an ONNX file without decoding the whole graph.
//!
//! The PP-OCR recognition models shipped in `rapidocr-onnxruntime` carry their
//! character list in the model's metadata under the key `character` (one
//! character per line).  An ONNX file is a protobuf `ModelProto`; its field 14
//! (`metadata_props`) is a repeated `StringStringEntryProto { key = 1; value = 2 }`.
//! We walk the top-level fields, skipping everything else (the weights) by length.

/// Returns the value of metadata key `key`, if present.
///
/// Returns `None` for a file that is not a well-formed protobuf message or lacks the key.
pub fn metadata_value(onnx: &[u8], key: &str) -> Option<String> {
    let mut pos = 0;
    while pos < onnx.len() {
        let tag = read_varint(onnx, &mut pos)?;
        let (field, wire) = (tag >> 3, tag & 7);
        match wire {
            0 => {
                read_varint(onnx, &mut pos)?;
            }
            1 => pos = pos.checked_add(8)?,
            5 => pos = pos.checked_add(4)?,
            2 => {
                let len = usize::try_from(read_varint(onnx, &mut pos)?).ok()?;
                let end = pos.checked_add(len).filter(|&e| e <= onnx.len())?;
                if field == 14 {
                    if let Some((k, v)) = parse_entry(&onnx[pos..end]) {
                        if k == key {
                            return Some(v);
                        }
                    }
                }
                pos = end;
            }
            _ => return None,
        }
    }
    None
}

fn parse_entry(buf: &[u8]) -> Option<(String, String)> {
    let (mut key, mut value) = (None, None);
    let mut pos = 0;
    while pos < buf.len() {
        let tag = read_varint(buf, &mut pos)?;
        if tag & 7 != 2 {
            return None;
        }
        let len = usize::try_from(read_varint(buf, &mut pos)?).ok()?;
        let end = pos.checked_add(len).filter(|&e| e <= buf.len())?;
        let s = String::from_utf8(buf[pos..end].to_vec()).ok()?;
        match tag >> 3 {
            1 => key = Some(s),
            2 => value = Some(s),
            _ => {}
        }
        pos = end;
    }
    Some((key?, value.unwrap_or_default()))
}

fn read_varint(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let mut result = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *buf.get(*pos)?;
        *pos += 1;
        result |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(result);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(k: &str, v: &str) -> Vec<u8> {
        let mut e = vec![0x0a, k.len() as u8];
        e.extend_from_slice(k.as_bytes());
        e.push(0x12);
        e.push(v.len() as u8);
        e.extend_from_slice(v.as_bytes());
        let mut out = vec![(14 << 3) | 2, e.len() as u8];
        out.extend(e);
        out
    }

    #[test]
    fn finds_key_after_other_fields() {
        // ir_version = 7 (field 1, varint), then a bytes field 7 (graph) of 3 bytes.
        let mut buf = vec![0x08, 0x07, (7 << 3) | 2, 3, 1, 2, 3];
        buf.extend(entry("other", "x"));
        buf.extend(entry("character", "a\nb"));
        assert_eq!(metadata_value(&buf, "character").as_deref(), Some("a\nb"));
        assert_eq!(metadata_value(&buf, "missing"), None);
    }

    #[test]
    fn garbage_is_none_not_panic() {
        assert_eq!(metadata_value(b"\xff\xff\xff", "character"), None);
        assert_eq!(metadata_value(&[0x72, 0xff, 0xff, 0x01], "character"), None);
        assert_eq!(metadata_value(b"", "character"), None);
    }
}
