//! Weights measured on this machine by `scripts/benchmark-weights`: the block and extrinsic base
//! weights (`overhead`), ParityDB's read/write costs (`storage`, on a filled dev chain) and the SDK
//! pallets and transaction extensions the runtime uses (`runtime`). `configs` uses them all.

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_collective;
pub mod pallet_membership;
pub mod pallet_multisig;
pub mod pallet_parameters;
pub mod pallet_preimage;
pub mod pallet_proxy;
pub mod pallet_sudo;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod pallet_utility;
pub mod pallet_whitelist;
// The CLI's storage template puts doc comments on the fields of a struct expression.
#[allow(unused_doc_comments)]
pub mod paritydb_weights;

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;
