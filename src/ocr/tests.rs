//! Unit tests of `ocr`: lines grouped in reading order, decoding limits (non-images, huge,
//! zero-size and truncated images), one-line errors.
#![allow(clippy::unwrap_used)]

use super::*;

fn seg(text: &str, x: u32, y: u32, w: u32, h: u32) -> Segment {
    Segment {
        text: text.into(),
        confidence: 0.9,
        bbox: BBox { x, y, w, h },
    }
}

#[test]
fn groups_rows_and_orders_left_to_right() {
    let t = assemble(
        vec![
            seg("重试", 400, 1003, 80, 40),
            seg("操作已经取消。", 100, 900, 300, 40),
            seg("返回", 100, 1000, 80, 40),
            seg("", 0, 0, 5, 5),
        ],
        "test",
    );
    assert_eq!(t.text(), "操作已经取消。\n返回 重试");
    assert_eq!(
        t.lines[1].bbox,
        BBox {
            x: 100,
            y: 1000,
            w: 380,
            h: 43
        }
    );
    assert!((t.confidence - 0.9).abs() < 1e-6);
}

#[test]
fn engine_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<OcrEngine>();
    assert_send_sync::<OcrText>();
}

#[test]
fn empty_has_zero_confidence() {
    let t = assemble(vec![], "test");
    assert!(t.is_empty());
    assert_eq!(t.confidence, 0.0);
    assert_eq!(t.text(), "");
}

#[test]
fn decode_rejects_non_images() {
    assert!(matches!(
        decode(b"hello, not an image"),
        Err(OcrError::NotAnImage)
    ));
    assert!(matches!(decode(b""), Err(OcrError::NotAnImage)));
    assert!(matches!(
        decode(b"GIF89a\x01\x00\x01\x00"),
        Err(OcrError::NotAnImage)
    ));
}

fn png_header(width: u32, height: u32) -> Vec<u8> {
    // Signature + IHDR chunk (CRC included) + nothing else: a header that claims a size.
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(b"IHDR");
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let crc = crc32fast::hash(&ihdr);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&crc.to_be_bytes());
    // A short IDAT (zlib header + a few bytes) so the decoder gets past the header.
    let data = [b'I', b'D', b'A', b'T', 0x78, 0x9c, 0x63, 0x00, 0x00];
    out.extend_from_slice(&5u32.to_be_bytes());
    out.extend_from_slice(&data);
    out.extend_from_slice(&crc32fast::hash(&data).to_be_bytes());
    out
}

#[test]
fn decode_refuses_huge_header_before_allocating() {
    let err = decode(&png_header(30_000, 30_000)).unwrap_err();
    assert!(
        matches!(
            err,
            OcrError::TooLarge {
                width: 30_000,
                height: 30_000
            }
        ),
        "{err:?}"
    );
    let err = decode(&png_header(16_000, 16_000)).unwrap_err();
    assert!(
        matches!(
            err,
            OcrError::TooLarge {
                width: 16_000,
                height: 16_000
            }
        ),
        "{err:?}"
    );
}

#[test]
fn decode_rejects_zero_size_and_truncated() {
    let err = decode(&png_header(0, 0)).unwrap_err();
    assert!(
        matches!(err, OcrError::EmptyImage | OcrError::Corrupt(_)),
        "{err:?}"
    );
    // A real header with almost no image data after it.
    let err = decode(&png_header(100, 100)).unwrap_err();
    assert!(matches!(err, OcrError::Corrupt(_)), "{err:?}");
    let err = decode(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00").unwrap_err();
    assert!(
        matches!(err, OcrError::Corrupt(_) | OcrError::EmptyImage),
        "{err:?}"
    );
}

#[test]
fn error_messages_are_one_line() {
    let errs = [
        OcrError::ModelsMissing {
            dir: "/x".into(),
            missing: vec![DET_MODEL_FILE.into()],
        },
        OcrError::NotAnImage,
        OcrError::EmptyImage,
        OcrError::TooLarge {
            width: 30_000,
            height: 30_000,
        },
        OcrError::Corrupt("eof".into()),
        OcrError::BadOption("x=y".into()),
    ];
    for e in errs {
        assert!(!e.to_string().contains('\n'), "{e}");
    }
}
