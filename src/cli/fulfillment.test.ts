import { describe, expect, it } from 'vitest';
import { timeLeft } from './fulfillment.ts';

describe('tiksuite fulfillment late: time left', () => {
  it('shows minutes, hours and minutes, days and hours, and "late" once past', () => {
    expect(timeLeft(59)).toBe('0m');
    expect(timeLeft(45 * 60)).toBe('45m');
    expect(timeLeft(3 * 3600 + 5 * 60 + 30)).toBe('3h 05m');
    expect(timeLeft(2 * 86_400 + 4 * 3600 + 59 * 60)).toBe('2d 4h');
    expect(timeLeft(-(3600 + 5 * 60))).toBe('late 1h 05m');
    expect(timeLeft(-3 * 86_400)).toBe('late 3d 0h');
  });
});
