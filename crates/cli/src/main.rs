//! `switchboard`: the inbox from a terminal, for people and scripts, over the same core as
//! the desktop app (profiles with keys in the OS keychain, a local cache, the outbox); and
//! `serve`, the workspace server. Human tables by default, `--json` for scripts; exit
//! codes: 0 ok (a send queued in the outbox too, sent or not yet), 2 bad input, 3 key
//! refused, 4 server unreachable or failing, 5 this machine's keychain or files. Every
//! error goes through [`output::fail`].

mod admin;
mod context;
mod inbox;
mod output;
mod profile;

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use output::Failure;
use switchboard_server::ModelSettings;
use switchboard_server::webhooks::ssrf::TargetPolicy;
use switchboard_server::{Server, ServerConfig};
use switchboard_store::OutboxAction;

#[derive(Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Switchboard: the operator inbox from a terminal, and the workspace server"
)]
struct Cli {
    /// The profile to use instead of the current one.
    #[arg(long, global = true, env = "SWITCHBOARD_PROFILE")]
    profile: Option<String>,
    /// Print JSON instead of tables (errors too, as {error, code}).
    #[arg(long, global = true)]
    json: bool,
    /// Where profiles and caches live (default: the OS's configuration folder).
    #[arg(long, global = true, env = "SWITCHBOARD_HOME")]
    home: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The workspaces this machine talks to.
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// Brings the local cache up to date (a progress bar on first sync) and sends what
    /// the outbox holds.
    Sync,
    /// Conversations, most recent activity first.
    Inbox(inbox::Filters),
    /// One conversation's transcript.
    Show {
        conversation: String,
        #[arg(long)]
        offline: bool,
    },
    /// Replies to the contact (queued if the server cannot be reached).
    Send {
        conversation: String,
        text: String,
    },
    /// Adds an internal note, which the contact never sees.
    Note {
        conversation: String,
        text: String,
    },
    /// Assigns to `me`, a member id, or `none`.
    Assign {
        conversation: String,
        to: String,
    },
    Resolve {
        conversation: String,
    },
    Reopen {
        conversation: String,
    },
    /// Snoozes until `2h`, `30m`, `1d`, `1w` from now, or an RFC 3339 time.
    Snooze {
        conversation: String,
        until: String,
    },
    /// Searches every cached message.
    Search {
        text: String,
        #[command(flatten)]
        filters: inbox::Filters,
    },
    /// Leads the AI agent and the team captured.
    Leads {
        #[arg(long)]
        offline: bool,
    },
    /// Booking requests and appointments.
    Appointments {
        #[arg(long)]
        offline: bool,
    },
    /// Sends waiting to go, and sends the server refused.
    #[command(subcommand)]
    Outbox(inbox::OutboxCommand),
    /// API keys (admin).
    #[command(subcommand)]
    Keys(admin::KeysCommand),
    /// Webhook endpoints and their deliveries (admin).
    #[command(subcommand)]
    Webhooks(admin::WebhooksCommand),
    /// Run the workspace server. An empty database gets a workspace and an admin key,
    /// printed once.
    Serve(ServeArgs),
    /// The server key that seals the secrets a server keeps (webhook signing secrets,
    /// channel tokens).
    #[command(subcommand)]
    SecretKey(SecretKeyCommand),
}

