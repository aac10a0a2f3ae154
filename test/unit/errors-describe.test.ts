import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AuthenticationError,
  CertificateError,
  InvalidParameterError,
  InvalidResponseError,
  InvalidStateError,
  MissingScopeError,
  NetworkError,
  NotFoundError,
  ProxyError,
  RateLimitedError,
  RequestAbortedError,
  ServerError,
  TimeoutError,
} from '../../src/api/errors';
import { OPERATION_IDS, scopeOf } from '../../src/api/operations';
import { SessionExpiredError, TokenEndpointUnavailableError } from '../../src/auth/errors';
import { actionPhrase } from '../../src/errors/actionWording';
import {
  type FailureActionId,
  type FailureInput,
  type FailureProfile,
  actionLabel,
  describeFailure,
  displayHost,
} from '../../src/errors/describe';
import { ENGLISH } from '../../src/errors/translator';
import { KnownMissingScopeError } from '../../src/scopes/knownMissingScopeError';

const HOST = 'https://api.datastack.cloud';
const SSO: FailureProfile = { kind: 'oauth', label: 'ada@example.com (SSO)', host: HOST };
const PAT: FailureProfile = { kind: 'pat', label: 'grace@example.com (token)', host: HOST };

function input(error: unknown, overrides: Partial<FailureInput> = {}): FailureInput {
  return {
    error,
    operation: 'stopWarehouse',
    resourceLabel: 'Analytics',
    canRetry: true,
    profile: SSO,
    consoleUrlSet: false,
    ...overrides,
  };
}

function describe(error: unknown, overrides: Partial<FailureInput> = {}) {
  return describeFailure(ENGLISH, input(error, overrides));
}

const missingSql = new MissingScopeError(HOST, 'stopWarehouse', 'manage:sql', 'Missing scope manage:sql');

test('describe 403 names action, scope and sign-in', () => {
  const description = describe(missingSql);
  assert.equal(
    description.message,
    'Stopping SQL warehouse "Analytics" needs the manage:sql scope, which the sign-in "ada@example.com (SSO)" does not have.',
  );
  assert.equal(description.kind, 'missingScope');
  assert.equal(description.severity, 'warning');
  assert.equal(description.notify, true);
  assert.equal(description.scope, 'manage:sql');
});

test('describe 403 buttons per profile kind', () => {
  const cases: { name: string; profile: FailureProfile | undefined; consoleUrlSet: boolean; actions: FailureActionId[] }[] = [
    { name: 'sso', profile: SSO, consoleUrlSet: false, actions: ['grantScope', 'showLog'] },
    { name: 'sso with console', profile: SSO, consoleUrlSet: true, actions: ['grantScope', 'showLog'] },
    { name: 'pat', profile: PAT, consoleUrlSet: false, actions: ['enterNewToken', 'copyScopeName', 'showLog'] },
    { name: 'pat with console', profile: PAT, consoleUrlSet: true, actions: ['enterNewToken', 'copyScopeName', 'openTokensPage', 'showLog'] },
    { name: 'signed out', profile: undefined, consoleUrlSet: true, actions: ['copyScopeName', 'showLog'] },
  ];
  for (const testCase of cases) {
    const description = describe(missingSql, { profile: testCase.profile, consoleUrlSet: testCase.consoleUrlSet });
    assert.deepEqual(description.actions, testCase.actions, testCase.name);
  }
});

test('describe 403 labels the buttons', () => {
  const labels = describe(missingSql).actions.map((action) => actionLabel(ENGLISH, action, 'manage:sql'));
  assert.deepEqual(labels, ['Grant manage:sql', 'Show Log']);
  const patLabels = describe(missingSql, { profile: PAT, consoleUrlSet: true }).actions.map((action) =>
    actionLabel(ENGLISH, action, 'manage:sql'),
  );
  assert.deepEqual(patLabels, ['Enter New Token', 'Copy Scope Name', 'Open Access Tokens Page', 'Show Log']);
});

