/** The shared parts every emulator route works on; one instance serves every listening address. */
import type { EmulatorConfig } from './config';
import type { FaultQueue } from './faults';
import type { IssuedSecrets } from './issued-secrets';
import type { LifecycleScheduler } from './lifecycle';
import type { OAuthStore } from './oauth-store';
import type { RequestLog } from './request-log';
import type { EmulatorState } from './types';

export interface EmulatorCore {
  readonly state: EmulatorState;
  config: EmulatorConfig;
  readonly scheduler: LifecycleScheduler;
  readonly oauth: OAuthStore;
  readonly faults: FaultQueue;
  readonly log: RequestLog;
  /** Every secret issued or received since start; `reset()` keeps it. */
  readonly issued: IssuedSecrets;
  /** The emulator's clock in epoch milliseconds; tests may inject one. */
  now(): number;
}
