//! The blob backends the store tests run against: a temporary directory, and a real S3 server
//! (Ceph's RADOS Gateway on a one-node cluster, `scripts/ceph-s3-server`, whose packages
//! `medchain_setup` in scripts/common.sh installs; `MEDCHAIN_S3_SERVER` names another with the same
//! flags) started on a free loopback port with one bucket and stopped when the test ends.
// A test that cannot start its server fails, with the reason.
#![allow(clippy::panic)]

use std::{
	io::{BufRead, BufReader},
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::mpsc,
	time::Duration,
};

use medchain_vault::{
	blobs::{Blobs, Filesystem, S3Config, S3},
	store::{Id, Recovery, Store},
};
use rusty_s3::Credentials;
use url::Url;

pub const BUCKET: &str = "medchain-vault-test";
pub const REGION: &str = "us-east-1";
/// The gateway user's key, which the server is started with and the vault signs with.
pub const ACCESS_KEY: (&str, &str) = ("medchain-test", "medchain-test-secret");
/// A one-node Ceph takes 15–20 s to start on an idle 2-core machine; tests start several at once.
const START_TIMEOUT: Duration = Duration::from_secs(240);

pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// An S3 server with the bucket [`BUCKET`], stopped and its directory removed when dropped.
pub struct S3Server {
	child: Child,
	/// Taken, and kept on disk, when the server fails to start: its logs say why.
	dir: Option<tempfile::TempDir>,
	pub endpoint: String,
}

impl S3Server {
	pub fn start() -> Self {
		let program =
			std::env::var_os("MEDCHAIN_S3_SERVER").map(PathBuf::from).unwrap_or_else(|| {
				// This checkout's script, as the shared vectors are found (tests/vectors.rs of seal).
				let dir = std::env::var("CARGO_MANIFEST_DIR")
					.unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into());
				Path::new(&dir).join("../scripts/ceph-s3-server")
			});
		let dir = tempfile::tempdir().unwrap();
		let port = free_port();
		let child = Command::new(&program)
			.arg("--dir")
			.arg(dir.path())
			.args(["--listen", &format!("127.0.0.1:{port}"), "--bucket", BUCKET])
			.args(["--access-key", ACCESS_KEY.0, "--secret-key", ACCESS_KEY.1])
			.stdout(Stdio::piped())
			.spawn()
			.unwrap_or_else(|error| {
				panic!(
					"cannot start the S3 test server {}: {error}; run medchain_setup \
					 (scripts/common.sh; scripts/test does) or set MEDCHAIN_S3_SERVER",
					program.display()
				)
			});
		let mut server =
			Self { child, dir: Some(dir), endpoint: format!("http://127.0.0.1:{port}") };
		// It prints `ready` once the bucket exists; a thread reads it, so that waiting can end.
		let stdout = server.child.stdout.take().unwrap();
		let (ready, first_line) = mpsc::channel();
		std::thread::spawn(move || {
			let mut line = String::new();
			let _ = BufReader::new(stdout).read_line(&mut line);
			let _ = ready.send(line);
		});
		match first_line.recv_timeout(START_TIMEOUT) {
			Ok(line) if line.trim() == "ready" => server,
			outcome => {
				server.stop();
				let logs = server.dir.take().map(tempfile::TempDir::keep);
				panic!("the S3 test server did not start ({outcome:?}); its logs: {logs:?}")
			},
		}
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

	/// Stops the server at once, as an outage would: the script is killed, and the kernel kills
	/// its daemons.
	pub fn stop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

impl Drop for S3Server {
	fn drop(&mut self) {
		// An orderly stop (the script stops its daemons and waits for them) before the
		// directory they write in is removed.
		if matches!(self.child.try_wait(), Ok(None)) {
			let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
		}
		let _ = self.child.wait();
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
