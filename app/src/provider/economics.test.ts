import { describe, expect, test } from 'vitest';
import { eraIncome, nextHalving, subsidyAt, type EconomicsView } from './economics';

const MED = 10n ** 12n;
// Every preset's schedule: 1,000 MED an era from era 1, halving every 365 eras.
const schedule = { initial: 1000n * MED, start_era: 1, half_life_eras: 365 };

describe('subsidyAt, the pallet\'s schedule', () => {
  test('nothing before the start (the genesis era), the initial amount for a half-life, then halves', () => {
    expect(subsidyAt(schedule, 0)).toBe(0n);
    expect(subsidyAt(schedule, 1)).toBe(1000n * MED);
    expect(subsidyAt(schedule, 365)).toBe(1000n * MED);
    expect(subsidyAt(schedule, 366)).toBe(500n * MED);
    expect(subsidyAt(schedule, 1 + 3 * 365)).toBe(125n * MED);
  });
  test('an odd amount is shifted (rounded down), and nothing after 128 halvings', () => {
    expect(subsidyAt({ initial: 5n, start_era: 0, half_life_eras: 1 }, 1)).toBe(2n);
    expect(subsidyAt({ initial: (1n << 127n) * 3n, start_era: 0, half_life_eras: 1 }, 127)).toBe(3n);
    expect(subsidyAt({ initial: (1n << 127n) * 3n, start_era: 0, half_life_eras: 1 }, 128)).toBe(0n);
    expect(subsidyAt({ initial: 0n, start_era: 0, half_life_eras: 0 }, 5)).toBe(0n);
  });
});

describe('nextHalving', () => {
  test('the schedule\'s start, or the next multiple of the half-life, with its amount', () => {
    expect(nextHalving(schedule, 0)).toEqual({ era: 1, amount: 1000n * MED });
    expect(nextHalving(schedule, 1)).toEqual({ era: 366, amount: 500n * MED });
    expect(nextHalving(schedule, 365)).toEqual({ era: 366, amount: 500n * MED });
    expect(nextHalving(schedule, 366)).toEqual({ era: 731, amount: 250n * MED });
  });
  test('none without a subsidy, or once it has reached zero', () => {
    expect(nextHalving({ ...schedule, initial: 0n }, 3)).toBeNull();
    expect(nextHalving({ initial: 1n, start_era: 0, half_life_eras: 1 }, 1)).toBeNull();
    expect(nextHalving({ initial: 1n, start_era: 0, half_life_eras: 1 }, 0)).toEqual({ era: 1, amount: 0n });
  });
});

describe('eraIncome: where this era\'s rewards come from', () => {
  const view: EconomicsView = {
    era: 366, price_per_gib_era: MED / 10n, subsidy: schedule, next_subsidy: 500n * MED,
    order_revenue: 3n * MED, next_order_revenue: 6n * MED, prepaid: 12n * MED,
  };
  test('orders, the schedule\'s subsidy for the era, and the rest of the era\'s amount (carried, slashed)', () => {
    const income = eraIncome(view, 510n * MED);
    expect(income).toMatchObject({
      era: 366, orderRevenue: 3n * MED, subsidy: 500n * MED, other: 7n * MED, emission: 510n * MED,
      next: { era: 367, orderRevenue: 6n * MED, subsidy: 500n * MED }, pricePerGibEra: MED / 10n, prepaid: 12n * MED,
      halving: { era: 731, amount: 250n * MED },
    });
    // At most 2 × 1,000 MED × 365 eras is ever minted: the README's 730,000 MED.
    expect(income.scheduleCap).toBe(730_000n * MED);
  });
  test('without the era\'s amount, nothing else is claimed; the genesis era has no subsidy; a pending schedule is passed on', () => {
    expect(eraIncome(view)).toMatchObject({ other: 0n, emission: null });
    const pending = { initial: 10n * MED, start_era: 1, half_life_eras: 10 };
    expect(eraIncome({ ...view, era: 0, next_subsidy: 10n * MED, pending_subsidy: pending }, 3n * MED)).toMatchObject({ subsidy: 0n, other: 0n, pending });
    // Genesis starts the schedule at era 0, but nothing mints for the genesis era.
    expect(eraIncome({ ...view, era: 0, subsidy: { ...schedule, start_era: 0 } }, 3n * MED)).toMatchObject({ orderRevenue: 3n * MED, subsidy: 0n, other: 0n });
    expect(eraIncome({ ...view, era: 1, subsidy: { ...schedule, start_era: 0 } })).toMatchObject({ subsidy: 1000n * MED });
  });
});
