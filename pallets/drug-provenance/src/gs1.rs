//! GS1 identifier checks: GTIN-14, GLN-13 and lot numbers. Pure functions, no storage.

use crate::types::{Gln, Gtin, MAX_LOT_LEN};

/// Whether `digits` are all ASCII digits and the last one is the GS1 mod-10 check digit of the
/// others (weights 3, 1, 3, … from the digit left of the check digit; check digit = `(10 - sum mod
/// 10) mod 10`). The same algorithm covers GTIN-8/12/13/14, GLN and SSCC.
pub fn has_valid_check_digit(digits: &[u8]) -> bool {
	let Some((check, body)) = digits.split_last() else { return false };
	if !digits.iter().all(u8::is_ascii_digit) {
		return false;
	}
	let sum = body.iter().rev().enumerate().fold(0u32, |sum, (position, digit)| {
		let weight = if position % 2 == 0 { 3 } else { 1 };
		sum.saturating_add(u32::from(digit.saturating_sub(b'0')).saturating_mul(weight))
	});
	let expected = 10u32.saturating_sub(sum % 10) % 10;
	u32::from(check.saturating_sub(b'0')) == expected
}

/// Whether `gtin` is 14 ASCII digits with a correct GS1 check digit.
pub fn is_valid_gtin(gtin: &Gtin) -> bool {
	has_valid_check_digit(gtin)
}

/// Whether `gln` is 13 ASCII digits with a correct GS1 check digit.
pub fn is_valid_gln(gln: &Gln) -> bool {
	has_valid_check_digit(gln)
}

/// Whether `c` belongs to the GS1 AI encodable character set 82 (ISO 646 subset used by
/// alphanumeric Application Identifiers such as lot (10) and serial (21)): printable ASCII from
/// `!` to `z` except `#`, `$`, `@`, `[`, `\`, `]`, `^` and the backtick.
pub fn is_gs1_char(c: u8) -> bool {
	matches!(c, b'!'..=b'z') && !matches!(c, b'#' | b'$' | b'@' | b'['..=b'^' | b'`')
}

/// Whether `lot` is 1 to [`MAX_LOT_LEN`] characters of GS1 character set 82.
pub fn is_valid_lot(lot: &[u8]) -> bool {
	!lot.is_empty() && lot.len() <= MAX_LOT_LEN as usize && lot.iter().copied().all(is_gs1_char)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests {
	use super::*;

	fn gtin(s: &str) -> Gtin {
		s.as_bytes().try_into().unwrap()
	}

	#[test]
	fn known_gtins_are_valid() {
		// GS1 examples: a GTIN-13 (4006381333931), a UPC-A (036000291452), an ISBN-13
		// (9780306406157) padded to 14 digits, and a GTIN-14 with packaging indicator 1.
		for s in ["04006381333931", "00036000291452", "09780306406157", "10614141000019"] {
			assert!(is_valid_gtin(&gtin(s)), "{s}");
		}
	}

	#[test]
	fn wrong_check_digit_is_rejected() {
		for s in ["04006381333932", "00036000291450", "10614141000010"] {
			assert!(!is_valid_gtin(&gtin(s)), "{s}");
		}
	}

	#[test]
	fn every_single_digit_change_is_caught() {
		let valid = gtin("09506000134352");
		for position in 0..14 {
			for digit in b'0'..=b'9' {
				let mut changed = valid;
				changed[position] = digit;
				assert_eq!(is_valid_gtin(&changed), changed == valid, "{position} {digit}");
			}
		}
	}

	#[test]
	fn non_digits_are_rejected() {
		assert!(!is_valid_gtin(&gtin("0400638133393A")));
		assert!(!is_valid_gtin(&gtin(" 4006381333931")));
		assert!(!has_valid_check_digit(b""));
	}

	#[test]
	fn check_digit_zero_is_accepted() {
		// Sum is a multiple of 10: check digit 0.
		assert!(is_valid_gtin(&gtin("00000000000000")));
		assert!(is_valid_gln(b"0761234500000"));
	}

	#[test]
	fn glns_are_checked() {
		assert!(is_valid_gln(b"0614141000005"));
		assert!(is_valid_gln(b"4066381000004"));
		assert!(!is_valid_gln(b"0614141000006"));
	}

	#[test]
	fn lots_use_gs1_character_set_82() {
		assert!(is_valid_lot(b"LOT-2024/07A"));
		assert!(is_valid_lot(b"ABCDEFGHIJKLMNOPQRST"));
		assert!(!is_valid_lot(b"ABCDEFGHIJKLMNOPQRSTU"), "21 characters");
		assert!(!is_valid_lot(b""));
		for c in [b' ', b'#', b'$', b'@', b'[', b'\\', b']', b'^', b'`', b'{', b'~', 0x7f, 0xc3] {
			assert!(!is_valid_lot(&[b'A', c]), "{c}");
		}
		// Character set 82 has exactly 82 characters.
		assert_eq!((0u8..=255).filter(|c| is_gs1_char(*c)).count(), 82);
	}
}
