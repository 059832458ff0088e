//! Filing claims, objections, appeals and finalization.

use super::*;

#[test]
fn file_claim_holds_the_deposit_and_opens_the_notice() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		System::assert_last_event(ma_event(Event::ClaimFiled {
			claim_id: id,
			pool_id: SHARE_POOL,
			claimant: ALICE,
			amount: 1_000,
			evidence_commitment: commitment(0xEE),
			notice_ends: now() + NOTICE,
		}));
		let c = claim(id);
		assert_eq!(
			(c.status, c.deposit, c.seed_block),
			(ClaimStatus::Notice, CLAIM_DEPOSIT, now() + NOTICE)
		);
		assert_eq!(held(HoldReason::ClaimDeposit, ALICE), CLAIM_DEPOSIT);
		assert_eq!(member(SHARE_POOL, ALICE).open_claim, Some(id));
		assert_eq!(PoolClaims::<Test>::get(SHARE_POOL).to_vec(), vec![id]);
		assert_eq!(Pools::<Test>::get(SHARE_POOL).unwrap().open_claims, 1);
	});
}

#[test]
fn a_claim_before_eligibility_is_rejected_until_the_exact_block() {
	ExtBuilder::default().build_and_execute(|| {
		join_all(SHARE_POOL, &MEMBERS);
		run_to_block(WAITING);
		assert_noop!(try_file(ALICE, SHARE_POOL, 1_000), Error::<Test>::NotEligible);
		run_to_block(1 + WAITING);
		assert_ok!(try_file(ALICE, SHARE_POOL, 1_000));
	});
}

/// The claimant backdates nothing: the diagnosis block is the issue block of the earliest cited
/// record, as the EHR records it, and it must fall at or after the claimant's eligibility.
#[test]
fn attack_claimant_picks_its_own_diagnosis_block() {
	ExtBuilder::default().build_and_execute(|| {
		join_all(SHARE_POOL, &MEMBERS);
		// Diagnosed during the waiting period: the record is dated then.
		advance(WAITING - 1);
		let early = issue_record(ALICE, PROVIDER);
		advance(1);
		let eligible_from = member(SHARE_POOL, ALICE).eligible_from;
		assert_eq!(now(), eligible_from);
		let late = issue_record(ALICE, PROVIDER);
		advance(5);
		assert_noop!(
			try_file_with(ALICE, SHARE_POOL, 100, cite(&[early])),
			Error::<Test>::DiagnosisNotCovered
		);
		// Citing the old record next to a new one does not hide it.
		assert_noop!(
			try_file_with(ALICE, SHARE_POOL, 100, cite(&[late, early])),
			Error::<Test>::DiagnosisNotCovered
		);
		let id = NextClaimId::<Test>::get();
		assert_ok!(try_file_with(ALICE, SHARE_POOL, 100, cite(&[late])));
		assert_eq!(claim(id).diagnosis_block, eligible_from);
	});
}

/// Evidence the claimant issued itself, or that an unregistered or suspended account issued,
/// proves nothing.
#[test]
fn attack_self_issued_evidence() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let own = issue_record(ALICE, ALICE);
		assert_noop!(
			try_file_with(ALICE, SHARE_POOL, 100, cite(&[own])),
			Error::<Test>::EvidenceNotFromProvider
		);
		let friend = issue_record(ALICE, BOB);
		assert_noop!(
			try_file_with(ALICE, SHARE_POOL, 100, cite(&[friend])),
			Error::<Test>::EvidenceNotFromProvider
		);
		let suspended = issue_record(ALICE, OTHER_PROVIDER);
		suspend_provider(OTHER_PROVIDER);
		assert_noop!(
			try_file_with(ALICE, SHARE_POOL, 100, cite(&[suspended])),
			Error::<Test>::EvidenceNotFromProvider
		);
		// A provider's record next to a self-issued one does not carry it.
		let real = issue_record(ALICE, PROVIDER);
		assert_noop!(
			try_file_with(ALICE, SHARE_POOL, 100, cite(&[real, own])),
			Error::<Test>::EvidenceNotFromProvider
		);
		assert_ok!(try_file_with(ALICE, SHARE_POOL, 100, cite(&[real])));
	});
}

