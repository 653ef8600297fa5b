// The demo's sign-in control (#account): the only script that talks to the identity provider (the dev one, local
// only). The session cookie is HttpOnly, so the page learns whether it is signed in by asking the edge; the bearer
// token for the origin API stays in memory, and sessionStorage keeps only the profile (user, tickets, end).
import { problemOf, reasonText, show } from './status.js';

const $ = (id) => document.getElementById(id);
/** `{ user, tickets, expiresAtMs }`: what the page shows about the session. Never the token. */
const PROFILE_KEY = 'edgepass-demo-profile';
let apiTokenInMemory;
/** Bumped by every sign-in and sign-out, so that an older session check cannot overwrite a newer answer. */
let generation = 0;
const listeners = [];
/** Known once the edge or the identity provider has answered; listeners hear of changes only. */
let signedIn;

/** `fn(signedIn)` after every change: sign-in, sign-out, or a session found to have ended. */
export const onAccountChange = (fn) => listeners.push(fn);

function changed(now) {
  if (now === signedIn) return;
  signedIn = now;
  listeners.forEach((fn) => fn(now));
}

function readProfile() {
  try {
    const p = JSON.parse(sessionStorage.getItem(PROFILE_KEY) ?? 'null');
    return p && typeof p.user === 'string' && Array.isArray(p.tickets) && p.expiresAtMs > Date.now() ? p : undefined;
  } catch {
    return undefined;
  }
}

function setSignedIn(profile) {
  const until = profile ? new Date(profile.expiresAtMs).toLocaleTimeString([], { timeStyle: 'short' }) : '';
  const text = profile
    ? 'as ' + profile.user + ', tickets: ' + (profile.tickets.join(', ') || 'none') + ', until ' + until + '.'
    : 'with a session this tab did not start, so it does not know your name.';
  show($('who'), { state: 'signed-in', label: 'Signed in', text });
  $('login').hidden = true;
  $('signed-in-actions').hidden = false;
  changed(true);
}

function setSignedOut(status) {
  sessionStorage.removeItem(PROFILE_KEY);
  apiTokenInMemory = undefined;
  show($('who'), status);
  $('login').hidden = false;
  $('signed-in-actions').hidden = true;
  changed(false);
}

/**
 * Asks the edge about the session cookie: a fetch of a protected object is answered 200 (or 403 `no_ticket`) only
 * with a valid session, and 401 with the reason otherwise (a fetch is never sent to the sign-in page). As a side
 * effect a valid session earns that attraction's cookies, as loading its media would.
 */
async function sessionIsLive() {
  const res = await fetch($('account').dataset.probe, { headers: { accept: 'application/json' } }).catch(() => null);
  if (res === null) return { live: false, problem: { status: 0, code: 'network_error', detail: '' } };
  if (res.ok) return { live: true };
  const problem = await problemOf(res);
  return { live: res.status === 403 && problem.code === 'no_ticket', problem };
}

async function checkSession() {
  const seen = generation;
  const { live, problem } = await sessionIsLive();
  if (seen !== generation) return live;
  if (live) setSignedIn(readProfile());
  else if (problem.code === 'token_missing') {
    setSignedOut({ state: 'signed-out', label: 'Not signed in.', text: 'Pick a user and tickets, then sign in.' });
  } else if (problem.status === 401) {
    const text = 'The edge says ' + (reasonText(problem.code) || 'no') + ': sign in again.';
    setSignedOut({ state: 'sign-in', label: 'Sign in needed.', text, code: problem.code });
  } else {
    const text = 'Could not check your session' + (problem.status ? ': HTTP ' + problem.status + '.' : '.');
    show($('who'), { state: 'error', label: 'Error.', text, code: problem.code });
  }
  return live;
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  generation += 1;
  const tickets = [...document.querySelectorAll('input[name=ticket]:checked')].map((input) => input.value);
  const res = await fetch('/_dev/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: $('user').value, tickets }),
  });
  if (!res.ok) {
    const { code, detail } = await problemOf(res);
    return show($('who'), { state: 'error', label: 'Sign-in failed.', text: detail, code });
  }
  const body = await res.json();
  apiTokenInMemory = body.token;
  const profile = { user: body.user, tickets: body.tickets, expiresAtMs: Date.now() + body.expiresIn * 1000 };
  sessionStorage.setItem(PROFILE_KEY, JSON.stringify(profile));
  setSignedIn(profile);
});

// One sign-out for everything: the edge's endpoint expires the session and the CloudFront cookies of every
// attraction it minted to this browser (a POST from this page: same-origin, which the endpoint requires).
$('sign-out').addEventListener('click', async () => {
  generation += 1;
  const res = await fetch('/_edgepass/sign-out', { method: 'POST', headers: { accept: 'application/json' } });
  if (!res.ok) {
    const { code } = await problemOf(res);
    return show($('who'), { state: 'error', label: 'Sign-out failed:', text: 'HTTP ' + res.status, code });
  }
  const text = 'the session and every attraction cookie are gone.';
  setSignedOut({ state: 'signed-out', label: 'Signed out:', text });
});

/**
 * The bearer token for the origin API, or undefined when signed out. After a reload the token is gone (memory only):
 * once the edge confirms the session, the dev identity provider issues a new one for the same user and tickets that
 * ends with the session. It lets anyone be anyone, so this grants nothing the sign-in form does not; with a real
 * identity provider this is where a silent token request would go.
 */
export async function apiToken() {
  if (apiTokenInMemory !== undefined) return apiTokenInMemory;
  const profile = readProfile();
  if (profile === undefined || !(await checkSession())) return undefined;
  const ttlSeconds = Math.floor((profile.expiresAtMs - Date.now()) / 1000);
  const res = await fetch('/_dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: profile.user, tickets: profile.tickets, ttlSeconds }),
  });
  if (res.ok) apiTokenInMemory = (await res.json()).token;
  return apiTokenInMemory;
}

void checkSession();
