//! The sealed object, content id, commitment, keys and envelopes against the spec's rules,
//! including every way of breaking an object the spec names.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use medchain_seal::{
	content_id::SEGMENT_LEN,
	envelope::ENVELOPE_LEN,
	object::{CHUNK_LEN, HEADER_LEN, SALT_LEN, TAG_LEN},
	*,
};

const DEV_PHRASE: &str = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

fn content(len: usize) -> Vec<u8> {
	(0..len).map(|i| (i * 31 % 251) as u8).collect()
}

const SEALED_CHUNK: usize = CHUNK_LEN + TAG_LEN;

#[test]
fn objects_of_every_boundary_size_open_to_their_content_and_commitment() {
	// Inner plaintext = salt + content: these sizes put the last chunk at 1 byte, exactly full,
	// and one byte over, for one and for several chunks.
	for len in [0, 1, CHUNK_LEN - SALT_LEN, CHUNK_LEN - SALT_LEN + 1, 3 * CHUNK_LEN + 5] {
		let sealed = seal(&content(len));
		let chunks = (len + SALT_LEN).div_ceil(CHUNK_LEN);
		assert_eq!(sealed.object.len(), HEADER_LEN + len + SALT_LEN + chunks * TAG_LEN);
		let opened = open(&sealed.data_key, &sealed.object).unwrap();
		assert_eq!(opened.content, content(len));
		assert_eq!(opened.commitment(), sealed.commitment);
		assert_eq!(content_id(&sealed.object), sealed.content_id);
	}
}

#[test]
fn sealed_to_a_writer_into_a_reused_buffer_or_anew_the_object_is_the_same() {
	let key = DataKey([3; 32]);
	let mut reused = vec![0xEE; 10];
	let mut opened = b"an earlier plaintext".to_vec();
	for len in [0, CHUNK_LEN - SALT_LEN, 3 * CHUNK_LEN + 5] {
		let whole = seal_with(&key, &[5; 19], &[6; 32], &content(len));
		let mut streamed = Vec::new();
		seal_to(&key, &[5; 19], &[6; 32], &content(len), &mut streamed).unwrap();
		assert_eq!(streamed, whole);
		seal_into(&key, &[5; 19], &[6; 32], &content(len), &mut reused);
		assert_eq!(reused, whole, "the buffer's earlier bytes are gone");
		assert_eq!(open_into(&key, &whole, &mut opened).unwrap(), [6; 32]);
		assert_eq!(opened, content(len));
		let mut written = Vec::new();
		assert_eq!(open_to(&key, &whole, &mut written).unwrap(), [6; 32]);
		assert_eq!(written, content(len));
	}
	// A failed open leaves no plaintext in the caller's buffer, earlier or partial.
	let mut tampered = seal_with(&key, &[5; 19], &[6; 32], &content(3 * CHUNK_LEN));
	tampered[HEADER_LEN + 2 * SEALED_CHUNK + 1] ^= 1;
	assert_eq!(open_into(&key, &tampered, &mut opened), Err(OpenError::Tampered { chunk: 2 }));
	assert!(opened.is_empty());
	// Opened to a writer, an object fails at its first bad chunk, having written only the
	// authenticated chunks before it; one cut at a chunk boundary fails at its end.
	let mut written = Vec::new();
	let failed = open_to(&key, &tampered, &mut written);
	assert!(matches!(failed, Err(OpenToError::Open(OpenError::Tampered { chunk: 2 }))));
	assert_eq!(written, content(3 * CHUNK_LEN)[..2 * CHUNK_LEN - SALT_LEN]);
	let whole = seal_with(&key, &[5; 19], &[6; 32], &content(3 * CHUNK_LEN));
	let cut = &whole[..HEADER_LEN + 2 * SEALED_CHUNK];
	let failed = open_to(&key, cut, &mut Vec::new());
	assert!(matches!(failed, Err(OpenToError::Open(OpenError::Truncated))));
	// A writer that fails is the error, not the object.
	let failed = open_to(&key, &whole, &mut [0u8; 10].as_mut_slice());
	assert!(matches!(failed, Err(OpenToError::Write(_))));
}