#[derive(Subcommand)]
enum SecretKeyCommand {
    /// A new server key, with every stored secret sealed under it and the old key gone
    /// from the key file. The server must be stopped.
    Rotate {
        /// The server's SQLite database file.
        #[arg(long, env = "SWITCHBOARD_DB", default_value = "switchboard.sqlite3")]
        db: PathBuf,
        /// The key file (default: the database file's name plus `.key`, beside it).
        #[arg(long, env = "SWITCHBOARD_SECRET_KEY_FILE")]
        secret_key_file: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct ServeArgs {
    /// SQLite database file (created if missing).
    #[arg(long, env = "SWITCHBOARD_DB", default_value = "switchboard.sqlite3")]
    db: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "SWITCHBOARD_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Seed the demo clinic (a local workspace) when the database is empty.
    #[arg(long)]
    demo: bool,
    /// Seconds between simulated visitor messages; 0 turns the simulator off.
    /// Defaults to 5 with --demo, off otherwise.
    #[arg(long)]
    simulate_every: Option<u64>,
    /// Requests a minute per API key (workspaces can set their own).
    #[arg(long, env = "SWITCHBOARD_RATE_LIMIT", default_value_t = switchboard_server::DEFAULT_RATE_LIMIT_PER_MINUTE,
          value_parser = clap::value_parser!(u32).range(1..))]
    rate_limit: u32,
    /// Let webhooks (and pages read for AI replies) go to loopback addresses, receivers on
    /// this machine. Private, link-local and metadata addresses stay refused.
    #[arg(long, env = "SWITCHBOARD_WEBHOOKS_ALLOW_LOOPBACK")]
    webhooks_allow_loopback: bool,
    /// An OpenAI-compatible chat-completions API for AI replies, e.g.
    /// https://api.openai.com/v1 or a local http://127.0.0.1:8081/v1. Without it the
    /// built-in composer answers. Its key is read from SWITCHBOARD_AI_API_KEY.
    #[arg(long, env = "SWITCHBOARD_AI_BASE_URL")]
    ai_base_url: Option<String>,
    /// The model to ask.
    #[arg(long, env = "SWITCHBOARD_AI_MODEL", default_value = "gpt-4o-mini")]
    ai_model: String,
    /// The file holding the server key that seals stored secrets (default: the database
    /// file's name plus `.key`, beside it, made owner-only on first start). Or give the key
    /// itself in SWITCHBOARD_SECRET_KEY (base64; during a rotation several, comma-separated,
    /// the new one first).
    #[arg(long, env = "SWITCHBOARD_SECRET_KEY_FILE")]
    secret_key_file: Option<PathBuf>,
}

/// Where the server key comes from: the environment's keys, a named file, or the file
/// beside the database.
fn secret_key_source(file: Option<PathBuf>) -> Result<switchboard_server::SecretKeySource, Failure> {
    use switchboard_server::SecretKeySource;
    let keys = std::env::var(switchboard_server::vault::ENV_KEYS).ok().filter(|k| !k.trim().is_empty());
    match (keys, file) {
        (Some(_), Some(_)) => Err(Failure::Usage(format!(
            "give the server key either in {} or with --secret-key-file, not both",
            switchboard_server::vault::ENV_KEYS
        ))),
        (Some(keys), None) => Ok(SecretKeySource::Keys(keys)),
        (None, Some(file)) => Ok(SecretKeySource::File(file)),
        (None, None) => Ok(SecretKeySource::BesideDatabase),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = match parse(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(exit) => return exit,
    };
    let json = cli.json;
    let command = match cli.command {
        Command::Serve(args) => {
            return match serve(args).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => output::fail(&e, json),
            };
        }
        Command::SecretKey(SecretKeyCommand::Rotate { db, secret_key_file }) => {
            return match rotate_secret_key(&db, secret_key_file, json) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => output::fail(&e, json),
            };
        }
        other => other,
    };
    let ended = match context::Context::new(cli.home, cli.profile, json) {
        Ok(mut ctx) => run(&mut ctx, command).await,
        Err(e) => Err(e.into()),
    };
    match ended {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => output::fail(&e, json),
    }
}

/// Reads the arguments. `--help` and `--version` print as clap prints them (exit 0);
/// anything clap refuses is a usage error, printed like every other error (as JSON with
/// `--json`) with exit 2.
fn parse(args: Vec<OsString>) -> Result<Cli, ExitCode> {
    let parsed = command().try_get_matches_from(&args).and_then(|mut m| Cli::from_arg_matches_mut(&mut m));
    match parsed {
        Ok(cli) => Ok(cli),
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            Err(ExitCode::SUCCESS)
        }
        Err(e) => {
            let usage = Failure::Usage(output::usage_text(&e.render().to_string()));
            Err(output::fail(&usage, wants_json(&args)))
        }
    }
}

/// The command line as clap reads it, except that a missing subcommand is an error with a
/// sentence ("requires a subcommand") rather than the whole help printed as one, which
/// `--json` could not turn into `{error, code}`.
fn command() -> clap::Command {
    fn subcommand_or_error(c: clap::Command) -> clap::Command {
        c.arg_required_else_help(false).mut_subcommands(subcommand_or_error)
    }
    subcommand_or_error(Cli::command())
}

/// Whether `--json` was given, from the raw arguments: when clap refuses them there are no
/// parsed ones. As for clap, nothing after `--` is a flag.
fn wants_json(args: &[OsString]) -> bool {
    args.iter().skip(1).take_while(|a| *a != "--").any(|a| a == "--json")
}

