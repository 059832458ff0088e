//! Seal and open throughput on one core, next to the raw XChaCha20-Poly1305 of the same library
//! in the same run, and envelopes per second. Prints figures; asserts nothing about time.
//!
//! The raw reference encrypts the same bytes in 64 KiB chunks in place, without associated data:
//! what format 2 does after its first chunk (spec §1). The first chunk binds the 24-byte header,
//! on the library's slower Poly1305 path; format 1 did so in every chunk (17% below raw).
//!
//!   cargo run --profile testnet -p medchain-seal --example throughput [-- SIZE_MIB...]

use std::time::{Duration, Instant};

use chacha20poly1305::{
	aead::{AeadInOut, KeyInit},
	XChaCha20Poly1305,
};
use medchain_seal::{
	content_id, object::CHUNK_LEN, open, open_into, open_to, seal_into, seal_to, seal_with,
	unwrap_key, wrap_key, DataKey, KeyAgreementSecret, WrapContext,
};

const MIB: usize = 1024 * 1024;

/// The mean time of `work` over the fastest of three rounds, each at least half a second (and
/// two runs): every column is measured alike, and a round slowed by another process is dropped.
fn time_it(mut work: impl FnMut()) -> Duration {
	let mut fastest = Duration::MAX;
	for _ in 0..3 {
		let started = Instant::now();
		let mut runs = 0u32;
		while runs < 2 || started.elapsed() < Duration::from_millis(500) {
			work();
			runs = runs.saturating_add(1);
		}
		fastest = fastest.min(started.elapsed().checked_div(runs).unwrap_or_default());
	}
	fastest
}

fn mib_per_s(bytes: usize, took: Duration) -> f64 {
	bytes as f64 / MIB as f64 / took.as_secs_f64()
}

fn main() {
	let sizes: Result<Vec<usize>, _> = std::env::args().skip(1).map(|arg| arg.parse()).collect();
	let Ok(sizes) = sizes else {
		eprintln!("usage: throughput [SIZE_MIB...] (object sizes in MiB, default 1 256)");
		std::process::exit(2);
	};
	let sizes = if sizes.is_empty() { vec![1, 256] } else { sizes };
	let key = DataKey([0x42; 32]);
	println!("medchain-seal throughput, one core (MiB/s; ratio = against raw XChaCha20-Poly1305)");
	println!(
		"{:>9}  {:>8}  {:>8} {:>6}  {:>8} {:>6}  {:>8} {:>6}  {:>8} {:>6}  {:>8} {:>6}  {:>8} {:>6}  {:>10}",
		"size",
		"raw",
		"stream",
		"ratio",
		"seal",
		"ratio",
		"open",
		"ratio",
		"open to",
		"ratio",
		"seal new",
		"ratio",
		"open new",
		"ratio",
		"content id"
	);
	for mib in sizes {
		let content: Vec<u8> = (0..mib.saturating_mul(MIB)).map(|i| (i % 251) as u8).collect();
		let cipher = XChaCha20Poly1305::new((&key.0).into());
		let mut buffer = content.clone();
		let raw = time_it(|| {
			for chunk in buffer.chunks_mut(CHUNK_LEN) {
				let _ = cipher.encrypt_inout_detached(&[7u8; 24].into(), b"", chunk.into());
			}
		});
		// Straight to a writer (a sink here: the cost of sealing, not of the file or socket);
		// into buffers reused from call to call, as the raw loop reuses its own; then into a new
		// allocation per call (`seal_with`, `open`), whose fresh pages cost extra at large sizes.
		let streaming = time_it(|| {
			let _ = seal_to(&key, &[7; 19], &[9; 32], &content, &mut std::io::sink());
		});
		let mut object = Vec::new();
		let sealing = time_it(|| seal_into(&key, &[7; 19], &[9; 32], &content, &mut object));
		let mut opened = Vec::new();
		let opening = time_it(|| {
			let _ = open_into(&key, &object, &mut opened);
		});
		let opening_streamed = time_it(|| {
			let _ = open_to(&key, &object, &mut std::io::sink());
		});
		let sealing_new = time_it(|| {
			let _ = seal_with(&key, &[7; 19], &[9; 32], &content);
		});
		let opening_new = time_it(|| {
			let _ = open(&key, &object);
		});
		let naming = time_it(|| {
			let _ = content_id(&object);
		});
		let bytes = content.len();
		let rate = |took| mib_per_s(bytes, took);
		let raw = rate(raw);
		let [stream, seal, open, open_stream, seal_new, open_new] =
			[streaming, sealing, opening, opening_streamed, sealing_new, opening_new].map(rate);
		println!(
			"{:>5} MiB  {raw:>8.0}  {stream:>8.0} {:>6.2}  {seal:>8.0} {:>6.2}  {open:>8.0} {:>6.2}  {open_stream:>8.0} {:>6.2}  {seal_new:>8.0} {:>6.2}  {open_new:>8.0} {:>6.2}  {:>10.0}",
			mib,
			stream / raw,
			seal / raw,
			open / raw,
			open_stream / raw,
			seal_new / raw,
			open_new / raw,
			mib_per_s(object.len(), naming),
		);
	}
	let recipient = KeyAgreementSecret::from_mini_secret(&[1; 32], "//bench");
	let context = WrapContext {
		genesis_hash: [1; 32],
		content_id: [2; 32],
		key_version: 0,
		recipient: [3; 32],
	};
	let mut envelope = [0u8; 80];
	let wrapping = time_it(|| {
		if let Ok(made) = wrap_key(&key, &recipient.public(), &context) {
			envelope = made;
		}
	});
	let unwrapping = time_it(|| {
		let _ = unwrap_key(&envelope, &recipient, &context);
	});
	println!(
		"envelopes: wrap {:.0}/s, unwrap {:.0}/s",
		1.0 / wrapping.as_secs_f64(),
		1.0 / unwrapping.as_secs_f64()
	);
}
