//! The cache on real SQLite files: its writes and reads, and search over all history.

mod cache;
mod search;
