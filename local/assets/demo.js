// The demo page's script (served from the local S3 as /demo.js). It builds the page with textContent only:
// nothing a server returns is parsed as HTML. The bearer token stays in memory; dev only.
'use strict';
const $ = (id) => document.getElementById(id);
let token;
const say = (id, text, state) => {
  const el = $(id);
  el.textContent = text;
  if (state !== undefined) el.dataset.state = state;
};

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const tickets = [...document.querySelectorAll('input[name=ticket]:checked')].map((input) => input.value);
  const res = await fetch('/_dev/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: $('user').value, tickets }),
  });
  const body = await res.json();
  if (!res.ok) return say('who', 'Sign-in failed: ' + body.message, 'error');
  token = body.token;
  say('who', 'Signed in as ' + body.user + ' with tickets: ' + (body.tickets.join(', ') || 'none'), 'signed-in');
});

// One sign-out for everything: the edge's endpoint expires the session and the CloudFront cookies of every
// attraction it minted to this browser (a POST from this page: same-origin, which the endpoint requires).
$('sign-out').addEventListener('click', async () => {
  const res = await fetch('/_edgepass/sign-out', { method: 'POST', headers: { accept: 'application/json' } });
  token = undefined;
  document.querySelectorAll('.media').forEach((el) => el.replaceChildren());
  document.querySelectorAll('.status').forEach((el) => say(el.id, 'not loaded', ''));
  say(
    'who',
    res.ok ? 'Signed out: the session and every attraction cookie are gone.' : 'Sign-out failed: HTTP ' + res.status,
    res.ok ? '' : 'error',
  );
});

const READY_EVENT = { img: 'load', audio: 'canplaythrough', video: 'loadeddata' };
function mediaLoaded(el, kind) {
  return new Promise((resolve) => {
    el.addEventListener(READY_EVENT[kind], () => resolve(true), { once: true });
    el.addEventListener('error', () => resolve(false), { once: true });
  });
}

// The attraction's HLS stream: hls.js where Media Source plays it (Chromium, Firefox), natively elsewhere (Safari).
// Same origin, so the playlist and segment requests carry the attraction's signed cookies like the image does.
function playStream(video, src) {
  if (!window.Hls || !Hls.isSupported()) {
    video.src = src;
    return;
  }
  const hls = new Hls();
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (data.fatal) video.dispatchEvent(new Event('error'));
  });
  hls.loadSource(src);
  hls.attachMedia(video);
}

async function showAttraction(id) {
  const card = $('card-' + id);
  const base = '/attractions/' + id + '/';
  const img = document.createElement('img');
  const audio = document.createElement('audio');
  const video = document.createElement('video');
  audio.controls = video.controls = true;
  audio.preload = 'auto';
  video.muted = video.playsInline = true;
  video.width = 320;
  video.height = 180;
  $('media-' + id).replaceChildren(img, audio, video);
  const loaded = Promise.all([mediaLoaded(img, 'img'), mediaLoaded(audio, 'audio'), mediaLoaded(video, 'video')]);
  img.src = base + card.dataset.image;
  audio.src = base + card.dataset.audio;
  playStream(video, base + card.dataset.video);
  const [imgOk, audioOk, videoOk] = await loaded;
  if (imgOk && audioOk && videoOk) {
    return say('status-' + id, 'authorised: image, audio and video stream loaded from the CDN', 'allowed');
  }
  $('media-' + id).replaceChildren(); // nothing to show but the reason
  const probe = await fetch(base + card.dataset.image, { headers: { accept: 'application/json' } });
  say('status-' + id, 'refused by the edge: HTTP ' + probe.status, 'refused');
}
document
  .querySelectorAll('[data-show]')
  .forEach((b) => b.addEventListener('click', () => showAttraction(b.dataset.show)));

function samplePassport() {
  const canvas = document.createElement('canvas');
  canvas.width = 200;
  canvas.height = 120;
  const g = canvas.getContext('2d');
  g.fillStyle = '#1a365d';
  g.fillRect(0, 0, 200, 120);
  g.fillStyle = '#fff';
  g.font = '20px sans-serif';
  g.fillText('PASSPORT (demo)', 16, 66);
  return new Promise((resolve) =>
    canvas.toBlob((blob) => resolve(new File([blob], 'passport.png', { type: 'image/png' })), 'image/png'),
  );
}

// CloudFront signs /api/* requests for the Lambda function URL with the viewer's payload hash: a POST or PUT must
// send x-amz-content-sha256, the hex SHA-256 of its body (Developer Guide, "Restrict access to an AWS Lambda
// function URL origin"). Without it the origin refuses the request.
async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

$('upload').addEventListener('click', async () => {
  if (!token) return say('upload-status', 'Sign in first.', 'error');
  const file = $('file').files[0] || (await samplePassport());
  const auth = { authorization: 'Bearer ' + token };
  const body = JSON.stringify({
    purpose: 'passport',
    contentType: file.type,
    contentLength: file.size,
    filename: file.name,
  });
  const created = await fetch('/api/uploads', {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'x-amz-content-sha256': await sha256Hex(body) },
    body,
  });
  const upload = await created.json();
  if (!created.ok) return say('upload-status', 'Upload refused: HTTP ' + created.status, 'error');
  const put = await fetch(upload.url, {
    method: 'PUT',
    headers: { 'content-type': upload.headers['content-type'] },
    body: file,
  });
  if (!put.ok) return say('upload-status', 'S3 refused the upload: HTTP ' + put.status, 'error');
  const got = await fetch('/api/files/' + encodeURIComponent(upload.key), { headers: auth });
  if (!got.ok) return say('upload-status', 'Could not read it back: HTTP ' + got.status, 'error');
  const img = document.createElement('img');
  img.alt = 'your passport';
  img.src = URL.createObjectURL(await got.blob());
  $('passport').replaceChildren(img);
  say('upload-status', 'Uploaded ' + file.size + ' bytes and read them back through a presigned URL', 'uploaded');
});