#[test]
fn evidence_errors() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		assert_noop!(try_file_with(ALICE, SHARE_POOL, 100, cite(&[])), Error::<Test>::NoEvidence);
		let real = issue_record(ALICE, PROVIDER);
		assert_noop!(
			try_file_with(ALICE, SHARE_POOL, 100, cite(&[real, real])),
			Error::<Test>::DuplicateEvidence
		);
		assert_noop!(
			try_file_with(ALICE, SHARE_POOL, 100, cite(&[999_999])),
			Error::<Test>::InvalidEvidence
		);
		let bobs = issue_record(BOB, PROVIDER);
		assert_noop!(
			try_file_with(ALICE, SHARE_POOL, 100, cite(&[bobs])),
			Error::<Test>::InvalidEvidence
		);
		let amended = issue_record(ALICE, PROVIDER);
		amend_record(amended);
		assert_noop!(
			try_file_with(ALICE, SHARE_POOL, 100, cite(&[amended])),
			Error::<Test>::InvalidEvidence
		);
		let all: Vec<RecordId> = (0..MAX_EVIDENCE).map(|_| issue_record(ALICE, PROVIDER)).collect();
		assert_ok!(try_file_with(ALICE, SHARE_POOL, 100, cite(&all)));
	});
}

/// A prefunded pool's member who stopped contributing cannot claim.
#[test]
fn attack_member_behind_on_contributions_claims() {
	ExtBuilder::default().build_and_execute(|| {
		let mut r = rules(FundingModel::Prefunded);
		r.contribution = 100;
		assert_ok!(MutualAid::create_pool(RuntimeOrigin::root(), MANAGER, r));
		let pool = 2;
		join_all(pool, &MEMBERS);
		for who in MEMBERS {
			assert_ok!(MutualAid::contribute(signed(who), pool, 100));
		}
		advance(WAITING);
		assert_ok!(MutualAid::contribute(signed(BOB), pool, 1_000));
		// Period 0: one contribution each is due and paid.
		assert_ok!(try_file(ALICE, pool, 100));
		run_to_block(PERIOD);
		// Period 1: a second contribution is due.
		assert_noop!(try_file(CHARLIE, pool, 100), Error::<Test>::BehindOnContributions);
		assert_eq!(MutualAid::member(pool, CHARLIE).unwrap().contributions_due, 200);
		assert!(!MutualAid::member(pool, CHARLIE).unwrap().eligible_now);
		assert_ok!(MutualAid::contribute(signed(CHARLIE), pool, 100));
		assert_ok!(try_file(CHARLIE, pool, 100));
	});
}

/// A pool refuses a claim it could not pay on top of its open claims.
#[test]
fn attack_prefunded_pool_takes_claims_it_cannot_cover() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(PREFUNDED_POOL);
		fund(&[DAVE], 1_500);
		assert_ok!(try_file(ALICE, PREFUNDED_POOL, 1_000));
		assert_noop!(try_file(BOB, PREFUNDED_POOL, 501), Error::<Test>::PoolCannotCover);
		assert_ok!(try_file(BOB, PREFUNDED_POOL, 500));
		assert_eq!(Pools::<Test>::get(PREFUNDED_POOL).unwrap().exposure, 1_500);
	});
}

/// In a share-after-claims pool the open claims may total at most `max_share` per member.
#[test]
fn attack_share_pool_takes_more_exposure_than_members_agreed_to() {
	ExtBuilder::default().build_and_execute(|| {
		let mut r = rules(FundingModel::ShareAfterClaims);
		r.max_share = 400;
		assert_ok!(MutualAid::create_pool(RuntimeOrigin::root(), MANAGER, r));
		let pool = 2;
		eligible_members(pool);
		// Five members × 400 = 2 000.
		assert_ok!(try_file(ALICE, pool, 1_500));
		assert_noop!(try_file(BOB, pool, 501), Error::<Test>::PoolCannotCover);
		assert_ok!(try_file(BOB, pool, 500));
		assert_eq!(Pools::<Test>::get(pool).unwrap().exposure, 2_000);
	});
}

#[test]
fn amounts_respect_the_claim_and_lifetime_caps_exactly() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		assert_noop!(try_file(ALICE, SHARE_POOL, 0), Error::<Test>::ZeroAmount);
		assert_noop!(try_file(ALICE, SHARE_POOL, CLAIM_CAP + 1), Error::<Test>::AboveClaimCap);
		assert_ok!(try_file(ALICE, SHARE_POOL, CLAIM_CAP));
		// Bob already received 3 000 of his 5 000 lifetime cap.
		Members::<Test>::mutate(SHARE_POOL, BOB, |m| m.as_mut().unwrap().claimed_total = 3_000);
		assert_noop!(
			try_file(BOB, SHARE_POOL, LIFETIME_CAP - 3_000 + 1),
			Error::<Test>::AboveLifetimeCap
		);
		assert_ok!(try_file(BOB, SHARE_POOL, LIFETIME_CAP - 3_000));
	});
}

