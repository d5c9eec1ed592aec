//! Reading screenshots (feature `image`): the OCR engine on the small images in
//! fixtures/images/ (made with ImageMagick, plus two crops of dev screenshots), and `--image`
//! on the command line. Needs the models: `scripts/fetch-ocr-models.sh` (into the default
//! directory) or ALIPAY_EXPLAIN_MODELS; without them these tests fail, saying so.
#![cfg(feature = "image")]
#![allow(clippy::unwrap_used)]
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use alipay_explain::ocr::{decode, OcrEngine, OcrError};

fn image_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/images")
        .join(name)
}

fn image(name: &str) -> Vec<u8> {
    std::fs::read(image_path(name)).unwrap()
}

fn paddle() -> &'static OcrEngine {
    static ENGINE: OnceLock<OcrEngine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = OcrEngine::default_model_dir();
        OcrEngine::load(&dir).unwrap_or_else(|e| {
            panic!(
                "{e}\nThe image tests need the OCR models: run `scripts/fetch-ocr-models.sh` \
                 (or `scripts/fetch-ocr-models.sh DIR` and set ALIPAY_EXPLAIN_MODELS=DIR)"
            )
        })
    })
}

fn cli(args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_alipay-explain"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn paddle_reads_dark_modal_over_dimmed_page() {
    let t = paddle().read(&image("dark-modal.png")).unwrap();
    assert_eq!(t.engine, "pp-ocrv4");
    assert_eq!(t.text(), "支付失败\n商户订单号重复\n好的");
    assert!(t.confidence > 0.8, "{}", t.confidence);
    assert!(t.lines.windows(2).all(|w| w[0].bbox.y < w[1].bbox.y));
}

#[test]
fn paddle_reads_toast_png_jpeg_webp() {
    for name in [
        "light-toast.png",
        "light-toast-small.jpg",
        "light-toast.webp",
    ] {
        let t = paddle().read(&image(name)).unwrap();
        assert!(
            squash(&t.text()).contains("您的操作频率过快"),
            "{name}: {}",
            t.text()
        );
    }
}

#[test]
fn paddle_reads_photo_crop_and_dark_toast() {
    let t = paddle().read(&image("photo-modal-crop.jpg")).unwrap();
    assert!(t.text().starts_with("操作已经取消"), "{}", t.text());
    assert!(t.text().contains("返回 重试"), "{}", t.text());
    let t = paddle().read(&image("screen-dark-toast.png")).unwrap();
    assert!(
        squash(&t.text()).contains("建议顾客使用其他方式付款"),
        "{}",
        t.text()
    );
}

#[test]
fn paddle_no_text_and_english() {
    let t = paddle().read(&image("no-text.png")).unwrap();
    assert!(t.is_empty(), "{:?}", t.text());
    let t = paddle().read(&image("english.png")).unwrap();
    assert!(t.text().contains("Payment"), "{}", t.text());
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let e = paddle();
    assert!(matches!(
        e.read(b"not an image at all"),
        Err(OcrError::NotAnImage)
    ));
    let png = image("dark-modal.png");
    for cut in [8, 33, 100, png.len() / 2] {
        assert!(e.read(&png[..cut]).is_err(), "cut at {cut}");
    }
    let mut corrupt = png.clone();
    for b in corrupt.iter_mut().skip(200).step_by(7) {
        *b ^= 0x5a;
    }
    assert!(e.read(&corrupt).is_err());
    let jpg = image("light-toast-small.jpg");
    // A JPEG cut short may still decode (grey fill); it must not panic.
    let _ = e.read(&jpg[..jpg.len() / 2]);
}

#[test]
fn tiny_images_do_not_panic() {
    for (w, h) in [(1, 1), (1, 500), (500, 1), (3, 3)] {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([255, 255, 255]));
        let mut buf = std::io::Cursor::new(Vec::new());
        img.write_to(&mut buf, image::ImageFormat::Png).unwrap();
        let t = paddle().read(buf.get_ref()).unwrap();
        assert!(t.is_empty());
    }
}

#[test]
fn decode_sniffs_formats() {
    assert_eq!(decode(&image("light-toast.webp")).unwrap().width(), 600);
    assert_eq!(
        decode(&image("light-toast-small.jpg")).unwrap().width(),
        360
    );
}

#[test]
fn cli_explains_a_screenshot_with_the_text_read() {
    paddle(); // the models are there (else a clear failure)
    let out = cli(&["--image", "fixtures/images/light-toast.png"], None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("Read from fixtures/images/light-toast.png:"),
        "{stdout}"
    );
    assert!(stdout.contains("It says:"), "{stdout}");
}

