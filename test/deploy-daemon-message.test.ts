/** Daemon messages read by meaning: the same failure as Docker 20.10, 26.1 and 28+ word it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeDockerError, oneLine, portInUse } from '../src/deploy/daemon-message.js';
import { dockerFailure } from '../src/deploy/errors.js';

/** A rejected dockerode call, as dockerode builds it from the daemon's JSON answer. */
function apiError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), { statusCode, json: { message } });
}

const FIXED_IP_2010 = 'user specified IP address is supported only when connecting to networks with user configured subnets';
const FIXED_IP_261 = `invalid endpoint settings:\n${FIXED_IP_2010}`;

describe('daemon messages', () => {
  it('a multi-line message becomes one line (26.1 puts a newline after "invalid endpoint settings:")', () => {
    assert.equal(describeDockerError(apiError(400, FIXED_IP_261)), `invalid endpoint settings: ${FIXED_IP_2010}`);
    assert.equal(describeDockerError(apiError(400, FIXED_IP_2010)), FIXED_IP_2010);
    assert.equal(oneLine('first problem\nsecond problem\n'), 'first problem; second problem');
    assert.equal(oneLine('  a:\r\n\r\n  b.  '), 'a: b.');
  });

  it("without a JSON body, dockerode's prefix is dropped; a plain error keeps its message", () => {
    assert.equal(describeDockerError(new Error('(HTTP code 500) server error - something\nbroke')), 'something; broke');
    assert.equal(describeDockerError(new Error('connect ENOENT /var/run/docker.sock')), 'connect ENOENT /var/run/docker.sock');
  });

  it('the failure a deploy reports is one sentence, whatever the engine', () => {
    for (const m of [FIXED_IP_2010, FIXED_IP_261]) {
      const msg = dockerFailure(apiError(400, m), false)!.message;
      assert.doesNotMatch(msg, /\n/);
      assert.match(msg, /^the Docker daemon failed a request: .*user specified IP address .*\. Nothing was changed\.$/);
    }
  });

  it("a port taken is recognised in each engine's wording, with the host address and port", () => {
    const cases: Array<[string, { ip: string; port: number }]> = [
      // 20.10 and 26.1, the userland proxy's listen failing (the OS's EADDRINUSE text)
      [
        'driver failed programming external connectivity on endpoint p-grafana-1 (3f2a): Error starting userland proxy: listen tcp4 127.0.0.1:3000: bind: address already in use',
        { ip: '127.0.0.1', port: 3000 },
      ],
      // the daemon's own port allocator
      [
        'driver failed programming external connectivity on endpoint p-web-1 (9c1d): Bind for 0.0.0.0:8080 failed: port is already allocated',
        { ip: '0.0.0.0', port: 8080 },
      ],
      // 28+: host side first, then the container side
      [
        'failed to set up container networking: driver failed programming external connectivity on endpoint p-db-1 (77cf): failed to bind host port for 127.0.0.1:5432:172.18.0.2:5432/tcp: address already in use',
        { ip: '127.0.0.1', port: 5432 },
      ],
      ['Error starting userland proxy: listen tcp6 [::1]:9090: bind: address already in use', { ip: '[::1]', port: 9090 }],
    ];
    for (const [message, want] of cases) assert.deepEqual(portInUse(oneLine(message)), want, message);
    assert.equal(portInUse('Bind for 0.0.0.0:8080 failed: permission denied'), undefined);
    assert.equal(portInUse(FIXED_IP_2010), undefined);
  });
});
