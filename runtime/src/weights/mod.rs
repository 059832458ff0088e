//! Base weights measured on this machine by `scripts/benchmark-weights overhead`: the cost of
//! executing an empty block and a no-op extrinsic. `configs::RuntimeBlockWeights` uses them.

pub mod block_weights;
pub mod extrinsic_weights;

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;
