//! The shared vectors (tests/vectors/sealing-v1.json), made by the JavaScript implementation
//! (`node scripts/seal-vectors.mjs`): this crate must produce the same keys, objects, content
//! ids, commitments and proofs byte for byte, and open the envelopes and locators.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use medchain_seal::{content_id::SEGMENT_LEN, *};
use serde_json::Value;
use sp_crypto_hashing::blake2_256;

fn vectors() -> Value {
	// This checkout's file: cargo sets the variable for the test process too, and a test binary
	// still fresh from another checkout of the workspace (a shared target dir) names that one.
	let dir =
		std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into());
	let path = std::path::Path::new(&dir).join("../../tests/vectors/sealing-v1.json");
	serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn bytes(value: &Value) -> Vec<u8> {
	hex::decode(value.as_str().unwrap().trim_start_matches("0x")).unwrap()
}

fn array32(value: &Value) -> [u8; 32] {
	bytes(value).try_into().unwrap()
}

fn pattern(len: usize) -> Vec<u8> {
	(0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[test]
fn key_agreement_keys_match_the_javascript_derivation() {
	let vectors = vectors();
	let keys = vectors["keys"].as_array().unwrap();
	assert!(keys.len() >= 4);
	for key in keys {
		let secret = KeyAgreementSecret::from_suri(key["suri"].as_str().unwrap()).unwrap();
		assert_eq!(secret.public(), array32(&key["publicKey"]), "{}", key["suri"]);
		assert_eq!(*secret.to_bytes(), array32(&key["secretKey"]), "{}", key["suri"]);
	}
}

#[test]
fn objects_content_ids_and_commitments_match_byte_for_byte() {
	check_objects("objects", object::VERSION, seal_with);
}

#[test]
fn objects_of_the_first_format_match_byte_for_byte_and_open() {
	check_objects("objectsV1", object::VERSION_1, seal_v1_with);
}

fn check_objects(
	name: &str,
	version: u8,
	seal_with: fn(&DataKey, &[u8; 19], &[u8; 32], &[u8]) -> Vec<u8>,
) {
	let vectors = vectors();
	let objects = vectors[name].as_array().unwrap();
	assert_eq!(objects.len(), 4, "{name}");
	for vector in objects {
		let content = pattern(vector["contentLen"].as_u64().unwrap() as usize);
		let key = DataKey(array32(&vector["dataKey"]));
		let prefix: [u8; 19] = bytes(&vector["noncePrefix"]).try_into().unwrap();
		let salt = array32(&vector["salt"]);
		let object = seal_with(&key, &prefix, &salt, &content);
		assert_eq!(object[4], version);
		assert_eq!(object.len() as u64, vector["objectLen"].as_u64().unwrap());
		assert_eq!(blake2_256(&object), array32(&vector["objectBlake2"]));
		if !vector["object"].is_null() {
			assert_eq!(object, bytes(&vector["object"]));
		}
		assert_eq!(content_id(&object), array32(&vector["contentId"]));
		assert_eq!(commitment(&salt, &content), array32(&vector["commitment"]));
		let opened = open(&key, &object).unwrap();
		assert_eq!((opened.content, opened.salt), (content, salt));
	}
}

#[test]
fn a_segment_proof_matches_and_verifies() {
	let vectors = vectors();
	let vector = &vectors["segmentProof"];
	let object = seal_with(
		&DataKey([0x42; 32]),
		&[0x07; 19],
		&[0x5a; 32],
		&pattern(vector["contentLen"].as_u64().unwrap() as usize),
	);
	let index = vector["index"].as_u64().unwrap() as u32;
	let proof = segment_proof(&object, index).unwrap();
	assert_eq!(proof.root, array32(&vector["root"]));
	assert_eq!(blake2_256(&proof.segment), array32(&vector["segmentBlake2"]));
	let siblings: Vec<[u8; 32]> =
		vector["siblings"].as_array().unwrap().iter().map(array32).collect();
	assert_eq!(proof.siblings, siblings);
	assert_eq!(proof.segment.len(), SEGMENT_LEN);
	assert!(verify_segment(&content_id(&object), &proof));
}

#[test]
fn envelopes_and_locators_made_in_javascript_open() {
	let vectors = vectors();
	for vector in vectors["envelopes"].as_array().unwrap() {
		let secret =
			KeyAgreementSecret::from_suri(vector["recipientSuri"].as_str().unwrap()).unwrap();
		let context = WrapContext {
			genesis_hash: array32(&vector["genesisHash"]),
			content_id: array32(&vector["contentId"]),
			key_version: vector["keyVersion"].as_u64().unwrap() as u32,
			recipient: array32(&vector["recipient"]),
		};
		let key = unwrap_key(&bytes(&vector["envelope"]), &secret, &context).unwrap();
		assert_eq!(key.0, array32(&vector["dataKey"]));
	}
	for vector in vectors["locators"].as_array().unwrap() {
		let secret = KeyAgreementSecret::from_suri(vector["ownerSuri"].as_str().unwrap()).unwrap();
		let locator = open_locator(
			&bytes(&vector["sealed"]),
			&array32(&vector["owner"]),
			&secret,
			&array32(&vector["genesisHash"]),
		)
		.unwrap();
		assert_eq!(locator, vector["locator"].as_str().unwrap());
	}
}
