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
			assert_noop!(
				MutualAid::draw_panel(signed(STRANGER), id),
				Error::<Test>::ClaimNotAwaitingPanel
			);
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
		assert_noop!(commit(20, id, &Vote::Approve), Error::<Test>::ClaimNotInReview);
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
		assert_eq!(held(HoldReason::ClaimDeposit, ALICE), 0);
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

/// Whether each of `reviewers` may read each of `records` of `patient` now (EHR stand-in).
fn reads_all(reviewers: &[AccountId], patient: AccountId, records: &[RecordId]) -> bool {
	reviewers.iter().all(|r| records.iter().all(|id| reviewer_reads(*r, patient, *id)))
}

fn reads_any(reviewers: &[AccountId], patient: AccountId, records: &[RecordId]) -> bool {
	reviewers.iter().any(|r| records.iter().any(|id| reviewer_reads(*r, patient, *id)))
}

#[test]
fn drawn_panel_reads_exactly_the_cited_evidence_until_the_commit_window_closes() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let cited = [issue_record(ALICE, PROVIDER), issue_record(ALICE, OTHER_PROVIDER)];
		let id = NextClaimId::<Test>::get();
		assert_ok!(try_file_with(ALICE, SHARE_POOL, 1_000, cite(&cited)));
		// Filing alone opens nothing: access comes with the panel.
		assert!(REVIEWERS.iter().all(|r| review_access(*r, ALICE).is_none()));
		draw(id);
		let seats = panel(id);
		let commit_ends = claim(id).commit_ends;
		for reviewer in &seats {
			assert_eq!(
				review_access(*reviewer, ALICE),
				Some(ReviewAccessOf { review: id, records: cited.to_vec(), until: commit_ends })
			);
		}
		assert!(reads_all(&seats, ALICE, &cited));
		// Reviewers off the panel read nothing.
		let off: Vec<AccountId> = REVIEWERS.into_iter().filter(|r| !seats.contains(r)).collect();
		assert!(!reads_any(&off, ALICE, &cited));
		// Access ends with the commit window (reveals need no reading).
		run_to_block(commit_ends - 1);
		assert!(reads_all(&seats, ALICE, &cited));
		run_to_block(commit_ends);
		assert!(!reads_any(&seats, ALICE, &cited));
	});
}

#[test]
fn attack_panel_reviewer_reads_a_record_the_claim_does_not_cite() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let uncited = issue_record(ALICE, PROVIDER);
		let bobs = issue_record(BOB, PROVIDER);
		let id = file(ALICE, SHARE_POOL, 1_000);
		draw(id);
		let seats = panel(id);
		let cited = claim(id).evidence.to_vec();
		assert!(reads_all(&seats, ALICE, &cited));
		assert!(!reads_any(&seats, ALICE, &[uncited]));
		assert!(!reads_any(&seats, BOB, &[bobs]));
		assert!(seats.iter().all(|r| review_access(*r, BOB).is_none()));
	});
}

/// Evidence must be the claimant's own records: citing another member's record, to have the
/// panel open it, is refused when filing, and the EHR side refuses it again when granting.
#[test]
fn attack_claimant_cites_another_patients_records_to_get_them_read() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let own = issue_record(ALICE, PROVIDER);
		let bobs = issue_record(BOB, PROVIDER);
		assert_noop!(
			try_file_with(ALICE, SHARE_POOL, 1_000, cite(&[own, bobs])),
			Error::<Test>::InvalidEvidence
		);
		assert!(<MockEvidence as EvidenceRecords<AccountId, u64>>::grant_review_access(
			&ALICE,
			&REVIEWERS[0],
			0,
			&[own, bobs],
			now() + 10,
		)
		.is_err());
		assert!(review_access(REVIEWERS[0], ALICE).is_none());
	});
}

#[test]
fn attack_reviewer_reads_after_the_review_closed() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		// The last reveal decides the claim and ends every seat's access at once, even before
		// the commit window would have closed it.
		draw(id);
		let seats = panel(id);
		for reviewer in &seats {
			assert_ok!(commit(*reviewer, id, &Vote::Approve));
		}
		let cited = claim(id).evidence.to_vec();
		assert!(reads_all(&seats, ALICE, &cited));
		for reviewer in &seats {
			assert_ok!(reveal(*reviewer, id, Vote::Approve));
		}
		assert_eq!(claim(id).status, ClaimStatus::Decided);
		assert!(seats.iter().all(|r| review_access(*r, ALICE).is_none()));

		// An appeal draws a new panel, which reads again until its own review closes.
		assert_ok!(MutualAid::appeal(signed(BOB), id));
		draw(id);
		let appeal_seats = panel(id);
		assert!(reads_all(&appeal_seats, ALICE, &cited));
		run_to_block(claim(id).reveal_ends);
		assert_ok!(MutualAid::close_review(signed(STRANGER), id));
		assert!(REVIEWERS.iter().all(|r| review_access(*r, ALICE).is_none()));
	});
}

