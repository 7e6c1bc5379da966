//! `switchboard profile add|list|use|remove`: the workspaces this machine talks to.

use std::io::BufRead;

use clap::Subcommand;
use switchboard_core::{CoreError, Profile};

use crate::context::Context;
use crate::output::{show, table};

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Adds a workspace. The API key is read from SWITCHBOARD_API_KEY or the first line of
    /// standard input (never an argument: arguments show in `ps`), checked with the
    /// server, and kept in the OS keychain.
    Add {
        name: String,
        /// The server's address, e.g. https://inbox.example.com
        #[arg(long)]
        url: String,
    },
    List,
    /// Makes a profile the one commands use.
    Use {
        name: String,
    },
    /// Removes a profile, its key from the keychain and its cache.
    Remove {
        name: String,
    },
}

fn rows(profiles: &[Profile], current: Option<&str>) -> String {
    table(
        &["", "NAME", "WORKSPACE", "AS", "SCOPES", "URL"],
        profiles
            .iter()
            .map(|p| {
                vec![
                    if Some(p.name.as_str()) == current { "*".into() } else { String::new() },
                    p.name.clone(),
                    p.workspace_name.clone(),
                    p.member_name.clone(),
                    p.scopes.join(","),
                    p.base_url.clone(),
                ]
            })
            .collect(),
    )
}

pub async fn run(ctx: &mut Context, command: ProfileCommand) -> Result<(), CoreError> {
    match command {
        ProfileCommand::Add { name, url } => {
            let key = match std::env::var("SWITCHBOARD_API_KEY") {
                Ok(key) if !key.trim().is_empty() => key,
                _ => {
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line).map_err(|e| CoreError::Io(e.to_string()))?;
                    line
                }
            };
            let secrets = ctx.secrets().await?;
            let profile = ctx.profiles.add(&secrets, &name, &url, &key).await?;
            show(ctx.json, &profile, |p| {
                format!("Added {} ({} as {}); the key is in the OS keychain.", p.name, p.workspace_name, p.member_name)
            });
        }
        ProfileCommand::List => {
            let current = ctx.profiles.current().map(|p| p.name.clone());
            let list = ctx.profiles.list().to_vec();
            show(ctx.json, &list, |l| {
                if l.is_empty() {
                    "No profiles yet: add one with `switchboard profile add NAME --url URL`.".into()
                } else {
                    rows(l, current.as_deref())
                }
            });
        }
        ProfileCommand::Use { name } => {
            let profile = ctx.profiles.choose(&name)?.clone();
            show(ctx.json, &profile, |p| format!("Using {} ({}).", p.name, p.workspace_name));
        }
        ProfileCommand::Remove { name } => {
            let secrets = ctx.secrets().await?;
            ctx.profiles.remove(&secrets, &name).await?;
            show(ctx.json, &serde_json::json!({"removed": name}), |_| {
                format!("Removed {name}, its key and its cache.")
            });
        }
    }
    Ok(())
}
