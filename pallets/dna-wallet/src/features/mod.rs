//! The `do_*` logic behind the calls, one file per area (as `tests/`). Each `do_*` checks
//! everything before it writes.

mod datasets;
mod keys;
mod recovery;
mod research;
mod shares;
