/**
 * Reading a profile's session record from SecretStorage and writing a new sign-in (profile list and
 * record) for the session service.
 */
import * as vscode from 'vscode';
import { type SessionRecord, parseSessionRecord, serializeSessionRecord } from '../auth/sessionRecord';
import type { Profile } from '../core/contracts';
import { SecretStorageError } from './errors';
import { type ProfileList, withoutProfile } from './profileRecords';
import { type ProfileStore, secretKeyOf } from './profileStore';
import type { SecretVault } from './secretVault';

export interface SignInStorage {
  readonly store: ProfileStore;
  readonly vault: SecretVault;
  readonly log: vscode.LogOutputChannel;
}

/**
 * Returns the profile's record, undefined when missing or unreadable (signed out), or 'storage-failed'.
 * An unreadable record is deleted.
 */
export async function readProfileRecord(storage: SignInStorage, profileId: string): Promise<SessionRecord | 'storage-failed' | undefined> {
  let text: string | undefined;
  try {
    text = await storage.vault.read(secretKeyOf(profileId));
  } catch (error) {
    if (error instanceof SecretStorageError) {
      return 'storage-failed';
    }
    throw error;
  }
  const parsed = parseSessionRecord(text);
  if (parsed.status === 'ok' && parsed.record.profileId === profileId) {
    return parsed.record;
  }
  if (parsed.status !== 'missing') {
    let reason = 'unsupported version';
    if (parsed.status === 'corrupt') {
      reason = parsed.reason;
    } else if (parsed.status === 'ok') {
      reason = 'the record names another profile';
    }
    storage.log.warn(`[auth] the stored sign-in of profile ${profileId} is unreadable (${reason}); it is signed out`);
    await storage.vault.delete(secretKeyOf(profileId));
  }
  return undefined;
}

/**
 * Writes a new sign-in: the profile list first, so that another window that reacts to the secret finds
 * the profile, then the record. A crash in between leaves a profile without a record, which the next
 * read signs out. When the record cannot be stored, the saved list drops the profile again, so the
 * sign-in lasts for this window only. Failures are logged and reported, never thrown.
 *
 * `list` returns the current profile list, which names `profile`; `isCurrent` returns false once the
 * sign-in was signed out or replaced, and then its record is not written.
 */
export async function writeSignIn(
  storage: SignInStorage,
  profile: Profile,
  record: SessionRecord,
  state: { readonly list: () => ProfileList; readonly isCurrent: () => boolean },
): Promise<void> {
  try {
    await storage.store.write(state.list());
  } catch (error) {
    // The caller holds the record in the vault, so the sign-in works in this window.
    storage.log.error(`[auth] saving the profile list for profile ${profile.id} failed: ${describe(error)}`);
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Saving the DataStack sign-in "{0}" failed, so it lasts only until this window closes. The log has the details.', profile.label),
    );
    return;
  }
  if (!state.isCurrent()) {
    return;
  }
  if ((await storage.vault.write(secretKeyOf(profile.id), serializeSessionRecord(record))) === 'stored') {
    return;
  }
  // The vault reported the failure and keeps the record for this window.
  try {
    await storage.store.write(withoutProfile(state.list(), profile.id));
  } catch (error) {
    storage.log.error(`[auth] removing profile ${profile.id} from the saved list failed: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