#[test]
fn two_seals_of_one_content_share_nothing() {
	let (a, b) = (seal(b"same"), seal(b"same"));
	assert_ne!(a.object, b.object);
	assert_ne!(a.content_id, b.content_id);
	assert_ne!(a.commitment, b.commitment, "the salt differs");
}

#[test]
fn a_truncated_object_is_named_truncated() {
	let sealed = seal(&content(2 * CHUNK_LEN));
	let cut = &sealed.object[..HEADER_LEN + 2 * SEALED_CHUNK];
	assert_eq!(open(&sealed.data_key, cut), Err(OpenError::Truncated));
	let mid_chunk = &sealed.object[..HEADER_LEN + SEALED_CHUNK + 100];
	assert_eq!(open(&sealed.data_key, mid_chunk), Err(OpenError::Tampered { chunk: 1 }));
}

#[test]
fn reordered_appended_or_swapped_chunks_do_not_open() {
	let sealed = seal(&content(3 * CHUNK_LEN));
	let (header, body) = sealed.object.split_at(HEADER_LEN);
	let chunk = |i: usize| &body[i * SEALED_CHUNK..((i + 1) * SEALED_CHUNK).min(body.len())];

	let reordered = [header, chunk(1), chunk(0), chunk(2), chunk(3)].concat();
	assert_eq!(open(&sealed.data_key, &reordered), Err(OpenError::Tampered { chunk: 0 }));

	let appended = [header, chunk(0), chunk(1), chunk(2), chunk(3), chunk(0)].concat();
	assert_eq!(open(&sealed.data_key, &appended), Err(OpenError::Tampered { chunk: 3 }));

	// The same key under another object's prefix: the prefix is in every chunk's nonce.
	let other = seal_with(&sealed.data_key, &[7; 19], &[0; 32], &content(3 * CHUNK_LEN));
	let swapped =
		[header, chunk(0), &other[HEADER_LEN + SEALED_CHUNK..][..SEALED_CHUNK], chunk(2), chunk(3)]
			.concat();
	assert_eq!(open(&sealed.data_key, &swapped), Err(OpenError::Tampered { chunk: 1 }));
}

#[test]
fn a_flipped_bit_a_wrong_key_or_a_wrong_header_is_refused() {
	let sealed = seal(&content(1000));
	let mut flipped = sealed.object.clone();
	flipped[HEADER_LEN + 10] ^= 1;
	assert_eq!(open(&sealed.data_key, &flipped), Err(OpenError::Tampered { chunk: 0 }));
	assert_eq!(open(&DataKey([9; 32]), &sealed.object), Err(OpenError::Tampered { chunk: 0 }));

	let mut prefix_changed = sealed.object.clone();
	prefix_changed[HEADER_LEN - 1] ^= 1;
	assert_eq!(open(&sealed.data_key, &prefix_changed), Err(OpenError::Tampered { chunk: 0 }));
	let mut version = sealed.object.clone();
	version[4] = 3;
	assert_eq!(open(&sealed.data_key, &version), Err(OpenError::UnsupportedVersion(3)));
	// Read as the first format, the object fails: the first chunk binds the header.
	version[4] = object::VERSION_1;
	assert_eq!(open(&sealed.data_key, &version), Err(OpenError::Tampered { chunk: 0 }));
	let mut magic = sealed.object.clone();
	magic[0] = b'X';
	assert_eq!(open(&sealed.data_key, &magic), Err(OpenError::Malformed));
	assert_eq!(
		open(&sealed.data_key, &sealed.object[..HEADER_LEN + TAG_LEN]),
		Err(OpenError::Malformed)
	);
	assert_eq!(open(&sealed.data_key, b""), Err(OpenError::Malformed));
}

