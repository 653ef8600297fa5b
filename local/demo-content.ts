// The demo content seeded into the local S3: public files and two attractions, each with a page, images and an
// audio clip, all generated here (no binaries in git). Only our own constant text goes into the markup.
import { png, svgBadge, wav } from './media.ts';
import { demoPage, demoScript } from './demo-page.ts';

export interface DemoObject {
  readonly key: string;
  readonly body: Buffer | string;
  readonly contentType: string;
}

export interface Attraction {
  readonly id: string;
  readonly title: string;
  readonly image: string;
  readonly badge: string;
  readonly audio: string;
}

export const ATTRACTIONS: readonly Attraction[] = [
  { id: 'giants-causeway', title: "Giant's Causeway", image: 'basalt.png', badge: 'badge.svg', audio: 'waves.wav' },
  { id: 'titanic-belfast', title: 'Titanic Belfast', image: 'slipway.png', badge: 'badge.svg', audio: 'horn.wav' },
];

function attractionPage(a: Attraction): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${a.title}</title>
<style>body{font:16px system-ui;margin:2rem auto;max-width:40rem}img{display:block;margin:1rem 0}</style></head>
<body>
<h1>${a.title}</h1>
<p>Private content: served only with CloudFront signed cookies scoped to <code>/attractions/${a.id}/</code>.</p>
<img id="photo" src="${a.image}" alt="${a.title} photo" width="160" height="96">
<img id="badge" src="${a.badge}" alt="${a.title} badge" width="240" height="80">
<audio id="audio" controls preload="auto" src="${a.audio}"></audio>
<p><a href="/">Back to the demo</a></p>
</body></html>
`;
}

/** Hexagonal-ish basalt columns and a striped slipway: recognisably different, a few KB each. */
const basalt = () =>
  png(160, 96, (x, y) => ((Math.floor(x / 16) + Math.floor(y / 12)) % 2 === 0 ? [52, 58, 64] : [96, 104, 112]));
const slipway = () => png(160, 96, (x, y) => (Math.floor((x + y) / 10) % 2 === 0 ? [20, 60, 120] : [230, 230, 240]));

export function demoObjects(): DemoObject[] {
  const [causeway, titanic] = ATTRACTIONS as [Attraction, Attraction];
  const objects: DemoObject[] = [
    // Public content lives under the default behaviour's origin path (`/public`): `/` is `public/index.html`.
    { key: 'public/index.html', body: demoPage(ATTRACTIONS), contentType: 'text/html; charset=utf-8' },
    { key: 'public/demo.js', body: demoScript(), contentType: 'text/javascript; charset=utf-8' },
    { key: 'public/welcome.txt', body: 'Public content: no sign-in needed.\n', contentType: 'text/plain' },
    { key: 'public/logo.svg', body: svgBadge('edgepass', '#2b6cb0'), contentType: 'image/svg+xml' },
    { key: `attractions/${causeway.id}/${causeway.image}`, body: basalt(), contentType: 'image/png' },
    { key: `attractions/${causeway.id}/${causeway.audio}`, body: wav(330, 0.6), contentType: 'audio/wav' },
    { key: `attractions/${titanic.id}/${titanic.image}`, body: slipway(), contentType: 'image/png' },
    { key: `attractions/${titanic.id}/${titanic.audio}`, body: wav(110, 0.8), contentType: 'audio/wav' },
  ];
  for (const a of ATTRACTIONS) {
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
