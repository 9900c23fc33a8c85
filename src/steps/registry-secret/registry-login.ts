import type { SecretText } from './secret-text.ts';

/**
 * Tries registry credentials against a Docker Hub style login endpoint (POST {username, password} as
 * JSON; 200 with a token when they are right, 401 when not). Only the outcome is kept: the token in the
 * answer is dropped, and no text built here ever contains the password.
 */
export interface LoginVerification {
  /** verified: accepted; rejected: the registry said no; skipped: no answer either way (offline,
   * rate-limited, the registry failing), which is never a reason to stop. */
  status: 'verified' | 'rejected' | 'skipped';
  detail: string;
}

const TIMEOUT_MS = 10_000;

export async function verifyRegistryLogin(
  url: string,
  username: string,
  password: SecretText,
  signal: AbortSignal,
): Promise<LoginVerification> {
  const host = hostOf(url);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password: password.reveal() }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
      redirect: 'error',
    });
  } catch (error) {
    signal.throwIfAborted();
    return { status: 'skipped', detail: `could not reach ${host} (${networkReason(error)})` };
  }
  const body = await response.text().catch(() => '');
  if (response.ok) return { status: 'verified', detail: `${host} accepted the login for ${username}` };
  if (response.status === 401 || response.status === 403) {
    if (/login_2fa_token/.test(body)) {
      return {
        status: 'rejected',
        detail: `${username} has two-factor authentication on, so build servers cannot log in with the password: store a Docker Hub personal access token (Account settings, Personal access tokens) as the password`,
      };
    }
    return {
      status: 'rejected',
      detail: `${host} rejected the username or password for ${username} (HTTP ${response.status})`,
    };
  }
  if (response.status === 429 || response.status >= 500) {
    return {
      status: 'skipped',
      detail: `${host} answered HTTP ${response.status}; the login was not checked`,
    };
  }
  return {
    status: 'rejected',
    detail: `${host} refused the login for ${username} (HTTP ${response.status})`,
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The network error's code (ECONNREFUSED, ENOTFOUND, a timeout), never its request. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  const name = (error as { name?: string }).name;
  return name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : (name ?? 'network error');
}
