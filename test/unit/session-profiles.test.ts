import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Profile } from '../../src/core/contracts';
import {
  EMPTY_PROFILE_LIST,
  parseProfileList,
  sameProfileList,
  serializeProfiles,
  withActiveProfile,
  withoutProfile,
} from '../../src/session/profileRecords';
import { revocationUrlFor } from '../../src/session/revoke';

const ada: Profile = { id: 'a', host: 'https://api.datastack.cloud', kind: 'oauth', label: 'ada@example.com (SSO)', identity: 'ada@example.com' };
const pat: Profile = { id: 'b', host: 'http://127.0.0.1:8787', kind: 'pat', label: '127.0.0.1:8787 (token)', identity: undefined };

test('parseProfileList round-trips a serialized list', () => {
  const list = withActiveProfile(withActiveProfile(EMPTY_PROFILE_LIST, ada), pat);
  const { list: parsed, problems } = parseProfileList(JSON.parse(JSON.stringify(serializeProfiles(list))));
  assert.equal(problems, 0);
  assert.equal(parsed.activeId, 'b');
  assert.deepEqual(parsed.profiles, [ada, pat]);
  assert.ok(sameProfileList(parsed, list));
});

test('parseProfileList missing value is empty without problems', () => {
  assert.deepEqual(parseProfileList(undefined), { list: EMPTY_PROFILE_LIST, problems: 0 });
});

test('parseProfileList unknown version is empty with a problem', () => {
  const { list, problems } = parseProfileList({ v: 2, activeId: 'a', profiles: [ada] });
  assert.deepEqual(list, EMPTY_PROFILE_LIST);
  assert.equal(problems, 1);
});

test('parseProfileList skips malformed and duplicate profiles', () => {
  const { list, problems } = parseProfileList({
    v: 1,
    activeId: 'gone',
    profiles: [ada, { ...pat, kind: 'password' }, { id: 'c' }, ada, null],
  });
  assert.deepEqual(list.profiles, [ada]);
  assert.equal(list.activeId, undefined);
  assert.equal(problems, 4);
});

test('withActiveProfile replaces a profile with the same id', () => {
  const renamed = { ...ada, label: 'renamed (SSO)' };
  const list = withActiveProfile(withActiveProfile(withActiveProfile(EMPTY_PROFILE_LIST, ada), pat), renamed);
  assert.deepEqual(list.profiles, [renamed, pat]);
  assert.equal(list.activeId, 'a');
});

test('withoutProfile activates the first remaining profile', () => {
  const list = withActiveProfile(withActiveProfile(EMPTY_PROFILE_LIST, ada), pat);
  const next = withoutProfile(list, 'b');
  assert.deepEqual(next.profiles, [ada]);
  assert.equal(next.activeId, 'a');
  assert.equal(withoutProfile(next, 'a').activeId, undefined);
});

test('withoutProfile keeps another active profile', () => {
  const list = withActiveProfile(withActiveProfile(EMPTY_PROFILE_LIST, ada), pat);
  assert.equal(withoutProfile(list, 'a').activeId, 'b');
});

test('revocationUrlFor replaces the token segment', () => {
  assert.equal(revocationUrlFor('https://accounts.datastack.cloud/oauth2/token')?.toString(), 'https://accounts.datastack.cloud/oauth2/revoke');
  assert.equal(revocationUrlFor('https://accounts.example.com/oauth2/v1/exchange'), undefined);
});
