//! Where the bytes of sealed objects live, behind one interface ([`Blobs`]): a directory on this
//! machine ([`Filesystem`], the default) or a bucket of an S3-compatible object store ([`S3`]:
//! Garage, Ceph RGW, MinIO, AWS S3). The index ([`crate::store`], `redb`) always stays on this
//! machine.
//!
//! Both backends make a blob appear whole or not at all under its name: the filesystem writes to
//! `tmp/`, syncs and renames into `objects/`; an S3 PUT is atomic (a PUT cut short stores
//! nothing). The store writes a blob before its index entry and erases the index entry before
//! the blob, and at start reconciles the two ([`crate::store::Store::open_with`]).
//!
//! The S3 client is `rusty-s3` (requests presigned with AWS Signature V4, RustCrypto's HMAC and
//! SHA-256) over the `hyper` client the vault already uses, with `rustls` for `https://`
//! endpoints: a few small crates, and no change to the features of crates the node shares.

use std::{
	fs,
	io::{self, Read, Seek, SeekFrom},
	ops::Range,
	path::{Path, PathBuf},
	sync::Arc,
	time::Duration,
};

use axum::body::{Body, Bytes};
use http_body_util::{BodyExt, Limited};
use hyper::{header, Method, Request, StatusCode};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::TokioExecutor,
};
use rand_core::{OsRng, RngCore};
use rusty_s3::{actions::ListObjectsV2, Bucket, Credentials, S3Action, UrlStyle};
use tokio::runtime::Handle;
use tokio_util::io::ReaderStream;
use url::Url;

