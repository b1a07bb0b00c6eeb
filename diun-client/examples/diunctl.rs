//! `diunctl`: a small command-line tool for a DiunDashboard server, built on
//! the generated client. Run `cargo run -p diun-client --example diunctl --
//! --help` for the commands.
//!
//! Arguments are parsed by hand (a handful of flags do not justify a parser
//! crate). Errors print the server's message and exit 1; usage errors exit 2.

use std::io::Read;
use std::num::NonZeroU64;
use std::process::ExitCode;

use diun_client::types::{CreateTag, DiunEvent, TagAssignment, Unassignment};
use diun_client::{ApiErrorExt, Client, Error};

const USAGE: &str = "\
usage: diunctl [--url URL] [--secret SECRET] COMMAND

commands:
  updates [--all]          pending updates: image, tag, host, received
                           (--all: the dismissed ones too)
  events IMAGE [--limit N] [--before ID]
                           an image's history, newest first
  dismiss IMAGE            acknowledge an image's update
  tags                     list tags
  tag-create NAME          create a tag, print its id
  tag-delete ID            delete a tag (its images become untagged)
  assign IMAGE TAG_ID      give an image a tag
  unassign IMAGE           remove an image's tag
  send FILE                post a DIUN payload file (- for stdin) to the
                           webhook, with --secret when the server has one
  health                   check the server and its database

--url defaults to $DIUN_URL, then http://127.0.0.1:8080;
--secret defaults to $DIUN_SECRET.";

/// What went wrong, and so which exit code.
enum Failure {
    /// Bad arguments: print the message and the usage, exit 2.
    Usage(String),
    /// The request failed or a file could not be read: exit 1.
    Run(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Run(e.describe())
    }
}

/// The parsed command line.
struct Args {
    url: String,
    secret: Option<String>,
    all: bool,
    limit: Option<NonZeroU64>,
    before: Option<i64>,
    /// The command and its positional arguments.
    words: Vec<String>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let result = match parse(std::env::args().skip(1)) {
        Ok(None) => {
            out(format_args!("{USAGE}"));
            return ExitCode::SUCCESS;
        }
        Ok(Some(args)) => run(args).await,
        Err(failure) => Err(failure),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("diunctl: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Run(message)) => {
            eprintln!("diunctl: {message}");
            ExitCode::from(1)
        }
    }
}

/// Splits flags (anywhere on the line, `--flag value` or `--flag=value`)
/// from the command words. `None` means help was asked for.
fn parse(raw: impl Iterator<Item = String>) -> Result<Option<Args>, Failure> {
    let mut args = Args {
        url: std::env::var("DIUN_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into()),
        secret: std::env::var("DIUN_SECRET").ok().filter(|s| !s.is_empty()),
        all: false,
        limit: None,
        before: None,
        words: Vec::new(),
    };
    let mut raw = raw.peekable();
    while let Some(arg) = raw.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, Failure> {
            inline
                .clone()
                .or_else(|| raw.next())
                .ok_or_else(|| Failure::Usage(format!("{name} needs a value")))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--url" => args.url = value("--url")?,
            "--secret" => args.secret = Some(value("--secret")?),
            "--all" => args.all = true,
            "--limit" => {
                args.limit = Some(number(
                    &value("--limit")?,
                    "--limit",
                    "a number from 1 to 500",
                )?)
            }
            "--before" => {
                args.before = Some(number(&value("--before")?, "--before", "an event id")?)
            }
            "--" => args.words.extend(raw.by_ref()),
            _ if flag.starts_with("--") => {
                return Err(Failure::Usage(format!("unknown option {flag}")));
            }
            _ => args.words.push(arg),
        }
    }
    Ok(Some(args))
}

/// `text` parsed as a number; `what` must be `expected` otherwise.
fn number<T: std::str::FromStr>(text: &str, what: &str, expected: &str) -> Result<T, Failure> {
    text.parse()
        .map_err(|_| Failure::Usage(format!("{what} must be {expected}, not {text:?}")))
}

/// Exactly `N` positional arguments after the command.
fn operands<const N: usize>(words: &[String]) -> Result<[&str; N], Failure> {
    let rest: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    rest.try_into().map_err(|rest: Vec<&str>| {
        Failure::Usage(format!(
            "{} takes {N} argument(s), got {}",
            words[0],
            rest.len()
        ))
    })
}

