//! `switchboard`: the command line. For now it runs the workspace server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use switchboard_server::ai::openai::OpenAiSettings;
use switchboard_server::webhooks::ssrf::TargetPolicy;
use switchboard_server::{Server, ServerConfig};

#[derive(Parser)]
#[command(name = "switchboard", version, about = "Switchboard workspace server and tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the workspace server. An empty database gets a workspace and an admin key,
    /// printed once.
    Serve(ServeArgs),
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
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Serve(args) => serve(args).await,
    }
}

async fn serve(args: ServeArgs) -> ExitCode {
    let ServeArgs { db, bind, demo, simulate_every, rate_limit, webhooks_allow_loopback, ai_base_url, ai_model } = args;
    let allow_loopback = webhooks_allow_loopback;
    // The key only from the environment: on the command line it would show in `ps`.
    let language_model = ai_base_url.map(|base_url| OpenAiSettings {
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
        ..ServerConfig::new(db.clone(), bind)
    };
    config.webhooks.policy = TargetPolicy { allow_loopback };
    let mut server = match Server::start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: could not start the server with database {}: {e}", db.display());
            return ExitCode::FAILURE;
        }
    };
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
    ExitCode::SUCCESS
}
