//! `wasm-bindgen`: the command line of the `wasm-bindgen-cli` crate, as its own
//! `src/bin/wasm-bindgen.rs` runs it (see Cargo.toml for why it is built from here).

use std::{env, process};

fn main() {
    env_logger::init();
    if let Err(e) = wasm_bindgen_cli::wasm_bindgen::run_cli_with_args(env::args_os()) {
        eprintln!("error: {e:?}");
        process::exit(1);
    }
}
