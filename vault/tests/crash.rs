//! The real binary killed with SIGKILL in the middle of an upload and after one, with its blobs
//! in a directory and in a real S3-compatible server: after a restart the half upload left
//! nothing, the whole one is served, and blobs and index agree.
// Tests may unwrap, panic, index and count freely: the runtime-safety lints (in clippy's
// restriction group) are for the vault's own code.
#![allow(clippy::restriction)]

mod common;

use std::{
	io::{Read, Write},
	net::TcpStream,
	path::Path,
	process::{Child, Command, Stdio},
	thread::sleep,
	time::{Duration, Instant},
};

use common::{free_port, Backend, ACCESS_KEY, BUCKET, REGION};
use medchain_vault::{
	auth::{signing_payload, unix_millis, Intent},
	store::Recovery,
};
use sp_core::{sr25519, Pair};

struct Running {
	child: Child,
	port: u16,
}

impl Drop for Running {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

fn start(data_dir: &Path, backend: &Backend) -> Running {
	let port = free_port();
	let mut command = Command::new(env!("CARGO_BIN_EXE_medchain-vault"));
	command.arg("--data-dir").arg(data_dir).arg("--listen").arg(format!("127.0.0.1:{port}"));
	if let Backend::S3 { server, .. } = backend {
		command
			.args(["--s3-endpoint", &server.endpoint, "--s3-bucket", BUCKET, "--s3-region", REGION])
			.env("AWS_ACCESS_KEY_ID", ACCESS_KEY.0)
			.env("AWS_SECRET_ACCESS_KEY", ACCESS_KEY.1);
	}
	let child = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
	let started = Instant::now();
	while TcpStream::connect(("127.0.0.1", port)).is_err() {
		assert!(started.elapsed() < Duration::from_secs(20), "the vault did not start");
		sleep(Duration::from_millis(50));
	}
	Running { child, port }
}

fn vault_id(running: &Running) -> [u8; 32] {
	let (_, body) =
		exchange(running.port, "GET /health HTTP/1.1\r\nHost: v\r\nConnection: close\r\n\r\n", &[]);
	let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
	let mut id = [0u8; 32];
	hex::decode_to_slice(&json["vaultId"].as_str().unwrap()[2..], &mut id).unwrap();
	id
}

fn signed_head(vault_id: &[u8; 32], method: &str, id: &[u8; 32], body_len: usize) -> String {
	let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
	let path = format!("/objects/0x{}", hex::encode(id));
	let timestamp = unix_millis();
	let intent =
		Intent { method, path: &path, content_id: id, body_len: body_len as u64, range: None };
	let signature = alice.sign(&signing_payload(vault_id, &intent, timestamp));
	format!(
		"{method} {path} HTTP/1.1\r\nHost: v\r\nConnection: close\r\nContent-Length: {body_len}\r\n\
		 x-medchain-account: 0x{}\r\nx-medchain-timestamp: {timestamp}\r\nx-medchain-signature: 0x{}\r\n\r\n",
		hex::encode(alice.public().0),
		hex::encode(signature.0)
	)
}

/// Sends `head` and `body`, returns the status code and the response body.
fn exchange(port: u16, head: &str, body: &[u8]) -> (u16, Vec<u8>) {
	let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
	stream.write_all(head.as_bytes()).unwrap();
	stream.write_all(body).unwrap();
	let mut response = Vec::new();
	stream.read_to_end(&mut response).unwrap();
	let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
	let status = std::str::from_utf8(&response[9..12]).unwrap().parse().unwrap();
	(status, response[split + 4..].to_vec())
}

fn sigkill_mid_upload_leaves_nothing_and_after_upload_leaves_the_whole_object(backend: &Backend) {
	let dir = tempfile::tempdir().unwrap();
	let sealed = medchain_seal::seal(&vec![5u8; 3 * 1024 * 1024]);
	let id = sealed.content_id;

	let mut running = start(dir.path(), backend);
	let vault = vault_id(&running);
	let mut half = TcpStream::connect(("127.0.0.1", running.port)).unwrap();
	half.write_all(signed_head(&vault, "PUT", &id, sealed.object.len()).as_bytes()).unwrap();
	half.write_all(&sealed.object[..sealed.object.len() / 2]).unwrap();
	sleep(Duration::from_millis(300));
	// The upload streams to a file as it arrives: half of it is on disk, not in memory.
	let uploads = || std::fs::read_dir(dir.path().join("uploads")).unwrap().count();
	let partial = std::fs::read_dir(dir.path().join("uploads")).unwrap().next().unwrap().unwrap();
	assert_eq!(uploads(), 1);
	assert!(partial.metadata().unwrap().len() >= 1 << 20, "a first piece of the upload is written");
	running.child.kill().unwrap(); // SIGKILL
	running.child.wait().unwrap();
	drop(half);

	let running = start(dir.path(), backend);
	assert_eq!(uploads(), 0, "recovery removes the half upload");
	let (status, _) = exchange(running.port, &signed_head(&vault, "GET", &id, 0), &[]);
	assert_eq!(status, 404, "a half upload must leave nothing");
	let (status, _) = exchange(
		running.port,
		&signed_head(&vault, "PUT", &id, sealed.object.len()),
		&sealed.object,
	);
	assert_eq!(status, 201);
	let mut running = running;
	running.child.kill().unwrap();
	running.child.wait().unwrap();

	let running = start(dir.path(), backend);
	let (status, body) = exchange(running.port, &signed_head(&vault, "GET", &id, 0), &[]);
	assert_eq!(status, 200);
	assert_eq!(
		medchain_seal::open(&sealed.data_key, &body).unwrap().commitment(),
		sealed.commitment
	);
	drop(running);

	// Blobs and index agree: opening the store finds nothing to repair, one object, one blob.
	let (store, recovery) = backend.open(dir.path());
	assert_eq!(recovery, Recovery::default());
	assert_eq!(store.totals().unwrap(), (1, sealed.object.len() as u64));
	assert_eq!(backend.blobs(dir.path(), &vault).list().unwrap(), vec![hex::encode(id)]);
}

#[test]
fn filesystem_sigkill_mid_upload_leaves_nothing_and_after_upload_leaves_the_whole_object() {
	sigkill_mid_upload_leaves_nothing_and_after_upload_leaves_the_whole_object(
		&Backend::Filesystem,
	);
}

#[test]
fn s3_sigkill_mid_upload_leaves_nothing_and_after_upload_leaves_the_whole_object() {
	sigkill_mid_upload_leaves_nothing_and_after_upload_leaves_the_whole_object(&Backend::s3());
}
