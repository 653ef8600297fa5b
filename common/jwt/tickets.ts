// Reads the ticket claim of a verified token: which attractions it opens, and until when.
// Trust boundary: claims are signed but their shape is not; anything malformed is ignored, never trusted.

/** Attraction id → end of the ticket in epoch seconds, or `null` when the ticket has no end of its own. */
export type Tickets = ReadonlyMap<string, number | null>;

const MAX_TICKETS = 256;

function entryOf(item: unknown): [string, number | null] | undefined {
  if (typeof item === 'string') return [item, null];
  if (typeof item !== 'object' || item === null) return undefined;
  const { attraction, exp } = item as { attraction?: unknown; exp?: unknown };
  if (typeof attraction !== 'string') return undefined;
  if (exp === undefined) return [attraction, null];
  return typeof exp === 'number' && Number.isFinite(exp) ? [attraction, Math.floor(exp)] : undefined;
}

/**
 * The claim may be an array of ids (`["42", "7"]`) or of objects with their own end
 * (`[{ "attraction": "42", "exp": 1767225600 }]`). Ended tickets are dropped; of duplicates, the latest end wins.
 */
export function readTickets(
  claims: Readonly<Record<string, unknown>>,
  claimName: string,
  nowEpochSeconds: number,
): Tickets {
  const raw = claims[claimName];
  const tickets = new Map<string, number | null>();
  if (!Array.isArray(raw)) return tickets;
  for (const item of raw.slice(0, MAX_TICKETS)) {
    const entry = entryOf(item);
    if (entry === undefined) continue;
    const [id, end] = entry;
    if (end !== null && end <= nowEpochSeconds) continue;
    const previous = tickets.get(id);
    if (previous === null) continue;
    tickets.set(id, previous === undefined || end === null ? end : Math.max(previous, end));
  }
  return tickets;
}