#[test]
fn cli_json_has_the_ocr_object() {
    paddle();
    let out = cli(
        &["--json", "--image", "fixtures/images/dark-modal.png"],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ocr"]["engine"], "pp-ocrv4");
    assert_eq!(v["ocr"]["text"], "支付失败\n商户订单号重复\n好的");
    assert!(v["ocr"]["confidence"].as_f64().unwrap() > 0.8);
    assert!(!v["matches"].as_array().unwrap().is_empty(), "{v}");
}

#[test]
fn cli_reads_an_image_piped_in() {
    paddle();
    let out = cli(&["--json"], Some(&image("light-toast.webp")));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["ocr"]["text"].as_str().unwrap().contains("操作频率"),
        "{v}"
    );
}

#[test]
fn cli_no_text_is_exit_1_and_bad_images_exit_2() {
    paddle();
    let out = cli(&["--image", "fixtures/images/no-text.png"], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no text found in fixtures/images/no-text.png"),
        "{stderr}"
    );

    let out = cli(&["--image", "README.md"], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("not an image"), "{stderr}");

    let png = image("dark-modal.png");
    let dir = std::env::temp_dir().join(format!("alipay-explain-images-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cut = dir.join("cut.png");
    std::fs::write(&cut, &png[..png.len() / 2]).unwrap();
    let out = cli(&["--image", cut.to_str().unwrap()], None);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A PNG signature and IHDR chunk claiming `width` x `height`, then a few bytes of IDAT.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&crc32fast::hash(&ihdr).to_be_bytes());
    let idat = [b'I', b'D', b'A', b'T', 0x78, 0x9c, 0x63, 0x00, 0x00];
    out.extend_from_slice(&5u32.to_be_bytes());
    out.extend_from_slice(&idat);
    out.extend_from_slice(&crc32fast::hash(&idat).to_be_bytes());
    out
}

#[test]
fn cli_huge_and_empty_headers_are_one_line_errors() {
    paddle();
    for (w, h, says) in [
        (30_000, 30_000, "too large (30000x30000"),
        (0, 0, "empty"),
        (0, 100, "empty"),
    ] {
        let started = std::time::Instant::now();
        let out = cli(&["--json"], Some(&png_header(w, h)));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{w}x{h}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{w}x{h}: {stderr}");
        // a 0x0 PNG may also stop the decoder as corrupt; either is one clear line
        assert!(
            stderr.contains(says) || stderr.contains("corrupt"),
            "{w}x{h}: {stderr}"
        );
        assert!(out.stdout.is_empty());
        // refused from the header: no model load, no pixel buffer
        assert!(
            started.elapsed().as_secs() < 5,
            "{w}x{h} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn cli_english_only_is_nothing_known() {
    paddle();
    let out = cli(&["--json", "--image", "fixtures/images/english.png"], None);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["ocr"]["text"].as_str().unwrap().contains("Payment"),
        "{v}"
    );
    assert!(v["matches"].as_array().unwrap().is_empty(), "{v}");
}

#[test]
fn tuning_options_are_checked() {
    let mut o = alipay_explain::ocr::PaddleOptions::default();
    o.apply("det_max_side=512, rec_batch=4,rec_min_width=640")
        .unwrap();
    assert_eq!(
        (o.det_max_side, o.rec_batch, o.rec_min_width),
        (512, 4, 640)
    );
    for bad in ["det_max_side", "det_max_side=big", "colour=red", "warmup=0"] {
        let e = o.apply(bad).unwrap_err();
        assert!(matches!(e, OcrError::BadOption(_)), "{bad}: {e:?}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_alipay-explain"))
        .args(["--image", "fixtures/images/light-toast.png"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ALIPAY_EXPLAIN_OCR_OPTIONS", "det_max_side=huge")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("det_max_side=huge"), "{stderr}");
}

#[test]
fn missing_models_name_the_fetch_script() {
    let err = OcrEngine::load("/nonexistent/models").err().unwrap();
    assert!(matches!(err, OcrError::ModelsMissing { .. }));
    let msg = err.to_string();
    assert!(msg.contains("scripts/fetch-ocr-models.sh"), "{msg}");
    assert!(!msg.contains('\n'));
    let out = Command::new(env!("CARGO_BIN_EXE_alipay-explain"))
        .args(["--image", "fixtures/images/light-toast.png"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ALIPAY_EXPLAIN_MODELS", "/nonexistent/models")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fetch-ocr-models.sh"));
}
