// The demo page at `/` (served from the local S3 like any public object), its stylesheet and scripts. Only our own
// constant text goes into the markup; the scripts build everything else with textContent. Dev only.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Attraction } from './demo-content.ts';

/** The files of local/assets/ the page loads, seeded as public objects under the same names. */
const ASSETS = [
  { name: 'demo.css', contentType: 'text/css; charset=utf-8' },
  { name: 'demo.js', contentType: 'text/javascript; charset=utf-8' },
  { name: 'sign-in.js', contentType: 'text/javascript; charset=utf-8' },
  { name: 'status.js', contentType: 'text/javascript; charset=utf-8' },
] as const;

/**
 * The sign-in control: the one piece of the page that knows how people sign in (at the edge, through the local
 * OpenID Provider), driven by local/assets/sign-in.js alone. `data-probe` names a protected object whose answer tells
 * whether the HttpOnly session cookie still works.
 */
function accountPanel(attractions: readonly Attraction[]): string {
  const first = attractions[0];
  const probe = first === undefined ? '' : `/attractions/${first.id}/${first.badge}`;
  return `<section class="panel account" id="account" data-probe="${probe}" aria-labelledby="account-title">
    <h2 id="account-title">Your pass</h2>
    <div class="account-row"><p class="status" id="who" data-state="idle" role="status">Checking your session…</p>
      <p id="signed-in-actions" hidden><button type="button" id="sign-out"
        title="Ends the session, every attraction's cookies and the provider's session">Sign out</button></p></div>
    <p class="sign-in" id="login"><a class="button primary" id="sign-in" href="/_edgepass/sign-in?return=%2F">Sign in</a>
      <span class="hint">At the local OpenID Provider, any password: <code>alice</code> (Giant's Causeway),
        <code>bob</code> (Titanic Belfast), <code>carol</code> (both).</span></p>
  </section>`;
}

function card(a: Attraction): string {
  return `<article class="card" id="card-${a.id}" data-image="${a.image}" data-audio="${a.audio}" data-video="${a.video}">
      <h3>${a.title}</h3>
      <p class="summary">${a.summary}</p>
      <p class="actions"><button type="button" class="primary" data-show="${a.id}">Load media here</button>
        <a class="button" href="/attractions/${a.id}/index.html">Open its page</a></p>
      <p class="status" id="status-${a.id}" data-state="idle" role="status">Not loaded yet.</p>
      <div class="media" id="media-${a.id}"></div>
    </article>`;
}

export function demoPage(attractions: readonly Attraction[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>edgepass local demo</title>
<link rel="stylesheet" href="/demo.css"></head>
<body>
<header class="top"><span class="brand">edgepass <span>attractions</span></span>
  <span class="tag">local stack · dev only</span></header>
<main>
  ${accountPanel(attractions)}
  <h2>Attractions</h2>
  <div class="cards">
    ${attractions.map(card).join('\n    ')}
  </div>
  <section class="panel" id="upload-panel" aria-labelledby="upload-title">
    <h2 id="upload-title">Passport upload</h2>
    <p>Through the origin API: it hands out a presigned S3 URL, the browser uploads to it, then reads the file back.</p>
    <p class="actions"><input type="file" id="file" accept="image/png,image/jpeg">
      <button type="button" class="primary" id="upload">Upload and view</button>
      <span class="hint">No file chosen: a generated sample goes up.</span></p>
    <p class="status" id="upload-status" data-state="idle" role="status">Nothing uploaded yet.</p>
    <div id="passport"></div>
  </section>
</main>
<footer>Local stack run from the synthesized CDK template: the distribution's behaviours with the real edge bundle,
  S3 with the bucket's IAM and CORS rules, the origin API behind its function URL, and a <strong>dev-only</strong>
  identity provider. Nothing here talks to AWS. Public content needs no sign-in: <a href="/welcome.txt">welcome.txt</a>
  <img src="/logo.svg" alt="edgepass" width="90" height="30"></footer>
<script src="/hls.light.min.js" defer></script>
<script type="module" src="/demo.js"></script>
</body></html>
`;
}

export interface DemoAsset {
  readonly name: string;
  readonly body: string;
  readonly contentType: string;
}

/** The stylesheet and scripts, kept as plain browser files (local/assets/) so that they read and format as such. */
export function demoAssets(): DemoAsset[] {
  return ASSETS.map((asset) => ({
    ...asset,
    body: readFileSync(new URL(`./assets/${asset.name}`, import.meta.url), 'utf8'),
  }));
}

/**
 * hls.js (npm), the light build: HLS through Media Source Extensions in browsers without native HLS. Seeded as a
 * public file so the demo pages play the attractions' streams as a web app would, from its own origin.
 */
export function hlsScript(): string {
  return readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.light.min.js'), 'utf8');
}
