/**
 * Sign-in throttling (OWASP's advice): failures slow down the account *from the address they came
 * from*, progressively, rather than lock it: after `freeTries` failures each further try waits
 * 1 s, 2 s, 4 s … up to `maxDelaySeconds`. The owner signing in from elsewhere is never held up,
 * and the right password is accepted once the wait is over. One address failing on many accounts
 * (`perAddress` in the window) is refused there. An administrator can lift it on /admin/users.
 */
export const THROTTLE = { windowMinutes: 15, freeTries: 3, maxDelaySeconds: 60, perAddress: 20 };

/** Seconds to wait after the latest failure, given the failures of this account from this address. */
export function signInDelaySeconds(failures: number): number {
  if (failures < THROTTLE.freeTries) return 0;
  return Math.min(2 ** (failures - THROTTLE.freeTries), THROTTLE.maxDelaySeconds);
}
