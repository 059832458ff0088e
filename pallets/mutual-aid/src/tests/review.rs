//! Drawing panels, commit–reveal voting and the tally.

use super::*;

#[test]
fn panel_is_drawn_after_the_seed_block_excluding_claimant_and_objectors() {
	ExtBuilder::default().with_reviewers(&[ALICE, BOB, CHARLIE, DAVE, 20]).build_and_execute(
		|| {
			eligible_members(SHARE_POOL);
			let id = file(ALICE, SHARE_POOL, 1_000);
			assert_ok!(MutualAid::object(signed(BOB), id, commitment(1)));
			run_to_block(claim(id).seed_block);
			assert_noop!(MutualAid::draw_panel(signed(STRANGER), id), Error::<Test>::TooEarly);
			advance(1);
			assert_ok!(MutualAid::draw_panel(signed(STRANGER), id));
			let mut seats = panel(id);
			seats.sort();
			assert_eq!(seats, vec![CHARLIE, DAVE, 20]);
			let c = claim(id);
			assert_eq!(c.status, ClaimStatus::Voting);
			assert_eq!((c.commit_ends, c.reveal_ends), (now() + REVIEW, now() + 2 * REVIEW));
			System::assert_last_event(ma_event(Event::PanelDrawn {
				claim_id: id,
				level: ReviewLevel::First,
				panel: panel(id),
				commit_ends: now() + REVIEW,
				reveal_ends: now() + 2 * REVIEW,
			}));
			assert_noop!(MutualAid::draw_panel(signed(STRANGER), id), Error::<Test>::WrongStatus);
		},
	);
}

#[test]
fn draw_needs_enough_eligible_reviewers() {
	ExtBuilder::default().with_reviewers(&[ALICE, 20, 21]).build_and_execute(|| {
		eligible_members(SHARE_POOL);
		assert_noop!(MutualAid::draw_panel(signed(STRANGER), 9), Error::<Test>::ClaimNotFound);
		let id = file(ALICE, SHARE_POOL, 1_000);
		run_to_block(claim(id).seed_block + 1);
		assert_noop!(
			MutualAid::draw_panel(signed(STRANGER), id),
			Error::<Test>::NotEnoughReviewers
		);
	});
}

#[test]
fn the_panel_depends_only_on_the_seed_block_hash() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		let c = claim(id);
		let draw_with = |hash: u8| {
			frame_system::BlockHash::<Test>::insert(c.seed_block, H256::repeat_byte(hash));
			let seats: Vec<AccountId> =
				MutualAid::draw(id, &c, PANEL).unwrap().iter().map(|s| s.reviewer).collect();
			seats
		};
		// The same hash always gives the same panel, whenever the draw is made.
		assert_eq!(draw_with(1), draw_with(1));
		let panels: std::collections::BTreeSet<Vec<AccountId>> = (0..16).map(draw_with).collect();
		assert!(panels.len() > 1, "different seed hashes draw different panels");
		for seats in panels {
			let unique: std::collections::BTreeSet<AccountId> = seats.iter().copied().collect();
			assert_eq!(unique.len(), PANEL as usize);
			assert!(seats.iter().all(|s| REVIEWERS.contains(s)));
		}
	});
}

#[test]
fn commit_vote_rules() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		assert_noop!(commit(20, id, &Vote::Approve), Error::<Test>::WrongStatus);
		assert_noop!(commit(20, 9, &Vote::Approve), Error::<Test>::ClaimNotFound);
		draw(id);
		let seats = panel(id);
		let outsider = *REVIEWERS.iter().find(|r| !seats.contains(r)).unwrap();
		assert_noop!(commit(outsider, id, &Vote::Approve), Error::<Test>::NotOnPanel);
		assert_ok!(commit(seats[0], id, &Vote::Approve));
		System::assert_last_event(ma_event(Event::VoteCommitted {
			claim_id: id,
			reviewer: seats[0],
		}));
		assert_noop!(commit(seats[0], id, &Vote::Deny), Error::<Test>::AlreadyCommitted);
		run_to_block(claim(id).commit_ends - 1);
		assert_ok!(commit(seats[1], id, &Vote::Approve));
		run_to_block(claim(id).commit_ends);
		assert_noop!(commit(seats[2], id, &Vote::Approve), Error::<Test>::CommitClosed);
	});
}

