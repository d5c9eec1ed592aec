//! The command line, as a user meets it: each `tests/cmd/*.toml` is one invocation with its
//! arguments, input, output and exit status (trycmd, as typos does). The README's console
//! examples run too. After a deliberate change: `TRYCMD=overwrite cargo test`, then read the diff.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .case("tests/cmd/*.toml")
        .case("README.md");
}

/// `scan --json --stats-only FILE`, which must exit 0: its stats.
fn scan_stats(path: &std::path::Path) -> serde_json::Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_alipay-explain"))
        .args(["scan", "--json", "--stats-only"])
        .arg(path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    stats["stats"].clone()
}

/// A reader that goes away early (`alipay-explain … | head -1`) is not an error.
#[test]
fn closed_stdout_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_alipay-explain"))
        .args(["scan", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let line = "系统繁忙，请稍后再试（ALIN10146）\n".repeat(1000);
        for _ in 0..200 {
            if stdin.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A long line of Chinese is cut into pieces between two characters: every message in it is
/// found once, however the cuts fall, and the line is counted once.
#[test]
fn scan_messages_across_the_pieces_of_a_long_line() {
    let dir = std::env::temp_dir().join(format!("alipay-explain-pieces-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("long.log");
    let filler = "用户反馈页面加载有点慢，".repeat(97);
    let message = "系统繁忙，请稍后再试（ALIN10146）";
    let n = 900;
    let mut text = String::new();
    for _ in 0..n {
        text.push_str(&filler);
        text.push_str(message);
    }
    text.push_str("\nline two\n");
    assert!(text.len() > 3_000_000);
    std::fs::write(&path, &text).unwrap();
    let stats = scan_stats(&path);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(stats["matches"], n);
    assert_eq!(stats["matched_lines"], 1);
    assert_eq!(stats["lines"], 2);
}

/// A 50 MB file that is one line: read in bounded pieces, the message in the middle found
/// once, exit 0 (issue 6).
#[test]
fn scan_a_fifty_megabyte_line() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("alipay-explain-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("one-line.log");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let unit = "用户反馈页面加载有点慢，客服已回复。".repeat(100);
    let half = 25_000_000 / unit.len();
    for _ in 0..half {
        f.write_all(unit.as_bytes()).unwrap();
    }
    f.write_all("系统繁忙，请稍后再试（ALIN10146）".as_bytes())
        .unwrap();
    for _ in 0..half {
        f.write_all(unit.as_bytes()).unwrap();
    }
    drop(f);
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size > 49_000_000);
    let stats = scan_stats(&path);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(stats["matches"], 1);
    assert_eq!(stats["lines"], 1);
    // every byte counted once, though pieces of the line overlap
    assert_eq!(stats["bytes"].as_u64(), Some(size));
}

/// Runs the binary with its standard output a pipe whose reading end is already closed, so
/// its first write fails as `… | head -0` would make it fail: it must end quietly with 0.
fn run_into_closed_pipe(args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = Command::new(env!("CARGO_BIN_EXE_alipay-explain"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // the program may stop reading early: that is not this test's concern
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    child.wait_with_output().unwrap()
}

/// Every command and output format, text and JSON, ends quietly with 0 when the reader of its
/// output has gone (issue 11: `scan --json … | head -1` exited 2 with "Broken pipe").
#[test]
fn closed_pipe_is_quiet_in_every_command_and_format() {
    let log = "tests/cmd/scan_log.in/app.log";
    let user = "fixtures/catalogs/user/override.json";
    let cases: &[&[&str]] = &[
        &["系统繁忙，请稍后再试"],
        &["--json", "系统繁忙，请稍后再试"],
        &["请联系客服确认银行卡"],
        &["--json", "请联系客服确认银行卡"],
        &["scan", log],
        &["scan", "--json", log],
        &["scan", "--stats-only", log],
        &["scan", "--json", "--stats-only", log],
        &["catalog", "list"],
        &["catalog", "list", "--json"],
        &["catalog", "show", "system.busy_try_later"],
        &["catalog", "show", "--json", "system.busy_try_later"],
        &["catalog", "search", "银行卡"],
        &["catalog", "search", "--json", "银行卡"],
        &["catalog", "check", user],
        &["catalog", "check", "--json", user],
        &["--brief", "系统繁忙，请稍后再试"],
        &["--width", "30", "系统繁忙，请稍后再试"],
        &["-i"],
        &["scan", "tests/cmd/scan_compressed.in/app.log.gz"],
        &["scan", "--json", "tests/cmd/scan_compressed.in/app.log.zst"],
        &["scan", "--id", "system.busy_try_later", log],
        &["catalog", "new", "请联系客服确认银行卡"],
        &["completions", "bash"],
        &["completions", "zsh"],
        &["completions", "fish"],
        &["completions", "powershell"],
        &["completions", "elvish"],
        &["man"],
        &["--help"],
        &["scan", "--help"],
        &["--version"],
    ];
    // more JSON than an output buffer holds: the pipe fails in the middle of an object
    let many = "系统繁忙，请稍后再试（ALIN10146）\n".repeat(2000);
    let out = run_into_closed_pipe(&["scan", "--json", "-"], &many);
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).as_ref()
        ),
        (Some(0), ""),
        "scan --json - with {} bytes",
        many.len()
    );
    for args in cases {
        let out = run_into_closed_pipe(args, "");
        let stderr = String::from_utf8_lossy(&out.stderr);
        // `catalog new` writes its notes on standard error, which is still open
        let stderr = if args.starts_with(&["catalog", "new"]) {
            stderr.lines().filter(|l| !l.starts_with("//")).collect()
        } else {
            stderr.into_owned()
        };
        assert_eq!(
            (out.status.code(), stderr.as_str()),
            (Some(0), ""),
            "alipay-explain {}",
            args.join(" ")
        );
    }
}

/// Without the `image` feature, `--image` and an image piped in say how to get it (exit 2).
#[cfg(not(feature = "image"))]
#[test]
fn images_without_the_feature_say_how_to_build_it() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let out = Command::new(env!("CARGO_BIN_EXE_alipay-explain"))
        .args(["--image", "fixtures/images/light-toast.png"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("--features image") && stderr.contains("scripts/fetch-ocr-models.sh"),
        "{stderr}"
    );

    let png = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/images/light-toast.png"),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_alipay-explain"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&png).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("standard input is an image") && stderr.contains("--features image"),
        "{stderr}"
    );
}
