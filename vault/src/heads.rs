//! Following the node's finalized heads over a WebSocket subscription
//! (`chain_subscribeFinalizedHeads`), for `--follow-finalized`: a read is then decided at the
//! last head the node announced instead of asking the node for its finalized head first, one
//! round trip to the node less per read.
//!
//! What it changes: a revocation or expiry takes effect when the vault receives the notification
//! of the block that finalizes it (milliseconds after finality on a local network), not at the
//! first read after it. While the subscription is down (refused, closed, or no pong to a ping
//! within [`PING_INTERVAL`]) there is no followed head, and reads ask the node for its head
//! again until the subscription is back.

use std::{
	sync::{Arc, RwLock},
	time::{Duration, Instant},
};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

/// How often the subscription is pinged; a ping unanswered by the next one ends it.
pub const PING_INTERVAL: Duration = Duration::from_secs(5);
/// How long to wait before subscribing again after a subscription that announced a head ended.
pub const FIRST_RESUBSCRIBE_DELAY: Duration = Duration::from_secs(1);
/// Each attempt in a row that announces no head (the node is down, or refuses) doubles the wait,
/// up to this: a node that is down is not asked every second, nor the log filled with it.
pub const MAX_RESUBSCRIBE_DELAY: Duration = Duration::from_secs(30);

/// Why a subscription ended.
#[derive(Debug, thiserror::Error)]
pub enum HeadsError {
	#[error("the node URL {0:?} is not a ws:// or http:// URL")]
	BadUrl(String),
	#[error("the WebSocket failed: {0}")]
	Socket(#[from] tokio_tungstenite::tungstenite::Error),
	#[error("the node closed the subscription")]
	Closed,
	#[error("the node did not answer a ping within {PING_INTERVAL:?}")]
	NoPong,
	#[error("the node refused the subscription: {0}")]
	Refused(String),
	#[error("the node sent a finalized head that is not a header: {0}")]
	BadHeader(String),
}

/// A finalized head as announced: its hash (as the node writes block hashes), its number, and
/// when the vault received it.
#[derive(Clone, Debug)]
pub struct FollowedHead {
	pub hash: String,
	pub number: u32,
	pub received: Instant,
}

/// The last finalized head the node announced, while subscribed.
#[derive(Default)]
pub struct FinalizedHeads {
	latest: RwLock<Option<FollowedHead>>,
}

impl FinalizedHeads {
	/// The last finalized head announced, or `None` while not subscribed.
	pub fn followed(&self) -> Option<FollowedHead> {
		// A poisoned lock only means a writer panicked mid-write of an `Option`: the value is
		// still one or the other.
		self.latest.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
	}

	/// The hash of the last finalized head announced, or `None` while not subscribed.
	pub fn latest(&self) -> Option<String> {
		self.followed().map(|head| head.hash)
	}

	fn set(&self, head: Option<FollowedHead>) {
		*self.latest.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = head;
	}

	/// Follows the finalized heads of the node at `url` (`ws://…`, or `http://…` on the same
	/// port) from a task of its own, subscribing again whenever the subscription ends (after
	/// [`FIRST_RESUBSCRIBE_DELAY`], doubled for each attempt in a row that announced no head).
	pub fn follow(url: &str) -> Result<Arc<Self>, HeadsError> {
		let ws_url = match url.strip_prefix("http://") {
			Some(rest) => format!("ws://{rest}"),
			None if url.starts_with("ws://") => url.to_owned(),
			None => return Err(HeadsError::BadUrl(url.to_owned())),
		};
		let heads = Arc::new(Self::default());
		let following = heads.clone();
		tokio::spawn(async move {
			let mut wait = FIRST_RESUBSCRIBE_DELAY;
			loop {
				let ended = following.subscribe(&ws_url).await;
				if following.latest().is_some() {
					wait = FIRST_RESUBSCRIBE_DELAY;
				}
				following.set(None);
				tracing::warn!(node = %ws_url, error = %ended, retry_in = ?wait, "no longer following finalized heads: reads ask the node for its head until subscribed again");
				tokio::time::sleep(wait).await;
				wait = wait.saturating_mul(2).min(MAX_RESUBSCRIBE_DELAY);
			}
		});
		Ok(heads)
	}

	/// One subscription, from connecting to its end (always an error: it never ends otherwise).
	async fn subscribe(&self, url: &str) -> HeadsError {
		let (mut socket, _) = match tokio_tungstenite::connect_async(url).await {
			Ok(connected) => connected,
			Err(error) => return error.into(),
		};
		let request = json!({ "jsonrpc": "2.0", "id": 1, "method": "chain_subscribeFinalizedHeads", "params": [] });
		if let Err(error) = socket.send(Message::text(request.to_string())).await {
			return error.into();
		}
		let mut ping = tokio::time::interval(PING_INTERVAL);
		ping.tick().await;
		let mut awaiting_pong = false;
		loop {
			tokio::select! {
				message = socket.next() => match message {
					Some(Ok(Message::Text(text))) => match finalized_head(&text) {
						Ok(Some((hash, number))) => {
							if self.latest().is_none() {
								tracing::info!(node = %url, head = %hash, number, "following finalized heads");
							}
							tracing::debug!(head = %hash, number, "finalized head");
							self.set(Some(FollowedHead { hash, number, received: Instant::now() }));
						},
						Ok(None) => {},
						Err(error) => return error,
					},
					Some(Ok(Message::Pong(_))) => awaiting_pong = false,
					Some(Ok(Message::Close(_))) | None => return HeadsError::Closed,
					Some(Ok(_)) => {},
					Some(Err(error)) => return error.into(),
				},
				_ = ping.tick() => {
					if awaiting_pong {
						return HeadsError::NoPong;
					}
					if let Err(error) = socket.send(Message::Ping(Default::default())).await {
						return error.into();
					}
					awaiting_pong = true;
				},
			}
		}
	}
}

/// The hash (`0x` and 64 lowercase hex digits, as the node writes block hashes) and number of
/// the header a `chain_finalizedHead` notification carries; `None` for the subscription's
/// confirmation.
pub fn finalized_head(text: &str) -> Result<Option<(String, u32)>, HeadsError> {
	let message: Value =
		serde_json::from_str(text).map_err(|error| HeadsError::BadHeader(error.to_string()))?;
	if let Some(error) = message.get("error") {
		return Err(HeadsError::Refused(error.to_string()));
	}
	if message.get("method").and_then(Value::as_str) != Some("chain_finalizedHead") {
		return Ok(None);
	}
	let header = message.pointer("/params/result").cloned().unwrap_or(Value::Null);
	let header: medchain_runtime::Header =
		serde_json::from_value(header).map_err(|error| HeadsError::BadHeader(error.to_string()))?;
	Ok(Some((format!("0x{}", hex::encode(header.hash())), header.number)))
}
