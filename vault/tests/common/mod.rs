//! The blob backends the store tests run against: a temporary directory, and a real
//! S3-compatible server (moto's `moto_server`, which `medchain_setup` in scripts/common.sh
//! installs; `MEDCHAIN_S3_SERVER` names another) started on a free loopback port with one bucket
//! and stopped when the test ends.
// A test that cannot start its server fails, with the reason.
#![allow(clippy::panic)]

use std::{
	io::{Read, Write},
	net::{TcpListener, TcpStream},
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	thread::sleep,
	time::{Duration, Instant},
};

use medchain_vault::{
	blobs::{Blobs, Filesystem, S3Config, S3},
	store::{Id, Recovery, Store},
};
use rusty_s3::Credentials;
use url::Url;

pub const BUCKET: &str = "medchain-vault-test";
pub const REGION: &str = "us-east-1";
/// What the vault signs with; moto accepts any key, as a real service accepts its own.
pub const ACCESS_KEY: (&str, &str) = ("medchain-test", "medchain-test-secret");

pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// An S3-compatible server with the bucket [`BUCKET`], killed when dropped.
pub struct S3Server {
	child: Child,
	pub endpoint: String,
}

impl S3Server {
	pub fn start() -> Self {
		let program =
			std::env::var_os("MEDCHAIN_S3_SERVER").map(PathBuf::from).unwrap_or_else(|| {
				let home = std::env::var_os("HOME").expect("HOME is set");
				Path::new(&home).join(".cache/medchain/s3-venv/bin/moto_server")
			});
		let port = free_port();
		let mut child = Command::new(&program)
			.args(["-H", "127.0.0.1", "-p", &port.to_string()])
			.stdout(Stdio::null())
			.stderr(Stdio::null())
			.spawn()
			.unwrap_or_else(|error| {
				panic!(
					"cannot start the S3 test server {}: {error}; run medchain_setup \
					 (scripts/common.sh; scripts/test does) or set MEDCHAIN_S3_SERVER",
					program.display()
				)
			});
		let started = Instant::now();
		while TcpStream::connect(("127.0.0.1", port)).is_err() {
			assert!(child.try_wait().unwrap().is_none(), "the S3 test server exited");
			assert!(
				started.elapsed() < Duration::from_secs(60),
				"the S3 test server did not start"
			);
			sleep(Duration::from_millis(100));
		}
		let server = Self { child, endpoint: format!("http://127.0.0.1:{port}") };
		// moto checks no signature; a bare PUT creates the bucket.
		let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
		write!(stream, "PUT /{BUCKET} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			.unwrap();
		let mut response = String::new();
		stream.read_to_string(&mut response).unwrap();
		assert!(response.starts_with("HTTP/1.1 200"), "creating the bucket: {response}");
		server
	}

	pub fn config(&self) -> S3Config {
		S3Config {
			endpoint: Url::parse(&self.endpoint).unwrap(),
			bucket: BUCKET.into(),
			region: REGION.into(),
			credentials: Credentials::new(ACCESS_KEY.0, ACCESS_KEY.1),
			timeout: Duration::from_secs(30),
		}
	}

	/// Stops the server, as an outage would.
	pub fn stop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

impl Drop for S3Server {
	fn drop(&mut self) {
		self.stop();
	}
}

/// Where a test's blobs go.
pub enum Backend {
	Filesystem,
	S3 { server: S3Server, runtime: tokio::runtime::Runtime },
}

impl Backend {
	pub fn s3() -> Self {
		Self::S3 { server: S3Server::start(), runtime: tokio::runtime::Runtime::new().unwrap() }
	}

	/// The vault's own view of the blobs of the store in `dir` whose id is `vault_id`.
	pub fn blobs(&self, dir: &Path, vault_id: &Id) -> Box<dyn Blobs> {
		match self {
			Self::Filesystem => Box::new(Filesystem::open(dir).unwrap()),
			Self::S3 { server, runtime } => Box::new(
				S3::new(
					server.config(),
					format!("medchain-vault/{}/", hex::encode(vault_id)),
					runtime.handle().clone(),
				)
				.unwrap(),
			),
		}
	}

	/// Opens the store in `dir` on this backend, as the binary does.
	pub fn open(&self, dir: &Path) -> (Store, Recovery) {
		Store::open_with(dir, |vault_id| Ok(self.blobs(dir, vault_id))).unwrap()
	}
}