test('describe 403 of unknown scope offers no grant', () => {
  const error = new MissingScopeError(HOST, 'stopWarehouse', 'manage:everything', undefined);
  const description = describe(error);
  assert.deepEqual(description.actions, ['copyScopeName', 'showLog']);
  assert.equal(description.scope, 'manage:everything');
});

test('describe 403 signed out names no sign-in', () => {
  const description = describe(missingSql, { profile: undefined });
  assert.equal(description.message, 'Stopping SQL warehouse "Analytics" needs the manage:sql scope, which your DataStack sign-in does not have.');
});

test('describe known missing scope like a 403', () => {
  const known = describe(new KnownMissingScopeError(HOST, 'stopWarehouse', 'manage:sql'));
  const server = describe(missingSql);
  assert.equal(known.message, server.message);
  assert.deepEqual(known.actions, server.actions);
  assert.equal(known.dedupeKey, server.dedupeKey);
  assert.match(known.logLine, /skipped without a request/);
});

test('describe 403 without resource label', () => {
  const description = describe(new MissingScopeError(HOST, 'createCluster', 'manage:clusters', undefined), {
    operation: 'createCluster',
    resourceLabel: undefined,
  });
  assert.equal(description.message, 'Creating a cluster needs the manage:clusters scope, which the sign-in "ada@example.com (SSO)" does not have.');
});

test('describe 401 for pat and sso', () => {
  const error = new AuthenticationError(HOST, 'listClusters', { error: 'invalid_token' }, undefined);
  for (const profile of [PAT, SSO]) {
    const description = describe(error, { profile });
    assert.equal(description.message, 'Your DataStack sign-in for api.datastack.cloud has expired or the token is no longer valid.');
    assert.deepEqual(description.actions, ['signInAgain', 'showLog']);
    assert.equal(description.severity, 'warning');
    assert.equal(description.dedupeKey, `authentication|${HOST}`);
  }
});

test('describe 429 with retry schedules one retry', () => {
  const description = describe(new RateLimitedError(HOST, 'startWarehouse', 2500), { operation: 'startWarehouse' });
  assert.equal(description.message, 'DataStack at api.datastack.cloud is limiting requests. Starting SQL warehouse "Analytics" will be tried again in 3 seconds.');
  assert.equal(description.retryAfterMs, 3000);
  assert.deepEqual(description.actions, ['showLog']);
});

test('describe 429 after automatic retry offers retry', () => {
  const description = describe(new RateLimitedError(HOST, 'startWarehouse', 1000), { operation: 'startWarehouse', isAutomaticRetry: true });
  assert.equal(description.retryAfterMs, undefined);
  assert.deepEqual(description.actions, ['retry', 'showLog']);
  assert.equal(description.message, 'Starting SQL warehouse "Analytics" failed because DataStack at api.datastack.cloud is limiting requests. Try again in 1 second.');
});

test('describe 429 without retry function', () => {
  const description = describe(new RateLimitedError(HOST, 'listJobs', 4000), { operation: 'listJobs', canRetry: false });
  assert.equal(description.retryAfterMs, undefined);
  assert.deepEqual(description.actions, ['showLog']);
});

test('describe outages name action and host', () => {
  const cases = [
    {
      error: new ServerError(HOST, 'stopWarehouse', 503, 'down'),
      kind: 'server',
      message: 'Stopping SQL warehouse "Analytics" failed because DataStack at api.datastack.cloud returned a server error (HTTP 503).',
      key: `server|${HOST}|503`,
    },
    {
      error: new TimeoutError(HOST, 'stopWarehouse', 30_000),
      kind: 'timeout',
      message: 'Stopping SQL warehouse "Analytics" timed out: api.datastack.cloud did not respond within 30 seconds.',
      key: `timeout|${HOST}`,
    },
    {
      error: new NetworkError(HOST, 'stopWarehouse', 'ECONNREFUSED'),
      kind: 'network',
      message: 'Stopping SQL warehouse "Analytics" failed because api.datastack.cloud could not be reached. Check your network connection.',
      key: `network|${HOST}`,
    },
    {
      error: new TokenEndpointUnavailableError('https://accounts.datastack.cloud', 'network', undefined, 'ECONNRESET', undefined),
      kind: 'signInServer',
      message: 'Stopping SQL warehouse "Analytics" failed because the sign-in server at accounts.datastack.cloud could not renew your sign-in.',
      key: 'signInServer|https://accounts.datastack.cloud',
    },
  ];
  for (const testCase of cases) {
    const description = describe(testCase.error);
    assert.equal(description.kind, testCase.kind);
    assert.equal(description.message, testCase.message, testCase.kind);
    assert.equal(description.severity, 'error', testCase.kind);
    assert.deepEqual(description.actions, ['retry', 'showLog'], testCase.kind);
    assert.equal(description.dedupeKey, testCase.key, testCase.kind);
    assert.deepEqual(describe(testCase.error, { canRetry: false }).actions, ['showLog'], `${testCase.kind} without retry`);
  }
});

