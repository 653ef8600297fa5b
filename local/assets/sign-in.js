// The demo's sign-in control (#account): the only script that knows how people sign in. Sign in is a plain link to
// the edge's /_edgepass/sign-in (a top-level navigation: the edge sends the browser to the local OpenID Provider's
// form and back with the HttpOnly session cookie). The page asks the edge whether the session works, and the dev
// IdP's /_dev/session who it is (the profile only, never the token). The origin API's bearer token stays in memory;
// storage holds nothing but a one-shot "just signed out" flag.
import { problemOf, reasonText, show } from './status.js';

const $ = (id) => document.getElementById(id);
/** Set before leaving for the provider's sign-out, read once when its redirect brings the browser back. */
const SIGNED_OUT_KEY = 'edgepass-demo-signed-out';
const justSignedOut = sessionStorage.getItem(SIGNED_OUT_KEY) === '1';
sessionStorage.removeItem(SIGNED_OUT_KEY);
let apiTokenInMemory;
/** `{ user, tickets, expiresAtMs }` of the live session, from /_dev/session. Never the token. */
let profile;
/** Bumped by every sign-out, so that an older session check cannot overwrite a newer answer. */
let generation = 0;
const listeners = [];
/** Known once the edge has answered; listeners hear of changes only. */
let signedIn;

/** `fn(signedIn)` after every change: sign-in, sign-out, or a session found to have ended. */
export const onAccountChange = (fn) => listeners.push(fn);

function changed(now) {
  if (now === signedIn) return;
  signedIn = now;
  listeners.forEach((fn) => fn(now));
}

function setSignedIn(who) {
  const until = who ? new Date(who.expiresAtMs).toLocaleTimeString([], { timeStyle: 'short' }) : '';
  const text = who
    ? 'as ' + who.user + ', tickets: ' + (who.tickets.join(', ') || 'none') + ', until ' + until + '.'
    : 'with a session the local provider did not issue, so the page does not know your name.';
  show($('who'), { state: 'signed-in', label: 'Signed in', text });
  $('login').hidden = true;
  $('signed-in-actions').hidden = false;
  changed(true);
}

function setSignedOut(status) {
  profile = undefined;
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

/** Who the session cookie names, verified by the dev IdP against the provider's keys; undefined when it cannot. */
async function whoIsSignedIn() {
  const res = await fetch('/_dev/session', { headers: { accept: 'application/json' } }).catch(() => null);
  if (res === null || !res.ok) return undefined;
  const { sub, tickets, exp } = await res.json();
  return { user: sub, tickets, expiresAtMs: exp * 1000 };
}

async function checkSession() {
  const seen = generation;
  const [{ live, problem }, who] = await Promise.all([sessionIsLive(), whoIsSignedIn()]);
  if (seen !== generation) return live;
  if (live) {
    profile = who;
    setSignedIn(who);
  } else if (problem.code === 'token_missing') {
    setSignedOut(
      justSignedOut
        ? {
            state: 'signed-out',
            label: 'Signed out:',
            text: "the session, every attraction cookie and the provider's session are gone.",
          }
        : {
            state: 'signed-out',
            label: 'Not signed in.',
            text: 'Sign in at the local provider as alice, bob or carol.',
          },
    );
  } else if (problem.status === 401) {
    const text = 'The edge says ' + (reasonText(problem.code) || 'no') + ': sign in again.';
    setSignedOut({ state: 'sign-in', label: 'Sign in needed.', text, code: problem.code });
  } else {
    const text = 'Could not check your session' + (problem.status ? ': HTTP ' + problem.status + '.' : '.');
    show($('who'), { state: 'error', label: 'Error.', text, code: problem.code });
  }
  return live;
}

// One sign-out for everything: the edge's endpoint expires the session, the refresh token and the CloudFront cookies
// of every attraction it minted to this browser (a POST from this page: same-origin, which the endpoint requires),
// and names the provider's end-session address, which ends the provider's session and comes back to `/`.
$('sign-out').addEventListener('click', async () => {
  generation += 1;
  const res = await fetch('/_edgepass/sign-out', { method: 'POST', headers: { accept: 'application/json' } });
  if (!res.ok) {
    const { code } = await problemOf(res);
    return show($('who'), { state: 'error', label: 'Sign-out failed:', text: 'HTTP ' + res.status, code });
  }
  const { endSessionUrl } = await res.json();
  setSignedOut({
    state: 'signed-out',
    label: 'Signed out:',
    text: 'the session and every attraction cookie are gone.',
  });
  if (typeof endSessionUrl === 'string') {
    sessionStorage.setItem(SIGNED_OUT_KEY, '1');
    location.assign(endSessionUrl);
  }
});

/**
 * The bearer token for the origin API, or undefined when signed out. The session's ID token is HttpOnly and no
 * access token is kept at the edge, so the dev IdP's `/_dev/token` issues one for the same user and tickets that ends
 * with the session. It lets anyone be anyone (local only), so this grants nothing the provider's form does not; with
 * a real identity provider the app would get its own access token.
 */
export async function apiToken() {
  if (apiTokenInMemory !== undefined) return apiTokenInMemory;
  if (profile === undefined && !(await checkSession())) return undefined;
  if (profile === undefined) return undefined;
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
