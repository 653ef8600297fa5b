// The demo page at `/` (served from the local S3 like any public object) and its script. The script builds the
// page with textContent only: nothing the server returns is ever parsed as HTML. Dev only.
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
      (a) => `<section class="card" id="card-${a.id}" data-image="${a.image}" data-audio="${a.audio}">
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
<p class="dev">Local stack: a CloudFront emulator running the real edge bundle, s3rver, the origin API and a
<strong>dev-only</strong> identity provider. Nothing here talks to AWS.</p>
<h2>1. Sign in (dev identity provider)</h2>
<form id="login">
  <label>User <input id="user" value="alice" required></label>
  <p>Tickets:
    ${tickets}</p>
  <button type="submit">Sign in</button>
</form>
<p id="who">Not signed in.</p>
<h2>2. Attractions (media straight from CDN paths)</h2>
  ${cards}
<h2>3. Passport upload (presigned S3 URLs via the origin API)</h2>
<p><input type="file" id="file" accept="image/png,image/jpeg"> (or leave empty to upload a generated sample)
  <button type="button" id="upload">Upload and view</button></p>
<p id="upload-status">nothing uploaded</p><div id="passport"></div>
<p>Public content needs no sign-in: <a href="/public/welcome.txt">/public/welcome.txt</a></p>
<script src="/demo.js" defer></script>
</body></html>
`;
}

export function demoScript(): string {
  return `'use strict';
const $ = (id) => document.getElementById(id);
let token;
const say = (id, text, state) => { const el = $(id); el.textContent = text; if (state) el.dataset.state = state; };

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const tickets = [...document.querySelectorAll('input[name=ticket]:checked')].map((input) => input.value);
  const res = await fetch('/_dev/login', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: $('user').value, tickets }) });
  const body = await res.json();
  if (!res.ok) return say('who', 'Sign-in failed: ' + body.message, 'error');
  token = body.token;
  say('who', 'Signed in as ' + body.user + ' with tickets: ' + (body.tickets.join(', ') || 'none'), 'signed-in');
});

function mediaLoaded(el, kind) {
  return new Promise((resolve) => {
    el.addEventListener(kind === 'img' ? 'load' : 'canplaythrough', () => resolve(true), { once: true });
    el.addEventListener('error', () => resolve(false), { once: true });
  });
}

async function showAttraction(id) {
  const card = $('card-' + id);
  const base = '/attractions/' + id + '/';
  const img = document.createElement('img');
  const audio = document.createElement('audio');
  audio.controls = true; audio.preload = 'auto';
  $('media-' + id).replaceChildren(img, audio);
  const loaded = Promise.all([mediaLoaded(img, 'img'), mediaLoaded(audio, 'audio')]);
  img.src = base + card.dataset.image; audio.src = base + card.dataset.audio;
  const [imgOk, audioOk] = await loaded;
  if (imgOk && audioOk) return say('status-' + id, 'authorised: image and audio loaded from the CDN', 'allowed');
  const probe = await fetch(base + card.dataset.image, { headers: { accept: 'application/json' } });
  say('status-' + id, 'refused by the edge: HTTP ' + probe.status, 'refused');
}
document.querySelectorAll('[data-show]').forEach((b) => b.addEventListener('click', () => showAttraction(b.dataset.show)));

function samplePassport() {
  const canvas = document.createElement('canvas');
  canvas.width = 200; canvas.height = 120;
  const g = canvas.getContext('2d');
  g.fillStyle = '#1a365d'; g.fillRect(0, 0, 200, 120);
  g.fillStyle = '#fff'; g.font = '20px sans-serif'; g.fillText('PASSPORT (demo)', 16, 66);
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(new File([blob], 'passport.png', { type: 'image/png' })), 'image/png'));
}

$('upload').addEventListener('click', async () => {
  if (!token) return say('upload-status', 'Sign in first.', 'error');
  const file = $('file').files[0] || (await samplePassport());
  const auth = { authorization: 'Bearer ' + token };
  const created = await fetch('/api/uploads', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ purpose: 'passport', contentType: file.type, contentLength: file.size, filename: file.name }) });
  const upload = await created.json();
  if (!created.ok) return say('upload-status', 'Upload refused: HTTP ' + created.status, 'error');
  const put = await fetch(upload.url, { method: 'PUT', headers: { 'content-type': upload.headers['content-type'] }, body: file });
  if (!put.ok) return say('upload-status', 'S3 refused the upload: HTTP ' + put.status, 'error');
  const got = await fetch('/api/files/' + encodeURIComponent(upload.key), { headers: auth });
  if (!got.ok) return say('upload-status', 'Could not read it back: HTTP ' + got.status, 'error');
  const img = document.createElement('img');
  img.alt = 'your passport'; img.src = URL.createObjectURL(await got.blob());
  $('passport').replaceChildren(img);
  say('upload-status', 'Uploaded ' + file.size + ' bytes and read them back through a presigned URL', 'uploaded');
});
`;
}
