// How the compare panel reads the other deployment's address (public/src/api.ts): what a user
// types -> the origin the page will call, or the message shown at the field. Pure: no browser.
import { describe, expect, it } from 'vitest';
import { deploymentOrigin } from '../../public/src/api.ts';

const PAGE = 'https://my-site.netlify.app';

describe('deploymentOrigin', () => {
  it.each([
    ['https://my-probe.onrender.com', 'https://my-probe.onrender.com'],
    ['my-probe.onrender.com', 'https://my-probe.onrender.com'],
    ['  https://my-probe.onrender.com/  ', 'https://my-probe.onrender.com'],
    ['https://my-probe.onrender.com/api/probe', 'https://my-probe.onrender.com'],
    ['HTTPS://My-Probe.onrender.com:8443/x?y=1#z', 'https://my-probe.onrender.com:8443'],
  ])('%j -> %s', (input, origin) => {
    expect(deploymentOrigin(input, PAGE, true)).toEqual({ origin });
  });

  it.each([
    ['', /Enter the other deployment/],
    ['http://my-probe.onrender.com', /https:\/\/ address: a page served over HTTPS may not call an http:\/\/ one/],
    ['ftp://my-probe.onrender.com', /Use an https:\/\/ address \(got ftp:\)/],
    ['https://user:secret@my-probe.onrender.com', /Leave the user name and password out/],
    ['https://my-site.netlify.app/api/probe', /That is this site/],
    ['https://exa mple.com', /is not a web address/],
  ])('%j is refused with a message that says what to type', (input, message) => {
    const got = deploymentOrigin(input, PAGE, true);
    expect('error' in got && got.error).toMatch(message);
  });

  it('allows http:// when the page itself is served over http (a local serve)', () => {
    expect(deploymentOrigin('http://127.0.0.1:8081', 'http://127.0.0.1:8080', false)).toEqual({ origin: 'http://127.0.0.1:8081' });
  });

  it('never echoes a password it was given', () => {
    for (const typed of ['https://user:hunter2-secret@x.onrender.com', 'https://user:hunter2-secret@exa mple.com']) {
      expect(JSON.stringify(deploymentOrigin(typed, PAGE, true))).not.toContain('hunter2');
    }
  });
});
