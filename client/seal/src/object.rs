//! The sealed object (spec §1): `header ‖ chunk_0 ‖ … ‖ chunk_{n-1}`, each chunk an
//! XChaCha20-Poly1305 ciphertext under the nonce `prefix ‖ counter ‖ last-flag`.

use chacha20poly1305::{
	aead::{inout::InOutBuf, AeadInOut, KeyInit},
	Tag, XChaCha20Poly1305, XNonce,
};
use rand_core::{OsRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::{commitment::commitment, content_id::content_id, Hash32};

/// The first four bytes of every sealed object.
pub const MAGIC: &[u8; 4] = b"MDCS";
/// The format version this crate writes (spec §1). It also opens objects of [`VERSION_1`].
pub const VERSION: u8 = 2;
/// The first format: its chunks all bind the header as associated data. Still opened, never
/// written except by [`seal_v1_with`].
pub const VERSION_1: u8 = 1;
/// Random bytes of the nonce that are fixed for one object.
pub const NONCE_PREFIX_LEN: usize = 19;
/// Magic, version and nonce prefix.
pub const HEADER_LEN: usize = 4 + 1 + NONCE_PREFIX_LEN;
/// Plaintext bytes in every chunk but the last.
pub const CHUNK_LEN: usize = 64 * 1024;
/// The Poly1305 tag that follows each chunk's ciphertext.
pub const TAG_LEN: usize = 16;
/// Bytes of salt in front of the content.
pub const SALT_LEN: usize = 32;

const SEALED_CHUNK_LEN: usize = CHUNK_LEN + TAG_LEN;

/// A 256-bit data key: fresh for every object, erased from memory when dropped.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct DataKey(pub [u8; 32]);

impl DataKey {
	/// A fresh key from the operating system's generator.
	pub fn random() -> Self {
		let mut key = [0u8; 32];
		OsRng.fill_bytes(&mut key);
		Self(key)
	}
}

impl core::fmt::Debug for DataKey {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str("DataKey(…)")
	}
}

/// A sealed object with what the client keeps or publishes about it.
#[derive(Debug)]
pub struct Sealed {
	/// The key that opens `object`; it leaves the client only inside envelopes.
	pub data_key: DataKey,
	/// The sealed bytes the vault stores.
	pub object: Vec<u8>,
	/// The Merkle content id of `object` (spec §2): the on-chain ciphertext hash.
	pub content_id: Hash32,
	/// The salted commitment of the content (spec §3).
	pub commitment: Hash32,
}

/// What opening an object returns: the content and the salt of its commitment.
#[derive(Debug, PartialEq, Eq)]
pub struct Opened {
	pub salt: Hash32,
	pub content: Vec<u8>,
}

impl Opened {
	/// The salted commitment of the content, to compare with the one on chain.
	pub fn commitment(&self) -> Hash32 {
		commitment(&self.salt, &self.content)
	}
}

/// Why an object did not open. No variant carries plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
	#[error("not a sealed object: shorter than a header and one chunk, or wrong magic bytes")]
	Malformed,
	#[error(
		"sealed object format version {0} is not supported (this reader knows versions 1 and 2)"
	)]
	UnsupportedVersion(u8),
	#[error("the sealed object is truncated: its last chunk is not the final one")]
	Truncated,
	#[error("the sealed object was tampered with or the key is wrong: chunk {chunk} does not authenticate")]
	Tampered { chunk: u32 },
	#[error("the sealed object does not start with a 32-byte salt")]
	MissingSalt,
}

/// Seals `content` under a fresh data key, nonce prefix and salt.
pub fn seal(content: &[u8]) -> Sealed {
	let mut nonce_prefix = [0u8; NONCE_PREFIX_LEN];
	let mut salt = [0u8; SALT_LEN];
	OsRng.fill_bytes(&mut nonce_prefix);
	OsRng.fill_bytes(&mut salt);
	let data_key = DataKey::random();
	let object = seal_with(&data_key, &nonce_prefix, &salt, content);
	Sealed {
		content_id: content_id(&object),
		commitment: commitment(&salt, content),
		data_key,
		object,
	}
}

