//! Configuration from the environment (contract §1), read once at start.
//! Every mistake is one [`ConfigError`] naming the variable.

use std::net::IpAddr;
use std::path::PathBuf;

/// The server's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `PORT` (default 8080).
    pub port: u16,
    /// `BIND_ADDR` (default `0.0.0.0`).
    pub bind_addr: IpAddr,
    /// `DATABASE_URL`, or `DB_PATH` (default `./diun.db`) as a SQLite URL.
    pub database_url: String,
    /// `WEBHOOK_SECRET` (default empty: the webhook is open).
    pub webhook_secret: String,
    /// `FRONTEND_DIR` (default `./frontend/dist`).
    pub frontend_dir: PathBuf,
    /// `LOG_FORMAT=json` for JSON log lines.
    pub json_logs: bool,
}

/// A variable that has a value the server cannot use.
#[derive(Debug, thiserror::Error)]
#[error("invalid {variable}={value:?}: {reason}")]
pub struct ConfigError {
    /// The variable's name.
    pub variable: &'static str,
    /// What it was set to.
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str, default: &str| lookup(name).unwrap_or_else(|| default.to_owned());
        let invalid = |variable, value: String, reason: String| ConfigError {
            variable,
            value,
            reason,
        };

        let port = get("PORT", "8080");
        let port = port
            .trim()
            .parse::<u16>()
            .map_err(|e| invalid("PORT", port.clone(), e.to_string()))?;
        let bind_addr = get("BIND_ADDR", "0.0.0.0");
        let bind_addr = bind_addr
            .trim()
            .parse::<IpAddr>()
            .map_err(|e| invalid("BIND_ADDR", bind_addr.clone(), e.to_string()))?;
        let database_url = match lookup("DATABASE_URL").filter(|u| !u.is_empty()) {
            Some(url) if is_supported_url(&url) => url,
            Some(url) => {
                return Err(invalid(
                    "DATABASE_URL",
                    redact(&url),
                    "must start with sqlite: or postgres://".into(),
                ));
            }
            None => {
                let path = get("DB_PATH", "./diun.db");
                if path.is_empty() {
                    return Err(invalid("DB_PATH", path, "must not be empty".into()));
                }
                diun_core::Store::sqlite_url(&path)
            }
        };
        let json_logs = match get("LOG_FORMAT", "text").as_str() {
            "text" | "" => false,
            "json" => true,
            other => {
                return Err(invalid(
                    "LOG_FORMAT",
                    other.into(),
                    "must be `text` or `json`".into(),
                ));
            }
        };
        Ok(Self {
            port,
            bind_addr,
            database_url,
            webhook_secret: get("WEBHOOK_SECRET", ""),
            frontend_dir: get("FRONTEND_DIR", "./frontend/dist").into(),
            json_logs,
        })
    }
}

/// True for the URL schemes diun-core can open.
fn is_supported_url(url: &str) -> bool {
    ["sqlite:", "postgres://", "postgresql://"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
}

/// A database URL with its password replaced, fit for logs and errors.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_match_the_contract() {
        let c = config(&[]).unwrap();
        assert_eq!(c.port, 8080);
        assert_eq!(c.bind_addr.to_string(), "0.0.0.0");
        assert_eq!(c.database_url, "sqlite://./diun.db?mode=rwc");
        assert_eq!(c.webhook_secret, "");
        assert_eq!(c.frontend_dir, PathBuf::from("./frontend/dist"));
        assert!(!c.json_logs);
    }

    #[test]
    fn database_url_overrides_db_path() {
        let c = config(&[("DB_PATH", "/x.db"), ("DATABASE_URL", "postgres://u@h/db")]).unwrap();
        assert_eq!(c.database_url, "postgres://u@h/db");
        let c = config(&[("DB_PATH", "/data/diun.db")]).unwrap();
        assert_eq!(c.database_url, "sqlite:///data/diun.db?mode=rwc");
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (var, value) in [
            ("PORT", "eighty"),
            ("PORT", "70000"),
            ("BIND_ADDR", "localhost:1"),
            ("DATABASE_URL", "mysql://x"),
            ("LOG_FORMAT", "xml"),
        ] {
            let err = config(&[(var, value)]).unwrap_err();
            assert_eq!(err.variable, var);
            assert!(err.to_string().starts_with(&format!("invalid {var}=")));
        }
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://u:pw@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://./diun.db"), "sqlite://./diun.db");
    }
}
