//! The `diun-server` binary: `diun-server` (or `serve`) runs the server,
//! `openapi` prints the spec, `healthcheck` probes a running server.

use std::process::ExitCode;

use diun_server::{Config, healthcheck, serve, spec_json};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        None | Some("serve") => run(),
        Some("openapi") => {
            print!("{}", spec_json());
            ExitCode::SUCCESS
        }
        Some("healthcheck") => match Config::from_env() {
            Ok(config) if healthcheck::check(config.port) => ExitCode::SUCCESS,
            Ok(_) => ExitCode::FAILURE,
            Err(e) => fail(e),
        },
        Some(other) => {
            eprintln!("diun-server: unknown command {other:?}; use serve, openapi or healthcheck");
            ExitCode::from(2)
        }
    }
}

/// Runs the server with the environment's configuration.
fn run() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => return fail(e),
    };
    if let Err(e) = init_logging(config.json_logs) {
        return fail(e);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(e),
    };
    match runtime.block_on(serve(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format!("{e:#}")),
    }
}

/// Prints one clear line and fails (no panic trace).
fn fail(err: impl std::fmt::Display) -> ExitCode {
    eprintln!("diun-server: {err}");
    ExitCode::FAILURE
}

/// `RUST_LOG` filter (default `info`), text or JSON lines.
fn init_logging(json: bool) -> Result<(), String> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.is_empty() => {
            EnvFilter::try_new(&spec).map_err(|e| format!("invalid RUST_LOG={spec:?}: {e}"))?
        }
        _ => EnvFilter::new("info"),
    };
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
    Ok(())
}
