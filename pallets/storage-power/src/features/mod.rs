//! The `do_*` logic behind the calls and the hooks, one file per area (the areas of `tests/`).
//! Every `do_*` checks everything before it writes anything.

mod audits;
mod chain_audits;
mod orders;
mod providers;
mod replicas;
mod reports;
mod rewards;
