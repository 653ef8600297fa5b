// Fixture for the streaming suite: plays an HLS stream with hls.js inside a real Chromium page and reports what the
// player saw (time reached, first frame, fatal error), while the page's network log records every playlist and
// segment response the browser got.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type HlsPlayer from 'hls.js';

/** The full hls.js build, as an app would bundle it (the demo pages serve the light build themselves). */
export const HLS_SCRIPT = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

export interface Playback {
  readonly outcome: 'playing' | 'fatal' | 'timeout';
  /** The video's position when the run ended. */
  readonly currentTime: number;
  /** Milliseconds from loadSource to the first decoded frame (`loadeddata`), or null if none came. */
  readonly firstFrameMs: number | null;
  readonly fragmentsLoaded: number;
  /** The fatal error: hls.js's type and details, and the HTTP status when a load failed. */
  readonly error: { readonly type: string; readonly details: string; readonly status: number | null } | null;
}

export interface PlayOptions {
  readonly src: string;
  /** Sends cookies with every playlist and segment request across origins (XMLHttpRequest.withCredentials). */
  readonly withCredentials: boolean;
  /** Playback counts once the video reaches this position (default 1.5 s). */
  readonly untilSeconds?: number;
  readonly timeoutMs?: number;
}

/** Plays `src` muted (autoplay is allowed muted) until it reaches `untilSeconds`, a fatal error, or the timeout. */
export function play(page: Page, options: PlayOptions): Promise<Playback> {
  const run = { untilSeconds: 1.5, timeoutMs: 15_000, ...options };
  return page.evaluate(async (o) => {
    const Hls = (window as unknown as { Hls: typeof HlsPlayer }).Hls;
    const video = document.createElement('video');
    video.muted = true;
    document.body.append(video);
    const started = performance.now();
    let firstFrameMs: number | null = null;
    let fragmentsLoaded = 0;
    video.addEventListener('loadeddata', () => (firstFrameMs ??= performance.now() - started), { once: true });
    const hls = new Hls(
      o.withCredentials
        ? {
            xhrSetup: (xhr) => {
              xhr.withCredentials = true;
            },
          }
        : {},
    );
    return new Promise<Playback>((resolve) => {
      let error: Playback['error'] = null;
      const finish = (outcome: Playback['outcome']) => {
        clearTimeout(timer);
        const currentTime = video.currentTime;
        hls.destroy();
        resolve({ outcome, currentTime, firstFrameMs, fragmentsLoaded, error });
      };
      const timer = setTimeout(() => {
        finish('timeout');
      }, o.timeoutMs);
      hls.on(Hls.Events.FRAG_LOADED, () => fragmentsLoaded++);
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        error = { type: data.type, details: data.details, status: data.response?.code ?? null };
        finish('fatal');
      });
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        void video.play();
      });
      video.addEventListener('timeupdate', () => {
        if (video.currentTime >= o.untilSeconds) finish('playing');
      });
      hls.loadSource(o.src);
      hls.attachMedia(video);
    });
  }, run);
}

export interface Exchange {
  readonly path: string;
  readonly status: number;
}

/** Records every response (redirects included) for a path under `prefix`, and every request that failed. */
export function networkLog(page: Page, prefix: string): { exchanges: Exchange[]; failed: string[] } {
  const log = { exchanges: [] as Exchange[], failed: [] as string[] };
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith(prefix)) log.exchanges.push({ path, status: response.status() });
  });
  page.on('requestfailed', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith(prefix)) log.failed.push(path);
  });
  return log;
}
