//! The published vectors of the primitives the format is built on (spec §9), run through the
//! same library calls the crate makes.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use chacha20poly1305::{
	aead::{inout::InOutBuf, AeadInOut, KeyInit},
	XChaCha20Poly1305,
};
use hpke::{
	aead::ChaCha20Poly1305, kdf::HkdfSha256, kem::X25519HkdfSha256, Deserializable, Kem, OpModeR,
	Serializable,
};

fn bytes(hex_text: &str) -> Vec<u8> {
	hex::decode(hex_text).unwrap()
}

/// draft-irtf-cfrg-xchacha-03, appendix A.3.1.
#[test]
fn xchacha20_poly1305_draft_vector() {
	let key = bytes("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
	let nonce = bytes("404142434445464748494a4b4c4d4e4f5051525354555657");
	let aad = bytes("50515253c0c1c2c3c4c5c6c7");
	let plaintext = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
	let expected = bytes(concat!(
		"bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb",
		"731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452",
		"2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9",
		"21f9664c97637da9768812f615c68b13b52e",
		"c0875924c1c7987947deafd8780acf49",
	));
	let cipher = XChaCha20Poly1305::new_from_slice(&key).unwrap();
	let nonce = nonce.as_slice().try_into().unwrap();
	// Buffer to buffer, as sealing and opening call it.
	let mut sealed = vec![0; plaintext.len()];
	let tag = cipher
		.encrypt_inout_detached(nonce, &aad, InOutBuf::new(plaintext, &mut sealed).unwrap())
		.unwrap();
	sealed.extend_from_slice(&tag);
	assert_eq!(sealed, expected);
	let (ciphertext, tag) = expected.split_at(plaintext.len());
	let mut opened = vec![0; plaintext.len()];
	cipher
		.decrypt_inout_detached(
			nonce,
			&aad,
			InOutBuf::new(ciphertext, &mut opened).unwrap(),
			tag.try_into().unwrap(),
		)
		.unwrap();
	assert_eq!(opened, plaintext);
}

/// RFC 9180, appendix A.2.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, base.
#[test]
fn hpke_rfc9180_a21_vector() {
	let (sk_e, pk_e) = X25519HkdfSha256::derive_keypair(&bytes(
		"909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b",
	));
	assert_eq!(
		sk_e.to_bytes().to_vec(),
		bytes("f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600")
	);
	assert_eq!(
		pk_e.to_bytes().to_vec(),
		bytes("1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a")
	);
	let (sk_r, pk_r) = X25519HkdfSha256::derive_keypair(&bytes(
		"1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df",
	));
	assert_eq!(
		sk_r.to_bytes().to_vec(),
		bytes("8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb")
	);
	assert_eq!(
		pk_r.to_bytes().to_vec(),
		bytes("4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a")
	);
	let enc = <X25519HkdfSha256 as Kem>::EncappedKey::from_bytes(&pk_e.to_bytes()).unwrap();
	let opened = hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256>(
		&OpModeR::Base,
		&sk_r,
		&enc,
		&bytes("4f6465206f6e2061204772656369616e2055726e"),
		&bytes("1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28"),
		&bytes("436f756e742d30"),
	)
	.unwrap();
	assert_eq!(opened, bytes("4265617574792069732074727574682c20747275746820626561757479"));
}
