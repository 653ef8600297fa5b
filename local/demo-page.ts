// The demo page at `/` (served from the local S3 like any public object) and its script. Only our own constant
// text goes into the markup; the script builds everything else with textContent. Dev only.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Attraction } from './demo-content.ts';

export function demoPage(attractions: readonly Attraction[]): string {
  const tickets = attractions
    .map(
      (a, i) =>
        `<label><input type="checkbox" name="ticket" value="${a.id}"${i === 0 ? ' checked' : ''}> ${a.title}</label>`,
    )
    .join('\n    ');
  const cards = attractions
    .map(
      (a) => `<section class="card" id="card-${a.id}" data-image="${a.image}" data-audio="${a.audio}"
    data-video="${a.video}">
    <h3>${a.title}</h3>
    <p><a href="/attractions/${a.id}/index.html">Open the attraction page</a>
      <button type="button" data-show="${a.id}">Load its media here</button></p>
    <p class="status" id="status-${a.id}">not loaded</p><div class="media" id="media-${a.id}"></div>
  </section>`,
    )
    .join('\n  ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>edgepass local demo</title>
<style>body{font:16px system-ui;margin:2rem auto;max-width:48rem}.card{border:1px solid #ccc;border-radius:8px;
padding:0 1rem;margin:1rem 0}img{display:block;margin:.5rem 0}.dev{background:#fff3cd;padding:.5rem}</style></head>
<body>
<h1>edgepass: local demo</h1>
<p class="dev">Local stack, run from the synthesized CDK template: the distribution's behaviours and policies with the
real edge bundle and CloudFront Function, S3 with the bucket's IAM and CORS rules, the origin API behind its function
URL, and a <strong>dev-only</strong> identity provider. Nothing here talks to AWS.</p>
<h2>1. Sign in (dev identity provider)</h2>
<form id="login">
  <label>User <input id="user" value="alice" required></label>
  <p>Tickets:
    ${tickets}</p>
  <button type="submit">Sign in</button>
</form>
<p id="who">Not signed in.</p>
<p><button type="button" id="sign-out">Sign out</button> (clears the session and every attraction's cookies)</p>
<h2>2. Attractions (media straight from CDN paths)</h2>
  ${cards}
<h2>3. Passport upload (presigned S3 URLs via the origin API)</h2>
<p><input type="file" id="file" accept="image/png,image/jpeg"> (or leave empty to upload a generated sample)
  <button type="button" id="upload">Upload and view</button></p>
<p id="upload-status">nothing uploaded</p><div id="passport"></div>
<p>Public content needs no sign-in: <a href="/welcome.txt">/welcome.txt</a> <img src="/logo.svg" alt="edgepass" width="120" height="40"></p>
<script src="/hls.light.min.js" defer></script>
<script src="/demo.js" defer></script>
</body></html>
`;
}

/** The script, kept as a plain browser file (local/assets/demo.js) so that it reads and formats as JavaScript. */
export function demoScript(): string {
  return readFileSync(new URL('./assets/demo.js', import.meta.url), 'utf8');
}

/**
 * hls.js (npm), the light build: HLS through Media Source Extensions in browsers without native HLS. Seeded as a
 * public file so the demo pages play the attractions' streams as a web app would, from its own origin.
 */
export function hlsScript(): string {
  return readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.light.min.js'), 'utf8');
}
