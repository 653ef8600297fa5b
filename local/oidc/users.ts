// The local provider's dev users and the tickets their profiles hold. Local development only: any password signs
// in, and an unknown login signs in too, with no tickets, so that the app's 403 can be seen.

const DEV_USERS: Readonly<Record<string, readonly string[]>> = {
  alice: ['giants-causeway'],
  bob: ['titanic-belfast'],
  carol: ['giants-causeway', 'titanic-belfast'],
};

/** What a login may be: the same characters `/_dev/token` accepts for a user. */
export const LOGIN_PATTERN = /^[A-Za-z0-9_.@+-]{1,64}$/;

/** The dev users with their tickets, for the sign-in page's hint. */
export const devUsers = (): [string, readonly string[]][] => Object.entries(DEV_USERS);

/** The tickets in `login`'s profile; none for a login that is not a dev user. */
export function ticketsOf(login: string): readonly string[] {
  return Object.hasOwn(DEV_USERS, login) ? (DEV_USERS[login] ?? []) : [];
}
