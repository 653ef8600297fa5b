// The demo content seeded into the local S3: public files (the demo page, its script, hls.js) and two attractions,
// each with a page and badge generated here and the committed media of local/assets/media/<attraction>/ (a photo,
// an audio clip and an HLS stream). Only our own constant text goes into the markup.
import { attractionMedia } from './media-files.ts';
import { svgBadge } from './media.ts';
import { demoAssets, demoPage, hlsScript } from './demo-page.ts';

export interface DemoObject {
  readonly key: string;
  readonly body: Buffer | string;
  readonly contentType: string;
}

export interface Attraction {
  readonly id: string;
  readonly title: string;
  /** One line for the demo page's card (our own constant text: it goes into the markup). */
  readonly summary: string;
  readonly image: string;
  readonly badge: string;
  readonly audio: string;
  /** The HLS master playlist; its variant playlist and segments sit beside it, named by relative URLs. */
  readonly video: string;
}

const VIDEO = 'video/master.m3u8';
export const ATTRACTIONS: readonly Attraction[] = [
  {
    id: 'giants-causeway',
    title: "Giant's Causeway",
    summary: 'Forty thousand basalt columns on the Antrim coast: a photo, the sound of the waves and a short film.',
    image: 'basalt.jpg',
    badge: 'badge.svg',
    audio: 'waves.m4a',
    video: VIDEO,
  },
  {
    id: 'titanic-belfast',
    title: 'Titanic Belfast',
    summary: 'The slipways where the Titanic was built: a photo, a ship horn and a short film.',
    image: 'slipway.jpg',
    badge: 'badge.svg',
    audio: 'horn.m4a',
    video: VIDEO,
  },
];

function attractionPage(a: Attraction): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${a.title}</title>
<style>body{font:16px system-ui;margin:2rem auto;max-width:40rem}img{display:block;margin:1rem 0}</style></head>
<body>
<h1>${a.title}</h1>
<p>Private content: served only with CloudFront signed cookies scoped to <code>/attractions/${a.id}/</code>.</p>
<img id="photo" src="${a.image}" alt="${a.title} photo" width="320" height="192">
<img id="badge" src="${a.badge}" alt="${a.title} badge" width="240" height="80">
<audio id="audio" controls preload="auto" src="${a.audio}"></audio>
<video id="video" controls muted playsinline width="320" height="180"></video>
<p><a href="/">Back to the demo</a></p>
<script src="/hls.light.min.js"></script>
<script>
// hls.js where Media Source plays H.264 (Chromium, Firefox); HLS natively elsewhere (Safari, iOS).
const video = document.getElementById('video');
if (window.Hls && Hls.isSupported()) { const hls = new Hls(); hls.loadSource('${a.video}'); hls.attachMedia(video); }
else video.src = '${a.video}';
</script>
</body></html>
`;
}

export function demoObjects(): DemoObject[] {
  const objects: DemoObject[] = [
    // Public content lives under the default behaviour's origin path (`/public`): `/` is `public/index.html`.
    { key: 'public/index.html', body: demoPage(ATTRACTIONS), contentType: 'text/html; charset=utf-8' },
    ...demoAssets().map((a) => ({ key: `public/${a.name}`, body: a.body, contentType: a.contentType })),
    { key: 'public/hls.light.min.js', body: hlsScript(), contentType: 'text/javascript; charset=utf-8' },
    { key: 'public/welcome.txt', body: 'Public content: no sign-in needed.\n', contentType: 'text/plain' },
    { key: 'public/logo.svg', body: svgBadge('edgepass', '#2b6cb0'), contentType: 'image/svg+xml' },
  ];
  for (const a of ATTRACTIONS) {
    for (const file of attractionMedia(a.id)) {
      objects.push({ key: `attractions/${a.id}/${file.path}`, body: file.body, contentType: file.contentType });
    }
    objects.push({
      key: `attractions/${a.id}/index.html`,
      body: attractionPage(a),
      contentType: 'text/html; charset=utf-8',
    });
    objects.push({
      key: `attractions/${a.id}/${a.badge}`,
      body: svgBadge(a.title.replace("'", '&#39;'), '#2f855a'),
      contentType: 'image/svg+xml',
    });
  }
  return objects;
}