async fn run(ctx: &mut context::Context, command: Command) -> Result<(), Failure> {
    use switchboard_api::ConversationStatus as Status;
    match command {
        Command::Profile(c) => Ok(profile::run(ctx, c).await?),
        Command::Sync => Ok(inbox::run_sync(ctx).await?),
        Command::Inbox(f) => Ok(inbox::inbox(ctx, f).await?),
        Command::Show { conversation, offline } => Ok(inbox::show_conversation(ctx, conversation, offline).await?),
        Command::Send { conversation, text } => {
            inbox::queue(ctx, conversation, OutboxAction::Text { body: text }).await
        }
        Command::Note { conversation, text } => {
            inbox::queue(ctx, conversation, OutboxAction::Note { body: text }).await
        }
        Command::Assign { conversation, to } => Ok(inbox::assign(ctx, conversation, to).await?),
        Command::Resolve { conversation } => {
            inbox::queue(ctx, conversation, OutboxAction::Status { status: Status::Resolved, snoozed_until: None })
                .await
        }
        Command::Reopen { conversation } => {
            inbox::queue(ctx, conversation, OutboxAction::Status { status: Status::Open, snoozed_until: None }).await
        }
        Command::Snooze { conversation, until } => {
            let until = inbox::until(&until)?;
            inbox::queue(
                ctx,
                conversation,
                OutboxAction::Status { status: Status::Snoozed, snoozed_until: Some(until) },
            )
            .await
        }
        Command::Search { text, filters } => Ok(inbox::search(ctx, text, filters).await?),
        Command::Leads { offline } => Ok(inbox::leads(ctx, offline).await?),
        Command::Appointments { offline } => Ok(inbox::appointments(ctx, offline).await?),
        Command::Outbox(c) => Ok(inbox::outbox(ctx, c).await?),
        Command::Keys(c) => Ok(admin::keys(ctx, c).await?),
        Command::Webhooks(c) => Ok(admin::webhooks(ctx, c).await?),
        // `main` runs these before any profile is read.
        Command::Serve(_) | Command::SecretKey(_) => Ok(()),
    }
}

/// `switchboard secret-key rotate`.
fn rotate_secret_key(db: &std::path::Path, file: Option<PathBuf>, json: bool) -> Result<(), Failure> {
    let source = secret_key_source(file)?;
    let (key_id, resealed) =
        switchboard_server::rotate_secret_key(db, &source).map_err(|error| Failure::SecretKey { error })?;
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Rotated {
        key_id: String,
        resealed: usize,
    }
    output::show(json, &Rotated { key_id, resealed }, |r| {
        format!(
            "Rotated: {} stored secrets are sealed under the new server key {}; the old key is gone from the key file.",
            r.resealed, r.key_id
        )
    });
    Ok(())
}

async fn serve(args: ServeArgs) -> Result<(), Failure> {
    let ServeArgs {
        db,
        bind,
        demo,
        simulate_every,
        rate_limit,
        webhooks_allow_loopback,
        ai_base_url,
        ai_model,
        secret_key_file,
    } = args;
    let secret_key = secret_key_source(secret_key_file)?;
    let allow_loopback = webhooks_allow_loopback;
    // The key only from the environment: on the command line it would show in `ps`.
    let language_model = ai_base_url.map(|base_url| ModelSettings {
        base_url,
        model: ai_model,
        api_key: std::env::var("SWITCHBOARD_AI_API_KEY").ok().filter(|k| !k.is_empty()),
        timeout: Duration::from_secs(30),
    });
    let seconds = simulate_every.unwrap_or(if demo { 5 } else { 0 });
    let mut config = ServerConfig {
        demo,
        simulate_every: (seconds > 0).then(|| Duration::from_secs(seconds)),
        rate_limit_per_minute: rate_limit,
        language_model,
        secret_key,
        ..ServerConfig::new(db.clone(), bind)
    };
    config.webhooks.policy = TargetPolicy { allow_loopback };
    let mut server = Server::start(config).await.map_err(|error| Failure::Serve { db, bind, error })?;
    let workspace = server.workspace().clone();
    println!("Workspace \"{}\" ({}) at {}/api/v1", workspace.name, workspace.id, server.base_url());
    for channel in server.channels().await.unwrap_or_default() {
        if let Some(web) = channel.web.filter(|_| channel.active) {
            println!("Chat with it as a visitor ({}): {}{}", channel.name, server.base_url(), web.widget_path);
        }
    }
    if let Some(key) = server.take_first_key() {
        // The only time this key is ever shown; the server keeps just its hash.
        println!("\nAdmin API key (shown once, store it now):\n\n    {}\n", key.plaintext);
    }
    println!("Listening. Press Ctrl-C to stop.");
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("error: cannot listen for Ctrl-C; stopping");
    }
    server.shutdown().await;
    Ok(())
}
