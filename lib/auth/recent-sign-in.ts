import type { SessionUser } from "./roles";

/** How recent a sign-in must be to change what signs in (the email address). */
const RECENT_SIGN_IN_MS = 10 * 60_000;

export function signedInRecently(user: SessionUser, now = new Date()): boolean {
  return user.signedInAt !== undefined && now.getTime() - user.signedInAt.getTime() <= RECENT_SIGN_IN_MS;
}

/** Where "sign in again" leads: the sign-in form even for a signed-in visitor, then back to `returnTo`. */
export function signInAgainPath(returnTo: string): string {
  return `/sign-in?again=1&callbackUrl=${encodeURIComponent(returnTo)}`;
}
