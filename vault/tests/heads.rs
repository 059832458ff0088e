//! Following the node's finalized heads (`--follow-finalized`): a fake node serves
//! `chain_subscribeFinalizedHeads` over a WebSocket as a medchain-node does, and the test checks
//! that the vault's followed head is the hash of each header it announces, that it has none once
//! the subscription ends (so reads ask the node again), and that it subscribes again, backing off
//! while the node refuses.
// Tests may unwrap, panic, index and count freely: the runtime-safety lints (in clippy's
// restriction group) are for the vault's own code.
#![allow(clippy::restriction)]

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use medchain_runtime::Header;
use medchain_vault::heads::{
	finalized_head, FinalizedHeads, HeadsError, FIRST_RESUBSCRIBE_DELAY, MAX_RESUBSCRIBE_DELAY,
};
use serde_json::json;
use sp_core::H256;
use sp_runtime::{traits::Header as _, Digest};
use tokio::{net::TcpListener, sync::mpsc};
use tokio_tungstenite::tungstenite::Message;

fn header(number: u32) -> Header {
	Header::new(
		number,
		H256::repeat_byte(1),
		H256::repeat_byte(2),
		H256::repeat_byte(3),
		Digest::default(),
	)
}

fn hash_of(header: &Header) -> String {
	format!("0x{}", hex::encode(header.hash()))
}

fn notification(header: &Header) -> String {
	json!({
		"jsonrpc": "2.0",
		"method": "chain_finalizedHead",
		"params": { "subscription": "s1", "result": serde_json::to_value(header).unwrap() },
	})
	.to_string()
}

#[test]
fn a_notification_names_the_hash_of_its_header_and_anything_else_names_no_head() {
	let announced = header(7);
	assert_eq!(finalized_head(&notification(&announced)).unwrap(), Some((hash_of(&announced), 7)));
	// The subscription's confirmation.
	assert_eq!(finalized_head(r#"{"jsonrpc":"2.0","id":1,"result":"s1"}"#).unwrap(), None);
	assert!(matches!(
		finalized_head(r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no"}}"#),
		Err(HeadsError::Refused(_))
	));
	let not_a_header = json!({ "jsonrpc": "2.0", "method": "chain_finalizedHead", "params": { "result": { "number": "x" } } });
	assert!(matches!(finalized_head(&not_a_header.to_string()), Err(HeadsError::BadHeader(_))));
	assert!(matches!(finalized_head("not json"), Err(HeadsError::BadHeader(_))));
}

async fn until_latest(heads: &FinalizedHeads, wanted: Option<String>) {
	for _ in 0..200 {
		if heads.latest() == wanted {
			return;
		}
		tokio::time::sleep(Duration::from_millis(10)).await;
	}
	panic!("the followed head stayed {:?}, not {wanted:?}", heads.latest());
}

#[tokio::test]
async fn the_followed_head_is_the_last_announced_none_after_the_subscription_ends_and_back_after_resubscribing(
) {
	let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
	let url = format!("ws://{}", listener.local_addr().unwrap());
	// Each connection the node accepts takes the headers to announce from here; dropping the
	// sender ends that subscription.
	let (connections, mut accepted) = mpsc::unbounded_channel();
	tokio::spawn(async move {
		loop {
			let (stream, _) = listener.accept().await.unwrap();
			let mut socket = tokio_tungstenite::accept_async(stream).await.unwrap();
			let request = socket.next().await.unwrap().unwrap();
			let request: serde_json::Value =
				serde_json::from_str(request.to_text().unwrap()).unwrap();
			assert_eq!(request["method"], "chain_subscribeFinalizedHeads");
			socket
				.send(Message::text(
					json!({ "jsonrpc": "2.0", "id": request["id"], "result": "s1" }).to_string(),
				))
				.await
				.unwrap();
			let (announce, mut to_announce) = mpsc::unbounded_channel::<Header>();
			connections.send(announce).unwrap();
			while let Some(header) = to_announce.recv().await {
				socket.send(Message::text(notification(&header))).await.unwrap();
			}
			socket.close(None).await.unwrap();
		}
	});

	let heads = FinalizedHeads::follow(&url).unwrap();
	assert_eq!(heads.latest(), None, "no head before the node announced one");
	let first = accepted.recv().await.unwrap();
	first.send(header(1)).unwrap();
	until_latest(&heads, Some(hash_of(&header(1)))).await;
	first.send(header(2)).unwrap();
	until_latest(&heads, Some(hash_of(&header(2)))).await;
	// Its number and age are the vault's chain-lag metrics.
	let followed = heads.followed().unwrap();
	assert_eq!(followed.number, 2);
	assert!(followed.received.elapsed() < Duration::from_secs(5));

	// The node ends the subscription: no followed head, so reads ask the node again.
	drop(first);
	until_latest(&heads, None).await;

	// The vault subscribes again and follows the new announcements.
	let second = accepted.recv().await.unwrap();
	second.send(header(3)).unwrap();
	until_latest(&heads, Some(hash_of(&header(3)))).await;
}

#[tokio::test]
async fn a_node_that_refuses_is_asked_again_after_a_wait_that_doubles() {
	let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
	let url = format!("ws://{}", listener.local_addr().unwrap());
	let heads = FinalizedHeads::follow(&url).unwrap();
	// A node that takes the connection and closes it before the WebSocket handshake.
	let mut attempts = Vec::new();
	for _ in 0..4 {
		let (stream, _) = listener.accept().await.unwrap();
		attempts.push(Instant::now());
		drop(stream);
	}
	assert_eq!(heads.latest(), None);
	let waits: Vec<Duration> = attempts.windows(2).map(|pair| pair[1] - pair[0]).collect();
	// 1 s, 2 s, 4 s: each at least the planned wait (a fixed 1 s wait fails the second).
	let mut planned = FIRST_RESUBSCRIBE_DELAY;
	for wait in &waits {
		assert!(*wait >= planned, "waited {wait:?}, planned {planned:?}: {waits:?}");
		planned = (planned * 2).min(MAX_RESUBSCRIBE_DELAY);
	}
}

#[test]
fn only_a_node_url_is_followed() {
	assert!(matches!(FinalizedHeads::follow("ftp://127.0.0.1:9944"), Err(HeadsError::BadUrl(_))));
}
