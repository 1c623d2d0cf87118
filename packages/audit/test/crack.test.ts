// The scheduler's per-call batch sizes come from the scheme table's speed column.
import { batchSize } from '../src/crack.js';

test("the audit's batch sizes follow the speed column", () => {
  expect(batchSize('yescrypt')).toBeLessThan(batchSize('md5crypt'));
  expect(batchSize('md5crypt')).toBeLessThan(batchSize('ldap-ssha'));
  expect(batchSize('nt')).toBe(batchSize('ldap-sha'));
});