/// Why a blob could not be stored, read, listed or removed.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
	#[error("blob I/O failed: {0}")]
	Io(#[from] io::Error),
	#[error("the object store did not answer {operation}: {detail}")]
	Unreachable { operation: &'static str, detail: String },
	#[error("the object store refused {operation} with HTTP {status}: {body}")]
	Refused { operation: &'static str, status: u16, body: String },
	#[error("the object store's answer to {operation} is not valid: {detail}")]
	BadAnswer { operation: &'static str, detail: String },
	#[error("the object store is not configured correctly: {0}")]
	Config(String),
}

/// A place for blobs, addressed by name (the store names them by content id, in hex).
///
/// The methods block: call them from blocking threads (`spawn_blocking`), as the store's callers
/// do.
pub trait Blobs: Send + Sync {
	/// `"filesystem"` or `"s3"`, for logs and metrics.
	fn backend(&self) -> &'static str;
	/// Stores the complete, synced file `file` under `name`, whole or not at all, replacing a
	/// blob of that name. The file may be moved away (the filesystem renames it into place);
	/// the caller removes what is left.
	fn put_file(&self, name: &str, file: &Path) -> Result<(), BlobError>;
	/// The bytes `range` of the blob `name`, `None` if there is no such blob.
	fn get(&self, name: &str, range: Range<u64>) -> Result<Option<Vec<u8>>, BlobError>;
	/// Removes the blob `name`; one that is absent is not an error.
	fn delete(&self, name: &str) -> Result<(), BlobError>;
	/// The names of all blobs.
	fn list(&self) -> Result<Vec<String>, BlobError>;
	/// Removes what interrupted writes left behind (never visible under a name); how many.
	fn remove_partial(&self) -> Result<usize, BlobError>;
}

/// Blobs as files: `DIR/objects/<name>`, written through `DIR/tmp`.
pub struct Filesystem {
	objects: PathBuf,
	tmp: PathBuf,
}

impl Filesystem {
	/// The blobs under `dir` (directories created if missing).
	pub fn open(dir: &Path) -> Result<Self, BlobError> {
		let objects = dir.join("objects");
		let tmp = dir.join("tmp");
		fs::create_dir_all(&objects)?;
		fs::create_dir_all(&tmp)?;
		Ok(Self { objects, tmp })
	}
}

impl Blobs for Filesystem {
	fn backend(&self) -> &'static str {
		"filesystem"
	}

	fn put_file(&self, name: &str, file: &Path) -> Result<(), BlobError> {
		let target = self.objects.join(name);
		match fs::rename(file, &target) {
			Ok(()) => {},
			// The store stages uploads beside these directories; staged elsewhere, a file is
			// copied in through `tmp/` so that it still appears whole or not at all.
			Err(error) if error.kind() == io::ErrorKind::CrossesDevices => {
				let partial = self.tmp.join(format!("{name}.{}", OsRng.next_u64()));
				fs::copy(file, &partial)?;
				fs::File::open(&partial)?.sync_all()?;
				fs::rename(&partial, &target)?;
			},
			Err(error) => return Err(error.into()),
		}
		fs::File::open(&self.objects)?.sync_all()?;
		Ok(())
	}

	fn get(&self, name: &str, range: Range<u64>) -> Result<Option<Vec<u8>>, BlobError> {
		let mut file = match fs::File::open(self.objects.join(name)) {
			Ok(file) => file,
			Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
			Err(error) => return Err(error.into()),
		};
		file.seek(SeekFrom::Start(range.start))?;
		let len = range.end.saturating_sub(range.start);
		let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
		file.take(len).read_to_end(&mut bytes)?;
		if bytes.len() as u64 != len {
			return Err(io::Error::new(
				io::ErrorKind::UnexpectedEof,
				format!("the blob {name} is shorter than its index entry"),
			)
			.into());
		}
		Ok(Some(bytes))
	}

	fn delete(&self, name: &str) -> Result<(), BlobError> {
		match fs::remove_file(self.objects.join(name)) {
			Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error.into()),
			_ => Ok(()),
		}
	}

	fn list(&self) -> Result<Vec<String>, BlobError> {
		let mut names = Vec::new();
		for entry in fs::read_dir(&self.objects)? {
			let entry = entry?;
			match entry.file_name().into_string() {
				Ok(name) => names.push(name),
				// Never written by the store: remove it here, as recovery removes any stray blob.
				Err(_) => fs::remove_file(entry.path())?,
			}
		}
		Ok(names)
	}

	fn remove_partial(&self) -> Result<usize, BlobError> {
		let mut removed = 0usize;
		for entry in fs::read_dir(&self.tmp)? {
			fs::remove_file(entry?.path())?;
			removed = removed.saturating_add(1);
		}
		Ok(removed)
	}
}

/// Where an S3-compatible bucket is and how to sign for it.
#[derive(Debug, Clone)]
pub struct S3Config {
	/// The service's URL (`https://…`; `http://` only on a trusted network or loopback).
	pub endpoint: Url,
	pub bucket: String,
	pub region: String,
	pub credentials: Credentials,
	/// How long one request to the service may take.
	pub timeout: Duration,
}

/// How long a presigned request stays valid: it is sent at once.
const PRESIGNED_FOR: Duration = Duration::from_secs(300);
/// The most the vault buffers of an answer beyond the bytes it asked for (an error document, a
/// page of a listing: at most 1,000 keys).
const ANSWER_SLACK: usize = 1 << 20;
/// Bytes of an uploaded file read at a time into the request body.
const UPLOAD_PIECE: usize = 256 * 1024;

/// Blobs as objects of an S3-compatible bucket, keyed `<prefix><name>`, addressed path-style
/// (`<endpoint>/<bucket>/<key>`, which Garage, Ceph RGW, MinIO and AWS all serve).
pub struct S3 {
	bucket: Bucket,
	credentials: Credentials,
	prefix: String,
	timeout: Duration,
	client: Client<HttpsConnector<HttpConnector>, Body>,
	runtime: Handle,
}

impl S3 {
	/// A client of the bucket in `config` for the blobs whose keys begin with `prefix` (the
	/// vault uses `medchain-vault/<vault id>/`, so that vaults sharing a bucket never see each
	/// other's blobs), doing its I/O on `runtime`. Nothing is sent yet: the store's first
	/// listing shows whether the bucket answers.
	pub fn new(config: S3Config, prefix: String, runtime: Handle) -> Result<Self, BlobError> {
		let https = match config.endpoint.scheme() {
			"https" => true,
			"http" => false,
			other => {
				return Err(BlobError::Config(format!(
					"the endpoint's scheme is {other:?}, not https or http"
				)))
			},
		};
		let bucket = Bucket::new(config.endpoint, UrlStyle::Path, config.bucket, config.region)
			.map_err(|error| BlobError::Config(error.to_string()))?;
		let provider = Arc::new(rustls::crypto::ring::default_provider());
		let tls = if https {
			HttpsConnectorBuilder::new().with_provider_and_native_roots(provider)?.https_only()
		} else {
			// Plain HTTP: no certificate is ever checked, so no roots are loaded.
			let config = rustls::ClientConfig::builder_with_provider(provider)
				.with_safe_default_protocol_versions()
				.map_err(|error| BlobError::Config(error.to_string()))?
				.with_root_certificates(rustls::RootCertStore::empty())
				.with_no_client_auth();
			HttpsConnectorBuilder::new().with_tls_config(config).https_or_http()
		};
		let mut tcp = crate::http_connector();
		tcp.enforce_http(false); // the TLS layer above takes https:// URLs
		let client =
			Client::builder(TokioExecutor::new()).build(tls.enable_http1().wrap_connector(tcp));
		Ok(Self {
			bucket,
			credentials: config.credentials,
			prefix,
			timeout: config.timeout,
			client,
			runtime,
		})
	}

	/// Sends one request without a body and reads the whole answer, up to `expected` bytes and
	/// [`ANSWER_SLACK`] more, within the timeout.
	fn send(
		&self,
		operation: &'static str,
		method: Method,
		url: Url,
		range: Option<&str>,
		expected: u64,
	) -> Result<(StatusCode, Bytes), BlobError> {
		let mut request = Request::builder().method(method).uri(url.as_str());
		if let Some(range) = range {
			request = request.header(header::RANGE, range);
		}
		self.exchange(operation, request, None, expected)
	}

	/// Sends `request` with the bytes of `upload` (a file, streamed: never whole in memory) as
	/// its body, and reads the answer as [`Self::send`] does.
	fn exchange(
		&self,
		operation: &'static str,
		request: hyper::http::request::Builder,
		upload: Option<&Path>,
		expected: u64,
	) -> Result<(StatusCode, Bytes), BlobError> {
		let limit = usize::try_from(expected).unwrap_or(usize::MAX).saturating_add(ANSWER_SLACK);
		let unreachable = |detail: String| BlobError::Unreachable { operation, detail };
		self.runtime.block_on(async {
			let (request, body) = match upload {
				None => (request, Body::empty()),
				Some(path) => {
					let file = tokio::fs::File::open(path).await?;
					let len = file.metadata().await?.len();
					let request = request
						.header(header::CONTENT_TYPE, "application/octet-stream")
						.header(header::CONTENT_LENGTH, len);
					(request, Body::from_stream(ReaderStream::with_capacity(file, UPLOAD_PIECE)))
				},
			};
			let request =
				request.body(body).map_err(|error| BlobError::Config(error.to_string()))?;
			let exchange = async {
				let response = self
					.client
					.request(request)
					.await
					.map_err(|error| unreachable(error.to_string()))?;
				let status = response.status();
				let bytes = Limited::new(response.into_body(), limit)
					.collect()
					.await
					.map_err(|error| unreachable(error.to_string()))?
					.to_bytes();
				Ok::<_, BlobError>((status, bytes))
			};
			tokio::time::timeout(self.timeout, exchange)
				.await
				.map_err(|_| unreachable(format!("no answer within {:?}", self.timeout)))?
		})
	}

	fn key(&self, name: &str) -> String {
		format!("{}{name}", self.prefix)
	}
}

fn refused(operation: &'static str, status: StatusCode, body: &[u8]) -> BlobError {
	let body = String::from_utf8_lossy(body).chars().take(500).collect();
	BlobError::Refused { operation, status: status.as_u16(), body }
}

impl Blobs for S3 {
	fn backend(&self) -> &'static str {
		"s3"
	}

	fn put_file(&self, name: &str, file: &Path) -> Result<(), BlobError> {
		let key = self.key(name);
		let url = self.bucket.put_object(Some(&self.credentials), &key).sign(PRESIGNED_FOR);
		let request = Request::builder().method(Method::PUT).uri(url.as_str());
		let (status, answer) = self.exchange("PutObject", request, Some(file), 0)?;
		if !status.is_success() {
			return Err(refused("PutObject", status, &answer));
		}
		Ok(())
	}

	fn get(&self, name: &str, range: Range<u64>) -> Result<Option<Vec<u8>>, BlobError> {
		let key = self.key(name);
		let url = self.bucket.get_object(Some(&self.credentials), &key).sign(PRESIGNED_FOR);
		let len = range.end.saturating_sub(range.start);
		if len == 0 {
			return Ok(Some(Vec::new()));
		}
		let header = format!("bytes={}-{}", range.start, range.end.saturating_sub(1));
		let (status, answer) = self.send("GetObject", Method::GET, url, Some(&header), len)?;
		match status {
			StatusCode::NOT_FOUND => Ok(None),
			StatusCode::PARTIAL_CONTENT | StatusCode::OK if answer.len() as u64 == len => {
				Ok(Some(answer.to_vec()))
			},
			status if status.is_success() => Err(BlobError::BadAnswer {
				operation: "GetObject",
				detail: format!("{} bytes for a range of {len}", answer.len()),
			}),
			status => Err(refused("GetObject", status, &answer)),
		}
	}

	fn delete(&self, name: &str) -> Result<(), BlobError> {
		let key = self.key(name);
		let url = self.bucket.delete_object(Some(&self.credentials), &key).sign(PRESIGNED_FOR);
		let (status, answer) = self.send("DeleteObject", Method::DELETE, url, None, 0)?;
		if !status.is_success() && status != StatusCode::NOT_FOUND {
			return Err(refused("DeleteObject", status, &answer));
		}
		Ok(())
	}

	fn list(&self) -> Result<Vec<String>, BlobError> {
		let mut names = Vec::new();
		let mut token: Option<String> = None;
		loop {
			let mut action = self.bucket.list_objects_v2(Some(&self.credentials));
			action.with_prefix(self.prefix.as_str());
			if let Some(token) = &token {
				action.with_continuation_token(token.as_str());
			}
			let url = action.sign(PRESIGNED_FOR);
			let (status, answer) = self.send("ListObjectsV2", Method::GET, url, None, 0)?;
			if !status.is_success() {
				return Err(refused("ListObjectsV2", status, &answer));
			}
			let bad = |detail: String| BlobError::BadAnswer { operation: "ListObjectsV2", detail };
			let text = std::str::from_utf8(&answer).map_err(|error| bad(error.to_string()))?;
			let page =
				ListObjectsV2::parse_response(text).map_err(|error| bad(error.to_string()))?;
			for object in page.contents {
				match object.key.strip_prefix(&self.prefix) {
					Some(name) => names.push(name.to_owned()),
					None => return Err(bad(format!("{} is not under the prefix", object.key))),
				}
			}
			match page.next_continuation_token {
				Some(next) => token = Some(next),
				None => return Ok(names),
			}
		}
	}

	fn remove_partial(&self) -> Result<usize, BlobError> {
		// The store sends each blob in one PUT, which S3 applies whole or not at all (its upload
		// is staged on this machine, where the store removes what a crash left).
		Ok(0)
	}
}

