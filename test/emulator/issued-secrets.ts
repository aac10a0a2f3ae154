/**
 * Every secret the emulator issued or received since it started: access and refresh tokens, personal
 * access tokens, authorization codes, PKCE verifiers and `state` values. Unlike the request log, `reset()`
 * keeps it, so a test at the end of a run can search logs and state for every secret of the run.
 */

export interface IssuedSecretsSnapshot {
  accessTokens: string[];
  refreshTokens: string[];
  personalAccessTokens: string[];
  codes: string[];
  verifiers: string[];
  states: string[];
}

export type SecretKind = keyof IssuedSecretsSnapshot;

export class IssuedSecrets {
  /** Values kept per kind; beyond this count the oldest are dropped, so long benchmarks stay bounded. */
  static readonly MAX_PER_KIND = 50_000;

  private readonly values = new Map<SecretKind, Set<string>>();

  add(kind: SecretKind, value: string): void {
    let set = this.values.get(kind);
    if (set === undefined) {
      set = new Set();
      this.values.set(kind, set);
    }
    set.add(value);
    if (set.size > IssuedSecrets.MAX_PER_KIND) {
      const oldest = set.values().next().value as string;
      set.delete(oldest);
    }
  }

  snapshot(): IssuedSecretsSnapshot {
    const list = (kind: SecretKind): string[] => [...(this.values.get(kind) ?? [])];
    return {
      accessTokens: list('accessTokens'),
      refreshTokens: list('refreshTokens'),
      personalAccessTokens: list('personalAccessTokens'),
      codes: list('codes'),
      verifiers: list('verifiers'),
      states: list('states'),
    };
  }
}