#[test]
fn escalation_ends_the_old_panels_access_and_the_new_panel_gets_its_own() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		draw(id);
		let first = panel(id);
		// Nobody votes: no quorum, the review escalates.
		run_to_block(claim(id).reveal_ends);
		assert_ok!(MutualAid::close_review(signed(STRANGER), id));
		assert_eq!(claim(id).status, ClaimStatus::AwaitingPanel);
		assert!(first.iter().all(|r| review_access(*r, ALICE).is_none()));
		draw(id);
		let second = panel(id);
		assert_eq!(second.len() as u32, APPEAL_PANEL);
		assert!(reads_all(&second, ALICE, &claim(id).evidence));
	});
}

#[test]
fn attack_removed_reviewer_keeps_read_access() {
	ExtBuilder::default().build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let id = file(ALICE, SHARE_POOL, 1_000);
		let other = file(BOB, SHARE_POOL, 1_000);
		draw(id);
		draw(other);
		let seats = panel(id);
		let cited = claim(id).evidence.to_vec();
		let removed = seats[0];
		assert!(reads_all(&[removed], ALICE, &cited));
		assert_ok!(MutualAid::remove_reviewer(RuntimeOrigin::root(), removed));
		// Its access to every claimant's evidence ended; the rest of the panel still reads.
		assert_eq!(review_access_count(removed), 0);
		assert!(!reads_any(&[removed], ALICE, &cited));
		assert!(reads_all(&seats[1..], ALICE, &cited));
		// Closing the review later leaves nothing behind (try_state checks it too).
		run_to_block(claim(id).reveal_ends);
		assert_ok!(MutualAid::close_review(signed(STRANGER), id));
		assert!(seats.iter().all(|r| review_access(*r, ALICE).is_none()));
	});
}

/// Review access is bounded per reviewer, one per claimant: a reviewer already reviewing a claim
/// of the same claimant, or at the bound, is not drawn; the access is freed when the review
/// closes.
#[test]
fn attack_review_access_piles_up_without_bound() {
	ExtBuilder::default().with_reviewers(&[20, 21, 22]).build_and_execute(|| {
		eligible_members(SHARE_POOL);
		let first = file(ALICE, SHARE_POOL, 1_000);
		let second = file(BOB, SHARE_POOL, 1_000);
		let third = file(CHARLIE, SHARE_POOL, 1_000);
		draw(first);
		assert_ok!(MutualAid::draw_panel(signed(STRANGER), second));
		// Each of the three reviewers now holds MAX_REVIEW_ACCESS (2) review accesses.
		assert!([20, 21, 22].iter().all(|r| review_access_count(*r) == MAX_REVIEW_ACCESS as usize));
		assert_noop!(
			MutualAid::draw_panel(signed(STRANGER), third),
			Error::<Test>::NotEnoughReviewers
		);
		// The first review closes (all reveal): its access is freed and the third claim draws.
		for reviewer in panel(first) {
			assert_ok!(commit(reviewer, first, &Vote::Approve));
		}
		for reviewer in panel(first) {
			assert_ok!(reveal(reviewer, first, Vote::Approve));
		}
		assert_ok!(MutualAid::draw_panel(signed(STRANGER), third));
		assert!(reads_all(&panel(third), CHARLIE, &claim(third).evidence));
	});
}

#[test]
fn a_reviewer_reviewing_one_claim_of_a_claimant_is_not_drawn_for_another() {
	ExtBuilder::default().with_reviewers(&[20, 21, 22, 23]).build_and_execute(|| {
		eligible_members(SHARE_POOL);
		eligible_members(PREFUNDED_POOL);
		fund(&MEMBERS, 1_000);
		let first = file(ALICE, SHARE_POOL, 1_000);
		let second = file(ALICE, PREFUNDED_POOL, 1_000);
		draw(first);
		// Three of the four reviewers are reviewing ALICE already.
		assert_noop!(
			MutualAid::draw_panel(signed(STRANGER), second),
			Error::<Test>::NotEnoughReviewers
		);
		// Once the first panel's commit window closes, its (expired) access no longer blocks; the
		// new access replaces it, and closing the first review does not end the second's.
		run_to_block(claim(first).commit_ends);
		assert_ok!(MutualAid::draw_panel(signed(STRANGER), second));
		let seats = panel(second);
		assert!(reads_all(&seats, ALICE, &claim(second).evidence));
		run_to_block(claim(first).reveal_ends);
		assert_ok!(MutualAid::close_review(signed(STRANGER), first));
		assert!(seats.iter().all(|r| review_access(*r, ALICE).is_some_and(|a| a.review == second)));
	});
}
