import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type InputProblem,
  checkAutoTerminationMinutes,
  checkClusterName,
  checkNodeType,
  checkNotebookFolder,
  checkNotebookName,
  checkWorkerCount,
  KNOWN_NODE_TYPES,
  normalizeFolder,
} from '../../src/views/model/validation';

type Case = readonly [input: string, expected: InputProblem | undefined];

function table(name: string, check: (value: string) => InputProblem | undefined, cases: readonly Case[]): void {
  describe(name, () => {
    for (const [input, expected] of cases) {
      test(JSON.stringify(input), () => {
        assert.deepEqual(check(input), expected);
      });
    }
  });
}

table('checkClusterName', checkClusterName, [
  ['ETL nightly', undefined],
  ['', { code: 'required' }],
  ['   ', { code: 'required' }],
  ['x'.repeat(100), undefined],
  ['x'.repeat(101), { code: 'tooLong', max: 100 }],
]);

table('checkNodeType', checkNodeType, [
  ['m5.xlarge', undefined],
  ['Standard_DS3_v2', undefined],
  ['n2-standard-4', undefined],
  ['', { code: 'required' }],
  ['banana', { code: 'invalidNodeType' }],
  ['m5', { code: 'invalidNodeType' }],
  ['large.xlarge', { code: 'invalidNodeType' }],
  ['m5 large', { code: 'invalidNodeType' }],
  ['.m5', { code: 'invalidNodeType' }],
  ['m'.repeat(101), { code: 'tooLong', max: 100 }],
  ['m5.' + 'x'.repeat(98), { code: 'tooLong', max: 100 }],
]);

table('checkWorkerCount', checkWorkerCount, [
  ['0', undefined],
  ['1000', undefined],
  [' 8 ', undefined],
  ['', { code: 'required' }],
  ['1001', { code: 'outOfRange', min: 0, max: 1000 }],
  ['-1', { code: 'outOfRange', min: 0, max: 1000 }],
  ['2.5', { code: 'notWholeNumber' }],
  ['1e3', { code: 'notWholeNumber' }],
  ['four', { code: 'notWholeNumber' }],
]);

table('checkAutoTerminationMinutes', checkAutoTerminationMinutes, [
  ['0', undefined],
  ['10', undefined],
  ['10000', undefined],
  ['9', { code: 'autoTerminationRange' }],
  ['10001', { code: 'autoTerminationRange' }],
  ['-5', { code: 'autoTerminationRange' }],
  ['', { code: 'required' }],
  ['ten', { code: 'notWholeNumber' }],
]);

table('checkNotebookFolder', checkNotebookFolder, [
  ['/', undefined],
  ['/Shared', undefined],
  ['/Shared/etl/', undefined],
  ['', { code: 'required' }],
  ['Shared', { code: 'folderNotAbsolute' }],
  ['/Shared//etl', { code: 'folderHasEmptyOrDotSegment' }],
  ['/Shared/../Users', { code: 'folderHasEmptyOrDotSegment' }],
  ['/./Shared', { code: 'folderHasEmptyOrDotSegment' }],
]);

table('checkNotebookName', checkNotebookName, [
  ['ingest_orders', undefined],
  ['', { code: 'required' }],
  ['a/b', { code: 'nameHasSlash' }],
  ['..', { code: 'nameIsDot' }],
  ['n'.repeat(256), { code: 'tooLong', max: 255 }],
]);

describe('normalizeFolder', () => {
  test('drops trailing slash', () => {
    assert.equal(normalizeFolder(' /Shared/etl/ '), '/Shared/etl');
  });
  test('keeps root', () => {
    assert.equal(normalizeFolder('/'), '/');
  });
});

test('known node types pass the node type check', () => {
  for (const nodeType of KNOWN_NODE_TYPES) {
    assert.equal(checkNodeType(nodeType.id), undefined, nodeType.id);
  }
});