/// Seals `content` with the given key, nonce prefix and salt: deterministic, for test vectors and
/// for re-sealing under a key already chosen. Never reuse a (key, prefix) pair for two contents.
pub fn seal_with(
	key: &DataKey,
	nonce_prefix: &[u8; NONCE_PREFIX_LEN],
	salt: &Hash32,
	content: &[u8],
) -> Vec<u8> {
	let mut object = Vec::new();
	seal_into(key, nonce_prefix, salt, content, &mut object);
	object
}

/// [`seal_with`] straight to `out` (a file, a socket), chunk by chunk through one 64 KiB buffer:
/// the object is never whole in memory, so an upload of any size costs one chunk of memory and
/// reads its content once. Fails when `out` does; what was written before is then no object.
pub fn seal_to(
	key: &DataKey,
	nonce_prefix: &[u8; NONCE_PREFIX_LEN],
	salt: &Hash32,
	content: &[u8],
	out: &mut impl std::io::Write,
) -> std::io::Result<()> {
	seal_chunks(VERSION, key, nonce_prefix, salt, content, &mut ThroughBuffer::new(out))
}

/// [`seal_with`] into `object`, which is cleared first and keeps its allocation: a caller that
/// seals many objects reuses one buffer instead of faulting in fresh pages for each (at 256 MiB
/// that costs about as much as the encryption).
pub fn seal_into(
	key: &DataKey,
	nonce_prefix: &[u8; NONCE_PREFIX_LEN],
	salt: &Hash32,
	content: &[u8],
	object: &mut Vec<u8>,
) {
	seal_version_into(VERSION, key, nonce_prefix, salt, content, object);
}

/// [`seal_with`] in the first format, [`VERSION_1`]: only to reproduce objects of that format
/// (the shared vectors). New objects are sealed in [`VERSION`].
pub fn seal_v1_with(
	key: &DataKey,
	nonce_prefix: &[u8; NONCE_PREFIX_LEN],
	salt: &Hash32,
	content: &[u8],
) -> Vec<u8> {
	let mut object = Vec::new();
	seal_version_into(VERSION_1, key, nonce_prefix, salt, content, &mut object);
	object
}

fn seal_version_into(
	version: u8,
	key: &DataKey,
	nonce_prefix: &[u8; NONCE_PREFIX_LEN],
	salt: &Hash32,
	content: &[u8],
	object: &mut Vec<u8>,
) {
	let inner_len = SALT_LEN.saturating_add(content.len());
	let chunk_count = inner_len.div_ceil(CHUNK_LEN);
	object.clear();
	object.reserve(
		HEADER_LEN.saturating_add(inner_len).saturating_add(chunk_count.saturating_mul(TAG_LEN)),
	);
	// Appending to a Vec cannot fail, and the cipher refuses only messages above 256 GiB (a chunk
	// is 64 KiB); were it to refuse, no plaintext of the first chunk may stay behind.
	if seal_chunks(version, key, nonce_prefix, salt, content, &mut InPlace::new(object)).is_err() {
		object.zeroize();
	}
}

