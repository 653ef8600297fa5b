// The committed demo media (local/assets/media/, scripts/make-demo-media.mjs) as the local stack seeds them: every
// file typed, every playlist URI resolving to a seeded object, the named photo, audio and stream present, and the
// whole set small enough to keep in git.
import { describe, expect, it } from 'vitest';
import { ATTRACTIONS, demoObjects } from '../../local/demo-content.ts';
import { attractionMedia, contentTypeOf } from '../../local/media-files.ts';

const objects = demoObjects();
const byKey = new Map(objects.map((o) => [o.key, o]));
const text = (key: string) => String(byKey.get(key)?.body ?? '');

/** The URIs a playlist names: its non-comment lines and the URI attributes of its tags (RFC 8216 §4.1). */
function playlistUris(playlist: string): string[] {
  return playlist.split('\n').flatMap((line) => {
    if (line.startsWith('#')) return [...line.matchAll(/URI="([^"]+)"/g)].map((m) => m[1]!);
    return line.trim() === '' ? [] : [line.trim()];
  });
}

describe('the seeded demo media', () => {
  it.each(ATTRACTIONS.map((a) => [a.id, a] as const))('seeds the photo, audio and stream %s names', (_id, a) => {
    const base = `attractions/${a.id}/`;
    expect(byKey.get(`${base}${a.image}`)?.contentType).toBe('image/jpeg');
    expect(byKey.get(`${base}${a.audio}`)?.contentType).toBe('audio/mp4');
    expect(byKey.get(`${base}${a.video}`)?.contentType).toBe('application/vnd.apple.mpegurl');
  });

  it('resolves every playlist URI, relative to its playlist, to a seeded object', () => {
    const playlists = objects.filter((o) => o.key.endsWith('.m3u8'));
    expect(playlists).toHaveLength(4);
    for (const playlist of playlists) {
      const base = new URL(`https://cdn.test/${playlist.key}`);
      for (const uri of playlistUris(text(playlist.key))) {
        const target = new URL(uri, base);
        expect(target.origin, `${playlist.key}: ${uri}`).toBe(base.origin);
        expect(byKey.has(target.pathname.slice(1)), `${playlist.key}: ${uri}`).toBe(true);
      }
    }
  });

  it('describes a six-second VOD stream of three two-second segments, one H.264/AAC variant', () => {
    for (const a of ATTRACTIONS) {
      const master = text(`attractions/${a.id}/${a.video}`);
      expect(master).toMatch(/^#EXT-X-STREAM-INF:BANDWIDTH=\d+,.*CODECS="avc1\.4d401e,mp4a\.40\.2"/m);
      const media = text(`attractions/${a.id}/video/stream.m3u8`);
      expect(media).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(media).toContain('#EXT-X-ENDLIST');
      expect([...media.matchAll(/#EXTINF:([\d.]+),/g)].map((m) => Number(m[1]))).toEqual([2, 2, 2]);
    }
  });

  it('declares a BANDWIDTH no lower than the peak segment bit rate (RFC 8216 §4.3.4.2)', () => {
    for (const a of ATTRACTIONS) {
      const bandwidth = Number(/BANDWIDTH=(\d+)/.exec(text(`attractions/${a.id}/${a.video}`))![1]);
      const segments = attractionMedia(a.id).filter((f) => f.path.endsWith('.m4s'));
      expect(segments).toHaveLength(3);
      for (const segment of segments) expect(bandwidth).toBeGreaterThanOrEqual((segment.body.length * 8) / 2);
    }
  });

  it('keeps every attraction’s media together under 1 MB', () => {
    const bytes = ATTRACTIONS.flatMap((a) => attractionMedia(a.id)).reduce((sum, f) => sum + f.body.length, 0);
    expect(bytes).toBeLessThan(1_000_000);
  });

  it.each([
    ['video/master.m3u8', 'application/vnd.apple.mpegurl'],
    ['video/segment-9.M4S', 'video/mp4'],
    ['photo.jpg', 'image/jpeg'],
  ])('types %s as %s', (path, type) => {
    expect(contentTypeOf(path)).toBe(type);
  });

  it('refuses a file whose type it does not know, rather than seeding it untyped', () => {
    expect(() => contentTypeOf('video/segment-0.ts')).toThrow(/no Content-Type known for video\/segment-0\.ts/);
  });
});