#[test]
fn file_claim_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(try_file(ALICE, 7, 100), Error::<Test>::PoolNotFound);
		assert_noop!(try_file(ALICE, SHARE_POOL, 100), Error::<Test>::MemberNotFound);
		join_all(SHARE_POOL, &[ALICE]);
		advance(WAITING);
		assert_noop!(try_file(ALICE, SHARE_POOL, 100), Error::<Test>::TooFewMembers);
		join_all(SHARE_POOL, &[BOB, CHARLIE, DAVE]);
		assert_ok!(try_file(ALICE, SHARE_POOL, 100));
		assert_noop!(try_file(ALICE, SHARE_POOL, 100), Error::<Test>::ClaimOpen);
		Members::<Test>::mutate(SHARE_POOL, BOB, |m| m.as_mut().unwrap().arrears = 1);
		advance(WAITING);
		assert_noop!(try_file(BOB, SHARE_POOL, 100), Error::<Test>::InArrears);
		assert_noop!(try_file(ALICE, SHARE_POOL, 100), Error::<Test>::ClaimOpen);
		assert_noop!(try_file(STRANGER, SHARE_POOL, 100), Error::<Test>::MemberNotFound);
	});
}

#[test]
fn open_claims_are_capped_per_pool() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		for who in [ALICE, BOB, CHARLIE] {
			file(who, SHARE_POOL, 100);
		}
		assert_eq!(Pools::<Test>::get(SHARE_POOL).unwrap().open_claims, MAX_OPEN_CLAIMS);
		assert_noop!(try_file(DAVE, SHARE_POOL, 100), Error::<Test>::TooManyOpenClaims);
	});
}

#[test]
fn members_object_during_the_notice_with_a_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		assert_ok!(MutualAid::object(signed(BOB), id, commitment(0xB0)));
		System::assert_last_event(ma_event(Event::Objected {
			claim_id: id,
			objector: BOB,
			reason_commitment: commitment(0xB0),
		}));
		assert_eq!(held(HoldReason::ObjectionDeposit, BOB), OBJECTION_DEPOSIT);
		assert_eq!(claim(id).objections.len(), 1);
	});
}

#[test]
fn object_errors() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		assert_noop!(
			MutualAid::object(signed(BOB), 9, commitment(1)),
			Error::<Test>::ClaimNotFound
		);
		let id = file(ALICE, SHARE_POOL, 1_000);
		assert_noop!(
			MutualAid::object(signed(STRANGER), id, commitment(1)),
			Error::<Test>::MemberNotFound
		);
		assert_noop!(MutualAid::object(signed(ALICE), id, commitment(1)), Error::<Test>::OwnClaim);
		assert_ok!(MutualAid::object(signed(BOB), id, commitment(1)));
		assert_noop!(
			MutualAid::object(signed(BOB), id, commitment(2)),
			Error::<Test>::AlreadyObjected
		);
		assert_ok!(MutualAid::object(signed(CHARLIE), id, commitment(1)));
		assert_noop!(
			MutualAid::object(signed(DAVE), id, commitment(1)),
			Error::<Test>::TooManyObjections
		);
		// The notice ends exactly at `notice_ends`.
		let id2 = file(BOB, SHARE_POOL, 1_000);
		run_to_block(claim(id2).notice_ends - 1);
		assert_ok!(MutualAid::object(signed(EVE), id2, commitment(1)));
		run_to_block(claim(id2).notice_ends);
		assert_noop!(
			MutualAid::object(signed(DAVE), id2, commitment(1)),
			Error::<Test>::NoticeEnded
		);
		advance(1);
		assert_ok!(MutualAid::draw_panel(signed(STRANGER), id2));
		assert_noop!(
			MutualAid::object(signed(DAVE), id2, commitment(1)),
			Error::<Test>::ClaimNotInNotice
		);
	});
}