test('describe request problems point to the log', () => {
  const cases = [
    { error: new NotFoundError(HOST, 'stopWarehouse', 'gone'), kind: 'notFound' },
    { error: new InvalidStateError(HOST, 'stopWarehouse', 'already stopped'), kind: 'invalidState' },
    { error: new InvalidParameterError(HOST, 'stopWarehouse', 'bad id'), kind: 'invalidParameter' },
  ];
  for (const testCase of cases) {
    const description = describe(testCase.error);
    assert.equal(description.kind, testCase.kind);
    assert.deepEqual(description.actions, ['showLog'], testCase.kind);
    assert.match(description.message, /^Stopping SQL warehouse "Analytics"/, testCase.kind);
    assert.equal(description.dedupeKey, `${testCase.kind}|${HOST}|stopWarehouse|Analytics`);
  }
  const invalid = describe(new InvalidResponseError(HOST, 'stopWarehouse', 200, 'text/html', '<html>', 'the response was not JSON'));
  assert.equal(invalid.kind, 'invalidResponse');
  assert.deepEqual(invalid.actions, ['retry', 'showLog']);
});

test('describe messages hold no server text', () => {
  const secretish = 'server said: stack trace at line 42';
  const errors = [
    new ServerError(HOST, 'stopWarehouse', 500, secretish),
    new NotFoundError(HOST, 'stopWarehouse', secretish),
    new InvalidStateError(HOST, 'stopWarehouse', secretish),
    new InvalidParameterError(HOST, 'stopWarehouse', secretish),
    new MissingScopeError(HOST, 'stopWarehouse', 'manage:sql', secretish),
    new AuthenticationError(HOST, 'stopWarehouse', { error: 'invalid_token' }, secretish),
  ];
  for (const error of errors) {
    const description = describe(error);
    assert.ok(!description.message.includes(secretish), error.name);
    assert.ok(!/report (an )?issue/i.test(description.message), error.name);
  }
});

test('describe unexpected error without dump', () => {
  const description = describe(new TypeError('Cannot read properties of undefined'));
  assert.equal(description.kind, 'other');
  assert.equal(description.message, 'Stopping SQL warehouse "Analytics" failed unexpectedly. The log has the details.');
  assert.match(description.logLine, /TypeError: Cannot read properties of undefined/);
});

test('describe cancellation and ended session stay silent', () => {
  assert.equal(describe(new RequestAbortedError(HOST, 'stopWarehouse')).notify, false);
  assert.equal(describe(new SessionExpiredError(HOST, 'p1', 'refresh-token-rejected')).notify, false);
});

test('describe dedupe key per scope and host', () => {
  const warehouse = describe(missingSql);
  const otherWarehouse = describe(missingSql, { resourceLabel: 'BI dashboards' });
  const poll = describe(new MissingScopeError(HOST, 'getWarehouse', 'manage:sql', undefined), { operation: 'getWarehouse' });
  const cluster = describe(new MissingScopeError(HOST, 'startCluster', 'manage:clusters', undefined), { operation: 'startCluster' });
  const otherHost = describe(new MissingScopeError('https://other.example.com', 'stopWarehouse', 'manage:sql', undefined));
  assert.equal(warehouse.dedupeKey, otherWarehouse.dedupeKey);
  assert.equal(warehouse.dedupeKey, poll.dedupeKey);
  assert.notEqual(warehouse.dedupeKey, cluster.dedupeKey);
  assert.notEqual(warehouse.dedupeKey, otherHost.dedupeKey);
});

