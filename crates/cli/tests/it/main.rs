//! The `switchboard` binary driven as a user would: its commands and `serve`.

mod commands;
mod common;
mod serve;
