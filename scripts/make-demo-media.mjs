// Generates the local stack's demo media into local/assets/media/<attraction>/ with Debian's ffmpeg: an HLS stream
// (H.264 Main + AAC-LC in fMP4, 6 s in three 2 s segments, one variant behind a master playlist), a photo-like JPEG
// and a few seconds of AAC audio per attraction. The output is committed, so CI and `npm start` need no ffmpeg;
// run `node scripts/make-demo-media.mjs` again only to change it. Same ffmpeg, same bytes (bitexact, one thread).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PHOTO, causeway, titanic } from './demo-media/photos.mjs';
import { label, ppm } from './demo-media/raster.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'local/assets/media');
const FFMPEG = process.env.FFMPEG ?? 'ffmpeg';
const VIDEO = { width: 320, height: 180, fps: 24, seconds: 6, segmentSeconds: 2 };

const ATTRACTIONS = [
  {
    id: 'giants-causeway',
    label: "GIANT'S CAUSEWAY",
    band: [47, 133, 90],
    toneHz: 330,
    photo: { name: 'basalt.jpg', paint: causeway },
    audio: {
      name: 'waves.m4a',
      // Surf: brown noise that swells and falls twice, softened.
      source:
        "anoisesrc=color=brown:seed=7:amplitude=0.9:sample_rate=44100:duration=5,lowpass=f=900,volume='0.25+0.75*pow(sin(PI*t/2.5)\\,2)':eval=frame",
    },
  },
  {
    id: 'titanic-belfast',
    label: 'TITANIC BELFAST',
    band: [43, 108, 176],
    toneHz: 220,
    photo: { name: 'slipway.jpg', paint: titanic },
    audio: {
      name: 'horn.m4a',
      // A ship's horn: a low fundamental and its harmonics, swelling in and dying away.
      source:
        "aevalsrc='0.22*(sin(2*PI*92*t)+0.6*sin(2*PI*184*t)+0.4*sin(2*PI*276*t)+0.2*sin(2*PI*368*t))*min(1\\,t/0.4)*max(0\\,min(1\\,(4.4-t)/0.9))':s=44100:d=5",
    },
  },
];

const BITEXACT = ['-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact', '-map_metadata', '-1'];
const AAC = ['-c:a', 'aac', '-b:a', '48k', '-ac', '1', '-ar', '44100'];

function ffmpeg(args) {
  const run = spawnSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' });
  if (run.error !== undefined) throw new Error(`cannot run ${FFMPEG}: ${run.error.message} (apt-get install ffmpeg)`);
  if (run.status !== 0) throw new Error(`${FFMPEG} failed (exit ${String(run.status)})`);
}

function photo(work, dir, { name, paint }) {
  const source = join(work, `${name}.ppm`);
  writeFileSync(source, ppm(PHOTO.width, PHOTO.height, paint));
  ffmpeg(['-i', source, '-frames:v', '1', '-q:v', '5', ...BITEXACT, '-pix_fmt', 'yuvj420p', join(dir, name)]);
}

function audio(dir, { name, source }) {
  const fades = 'afade=t=in:d=0.3,afade=t=out:st=4.5:d=0.5';
  ffmpeg(['-f', 'lavfi', '-i', `${source},${fades}`, ...AAC, ...BITEXACT, '-movflags', '+faststart', join(dir, name)]);
}

/** testsrc2 (moving shapes) under a coloured band naming the attraction, with a quiet tone; HLS in fMP4. */
function video(work, dir, attraction) {
  const { width, height, fps, seconds, segmentSeconds } = VIDEO;
  const band = join(work, `${attraction.id}-band.ppm`);
  writeFileSync(band, ppm(width, 28, label(attraction.label, attraction.band, { width, height: 28 })));
  const out = join(dir, 'video');
  mkdirSync(out, { recursive: true });
  const gop = String(fps * segmentSeconds);
  ffmpeg([
    ...['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=${attraction.toneHz}:sample_rate=44100:duration=${seconds},volume=0.2`],
    ...['-i', band],
    ...['-filter_complex', '[0:v][2:v]overlay=0:H-h,format=yuv420p[v]', '-map', '[v]', '-map', '1:a'],
    ...['-c:v', 'libx264', '-profile:v', 'main', '-level', '3.0', '-preset', 'slow', '-crf', '30', '-threads', '1'],
    ...['-g', gop, '-keyint_min', gop, '-sc_threshold', '0', ...AAC, ...BITEXACT],
    ...['-f', 'hls', '-hls_time', String(segmentSeconds), '-hls_playlist_type', 'vod'],
    ...['-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', 'init.mp4'],
    ...['-hls_segment_filename', join(out, 'segment-%d.m4s')],
    join(out, 'stream.m3u8'),
  ]);
  writeFileSync(join(out, 'master.m3u8'), masterPlaylist(out));
}

/**
 * The master playlist, written here rather than by ffmpeg, whose BANDWIDTH is the encoder's target, not what the
 * segments need. RFC 8216 §4.3.4.2: BANDWIDTH is the peak segment bit rate, AVERAGE-BANDWIDTH the average; CODECS
 * names H.264 Main 3.0 (avc1.4d401e, ISO/IEC 14496-15) and AAC-LC (mp4a.40.2, RFC 6381).
 */
function masterPlaylist(out) {
  const { width, height, fps, seconds, segmentSeconds } = VIDEO;
  const sizes = readdirSync(out)
    .filter((name) => name.endsWith('.m4s'))
    .map((name) => statSync(join(out, name)).size);
  const peak = Math.ceil((Math.max(...sizes) * 8) / segmentSeconds);
  const average = Math.ceil((sizes.reduce((a, b) => a + b, 0) * 8) / seconds);
  const attributes = [
    `BANDWIDTH=${String(peak)}`,
    `AVERAGE-BANDWIDTH=${String(average)}`,
    'CODECS="avc1.4d401e,mp4a.40.2"',
    `RESOLUTION=${String(width)}x${String(height)}`,
    `FRAME-RATE=${fps.toFixed(3)}`,
  ];
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-STREAM-INF:${attributes.join(',')}`,
    'stream.m3u8',
    '',
  ].join('\n');
}

function listing(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => statSync(path).isFile())
    .map((path) => `${String(statSync(path).size).padStart(8)}  ${relative(root, path)}`);
}

const work = mkdtempSync(join(tmpdir(), 'edgepass-media-'));
try {
  rmSync(OUT, { recursive: true, force: true });
  for (const attraction of ATTRACTIONS) {
    const dir = join(OUT, attraction.id);
    mkdirSync(dir, { recursive: true });
    photo(work, dir, attraction.photo);
    audio(dir, attraction.audio);
    video(work, dir, attraction);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(listing(OUT).sort().join('\n'));
