// A send-test as the surfaces run it: the transport's evidence, then the verdict on it. The
// result is checked against its schema and passes the redactor once more, verdict included.
import { SendResult } from '../model/send-report.ts';
import type { SendOptions } from '../send/options.ts';
import { sendTest, type SendTestRun } from '../send/send-test.ts';
import { redactDeep } from '../security/redact.ts';
import { sendVerdict } from './send-verdict.ts';

export async function runSendTest(o: SendOptions, run: SendTestRun = {}): Promise<SendResult> {
  const { result, transport, redact } = await sendTest(o, run);
  return redactDeep(SendResult.parse({ ...result, verdict: sendVerdict(o, transport, result.id) }), redact);
}