test('describe log line notes a lost scope', () => {
  assert.match(describe(missingSql, { scopeStatus: 'held' }).logLine, /held before/);
  assert.doesNotMatch(describe(missingSql, { scopeStatus: 'unknown' }).logLine, /held before/);
});

test('actionPhrase covers every operation', () => {
  for (const operation of OPERATION_IDS) {
    const named = actionPhrase(ENGLISH, operation, 'X');
    const unnamed = actionPhrase(ENGLISH, operation, undefined);
    assert.ok(named.length > 0, `${operation} has no phrase with a name`);
    assert.ok(unnamed.length > 0, `${operation} has no phrase without a name`);
    assert.ok(!named.includes(scopeOf(operation)), `${operation} phrase spells its scope`);
    assert.ok(!unnamed.includes('{0}'), `${operation} unnamed phrase has a placeholder`);
  }
});

test('displayHost strips the scheme', () => {
  assert.equal(displayHost('https://api.datastack.cloud'), 'api.datastack.cloud');
  assert.equal(displayHost('http://127.0.0.1:8787'), '127.0.0.1:8787');
  assert.equal(displayHost('not a url'), 'not a url');
});

test('describe proxy failures per reason', () => {
  const cases: { error: ProxyError; message: string; setting: string }[] = [
    {
      error: new ProxyError(HOST, 'stopWarehouse', 'proxy.corp:3128', 'unreachable', undefined, 'ECONNREFUSED'),
      message:
        'Stopping SQL warehouse "Analytics" failed because the proxy proxy.corp:3128 could not be reached. Check the http.proxy setting and the HTTPS_PROXY variable.',
      setting: 'http.proxy',
    },
    {
      error: new ProxyError(HOST, 'stopWarehouse', 'proxy.corp:3128', 'authenticationRequired', 407, undefined),
      message:
        'Stopping SQL warehouse "Analytics" failed because the proxy proxy.corp:3128 requires authentication (HTTP 407). Add the credentials to http.proxy or http.proxyAuthorization.',
      setting: 'http.proxyAuthorization',
    },
    {
      error: new ProxyError(HOST, 'stopWarehouse', 'proxy.corp:3128', 'rejected', 403, undefined),
      message: 'Stopping SQL warehouse "Analytics" failed because the proxy proxy.corp:3128 refused the connection to api.datastack.cloud (HTTP 403).',
      setting: 'http.proxy',
    },
  ];
  for (const { error, message, setting } of cases) {
    const description = describe(error);
    assert.equal(description.kind, 'proxy');
    assert.equal(description.message, message);
    assert.equal(description.setting, setting);
    assert.deepEqual(description.actions, ['openSetting', 'retry', 'showLog']);
  }
});

test('describe untrusted certificate names the CA setting', () => {
  const description = describe(new CertificateError(HOST, 'stopWarehouse', 'api.datastack.cloud', 'untrusted', 'SELF_SIGNED_CERT_IN_CHAIN'));
  assert.equal(description.kind, 'certificate');
  assert.equal(
    description.message,
    "Stopping SQL warehouse \"Analytics\" failed because the certificate of api.datastack.cloud is not trusted. Add the certificate of your organization's CA to datastack.caCertificates.",
  );
  assert.equal(description.setting, 'datastack.caCertificates');
  assert.deepEqual(description.actions, ['openSetting', 'retry', 'showLog']);
  assert.equal(actionLabel(ENGLISH, 'openSetting', undefined), 'Open Settings');
});

test('describe expired certificate offers no setting', () => {
  const description = describe(new CertificateError(HOST, 'stopWarehouse', 'api.datastack.cloud', 'expired', 'CERT_HAS_EXPIRED'));
  assert.equal(description.kind, 'certificate');
  assert.match(description.message, /certificate of api\.datastack\.cloud has expired/);
  assert.equal(description.setting, undefined);
  assert.deepEqual(description.actions, ['retry', 'showLog']);
});
