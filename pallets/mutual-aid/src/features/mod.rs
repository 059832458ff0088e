//! The `do_*` logic behind the calls, one module per area (the same areas as `tests/`).

mod apportion;
mod claims;
mod membership;
mod pools;
mod review;