/// The one chunk loop of [`seal_to`] and [`seal_into`]. Each chunk is encrypted from `content`
/// straight into the place its ciphertext goes, so no byte of content is copied first, except the
/// first chunk's, which the salt precedes.
fn seal_chunks(
	version: u8,
	key: &DataKey,
	nonce_prefix: &[u8; NONCE_PREFIX_LEN],
	salt: &Hash32,
	content: &[u8],
	out: &mut impl ChunkSink,
) -> std::io::Result<()> {
	let header = header(version, nonce_prefix);
	out.next(HEADER_LEN).copy_from_slice(&header);
	out.done(0)?;
	let cipher = XChaCha20Poly1305::new((&key.0).into());
	let chunk_count = SALT_LEN.saturating_add(content.len()).div_ceil(CHUNK_LEN);
	let first_len = CHUNK_LEN.saturating_sub(SALT_LEN).min(content.len());
	let (first, rest) = content.split_at(first_len);
	let pieces = core::iter::once(first).chain(rest.chunks(CHUNK_LEN));
	for (index, piece) in pieces.enumerate().take(chunk_count) {
		let plain_len = if index == 0 { SALT_LEN.saturating_add(piece.len()) } else { piece.len() };
		let (sealed, tag_slot) =
			out.next(plain_len.saturating_add(TAG_LEN)).split_at_mut(plain_len);
		let buffer = if index == 0 {
			let (salt_slot, first_slot) = sealed.split_at_mut(SALT_LEN);
			salt_slot.copy_from_slice(salt);
			first_slot.copy_from_slice(piece);
			InOutBuf::from(sealed)
		} else {
			InOutBuf::new(piece, sealed)
				.map_err(|_| std::io::Error::other("chunk length mismatch"))?
		};
		let last = index.saturating_add(1) == chunk_count;
		let nonce = chunk_nonce(nonce_prefix, index as u32, last);
		// XChaCha20-Poly1305 refuses only messages above 256 GiB (a chunk is 64 KiB); were it to
		// refuse, the chunk is not handed on, and what it holds is not written.
		let tag = cipher
			.encrypt_inout_detached(&nonce, chunk_aad(version, &header, index), buffer)
			.map_err(|_| std::io::Error::other("XChaCha20-Poly1305 refused a chunk"))?;
		tag_slot.copy_from_slice(&tag);
		out.done(0)?;
	}
	Ok(())
}

/// Where the chunk loops put what they produce: `next(len)` lends the place of the next `len`
/// bytes, `done(skip)` hands them on but their first `skip` (an opened object's salt).
trait ChunkSink {
	fn next(&mut self, len: usize) -> &mut [u8];
	fn done(&mut self, skip: usize) -> std::io::Result<()>;
}

/// Straight into the end of a `Vec`, so that each chunk is written once, where it stays.
struct InPlace<'a> {
	out: &'a mut Vec<u8>,
	start: usize,
}

impl<'a> InPlace<'a> {
	fn new(out: &'a mut Vec<u8>) -> Self {
		Self { out, start: 0 }
	}
}

impl ChunkSink for InPlace<'_> {
	fn next(&mut self, len: usize) -> &mut [u8] {
		self.start = self.out.len();
		self.out.resize(self.start.saturating_add(len), 0);
		self.out.get_mut(self.start..).unwrap_or_default()
	}

	fn done(&mut self, skip: usize) -> std::io::Result<()> {
		if skip > 0 {
			let end = self.start.saturating_add(skip).min(self.out.len());
			self.out.drain(self.start..end);
		}
		Ok(())
	}
}

/// Through one chunk-sized buffer to a writer; the buffer is wiped when dropped.
struct ThroughBuffer<'a, W> {
	out: &'a mut W,
	buffer: Zeroizing<Vec<u8>>,
	len: usize,
}

impl<'a, W: std::io::Write> ThroughBuffer<'a, W> {
	fn new(out: &'a mut W) -> Self {
		Self { out, buffer: Zeroizing::new(vec![0; SEALED_CHUNK_LEN]), len: 0 }
	}
}

impl<W: std::io::Write> ChunkSink for ThroughBuffer<'_, W> {
	fn next(&mut self, len: usize) -> &mut [u8] {
		if self.buffer.len() < len {
			self.buffer.resize(len, 0);
		}
		self.len = len;
		self.buffer.get_mut(..len).unwrap_or_default()
	}

	fn done(&mut self, skip: usize) -> std::io::Result<()> {
		self.out.write_all(self.buffer.get(skip..self.len).unwrap_or_default())
	}
}

