// Two photo-like scenes for the demo attractions, painted pixel by pixel from seeded noise (no input files): basalt
// columns below a sea horizon, and a silver four-prowed building above a slipway. Each is `(x, y) -> [r, g, b]`.
import { fbm, hash2, mix, noise } from './raster.mjs';

export const PHOTO = { width: 320, height: 192 };
const { width: W, height: H } = PHOTO;

function sky(x, y, horizon, seed) {
  const t = y / horizon;
  const base = mix([92, 136, 190], [196, 212, 222], t);
  const cloud = Math.max(0, fbm(x / 60, y / 22, seed, 5) - 0.48) * 3.2;
  return mix(base, [238, 240, 242], Math.min(1, cloud));
}

const grain = (x, y, seed, amount) => (hash2(x, y, seed) - 0.5) * amount;

/** Pointy-top hexagon cell of a point, and how far it is from the cell's edge (0 at the edge, 1 at the centre). */
function hexCell(px, py) {
  const q = (Math.sqrt(3) / 3) * px - py / 3;
  const r = (2 / 3) * py;
  let [cq, cr, cs] = [Math.round(q), Math.round(r), Math.round(-q - r)];
  const [dq, dr, ds] = [Math.abs(cq - q), Math.abs(cr - r), Math.abs(cs + q + r)];
  if (dq > dr && dq > ds) cq = -cr - cs;
  else if (dr > ds) cr = -cq - cs;
  const cx = Math.sqrt(3) * (cq + cr / 2);
  const cy = 1.5 * cr;
  const [dx, dy] = [px - cx, py - cy];
  const apothem = Math.sqrt(3) / 2;
  const reach = Math.max(
    Math.abs(dx),
    Math.abs(dx / 2 + (dy * Math.sqrt(3)) / 2),
    Math.abs(dx / 2 - (dy * Math.sqrt(3)) / 2),
  );
  return { q: cq, r: cr, edge: 1 - reach / apothem, dx, dy };
}

/** Giant's Causeway: sky, a headland, the sea with breaking light, hexagonal basalt columns in perspective. */
export function causeway(x, y) {
  const horizon = 64;
  const headland = horizon - 26 * Math.exp(-(((x - 270) / 60) ** 2)) - 6 * noise(x / 9, 0, 3);
  if (y < horizon && y < headland) return sky(x, y, horizon, 11);
  if (y < horizon) return mix([58, 70, 52], [34, 40, 32], (y - headland) / 30).map((v) => v + grain(x, y, 5, 14));
  const shore = 98 + 10 * Math.sin(x / 37) + 8 * fbm(x / 25, 0, 7, 3);
  if (y < shore) {
    const depth = (y - horizon) / (shore - horizon);
    const glint = Math.max(0, Math.sin(x / 5 + fbm(x / 30, y / 4, 9, 3) * 9 + y * 1.7)) ** 12;
    const surf = Math.max(0, (depth - 0.78) / 0.22) ** 2 * fbm(x / 6, y / 3, 13, 3) * 1.6;
    return mix(mix([38, 72, 100], [24, 52, 72], depth), [230, 236, 238], Math.min(1, glint * 0.5 + surf));
  }
  // Perspective: rows far from the viewer are compressed; the hex lattice is laid out on the ground plane.
  const z = 150 / (y - 40);
  const cell = hexCell(((x - W / 2) * z) / 22, z * 6);
  const tone = 0.55 + 0.45 * hash2(cell.q, cell.r, 17);
  const tilt = 0.85 + 0.3 * (cell.dx * 0.4 - cell.dy * 0.3);
  const wet = Math.max(0, 1 - (y - shore) / 26) * 0.35;
  const rock = [72, 66, 62].map((v) => v * tone * tilt + grain(x, y, 19, 18) + 30 * fbm(x / 4, y / 4, 23, 2));
  const lit = mix(rock, [120, 130, 140], wet);
  return cell.edge < 0.12 ? mix(lit, [18, 16, 15], 0.75 - cell.edge * 3) : lit;
}

/** One prow of the building: a quadrilateral that widens upwards, its two faces meeting at a ridge. */
function prow(x, y, cx, top) {
  const bottom = 150;
  if (y < top || y > bottom) return undefined;
  const t = (bottom - y) / (bottom - top);
  const half = 16 + 18 * t;
  if (Math.abs(x - cx) > half) return undefined;
  const apex = top + 10 * (Math.abs(x - cx) / half);
  if (y < apex) return undefined;
  return x < cx ? 0.72 : 1;
}

/** Titanic Belfast: four silver prows of shard-like cladding above the slipway, under a cloudy sky. */
export function titanic(x, y) {
  const horizon = 150;
  for (const [cx, top] of [
    [86, 52],
    [134, 40],
    [186, 46],
    [236, 58],
  ]) {
    const face = prow(x, y, cx, top);
    if (face === undefined) continue;
    const shard = hash2(Math.floor((x + (y % 7)) / 7), Math.floor(y / 5), 31);
    const reflection = sky(x, Math.max(0, y - 90), horizon, 41);
    const metal = [176, 184, 192].map((v) => v * face * (0.86 + 0.22 * shard) + grain(x, y, 37, 10));
    return mix(metal, reflection, 0.18);
  }
  if (y < horizon) return sky(x, y, horizon, 43);
  // The slipway: concrete with two long white outlines converging towards the building.
  const depth = (y - horizon) / (H - horizon);
  const lane = Math.abs(((x - W / 2) / (0.3 + depth)) % 80);
  const line = lane < 2.2 + depth * 2 ? 0.7 : 0;
  const concrete = [128, 124, 118].map(
    (v) => v * (0.8 + 0.2 * depth) + grain(x, y, 47, 22) + 18 * fbm(x / 8, y / 3, 53, 2),
  );
  return mix(concrete, [232, 232, 226], line);
}
