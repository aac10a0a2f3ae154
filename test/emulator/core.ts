/** The shared parts every emulator route works on; one instance serves every listening address. */
import type { EmulatorConfig } from './config';
import type { FaultQueue } from './faults';
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
  /** The emulator's clock in epoch milliseconds; tests may inject one. */
  now(): number;
}