#[test]
fn objector_cannot_object_without_funds() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		assert_ok!(MutualAid::join(signed(PAUPER), SHARE_POOL));
		let id = file(ALICE, SHARE_POOL, 1_000);
		assert_noop!(
			MutualAid::object(signed(PAUPER), id, commitment(1)),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn prefunded_claim_is_paid_from_the_pool_and_the_objector_loses_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(PREFUNDED_POOL);
		assert_ok!(MutualAid::contribute(signed(BOB), PREFUNDED_POOL, 2_000));
		let id = file(ALICE, PREFUNDED_POOL, 1_000);
		assert_ok!(MutualAid::object(signed(CHARLIE), id, commitment(1)));
		review(id, &approve_all());
		let decided_at = claim(id).decided_at;
		run_to_block(decided_at + NOTICE - 1);
		assert_noop!(
			MutualAid::finalize_claim(signed(STRANGER), id),
			Error::<Test>::AppealWindowOpen
		);
		run_to_block(decided_at + NOTICE);
		let before = free(ALICE);
		assert_ok!(MutualAid::finalize_claim(signed(STRANGER), id));
		System::assert_has_event(ma_event(Event::ClaimPaid {
			claim_id: id,
			pool_id: PREFUNDED_POOL,
			claimant: ALICE,
			amount: 1_000,
		}));
		System::assert_has_event(ma_event(Event::DepositSlashed {
			claim_id: id,
			who: CHARLIE,
			amount: OBJECTION_DEPOSIT,
		}));
		assert_eq!(free(ALICE), before + 1_000 + CLAIM_DEPOSIT);
		assert_eq!(held(HoldReason::ClaimDeposit, ALICE), 0);
		assert_eq!(held(HoldReason::ObjectionDeposit, CHARLIE), 0);
		assert_eq!(free(MutualAid::pool_account(PREFUNDED_POOL)), 1_000 + OBJECTION_DEPOSIT);
		assert!(Claims::<Test>::get(id).is_none());
		assert_eq!(member(PREFUNDED_POOL, ALICE).claimed_total, 1_000);
		assert_eq!(member(PREFUNDED_POOL, ALICE).open_claim, None);
		let ledger = Ledgers::<Test>::get(PREFUNDED_POOL, 0).unwrap();
		assert_eq!((ledger.inflow, ledger.payouts), (2_000 + OBJECTION_DEPOSIT, 1_000));
	});
}

#[test]
fn prefunded_pool_never_pays_beyond_its_balance() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(PREFUNDED_POOL);
		assert_ok!(MutualAid::contribute(signed(BOB), PREFUNDED_POOL, 999));
		// The pool refuses a claim it cannot pay.
		assert_noop!(try_file(ALICE, PREFUNDED_POOL, 1_000), Error::<Test>::PoolCannotCover);
		assert_ok!(MutualAid::contribute(signed(CHARLIE), PREFUNDED_POOL, 1));
		let id = file(ALICE, PREFUNDED_POOL, 1_000);
		review(id, &approve_all());
		finalize(id);
		assert!(Claims::<Test>::get(id).is_none());
		assert_eq!(free(MutualAid::pool_account(PREFUNDED_POOL)), 0);
	});
}

/// A claim waiting for funds (a share-after-claims pool whose members fell short) is paid by a
/// later `finalize_claim` once the pool has the funds.
#[test]
fn a_claim_awaiting_funds_is_paid_once_the_pool_has_them() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(PREFUNDED_POOL);
		fund(&[BOB], 1_000);
		let id = file(ALICE, PREFUNDED_POOL, 1_000);
		review(id, &approve_all());
		// The pool's funds leave it between approval and finalization (as a share pool's
		// apportioning can leave a claim short).
		let pool_account = MutualAid::pool_account(PREFUNDED_POOL);
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), pool_account, 999));
		finalize(id);
		System::assert_last_event(ma_event(Event::ClaimAwaitingFunds {
			claim_id: id,
			pool_id: PREFUNDED_POOL,
			amount: 1_000,
		}));
		assert_eq!(claim(id).status, ClaimStatus::AwaitingFunds);
		assert_noop!(
			MutualAid::finalize_claim(signed(STRANGER), id),
			Error::<Test>::InsufficientPoolFunds
		);
		assert_ok!(MutualAid::contribute(signed(CHARLIE), PREFUNDED_POOL, 1));
		assert_ok!(MutualAid::finalize_claim(signed(STRANGER), id));
		assert!(Claims::<Test>::get(id).is_none());
		assert_eq!(free(MutualAid::pool_account(PREFUNDED_POOL)), 0);
	});
}

