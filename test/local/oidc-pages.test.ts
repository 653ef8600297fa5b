// The local provider's pages as a person meets them: labelled inputs, the dev users with their tickets (from
// local/oidc/users.ts, never a second list), readable on a phone, and every viewer-supplied value escaped.
import { describe, expect, it } from 'vitest';
import { errorPage, messagePage, signedOutPage, signInPage, signOutPage } from '../../local/oidc/pages.ts';
import { ticketsOf } from '../../local/oidc/users.ts';

const LOGOUT_FORM =
  '<form id="op.logoutForm" method="post" action="/x"><input type="hidden" name="xsrf" value="1"/></form>';

describe("the local provider's pages", () => {
  it('labels the login and password inputs', () => {
    const html = signInPage('uid-1');
    for (const name of ['login', 'password']) {
      expect(html).toContain(`<label for="${name}">`);
      expect(html).toMatch(new RegExp(`<input id="${name}" name="${name}"`));
    }
  });

  it.each(['alice', 'bob', 'carol'])('lists dev user %s with the tickets its ID token carries', (login) => {
    const hint = signInPage('uid-1').split('class="hint"')[1] ?? '';
    expect(hint).toContain(`<tr><td><code>${login}</code></td><td>${ticketsOf(login).join(', ')}</td></tr>`);
  });

  it('says it is a local development provider, on every page, sized for a phone', () => {
    const pages = [
      signInPage('uid-1'),
      signOutPage(LOGOUT_FORM, false),
      signedOutPage(),
      errorPage({ error: 'invalid_request' }),
      messagePage('Sign-in expired', 'Start again.'),
    ];
    for (const html of pages) {
      expect(html).toContain('<span class="tag">Local development provider</span>');
      expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    }
  });

  it('escapes what came from the viewer: a refused login, an error description, a message', () => {
    const attack = '"><script>alert(1)</script>';
    const pages = [
      signInPage('uid-1', attack),
      errorPage({ error: attack, error_description: attack }),
      messagePage(attack, attack),
    ];
    for (const html of pages) {
      expect(html).not.toContain('<script>alert(1)');
      expect(html).toContain('&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
    }
  });
});
