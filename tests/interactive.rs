//! Interactive mode through a pseudo-terminal, as a person meets it: a prompt, a paste that
//! ends at an empty line, the arrow keys, Ctrl-D (issue 15).

#![cfg(unix)]

use std::process::Command;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::{ControlCode, Eof, Expect, Session};

fn session(args: &[&str]) -> expectrl::session::OsSession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_alipay-explain"));
    cmd.args(args).env("NO_COLOR", "1").env("TERM", "xterm");
    let mut s = Session::spawn(cmd).unwrap();
    s.set_expect_timeout(Some(Duration::from_secs(30)));
    s.get_process_mut().set_window_size(80, 24).unwrap();
    s
}

fn exit_code(s: &expectrl::session::OsSession) -> i32 {
    match s.get_process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("not a normal exit: {other:?}"),
    }
}

/// No message and a terminal: the prompt comes by itself. Two lines make one message, the
/// empty line ends it, the up arrow brings the last line back, Ctrl-D leaves with 0.
#[test]
fn paste_explain_recall_and_leave() {
    let mut p = session(&[]);
    p.expect("Ctrl-D leaves").unwrap();
    p.expect("alipay> ").unwrap();
    p.send_line("提示").unwrap();
    p.expect("... ").unwrap();
    p.send_line("系统繁忙，请稍后再试（ALIN10146）").unwrap();
    p.expect("... ").unwrap();
    // not explained before the paste ends
    assert!(!p.is_matched("The system is busy").unwrap());
    p.send_line("").unwrap();
    p.expect("It says: The system is busy. Please try again later.")
        .unwrap();
    // the title above it is glossed, as part of the same paste
    p.expect("Other text, word by word").unwrap();
    p.expect("alipay> ").unwrap();

    // history: the up arrow recalls the last line entered
    p.send("\x1b[A").unwrap();
    p.expect("（ALIN10146）").unwrap();
    p.send("\r").unwrap();
    p.send_line("").unwrap();
    p.expect("system.busy_try_later").unwrap();
    p.expect("alipay> ").unwrap();

    p.send(ControlCode::EndOfTransmission).unwrap();
    p.expect(Eof).unwrap();
    assert_eq!(exit_code(&p), 0);
}

/// `-i --brief`: one line per message; text gathered when Ctrl-D comes is explained first.
#[test]
fn brief_and_ctrl_d_with_a_pending_paste() {
    let mut p = session(&["-i", "--brief"]);
    p.expect("alipay> ").unwrap();
    p.send_line("交易不存在").unwrap();
    p.expect("... ").unwrap();
    p.send(ControlCode::EndOfTransmission).unwrap();
    p.expect("api.acq_trade_not_exist\t100%\tThe trade does not exist.")
        .unwrap();
    p.expect(Eof).unwrap();
    assert_eq!(exit_code(&p), 0);
}

/// Lines that come faster than they are read (a paste in a terminal without bracketed paste)
/// are all kept: each paste is explained, none is dropped.
#[test]
fn lines_typed_ahead_are_kept() {
    let mut p = session(&["--brief"]);
    p.expect("alipay> ").unwrap();
    p.send("交易不存在\r\r提示\r系统繁忙，请稍后再试（ALIN10146）\r\r")
        .unwrap();
    p.expect("api.acq_trade_not_exist").unwrap();
    p.expect("system.busy_try_later").unwrap();
    // Ctrl-D at the prompt, as a person presses it: one that comes while the answer is still
    // being written reaches the terminal, not the line editor
    p.expect("alipay> ").unwrap();
    p.send(ControlCode::EndOfTransmission).unwrap();
    p.expect(Eof).unwrap();
    assert_eq!(exit_code(&p), 0);
}