#[test]
fn an_object_of_the_first_format_still_opens_and_binds_its_header_in_every_chunk() {
	let data = content(3 * CHUNK_LEN);
	let key = DataKey([4; 32]);
	let first = seal_v1_with(&key, &[7; 19], &[5; 32], &data);
	let current = seal_with(&key, &[7; 19], &[5; 32], &data);
	assert_eq!((first[4], current[4]), (object::VERSION_1, object::VERSION));
	// Same key and nonces, so the same ciphertext; other associated data, so other tags (the
	// first chunk's header differs in its version byte, later chunks bind it only in the first).
	assert_eq!((&first[..4], &first[5..HEADER_LEN]), (&current[..4], &current[5..HEADER_LEN]));
	let tags = |object: &[u8]| -> Vec<Vec<u8>> {
		object[HEADER_LEN..].chunks(SEALED_CHUNK).map(|c| c[c.len() - TAG_LEN..].to_vec()).collect()
	};
	let ciphertext_without_tags = |object: &[u8]| -> Vec<u8> {
		object[HEADER_LEN..]
			.chunks(SEALED_CHUNK)
			.flat_map(|c| c[..c.len() - TAG_LEN].to_vec())
			.collect()
	};
	assert_eq!(ciphertext_without_tags(&first), ciphertext_without_tags(&current));
	assert!(tags(&first).iter().zip(tags(&current)).all(|(a, b)| *a != b));
	let opened = open(&key, &first).unwrap();
	assert_eq!((opened.content, opened.salt), (data, [5; 32]));
	check_framing(&first).unwrap();

	// Its version byte changed to the current one: the first chunk fails.
	let mut relabelled = first.clone();
	relabelled[4] = object::VERSION;
	assert_eq!(open(&key, &relabelled), Err(OpenError::Tampered { chunk: 0 }));
	// A later chunk of the current format does not pass in an object of the first.
	let mixed =
		[&first[..HEADER_LEN + SEALED_CHUNK], &current[HEADER_LEN + SEALED_CHUNK..]].concat();
	assert_eq!(open(&key, &mixed), Err(OpenError::Tampered { chunk: 1 }));
}

#[test]
fn every_segment_proves_against_the_content_id_and_nothing_else_does() {
	let sealed = seal(&content(5 * SEGMENT_LEN + 77));
	let segments = sealed.object.len().div_ceil(SEGMENT_LEN) as u32;
	for index in 0..segments {
		let proof = segment_proof(&sealed.object, index).unwrap();
		assert!(verify_segment(&sealed.content_id, &proof));
		assert!(proof.segment.len() + proof.siblings.len() * 32 + 48 <= 2048);

		let mut forged = proof.clone();
		forged.segment[0] ^= 1;
		assert!(!verify_segment(&sealed.content_id, &forged));
		let mut shortened = proof.clone();
		shortened.object_len -= 1;
		assert!(!verify_segment(&sealed.content_id, &shortened));
		let mut moved = proof.clone();
		moved.index = (index + 1) % segments;
		assert!(!verify_segment(&sealed.content_id, &moved));
	}
	assert!(segment_proof(&sealed.object, segments).is_none());
}

#[test]
fn the_content_id_of_an_object_taken_piece_by_piece_is_its_content_id() {
	for len in [1, SEGMENT_LEN - 1, SEGMENT_LEN, SEGMENT_LEN + 1, 3 * SEGMENT_LEN + 500] {
		let object = content(len);
		for piece in [1, 7, SEGMENT_LEN - 1, SEGMENT_LEN, SEGMENT_LEN + 3, len] {
			let mut hasher = ContentIdHasher::new();
			for bytes in object.chunks(piece) {
				hasher.update(bytes);
			}
			hasher.update(&[]);
			assert_eq!(hasher.len(), len as u64);
			assert_eq!(hasher.finish(), content_id(&object), "{len} bytes in pieces of {piece}");
		}
	}
	let mut hasher = ContentIdHasher::new();
	hasher.update(&content(100));
	assert_ne!(hasher.finish(), content_id(&content(101)));
}

#[test]
fn key_agreement_keys_follow_the_secret_uri() {
	let alice = KeyAgreementSecret::from_suri(&format!("{DEV_PHRASE}//Alice")).unwrap();
	let alice_again = KeyAgreementSecret::from_suri(&format!("{DEV_PHRASE}//Alice")).unwrap();
	let bob = KeyAgreementSecret::from_suri(&format!("{DEV_PHRASE}//Bob")).unwrap();
	let alice_password =
		KeyAgreementSecret::from_suri(&format!("{DEV_PHRASE}//Alice///pw")).unwrap();
	assert_eq!(alice.public(), alice_again.public());
	assert_ne!(alice.public(), bob.public());
	assert_ne!(alice.public(), alice_password.public());
	assert!(matches!(
		KeyAgreementSecret::from_suri("bottom drive obey lake"),
		Err(KeyError::InvalidPhrase(_))
	));
	assert_eq!(KeyAgreementSecret::from_suri("0x1234").err(), Some(KeyError::InvalidMiniSecret));
}

