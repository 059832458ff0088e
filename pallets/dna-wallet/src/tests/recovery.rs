use super::*;

fn guardians(list: &[u64]) -> GuardianListOf<Test> {
	BoundedVec::try_from(list.to_vec()).unwrap()
}

fn set_guardians(list: &[u64], threshold: u32) -> DispatchResult {
	DnaWallet::set_guardians(RuntimeOrigin::signed(OWNER), guardians(list), threshold)
}

fn approve(guardian: u64, tag: u8) -> DispatchResult {
	DnaWallet::approve_recovery(
		RuntimeOrigin::signed(guardian),
		OWNER,
		x25519(tag),
		KeyType::X25519,
	)
}

fn key_hash(tag: u8) -> sp_core::H256 {
	DnaWallet::key_hash(&x25519(tag))
}

#[test]
fn set_guardians_sorts_them_and_holds_a_deposit_once() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set_guardians(&[SIS, MUM, DAD], 2));
		System::assert_last_event(dw_event(Event::GuardiansSet {
			owner: OWNER,
			guardians: guardians(&[MUM, DAD, SIS]),
			threshold: 2,
		}));
		assert_eq!(held(HoldReason::GuardianDeposit, OWNER), GUARDIAN_DEPOSIT);
		assert_ok!(set_guardians(&[MUM, DAD], 1));
		assert_eq!(held(HoldReason::GuardianDeposit, OWNER), GUARDIAN_DEPOSIT);
		assert_eq!(Guardians::<Test>::get(OWNER).unwrap().threshold, 1);
	});
}

#[test]
fn set_guardians_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(set_guardians(&[MUM, DAD], 0), Error::<Test>::InvalidThreshold);
		assert_noop!(set_guardians(&[MUM, DAD], 3), Error::<Test>::InvalidThreshold);
		assert_noop!(set_guardians(&[MUM, OWNER], 1), Error::<Test>::CannotTargetSelf);
		assert_noop!(set_guardians(&[MUM, MUM], 1), Error::<Test>::DuplicateGuardian);
		assert_noop!(
			DnaWallet::set_guardians(RuntimeOrigin::signed(PAUPER), guardians(&[MUM]), 1),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn remove_guardians_releases_the_deposit_and_drops_the_recovery() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			DnaWallet::remove_guardians(RuntimeOrigin::signed(OWNER)),
			Error::<Test>::GuardiansNotFound
		);
		assert_ok!(set_guardians(&[MUM, DAD, SIS], 2));
		assert_ok!(approve(MUM, 1));
		assert_ok!(DnaWallet::remove_guardians(RuntimeOrigin::signed(OWNER)));
		System::assert_last_event(dw_event(Event::GuardiansRemoved { owner: OWNER }));
		assert!(!Guardians::<Test>::contains_key(OWNER));
		assert!(!Recoveries::<Test>::contains_key(OWNER));
		assert_eq!(free(OWNER), INITIAL_BALANCE);
	});
}

#[test]
fn threshold_approvals_of_the_same_key_start_the_delay() {
	ExtBuilder::default().build_and_execute(|| {
		let old = register_key(OWNER, 1);
		assert_ok!(set_guardians(&[MUM, DAD, SIS], 2));
		assert_ok!(approve(MUM, 7));
		System::assert_last_event(dw_event(Event::RecoveryApproved {
			owner: OWNER,
			guardian: MUM,
			key_hash: key_hash(7),
			approvals: 1,
		}));
		// Approvals of different keys do not add up.
		assert_ok!(approve(DAD, 8));
		assert!(Recoveries::<Test>::get(OWNER).unwrap().pending.is_none());
		// A guardian's new approval replaces their old one.
		assert_ok!(approve(DAD, 7));
		System::assert_last_event(dw_event(Event::RecoveryInitiated {
			owner: OWNER,
			key_hash: key_hash(7),
			ready_at: 1 + RECOVERY_DELAY,
		}));
		let recovery = Recoveries::<Test>::get(OWNER).unwrap();
		assert!(recovery.votes.is_empty());
		assert_eq!(recovery.pending.unwrap().public_key, x25519(7));
		assert_noop!(approve(SIS, 7), Error::<Test>::RecoveryPending);

		run_to_block(RECOVERY_DELAY);
		assert_noop!(
			DnaWallet::finish_recovery(RuntimeOrigin::signed(STRANGER), OWNER),
			Error::<Test>::RecoveryNotReady
		);
		run_to_block(1 + RECOVERY_DELAY);
		let new = NextKeyId::<Test>::get();
		assert_ok!(DnaWallet::finish_recovery(RuntimeOrigin::signed(STRANGER), OWNER));
		System::assert_last_event(dw_event(Event::RecoveryFinished {
			owner: OWNER,
			key_id: new,
			retired: 1,
		}));
		let keys = Keys::<Test>::get(OWNER);
		assert_eq!(keys[0].id, old);
		assert_eq!(keys[0].revoked_at, Some(1 + RECOVERY_DELAY));
		assert_eq!(
			(keys[1].id, keys[1].public_key.clone(), keys[1].revoked_at),
			(new, x25519(7), None)
		);
		// The owner pays the new key's deposit, not the caller.
		assert_eq!(held(HoldReason::KeyDeposit, OWNER), 2 * KEY_DEPOSIT);
		assert_eq!(free(STRANGER), INITIAL_BALANCE);
		assert!(!Recoveries::<Test>::contains_key(OWNER));
	});
}