async fn run(args: Args) -> Result<(), Failure> {
    let client = Client::with_secret(&args.url, args.secret.as_deref())
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let Some(command) = args.words.first() else {
        return Err(Failure::Usage("no command".into()));
    };
    match command.as_str() {
        "updates" => {
            operands::<0>(&args.words)?;
            let updates = client.list_updates().send().await?.into_inner();
            let mut rows = vec![vec![
                "IMAGE".to_owned(),
                "TAG".to_owned(),
                "HOST".to_owned(),
                "RECEIVED".to_owned(),
            ]];
            if args.all {
                rows[0].push("DISMISSED".into());
            }
            for (image, entry) in updates {
                if entry.acknowledged && !args.all {
                    continue;
                }
                let mut row = vec![
                    image,
                    entry.tag.map(|t| t.name).unwrap_or_else(|| "-".into()),
                    or_dash(entry.event.hostname),
                    entry.received_at,
                ];
                if args.all {
                    row.push(entry.acknowledged_at.unwrap_or_else(|| "-".into()));
                }
                rows.push(row);
            }
            print_table(&rows);
        }
        "events" => {
            let [image] = operands(&args.words)?;
            let mut request = client.list_image_events().image(image);
            if let Some(limit) = args.limit {
                request = request.limit(limit);
            }
            if let Some(before) = args.before {
                request = request.before(before);
            }
            let mut rows = vec![
                ["ID", "RECEIVED", "STATUS", "HOST", "DIGEST"]
                    .map(String::from)
                    .to_vec(),
            ];
            for record in request.send().await?.into_inner() {
                rows.push(vec![
                    record.id.to_string(),
                    record.received_at,
                    or_dash(record.event.status),
                    or_dash(record.event.hostname),
                    or_dash(record.event.digest),
                ]);
            }
            print_table(&rows);
        }
        "dismiss" => {
            let [image] = operands(&args.words)?;
            client.acknowledge_update().image(image).send().await?;
            out(format_args!("dismissed {image}"));
        }
        "tags" => {
            operands::<0>(&args.words)?;
            let mut rows = vec![vec!["ID".to_owned(), "NAME".to_owned()]];
            for tag in client.list_tags().send().await?.into_inner() {
                rows.push(vec![tag.id.to_string(), tag.name]);
            }
            print_table(&rows);
        }
        "tag-create" => {
            let [name] = operands(&args.words)?;
            let tag = client
                .create_tag()
                .body(CreateTag { name: name.into() })
                .send()
                .await?
                .into_inner();
            out(format_args!("created tag {} ({})", tag.id, tag.name));
        }
        "tag-delete" => {
            let [id] = operands(&args.words)?;
            let id: i64 = number(id, "ID", "a tag id")?;
            client.delete_tag().id(id).send().await?;
            out(format_args!("deleted tag {id}"));
        }
        "assign" => {
            let [image, tag_id] = operands(&args.words)?;
            let tag_id: i64 = number(tag_id, "TAG_ID", "a tag id")?;
            client
                .assign_tag()
                .body(TagAssignment {
                    image: image.into(),
                    tag_id,
                })
                .send()
                .await?;
            out(format_args!("tagged {image} with tag {tag_id}"));
        }
        "unassign" => {
            let [image] = operands(&args.words)?;
            client
                .unassign_tag()
                .body(Unassignment {
                    image: image.into(),
                })
                .send()
                .await?;
            out(format_args!("untagged {image}"));
        }
        "send" => {
            let [file] = operands(&args.words)?;
            let bytes = read_input(file).map_err(|e| Failure::Run(format!("{file}: {e}")))?;
            let event = DiunEvent::from_json(&bytes)
                .map_err(|e| Failure::Run(format!("{file}: not a DIUN event: {e}")))?;
            let image = event.image.clone();
            client.receive_event().body(event).send().await?;
            out(format_args!("sent the event of {image}"));
        }
        "health" => {
            operands::<0>(&args.words)?;
            let health = client.health().send().await?.into_inner();
            out(format_args!("{}", health.status));
        }
        other => return Err(Failure::Usage(format!("unknown command {other:?}"))),
    }
    Ok(())
}

/// The file's bytes, or standard input's for `-`.
fn read_input(file: &str) -> std::io::Result<Vec<u8>> {
    if file == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(file)
    }
}

fn or_dash(s: String) -> String {
    if s.is_empty() { "-".into() } else { s }
}

/// Writes one line to standard output. A closed pipe (`diunctl ... | head`)
/// ends the program quietly, where `println!` would panic.
fn out(line: impl std::fmt::Display) {
    use std::io::Write;
    if let Err(e) = writeln!(std::io::stdout().lock(), "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("diunctl: cannot write: {e}");
        std::process::exit(1);
    }
}

/// `s` with control characters escaped (`\n`, `\u{1b}`), so data from the
/// server cannot move the cursor or recolour the terminal.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Prints rows as left-aligned columns two spaces apart; the first row is
/// the header. Cells are made [`printable`].
fn print_table(rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| printable(cell)).collect())
        .collect();
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == columns {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  ", width = widths[c]));
            }
        }
        out(format_args!("{}", line.trim_end()));
    }
}
