// Where an era's rewards come from (pallet-storage-power, issue #18): the storage orders' part
// of the era and the published halving subsidy, from `StoragePowerApi.economics`, by the
// pallet's own schedule (`initial >> ((era − start_era) / half_life_eras)`). Pure, unit-tested.

/** A subsidy schedule as the chain stores it. */
export interface SubsidySchedule { initial: bigint; start_era: number; half_life_eras: number }

/** `StoragePowerApi.economics`. */
export interface EconomicsView {
  era: number;
  price_per_gib_era: bigint;
  subsidy: SubsidySchedule;
  pending_subsidy?: SubsidySchedule;
  next_subsidy: bigint;
  order_revenue: bigint;
  next_order_revenue: bigint;
  prepaid: bigint;
}

/** The pallet's `SubsidySchedule::amount`: nothing before the start, halved every half-life, nothing after 128 halvings. */
export function subsidyAt(schedule: SubsidySchedule, era: number): bigint {
  if (era < schedule.start_era) return 0n;
  if (schedule.half_life_eras <= 0) return 0n;
  const halvings = Math.floor((era - schedule.start_era) / schedule.half_life_eras);
  return halvings >= 128 ? 0n : schedule.initial >> BigInt(halvings);
}

/** The first era after `era` whose subsidy differs from the one before it (the start, or the next halving), and its amount. */
export function nextHalving(schedule: SubsidySchedule, era: number): { era: number; amount: bigint } | null {
  if (schedule.initial === 0n || schedule.half_life_eras <= 0) return null;
  const next = era < schedule.start_era
    ? schedule.start_era
    : schedule.start_era + (Math.floor((era - schedule.start_era) / schedule.half_life_eras) + 1) * schedule.half_life_eras;
  const amount = subsidyAt(schedule, next);
  return amount === 0n && subsidyAt(schedule, next - 1) === 0n ? null : { era: next, amount };
}

export interface EraIncome {
  era: number;
  /** The live orders' part of this era. */
  orderRevenue: bigint;
  /** The schedule's amount for this era, minted when it started: none in era 0, the genesis era, which no era start minted for. */
  subsidy: bigint;
  /** What else is in the era's amount: carried from an unpowered era, dust, slashes (0 when the era's total is unknown). */
  other: bigint;
  /** The era's amount so far, when known: the sum of the three. */
  emission: bigint | null;
  next: { era: number; orderRevenue: bigint; subsidy: bigint };
  pricePerGibEra: bigint;
  /** Paid by orders for eras not yet started. */
  prepaid: bigint;
  schedule: SubsidySchedule;
  /** Most the schedule ever mints: `2 × initial × half_life_eras`. */
  scheduleCap: bigint;
  halving: { era: number; amount: bigint } | null;
  pending?: SubsidySchedule;
}

/** The panel's figures from `economics()` and, when known, the current era's amount so far (`StoragePowerApi.era`). */
export function eraIncome(view: EconomicsView, emission?: bigint): EraIncome {
  const subsidy = view.era === 0 ? 0n : subsidyAt(view.subsidy, view.era);
  const known = emission ?? null;
  const rest = known === null ? 0n : known - view.order_revenue - subsidy;
  return {
    era: view.era,
    orderRevenue: view.order_revenue,
    subsidy,
    other: rest > 0n ? rest : 0n,
    emission: known,
    next: { era: view.era + 1, orderRevenue: view.next_order_revenue, subsidy: view.next_subsidy },
    pricePerGibEra: view.price_per_gib_era,
    prepaid: view.prepaid,
    schedule: view.subsidy,
    scheduleCap: 2n * view.subsidy.initial * BigInt(view.subsidy.half_life_eras),
    halving: nextHalving(view.subsidy, view.era),
    pending: view.pending_subsidy,
  };
}