#[test]
fn approve_recovery_errors_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(approve(MUM, 7), Error::<Test>::GuardiansNotFound);
		assert_ok!(set_guardians(&[MUM, DAD], 2));
		assert_noop!(approve(STRANGER, 7), Error::<Test>::NotGuardian);
		assert_noop!(
			DnaWallet::approve_recovery(
				RuntimeOrigin::signed(MUM),
				OWNER,
				x25519(7),
				KeyType::P256
			),
			Error::<Test>::InvalidPublicKey
		);
		register_key(OWNER, 7);
		assert_noop!(approve(MUM, 7), Error::<Test>::KeyAlreadyExists);
	});
}

#[test]
fn the_owner_cancels_a_recovery_during_the_delay() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			DnaWallet::cancel_recovery(RuntimeOrigin::signed(OWNER)),
			Error::<Test>::RecoveryNotFound
		);
		assert_ok!(set_guardians(&[MUM, DAD], 2));
		assert_ok!(approve(MUM, 7));
		assert_ok!(approve(DAD, 7));
		run_to_block(5);
		assert_ok!(DnaWallet::cancel_recovery(RuntimeOrigin::signed(OWNER)));
		System::assert_last_event(dw_event(Event::RecoveryCancelled { owner: OWNER }));
		run_to_block(1 + RECOVERY_DELAY);
		assert_noop!(
			DnaWallet::finish_recovery(RuntimeOrigin::signed(MUM), OWNER),
			Error::<Test>::RecoveryNotFound
		);
		assert!(!Keys::<Test>::contains_key(OWNER));
	});
}

#[test]
fn finish_recovery_needs_a_pending_key_and_a_free_slot() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set_guardians(&[MUM, DAD], 2));
		assert_ok!(approve(MUM, 7));
		// Votes alone are not a pending key.
		assert_noop!(
			DnaWallet::finish_recovery(RuntimeOrigin::signed(MUM), OWNER),
			Error::<Test>::RecoveryNotFound
		);
		assert_ok!(approve(DAD, 7));
		for tag in 1..=MAX_KEYS as u8 {
			register_key(OWNER, tag);
		}
		run_to_block(1 + RECOVERY_DELAY);
		assert_noop!(
			DnaWallet::finish_recovery(RuntimeOrigin::signed(MUM), OWNER),
			Error::<Test>::TooManyKeys
		);
		assert_ok!(DnaWallet::revoke_key(RuntimeOrigin::signed(OWNER), 3));
		assert_ok!(DnaWallet::remove_key(RuntimeOrigin::signed(OWNER), 3));
		// Registered by the owner in the meantime: nothing to recover.
		assert_ok!(DnaWallet::register_key(
			RuntimeOrigin::signed(OWNER),
			x25519(7),
			KeyType::X25519
		));
		assert_noop!(
			DnaWallet::finish_recovery(RuntimeOrigin::signed(MUM), OWNER),
			Error::<Test>::KeyAlreadyExists
		);
	});
}

#[test]
fn replacing_the_guardians_drops_the_recovery_in_progress() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set_guardians(&[MUM, DAD], 2));
		assert_ok!(approve(MUM, 7));
		assert_ok!(set_guardians(&[DAD, SIS], 2));
		assert!(!Recoveries::<Test>::contains_key(OWNER));
		assert_noop!(approve(MUM, 7), Error::<Test>::NotGuardian);
	});
}

#[test]
fn attack_stale_recovery_approval_does_not_count() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set_guardians(&[MUM, DAD, SIS], 2));
		assert_ok!(approve(MUM, 7));
		// Long after, one more approval of the same key must not complete the threshold.
		run_to_block(1 + RECOVERY_APPROVAL_WINDOW);
		assert_ok!(approve(DAD, 7));
		System::assert_last_event(dw_event(Event::RecoveryApproved {
			owner: OWNER,
			guardian: DAD,
			key_hash: key_hash(7),
			approvals: 1,
		}));
		let recovery = Recoveries::<Test>::get(OWNER).unwrap();
		assert!(recovery.pending.is_none());
		assert_eq!(recovery.votes.len(), 1);
	});
}

#[test]
fn a_recovery_approval_counts_until_its_window_ends() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set_guardians(&[MUM, DAD], 2));
		assert_ok!(approve(MUM, 7));
		run_to_block(RECOVERY_APPROVAL_WINDOW);
		assert_ok!(approve(DAD, 7));
		System::assert_last_event(dw_event(Event::RecoveryInitiated {
			owner: OWNER,
			key_hash: key_hash(7),
			ready_at: RECOVERY_APPROVAL_WINDOW + RECOVERY_DELAY,
		}));
		// Registrable until the window after the delay ends.
		run_to_block(RECOVERY_APPROVAL_WINDOW + RECOVERY_DELAY + RECOVERY_APPROVAL_WINDOW - 1);
		assert_ok!(DnaWallet::finish_recovery(RuntimeOrigin::signed(STRANGER), OWNER));
	});
}

#[test]
fn attack_stale_pending_recovery_cannot_be_finished() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(set_guardians(&[MUM, DAD], 2));
		assert_ok!(approve(MUM, 7));
		assert_ok!(approve(DAD, 7));
		// A pending key nobody finished in time cannot be registered years later.
		run_to_block(1 + RECOVERY_DELAY + RECOVERY_APPROVAL_WINDOW);
		assert_noop!(
			DnaWallet::finish_recovery(RuntimeOrigin::signed(STRANGER), OWNER),
			Error::<Test>::Expired
		);
		// The next approval drops it and starts afresh.
		assert_ok!(approve(MUM, 8));
		let recovery = Recoveries::<Test>::get(OWNER).unwrap();
		assert!(recovery.pending.is_none());
		assert_eq!(recovery.votes.len(), 1);
	});
}
