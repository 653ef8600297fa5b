// Pixel helpers for the demo media generator: seeded value noise, a 5x7 bitmap font for labels, and PPM (P6) output,
// the raw RGB format ffmpeg reads without any codec. Pure integer hashing, so a run repeats byte for byte.

/** A deterministic hash of a lattice point to [0, 1). */
export function hash2(x, y, seed) {
  let h = Math.imul(x | 0, 374761393) ^ Math.imul(y | 0, 668265263) ^ Math.imul(seed | 0, 1274126177);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

const smooth = (t) => t * t * (3 - 2 * t);

/** Value noise in [0, 1), smooth between lattice points. */
export function noise(x, y, seed) {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const u = smooth(x - xi);
  const v = smooth(y - yi);
  const a = hash2(xi, yi, seed);
  const b = hash2(xi + 1, yi, seed);
  const c = hash2(xi, yi + 1, seed);
  const d = hash2(xi + 1, yi + 1, seed);
  return a + (b - a) * u + (c - a) * v + (a - b - c + d) * u * v;
}

/** Fractal noise: `octaves` layers of value noise, each twice as fine and half as strong. */
export function fbm(x, y, seed, octaves = 4) {
  let sum = 0;
  let amplitude = 0.5;
  let frequency = 1;
  for (let i = 0; i < octaves; i++) {
    sum += amplitude * noise(x * frequency, y * frequency, seed + i * 101);
    amplitude /= 2;
    frequency *= 2;
  }
  return sum;
}

export const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
export const clamp = (v) => Math.max(0, Math.min(255, Math.round(v)));

/** An image of `width` x `height` as PPM bytes, from `pixel(x, y) -> [r, g, b]`. */
export function ppm(width, height, pixel) {
  const header = Buffer.from(`P6\n${width} ${height}\n255\n`, 'ascii');
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      data.set([clamp(r), clamp(g), clamp(b)], (y * width + x) * 3);
    }
  }
  return Buffer.concat([header, data]);
}

// Rows of 5 bits, top to bottom, for the letters the labels use.
const GLYPHS = {
  A: [14, 17, 17, 31, 17, 17, 17],
  B: [30, 17, 17, 30, 17, 17, 30],
  C: [14, 17, 16, 16, 16, 17, 14],
  E: [31, 16, 16, 30, 16, 16, 31],
  F: [31, 16, 16, 30, 16, 16, 16],
  G: [14, 17, 16, 23, 17, 17, 15],
  I: [14, 4, 4, 4, 4, 4, 14],
  L: [16, 16, 16, 16, 16, 16, 31],
  N: [17, 25, 21, 19, 17, 17, 17],
  S: [15, 16, 16, 14, 1, 1, 30],
  T: [31, 4, 4, 4, 4, 4, 4],
  U: [17, 17, 17, 17, 17, 17, 14],
  W: [17, 17, 17, 21, 21, 21, 10],
  Y: [17, 17, 10, 4, 4, 4, 4],
  "'": [4, 4, 8, 0, 0, 0, 0],
  ' ': [0, 0, 0, 0, 0, 0, 0],
};

/** A band of `background` with `text` in white, glyphs scaled by `scale`, as a pixel function and its size. */
export function label(text, background, { width, height, scale = 2, left = 8 }) {
  const top = Math.floor((height - 7 * scale) / 2);
  return (x, y) => {
    const gx = Math.floor((x - left) / scale);
    const gy = Math.floor((y - top) / scale);
    const glyph = GLYPHS[text[Math.floor(gx / 6)] ?? ' '] ?? GLYPHS[' '];
    const column = gx % 6;
    const on = x >= left && gx >= 0 && gy >= 0 && gy < 7 && column < 5 && (glyph[gy] >> (4 - column)) & 1;
    return on && x < width ? [255, 255, 255] : background;
  };
}