#[test]
fn denied_claim_is_closed_and_its_deposit_slashed_to_the_pool() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(PREFUNDED_POOL);
		fund(&[EVE], 1_000);
		let id = file(ALICE, PREFUNDED_POOL, 1_000);
		assert_ok!(MutualAid::object(signed(BOB), id, commitment(1)));
		review(id, &deny_all());
		finalize(id);
		System::assert_has_event(ma_event(Event::ClaimClosed {
			claim_id: id,
			pool_id: PREFUNDED_POOL,
			outcome: Outcome::Denied,
		}));
		System::assert_has_event(ma_event(Event::DepositSlashed {
			claim_id: id,
			who: ALICE,
			amount: CLAIM_DEPOSIT,
		}));
		assert_eq!(held(HoldReason::ClaimDeposit, ALICE), 0);
		assert_eq!(held(HoldReason::ObjectionDeposit, BOB), 0);
		assert_eq!(free(BOB), INITIAL_BALANCE - MEMBERSHIP_DEPOSIT);
		assert_eq!(free(MutualAid::pool_account(PREFUNDED_POOL)), 1_000 + CLAIM_DEPOSIT);
		assert!(Claims::<Test>::get(id).is_none());
		assert_eq!(member(PREFUNDED_POOL, ALICE).open_claim, None);
		assert_eq!(Pools::<Test>::get(PREFUNDED_POOL).unwrap().open_claims, 0);
	});
}

#[test]
fn finalize_errors() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		assert_noop!(MutualAid::finalize_claim(signed(BOB), 9), Error::<Test>::ClaimNotFound);
		let id = file(ALICE, SHARE_POOL, 1_000);
		assert_noop!(MutualAid::finalize_claim(signed(BOB), id), Error::<Test>::ClaimNotDecided);
		review(id, &approve_all());
		finalize(id);
		assert_noop!(MutualAid::finalize_claim(signed(BOB), id), Error::<Test>::ClaimNotDecided);
	});
}

#[test]
fn a_period_records_a_bounded_number_of_approved_claims() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let ids: Vec<ClaimId> =
			[ALICE, BOB, CHARLIE].iter().map(|who| file(*who, SHARE_POOL, 100)).collect();
		for id in &ids {
			review(*id, &approve_all());
		}
		finalize(ids[0]);
		finalize(ids[1]);
		assert_eq!(PeriodClaims::<Test>::get(SHARE_POOL, 0).len() as u32, MAX_CLAIMS_PER_PERIOD);
		assert_noop!(
			MutualAid::finalize_claim(signed(STRANGER), ids[2]),
			Error::<Test>::TooManyClaimsInPeriod
		);
		// In the next period it is recorded there.
		run_to_block(PERIOD);
		assert_ok!(MutualAid::finalize_claim(signed(STRANGER), ids[2]));
		assert_eq!(claim(ids[2]).period, Some(1));
	});
}

#[test]
fn claimant_appeals_a_denial_and_the_final_approval_returns_the_appeal_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(PREFUNDED_POOL);
		assert_ok!(MutualAid::contribute(signed(BOB), PREFUNDED_POOL, 5_000));
		let id = file(ALICE, PREFUNDED_POOL, 1_000);
		review(id, &deny_all());
		assert_ok!(MutualAid::appeal(signed(ALICE), id));
		let seed_block = now() + 1;
		System::assert_last_event(ma_event(Event::Appealed {
			claim_id: id,
			appellant: ALICE,
			seed_block,
		}));
		assert_eq!(held(HoldReason::AppealDeposit, ALICE), APPEAL_DEPOSIT);
		let c = claim(id);
		assert_eq!(
			(c.status, c.level, c.seed_block),
			(ClaimStatus::AwaitingPanel, ReviewLevel::Appeal, seed_block)
		);
		review(id, &vec![Vote::Approve; APPEAL_PANEL as usize]);
		assert_eq!(panel(id).len() as u32, APPEAL_PANEL);
		assert_noop!(MutualAid::appeal(signed(ALICE), id), Error::<Test>::AlreadyAppealed);
		// The appeal-level decision is final: no appeal window.
		assert_ok!(MutualAid::finalize_claim(signed(STRANGER), id));
		assert_eq!(held(HoldReason::AppealDeposit, ALICE), 0);
		assert_eq!(free(ALICE), INITIAL_BALANCE - MEMBERSHIP_DEPOSIT + 1_000);
	});
}

