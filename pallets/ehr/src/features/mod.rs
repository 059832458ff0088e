//! The `do_*` logic behind the calls, one file per area (the areas of `tests/`). Each `do_*`
//! checks everything before it writes.

mod access_log;
mod break_glass;
mod cleanup;
mod grants;
mod guardians;
mod providers;
mod records;
mod requests;
mod review_access;