/// Opens `object` with `key`: the whole content, or an error and no plaintext.
pub fn open(key: &DataKey, object: &[u8]) -> Result<Opened, OpenError> {
	let mut content = Vec::new();
	let salt = open_into(key, object, &mut content)?;
	Ok(Opened { salt, content })
}

/// [`open`] into `content`, which is cleared first and keeps its allocation (see [`seal_into`]);
/// returns the salt. On an error `content` is wiped and empty: no partial plaintext.
///
/// Each chunk is authenticated, then decrypted from `object` straight into `content`.
pub fn open_into(key: &DataKey, object: &[u8], content: &mut Vec<u8>) -> Result<Hash32, OpenError> {
	content.clear();
	content.reserve(object.len());
	match open_chunks(key, object, &mut InPlace::new(content)) {
		Ok(salt) => Ok(salt),
		Err(error) => {
			content.zeroize();
			// Appending to a Vec cannot fail: every error is the object's.
			Err(match error {
				OpenToError::Open(error) => error,
				OpenToError::Write(_) => OpenError::Malformed,
			})
		},
	}
}

/// Why [`open_to`] did not finish: the object's fault, or the writer's.
#[derive(Debug, thiserror::Error)]
pub enum OpenToError {
	#[error(transparent)]
	Open(#[from] OpenError),
	#[error("writing the opened content failed: {0}")]
	Write(#[from] std::io::Error),
}

/// [`open`] straight to `out` (a file, a socket), chunk by chunk through one 64 KiB buffer: the
/// content is never whole in memory. Returns the salt.
///
/// Each chunk is authenticated before any of its bytes are written, so what `out` receives is
/// the object's own content, in order. But a truncated object shows only at its end: after an
/// error `out` holds a prefix of the content, which the caller discards (removes the file) and
/// never takes for the whole.
pub fn open_to(
	key: &DataKey,
	object: &[u8],
	out: &mut impl std::io::Write,
) -> Result<Hash32, OpenToError> {
	open_chunks(key, object, &mut ThroughBuffer::new(out))
}

/// The one chunk loop of [`open_into`] and [`open_to`]: each chunk authenticated, then
/// decrypted from `object` straight into the place its plaintext goes.
fn open_chunks(
	key: &DataKey,
	object: &[u8],
	out: &mut impl ChunkSink,
) -> Result<Hash32, OpenToError> {
	let (header, body) = object.split_at_checked(HEADER_LEN).ok_or(OpenError::Malformed)?;
	let (magic, rest) = header.split_at(MAGIC.len());
	if magic != MAGIC || body.len() <= TAG_LEN {
		return Err(OpenError::Malformed.into());
	}
	let (&version, nonce_prefix) = rest.split_first().ok_or(OpenError::Malformed)?;
	if !known_version(version) {
		return Err(OpenError::UnsupportedVersion(version).into());
	}
	let nonce_prefix: &[u8; NONCE_PREFIX_LEN] =
		nonce_prefix.try_into().map_err(|_| OpenError::Malformed)?;
	let cipher = XChaCha20Poly1305::new((&key.0).into());
	let chunk_count = body.len().div_ceil(SEALED_CHUNK_LEN);
	// The salt is the first 32 bytes of the first chunk; the content the rest of the plaintext.
	let mut salt = [0u8; SALT_LEN];
	for (index, sealed) in body.chunks(SEALED_CHUNK_LEN).enumerate() {
		let counter = u32::try_from(index).map_err(|_| OpenError::Malformed)?;
		let last = index.saturating_add(1) == chunk_count;
		let (ciphertext, tag) = sealed
			.split_at_checked(sealed.len().saturating_sub(TAG_LEN))
			.ok_or(OpenError::Malformed)?;
		let tag: &Tag = tag.try_into().map_err(|_| OpenError::Malformed)?;
		let plain = out.next(ciphertext.len());
		let decrypt = |last: bool, plain: &mut [u8]| {
			let buffer = InOutBuf::new(ciphertext, plain).map_err(|_| OpenError::Malformed)?;
			let nonce = chunk_nonce(nonce_prefix, counter, last);
			cipher
				.decrypt_inout_detached(&nonce, chunk_aad(version, header, index), buffer, tag)
				.map_err(|_| OpenError::Tampered { chunk: counter })
		};
		if let Err(error) = decrypt(last, plain) {
			let truncated = last && decrypt(false, plain).is_ok();
			return Err(if truncated { OpenError::Truncated } else { error }.into());
		}
		let skip = if index == 0 {
			salt.copy_from_slice(plain.get(..SALT_LEN).ok_or(OpenError::MissingSalt)?);
			SALT_LEN
		} else {
			0
		};
		out.done(skip)?;
	}
	Ok(salt)
}

/// Checks what can be checked without the key: magic, version, and a chunk layout whose last
/// chunk holds at least one byte. A vault runs this before it stores an upload.
pub fn check_framing(object: &[u8]) -> Result<(), OpenError> {
	check_framing_of(object.get(..HEADER_LEN).unwrap_or(object), object.len() as u64)
}

/// [`check_framing`] of an object of `object_len` bytes that begins with `header` (its first
/// [`HEADER_LEN`] bytes, or all it has if fewer): what a vault checks of an upload as soon as
/// the first bytes arrive, before it takes the rest.
pub fn check_framing_of(header: &[u8], object_len: u64) -> Result<(), OpenError> {
	if header.len() < HEADER_LEN || header.get(..MAGIC.len()) != Some(MAGIC.as_slice()) {
		return Err(OpenError::Malformed);
	}
	match header.get(MAGIC.len()) {
		Some(&version) if known_version(version) => {},
		Some(&other) => return Err(OpenError::UnsupportedVersion(other)),
		None => return Err(OpenError::Malformed),
	}
	let body_len = object_len.saturating_sub(HEADER_LEN as u64);
	let last_chunk = match body_len.checked_rem(SEALED_CHUNK_LEN as u64).unwrap_or_default() {
		0 => SEALED_CHUNK_LEN as u64,
		partial => partial,
	};
	if body_len == 0 || last_chunk <= TAG_LEN as u64 {
		return Err(OpenError::Truncated);
	}
	Ok(())
}

fn known_version(version: u8) -> bool {
	version == VERSION || version == VERSION_1
}

/// The associated data of chunk `index` (spec §1): the header for every chunk of a version 1
/// object; for version 2 the header for the first chunk only, since the nonce prefix is already
/// in every chunk's nonce and an object opens only when its first chunk does. Poly1305 here keeps
/// its four-block AVX2 path only after associated data of a multiple of 64 bytes (none).
fn chunk_aad(version: u8, header: &[u8], index: usize) -> &[u8] {
	if version == VERSION_1 || index == 0 {
		header
	} else {
		&[]
	}
}

fn header(version: u8, nonce_prefix: &[u8; NONCE_PREFIX_LEN]) -> [u8; HEADER_LEN] {
	let mut header = [0u8; HEADER_LEN];
	let (magic, rest) = header.split_at_mut(MAGIC.len());
	magic.copy_from_slice(MAGIC);
	let (version_slot, prefix) = rest.split_at_mut(1);
	version_slot.copy_from_slice(&[version]);
	prefix.copy_from_slice(nonce_prefix);
	header
}

fn chunk_nonce(prefix: &[u8; NONCE_PREFIX_LEN], counter: u32, last: bool) -> XNonce {
	let mut nonce = [0u8; 24];
	let (prefix_part, rest) = nonce.split_at_mut(NONCE_PREFIX_LEN);
	prefix_part.copy_from_slice(prefix);
	let (counter_part, flag) = rest.split_at_mut(4);
	counter_part.copy_from_slice(&counter.to_be_bytes());
	flag.copy_from_slice(&[u8::from(last)]);
	nonce.into()
}