#[test]
fn reveal_vote_rules() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		draw(id);
		let seats = panel(id);
		let outsider = *REVIEWERS.iter().find(|r| !seats.contains(r)).unwrap();
		assert_ok!(commit(seats[0], id, &Vote::Approve));
		assert_ok!(commit(seats[1], id, &Vote::ApprovePartial(0)));
		// Reveals wait for the commit window while a seat has not committed.
		assert_noop!(reveal(seats[0], id, Vote::Approve), Error::<Test>::RevealNotOpen);
		assert_noop!(reveal(seats[2], id, Vote::Approve), Error::<Test>::NotCommitted);
		assert_noop!(reveal(outsider, id, Vote::Approve), Error::<Test>::NotOnPanel);
		run_to_block(claim(id).commit_ends);
		assert_noop!(reveal(seats[0], id, Vote::Deny), Error::<Test>::CommitmentMismatch);
		assert_noop!(
			MutualAid::reveal_vote(signed(seats[0]), id, Vote::Approve, [0u8; 32]),
			Error::<Test>::CommitmentMismatch
		);
		assert_noop!(
			reveal(seats[1], id, Vote::ApprovePartial(0)),
			Error::<Test>::InvalidPartialAmount
		);
		assert_ok!(reveal(seats[0], id, Vote::Approve));
		System::assert_last_event(ma_event(Event::VoteRevealed {
			claim_id: id,
			reviewer: seats[0],
			vote: Vote::Approve,
		}));
		assert_noop!(reveal(seats[0], id, Vote::Approve), Error::<Test>::AlreadyRevealed);
		run_to_block(claim(id).reveal_ends);
		assert_noop!(reveal(seats[1], id, Vote::ApprovePartial(0)), Error::<Test>::RevealClosed);
	});
}

#[test]
fn a_commitment_cannot_be_copied_by_another_reviewer() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		draw(id);
		let seats = panel(id);
		let copied = MutualAid::vote_commitment(id, &seats[0], &Vote::Deny, &salt(seats[0]));
		assert_ok!(MutualAid::commit_vote(signed(seats[0]), id, copied));
		assert_ok!(MutualAid::commit_vote(signed(seats[1]), id, copied));
		assert_ok!(commit(seats[2], id, &Vote::Deny));
		assert_ok!(reveal(seats[0], id, Vote::Deny));
		assert_noop!(
			MutualAid::reveal_vote(signed(seats[1]), id, Vote::Deny, salt(seats[0])),
			Error::<Test>::CommitmentMismatch
		);
	});
}

#[test]
fn majority_approval_decides_on_the_last_reveal() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		review(id, &[Vote::Approve, Vote::Deny, Vote::Approve]);
		System::assert_last_event(ma_event(Event::ClaimDecided {
			claim_id: id,
			level: ReviewLevel::First,
			outcome: Outcome::Approved(1_000),
		}));
		let c = claim(id);
		assert_eq!((c.status, c.decided_at), (ClaimStatus::Decided, now()));
	});
}

#[test]
fn partial_approvals_pay_the_median_approved_amount() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		review(id, &[Vote::ApprovePartial(400), Vote::Approve, Vote::ApprovePartial(700)]);
		assert_eq!(claim(id).outcome, Some(Outcome::Approved(700)));
		// With an even number of approvals, the lower median.
		let id = file(BOB, SHARE_POOL, 1_000);
		review(id, &[Vote::ApprovePartial(400), Vote::Deny, Vote::ApprovePartial(700)]);
		assert_eq!(claim(id).outcome, Some(Outcome::Approved(400)));
	});
}

#[test]
fn majority_denial_denies() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		review(id, &[Vote::Deny, Vote::Approve, Vote::Deny]);
		assert_eq!(claim(id).outcome, Some(Outcome::Denied));
	});
}

#[test]
fn no_quorum_escalates_to_an_appeal_level_panel() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		draw(id);
		let seats = panel(id);
		assert_ok!(commit(seats[0], id, &Vote::Approve));
		run_to_block(claim(id).commit_ends);
		assert_ok!(reveal(seats[0], id, Vote::Approve));
		run_to_block(claim(id).reveal_ends - 1);
		assert_noop!(MutualAid::close_review(signed(STRANGER), id), Error::<Test>::ReviewNotOver);
		run_to_block(claim(id).reveal_ends);
		assert_ok!(MutualAid::close_review(signed(STRANGER), id));
		System::assert_last_event(ma_event(Event::ReviewEscalated {
			claim_id: id,
			seed_block: now() + 1,
		}));
		let c = claim(id);
		assert_eq!((c.status, c.level), (ClaimStatus::AwaitingPanel, ReviewLevel::Appeal));
		// Waiting for a panel: closable only once the draw window has passed without one.
		assert_noop!(MutualAid::close_review(signed(STRANGER), id), Error::<Test>::ReviewNotOver);
		run_to_block(claim(id).seed_block + REVIEW);
		assert_noop!(MutualAid::close_review(signed(STRANGER), id), Error::<Test>::PanelCanBeDrawn);
		assert_noop!(MutualAid::close_review(signed(STRANGER), 9), Error::<Test>::ClaimNotFound);
		draw(id);
		assert_eq!(panel(id).len() as u32, APPEAL_PANEL);
	});
}

#[test]
fn a_tie_escalates() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		draw(id);
		let seats = panel(id);
		assert_ok!(commit(seats[0], id, &Vote::Approve));
		assert_ok!(commit(seats[1], id, &Vote::Deny));
		run_to_block(claim(id).commit_ends);
		assert_ok!(reveal(seats[0], id, Vote::Approve));
		assert_ok!(reveal(seats[1], id, Vote::Deny));
		run_to_block(claim(id).reveal_ends);
		assert_ok!(MutualAid::close_review(signed(STRANGER), id));
		assert_eq!(claim(id).level, ReviewLevel::Appeal);
		assert_eq!(claim(id).status, ClaimStatus::AwaitingPanel);
	});
}

