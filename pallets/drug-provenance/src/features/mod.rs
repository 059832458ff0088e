//! The `do_*` logic behind the calls, one file per area (the same areas as `tests/`). Every
//! `do_*` checks everything before it writes anything.

mod custody;
mod partners;
mod products_and_batches;
mod retirement;
mod suspects_and_recalls;
mod verification;
