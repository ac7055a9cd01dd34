import { describe, expect, it } from 'vitest';
import { nodeSupportWarning } from '../../src/cli/node-support.js';

describe('nodeSupportWarning', () => {
  it('names the Node a generated project needs and the one running, when that one is too old', () => {
    expect(nodeSupportWarning('v20.19.0')).toBe(
      'This project needs Node >=22.12.0 to run; this is Node 20.19.0: install a newer Node (e.g. 24 LTS) before npm run dev.',
    );
    expect(nodeSupportWarning('v22.11.0')).toContain('this is Node 22.11.0');
  });

  it('says nothing on a Node that runs the project', () => {
    for (const version of ['v22.12.0', 'v24.11.1', 'v26.0.0']) expect(nodeSupportWarning(version)).toBeUndefined();
  });
});
