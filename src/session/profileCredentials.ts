/**
 * The credentials of the saved profiles. Each one is created from the profile's session record when the
 * record is first needed, so that activation reads no secret. A profile whose read failed (the keyring is
 * locked or unavailable) counts as signed out until {@link ProfileCredentials.clear}.
 */
import type { SessionRecord } from '../auth/sessionRecord';
import type { Credential } from './credential';
import { type SignInStorage, readProfileRecord } from './signInStorage';

/** The result of reading a profile's record; `missing` when it is gone, unreadable or signed out meanwhile. */
export type RecordOutcome = 'loaded' | 'missing' | 'storage-failed';

export class ProfileCredentials {
  private readonly credentials = new Map<string, Credential>();
  private readonly failed = new Set<string>();
  private readonly reads = new Map<string, Promise<RecordOutcome>>();

  /**
   * @param create Creates the credential of a record.
   * @param isSaved Returns whether a profile is still saved; a record read after its sign-out gets no credential.
   */
  constructor(
    private readonly storage: SignInStorage,
    private readonly create: (record: SessionRecord) => Credential,
    private readonly isSaved: (profileId: string) => boolean,
  ) {}

  get(profileId: string): Credential | undefined {
    return this.credentials.get(profileId);
  }

  has(profileId: string): boolean {
    return this.credentials.has(profileId);
  }

  /** Returns whether reading the profile's record failed since it was last forgotten. */
  readFailed(profileId: string): boolean {
    return this.failed.has(profileId);
  }

  /** Keeps the credential of a record written or read elsewhere; disposes the one it replaces. */
  keep(record: SessionRecord): Credential {
    const credential = this.create(record);
    this.forget(record.profileId);
    this.credentials.set(record.profileId, credential);
    return credential;
  }

  /** Disposes a profile's credential and forgets a failed read of it. */
  forget(profileId: string): void {
    this.credentials.get(profileId)?.dispose();
    this.credentials.delete(profileId);
    this.failed.delete(profileId);
  }

  /** Forgets every credential and failed read, e.g. before reading storage again. */
  clear(): void {
    for (const profileId of [...this.credentials.keys(), ...this.failed]) {
      this.forget(profileId);
    }
  }

  /** Reads a profile's record, once at a time, and keeps its credential unless it has one already. */
  load(profileId: string): Promise<RecordOutcome> {
    if (this.credentials.has(profileId)) {
      return Promise.resolve('loaded');
    }
    let read = this.reads.get(profileId);
    if (read === undefined) {
      read = this.read(profileId).finally(() => {
        this.reads.delete(profileId);
      });
      this.reads.set(profileId, read);
    }
    return read;
  }

  private async read(profileId: string): Promise<RecordOutcome> {
    const record = await readProfileRecord(this.storage, profileId);
    if (this.credentials.has(profileId)) {
      // Signed in again while the record was read.
      return 'loaded';
    }
    if (!this.isSaved(profileId) || record === undefined) {
      return 'missing';
    }
    if (record === 'storage-failed') {
      this.failed.add(profileId);
      return 'storage-failed';
    }
    this.keep(record);
    return 'loaded';
  }
}
