// The member picker's seat count: how the cohort fills as the coach ticks
// clients, so a full cohort is noticed before adding, not after.
import { plural } from './format';

export interface Seats {
  /** text is the live count: "13 chosen / 12 seats", "3 in + 10 chosen / 12 seats". */
  text: string;
  /** over is how many more than the seats the cohort would have (0 when it fits). */
  over: number;
}

/** seats counts members already in, clients chosen, against capacity (0: no limit). */
export function seats(members: number, chosen: number, capacity: number): Seats {
  const picked = `${chosen.toLocaleString()} chosen`;
  if (capacity <= 0) return { text: members ? `${members.toLocaleString()} in + ${picked}` : picked, over: 0 };
  const seatsText = plural(capacity, 'seat');
  const text = members ? `${members.toLocaleString()} in + ${picked} / ${seatsText}` : `${picked} / ${seatsText}`;
  return { text, over: Math.max(0, members + chosen - capacity) };
}