/// S3 credentials as AWS tools find them: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (and
/// `AWS_SESSION_TOKEN`) in the environment, else the profile `AWS_PROFILE` (default `default`) of
/// the shared credentials file `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`).
pub fn credentials_from_environment() -> Result<Credentials, BlobError> {
	if let Some(credentials) = Credentials::from_env() {
		return Ok(credentials);
	}
	let path =
		match std::env::var_os("AWS_SHARED_CREDENTIALS_FILE") {
			Some(path) => PathBuf::from(path),
			None => match std::env::var_os("HOME") {
				Some(home) => Path::new(&home).join(".aws").join("credentials"),
				None => return Err(BlobError::Config(
					"no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and no HOME for ~/.aws/credentials"
						.into(),
				)),
			},
		};
	let profile = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into());
	let text = fs::read_to_string(&path).map_err(|error| {
		BlobError::Config(format!(
			"no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment, and {}: {error}",
			path.display()
		))
	})?;
	shared_credentials(&text, &profile).ok_or_else(|| {
		BlobError::Config(format!(
			"{} has no profile [{profile}] with aws_access_key_id and aws_secret_access_key",
			path.display()
		))
	})
}

/// The credentials of `[profile]` in the text of an AWS shared credentials file (INI).
pub fn shared_credentials(text: &str, profile: &str) -> Option<Credentials> {
	let (mut key, mut secret, mut token) = (None, None, None);
	let mut in_profile = false;
	for line in text.lines().map(str::trim) {
		if let Some(section) = line.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
			in_profile = section.trim() == profile;
		} else if let (true, Some((name, value))) = (in_profile, line.split_once('=')) {
			let value = Some(value.trim().to_owned());
			match name.trim() {
				"aws_access_key_id" => key = value,
				"aws_secret_access_key" => secret = value,
				"aws_session_token" => token = value,
				_ => {},
			}
		}
	}
	match (key?, secret?, token) {
		(key, secret, Some(token)) => Some(Credentials::new_with_token(key, secret, token)),
		(key, secret, None) => Some(Credentials::new(key, secret)),
	}
}