#[test]
fn an_envelope_opens_only_for_its_chain_object_version_and_recipient() {
	let doctor = KeyAgreementSecret::from_suri(&format!("{DEV_PHRASE}//Bob")).unwrap();
	let stranger = KeyAgreementSecret::from_suri(&format!("{DEV_PHRASE}//Eve")).unwrap();
	let key = DataKey([42; 32]);
	let context = WrapContext {
		genesis_hash: [1; 32],
		content_id: [2; 32],
		key_version: 0,
		recipient: [3; 32],
	};
	let envelope = wrap_key(&key, &doctor.public(), &context).unwrap();
	assert_eq!(envelope.len(), ENVELOPE_LEN);
	assert_eq!(unwrap_key(&envelope, &doctor, &context).unwrap(), key);
	assert_eq!(unwrap_key(&envelope, &stranger, &context), Err(EnvelopeError::WrongEnvelope));
	for replayed in [
		WrapContext { genesis_hash: [9; 32], ..context },
		WrapContext { content_id: [9; 32], ..context },
		WrapContext { key_version: 1, ..context },
		WrapContext { recipient: [9; 32], ..context },
	] {
		assert_eq!(unwrap_key(&envelope, &doctor, &replayed), Err(EnvelopeError::WrongEnvelope));
	}
	assert_eq!(unwrap_key(&envelope[..79], &doctor, &context), Err(EnvelopeError::WrongLength(79)));
}

#[test]
fn a_locator_opens_only_for_its_owner() {
	let patient = KeyAgreementSecret::from_suri(&format!("{DEV_PHRASE}//Alice")).unwrap();
	let other = KeyAgreementSecret::from_suri(&format!("{DEV_PHRASE}//Bob")).unwrap();
	let sealed =
		seal_locator("vault://127.0.0.1:8700/0xabc", &[5; 32], &patient.public(), &[1; 32])
			.unwrap();
	assert_eq!(
		open_locator(&sealed, &[5; 32], &patient, &[1; 32]).unwrap(),
		"vault://127.0.0.1:8700/0xabc"
	);
	assert!(open_locator(&sealed, &[5; 32], &other, &[1; 32]).is_err());
	assert!(open_locator(&sealed, &[6; 32], &patient, &[1; 32]).is_err());
}

#[test]
fn framing_is_checked_without_the_key() {
	let sealed = seal(&content(CHUNK_LEN));
	assert_eq!(check_framing(&sealed.object), Ok(()));
	let body_end = HEADER_LEN + SEALED_CHUNK;
	assert_eq!(check_framing(&sealed.object[..body_end + TAG_LEN]), Err(OpenError::Truncated));
	assert_eq!(check_framing(&sealed.object[..HEADER_LEN]), Err(OpenError::Truncated));
	assert_eq!(check_framing(&sealed.object[..10]), Err(OpenError::Malformed));
	let mut version = sealed.object.clone();
	version[4] = 9;
	assert_eq!(check_framing(&version), Err(OpenError::UnsupportedVersion(9)));

	// From the header and the length alone, as an upload arrives: the same answers.
	let header = &sealed.object[..HEADER_LEN];
	let len = sealed.object.len() as u64;
	assert_eq!(check_framing_of(header, len), Ok(()));
	assert_eq!(check_framing_of(header, (body_end + TAG_LEN) as u64), Err(OpenError::Truncated));
	assert_eq!(check_framing_of(header, HEADER_LEN as u64), Err(OpenError::Truncated));
	assert_eq!(check_framing_of(&header[..10], len), Err(OpenError::Malformed));
	assert_eq!(
		check_framing_of(&version[..HEADER_LEN], len),
		Err(OpenError::UnsupportedVersion(9))
	);
}
