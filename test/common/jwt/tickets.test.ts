// Ticket claims: ids and objects with ends; malformed or ended entries never open anything.
import { describe, expect, it } from 'vitest';
import { readTickets } from '../../../common/jwt/index.ts';

const NOW = 1_800_000_000;

describe('readTickets', () => {
  it('reads an array of ids as tickets without an end of their own', () => {
    expect([...readTickets({ tickets: ['42', '7'] }, 'tickets', NOW)]).toEqual([
      ['42', null],
      ['7', null],
    ]);
  });

  it('reads objects with their own end and drops ended ones', () => {
    const claims = { t: [{ attraction: 'a', exp: NOW + 60 }, { attraction: 'b', exp: NOW }, { attraction: 'c' }] };
    expect([...readTickets(claims, 't', NOW)]).toEqual([
      ['a', NOW + 60],
      ['c', null],
    ]);
  });

  it('ignores malformed entries and a claim that is not an array', () => {
    expect(readTickets({ t: [1, null, { attraction: 5 }, { attraction: 'x', exp: 'soon' }] }, 't', NOW).size).toBe(0);
    expect(readTickets({ t: '42' }, 't', NOW).size).toBe(0);
    expect(readTickets({}, 't', NOW).size).toBe(0);
  });

  it('keeps the latest end of duplicates, and no end beats any end', () => {
    const claims = {
      t: [
        { attraction: 'a', exp: NOW + 10 },
        { attraction: 'a', exp: NOW + 90 },
        'b',
        { attraction: 'b', exp: NOW + 5 },
      ],
    };
    expect([...readTickets(claims, 't', NOW)]).toEqual([
      ['a', NOW + 90],
      ['b', null],
    ]);
  });
});
