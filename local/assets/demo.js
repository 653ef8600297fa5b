// The demo page's attractions and passport upload (served from the local S3 as /demo.js, an ES module). Every
// status line says what happened in words, with the edge's reason code or the API's detail; nothing a server
// returns is parsed as HTML. Signing in is sign-in.js's business alone. Dev only.
import { apiToken, onAccountChange } from './sign-in.js';
import { problemOf, reasonText, show } from './status.js';

const $ = (id) => document.getElementById(id);

/** A new account state makes every card's media and status, and the shown passport, stale: clear them. */
function reset() {
  document.querySelectorAll('.card .media').forEach((el) => el.replaceChildren());
  document.querySelectorAll('.card .status').forEach((el) => show(el, { state: 'idle', text: 'Not loaded yet.' }));
  $('passport').replaceChildren();
  $('file').value = '';
  show($('upload-status'), { state: 'idle', text: 'Nothing uploaded yet.' });
}
onAccountChange(reset);

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

/**
 * Why the edge refused: a 401 means "sign in" (a page visit would be sent to the sign-in page; a fetch gets the
 * reason as JSON instead), anything else is a refusal with its reason code.
 */
function explainRefusal(el, { status, code }) {
  const why = reasonText(code);
  if (status === 401) {
    const text =
      'The edge answered HTTP 401: ' +
      (why || 'no valid session') +
      '. Sign in above; opening its page would take ' +
      'you to the sign-in page.';
    return show(el, { state: 'sign-in', label: 'Sign in needed.', text, code });
  }
  const text = 'The edge answered HTTP ' + status + (why ? ': ' + why + '.' : '.');
  show(el, { state: 'refused', label: 'Refused.', text, code });
}

/** The photo first, as a fetch: its answer says whether the attraction is ours, before any media element exists. */
async function showAttraction(id) {
  const card = $('card-' + id);
  const status = $('status-' + id);
  const base = '/attractions/' + id + '/';
  show(status, { state: 'idle', text: 'Asking the edge…' });
  const probe = await fetch(base + card.dataset.image, { headers: { accept: 'application/json' } });
  if (!probe.ok) {
    $('media-' + id).replaceChildren(); // nothing to show but the reason
    return explainRefusal(status, await problemOf(probe));
  }
  const img = document.createElement('img');
  const audio = document.createElement('audio');
  const video = document.createElement('video');
  img.alt = card.querySelector('h3').textContent + ' photo';
  audio.controls = video.controls = true;
  audio.preload = 'auto';
  video.muted = video.playsInline = true;
  $('media-' + id).replaceChildren(img, video, audio);
  const loaded = Promise.all([mediaLoaded(img, 'img'), mediaLoaded(audio, 'audio'), mediaLoaded(video, 'video')]);
  img.src = base + card.dataset.image;
  audio.src = base + card.dataset.audio;
  playStream(video, base + card.dataset.video);
  if ((await loaded).every(Boolean)) {
    const text = "Photo, audio and video stream loaded with this attraction's signed cookies.";
    return show(status, { state: 'allowed', label: 'Allowed.', text });
  }
  $('media-' + id).replaceChildren(); // no broken players: the reason instead
  const again = await fetch(base + card.dataset.image, { headers: { accept: 'application/json' } });
  if (!again.ok) return explainRefusal(status, await problemOf(again));
  show(status, { state: 'refused', label: 'Refused.', text: 'A media file did not load; the photo still does.' });
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

/** A refused step of the upload: the server's code and detail, as it said them. */
async function uploadRefused(what, res) {
  const { status, code, detail } = await problemOf(res);
  const text = what + ' HTTP ' + status + (detail ? ': ' + detail : '.');
  show($('upload-status'), { state: 'error', label: 'Refused.', text, code });
}

async function upload() {
  const token = await apiToken();
  if (token === undefined) {
    return show($('upload-status'), { state: 'sign-in', label: 'Sign in needed.', text: 'Sign in above first.' });
  }
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
  if (!created.ok) return uploadRefused('The origin API answered', created);
  const { url, headers, key } = await created.json();
  const put = await fetch(url, { method: 'PUT', headers: { 'content-type': headers['content-type'] }, body: file });
  if (!put.ok) return uploadRefused('S3 refused the upload:', put);
  const got = await fetch('/api/files/' + encodeURIComponent(key), { headers: auth });
  if (!got.ok) return uploadRefused('Reading it back failed:', got);
  const img = document.createElement('img');
  img.alt = 'your passport';
  img.src = URL.createObjectURL(await got.blob());
  $('passport').replaceChildren(img);
  const text = 'Uploaded ' + file.size + ' bytes and read them back through a presigned URL.';
  show($('upload-status'), { state: 'uploaded', label: 'Uploaded.', text });
}
$('upload').addEventListener('click', () => {
  $('passport').replaceChildren();
  show($('upload-status'), { state: 'idle', text: 'Uploading…' });
  void upload();
});
