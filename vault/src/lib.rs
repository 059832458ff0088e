//! `medchain-vault`: off-chain storage of sealed objects (`docs/sealing-v1.md`). It accepts an
//! upload only when the request is signed by the uploader and the bytes are a well-framed sealed
//! object whose content id is the one named; it keeps objects crash-safe ([`store`]) and serves
//! them only to accounts its [`http::ReadPolicy`] allows: with a node, [`chain::ChainPolicy`]
//! asks the chain at its finalized head (asked on every read, or followed by subscription with
//! [`heads`]). Beside the objects it keeps their key envelopes
//! ([`envelopes`]), served only to their recipient under the same policy. The objects' bytes live
//! in a [`blobs::Blobs`] backend (a local directory or an S3-compatible bucket), the indexes
//! beside the vault. Run by a storage provider (`--provider-key`), it also answers the chain's
//! audits of the provider's replicas and reports the reads it served, each a receipt the reader
//! signed ([`duties`], [`receipts`]). [`client`] is a Rust client of the vault.

pub mod auth;
pub mod blobs;
pub mod chain;
pub mod client;
pub mod duties;
pub mod envelopes;
pub mod heads;
pub mod http;
pub mod receipts;
pub mod store;

use hyper_util::client::legacy::connect::HttpConnector;

/// The TCP connector of the vault's HTTP clients (the node, the S3 store, a vault), with
/// TCP_NODELAY on: a request written in more than one segment then never waits for the peer's
/// delayed acknowledgement (up to 40 ms on Linux), which on loopback costs more than the request.
pub fn http_connector() -> HttpConnector {
	let mut connector = HttpConnector::new();
	connector.set_nodelay(true);
	connector
}
