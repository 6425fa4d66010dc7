// One line read from the terminal after a prompt on stderr, with the typed characters hidden for
// a secret: node:readline writes its echo to an output stream that goes quiet once the prompt is
// out (the approach of the mute-stream package npm itself uses), so nothing typed reaches the screen.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export function readLineFromTerminal(prompt: string, opts: { hidden: boolean }): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve, reject) => {
    rl.on('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      reject(Object.assign(new Error('cancelled at the prompt'), { code: 'cancelled' }));
    });
    rl.question(prompt, (answer) => {
      rl.close();
      if (opts.hidden) process.stderr.write('\n');
      resolve(answer);
    });
    muted = opts.hidden;
  });
}