#[test]
fn without_any_decision_the_claim_closes_undecided_and_returns_every_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(PREFUNDED_POOL);
		fund(&[EVE], 1_000);
		let id = file(ALICE, PREFUNDED_POOL, 1_000);
		assert_ok!(MutualAid::object(signed(BOB), id, commitment(1)));
		// First panel, then 1 + MAX_ESCALATIONS appeal-level panels, none revealing.
		for _ in 0..(2 + MAX_ESCALATIONS) {
			draw(id);
			run_to_block(claim(id).reveal_ends);
			assert_ok!(MutualAid::close_review(signed(STRANGER), id));
		}
		assert_eq!(claim(id).outcome, Some(Outcome::Undecided));
		assert_ok!(MutualAid::finalize_claim(signed(STRANGER), id));
		System::assert_last_event(ma_event(Event::ClaimClosed {
			claim_id: id,
			pool_id: PREFUNDED_POOL,
			outcome: Outcome::Undecided,
		}));
		assert_eq!(free(ALICE), INITIAL_BALANCE - MEMBERSHIP_DEPOSIT);
		assert_eq!(free(BOB), INITIAL_BALANCE - MEMBERSHIP_DEPOSIT);
	});
}

/// Too few reviewers to draw a panel (reviewers removed, or objecting so as to be excluded)
/// must not lock the claim, its deposits and the claimant's membership forever: after the draw
/// window anyone closes it undecided and every deposit is returned.
#[test]
fn attack_claim_stuck_on_too_few_reviewers_never_times_out() {
	ExtBuilder::default().with_reviewers(&[20, 21]).build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		run_to_block(claim(id).seed_block + 1);
		assert_noop!(
			MutualAid::draw_panel(signed(STRANGER), id),
			Error::<Test>::NotEnoughReviewers
		);
		run_to_block(claim(id).seed_block + REVIEW);
		assert_ok!(MutualAid::close_review(signed(STRANGER), id));
		assert_eq!(claim(id).outcome, Some(Outcome::Undecided));
		assert_ok!(MutualAid::finalize_claim(signed(STRANGER), id));
		assert_eq!(held(HoldReason::Claim, ALICE), 0);
		assert_ok!(MutualAid::leave(signed(ALICE), SHARE_POOL));
	});
}

/// The provider who issued a claim's evidence never judges it.
#[test]
fn attack_evidence_issuer_reviews_the_claim() {
	ExtBuilder::default().with_reviewers(&[PROVIDER, 20, 21]).build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		run_to_block(claim(id).seed_block + 1);
		assert_noop!(
			MutualAid::draw_panel(signed(STRANGER), id),
			Error::<Test>::NotEnoughReviewers
		);
		assert_ok!(MutualAid::add_reviewer(RuntimeOrigin::root(), 22));
		assert_ok!(MutualAid::draw_panel(signed(STRANGER), id));
		assert!(!panel(id).contains(&PROVIDER));
	});
}

/// A reviewer the registrar removed (for misconduct, say) no longer votes on the panels it sat
/// on.
#[test]
fn attack_removed_reviewer_keeps_deciding() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		draw(id);
		let seats = panel(id);
		assert_ok!(commit(seats[1], id, &Vote::Approve));
		assert_ok!(MutualAid::remove_reviewer(RuntimeOrigin::root(), seats[0]));
		assert_noop!(commit(seats[0], id, &Vote::Approve), Error::<Test>::NotOnPanel);
		assert_ok!(MutualAid::remove_reviewer(RuntimeOrigin::root(), seats[1]));
		assert_ok!(commit(seats[2], id, &Vote::Approve));
		run_to_block(claim(id).commit_ends);
		assert_noop!(reveal(seats[1], id, Vote::Approve), Error::<Test>::NotOnPanel);
	});
}

/// A draw made after the seed block's hash is pruned would be seeded by a zero hash that anyone
/// can compute in advance: the seed is refreshed to a block still to come instead.
#[test]
fn attack_draw_after_seed_hash_pruned_is_predictable() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		let hash_count: u64 = <<Test as frame_system::Config>::BlockHashCount as frame_support::traits::Get<u64>>::get();
		run_to_block(claim(id).seed_block + hash_count);
		assert_ok!(MutualAid::draw_panel(signed(STRANGER), id));
		System::assert_last_event(ma_event(Event::SeedRefreshed { claim_id: id, seed_block: now() }));
		assert_eq!(claim(id).status, ClaimStatus::Notice);
		assert_noop!(MutualAid::draw_panel(signed(STRANGER), id), Error::<Test>::TooEarly);
		advance(1);
		assert_ok!(MutualAid::draw_panel(signed(STRANGER), id));
		assert_eq!(claim(id).status, ClaimStatus::Voting);
	});
}