#[test]
fn objector_loses_an_appeal_that_the_panel_confirms() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(PREFUNDED_POOL);
		assert_ok!(MutualAid::contribute(signed(DAVE), PREFUNDED_POOL, 5_000));
		let id = file(ALICE, PREFUNDED_POOL, 1_000);
		assert_ok!(MutualAid::object(signed(BOB), id, commitment(1)));
		review(id, &approve_all());
		assert_ok!(MutualAid::appeal(signed(BOB), id));
		review(id, &vec![Vote::Approve; APPEAL_PANEL as usize]);
		assert_ok!(MutualAid::finalize_claim(signed(STRANGER), id));
		System::assert_has_event(ma_event(Event::DepositSlashed {
			claim_id: id,
			who: BOB,
			amount: APPEAL_DEPOSIT,
		}));
		assert_eq!(held(HoldReason::AppealDeposit, BOB), 0);
		assert_eq!(
			free(BOB),
			INITIAL_BALANCE - MEMBERSHIP_DEPOSIT - OBJECTION_DEPOSIT - APPEAL_DEPOSIT
		);
	});
}

#[test]
fn appeal_errors() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(PREFUNDED_POOL);
		fund(&[EVE], 1_000);
		assert_noop!(MutualAid::appeal(signed(ALICE), 9), Error::<Test>::ClaimNotFound);
		let id = file(ALICE, PREFUNDED_POOL, 1_000);
		assert_ok!(MutualAid::object(signed(BOB), id, commitment(1)));
		assert_noop!(MutualAid::appeal(signed(ALICE), id), Error::<Test>::ClaimNotDecided);
		review(id, &deny_all());
		// Only the claimant (or an objector of an approval) may appeal.
		assert_noop!(MutualAid::appeal(signed(CHARLIE), id), Error::<Test>::NotAuthorized);
		assert_noop!(MutualAid::appeal(signed(BOB), id), Error::<Test>::NotAuthorized);
		run_to_block(claim(id).decided_at + NOTICE);
		assert_noop!(MutualAid::appeal(signed(ALICE), id), Error::<Test>::AppealWindowClosed);
	});
}

#[test]
fn appeal_needs_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(PREFUNDED_POOL);
		fund(&[EVE], 1_000);
		let id = file(ALICE, PREFUNDED_POOL, 1_000);
		review(id, &deny_all());
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), ALICE, APPEAL_DEPOSIT));
		assert_noop!(MutualAid::appeal(signed(ALICE), id), TokenError::FundsUnavailable);
	});
}

/// The claimant's friends fill every objection slot so that no real objector can object, and so
/// none can appeal the approval: any other member of the pool may appeal an approval.
#[test]
fn attack_claimant_fills_objection_slots_to_block_appeals() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(PREFUNDED_POOL);
		fund(&[EVE], 5_000);
		let id = file(ALICE, PREFUNDED_POOL, 1_000);
		assert_ok!(MutualAid::object(signed(BOB), id, commitment(1)));
		assert_ok!(MutualAid::object(signed(CHARLIE), id, commitment(2)));
		assert_noop!(
			MutualAid::object(signed(DAVE), id, commitment(3)),
			Error::<Test>::TooManyObjections
		);
		review(id, &approve_all());
		// A non-member still cannot appeal.
		assert_noop!(MutualAid::appeal(signed(STRANGER), id), Error::<Test>::NotAuthorized);
		assert_ok!(MutualAid::appeal(signed(DAVE), id));
		assert_eq!(held(HoldReason::AppealDeposit, DAVE), APPEAL_DEPOSIT);
		// The appellant does not sit on the appeal panel.
		draw(id);
		assert!(!panel(id).contains(&DAVE));
	});
}

/// Leaving and re-joining does not reset the lifetime cap: approved claims are remembered per
/// pool and account.
#[test]
fn attack_rejoin_resets_lifetime_cap() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(PREFUNDED_POOL);
		fund(&[EVE], 10_000);
		let id = file(ALICE, PREFUNDED_POOL, CLAIM_CAP);
		review(id, &approve_all());
		finalize(id);
		assert_eq!(member(PREFUNDED_POOL, ALICE).claimed_total, CLAIM_CAP);
		assert_ok!(MutualAid::leave(signed(ALICE), PREFUNDED_POOL));
		assert_ok!(MutualAid::join(signed(ALICE), PREFUNDED_POOL));
		advance(WAITING);
		assert_eq!(member(PREFUNDED_POOL, ALICE).claimed_total, CLAIM_CAP);
		assert_noop!(try_file(ALICE, PREFUNDED_POOL, CLAIM_CAP), Error::<Test>::AboveLifetimeCap);
		assert_ok!(try_file(ALICE, PREFUNDED_POOL, LIFETIME_CAP - CLAIM_CAP));
	});
}
