// The committed demo media of each attraction (local/assets/media/<attraction>/, made by
// scripts/make-demo-media.mjs) with the Content-Type a player expects. Reads only that folder; a file whose type
// is not listed here fails the start rather than being seeded as an untyped object.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MEDIA_DIR = fileURLToPath(new URL('./assets/media/', import.meta.url));

/**
 * HLS playlists: RFC 8216 §4 ("application/vnd.apple.mpegurl"). fMP4 initialization and media segments: video/mp4
 * (ISO BMFF, RFC 4337), which hls.js, AVPlayer and ExoPlayer accept. JPEG and AAC in MP4 as their usual types.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.mp4': 'video/mp4',
  '.m4s': 'video/mp4',
  '.jpg': 'image/jpeg',
  '.m4a': 'audio/mp4',
};

export interface MediaFile {
  /** The path under the attraction's folder, with `/` separators: `video/master.m3u8`. */
  readonly path: string;
  readonly body: Buffer;
  readonly contentType: string;
}

export function contentTypeOf(path: string): string {
  const type = CONTENT_TYPES[extname(path).toLowerCase()];
  if (type === undefined) throw new Error(`demo media: no Content-Type known for ${path}`);
  return type;
}

/** Every file of an attraction's media folder, in a stable order. */
export function attractionMedia(attractionId: string): MediaFile[] {
  const dir = join(MEDIA_DIR, attractionId);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => relative(dir, file).split(sep).join('/'))
    .sort()
    .map((path) => ({ path, body: readFileSync(join(dir, path)), contentType: contentTypeOf(path) }));
}
